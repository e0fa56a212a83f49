// Personal information protection (PIPL): phones and ID numbers are stored sealed
// (XChaCha20-Poly1305 with the deployment's data key), with a keyed blind index for exact lookup
// and a precomputed masked form for display. Only callers holding a reveal permission get the
// clear value, and every reveal is audited by the caller (see modules/org).
// Thread-safe (immutable after construction).
#pragma once
#include <string>
#include <string_view>

namespace sx::auth {

class Protector {
 public:
  // key: 32 bytes.
  explicit Protector(std::string key);
  // Loads the key from the file, creating it (mode 0600) with a random key if it is missing.
  static Protector FromKeyFile(const std::string& path);
  // "v1:" + base64(nonce || ciphertext).
  std::string Seal(std::string_view plain) const;
  // Throws sx::Error (internal) if the value was not sealed with this key.
  std::string Open(std::string_view sealed) const;
  // Deterministic keyed hash (hex) for equality lookup; `kind` separates domains.
  std::string BlindIndex(std::string_view kind, std::string_view value) const;

 private:
  std::string key_;
};

// "13812345678" → "138****5678"
std::string MaskPhone(std::string_view phone);
// "500238199001011234" → "500238********1234"
std::string MaskIdNumber(std::string_view id);
// Mainland mobile number: 11 digits starting 1[3-9].
bool ValidPhone(std::string_view phone);
// GB 11643-1999: 17 digits + check (0-9 or X), valid date; checksum ISO 7064 MOD 11-2.
bool ValidIdNumber(std::string_view id);

}  // namespace sx::auth
