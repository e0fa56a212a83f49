// Small string helpers: UTF-8 aware length, trimming, prefix checks.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sx::util {

// Number of Unicode code points; invalid UTF-8 counts as -1.
long Utf8Length(std::string_view s);
bool ValidUtf8(std::string_view s);
// The longest prefix of s of at most max_chars characters that ends on a whole character (an
// invalid tail is dropped): for short summaries of free text.
std::string Utf8Prefix(std::string_view s, size_t max_chars);
// Bytes as lowercase hex, two digits each.
std::string ToHex(std::string_view bytes);
std::string Trim(std::string_view s);
std::string ToLowerAscii(std::string_view s);
std::vector<std::string_view> Split(std::string_view s, char sep);
// Decodes UTF-8 into code points (input must be valid).
std::vector<char32_t> CodePoints(std::string_view s);
std::string EncodeUtf8(char32_t cp);

}  // namespace sx::util
