#include "core/auth/password.h"

#include <sodium.h>

#include "core/util/error.h"
#include "core/util/strings.h"

namespace sx::auth {

HashLimits InteractiveLimits() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
HashLimits FastLimits() { return {crypto_pwhash_OPSLIMIT_MIN, 64 * 1024}; }

class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& h) : h_(h) {
    std::unique_lock lk(h_.mu_);
    if (h_.running_ >= h_.concurrency_) {
      if (h_.waiting_ >= h_.queue_)
        throw Error(ErrorCode::kUnavailable, "Too many sign-ins at once; try again shortly");
      ++h_.waiting_;
      h_.cv_.wait(lk, [&] { return h_.running_ < h_.concurrency_; });
      --h_.waiting_;
    }
    ++h_.running_;
  }
  ~Slot() {
    std::lock_guard lk(h_.mu_);
    --h_.running_;
    h_.cv_.notify_one();
  }

 private:
  PasswordHasher& h_;
};

PasswordHasher::PasswordHasher(HashLimits limits, int concurrency, int queue)
    : limits_(limits), concurrency_(concurrency), queue_(queue) {
  dummy_ = Hash("dummy password for unknown accounts");
}

std::string PasswordHasher::Hash(std::string_view password) {
  Slot slot(*this);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), limits_.ops, limits_.mem) != 0)
    throw Error(ErrorCode::kInternal, "password hashing failed (out of memory)");
  return out;
}

bool PasswordHasher::Verify(std::string_view stored, std::string_view password) {
  Slot slot(*this);
  std::string s(stored);
  return crypto_pwhash_str_verify(s.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyDummy(std::string_view password) { Verify(dummy_, password); }

void CheckPasswordPolicy(std::string_view password) {
  long n = util::Utf8Length(password);
  if (n < 8 || n > 128) throw Error::Field("password", "must be 8 to 128 characters");
  if (password.find_first_not_of("0123456789") == std::string_view::npos)
    throw Error::Field("password", "must not be only digits");
}

}  // namespace sx::auth
