// Notices persistence: every SQL statement of the module. Reads org's directory tables (people,
// households, accounts, grants, units, regions) read-only to resolve audiences — see
// docs/decisions/0003-notices-audience.md — and never writes them.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/db/db.h"
#include "core/stats/counters.h"
#include "modules/notices/model.h"

namespace sx::notices::repo {

// Directory lookups for validating an audience.
struct RegionRow {
  std::string code, name, level, parent_code;
  int64_t people_count = 0;
};
std::optional<RegionRow> Region(db::Conn& c, const std::string& county, const std::string& code);
struct UnitRow {
  std::string id, name, region_code;
  bool active = false;
};
std::optional<UnitRow> Unit(db::Conn& c, const std::string& county, const std::string& id);
struct HouseholdInfo {
  std::string id, village_code, head_name, village_name;
};
std::optional<HouseholdInfo> Household(db::Conn& c, const std::string& county,
                                       const std::string& id);
struct PersonRow {
  std::string id, name, village_code, household_id;
  bool active = false;
};
std::optional<PersonRow> Person(db::Conn& c, const std::string& county, const std::string& id);

// Audience arithmetic (all exact, none expands the audience into rows).
int64_t CountAudience(db::Conn& c, const std::string& county, const Audience& a);
// People in the audience who have no account (never signed up) and have a phone on file.
struct SmsRecipient {
  std::string person_id, phone_sealed, phone_masked;
};
std::vector<SmsRecipient> SmsRecipients(db::Conn& c, const std::string& county, const Audience& a,
                                        const std::string& after_id, int limit);
int64_t CountSmsRecipients(db::Conn& c, const std::string& county, const Audience& a);

// Notices
void Insert(db::Conn& c, const std::string& county, const Notice& n,
            const std::vector<std::string>& target_keys);
std::optional<Notice> Get(db::Conn& c, const std::string& county, const std::string& id);
void UpdateContent(db::Conn& c, const std::string& county, const Notice& n);
void SetWithdrawn(db::Conn& c, const std::string& county, const std::string& id, int64_t at,
                  const std::string& reason);
void SetPublished(db::Conn& c, const std::string& county, const std::string& id, int64_t at);
void SetReminded(db::Conn& c, const std::string& county, const std::string& id, int64_t at);
void SetSms(db::Conn& c, const std::string& county, const std::string& id,
            const std::string& status, int64_t sent_delta, int64_t cost_delta);
std::vector<std::string> TargetKeys(db::Conn& c, const std::string& county, const std::string& id);
// Whether any of keys is a target of the notice.
bool IsRecipient(db::Conn& c, const std::string& county, const std::string& id,
                 const std::vector<std::string>& keys);
// Notices due for publishing (status scheduled, publish_at <= now), all counties.
std::vector<std::pair<std::string, std::string>> Due(db::Conn& c, int64_t now, int limit);
// Notices whose SMS batch is pending, all counties.
std::vector<std::pair<std::string, std::string>> SmsPending(db::Conn& c, int limit);

struct ManagedFilter {
  std::vector<std::pair<std::string, std::string>> ranges;  // publisher_region ranges [lo, hi]
  std::vector<std::string> units;                           // publisher_unit in these
  std::string account;                                      // or published by this account
  std::string status, q;
  int64_t offset = 0;
  int limit = 20;
};
std::vector<Notice> ListManaged(db::Conn& c, const std::string& county, const ManagedFilter& f);
std::pair<int64_t, int64_t> ReadTotals(db::Conn& c, const std::string& county,
                                       const std::string& id);

// Reads
struct ReaderPlace {
  std::string village_code, household_id;
};
ReaderPlace PlaceOf(db::Conn& c, const std::string& county, const std::string& person_id);
std::optional<std::pair<int64_t, std::optional<int64_t>>> GetRead(db::Conn& c,
                                                                  const std::string& county,
                                                                  const std::string& id,
                                                                  const std::string& reader);
// Inserts the read if absent; returns read_at. A new read of a published notice `counted`
// adds to its "notices.read" counter.
int64_t MarkRead(db::Conn& c, const std::string& county, const std::string& id,
                 const std::string& reader, const std::string& account, const ReaderPlace& at,
                 int64_t now, const Notice* counted = nullptr);
// Sets confirmed_at if unset (then adds to the notice's "notices.confirmed"); returns it.
int64_t Confirm(db::Conn& c, const std::string& county, const std::string& id,
                const std::string& reader, int64_t now, const Notice& counted);
// Adds a notice that just became published to "notices.published" and "notices.audience" (month
// of publication, publisher region and unit).
void CountPublished(db::Conn& c, const std::string& county, const Notice& n);
// A read written by the demo history generator (no counters; they are rebuilt afterwards).
void InsertHistoryRead(db::Conn& c, const std::string& county, const std::string& notice,
                       const std::string& reader, const std::string& account,
                       const std::string& village, const std::string& household, int64_t read_at,
                       std::optional<int64_t> confirmed_at);
// Sets every notice's reads_counted from its reads (after the demo history wrote reads).
void RecountReads(db::Conn& c, const std::string& county);
// The "notices" counters recomputed from notices and their reads.
std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county);

// Inbox
// Marks a change that recipients' inboxes show (in the changing transaction).
void BumpVersion(db::Conn& c, const std::string& county);
// In one statement: the county's notices version and the reader's reads (notice → read, confirmed).
struct ReaderState {
  int64_t version = 0;
  std::unordered_map<std::string, std::pair<int64_t, std::optional<int64_t>>> reads;
};
ReaderState StateOf(db::Conn& c, const std::string& county, const std::string& reader);
// Every notice a recipient may see (published or withdrawn, not expired at `now`), with its
// target keys, and the version they were read at.
struct LiveHeader {
  InboxItem item;
  std::optional<int64_t> expires_at;
  std::vector<std::string> keys;
};
std::vector<LiveHeader> LiveHeaders(db::Conn& c, const std::string& county, int64_t now,
                                    int64_t* version);

struct InboxQuery {
  std::string reader;
  std::vector<std::string> keys;
  std::string category, q;
  int64_t now = 0, offset = 0;
  int limit = 20;
};
std::vector<InboxItem> Inbox(db::Conn& c, const std::string& county, const InboxQuery& q);
int64_t UnreadCount(db::Conn& c, const std::string& county, const InboxQuery& q);

// Follow-up
void FillStats(db::Conn& c, const std::string& county, const Notice& n, Stats* s);
struct UnreadCursor {
  int phase = 0;  // 0: people, 1: accounts without a person record, 2: done
  std::string village, pinyin, id;
};
// The audience members who have not read n (all of them when !unread_only), a page at a time.
std::vector<UnreadPerson> Unread(db::Conn& c, const std::string& county, const Notice& n,
                                 const std::string& village, UnreadCursor* cursor, int limit,
                                 bool unread_only = true);
std::vector<HouseholdRow> Households(db::Conn& c, const std::string& county, const Notice& n,
                                     const std::string& village, bool none_read_only, int limit);

// Figures: published notices in [from, to) with their read and confirm counts.
struct FigureRow {
  std::string id, publisher_region, publisher_unit, publisher_label;
  int64_t published_at = 0, audience = 0, read = 0, confirmed = 0;
};
std::vector<FigureRow> FigureRows(db::Conn& c, const std::string& county, int64_t from, int64_t to);
std::map<std::string, std::string> RegionNames(db::Conn& c, const std::string& county,
                                               const std::vector<std::string>& codes);
std::map<std::string, std::string> UnitNames(db::Conn& c, const std::string& county,
                                             const std::vector<std::string>& ids);

}  // namespace sx::notices::repo
