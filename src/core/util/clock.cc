#include "core/util/clock.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "core/util/error.h"

namespace sx::util {

int64_t SystemClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string IsoUtc(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::optional<int64_t> ParseIso(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || s.size() > 40) return std::nullopt;
  std::string str(s);
  int used = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) !=
          6 ||
      used != 19)
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t i = 19;
  int64_t frac_ms = 0;
  if (i < str.size() && str[i] == '.') {
    ++i;
    int digits = 0;
    while (i < str.size() && str[i] >= '0' && str[i] <= '9') {
      if (digits < 3) frac_ms = frac_ms * 10 + (str[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (int k = digits; k < 3; ++k) frac_ms *= 10;
  }
  int64_t offset_s = 0;
  if (i < str.size() && (str[i] == 'Z' || str[i] == 'z')) {
    ++i;
  } else if (i + 6 == str.size() && (str[i] == '+' || str[i] == '-') && str[i + 3] == ':') {
    int oh = std::atoi(str.substr(i + 1, 2).c_str()), om = std::atoi(str.substr(i + 4, 2).c_str());
    offset_s = (oh * 3600 + om * 60) * (str[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != str.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return secs * 1000 + frac_ms;
}

}  // namespace sx::util

namespace sx::util {

std::string ShanghaiMonth(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char month[16];
  std::snprintf(month, sizeof month, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  return month;
}

std::pair<int64_t, int64_t> MonthWindow(std::string_view from, std::string_view to,
                                        int max_months) {
  auto parse = [](std::string_view m, const char* field) -> std::pair<int, int> {
    int y = 0, mo = 0;
    std::string s(m);
    if (s.size() != 7 || std::sscanf(s.c_str(), "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12 ||
        s[4] != '-')
      throw Error::Field(field, "a month like 2026-11");
    return {y, mo};
  };
  auto start = [](int y, int mo) -> int64_t {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = 1;
    return (static_cast<int64_t>(timegm(&tm)) - 8 * 3600) * 1000;  // Asia/Shanghai midnight
  };
  auto [fy, fm] = parse(from, "from");
  auto [ty, tm] = parse(to, "to");
  int span = (ty - fy) * 12 + (tm - fm) + 1;
  if (span < 1) throw Error::Field("to", "must not be before from");
  if (span > max_months)
    throw Error::Field("to", "at most " + std::to_string(max_months) + " months");
  return {start(fy, fm), start(tm == 12 ? ty + 1 : ty, tm == 12 ? 1 : tm + 1)};
}

}  // namespace sx::util
