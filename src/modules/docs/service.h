// Documents service: documents and forms in folders (a region, optionally a unit), access by
// owner, folder management scope and shares, versions and comments, images, the sync
// connections' admission, collection forms (send to an audience as a notice, answers with
// validation and sealed personal fields, results, exports, who is missing, reminders) and
// monthly figures.
//
// Rules: a caller with no role on a document gets NotFound (a form's audience may fill it but
// sees no other answers). Editing needs editor; sharing and deleting owner or manager;
// commenting commenter. Personal answers are revealed only with person.reveal in the folder's
// region, audited. Every change is audited in its transaction. Thread-safe.
#pragma once
#include <boost/json/fwd.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/db/db.h"
#include "core/events/hub.h"
#include "core/files/store.h"
#include "core/perm/perm.h"
#include "core/stats/counters.h"
#include "core/util/clock.h"
#include "core/ws/socket.h"
#include "modules/docs/model.h"
#include "modules/docs/sync.h"
#include "modules/notices/service.h"

namespace sx::docs {

using org::Caller;

struct DocInput {
  std::string kind = "doc", title, region_code, unit_id;
  std::optional<FormSpec> form;
};

struct DocPatch {
  std::optional<std::string> title;
  std::optional<FormSpec> form;
};

struct View {
  Doc doc;
  Role role = Role::kNone;
  std::vector<Share> shares;
};

struct ViewPage {
  std::vector<View> items;
  std::string next_cursor;
};

struct SendInput {
  notices::AudienceInput audience;
  std::optional<int64_t> deadline;
  bool sms = false;
};

struct MyForm {
  Doc doc;
  std::optional<int64_t> submitted_at;
};

// A response as shown: answers with personal fields masked or revealed.
struct ResponseView {
  FormResponse r;
  std::string answers_json;  // the answers as shown, a JSON object
};

struct ResponsePage {
  FormSpec form;
  std::vector<ResponseView> items;
  std::string next_cursor;
  int64_t total = 0;
};

struct FormStats {
  int64_t audience = 0, responses = 0;
  std::vector<std::pair<std::string, int64_t>> by_day;
  struct Village {
    std::string code, name;
    int64_t audience = 0, responses = 0;
  };
  std::vector<Village> by_village;
  std::string choices_json;  // {fieldId: {option: count}}
};

struct Missing {
  int64_t total = 0;
  std::vector<notices::UnreadPerson> items;
};

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct ServiceOptions {
  size_t max_audience = 20000;  // members listed for "who is missing" and counts by village
  int64_t remind_interval_ms = 10 * 60 * 1000;
  SyncOptions sync;
};

std::string_view RoleName(Role r);

class DocsService {
 public:
  DocsService(db::Database& db, notices::NoticesService& notices, files::Store& files,
              const auth::Protector& pii, events::Hub* hub, const util::Clock& clock,
              ServiceOptions opts = {});

  View Create(const Caller& c, const DocInput& in);
  ViewPage List(const perm::Principal& who, const std::string& kind, const std::string& region,
                const std::string& unit, const std::string& q, const std::string& cursor,
                int limit);
  View Get(const perm::Principal& who, const std::string& id);
  View Update(const Caller& c, const std::string& id, const DocPatch& p);
  void Delete(const Caller& c, const std::string& id);
  View SetShares(const Caller& c, const std::string& id, std::vector<Share> shares);

  std::vector<Version> Versions(const perm::Principal& who, const std::string& id);
  Version SaveVersion(const Caller& c, const std::string& id, const std::string& name);
  std::string VersionUpdate(const perm::Principal& who, const std::string& id,
                            const std::string& version);

  std::vector<Comment> Comments(const perm::Principal& who, const std::string& id);
  Comment AddComment(const Caller& c, const std::string& id, const std::string& quote,
                     const std::string& body, const std::vector<std::string>& mentions);
  Comment Resolve(const Caller& c, const std::string& id, const std::string& comment,
                  bool resolved);

  files::File Upload(const Caller& c, const std::string& id, std::string_view bytes);
  std::pair<files::File, std::string> Download(const perm::Principal& who, const std::string& id,
                                               const std::string& file);

  // The handler for a /yjs/{id} connection (refusals close with 4401/4404).
  std::unique_ptr<ws::SocketHandler> Connect(const std::optional<perm::Principal>& who,
                                             const std::string& id);
  SyncHub& sync() { return sync_; }

  View Send(const Caller& c, const std::string& id, const SendInput& in);
  View Close(const Caller& c, const std::string& id);
  std::vector<MyForm> MyForms(const perm::Principal& who, int64_t offset, int limit);
  // The form for filling, and the caller's (or household's) response.
  std::pair<View, std::optional<ResponseView>> MyResponse(const perm::Principal& who,
                                                          const std::string& id);
  ResponseView Submit(const Caller& c, const std::string& id, const boost::json::value& answers);
  ResponsePage Responses(const Caller& c, const std::string& id, bool reveal,
                         const std::string& cursor, int limit);
  Table Export(const Caller& c, const std::string& id, bool reveal, View* form);
  FormStats Stats(const perm::Principal& who, const std::string& id);
  Missing MissingPeople(const perm::Principal& who, const std::string& id, size_t limit);
  int64_t Remind(const Caller& c, const std::string& id);

  // Demo content for a county without documents: a few documents and a draft form in the first
  // village cadre's village. Returns how many it created.
  int LoadDemo(const std::string& county);
  // Demo history (`shuxiang demo`): `count` documents (one in ten a closed form with responses)
  // created over the `days` before now in village, town and unit folders, some edited again in a
  // later month. Writes no counters (the caller rebuilds them). Deterministic for a seed.
  int64_t LoadDemoHistory(const org::DemoPlaces& places, int64_t count, uint64_t seed,
                          int64_t days);
  // `shuxiang stats rebuild`: the "docs" counters recomputed from the documents' tables.
  static std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county);

  std::vector<Figure> Figures(const perm::Principal& who, const std::string& from_month,
                              const std::string& to_month, const std::string& group);

 private:
  Role RoleOf(const perm::Principal& who, const std::vector<std::string>& regions, const Doc& d,
              const std::vector<Share>& shares) const;
  // The caller's places: their village (if registered) and their grants' scopes.
  std::vector<std::string> RegionsOf(db::Conn& c, const perm::Principal& who) const;
  View Visible(const perm::Principal& who, const std::string& id);
  View Need(const perm::Principal& who, const std::string& id, Role at_least);
  // Visible, or a form the caller may fill (role kNone); NotFound otherwise.
  View Reachable(const perm::Principal& who, const std::string& id);
  // Audience members as respondents (one per household for per-household forms), keyed as
  // responses are ("h:", "p:" or "a:" + id).
  static std::vector<std::pair<std::string, notices::UnreadPerson>> Respondents(
      std::vector<notices::UnreadPerson> people, const Doc& d);
  // The respondent key for the caller on a form (person or household), and the person.
  struct Respondent {
    std::string key, person_id, name, household_id, village_code;
  };
  Respondent RespondentFor(db::Conn& c, const perm::Principal& who, const Doc& d);
  bool InAudience(const perm::Principal& who, const Doc& d);
  ResponseView Show(const Doc& d, const FormResponse& r, bool reveal) const;
  std::vector<std::string> ManagerKeys(const Doc& d) const;

  db::Database& db_;
  notices::NoticesService& notices_;
  files::Store& files_;
  const auth::Protector& pii_;
  events::Hub* hub_;
  const util::Clock& clock_;
  ServiceOptions opts_;
  SyncHub sync_;
};

}  // namespace sx::docs
