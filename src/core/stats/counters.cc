#include "core/stats/counters.h"

#include <map>
#include <tuple>

namespace sx::stats {

namespace {

// The index of a rolled-up metric, or -1.
int RollupIndex(std::string_view metric) {
  for (size_t i = 0; i < kRolledUp.size(); ++i)
    if (kRolledUp[i] == metric) return static_cast<int>(i);
  return -1;
}

std::string Column(std::string_view metric) {
  std::string col(metric);
  for (auto& ch : col)
    if (ch == '.') ch = '_';
  return col;
}

// The scopes a cell of `region` rolls up into: itself, its town, its county (a cell without a
// region counts in the county only).
std::vector<std::string> Scopes(const std::string& county, const std::string& region) {
  std::string county_code = county + "000000";
  if (region.size() != 12) return {county_code};
  std::vector<std::string> out{region};
  std::string town = region.substr(0, 9) + "000";
  if (town != region && region.substr(6, 3) != "000") out.push_back(town);
  if (county_code != region) out.push_back(county_code);
  return out;
}

std::vector<std::string> Units(const std::string& unit) {
  if (unit.empty()) return {""};
  return {"", unit};
}

}  // namespace

void Add(db::Conn& c, const std::string& county, std::string_view metric, const std::string& month,
         const std::string& region, const std::string& unit, int64_t by) {
  if (by == 0) return;
  if (RollupIndex(metric) >= 0) {
    std::string col = Column(metric);  // from kRolledUp only
    for (auto& scope : Scopes(county, region))
      for (auto& u : Units(unit))
        c.Exec("INSERT INTO stat_rollups (county_id, month, scope, unit_id, " + col +
                   ") VALUES ($1, $2, $3, $4, $5) ON CONFLICT (county_id, month, scope, unit_id) "
                   "DO UPDATE SET " +
                   col + " = stat_rollups." + col + " + $5",
               {county, month, scope, u, by});
  }
  c.Exec(
      "INSERT INTO stat_counters (county_id, month, region_code, unit_id, metric, value) VALUES "
      "($1, $2, $3, $4, $5, $6) ON CONFLICT (county_id, month, region_code, unit_id, metric) DO "
      "UPDATE SET value = stat_counters.value + $6",
      {county, month, region, unit, std::string(metric), by});
}

namespace {
Cell FromRow(const db::Row& r) { return {r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4)}; }
}  // namespace

std::vector<Cell> Read(db::Conn& c, const std::string& county, const std::string& from,
                       const std::string& to, const std::string& lo, const std::string& hi,
                       std::string_view family) {
  std::vector<Cell> out;
  std::string sql =
      "SELECT month, region_code, unit_id, metric, value FROM stat_counters WHERE county_id = $1 "
      "AND month BETWEEN $2 AND $3 AND region_code BETWEEN $4 AND $5";
  std::vector<db::Value> p{county, from, to, lo, hi};
  if (!family.empty()) {
    sql += " AND metric LIKE $6";
    p.push_back(std::string(family) + ".%");
  }
  for (auto& r : c.Query(sql, p)) out.push_back(FromRow(r));
  return out;
}

std::vector<Cell> All(db::Conn& c, const std::string& county, std::string_view family) {
  std::vector<Cell> out;
  for (auto& r : c.Query("SELECT month, region_code, unit_id, metric, value FROM stat_counters "
                         "WHERE county_id = $1 AND metric LIKE $2 AND value <> 0 ORDER BY month, "
                         "region_code, unit_id, metric",
                         {county, std::string(family) + ".%"}))
    out.push_back(FromRow(r));
  return out;
}

Diff Replace(db::Conn& c, const std::string& county, std::string_view family,
             std::vector<Cell> cells) {
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, int64_t> want, have;
  for (auto& x : cells) want[{x.month, x.region, x.unit, x.metric}] += x.value;
  for (auto& x : All(c, county, family)) have[{x.month, x.region, x.unit, x.metric}] = x.value;
  Diff d{std::string(family), 0, 0};
  for (auto& [k, v] : want) {
    if (v == 0) continue;
    ++d.cells;
    auto it = have.find(k);
    if (it == have.end() || it->second != v) ++d.differing;
  }
  for (auto& [k, v] : have) {
    auto it = want.find(k);
    if (it == want.end() || it->second == 0) ++d.differing;
  }
  c.Exec("DELETE FROM stat_counters WHERE county_id = $1 AND metric LIKE $2",
         {county, std::string(family) + ".%"});
  for (auto& [k, v] : want) {
    if (v == 0) continue;
    auto& [month, region, unit, metric] = k;
    c.Exec(
        "INSERT INTO stat_counters (county_id, month, region_code, unit_id, metric, value) VALUES "
        "($1, $2, $3, $4, $5, $6)",
        {county, month, region, unit, metric, v});
  }
  return d;
}

namespace {
std::string RollupColumns() {
  std::string cols;
  for (auto m : kRolledUp) cols += ", " + Column(m);
  return cols;
}
}  // namespace

std::vector<Rollup> ReadRollups(db::Conn& c, const std::string& county, const std::string& from,
                                const std::string& to, const std::string& lo,
                                const std::string& hi) {
  std::vector<Rollup> out;
  for (auto& r : c.Query("SELECT month, scope, unit_id" + RollupColumns() +
                             " FROM stat_rollups WHERE county_id = $1 AND month BETWEEN $2 AND $3 "
                             "AND scope BETWEEN $4 AND $5",
                         {county, from, to, lo, hi})) {
    Rollup x{r.Str(0), r.Str(1), r.Str(2), {}};
    for (size_t i = 0; i < kRolledUp.size(); ++i) x.values[i] = r.Int(3 + i);
    out.push_back(std::move(x));
  }
  return out;
}

Diff RebuildRollups(db::Conn& c, const std::string& county) {
  using Key = std::tuple<std::string, std::string, std::string>;  // month, scope, unit
  std::map<Key, std::array<int64_t, kRolledUp.size()>> want, have;
  for (auto& r : c.Query("SELECT month, region_code, unit_id, metric, value FROM stat_counters "
                         "WHERE county_id = $1",
                         {county})) {
    int i = RollupIndex(r.Str(3));
    if (i < 0) continue;
    for (auto& scope : Scopes(county, r.Str(1)))
      for (auto& u : Units(r.Str(2)))
        want[{r.Str(0), scope, u}][static_cast<size_t>(i)] += r.Int(4);
  }
  for (auto& x : ReadRollups(c, county, "0000-00", "9999-99", "", "999999999999"))
    have[{x.month, x.scope, x.unit}] = x.values;
  auto zero = [](const std::array<int64_t, kRolledUp.size()>& v) {
    for (auto x : v)
      if (x) return false;
    return true;
  };
  Diff d{"rollups", 0, 0};
  for (auto& [k, v] : want) {
    if (zero(v)) continue;
    ++d.cells;
    auto it = have.find(k);
    if (it == have.end() || it->second != v) ++d.differing;
  }
  for (auto& [k, v] : have) {
    auto it = want.find(k);
    if (zero(v)) continue;
    if (it == want.end() || zero(it->second)) ++d.differing;
  }
  c.Exec("DELETE FROM stat_rollups WHERE county_id = $1", {county});
  std::string cols = RollupColumns(), params;
  for (size_t i = 0; i < kRolledUp.size(); ++i) params += ", $" + std::to_string(5 + i);
  std::string sql = "INSERT INTO stat_rollups (county_id, month, scope, unit_id" + cols +
                    ") VALUES ($1, $2, $3, $4" + params + ")";
  for (auto& [k, v] : want) {
    if (zero(v)) continue;
    auto& [month, scope, unit] = k;
    std::vector<db::Value> p{county, month, scope, unit};
    for (auto x : v) p.push_back(x);
    c.Query(sql, p);
  }
  return d;
}

bool MarkActive(db::Conn& c, const std::string& county, const std::string& account,
                const std::string& month, const std::string& region) {
  bool first = c.Exec(
                   "INSERT INTO account_months (county_id, account_id, month, region_code) VALUES "
                   "($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                   {county, account, month, region}) > 0;
  if (first) Add(c, county, "people.active", month, region, "", 1);
  return first;
}

}  // namespace sx::stats
