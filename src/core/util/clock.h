// Time: stored as UTC milliseconds since the epoch; formatted as ISO 8601 for the API.
// A Clock seam lets tests move time (login windows, session expiry) without sleeping.
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sx::util {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms) : now_(start_ms) {}
  int64_t NowMs() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_;
};

// "2026-11-29T03:39:28.123Z"
std::string IsoUtc(int64_t ms);
// Parses an RFC 3339 date-time ("2026-11-29T03:39:28Z", fractional seconds and a ±hh:mm offset
// allowed) to milliseconds since the epoch; nullopt if malformed.
std::optional<int64_t> ParseIso(std::string_view s);

// Calendar months in Asia/Shanghai (UTC+8, no daylight saving), for monthly figures.
// The month a time falls in: "2026-11".
std::string ShanghaiMonth(int64_t ms);
// [the start of month `from`, the start of the month after `to`) in ms, from "YYYY-MM" strings;
// throws a 422 naming `from` or `to` when malformed, reversed, or spanning over max_months.
std::pair<int64_t, int64_t> MonthWindow(std::string_view from, std::string_view to,
                                        int max_months = 36);

}  // namespace sx::util
