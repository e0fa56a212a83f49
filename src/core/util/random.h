// Random identifiers and tokens from libsodium's CSPRNG. Thread-safe.
#pragma once
#include <string>

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

}  // namespace sx::util
