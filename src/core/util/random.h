// Random identifiers and tokens from libsodium's CSPRNG. Thread-safe.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace sx::util {

// A UUID version 4 string (122 random bits), used for every public id.
std::string NewId();
// n random bytes as lowercase hex.
std::string RandomHex(size_t bytes);
// 16 random bytes as unpadded base64url (22 chars): session tokens.
std::string NewToken();
// Whether s has the shape of an id made by NewId (cheap check before touching the database).
bool LooksLikeId(std::string_view s);
// BLAKE2b digest of `data`, `bytes` long (16..64), as lowercase hex: checksums and ETags, not
// secrets.
std::string DigestHex(std::string_view data, size_t bytes = 16);

// A small deterministic generator (xorshift64*) for synthetic demo data; not for secrets.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : x_(seed ? seed : 1) {}
  // Uniform in [0, n) (n > 0).
  uint64_t Below(uint64_t n) {
    x_ ^= x_ >> 12;
    x_ ^= x_ << 25;
    x_ ^= x_ >> 27;
    return (x_ * 2685821657736338717ULL) % n;
  }
  // True with probability percent/100.
  bool Chance(uint64_t percent) { return Below(100) < percent; }

 private:
  uint64_t x_;
};

}  // namespace sx::util
