#include "modules/stats/service.h"

#include <boost/json.hpp>

#include "core/events/log.h"
#include "core/http/gzip.h"
#include "core/log/log.h"
#include "core/stats/counters.h"
#include "core/util/error.h"
#include "modules/org/demo.h"
#include "modules/org/service.h"
#include "modules/stats/json.h"
#include "modules/stats/repo.h"
#include "modules/stats/report.h"

namespace sx::stats {

namespace {

constexpr int kMaxMonths = 24;
constexpr auto kCacheTtl = std::chrono::seconds(30);
constexpr int64_t kAnnounceEveryMs = 2000;

bool MonthOk(const std::string& m) {
  if (m.size() != 7 || m[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6})
    if (m[i] < '0' || m[i] > '9') return false;
  return m.substr(5) >= "01" && m.substr(5) <= "12";
}

// "2026-11" + n months (n may be negative).
std::string AddMonths(const std::string& m, int n) {
  int y = std::stoi(m.substr(0, 4)), mo = std::stoi(m.substr(5)) - 1 + n;
  y += mo >= 0 ? mo / 12 : (mo - 11) / 12;
  mo = ((mo % 12) + 12) % 12;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, mo + 1);
  return buf;
}

std::vector<std::string> MonthsBetween(const std::string& from, const std::string& to) {
  std::vector<std::string> out;
  for (std::string m = from; m <= to && out.size() <= kMaxMonths; m = AddMonths(m, 1))
    out.push_back(m);
  return out;
}

perm::Level ChildLevel(perm::Level l) {
  return l == perm::Level::kCounty ? perm::Level::kTown
         : l == perm::Level::kTown ? perm::Level::kVillage
                                   : perm::Level::kInvalid;
}

int Rank(perm::Level l) {
  return l == perm::Level::kCounty    ? 0
         : l == perm::Level::kTown    ? 1
         : l == perm::Level::kVillage ? 2
                                      : -1;
}

// Rankings of the children (and units) by a rate, best first, only with enough cases.
std::vector<Ranking> Rankings(const Dashboard& d) {
  struct Def {
    const char* key;
    int64_t min_cases;
  };
  static constexpr Def kDefs[] = {{"requests.resolve_rate", 5},
                                  {"requests.satisfaction_rate", 5},
                                  {"requests.response_rate", 5},
                                  {"notices.read_rate", 3},
                                  {"meetings.attendance_rate", 3}};
  std::vector<Ranking> out;
  for (auto* rows : {&d.children, &d.units}) {
    if (rows->empty()) continue;
    for (auto& def : kDefs) {
      Ranking r{def.key, rows == &d.children ? "children" : "units", def.min_cases, {}};
      for (auto& row : *rows) {
        auto v = RateOf(row.f, def.key);
        int64_t cases = CasesOf(row.f, def.key);
        if (!v || cases < def.min_cases) continue;
        r.items.push_back({row.id, row.name, *v, cases, 0});
      }
      std::stable_sort(r.items.begin(), r.items.end(), [](const RankItem& a, const RankItem& b) {
        return a.value != b.value ? a.value > b.value : a.cases > b.cases;
      });
      for (size_t i = 0; i < r.items.size(); ++i) r.items[i].rank = static_cast<int64_t>(i + 1);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace

StatsService::StatsService(db::Database& db, org::OrgService& org, notices::NoticesService& notices,
                           requests::RequestsService& requests, meetings::MeetingsService& meetings,
                           docs::DocsService& docs, events::Hub* hub, const util::Clock& clock)
    : db_(db),
      org_(org),
      notices_(notices),
      requests_(requests),
      meetings_(meetings),
      docs_(docs),
      hub_(hub),
      clock_(clock) {}

StatsService::View StatsService::Decide(const perm::Principal& who, const Query& q) {
  View v;
  const std::string& code = q.region;
  if (Rank(perm::LevelOf(code)) < 0 || code.substr(0, 6) != who.county_id) return v;
  bool full = false;
  std::string own_unit;
  for (auto& g : who.grants) {
    if (!perm::RoleHas(g.role, perm::Perm::kStatsView)) continue;
    if (g.role == perm::Role::kUnitStaff) {
      if (own_unit.empty() || g.unit_id == q.unit) own_unit = g.unit_id;
    } else if (perm::Within(g.region_code, code)) {
      full = true;
    }
  }
  bool county = perm::LevelOf(code) == perm::Level::kCounty;
  if (full) {
    v.unit = q.unit;
    v.ok = true;
    v.unit_needs_county = !q.unit.empty() && !county;
  } else if (!own_unit.empty() && county) {
    v.unit = own_unit;  // unit staff: their unit's figures, county-wide
    v.ok = true;
  }
  return v;
}

StatsService::Scope StatsService::Resolve(const perm::Principal& who, const Query& q) {
  View v = Decide(who, q);
  if (!v.ok) throw Error::NotFound("No such place among yours");
  if (v.unit_needs_county)
    throw Error::Field("unit", "a unit's figures are for the whole county (region = the county)");
  Scope s;
  s.unit_id = v.unit;
  db_.Read([&](db::Conn& c) {
    auto r = repo::GetRegion(c, who.county_id, q.region);
    if (!r) throw Error::NotFound("No such place");
    s.region = *r;
    if (!s.unit_id.empty()) {
      auto units = repo::Units(c, who.county_id);
      auto it = units.find(s.unit_id);
      if (it == units.end()) throw Error::NotFound("No such unit");
      s.unit_name = it->second;
    }
  });
  return s;
}

Dashboard StatsService::Get(const perm::Principal& who, const Query& in) {
  Query q = in;
  std::string now_month = util::ShanghaiMonth(clock_.NowMs());
  if (q.to.empty()) q.to = now_month;
  if (!MonthOk(q.to)) throw Error::Field("to", "a month like 2026-11");
  if (q.from.empty()) q.from = AddMonths(q.to, -5);
  if (!MonthOk(q.from)) throw Error::Field("from", "a month like 2026-06");
  if (q.from > q.to) throw Error::Field("from", "not after to");
  if (AddMonths(q.from, kMaxMonths - 1) < q.to) throw Error::Field("to", "at most 24 months");
  Scope s = Resolve(who, q);
  return Compute(who.county_id, s, q.from, q.to, ChildLevel(perm::LevelOf(s.region.code)));
}

Dashboard StatsService::Compute(const std::string& county, const Scope& s, const std::string& from,
                                const std::string& to, perm::Level child_level) {
  Dashboard d;
  d.region = s.region;
  if (!s.unit_id.empty()) {
    d.unit = std::make_pair(s.unit_id, s.unit_name);
    child_level = perm::Level::kInvalid;  // a unit's figures are the county's, not by place
  }
  d.from = from;
  d.to = to;
  d.generated_at = clock_.NowMs();
  auto level = perm::LevelOf(s.region.code);
  auto [lo, hi] = perm::CodeRange(s.region.code);
  auto months = MonthsBetween(from, to);
  std::map<std::string, size_t> month_index;
  for (auto& m : months) {
    month_index[m] = d.months.size();
    d.months.push_back({m, {}});
  }
  std::vector<Place> children;
  std::map<std::string, std::string> unit_names;
  std::vector<Rollup> rollups;
  db_.Read([&](db::Conn& c) {
    // The path from the county down to the place.
    for (auto l : {perm::Level::kCounty, perm::Level::kTown, perm::Level::kVillage}) {
      if (Rank(l) > Rank(level)) break;
      if (auto p = repo::GetRegion(c, county, perm::AncestorAt(s.region.code, l)))
        d.path.push_back(*p);
    }
    if (child_level == perm::Level::kTown || child_level == perm::Level::kVillage) {
      if (child_level == ChildLevel(level)) {
        children = repo::Children(c, county, s.region.code);
      } else {  // villages of a county (the report's 村 sheet)
        for (auto& t : repo::Children(c, county, s.region.code))
          for (auto& v : repo::Children(c, county, t.code)) children.push_back(v);
      }
    }
    if (level == perm::Level::kCounty && s.unit_id.empty()) unit_names = repo::Units(c, county);
    // (place + its towns or villages + units) × months rows, whatever the history.
    rollups = ReadRollups(c, county, from, to, lo, hi);
  });
  std::map<std::string, size_t> child_index, unit_index;
  for (auto& p : children) {
    child_index[p.code] = d.children.size();
    d.children.push_back({p.code, p.name, p.level, {}});
  }
  auto unit_row = [&](const std::string& id) -> Row* {
    auto it = unit_index.find(id);
    if (it != unit_index.end()) return &d.units[it->second];
    auto n = unit_names.find(id);
    if (n == unit_names.end()) return nullptr;
    unit_index[id] = d.units.size();
    d.units.push_back({id, n->second, "unit", {}});
    return &d.units.back();
  };
  auto child_of = [&](const std::string& code) -> Row* {
    if (child_level == perm::Level::kInvalid || Rank(perm::LevelOf(code)) < Rank(child_level))
      return nullptr;
    auto it = child_index.find(perm::AncestorAt(code, child_level));
    return it == child_index.end() ? nullptr : &d.children[it->second];
  };
  // A period shows the last month's active people (a monthly figure), the sum of the rest.
  auto add = [&](Figures& f, const Rollup& x) {
    for (size_t i = 0; i < kRolledUp.size(); ++i) {
      if (!x.values[i] || (kRolledUp[i] == "people.active" && x.month != to)) continue;
      f.n[std::string(kRolledUp[i])] += x.values[i];
    }
  };
  for (auto& x : rollups) {
    if (x.scope == s.region.code) {
      if (x.unit == s.unit_id) {
        add(d.totals, x);
        if (auto mi = month_index.find(x.month); mi != month_index.end()) {
          auto& f = d.months[mi->second].second;
          for (size_t i = 0; i < kRolledUp.size(); ++i)
            if (x.values[i]) f.n[std::string(kRolledUp[i])] += x.values[i];
        }
      } else if (!unit_names.empty() && !x.unit.empty()) {
        if (Row* r = unit_row(x.unit)) add(r->f, x);
      }
    } else if (x.unit == s.unit_id && perm::LevelOf(x.scope) == child_level) {
      if (Row* r = child_of(x.scope)) add(r->f, x);
    }
  }
  // Requests: their own figures per dimension (filed month); a unit's are county-wide.
  auto add_req = [](Figures& f, const requests::Figures& r) {
    requests::repo::Accumulate(f.req, r);
  };
  std::string handler = s.unit_id.empty() ? "" : "unit:" + s.unit_id;
  if (!s.unit_id.empty()) {
    for (auto& r : requests_.RawStats(county, "unit", from, to)) {
      if (r.key != handler) continue;
      add_req(d.totals, r);
      if (auto mi = month_index.find(r.month); mi != month_index.end())
        add_req(d.months[mi->second].second, r);
    }
  } else {
    std::string dim = std::string(perm::LevelName(level));
    for (auto& r : requests_.RawStats(county, dim, from, to)) {
      if (r.key != s.region.code) continue;
      add_req(d.totals, r);
      if (auto mi = month_index.find(r.month); mi != month_index.end())
        add_req(d.months[mi->second].second, r);
    }
    if (child_level != perm::Level::kInvalid) {
      for (auto& r :
           requests_.RawStats(county, std::string(perm::LevelName(child_level)), from, to))
        if (perm::Within(s.region.code, r.key))
          if (Row* row = child_of(r.key)) add_req(row->f, r);
    }
    if (!unit_names.empty())
      for (auto& r : requests_.RawStats(county, "unit", from, to))
        if (r.key.rfind("unit:", 0) == 0)
          if (Row* row = unit_row(r.key.substr(5))) add_req(row->f, r);
  }
  std::map<std::string, int64_t> by_village;
  d.totals.overdue = requests_.OverdueNow(county, lo, hi, handler, &by_village);
  for (auto& row : d.children) row.f.overdue = 0;
  for (auto& [v, n] : by_village)
    if (Row* row = child_of(v)) *row->f.overdue += n;
  std::sort(d.units.begin(), d.units.end(),
            [](const Row& a, const Row& b) { return a.name < b.name; });
  d.rankings = Rankings(d);
  return d;
}

std::optional<Query> StatsService::Normalized(const Query& in) const {
  Query q = in;
  if (q.to.empty()) q.to = util::ShanghaiMonth(clock_.NowMs());
  if (!MonthOk(q.to)) return std::nullopt;
  if (q.from.empty()) q.from = AddMonths(q.to, -5);
  if (!MonthOk(q.from) || q.from > q.to || AddMonths(q.from, kMaxMonths - 1) < q.to)
    return std::nullopt;
  return q;
}

std::optional<std::string> StatsService::CacheKey(const perm::Principal& who,
                                                  const Query& q) const {
  View v = Decide(who, q);
  if (!v.ok || v.unit_needs_county) return std::nullopt;
  return who.county_id + "|" + q.region + "|" + q.from + "|" + q.to + "|" + v.unit;
}

std::optional<StatsService::Answer> StatsService::Cached(const perm::Principal& who,
                                                         const Query& in) {
  auto q = Normalized(in);
  if (!q) return std::nullopt;
  auto key = CacheKey(who, *q);
  if (!key) return std::nullopt;
  std::lock_guard lk(cache_mu_);
  auto it = cache_.find(*key);
  if (it == cache_.end() || it->second.generation != generation_.load() ||
      std::chrono::steady_clock::now() - it->second.at >= kCacheTtl)
    return std::nullopt;
  return it->second.answer;
}

StatsService::Answer StatsService::GetAnswer(const perm::Principal& who, const Query& in) {
  if (auto a = Cached(who, in)) return *a;
  auto q = Normalized(in);
  auto key = q ? CacheKey(who, *q) : std::nullopt;
  if (!key) {
    Get(who, in);  // throws the reason (422 or 404)
    throw Error::NotFound("No such place among yours");
  }
  // One computation per key and generation; others wait for it.
  std::promise<Answer> promise;
  int64_t gen = generation_.load();
  {
    std::unique_lock lk(cache_mu_);
    auto f = flights_.find(*key);
    if (f != flights_.end() && f->second.generation == gen) {
      auto result = f->second.result;
      lk.unlock();
      return result.get();
    }
    flights_[*key] = {gen, promise.get_future().share()};
  }
  auto finish = [&] {
    auto f = flights_.find(*key);
    if (f != flights_.end() && f->second.generation == gen) flights_.erase(f);
  };
  Answer a;
  try {
    Dashboard d = Get(who, in);
    auto text = std::make_shared<const std::string>(boost::json::serialize(DashboardJson(d)));
    a = {text, std::make_shared<const std::string>(http::Gzip(*text))};
  } catch (...) {
    promise.set_exception(std::current_exception());
    std::lock_guard lk(cache_mu_);
    finish();
    throw;
  }
  {
    std::lock_guard lk(cache_mu_);
    if (cache_.size() > 2000) cache_.clear();
    cache_[*key] = {gen, std::chrono::steady_clock::now(), a};
    finish();
  }
  promise.set_value(a);
  return a;
}

std::string StatsService::TableCsv(const perm::Principal& who, const Query& q,
                                   const std::string& table) {
  if (table != "months" && table != "children" && table != "units")
    throw Error::Field("table", "months, children or units");
  return TableCsvText(Get(who, q), table);
}

std::string StatsService::ReportXlsx(const perm::Principal& who, const std::string& region,
                                     const std::string& month) {
  if (!MonthOk(month)) throw Error::Field("month", "a month like 2026-11");
  Query q{region, month, month, ""};
  Scope s = Resolve(who, q);
  auto level = perm::LevelOf(s.region.code);
  Dashboard m = Compute(who.county_id, s, month, month, ChildLevel(level));
  Dashboard ytd =
      Compute(who.county_id, s, month.substr(0, 5) + "01", month, perm::Level::kInvalid);
  Dashboard villages = level == perm::Level::kCounty
                           ? Compute(who.county_id, s, month, month, perm::Level::kVillage)
                           : m;
  return ReportWorkbook(m, ytd, villages);
}

std::vector<std::string> StatsService::Counties() {
  return db_.ReadValue([&](db::Conn& c) { return repo::Counties(c); });
}

std::vector<RebuildReport> StatsService::Rebuild(const std::string& county) {
  std::vector<RebuildReport> out;
  db_.Write([&](db::Conn& c) {
    auto put = [&](const char* family, std::vector<Cell> cells) {
      auto d = Replace(c, county, family, std::move(cells));
      out.push_back({d.family, d.cells, d.differing});
    };
    put("notices", notices::NoticesService::RebuildCells(c, county));
    auto mc = meetings::MeetingsService::RebuildCells(c, county);
    std::vector<Cell> meetings_cells, trainings_cells;
    for (auto& x : mc)
      (x.metric.rfind("trainings.", 0) == 0 ? trainings_cells : meetings_cells).push_back(x);
    put("meetings", std::move(meetings_cells));
    put("trainings", std::move(trainings_cells));
    put("docs", docs::DocsService::RebuildCells(c, county));
    put("people", org::OrgService::RebuildCells(c, county));
    auto r = requests_.RebuildStats(c, county);
    out.push_back({"requests", r.rows, r.differing});
    auto rollups = RebuildRollups(c, county);  // from the cells just rebuilt
    out.push_back({rollups.family, rollups.cells, rollups.differing});
  });
  ++generation_;
  return out;
}

HistoryCounts StatsService::LoadDemoHistory(const std::string& county, double scale,
                                            uint64_t seed) {
  HistoryCounts h;
  if (scale <= 0) return h;
  bool any = db_.ReadValue([&](db::Conn& c) {
    return !Read(c, county, "0000-00", "9999-99", "", "999999999999", "notices").empty();
  });
  if (any) return h;
  auto places = org::LoadDemoPlaces(db_, county);
  if (places.villages.empty()) return h;
  auto n = [&](double base) { return static_cast<int64_t>(base * scale + 0.5); };
  h.notices = notices_.LoadDemoHistory(places, n(6000), seed, 180);
  h.meetings = n(1200);
  h.trainings = n(100);
  meetings_.LoadDemoHistory(places, h.meetings, h.trainings, seed + 1, 180);
  h.docs = docs_.LoadDemoHistory(places, n(2400), seed + 2, 180);
  h.requests = requests_.LoadDemoRequests(county, n(3000), seed + 3);
  h.joined = org_.LoadDemoHistory(county, 0.3 * std::min(scale, 1.0), seed + 4, 180);
  Rebuild(county);
  h.loaded = true;
  return h;
}

void StatsService::OnEvent(const events::Event& e) {
  if (e.type == "stats.changed") return;
  ++generation_;
  std::lock_guard lk(live_mu_);
  pending_.emplace(e.county_id, clock_.NowMs());
}

int StatsService::Tick() {
  int64_t now = clock_.NowMs();
  std::vector<std::string> due;
  {
    std::lock_guard lk(live_mu_);
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (now - announced_[it->first] >= kAnnounceEveryMs) {
        due.push_back(it->first);
        announced_[it->first] = now;
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& county : due) {
    std::string code = perm::AncestorAt(county + "000000", perm::Level::kCounty);
    std::vector<std::string> keys;
    for (auto* role : {"county_admin", "town_official", "village_cadre", "unit_staff"})
      keys.push_back(std::string("g:") + role + ":" + code);
    boost::json::object o{{"region", code}, {"at", util::IsoUtc(now)}};
    db_.Write([&](db::Conn& c) {
      events::Append(c, county, "stats.changed", keys, boost::json::serialize(o), now);
    });
  }
  if (!due.empty() && hub_) hub_->Kick();
  return static_cast<int>(due.size());
}

}  // namespace sx::stats
