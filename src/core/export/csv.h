// CSV for spreadsheets (RFC 4180 with CRLF), safe to open in Excel: fields that a spreadsheet
// would run as a formula (starting with = + - @) are prefixed with ', and the file starts with
// a UTF-8 byte order mark so Excel reads Chinese correctly.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sx::csv {

std::string Field(std::string_view v);
// One line: fields joined with commas, ending in CRLF.
std::string Row(const std::vector<std::string>& fields);
inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace sx::csv
