#include "core/auth/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <thread>

#include "core/util/error.h"

namespace sx::auth {

TEST(Password, HashesWithArgon2idAndVerifies) {
  ASSERT_GE(sodium_init(), 0);
  PasswordHasher h(FastLimits(), 2, 4);
  std::string stored = h.Hash("correct horse");
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(h.Verify(stored, "correct horse"));
  EXPECT_FALSE(h.Verify(stored, "wrong horse"));
}

TEST(Password, InteractiveLimitsAreTheProductionDefault) {
  EXPECT_EQ(InteractiveLimits().mem, size_t{crypto_pwhash_MEMLIMIT_INTERACTIVE});
  EXPECT_GE(InteractiveLimits().mem, size_t{64} << 20);
}

TEST(Password, AFloodBeyondTheQueueIsRefusedAtOnce) {
  ASSERT_GE(sodium_init(), 0);
  PasswordHasher h({crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE}, 1, 0);
  std::atomic<int> refused{0}, done{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&] {
      try {
        h.Hash("password");
        ++done;
      } catch (const Error& e) {
        if (e.code() == ErrorCode::kUnavailable) ++refused;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_GE(done.load(), 1);
  EXPECT_GE(refused.load(), 1);
}

TEST(Password, Policy) {
  EXPECT_THROW(CheckPasswordPolicy("short"), Error);
  EXPECT_THROW(CheckPasswordPolicy("12345678901"), Error);
  EXPECT_NO_THROW(CheckPasswordPolicy("村里的密码abc"));
}

}  // namespace sx::auth
