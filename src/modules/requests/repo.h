// Requests persistence: every SQL statement of the module. Reads org's directory tables
// (regions, units, grants) read-only to name places and handlers (see docs/decisions/0003).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/db/db.h"
#include "modules/requests/model.h"

namespace sx::requests::repo {

// Catalogue
std::vector<Category> Categories(db::Conn& c, const std::string& county, bool active_only);
std::optional<Category> GetCategory(db::Conn& c, const std::string& county,
                                    const std::string& code);
void UpsertCategory(db::Conn& c, const std::string& county, const Category& cat);
int64_t CountCategories(db::Conn& c, const std::string& county);
// The handler override for a category at the most specific of these places (village, town).
std::optional<std::string> RouteFor(db::Conn& c, const std::string& county,
                                    const std::string& category, const std::string& village,
                                    const std::string& town);
std::vector<std::pair<std::string, std::string>> Routes(db::Conn& c, const std::string& county,
                                                        const std::string& category);
void SetRoute(db::Conn& c, const std::string& county, const std::string& category,
              const std::string& region, const std::string& handler);

// Names
std::string RegionName(db::Conn& c, const std::string& county, const std::string& code);
std::optional<std::pair<std::string, std::string>> UnitNameRegion(db::Conn& c,
                                                                  const std::string& county,
                                                                  const std::string& id);

// Every region's and unit's name in the county (hundreds of rows: for naming figure rows).
std::map<std::string, std::string> Names(db::Conn& c, const std::string& county);

// Requests
std::string NextNumber(db::Conn& c, const std::string& county, const std::string& day);
void Insert(db::Conn& c, const std::string& county, const Request& r);
std::optional<Request> Get(db::Conn& c, const std::string& county, const std::string& id);
// Writes every mutable column of r.
void Update(db::Conn& c, const std::string& county, const Request& r);
void AddStep(db::Conn& c, const std::string& county, const std::string& request_id, const Step& s);
std::vector<Step> Steps(db::Conn& c, const std::string& county, const std::string& request_id);
bool AddMetoo(db::Conn& c, const std::string& county, const std::string& request_id,
              const std::string& account, int64_t at);
bool HasMetoo(db::Conn& c, const std::string& county, const std::string& request_id,
              const std::string& account);

struct ListFilter {
  std::string reporter;               // mine
  std::vector<std::string> handlers;  // todo: current handler in these
  std::vector<std::pair<std::string, std::string>> village_ranges;  // supervised places
  // Open requests escalated to a level within a place: (level, [lo, hi]) — supervisors' to-do.
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> escalated;
  bool public_only = false;  // the board
  std::string village, category, status;
  // Open311 filters: ids, categories (service codes), a creation window, "open" / "closed".
  std::vector<std::string> ids, categories;
  int64_t created_from = 0, created_to = 0;
  std::string open_state;
  int64_t before_created = 0;  // cursor: created_at < this (0: none)
  std::string before_id;
  int limit = 20;
};
std::vector<Request> List(db::Conn& c, const std::string& county, const ListFilter& f);

// Overdue steps (for escalation) and due follow-ups / auto-confirmations, all counties.
std::vector<std::pair<std::string, std::string>> OverdueSign(db::Conn& c, int64_t now, int limit);
std::vector<std::pair<std::string, std::string>> OverdueFinish(db::Conn& c, int64_t now, int limit);
std::vector<std::pair<std::string, std::string>> AwaitingConfirmSince(db::Conn& c, int64_t before,
                                                                      int limit);
std::vector<std::pair<std::string, std::string>> FollowupDue(db::Conn& c, int64_t now, int limit);

// Figures: adds deltas to the row of (month, dim, key); histograms add one to a bucket.
struct StatDelta {
  int64_t filed = 0, signed_ = 0, signed_in_time = 0, finished = 0, finished_in_time = 0,
          resolved = 0, unresolved = 0, rated = 0, satisfied = 0, rating_sum = 0;
  int sign_bucket = -1, finish_bucket = -1;
};
void AddStats(db::Conn& c, const std::string& county, const std::string& month,
              const std::string& dim, const std::string& key, const StatDelta& d);
// Adds whole figures (counts and histograms) to a row: for bulk loads.
void AddFigures(db::Conn& c, const std::string& county, const Figures& f, const std::string& dim);
std::vector<Figures> ReadStats(db::Conn& c, const std::string& county, const std::string& dim,
                               const std::string& from_month, const std::string& to_month);

// Adds d's counts and histograms to into.
void Accumulate(Figures& into, const Figures& d);
// The ledger of figures (request_stat_entries): every delta added to request_stats, with the
// dimension keys it went to (dims: (dim, key) pairs), so the figures can be summed up again.
void AddEntry(db::Conn& c, const std::string& county, const std::string& request_id,
              const std::vector<std::pair<std::string, std::string>>& dims, const Figures& d);
struct RebuildResult {
  int64_t rows = 0, differing = 0;
};
// Recomputes request_stats of a county from the ledger and replaces it; reports the rows that
// differed.
RebuildResult RebuildStats(db::Conn& c, const std::string& county);
// Requests past their sign or finish deadline now, in villages [lo, hi] (and with that handler,
// e.g. "unit:<id>", unless empty); per village if asked.
int64_t OverdueNow(db::Conn& c, const std::string& county, int64_t now, const std::string& lo,
                   const std::string& hi, const std::string& handler,
                   std::map<std::string, int64_t>* by_village);

// How many requests the county has (demo numbering).
int64_t CountRequests(db::Conn& c, const std::string& county);

}  // namespace sx::requests::repo
