#include "core/auth/sessions.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "core/util/error.h"
#include "support/temp_db.h"

namespace sx::auth {

class SessionsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  testing::TempDb tmp;
  util::FakeClock clock{1'800'000'000'000};
};

TEST_F(SessionsTest, IdleAndAbsoluteExpiry) {
  SessionStore store(tmp.db(), clock, {.idle_ms = 1000, .absolute_ms = 5000, .touch_every_ms = 0});
  NewSession s = tmp.db().WriteValue([&](db::Conn& c) { return store.Create(c, "500238", "acc"); });
  ASSERT_TRUE(store.Lookup(s.token));
  clock.Advance(900);
  ASSERT_TRUE(store.Lookup(s.token));  // touches last_seen (asynchronously)
  tmp.db().Write([](db::Conn&) {});    // the queued touch has committed after this write
  clock.Advance(900);
  EXPECT_TRUE(store.Lookup(s.token)) << "use within the idle window keeps the session";
  clock.Advance(1100);
  EXPECT_FALSE(store.Lookup(s.token)) << "idle too long";
  NewSession t = tmp.db().WriteValue([&](db::Conn& c) { return store.Create(c, "500238", "acc"); });
  for (int i = 0; i < 6; ++i) {
    clock.Advance(900);
    store.Lookup(t.token);
    tmp.db().Write([](db::Conn&) {});
  }
  EXPECT_FALSE(store.Lookup(t.token)) << "past the absolute lifetime";
}

TEST_F(SessionsTest, RevokedSessionsAreGone) {
  SessionStore store(tmp.db(), clock);
  NewSession s = tmp.db().WriteValue([&](db::Conn& c) { return store.Create(c, "500238", "acc"); });
  tmp.db().Write([&](db::Conn& c) { store.Revoke(c, SessionStore::HashToken(s.token)); });
  EXPECT_FALSE(store.Lookup(s.token));
  EXPECT_FALSE(store.Lookup("not-a-token"));
}

TEST_F(SessionsTest, FiveFailuresLockAnAccountForFifteenMinutes) {
  LoginLimiter lim(clock);
  auto check = [&] { tmp.db().Read([&](db::Conn& c) { lim.Check(c, "500238", "k", "1.2.3.4"); }); };
  for (int i = 0; i < 5; ++i) {
    check();
    tmp.db().Write(
        [&](db::Conn& c) { lim.RecordFailure(c, "500238", "k", "1.2.3." + std::to_string(i)); });
  }
  EXPECT_THROW(check(), Error);
  clock.Advance(15 * 60 * 1000 + 1);
  EXPECT_NO_THROW(check());
}

}  // namespace sx::auth
