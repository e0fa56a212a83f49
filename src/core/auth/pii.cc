#include "core/auth/pii.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/util/error.h"

namespace sx::auth {

Protector::Protector(std::string key) : key_(std::move(key)) {
  if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    throw Error(ErrorCode::kInternal, "data key must be 32 bytes");
}

Protector Protector::FromKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string hex = ss.str();
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.pop_back();
    std::string key(32, '\0');
    size_t len = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), hex.c_str(),
                       hex.size(), nullptr, &len, nullptr) != 0 ||
        len != 32)
      throw Error(ErrorCode::kInternal, "bad data key file " + path + " (want 64 hex digits)");
    return Protector(key);
  }
  std::string key(32, '\0');
  randombytes_buf(key.data(), key.size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  umask(077);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorCode::kInternal, "cannot write data key file " + path);
  out << hex << "\n";
  out.close();
  chmod(path.c_str(), 0600);
  return Protector(key);
}

std::string Protector::Seal(std::string_view plain) const {
  constexpr size_t kN = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string buf(kN + plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* p = reinterpret_cast<unsigned char*>(buf.data());
  randombytes_buf(p, kN);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      p + kN, &clen, reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nullptr, 0,
      nullptr, p, reinterpret_cast<const unsigned char*>(key_.data()));
  std::string b64(sodium_base64_ENCODED_LEN(buf.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), p, buf.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.pop_back();  // NUL
  return "v1:" + b64;
}

std::string Protector::Open(std::string_view sealed) const {
  constexpr size_t kN = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (sealed.substr(0, 3) != "v1:") throw Error(ErrorCode::kInternal, "unsealed value");
  sealed.remove_prefix(3);
  std::string bin(sealed.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), sealed.data(),
                        sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < kN + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    throw Error(ErrorCode::kInternal, "corrupt sealed value");
  auto* p = reinterpret_cast<const unsigned char*>(bin.data());
  std::string plain(len - kN - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr, p + kN, len - kN, nullptr,
          0, p, reinterpret_cast<const unsigned char*>(key_.data())) != 0)
    throw Error(ErrorCode::kInternal, "sealed value does not open with this data key");
  plain.resize(plen);
  return plain;
}

std::string Protector::BlindIndex(std::string_view kind, std::string_view value) const {
  std::string msg = std::string(kind) + ":" + std::string(value);
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                     reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

std::string MaskIdNumber(std::string_view id) {
  if (id.size() < 10) return std::string(id.size(), '*');
  return std::string(id.substr(0, 6)) + std::string(id.size() - 10, '*') +
         std::string(id.substr(id.size() - 4));
}

bool ValidPhone(std::string_view p) {
  if (p.size() != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9') return false;
  for (char c : p)
    if (c < '0' || c > '9') return false;
  return true;
}

bool ValidIdNumber(std::string_view id) {
  if (id.size() != 18) return false;
  static const int kW[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
    sum += (id[i] - '0') * kW[i];
  }
  char c = id[17] == 'x' ? 'X' : id[17];
  if (c != kCheck[sum % 11]) return false;
  int y = std::stoi(std::string(id.substr(6, 4))), m = std::stoi(std::string(id.substr(10, 2))),
      d = std::stoi(std::string(id.substr(12, 2)));
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > kDays[m - 1]) return false;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  return true;
}

}  // namespace sx::auth
