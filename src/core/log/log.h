// Logging: lines go to stderr through one background thread so request threads never block on
// the terminal or a slow disk. Access log lines are JSON-free, space-separated, one per request.
// Thread-safe. Level from SHUXIANG_LOG (debug|info|warn|error; default info); the access log
// is on unless SHUXIANG_ACCESS_LOG=off.
#pragma once
#include <fmt/format.h>

#include <string>

namespace sx::log {

enum class Level { kDebug, kInfo, kWarn, kError };

void Write(Level level, std::string line);
bool Enabled(Level level);
// Flushes pending lines (at exit).
void Flush();
// Turns access logging on or off (default on).
void SetAccessLog(bool on);
bool AccessLogOn();

template <class... A>
void Info(fmt::format_string<A...> f, A&&... a) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void Warn(fmt::format_string<A...> f, A&&... a) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void Error(fmt::format_string<A...> f, A&&... a) {
  if (Enabled(Level::kError)) Write(Level::kError, fmt::format(f, std::forward<A>(a)...));
}

}  // namespace sx::log
