#include "modules/notices/repo.h"

#include <boost/json.hpp>
#include <set>

#include "core/perm/perm.h"
#include "core/util/clock.h"
#include "modules/notices/json.h"

namespace sx::notices::repo {

namespace {

// A statement under construction: text plus its $N parameters ($1 is always the county).
struct Sql {
  std::string text;
  std::vector<db::Value> params;
  explicit Sql(const std::string& county) { params.emplace_back(county); }
  std::string P(db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  }
  std::string In(const std::vector<std::string>& vs) {
    std::string out;
    for (auto& v : vs) {
      if (!out.empty()) out += ", ";
      out += P(v);
    }
    return out;
  }
  db::Rows Run(db::Conn& c) const { return c.Query(text, params); }
};

std::pair<std::string, std::string> RangeOf(const std::string& code) {
  return perm::CodeRange(code);
}

// The region targets that are not inside another targeted region, as code ranges.
std::vector<std::pair<std::string, std::string>> TopRanges(const Audience& a) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& r : a.regions) {
    bool nested = false;
    for (auto& o : a.regions)
      if (o.code != r.code && perm::Within(o.code, r.code)) nested = true;
    if (!nested) out.push_back(RangeOf(r.code));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string InRanges(Sql& s, const std::vector<std::pair<std::string, std::string>>& rs,
                     const std::string& col) {
  if (rs.empty()) return "(1 = 0)";
  std::string out = "(";
  for (size_t i = 0; i < rs.size(); ++i) {
    if (i) out += " OR ";
    out += "(" + col + " >= " + s.P(rs[i].first) + " AND " + col + " <= " + s.P(rs[i].second) + ")";
  }
  return out + ")";
}

bool HasGrantTargets(const Audience& a) { return !a.units.empty() || !a.roles.empty(); }

// Grants matching the audience's unit and role targets (alias g).
std::string GrantPred(Sql& s, const Audience& a) {
  std::vector<std::string> parts;
  if (!a.units.empty()) {
    std::vector<std::string> ids;
    for (auto& u : a.units) ids.push_back(u.id);
    parts.push_back("(g.role = 'unit_staff' AND g.unit_id IN (" + s.In(ids) + "))");
  }
  for (auto& r : a.roles) {
    auto [lo, hi] = RangeOf(r.region);
    parts.push_back("(g.role = " + s.P(r.role) + " AND g.region_code >= " + s.P(lo) +
                    " AND g.region_code <= " + s.P(hi) + ")");
  }
  if (parts.empty()) return "(1 = 0)";
  std::string out = "(";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " OR " : "") + parts[i];
  return out + ")";
}

// People of the audience other than by region (households, named people, grant holders).
std::string ExtraPersonPred(Sql& s, const Audience& a) {
  std::vector<std::string> parts;
  if (!a.households.empty()) {
    std::vector<std::string> ids;
    for (auto& h : a.households) ids.push_back(h.id);
    parts.push_back("p.household_id IN (" + s.In(ids) + ")");
  }
  if (!a.people.empty()) {
    std::vector<std::string> ids;
    for (auto& p : a.people) ids.push_back(p.id);
    parts.push_back("p.id IN (" + s.In(ids) + ")");
  }
  if (HasGrantTargets(a))
    parts.push_back(
        "p.id IN (SELECT a.person_id FROM grants g JOIN accounts a ON a.county_id = g.county_id "
        "AND a.id = g.account_id WHERE g.county_id = $1 AND a.active = 1 AND a.person_id IS NOT "
        "NULL AND " +
        GrantPred(s, a) + ")");
  if (parts.empty()) return "(1 = 0)";
  std::string out = "(";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " OR " : "") + parts[i];
  return out + ")";
}

// Every person of the audience (alias p).
std::string PersonPred(Sql& s, const Audience& a) {
  auto ranges = TopRanges(a);
  return "(" + InRanges(s, ranges, "p.village_code") + " OR " + ExtraPersonPred(s, a) + ")";
}

// Members reached through units and roles who have no person record (staff accounts).
int64_t StaffWithoutPerson(db::Conn& c, const std::string& county, const Audience& a) {
  if (!HasGrantTargets(a)) return 0;
  Sql s(county);
  s.text =
      "SELECT COUNT(DISTINCT a.id) FROM grants g JOIN accounts a ON a.county_id = g.county_id "
      "AND a.id = g.account_id WHERE g.county_id = $1 AND a.active = 1 AND a.person_id IS NULL "
      "AND " +
      GrantPred(s, a);
  return s.Run(c).at(0).Int(0);
}

// An inbox item from 14 columns starting at `at`: id, title, excerpt, category, urgency,
// publisher_label, published_at, receipt_required, receipt_deadline, revision, status,
// withdraw_reason, reminded_at, attachment_count.
InboxItem ItemFromRow(const db::Row& r, size_t at) {
  InboxItem i;
  i.id = r.Str(at);
  i.title = r.Str(at + 1);
  i.excerpt = r.Str(at + 2);
  i.category = r.Str(at + 3);
  i.urgency = r.Str(at + 4);
  i.publisher_label = r.Str(at + 5);
  i.published_at = r.Int(at + 6);
  i.receipt_required = r.Int(at + 7) != 0;
  i.receipt_deadline = r.OptInt(at + 8);
  i.revision = r.Int(at + 9);
  i.withdrawn = r.Str(at + 10) == "withdrawn";
  i.withdraw_reason = r.Str(at + 11);
  i.reminded_at = r.OptInt(at + 12);
  i.attachment_count = r.Int(at + 13);
  return i;
}
constexpr const char* kItemCols =
    "n.id, n.title, n.excerpt, n.category, n.urgency, n.publisher_label, n.published_at, "
    "n.receipt_required, n.receipt_deadline, n.revision, n.status, n.withdraw_reason, "
    "n.reminded_at, n.attachment_count";

constexpr const char* kNoticeCols =
    "n.id, n.title, n.body, n.excerpt, n.category, n.urgency, n.status, n.publisher_account, "
    "n.publisher_name, n.publisher_label, n.publisher_unit, n.publisher_region, n.audience, "
    "n.audience_size, n.receipt_required, n.receipt_deadline, n.publish_at, n.published_at, "
    "n.expires_at, n.withdrawn_at, n.withdraw_reason, n.revision, n.revisions, "
    "n.attachment_count, n.sms, n.sms_status, n.sms_sent, n.sms_cost_fen, n.reminded_at, "
    "n.remind_count, n.created_at, n.updated_at";

Notice NoticeFromRow(const db::Row& r) {
  Notice n;
  n.id = r.Str(0);
  n.title = r.Str(1);
  n.body = r.Str(2);
  n.excerpt = r.Str(3);
  n.category = r.Str(4);
  n.urgency = r.Str(5);
  n.status = r.Str(6);
  n.publisher_account = r.Str(7);
  n.publisher_name = r.Str(8);
  n.publisher_label = r.Str(9);
  n.publisher_unit = r.Str(10);
  n.publisher_region = r.Str(11);
  n.audience = json::AudienceFromStored(boost::json::parse(r.Str(12)));
  n.audience_size = r.Int(13);
  n.receipt_required = r.Int(14) != 0;
  n.receipt_deadline = r.OptInt(15);
  n.publish_at = r.Int(16);
  n.published_at = r.OptInt(17);
  n.expires_at = r.OptInt(18);
  n.withdrawn_at = r.OptInt(19);
  n.withdraw_reason = r.Str(20);
  n.revision = r.Int(21);
  n.revisions = json::RevisionsFromStored(boost::json::parse(r.Str(22)));
  n.attachment_count = r.Int(23);
  n.sms = r.Int(24) != 0;
  n.sms_status = r.Str(25);
  n.sms_sent = r.Int(26);
  n.sms_cost_fen = r.Int(27);
  n.reminded_at = r.OptInt(28);
  n.remind_count = r.Int(29);
  n.created_at = r.Int(30);
  n.updated_at = r.Int(31);
  return n;
}

}  // namespace

std::optional<RegionRow> Region(db::Conn& c, const std::string& county, const std::string& code) {
  auto r = c.One(
      "SELECT code, name, level, parent_code, people_count FROM regions WHERE county_id = $1 AND "
      "code = $2",
      {county, code});
  if (!r) return std::nullopt;
  return RegionRow{r->Str(0), r->Str(1), r->Str(2), r->Str(3), r->Int(4)};
}

std::optional<UnitRow> Unit(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One("SELECT id, name, region_code, active FROM units WHERE county_id = $1 AND id = $2",
                 {county, id});
  if (!r) return std::nullopt;
  return UnitRow{r->Str(0), r->Str(1), r->Str(2), r->Int(3) != 0};
}

std::optional<HouseholdInfo> Household(db::Conn& c, const std::string& county,
                                       const std::string& id) {
  auto r = c.One(
      "SELECT h.id, h.village_code, (SELECT p.name FROM people p WHERE p.county_id = h.county_id "
      "AND p.household_id = h.id AND p.active = 1 ORDER BY CASE WHEN p.relation = 'head' THEN 0 "
      "ELSE 1 END, p.id LIMIT 1), (SELECT v.name FROM regions v WHERE v.county_id = h.county_id "
      "AND v.code = h.village_code) FROM households h WHERE h.county_id = $1 AND h.id = $2",
      {county, id});
  if (!r) return std::nullopt;
  return HouseholdInfo{r->Str(0), r->Str(1), r->Str(2), r->Str(3)};
}

std::optional<PersonRow> Person(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One(
      "SELECT id, name, village_code, household_id, active FROM people WHERE county_id = $1 AND "
      "id = $2",
      {county, id});
  if (!r) return std::nullopt;
  return PersonRow{r->Str(0), r->Str(1), r->Str(2), r->Str(3), r->Int(4) != 0};
}

int64_t CountAudience(db::Conn& c, const std::string& county, const Audience& a) {
  int64_t total = 0;
  for (auto& r : a.regions) {
    bool nested = false;
    for (auto& o : a.regions)
      if (o.code != r.code && perm::Within(o.code, r.code)) nested = true;
    if (nested) continue;
    if (auto row = Region(c, county, r.code)) total += row->people_count;
  }
  if (!a.households.empty() || !a.people.empty() || HasGrantTargets(a)) {
    Sql s(county);
    std::string extra = ExtraPersonPred(s, a);
    std::string ranges = InRanges(s, TopRanges(a), "p.village_code");
    s.text = "SELECT COUNT(*) FROM people p WHERE p.county_id = $1 AND p.active = 1 AND " + extra +
             " AND NOT " + ranges;
    total += s.Run(c).at(0).Int(0);
  }
  return total + StaffWithoutPerson(c, county, a);
}

std::vector<SmsRecipient> SmsRecipients(db::Conn& c, const std::string& county, const Audience& a,
                                        const std::string& after_id, int limit) {
  Sql s(county);
  std::string pred = PersonPred(s, a);
  s.text =
      "SELECT p.id, p.phone_sealed, p.phone_masked FROM people p WHERE p.county_id = $1 AND "
      "p.active = 1 AND p.phone_sealed IS NOT NULL AND p.id > " +
      s.P(after_id) + " AND " + pred +
      " AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.county_id = p.county_id AND "
      "a.person_id = p.id) ORDER BY p.id LIMIT " +
      s.P(int64_t{limit});
  std::vector<SmsRecipient> out;
  for (auto& r : s.Run(c)) out.push_back({r.Str(0), r.Str(1), r.Str(2)});
  return out;
}

int64_t CountSmsRecipients(db::Conn& c, const std::string& county, const Audience& a) {
  Sql s(county);
  std::string pred = PersonPred(s, a);
  s.text =
      "SELECT COUNT(*) FROM people p WHERE p.county_id = $1 AND p.active = 1 AND p.phone_sealed "
      "IS NOT NULL AND " +
      pred +
      " AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.county_id = p.county_id AND "
      "a.person_id = p.id)";
  return s.Run(c).at(0).Int(0);
}

void Insert(db::Conn& c, const std::string& county, const Notice& n,
            const std::vector<std::string>& keys) {
  std::vector<db::Value> p = {county,
                              n.id,
                              n.title,
                              n.body,
                              n.excerpt,
                              n.category,
                              n.urgency,
                              n.status,
                              n.publisher_account,
                              n.publisher_name,
                              n.publisher_label,
                              n.publisher_unit,
                              n.publisher_region,
                              boost::json::serialize(json::AudienceStored(n.audience)),
                              n.audience_size,
                              int64_t{n.receipt_required},
                              db::Opt(n.receipt_deadline),
                              n.publish_at,
                              db::Opt(n.published_at),
                              db::Opt(n.expires_at),
                              n.attachment_count,
                              int64_t{n.sms},
                              n.sms_status,
                              n.created_at,
                              n.updated_at};
  c.Exec(
      "INSERT INTO notices (county_id, id, title, body, excerpt, category, urgency, status, "
      "publisher_account, publisher_name, publisher_label, publisher_unit, publisher_region, "
      "audience, audience_size, receipt_required, receipt_deadline, publish_at, published_at, "
      "expires_at, attachment_count, sms, sms_status, created_at, updated_at) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, "
      "$23, $24, $25)",
      p);
  if (n.status != "scheduled") BumpVersion(c, county);
  for (auto& k : keys)
    c.Exec(
        "INSERT INTO notice_targets (county_id, target_key, notice_id) VALUES ($1, $2, $3) ON "
        "CONFLICT DO NOTHING",
        {county, k, n.id});
}

std::optional<Notice> Get(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One(
      std::string("SELECT ") + kNoticeCols + " FROM notices n WHERE n.county_id = $1 AND n.id = $2",
      {county, id});
  if (!r) return std::nullopt;
  return NoticeFromRow(*r);
}

void UpdateContent(db::Conn& c, const std::string& county, const Notice& n) {
  std::vector<db::Value> p = {county,
                              n.id,
                              n.title,
                              n.body,
                              n.excerpt,
                              db::Opt(n.receipt_deadline),
                              db::Opt(n.expires_at),
                              n.revision,
                              boost::json::serialize(json::RevisionsStored(n.revisions)),
                              n.attachment_count,
                              n.updated_at};
  c.Exec(
      "UPDATE notices SET title = $3, body = $4, excerpt = $5, receipt_deadline = $6, "
      "expires_at = $7, revision = $8, revisions = $9, attachment_count = $10, updated_at = $11 "
      "WHERE county_id = $1 AND id = $2",
      p);
  BumpVersion(c, county);
}

void SetWithdrawn(db::Conn& c, const std::string& county, const std::string& id, int64_t at,
                  const std::string& reason) {
  c.Exec(
      "UPDATE notices SET status = 'withdrawn', withdrawn_at = $3, withdraw_reason = $4, "
      "updated_at = $3 WHERE county_id = $1 AND id = $2",
      {county, id, at, reason});
  BumpVersion(c, county);
}

void SetPublished(db::Conn& c, const std::string& county, const std::string& id, int64_t at) {
  c.Exec(
      "UPDATE notices SET status = 'published', published_at = $3, updated_at = $3 WHERE "
      "county_id = $1 AND id = $2 AND status = 'scheduled'",
      {county, id, at});
  BumpVersion(c, county);
}

void SetReminded(db::Conn& c, const std::string& county, const std::string& id, int64_t at) {
  c.Exec(
      "UPDATE notices SET reminded_at = $3, remind_count = remind_count + 1 WHERE county_id = $1 "
      "AND id = $2",
      {county, id, at});
  BumpVersion(c, county);
}

void SetSms(db::Conn& c, const std::string& county, const std::string& id,
            const std::string& status, int64_t sent, int64_t cost) {
  c.Exec(
      "UPDATE notices SET sms_status = $3, sms_sent = sms_sent + $4, sms_cost_fen = sms_cost_fen "
      "+ $5 WHERE county_id = $1 AND id = $2",
      {county, id, status, sent, cost});
}

std::vector<std::string> TargetKeys(db::Conn& c, const std::string& county, const std::string& id) {
  std::vector<std::string> out;
  for (auto& r : c.Query("SELECT target_key FROM notice_targets WHERE county_id = $1 AND "
                         "notice_id = $2 ORDER BY target_key",
                         {county, id}))
    out.push_back(r.Str(0));
  return out;
}

bool IsRecipient(db::Conn& c, const std::string& county, const std::string& id,
                 const std::vector<std::string>& keys) {
  if (keys.empty()) return false;
  Sql s(county);
  s.text = "SELECT 1 FROM notice_targets WHERE county_id = $1 AND notice_id = " + s.P(id) +
           " AND target_key IN (" + s.In(keys) + ") LIMIT 1";
  return !s.Run(c).empty();
}

std::vector<std::pair<std::string, std::string>> Due(db::Conn& c, int64_t now, int limit) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& r : c.Query("SELECT county_id, id FROM notices WHERE status = 'scheduled' AND "
                         "publish_at <= $1 ORDER BY publish_at LIMIT $2",
                         {now, int64_t{limit}}))
    out.emplace_back(r.Str(0), r.Str(1));
  return out;
}

std::vector<std::pair<std::string, std::string>> SmsPending(db::Conn& c, int limit) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& r : c.Query("SELECT county_id, id FROM notices WHERE sms_status = 'pending' AND "
                         "status = 'published' ORDER BY published_at LIMIT $1",
                         {int64_t{limit}}))
    out.emplace_back(r.Str(0), r.Str(1));
  return out;
}

std::vector<Notice> ListManaged(db::Conn& c, const std::string& county, const ManagedFilter& f) {
  Sql s(county);
  std::string who = InRanges(s, f.ranges, "n.publisher_region");
  if (!f.units.empty()) who += " OR n.publisher_unit IN (" + s.In(f.units) + ")";
  who += " OR n.publisher_account = " + s.P(f.account);
  s.text = std::string("SELECT ") + kNoticeCols + " FROM notices n WHERE n.county_id = $1 AND (" +
           who + ")";
  if (!f.status.empty()) s.text += " AND n.status = " + s.P(f.status);
  if (!f.q.empty()) s.text += " AND n.title LIKE " + s.P("%" + f.q + "%");
  s.text += " ORDER BY n.created_at DESC, n.id DESC LIMIT " + s.P(int64_t{f.limit}) + " OFFSET " +
            s.P(f.offset);
  std::vector<Notice> out;
  for (auto& r : s.Run(c)) out.push_back(NoticeFromRow(r));
  return out;
}

std::pair<int64_t, int64_t> ReadTotals(db::Conn& c, const std::string& county,
                                       const std::string& id) {
  auto r = c.One(
      "SELECT COUNT(*), COUNT(confirmed_at) FROM notice_reads WHERE county_id = $1 AND "
      "notice_id = $2",
      {county, id});
  return {r->Int(0), r->Int(1)};
}

ReaderPlace PlaceOf(db::Conn& c, const std::string& county, const std::string& person_id) {
  if (person_id.empty()) return {};
  auto r = c.One("SELECT village_code, household_id FROM people WHERE county_id = $1 AND id = $2",
                 {county, person_id});
  if (!r) return {};
  return {r->Str(0), r->Str(1)};
}

std::optional<std::pair<int64_t, std::optional<int64_t>>> GetRead(db::Conn& c,
                                                                  const std::string& county,
                                                                  const std::string& id,
                                                                  const std::string& reader) {
  auto r = c.One(
      "SELECT read_at, confirmed_at FROM notice_reads WHERE county_id = $1 AND notice_id = $2 "
      "AND reader_id = $3",
      {county, id, reader});
  if (!r) return std::nullopt;
  return std::make_pair(r->Int(0), r->OptInt(1));
}

namespace {
void Count(db::Conn& c, const std::string& county, const Notice& n, std::string_view metric,
           int64_t by) {
  if (!n.published_at) return;
  stats::Add(c, county, metric, util::ShanghaiMonth(*n.published_at), n.publisher_region,
             n.publisher_unit, by);
}
}  // namespace

void CountPublished(db::Conn& c, const std::string& county, const Notice& n) {
  Count(c, county, n, "notices.published", 1);
  Count(c, county, n, "notices.audience", n.audience_size);
  if (n.receipt_required) Count(c, county, n, "notices.asked", n.audience_size);
}

int64_t MarkRead(db::Conn& c, const std::string& county, const std::string& id,
                 const std::string& reader, const std::string& account, const ReaderPlace& at,
                 int64_t now, const Notice* counted) {
  int64_t added = c.Exec(
      "INSERT INTO notice_reads (county_id, notice_id, reader_id, account_id, village_code, "
      "household_id, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
      {county, id, reader, account, at.village_code, at.household_id, now});
  if (added > 0 && counted) {
    Count(c, county, *counted, "notices.read", 1);
    // A reader beyond the audience counted at publication (who joined it later) widens it.
    auto r = c.One(
        "UPDATE notices SET reads_counted = reads_counted + 1 WHERE county_id = $1 AND id = $2 "
        "RETURNING reads_counted, audience_size, receipt_required",
        {county, id});
    if (r && r->Int(0) > r->Int(1)) {
      Count(c, county, *counted, "notices.audience", 1);
      if (r->Int(2)) Count(c, county, *counted, "notices.asked", 1);
    }
  }
  return GetRead(c, county, id, reader)->first;
}

int64_t Confirm(db::Conn& c, const std::string& county, const std::string& id,
                const std::string& reader, int64_t now, const Notice& counted) {
  int64_t changed = c.Exec(
      "UPDATE notice_reads SET confirmed_at = $4 WHERE county_id = $1 AND notice_id = $2 AND "
      "reader_id = $3 AND confirmed_at IS NULL",
      {county, id, reader, now});
  if (changed > 0) Count(c, county, counted, "notices.confirmed", 1);
  return *GetRead(c, county, id, reader)->second;
}

void InsertHistoryRead(db::Conn& c, const std::string& county, const std::string& notice,
                       const std::string& reader, const std::string& account,
                       const std::string& village, const std::string& household, int64_t read_at,
                       std::optional<int64_t> confirmed_at) {
  c.Exec(
      "INSERT INTO notice_reads (county_id, notice_id, reader_id, account_id, village_code, "
      "household_id, read_at, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT "
      "DO NOTHING",
      {county, notice, reader, account, village, household, read_at, db::Opt(confirmed_at)});
}

void RecountReads(db::Conn& c, const std::string& county) {
  c.Exec(
      "UPDATE notices SET reads_counted = (SELECT COUNT(*) FROM notice_reads r WHERE r.county_id "
      "= notices.county_id AND r.notice_id = notices.id) WHERE county_id = $1",
      {county});
}

std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county) {
  std::vector<stats::Cell> out;
  for (auto& r : c.Query(
           "SELECT n.published_at, n.publisher_region, n.publisher_unit, n.audience_size, "
           "COALESCE(x.reads, 0), COALESCE(x.confirmed, 0), n.receipt_required FROM notices n LEFT "
           "JOIN (SELECT "
           "notice_id, COUNT(*) AS reads, COUNT(confirmed_at) AS confirmed FROM notice_reads "
           "WHERE county_id = $1 GROUP BY notice_id) x ON x.notice_id = n.id WHERE n.county_id = "
           "$1 AND n.published_at IS NOT NULL",
           {county})) {
    std::string month = util::ShanghaiMonth(r.Int(0));
    std::string region = r.Str(1), unit = r.Str(2);
    // The audience at publication, widened by readers who joined it later (see MarkRead).
    int64_t audience = std::max(r.Int(3), r.Int(4));
    out.push_back({month, region, unit, "notices.published", 1});
    out.push_back({month, region, unit, "notices.audience", audience});
    out.push_back({month, region, unit, "notices.read", r.Int(4)});
    out.push_back({month, region, unit, "notices.confirmed", r.Int(5)});
    if (r.Int(6)) out.push_back({month, region, unit, "notices.asked", audience});
  }
  return out;
}

void BumpVersion(db::Conn& c, const std::string& county) {
  c.Exec(
      "INSERT INTO notice_versions (county_id, version) VALUES ($1, 1) ON CONFLICT (county_id) "
      "DO UPDATE SET version = notice_versions.version + 1",
      {county});
}

ReaderState StateOf(db::Conn& c, const std::string& county, const std::string& reader) {
  ReaderState st;
  for (auto& r : c.Query(
           "SELECT '', version, NULL FROM notice_versions WHERE county_id = $1 UNION ALL SELECT "
           "notice_id, read_at, confirmed_at FROM notice_reads WHERE county_id = $1 AND "
           "reader_id = $2",
           {county, reader})) {
    std::string id = r.Str(0);
    if (id.empty())
      st.version = r.Int(1);
    else
      st.reads.emplace(std::move(id), std::make_pair(r.Int(1), r.OptInt(2)));
  }
  return st;
}

std::vector<LiveHeader> LiveHeaders(db::Conn& c, const std::string& county, int64_t now,
                                    int64_t* version) {
  auto v = c.One("SELECT version FROM notice_versions WHERE county_id = $1", {county});
  *version = v ? v->Int(0) : 0;
  std::vector<LiveHeader> out;
  for (auto& r : c.Query(std::string("SELECT ") + kItemCols +
                             ", n.expires_at, t.target_key FROM notices n JOIN notice_targets t ON "
                             "t.county_id = n.county_id AND t.notice_id = n.id WHERE n.county_id = "
                             "$1 AND n.published_at IS NOT NULL AND (n.expires_at IS NULL OR "
                             "n.expires_at > $2) ORDER BY n.id, t.target_key",
                         {county, now})) {
    if (out.empty() || out.back().item.id != r.Str(0)) {
      LiveHeader h;
      h.item = ItemFromRow(r, 0);
      h.expires_at = r.OptInt(14);
      out.push_back(std::move(h));
    }
    out.back().keys.push_back(r.Str(15));
  }
  return out;
}

namespace {
std::string InboxWhere(Sql& s, const InboxQuery& q) {
  std::string w =
      "n.county_id = $1 AND n.id IN (SELECT t.notice_id FROM notice_targets t WHERE "
      "t.county_id = $1 AND t.target_key IN (" +
      s.In(q.keys) + ")) AND n.published_at IS NOT NULL AND (n.expires_at IS NULL OR " +
      "n.expires_at > " + s.P(q.now) + ")";
  if (!q.category.empty()) w += " AND n.category = " + s.P(q.category);
  if (!q.q.empty()) {
    std::string like = "%" + q.q + "%";
    w += " AND (n.title LIKE " + s.P(like) + " OR n.body LIKE " + s.P(like) + ")";
  }
  return w;
}
}  // namespace

std::vector<InboxItem> Inbox(db::Conn& c, const std::string& county, const InboxQuery& q) {
  std::vector<InboxItem> out;
  if (q.keys.empty()) return out;
  Sql s(county);
  std::string reader = s.P(q.reader);
  std::string where = InboxWhere(s, q);
  s.text = std::string("SELECT r.read_at, r.confirmed_at, ") + kItemCols +
           " FROM notices n LEFT JOIN notice_reads r ON r.county_id = n.county_id AND "
           "r.notice_id = n.id AND r.reader_id = " +
           reader + " WHERE " + where +
           " ORDER BY CASE WHEN r.read_at IS NULL AND n.status = 'published' THEN 0 ELSE 1 END, "
           "CASE WHEN n.urgency = 'urgent' THEN 0 ELSE 1 END, n.published_at DESC, n.id DESC "
           "LIMIT " +
           s.P(int64_t{q.limit}) + " OFFSET " + s.P(q.offset);
  for (auto& r : s.Run(c)) {
    InboxItem i = ItemFromRow(r, 2);
    i.read_at = r.OptInt(0);
    i.confirmed_at = r.OptInt(1);
    out.push_back(std::move(i));
  }
  return out;
}

int64_t UnreadCount(db::Conn& c, const std::string& county, const InboxQuery& q) {
  if (q.keys.empty()) return 0;
  Sql s(county);
  InboxQuery all = q;
  all.category.clear();
  all.q.clear();
  std::string where = InboxWhere(s, all);
  s.text = "SELECT COUNT(*) FROM notices n WHERE " + where +
           " AND n.status = 'published' AND NOT EXISTS (SELECT 1 FROM notice_reads r WHERE "
           "r.county_id = n.county_id AND r.notice_id = n.id AND r.reader_id = " +
           s.P(q.reader) + ")";
  return s.Run(c).at(0).Int(0);
}

void FillStats(db::Conn& c, const std::string& county, const Notice& n, Stats* st) {
  const Audience& a = n.audience;
  auto ranges = TopRanges(a);
  bool extras = !a.households.empty() || !a.people.empty() || HasGrantTargets(a);
  std::tie(st->read, st->confirmed) = ReadTotals(c, county, n.id);

  // Audience by village: the registered counts of targeted villages, plus other members.
  std::map<std::string, Tally> villages;
  if (!ranges.empty()) {
    Sql s(county);
    s.text =
        "SELECT r.code, r.name, r.parent_code, r.people_count FROM regions r WHERE r.county_id "
        "= $1 AND r.level = 'village' AND " +
        InRanges(s, ranges, "r.code");
    for (auto& r : s.Run(c)) {
      Tally t{r.Str(0), r.Str(1), r.Str(2), r.Int(3), 0, 0};
      villages[t.id] = t;
    }
  }
  if (extras) {
    Sql s(county);
    std::string extra = ExtraPersonPred(s, a);
    std::string in = InRanges(s, ranges, "p.village_code");
    s.text =
        "SELECT p.village_code, COUNT(*), MAX(v.name), MAX(v.parent_code) FROM people p LEFT "
        "JOIN regions v ON v.county_id = p.county_id AND v.code = p.village_code WHERE "
        "p.county_id = $1 AND p.active = 1 AND " +
        extra + " AND NOT " + in + " GROUP BY p.village_code";
    for (auto& r : s.Run(c)) {
      auto& t = villages[r.Str(0)];
      t.id = r.Str(0);
      t.name = r.Str(2);
      t.parent = r.Str(3);
      t.audience += r.Int(1);
    }
  }
  for (auto& r : c.Query("SELECT village_code, COUNT(*), COUNT(confirmed_at) FROM notice_reads "
                         "WHERE county_id = $1 AND notice_id = $2 AND village_code <> '' GROUP BY "
                         "village_code",
                         {county, n.id})) {
    auto it = villages.find(r.Str(0));
    if (it == villages.end()) continue;  // moved out of the audience since reading
    it->second.read = r.Int(1);
    it->second.confirmed = r.Int(2);
  }
  std::map<std::string, Tally> towns;
  for (auto& [code, v] : villages) {
    auto& t = towns[v.parent];
    t.id = v.parent;
    t.audience += v.audience;
    t.read += v.read;
    t.confirmed += v.confirmed;
    st->by_village.push_back(v);
  }
  std::vector<std::string> town_codes;
  for (auto& [code, t] : towns) town_codes.push_back(code);
  auto names = RegionNames(c, county, town_codes);
  for (auto& [code, t] : towns) {
    t.name = names[code];
    st->by_town.push_back(t);
  }

  // Staff of targeted units.
  if (!a.units.empty()) {
    Sql s(county);
    std::vector<std::string> ids;
    for (auto& u : a.units) ids.push_back(u.id);
    std::string nid = s.P(n.id);
    s.text =
        "SELECT g.unit_id, COUNT(DISTINCT a.id), COUNT(DISTINCT r.reader_id), COUNT(DISTINCT "
        "CASE WHEN r.confirmed_at IS NOT NULL THEN r.reader_id END) FROM grants g JOIN accounts "
        "a ON a.county_id = g.county_id AND a.id = g.account_id LEFT JOIN notice_reads r ON "
        "r.county_id = g.county_id AND r.notice_id = " +
        nid +
        " AND r.reader_id = COALESCE(a.person_id, a.id) WHERE g.county_id = $1 AND g.role = "
        "'unit_staff' AND a.active = 1 AND g.unit_id IN (" +
        s.In(ids) + ") GROUP BY g.unit_id";
    std::map<std::string, Tally> units;
    for (auto& u : a.units) units[u.id] = Tally{u.id, u.name, "", 0, 0, 0};
    for (auto& r : s.Run(c)) {
      auto& t = units[r.Str(0)];
      t.audience = r.Int(1);
      t.read = r.Int(2);
      t.confirmed = r.Int(3);
    }
    for (auto& u : a.units) st->by_unit.push_back(units[u.id]);
  }
  st->audience = StaffWithoutPerson(c, county, a);
  for (auto& v : st->by_village) st->audience += v.audience;

  // Households: those in the audience, and those in which somebody has read it.
  {
    Sql s(county);
    s.text = "SELECT COUNT(*) FROM households h WHERE h.county_id = $1 AND " +
             InRanges(s, ranges, "h.village_code");
    st->households_total = ranges.empty() ? 0 : s.Run(c).at(0).Int(0);
  }
  if (extras) {
    Sql s(county);
    std::string extra = ExtraPersonPred(s, a);
    std::string in = InRanges(s, ranges, "p.village_code");
    s.text =
        "SELECT COUNT(DISTINCT p.household_id) FROM people p WHERE p.county_id = $1 AND "
        "p.active = 1 AND p.household_id IS NOT NULL AND " +
        extra + " AND NOT " + in;
    st->households_total += s.Run(c).at(0).Int(0);
  }
  auto with_read = c.One(
      "SELECT COUNT(DISTINCT household_id) FROM notice_reads WHERE county_id = $1 AND notice_id "
      "= $2 AND household_id <> ''",
      {county, n.id});
  st->households_none_read = std::max<int64_t>(0, st->households_total - with_read->Int(0));
  st->households_flagged = n.urgency == "urgent" ? st->households_none_read : 0;
  st->sms_sent = n.sms_sent;
  st->sms_cost_fen = n.sms_cost_fen;
  st->remind_count = n.remind_count;
  st->reminded_at = n.reminded_at;
}

std::vector<UnreadPerson> Unread(db::Conn& c, const std::string& county, const Notice& n,
                                 const std::string& village, UnreadCursor* cur, int limit,
                                 bool unread_only) {
  std::vector<UnreadPerson> out;
  if (cur->phase == 0) {
    Sql s(county);
    std::string pred = PersonPred(s, n.audience);
    s.text =
        "SELECT p.id, p.name, p.village_code, v.name, p.household_id, p.phone_masked, "
        "p.phone_sealed, p.pinyin, (SELECT COUNT(*) FROM accounts a WHERE a.county_id = "
        "p.county_id AND a.person_id = p.id) FROM people p LEFT JOIN regions v ON v.county_id = "
        "p.county_id AND v.code = p.village_code WHERE p.county_id = $1 AND p.active = 1 AND " +
        pred;
    if (!village.empty()) s.text += " AND p.village_code = " + s.P(village);
    if (!cur->id.empty())
      s.text += " AND (p.village_code, p.pinyin, p.id) > (" + s.P(cur->village) + ", " +
                s.P(cur->pinyin) + ", " + s.P(cur->id) + ")";
    if (unread_only)
      s.text +=
          " AND NOT EXISTS (SELECT 1 FROM notice_reads r WHERE r.county_id = p.county_id AND "
          "r.notice_id = " +
          s.P(n.id) + " AND r.reader_id = p.id)";
    s.text += " ORDER BY p.village_code, p.pinyin, p.id LIMIT " + s.P(int64_t{limit});
    for (auto& r : s.Run(c)) {
      UnreadPerson u;
      u.person_id = r.Str(0);
      u.name = r.Str(1);
      u.village_code = r.Str(2);
      u.village_name = r.Str(3);
      u.household_id = r.Str(4);
      u.phone_masked = r.Str(5);
      u.phone_sealed = r.Str(6);
      u.signed_up = r.Int(8) > 0;
      cur->village = u.village_code;
      cur->pinyin = r.Str(7);
      cur->id = u.person_id;
      out.push_back(std::move(u));
    }
    if (static_cast<int>(out.size()) == limit) return out;
    cur->phase = village.empty() && HasGrantTargets(n.audience) ? 1 : 2;
    cur->id.clear();
    limit -= static_cast<int>(out.size());
  }
  if (cur->phase == 1) {
    Sql s(county);
    std::string after = s.P(cur->id);
    s.text =
        "SELECT a.id, a.name, a.phone_masked FROM accounts a WHERE a.county_id = $1 AND "
        "a.active = 1 AND a.person_id IS NULL AND a.id > " +
        after + " AND a.id IN (SELECT g.account_id FROM grants g WHERE g.county_id = $1 AND " +
        GrantPred(s, n.audience) + ")";
    if (unread_only)
      s.text +=
          " AND NOT EXISTS (SELECT 1 FROM notice_reads r WHERE r.county_id = a.county_id AND "
          "r.notice_id = " +
          s.P(n.id) + " AND r.reader_id = a.id)";
    s.text += " ORDER BY a.id LIMIT " + s.P(int64_t{limit});
    int got = 0;
    for (auto& r : s.Run(c)) {
      UnreadPerson u;
      u.account_id = r.Str(0);
      u.name = r.Str(1);
      u.phone_masked = r.Str(2);
      u.signed_up = true;
      cur->id = u.account_id;
      out.push_back(std::move(u));
      ++got;
    }
    if (got < limit) cur->phase = 2;
  }
  return out;
}

std::vector<HouseholdRow> Households(db::Conn& c, const std::string& county, const Notice& n,
                                     const std::string& village, bool none_read_only, int limit) {
  Sql s(county);
  std::string nid = s.P(n.id);
  std::string pred = PersonPred(s, n.audience);
  s.text =
      "SELECT p.household_id, p.village_code, MAX(v.name), MAX(CASE WHEN p.relation = 'head' "
      "THEN p.name END), MIN(p.name), COUNT(*), COUNT(r.reader_id) FROM people p LEFT JOIN "
      "notice_reads r ON r.county_id = p.county_id AND r.notice_id = " +
      nid +
      " AND r.reader_id = p.id LEFT JOIN regions v ON v.county_id = p.county_id AND v.code = "
      "p.village_code WHERE p.county_id = $1 AND p.active = 1 AND p.household_id IS NOT NULL "
      "AND " +
      pred;
  if (!village.empty()) s.text += " AND p.village_code = " + s.P(village);
  s.text += " GROUP BY p.household_id, p.village_code";
  if (none_read_only) s.text += " HAVING COUNT(r.reader_id) = 0";
  s.text += " ORDER BY p.village_code, p.household_id LIMIT " + s.P(int64_t{limit});
  std::vector<HouseholdRow> out;
  for (auto& r : s.Run(c)) {
    HouseholdRow h;
    h.id = r.Str(0);
    h.village_code = r.Str(1);
    h.village_name = r.Str(2);
    h.head_name = r.IsNull(3) ? r.Str(4) : r.Str(3);
    h.members = r.Int(5);
    h.read = r.Int(6);
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<FigureRow> FigureRows(db::Conn& c, const std::string& county, int64_t from,
                                  int64_t to) {
  std::vector<FigureRow> out;
  for (auto& r : c.Query(
           "SELECT n.id, n.publisher_region, n.publisher_unit, n.publisher_label, "
           "n.published_at, n.audience_size, (SELECT COUNT(*) FROM notice_reads r WHERE "
           "r.county_id = n.county_id AND r.notice_id = n.id), (SELECT COUNT(confirmed_at) FROM "
           "notice_reads r WHERE r.county_id = n.county_id AND r.notice_id = n.id) FROM notices "
           "n WHERE n.county_id = $1 AND n.published_at >= $2 AND n.published_at < $3 ORDER BY "
           "n.published_at",
           {county, from, to}))
    out.push_back({r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7)});
  return out;
}

std::map<std::string, std::string> RegionNames(db::Conn& c, const std::string& county,
                                               const std::vector<std::string>& codes) {
  std::map<std::string, std::string> out;
  if (codes.empty()) return out;
  Sql s(county);
  s.text = "SELECT code, name FROM regions WHERE county_id = $1 AND code IN (" + s.In(codes) + ")";
  for (auto& r : s.Run(c)) out[r.Str(0)] = r.Str(1);
  return out;
}

std::map<std::string, std::string> UnitNames(db::Conn& c, const std::string& county,
                                             const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  if (ids.empty()) return out;
  Sql s(county);
  s.text = "SELECT id, name FROM units WHERE county_id = $1 AND id IN (" + s.In(ids) + ")";
  for (auto& r : s.Run(c)) out[r.Str(0)] = r.Str(1);
  return out;
}

}  // namespace sx::notices::repo
