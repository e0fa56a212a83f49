// Notices service: compose and publish to an audience within the publisher's scope, the inbox
// of every recipient, reads and receipts, follow-up (figures, the unread list, households nobody
// in which has read an urgent notice, reminders), edits with revision notes, withdrawal, SMS for
// people who never signed up, and monthly figures for the dashboard.
//
// Rules: a caller who is neither a recipient nor a manager of a notice gets NotFound; an audience
// entry outside the publisher's scope or unknown gets a 422 naming it; every state change is
// audited in its transaction, and announced to recipients through the event log (live push).
// Thread-safe.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/auth/pii.h"
#include "core/db/db.h"
#include "core/events/hub.h"
#include "core/files/store.h"
#include "core/perm/perm.h"
#include "core/sms/sms.h"
#include "core/util/clock.h"
#include "modules/notices/model.h"
#include "modules/notices/repo.h"
#include "modules/org/demo.h"
#include "modules/org/service.h"

namespace sx::notices {

using org::Caller;

struct AudienceInput {
  std::vector<std::string> regions, units, households, people;
  std::vector<std::pair<std::string, std::string>> roles;  // (role, region code)
};

struct NoticeInput {
  std::string title, body, category = "other", urgency = "normal";
  AudienceInput audience;
  bool receipt_required = false;
  std::optional<int64_t> receipt_deadline, publish_at, expires_at;
  std::vector<std::string> attachments;
  std::string unit_id;  // publish as this unit (the caller must be its staff)
  bool sms = false;
};

struct NoticePatch {
  std::optional<std::string> title, body;
  std::optional<std::optional<int64_t>> receipt_deadline, expires_at;
  std::optional<std::vector<std::string>> attachments;
  std::string revision_note;
};

struct Preview {
  int64_t audience_size = 0, sms_recipients = 0, sms_cost_fen = 0;
};

struct UnreadPage {
  std::vector<UnreadPerson> items;
  std::string next_cursor;
};

struct ServiceOptions {
  int64_t sms_price_fen = 5;                    // per 70-character segment
  int64_t remind_interval_ms = 10 * 60 * 1000;  // at most one reminder per notice per interval
  std::string sms_signature = "【数乡】";
};

class NoticesService {
 public:
  NoticesService(db::Database& db, const auth::Protector& pii, files::Store& files,
                 events::Hub* hub, sms::Gateway& sms, const util::Clock& clock,
                 ServiceOptions opts = {});

  // The audience keys a principal answers to (see core/events/log.h), for the inbox and for
  // live events. Cached for a few seconds per account.
  std::vector<std::string> KeysFor(const perm::Principal& who);
  // Drops the cached keys of an account (its grants or village changed).
  void ForgetKeys(const std::string& account_id);

  // Work another module does in the same transaction as a publish, edit or withdrawal (a
  // meeting's invitation): it sees the notice and the audience keys its events go to.
  using InTransaction =
      std::function<void(db::Conn&, const Notice&, const std::vector<std::string>& keys)>;

  Notice Publish(const Caller& c, const NoticeInput& in, const InTransaction& also = {});
  Preview PreviewAudience(const perm::Principal& who, const AudienceInput& a, bool sms,
                          const std::string& unit_id);
  std::vector<Notice> ListManaged(const perm::Principal& who, const std::string& status,
                                  const std::string& q, int64_t offset, int limit);
  Notice Get(const perm::Principal& who, const std::string& id);
  Notice Update(const Caller& c, const std::string& id, const NoticePatch& p,
                const InTransaction& also = {});
  Notice Withdraw(const Caller& c, const std::string& id, const std::string& reason,
                  const InTransaction& also = {});
  // Everyone in a notice's audience (people of the targeted places, households and roles, and
  // staff without a person record), in village and pinyin order; at most max_rows.
  std::vector<UnreadPerson> Members(db::Conn& c, const std::string& county, const Notice& n,
                                    size_t max_rows);

  InboxPage Inbox(const perm::Principal& who, const std::string& category, const std::string& q,
                  int64_t offset, int limit);
  // The inbox rendered by `render`, reused while nothing it shows has changed: the county's
  // notices version, the caller's reads and keys are checked on every call (one single-statement
  // read), and an entry lives at most 5 s (expiry times). Searches (q) are never cached.
  std::shared_ptr<const std::string> InboxRendered(
      const perm::Principal& who, const std::string& category, const std::string& q, int64_t offset,
      int limit, const std::function<std::string(const InboxPage&)>& render);
  // Marks read (idempotent); returns read_at.
  int64_t MarkRead(const perm::Principal& who, const std::string& id);
  // Confirms the receipt (idempotent); returns {read_at, confirmed_at}.
  std::pair<int64_t, int64_t> Confirm(const Caller& c, const std::string& id);

  Stats GetStats(const perm::Principal& who, const std::string& id);
  UnreadPage Unread(const perm::Principal& who, const std::string& id, const std::string& village,
                    const std::string& cursor, int limit);
  // Every unread member (for exports), in list order; at most max_rows.
  std::vector<UnreadPerson> AllUnread(const Caller& c, const std::string& id, size_t max_rows,
                                      Notice* notice);
  std::vector<HouseholdRow> Households(const perm::Principal& who, const std::string& id,
                                       const std::string& village, bool none_read_only);
  // Pushes a reminder to the unread (or to the listed people); returns how many it addressed.
  int64_t Remind(const Caller& c, const std::string& id, const std::vector<std::string>& person_ids,
                 int64_t* at);

  files::File Upload(const Caller& c, const std::string& name, std::string_view bytes);
  // The file and its bytes, if the caller may see it (its uploader, or who may see its notice).
  std::pair<files::File, std::string> Download(const perm::Principal& who, const std::string& id);

  std::vector<Figure> Figures(const perm::Principal& who, const std::string& from_month,
                              const std::string& to_month, const std::string& group);

  // Demo history (`shuxiang demo`): `count` notices published over the `days` before now — three
  // in five by village committees to their residents (with reads and receipts), the rest by
  // towns, the county and units to the village cadres of their area. Writes no counters (the
  // caller rebuilds them). Deterministic for a seed. Returns how many were written.
  int64_t LoadDemoHistory(const org::DemoPlaces& places, int64_t count, uint64_t seed,
                          int64_t days);
  // `shuxiang stats rebuild`: the "notices" counters recomputed from notices and reads.
  static std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county) {
    return repo::RebuildCells(c, county);
  }

  // Background work (the module's worker calls these): publishes scheduled notices that are due
  // and sends pending SMS batches. Each returns how many it handled.
  int PublishDue();
  int SendPendingSms();

 private:
  struct Publisher {
    std::string scope, label, unit_id;
  };
  Publisher PublisherFor(const perm::Principal& who, const std::string& unit_id);
  Audience ResolveAudience(db::Conn& c, const perm::Principal& who, const Publisher& pub,
                           const AudienceInput& in);
  std::vector<std::string> TargetKeys(const Audience& a);
  bool CanManage(const perm::Principal& who, const Notice& n) const;
  // The notice if the caller manages it; NotFound (audited) otherwise.
  Notice Managed(const perm::Principal& who, const std::string& id);
  std::string ReaderId(const perm::Principal& who) const;
  void Announce(db::Conn& c, const std::string& county, const Notice& n, const std::string& type,
                const std::vector<std::string>& keys);

  db::Database& db_;
  const auth::Protector& pii_;
  files::Store& files_;
  events::Hub* hub_;
  sms::Gateway& sms_;
  const util::Clock& clock_;
  ServiceOptions opts_;

  // The county's live notice headers by target key, rebuilt when the notices version moves.
  struct InboxIndex {
    int64_t version = -1;
    std::vector<repo::LiveHeader> headers;
    std::unordered_map<std::string, std::vector<uint32_t>> by_key;
  };
  std::shared_ptr<const InboxIndex> IndexFor(const std::string& county, int64_t version);
  std::mutex index_mu_;    // guards index_
  std::mutex rebuild_mu_;  // one rebuild at a time
  std::unordered_map<std::string, std::shared_ptr<const InboxIndex>> index_;

  // Inbox page for the given reader state; `signature` identifies what it depends on.
  InboxPage InboxFromIndex(const perm::Principal& who, const std::vector<std::string>& keys,
                           const repo::ReaderState& st, const std::string& category, int64_t offset,
                           int limit, uint64_t* signature);
  struct RenderedInbox {
    uint64_t signature;
    std::chrono::steady_clock::time_point expires;
    std::shared_ptr<const std::string> body;
  };
  std::mutex rendered_mu_;
  std::unordered_map<std::string, RenderedInbox> rendered_;  // account + query; rendered_mu_

  // Whether to tell the notice's managers that its figures moved (at most every 3 s per notice
  // per instance; their pages also refresh on a timer).
  bool ProgressDue(const std::string& notice_id, int64_t now);
  void AnnounceProgress(db::Conn& c, const std::string& county, const Notice& n);
  std::mutex progress_mu_;
  std::unordered_map<std::string, int64_t> progress_at_;  // guarded by progress_mu_

  struct CachedKeys {
    std::vector<std::string> keys;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex keys_mu_;
  std::unordered_map<std::string, CachedKeys> keys_;  // by account id; guarded by keys_mu_
};

}  // namespace sx::notices
