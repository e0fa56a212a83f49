// Monthly counters (stat_counters): the figures the dashboard reads instead of scanning a year of
// rows. A cell is (county, month, region, unit, metric) → value. Modules add to cells in the same
// write transaction as the change they count, so a counter exists exactly when its change
// committed; `shuxiang stats rebuild` recomputes every family of cells from the modules' own
// tables and replaces them (Replace), reporting the cells that differed.
//
// Metrics are named "<family>.<name>" ("notices.read"); a family belongs to one module. Months
// are Asia/Shanghai calendar months ("2026-11"); region is a 12-digit code or ""; unit an id or "".
// Roll-ups (stat_rollups): Add also adds to one wide row per scope (the cell's region, its town,
// its county) and unit ('' and the cell's unit), holding every dashboard metric (kRolledUp), so a
// county's dashboard reads (county + towns + units) × months rows. RebuildRollups recomputes them
// from the cells.
//
// Functions take the caller's connection and never open transactions.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/db.h"

namespace sx::stats {

struct Cell {
  std::string month, region, unit, metric;
  int64_t value = 0;
};

// Adds `by` (may be negative) to a cell, creating it at 0 first. No-op when by == 0.
void Add(db::Conn& c, const std::string& county, std::string_view metric, const std::string& month,
         const std::string& region, const std::string& unit, int64_t by);

// The cells of months [from, to] whose region lies in [lo, hi] (codes; "" is below every code,
// so pass lo = "" to include cells without a region), optionally of one family ("notices").
std::vector<Cell> Read(db::Conn& c, const std::string& county, const std::string& from,
                       const std::string& to, const std::string& lo, const std::string& hi,
                       std::string_view family = {});

// Every cell of a family (for rebuild checks and tests), ordered.
std::vector<Cell> All(db::Conn& c, const std::string& county, std::string_view family);

struct Diff {
  std::string family;
  int64_t cells = 0;      // cells after the rebuild (non-zero values)
  int64_t differing = 0;  // cells whose value changed, appeared or disappeared
};
// Replaces every cell of `family` in the county with `cells` (duplicates summed, zeros dropped).
Diff Replace(db::Conn& c, const std::string& county, std::string_view family,
             std::vector<Cell> cells);

// The metrics rolled up, in the column order of stat_rollups ("notices.read" → notices_read).
inline constexpr std::array<std::string_view, 19> kRolledUp = {
    "notices.published", "notices.audience", "notices.read",      "notices.confirmed",
    "notices.asked",     "meetings.held",    "meetings.minutes",  "meetings.invitees",
    "meetings.present",  "trainings.held",   "trainings.minutes", "trainings.invitees",
    "trainings.present", "docs.created",     "docs.edited",       "docs.forms_sent",
    "docs.responses",    "people.joined",    "people.active"};

// One roll-up row: everything counted in `scope` (a region code and the places inside it) in a
// month, for all units (unit "") or one.
struct Rollup {
  std::string month, scope, unit;
  std::array<int64_t, kRolledUp.size()> values{};
};
// The roll-ups of months [from, to] whose scope lies in [lo, hi].
std::vector<Rollup> ReadRollups(db::Conn& c, const std::string& county, const std::string& from,
                                const std::string& to, const std::string& lo,
                                const std::string& hi);
// Recomputes every roll-up of the county from stat_counters and replaces them; `family` of the
// Diff is "rollups", its cells the rows.
Diff RebuildRollups(db::Conn& c, const std::string& county);

// Records that an account was active in a month; adds 1 to "people.active" the first time.
// Returns whether this was the first time.
bool MarkActive(db::Conn& c, const std::string& county, const std::string& account,
                const std::string& month, const std::string& region);

}  // namespace sx::stats
