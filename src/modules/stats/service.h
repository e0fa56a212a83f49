// The county dashboard (驾驶舱): the figures a county reports upward — notices, meetings and
// trainings, documents and forms, villagers' requests (三率), people joined and active — for a
// place (county, town or village) or a unit and a period of months, with a breakdown by month,
// by the place's towns or villages and by unit, and rankings under the minimum-case rule.
//
// Figures come from monthly counters the modules keep as things happen (core/stats/counters.h,
// and the requests module's request_stats), never from scanning items, so the cost depends on
// places × months, not on history. Answers are cached per (place, period, unit) and invalidated
// by any live event (and after 30 s, for counters that change without one); a `stats.changed`
// live event tells dashboards to reload, at most every 2 s per county.
//
// Access: `stats.view` with a scope containing the place (county admins, town officials, village
// cadres), optionally narrowed to a unit at the county; unit staff see their own unit's figures
// at the county only. Anything else is 404.
#pragma once
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/db/db.h"
#include "core/events/hub.h"
#include "core/perm/perm.h"
#include "core/util/clock.h"
#include "modules/docs/service.h"
#include "modules/meetings/service.h"
#include "modules/notices/service.h"
#include "modules/requests/service.h"
#include "modules/stats/model.h"

namespace sx::stats {

struct Query {
  std::string region, from, to, unit;  // from/to "YYYY-MM"; empty: the last six months
};

struct HistoryCounts {
  int64_t notices = 0, meetings = 0, trainings = 0, docs = 0, requests = 0, joined = 0;
  bool loaded = false;  // false: the county already had activity
};

class StatsService {
 public:
  StatsService(db::Database& db, org::OrgService& org, notices::NoticesService& notices,
               requests::RequestsService& requests, meetings::MeetingsService& meetings,
               docs::DocsService& docs, events::Hub* hub, const util::Clock& clock);

  // The dashboard for the caller (see the header comment for access). 422 for a malformed or
  // reversed period or one over 24 months; 404 for a place or unit outside the caller's scope.
  Dashboard Get(const perm::Principal& who, const Query& q);
  // The same as JSON text and its gzip encoding, from the cache when nothing changed since it was
  // computed; concurrent callers of one uncached dashboard wait for a single computation.
  struct Answer {
    std::shared_ptr<const std::string> json, gzip;
  };
  Answer GetAnswer(const perm::Principal& who, const Query& q);
  // The cached answer, without touching the database (nullopt: not cached, or not valid).
  std::optional<Answer> Cached(const perm::Principal& who, const Query& q);
  // One table of the dashboard as CSV (UTF-8 with BOM): months, children or units.
  std::string TableCsv(const perm::Principal& who, const Query& q, const std::string& table);
  // The monthly report (XLSX): sheets 汇总 (the month and the year to date), 乡镇, 村, 单位.
  std::string ReportXlsx(const perm::Principal& who, const std::string& region,
                         const std::string& month);

  // `shuxiang stats rebuild`: recomputes every family of counters of a county from the modules'
  // tables in one transaction and replaces them; reports what differed.
  std::vector<RebuildReport> Rebuild(const std::string& county);
  std::vector<std::string> Counties();

  // Demo history (`shuxiang demo`): half a year of activity at the source article's scale × scale
  // (6,000 notices, 1,200 meetings, 100 trainings, 2,400 documents, 3,000 requests; three in ten
  // residents with a phone joined, at most), then the counters rebuilt. Skipped when the county
  // already has published notices.
  HistoryCounts LoadDemoHistory(const std::string& county, double scale, uint64_t seed);

  // Live: sees every dispatched event (a hub tap); Tick (the module's worker) announces
  // `stats.changed` to the county's staff when figures moved.
  void OnEvent(const events::Event& e);
  int Tick();

 private:
  struct Scope {
    Place region;
    std::string unit_id, unit_name;
  };
  Scope Resolve(const perm::Principal& who, const Query& q);
  // Who may see what, from the caller's grants alone: full access (stats.view over the place)
  // with an optional unit, which needs the county as the place; unit staff their own unit's
  // figures at the county.
  struct View {
    bool ok = false, unit_needs_county = false;
    std::string unit;
  };
  static View Decide(const perm::Principal& who, const Query& q);
  // The query with its default period, if valid (nullopt otherwise: Get says why).
  std::optional<Query> Normalized(const Query& q) const;
  // The cache key of a normalized query for this caller, from its grants alone (nullopt: the
  // caller may not see the place).
  std::optional<std::string> CacheKey(const perm::Principal& who, const Query& q) const;
  Dashboard Compute(const std::string& county, const Scope& s, const std::string& from,
                    const std::string& to, perm::Level child_level);

  db::Database& db_;
  org::OrgService& org_;
  notices::NoticesService& notices_;
  requests::RequestsService& requests_;
  meetings::MeetingsService& meetings_;
  docs::DocsService& docs_;
  events::Hub* hub_;
  const util::Clock& clock_;

  std::atomic<int64_t> generation_{0};
  struct Entry {
    int64_t generation = 0;
    std::chrono::steady_clock::time_point at;
    Answer answer;
  };
  struct Flight {
    int64_t generation = 0;
    std::shared_future<Answer> result;
  };
  std::mutex cache_mu_;
  std::map<std::string, Entry> cache_;     // guarded by cache_mu_
  std::map<std::string, Flight> flights_;  // computations under way; guarded by cache_mu_
  std::mutex live_mu_;
  std::map<std::string, int64_t> pending_;    // county → first unannounced change (ms); guarded
  std::map<std::string, int64_t> announced_;  // county → last announcement (ms); guarded
};

}  // namespace sx::stats
