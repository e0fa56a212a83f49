#include "core/files/strip.h"

#include <gtest/gtest.h>

#include "core/util/error.h"

namespace sx::files {
namespace {

std::string Seg(unsigned char marker, const std::string& payload) {
  size_t len = payload.size() + 2;
  return std::string{char(0xFF), char(marker), char(len >> 8), char(len & 0xFF)} + payload;
}

TEST(StripMetadata, JpegKeepsDecodingSegmentsAndDropsExifXmpComments) {
  std::string jpg = std::string("\xFF\xD8", 2) + Seg(0xE0, std::string("JFIF\0", 5)) +
                    Seg(0xE1, std::string("Exif\0\0GPS 31.4N", 16)) +
                    Seg(0xE1, "http://ns.adobe.com/xap/1.0/ xmp") + Seg(0xFE, "comment") +
                    Seg(0xDB, std::string(65, '\1')) + Seg(0xDA, std::string("\1\1\0\0\x3f\0", 6)) +
                    std::string("\x12\x34\xFF\xD9", 4);
  std::string out = StripMetadata(jpg, "image/jpeg");
  EXPECT_EQ(out.find("GPS"), std::string::npos);
  EXPECT_EQ(out.find("xmp"), std::string::npos);
  EXPECT_EQ(out.find("comment"), std::string::npos);
  EXPECT_NE(out.find("JFIF"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), std::string("\x12\x34\xFF\xD9", 4)) << "scan kept";
}

TEST(StripMetadata, PngDropsTextAndExifChunks) {
  auto chunk = [](const std::string& type, const std::string& data) {
    std::string len{char(0), char(0), char(data.size() >> 8), char(data.size() & 0xFF)};
    return len + type + data + std::string(4, '\0');  // CRC not checked here
  };
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", std::string(13, '\0')) +
                    chunk("tEXt", "GPS\0here") + chunk("eXIf", "MM\0*gps") +
                    chunk("IDAT", "pixels") + chunk("IEND", "");
  std::string out = StripMetadata(png, "image/png");
  EXPECT_EQ(out.find("tEXt"), std::string::npos);
  EXPECT_EQ(out.find("eXIf"), std::string::npos);
  EXPECT_NE(out.find("IDAT"), std::string::npos);
  EXPECT_NE(out.find("IEND"), std::string::npos);
}

TEST(StripMetadata, WebpDropsExifAndFixesSizeAndFlags) {
  auto chunk = [](const std::string& type, const std::string& data) {
    std::string out = type;
    uint32_t n = static_cast<uint32_t>(data.size());
    for (int i = 0; i < 4; ++i) out += char((n >> (8 * i)) & 0xFF);
    out += data;
    if (n & 1) out += '\0';
    return out;
  };
  std::string vp8x(10, '\0');
  vp8x[0] = 0x08 | 0x04;  // EXIF and XMP flags
  std::string body = "WEBP" + chunk("VP8X", vp8x) + chunk("VP8 ", "frame!") +
                     chunk("EXIF", "gps-data") + chunk("XMP ", "<xmp/>");
  std::string riff = "RIFF";
  uint32_t n = static_cast<uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) riff += char((n >> (8 * i)) & 0xFF);
  std::string out = StripMetadata(riff + body, "image/webp");
  EXPECT_EQ(out.find("gps-data"), std::string::npos);
  EXPECT_EQ(out.find("<xmp/>"), std::string::npos);
  uint32_t size = uint8_t(out[4]) | uint8_t(out[5]) << 8 | uint8_t(out[6]) << 16 | uint32_t(uint8_t(out[7])) << 24;
  EXPECT_EQ(size, out.size() - 8);
  EXPECT_EQ(out[20] & 0x0C, 0) << "VP8X flags cleared";
}

TEST(StripMetadata, RejectsMalformedAndOtherTypes) {
  EXPECT_THROW(StripMetadata("\xFF\xD8\xFF\xE1\xFF\xFF", "image/jpeg"), Error);
  EXPECT_THROW(StripMetadata("\x89PNG\r\n\x1a\n", "image/png"), Error);
  EXPECT_THROW(StripMetadata("%PDF", "application/pdf"), Error);
}

}  // namespace
}  // namespace sx::files
