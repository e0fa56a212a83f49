// Password hashing with argon2id (libsodium crypto_pwhash_str, INTERACTIVE limits by default).
// Hashing is CPU- and memory-heavy, so at most `concurrency` hashes run at once and at most
// `queue` callers wait; beyond that Hash/Verify throw kUnavailable (503) at once, so a login
// flood cannot take every worker thread. Thread-safe.
#pragma once
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

namespace sx::auth {

struct HashLimits {
  unsigned long long ops;
  size_t mem;
};
HashLimits InteractiveLimits();
// Cheap limits for tests and bulk demo loading (SHUXIANG_FAST_HASH=1); never for production.
HashLimits FastLimits();

class PasswordHasher {
 public:
  PasswordHasher(HashLimits limits, int concurrency, int queue);
  std::string Hash(std::string_view password);
  bool Verify(std::string_view stored, std::string_view password);
  // Same cost as Verify for an unknown account, so timing does not reveal which phones exist.
  void VerifyDummy(std::string_view password);

 private:
  class Slot;
  HashLimits limits_;
  int concurrency_, queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0, waiting_ = 0;
  std::string dummy_;
};

// Password policy: 8–128 characters, not all digits. Throws sx::Error (422) otherwise.
void CheckPasswordPolicy(std::string_view password);

}  // namespace sx::auth
