// Requests service (接诉即办): filing (by a villager, or a cadre for one), routing by the county's
// catalogue, the lifecycle 受理 → 派单 → 签收 → 办理 → 办结 → 回访/评价 with deadlines, automatic
// escalation (village → town → county), transfer, return, merge, "me too", the reporter's
// confirmation and rating, a follow-up four weeks after closing, and 三率 figures kept
// incrementally.
//
// Visibility: the reporter; whoever currently handles it; supervisors of its place (town
// officials, county admins); cadres of its village — except for a request about a cadre, which the
// village never sees. A public request is visible to every signed-in member of the county,
// anonymised. Everyone else gets NotFound. Every step is audited and timestamped in its
// transaction and announced on the live channel. Thread-safe.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/db/db.h"
#include "core/events/hub.h"
#include "core/files/store.h"
#include "core/perm/perm.h"
#include "core/util/clock.h"
#include "modules/org/service.h"
#include "modules/requests/model.h"
#include "modules/requests/repo.h"

namespace sx::requests {

using org::Caller;

struct FileInput {
  std::string category, description, village_code, address, coord = "wgs84", on_behalf_of;
  std::optional<double> lat, lng;
  bool is_public = false;
  std::vector<std::string> photos;
  std::string channel = "app";
  // Filed by an Open311 partner (no account): the reporter's name as given, the village code.
  std::string partner, reporter_name;
};

struct Page {
  std::vector<Request> items;
  std::string next_cursor;
};

struct MetricRow {
  std::string key, name;
  int64_t filed = 0, signed_in_time = 0, finished = 0, resolved = 0, unresolved = 0, rated = 0,
          satisfied = 0;
  double response_rate = 0, resolve_rate = 0, satisfaction_rate = 0;
  std::optional<double> median_sign_hours, median_finish_hours;
  std::optional<int64_t> rank;  // by the three rates, only with at least min_cases filed
};

class RequestsService {
 public:
  static constexpr int64_t kFollowupAfterMs = 28LL * 24 * 3600 * 1000;
  static constexpr int64_t kAutoConfirmAfterMs = 7LL * 24 * 3600 * 1000;

  RequestsService(db::Database& db, files::Store& files, events::Hub* hub,
                  const util::Clock& clock);

  // Catalogue
  std::vector<Category> Categories(const perm::Principal& who);
  Category PutCategory(const Caller& c, const Category& in);
  // Routes a category to another handler in one town or village ("" removes the override).
  void PutRoute(const Caller& c, const std::string& category, const std::string& region,
                const std::string& handler);
  // The overrides of a category: region code → handler.
  std::vector<std::pair<std::string, std::string>> Routes(const perm::Principal& who,
                                                          const std::string& category);
  // Loads the demo catalogue for a county that has none (from seed/); returns categories added.
  int LoadDemoCatalogue(const std::string& county);

  // Synthetic requests for the demo county and for `make bench`: `count` requests spread over
  // the six months before now, in random villages and categories, in every state, with their
  // timelines and figures. Deterministic for a seed. Returns how many were written.
  int64_t LoadDemoRequests(const std::string& county, int64_t count, uint64_t seed);

  files::File UploadPhoto(const Caller& c, const std::string& name, std::string_view bytes);
  // A photo and its bytes, if the caller may see its request (or uploaded it and it is unused).
  std::pair<files::File, std::string> Photo(const perm::Principal& who, const std::string& id);

  Request File(const Caller& c, const FileInput& in);
  Request Get(const perm::Principal& who, const std::string& id);
  // scope: "mine" (filed by me), "todo" (routed to my office), "all" (places I supervise).
  Page List(const perm::Principal& who, const std::string& scope, const std::string& status,
            const std::string& village, const std::string& category, const std::string& cursor,
            int limit);
  // Public requests for Open311 readers (no session), newest first.
  std::vector<Request> PublicRequests(const std::string& county, repo::ListFilter f);
  Page Board(const perm::Principal& who, const std::string& village, const std::string& cursor,
             int limit);

  Request Sign(const Caller& c, const std::string& id);
  Request Progress(const Caller& c, const std::string& id, const std::string& note,
                   const std::vector<std::string>& photos);
  Request Finish(const Caller& c, const std::string& id, const std::string& outcome,
                 const std::string& note, const std::vector<std::string>& photos);
  Request Confirm(const Caller& c, const std::string& id, bool fixed, const std::string& note);
  Request Rate(const Caller& c, const std::string& id, int64_t rating, const std::string& comment);
  Request Followup(const Caller& c, const std::string& id, bool still_fixed);
  Request Transfer(const Caller& c, const std::string& id, const std::string& handler,
                   const std::string& reason);
  Request Return(const Caller& c, const std::string& id, const std::string& reason);
  Request Dispatch(const Caller& c, const std::string& id, const std::string& handler,
                   const std::string& note);
  Request Merge(const Caller& c, const std::string& id, const std::string& into,
                const std::string& note);
  Request Metoo(const Caller& c, const std::string& id);
  // An Open311 partner's update to a public request (servicerequestupdates): a note on the
  // timeline; "REOPEN"/"OPEN" reopens a finished or closed one. Returns the step's seq.
  int64_t PartnerUpdate(const std::string& county, const std::string& partner_name,
                        const std::string& id, const std::string& status,
                        const std::string& description);

  // group: county, unit, town, village, category, month. Rows below min_cases get no rank.
  std::vector<MetricRow> Metrics(const perm::Principal& who, const std::string& from,
                                 const std::string& to, const std::string& group,
                                 int64_t min_cases);

  // For the dashboard (modules/stats), without permission checks: the stored figures of one
  // dimension for months [from, to]; requests overdue now in villages [lo, hi] (handled by
  // `handler`, e.g. "unit:<id>", unless empty).
  std::vector<Figures> RawStats(const std::string& county, const std::string& dim,
                                const std::string& from, const std::string& to);
  // The median hours of a duration histogram (buckets as in request_stats), nullopt if empty.
  static std::optional<double> MedianHours(const std::vector<int64_t>& hist);
  int64_t OverdueNow(const std::string& county, const std::string& lo, const std::string& hi,
                     const std::string& handler, std::map<std::string, int64_t>* by_village);
  // `shuxiang stats rebuild`: request_stats recomputed from the ledger, in c's transaction.
  repo::RebuildResult RebuildStats(db::Conn& c, const std::string& county);

  // Escalates overdue steps, auto-confirms fixes the reporter never answered, asks follow-ups.
  // Returns how many requests it touched. The module's worker calls it; tests call it on a fake
  // clock.
  int Tick();

 private:
  Request Load(const perm::Principal& who, const std::string& id, bool for_write);
  // r with its timeline, photos and the caller's view (no visibility check).
  Request Detail(const perm::Principal& who, Request r);
  void Fill(const perm::Principal& who, Request& r);
  bool Visible(const perm::Principal& who, const Request& r) const;
  bool Handles(const perm::Principal& who, const Request& r) const;
  bool Supervises(const perm::Principal& who, const std::string& village) const;
  // "village" / "town" / "county" / "unit:<id>" / a concrete handler → concrete handler + name.
  std::pair<std::string, std::string> Resolve(db::Conn& c, const std::string& county,
                                              const std::string& handler,
                                              const std::string& village, bool about_cadre);
  void Step(db::Conn& c, const std::string& county, const Caller* by, Request& r,
            const std::string& kind, const std::string& note, int64_t now);
  // Adds d to the figures of every dimension of r (county, unit, town, village, category).
  void Stats(db::Conn& c, const std::string& county, const Request& r, const repo::StatDelta& d);
  void Announce(db::Conn& c, const std::string& county, const Request& r, const std::string& type,
                std::vector<std::string> keys);
  std::vector<std::string> HandlerKeys(const std::string& county, const std::string& handler) const;
  std::vector<std::string> SupervisorKeys(const std::string& county, const Request& r) const;
  Request Transition(const Caller& c, const std::string& id,
                     const std::function<void(db::Conn&, Request&, int64_t)>& fn);

  db::Database& db_;
  files::Store& files_;
  events::Hub* hub_;
  const util::Clock& clock_;
};

}  // namespace sx::requests
