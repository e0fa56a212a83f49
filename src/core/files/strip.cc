#include "core/files/strip.h"

#include <cstdint>

#include "core/util/error.h"

namespace sx::files {

namespace {

[[noreturn]] void Bad(const char* what) {
  throw Error::Field("photo", std::string("not a well-formed image: ") + what);
}

uint32_t Be32(std::string_view b, size_t i) {
  return (uint32_t(uint8_t(b[i])) << 24) | (uint32_t(uint8_t(b[i + 1])) << 16) |
         (uint32_t(uint8_t(b[i + 2])) << 8) | uint32_t(uint8_t(b[i + 3]));
}
uint32_t Le32(std::string_view b, size_t i) {
  return uint32_t(uint8_t(b[i])) | (uint32_t(uint8_t(b[i + 1])) << 8) |
         (uint32_t(uint8_t(b[i + 2])) << 16) | (uint32_t(uint8_t(b[i + 3])) << 24);
}
void PutLe32(std::string& s, size_t i, uint32_t v) {
  for (int k = 0; k < 4; ++k) s[i + k] = static_cast<char>((v >> (8 * k)) & 0xff);
}

std::string Jpeg(std::string_view b) {
  if (b.size() < 4 || uint8_t(b[0]) != 0xFF || uint8_t(b[1]) != 0xD8) Bad("JPEG start");
  std::string out(b.substr(0, 2));
  size_t i = 2;
  while (i + 4 <= b.size()) {
    if (uint8_t(b[i]) != 0xFF) Bad("JPEG marker");
    uint8_t m = uint8_t(b[i + 1]);
    if (m == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (m == 0xD9) {  // end of image
      out.append(b.substr(i, 2));
      return out;
    }
    if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) {  // no length
      out.append(b.substr(i, 2));
      i += 2;
      continue;
    }
    size_t len = (size_t(uint8_t(b[i + 2])) << 8) | uint8_t(b[i + 3]);
    if (len < 2 || i + 2 + len > b.size()) Bad("JPEG segment length");
    bool keep = !(m >= 0xE0 && m <= 0xEF) || m == 0xE0 || m == 0xEE || m == 0xE2;
    if (m == 0xFE) keep = false;  // comment
    if (m == 0xE2 && b.substr(i + 4, 12) != std::string_view("ICC_PROFILE\0", 12)) keep = false;
    if (keep) out.append(b.substr(i, 2 + len));
    i += 2 + len;
    if (m == 0xDA) {  // start of scan: the entropy-coded data and the rest follow unchanged
      out.append(b.substr(i));
      return out;
    }
  }
  Bad("JPEG ends early");
}

std::string Png(std::string_view b) {
  static const std::string_view kSig("\x89PNG\r\n\x1a\n", 8);
  if (b.substr(0, 8) != kSig) Bad("PNG signature");
  std::string out(kSig);
  size_t i = 8;
  while (i + 12 <= b.size()) {
    uint32_t len = Be32(b, i);
    if (len > b.size() || i + 12 + len > b.size()) Bad("PNG chunk length");
    std::string_view type = b.substr(i + 4, 4);
    bool drop = type == "eXIf" || type == "tEXt" || type == "zTXt" || type == "iTXt" ||
                type == "tIME";
    if (!drop) out.append(b.substr(i, 12 + len));
    i += 12 + len;
    if (type == "IEND") return out;
  }
  Bad("PNG has no IEND");
}

std::string Webp(std::string_view b) {
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WEBP") Bad("WebP header");
  std::string out(b.substr(0, 12));
  size_t end = std::min<size_t>(b.size(), size_t(Le32(b, 4)) + 8);
  size_t i = 12;
  size_t vp8x = std::string::npos;
  while (i + 8 <= end) {
    std::string_view type = b.substr(i, 4);
    uint32_t len = Le32(b, i + 4);
    size_t padded = len + (len & 1);
    if (i + 8 + len > end) Bad("WebP chunk length");
    if (type != "EXIF" && type != "XMP ") {
      if (type == "VP8X") vp8x = out.size();
      out.append(b.substr(i, std::min(8 + padded, end - i)));
    }
    i += 8 + padded;
  }
  if (vp8x != std::string::npos && vp8x + 8 < out.size())
    out[vp8x + 8] = static_cast<char>(uint8_t(out[vp8x + 8]) & ~0x0C);  // EXIF and XMP flags
  PutLe32(out, 4, static_cast<uint32_t>(out.size() - 8));
  return out;
}

}  // namespace

std::string StripMetadata(std::string_view bytes, std::string_view type) {
  if (type == "image/jpeg") return Jpeg(bytes);
  if (type == "image/png") return Png(bytes);
  if (type == "image/webp") return Webp(bytes);
  throw Error(ErrorCode::kUnsupportedType, "Photos must be JPEG, PNG or WebP");
}

}  // namespace sx::files
