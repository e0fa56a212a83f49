#include "modules/meetings/repo.h"

#include "core/util/clock.h"

namespace sx::meetings::repo {

namespace {

constexpr const char* kCols =
    "id, title, agenda, mode, place, start_at, planned_minutes, remind_minutes, status, "
    "cancel_reason, host_account, host_name, organizer_label, organizer_region, organizer_unit, "
    "notice_id, sequence, started_at, ended_at, reminded_at, checkin_secret, minutes_body, "
    "minutes_by, minutes_at, invitees, actual_minutes, present_count, created_at, updated_at, kind";

Meeting FromRow(const db::Row& r) {
  Meeting m;
  size_t i = 0;
  m.id = r.Str(i++);
  m.title = r.Str(i++);
  m.agenda = r.Str(i++);
  m.mode = r.Str(i++);
  m.place = r.Str(i++);
  m.start_at = r.Int(i++);
  m.planned_minutes = r.Int(i++);
  m.remind_minutes = r.Int(i++);
  m.status = r.Str(i++);
  m.cancel_reason = r.Str(i++);
  m.host_account = r.Str(i++);
  m.host_name = r.Str(i++);
  m.organizer_label = r.Str(i++);
  m.organizer_region = r.Str(i++);
  m.organizer_unit = r.Str(i++);
  m.notice_id = r.Str(i++);
  m.sequence = r.Int(i++);
  m.started_at = r.OptInt(i++);
  m.ended_at = r.OptInt(i++);
  m.reminded_at = r.OptInt(i++);
  m.checkin_secret = r.Str(i++);
  m.minutes_body = r.OptStr(i++);
  m.minutes_by = r.Str(i++);
  m.minutes_at = r.OptInt(i++);
  m.invitees = r.Int(i++);
  m.actual_minutes = r.OptInt(i++);
  m.present_count = r.OptInt(i++);
  m.created_at = r.Int(i++);
  m.updated_at = r.Int(i++);
  m.kind = r.Str(i++);
  return m;
}

constexpr const char* kMemberCols =
    "m.member_id, m.account_id, m.name, m.village_code, m.guest, m.rsvp, m.rsvp_reason, "
    "m.rsvp_at, m.checked_in_at, m.fix_minutes, m.fix_present, m.fix_note, (SELECT v.name FROM "
    "regions v WHERE v.county_id = m.county_id AND v.code = m.village_code)";

Member MemberFromRow(const db::Row& r, size_t i = 0) {
  Member m;
  m.member_id = r.Str(i++);
  m.account_id = r.Str(i++);
  m.name = r.Str(i++);
  m.village_code = r.Str(i++);
  m.guest = r.Int(i++) != 0;
  m.rsvp = r.Str(i++);
  m.rsvp_reason = r.Str(i++);
  m.rsvp_at = r.OptInt(i++);
  m.checked_in_at = r.OptInt(i++);
  m.fix_minutes = r.OptInt(i++);
  if (auto p = r.OptInt(i++)) m.fix_present = *p != 0;
  m.fix_note = r.Str(i++);
  m.village_name = r.Str(i++);
  return m;
}

constexpr const char* kActionCols =
    "a.id, a.meeting_id, a.title, a.owner_member, a.owner_account, a.owner_name, a.due_at, "
    "a.status, a.done_at, a.note, a.reminded_at, a.created_by, a.created_at, (SELECT t.title "
    "FROM meetings t WHERE t.county_id = a.county_id AND t.id = a.meeting_id)";

Action ActionFromRow(const db::Row& r) {
  Action a;
  size_t i = 0;
  a.id = r.Str(i++);
  a.meeting_id = r.Str(i++);
  a.title = r.Str(i++);
  a.owner_member = r.Str(i++);
  a.owner_account = r.Str(i++);
  a.owner_name = r.Str(i++);
  a.due_at = r.Int(i++);
  a.status = r.Str(i++);
  a.done_at = r.OptInt(i++);
  a.note = r.Str(i++);
  a.reminded_at = r.OptInt(i++);
  a.created_by = r.Str(i++);
  a.created_at = r.Int(i++);
  a.meeting_title = r.Str(i++);
  return a;
}

std::vector<std::pair<std::string, std::string>> Pairs(const db::Rows& rows) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& r : rows) out.emplace_back(r.Str(0), r.Str(1));
  return out;
}

// Parameters appended in order, numbered from 1.
struct Params {
  std::vector<db::Value> v;
  std::string P(db::Value x) {
    v.push_back(std::move(x));
    return "$" + std::to_string(v.size());
  }
};

}  // namespace

void Insert(db::Conn& c, const std::string& county, const Meeting& m) {
  c.Exec(
      "INSERT INTO meetings (county_id, id, title, agenda, mode, place, start_at, "
      "planned_minutes, remind_minutes, status, host_account, host_name, organizer_label, "
      "organizer_region, organizer_unit, notice_id, sequence, checkin_secret, invitees, "
      "created_at, updated_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
      {county,         m.id,        m.title,           m.agenda,           m.mode,
       m.place,        m.start_at,  m.planned_minutes, m.remind_minutes,   m.status,
       m.host_account, m.host_name, m.organizer_label, m.organizer_region, m.organizer_unit,
       m.notice_id,    m.sequence,  m.checkin_secret,  m.invitees,         m.created_at,
       m.updated_at,   m.kind});
}

std::optional<Meeting> Get(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One(std::string("SELECT ") + kCols + " FROM meetings WHERE county_id = $1 AND id = $2",
                 {county, id});
  if (!r) return std::nullopt;
  return FromRow(*r);
}

namespace {
// What an ended meeting adds to the counters ("meetings.*" or "trainings.*").
void Count(db::Conn& c, const std::string& county, const Meeting& m, int64_t sign) {
  if (m.status != "ended") return;
  std::string family = m.kind == "training" ? "trainings." : "meetings.";
  std::string month = util::ShanghaiMonth(m.start_at);
  auto add = [&](const char* name, int64_t v) {
    stats::Add(c, county, family + name, month, m.organizer_region, m.organizer_unit, sign * v);
  };
  add("held", 1);
  add("minutes", m.actual_minutes.value_or(0));
  add("invitees", m.invitees);
  add("present", m.present_count.value_or(0));
}
}  // namespace

std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county) {
  std::vector<stats::Cell> out;
  for (auto& r : c.Query("SELECT kind, start_at, organizer_region, organizer_unit, "
                         "actual_minutes, invitees, present_count FROM meetings WHERE county_id "
                         "= $1 AND status = 'ended'",
                         {county})) {
    std::string family = r.Str(0) == "training" ? "trainings." : "meetings.";
    std::string month = util::ShanghaiMonth(r.Int(1));
    std::string region = r.Str(2), unit = r.Str(3);
    out.push_back({month, region, unit, family + "held", 1});
    out.push_back({month, region, unit, family + "minutes", r.OptInt(4).value_or(0)});
    out.push_back({month, region, unit, family + "invitees", r.Int(5)});
    out.push_back({month, region, unit, family + "present", r.OptInt(6).value_or(0)});
  }
  return out;
}

void Update(db::Conn& c, const std::string& county, const Meeting& m) {
  // The counters follow the stored row: take out what it counted, add what it counts now.
  if (auto before = Get(c, county, m.id)) Count(c, county, *before, -1);
  Count(c, county, m, +1);
  c.Exec(
      "UPDATE meetings SET title = $3, agenda = $4, mode = $5, place = $6, start_at = $7, "
      "planned_minutes = $8, remind_minutes = $9, status = $10, cancel_reason = $11, sequence = "
      "$12, started_at = $13, ended_at = $14, reminded_at = $15, minutes_body = $16, minutes_by = "
      "$17, minutes_at = $18, invitees = $19, actual_minutes = $20, present_count = $21, "
      "updated_at = $22 WHERE county_id = $1 AND id = $2",
      {county,
       m.id,
       m.title,
       m.agenda,
       m.mode,
       m.place,
       m.start_at,
       m.planned_minutes,
       m.remind_minutes,
       m.status,
       m.cancel_reason,
       m.sequence,
       db::Opt(m.started_at),
       db::Opt(m.ended_at),
       db::Opt(m.reminded_at),
       db::Opt(m.minutes_body),
       m.minutes_by,
       db::Opt(m.minutes_at),
       m.invitees,
       db::Opt(m.actual_minutes),
       db::Opt(m.present_count),
       m.updated_at});
}

bool MarkLive(db::Conn& c, const std::string& county, const std::string& id, int64_t at) {
  return c.Exec(
             "UPDATE meetings SET status = 'live', started_at = COALESCE(started_at, $3), "
             "updated_at = $3 WHERE county_id = $1 AND id = $2 AND status = 'scheduled'",
             {county, id, at}) > 0;
}

void InsertMember(db::Conn& c, const std::string& county, const std::string& meeting,
                  const Member& m) {
  c.Exec(
      "INSERT INTO meeting_members (county_id, meeting_id, member_id, account_id, name, "
      "village_code, guest, rsvp) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
      {county, meeting, m.member_id, m.account_id, m.name, m.village_code, int64_t{m.guest},
       m.rsvp});
}

void LinkAccounts(db::Conn& c, const std::string& county, const std::string& meeting) {
  c.Exec(
      "UPDATE meeting_members SET account_id = (SELECT MIN(a.id) FROM accounts a WHERE "
      "a.county_id = meeting_members.county_id AND a.person_id = meeting_members.member_id) "
      "WHERE county_id = $1 AND meeting_id = $2 AND account_id = '' AND EXISTS (SELECT 1 FROM "
      "accounts a WHERE a.county_id = meeting_members.county_id AND a.person_id = "
      "meeting_members.member_id)",
      {county, meeting});
}

std::optional<Member> GetMember(db::Conn& c, const std::string& county, const std::string& meeting,
                                const std::string& member_id) {
  auto r = c.One(std::string("SELECT ") + kMemberCols +
                     " FROM meeting_members m WHERE m.county_id = $1 AND m.meeting_id = $2 AND "
                     "m.member_id = $3",
                 {county, meeting, member_id});
  if (!r) return std::nullopt;
  return MemberFromRow(*r);
}

std::vector<Member> Members(db::Conn& c, const std::string& county, const std::string& meeting,
                            const std::string& rsvp, const std::string& after, int limit) {
  Params p;
  std::string sql = std::string("SELECT ") + kMemberCols +
                    " FROM meeting_members m WHERE m.county_id = " + p.P(county) +
                    " AND m.meeting_id = " + p.P(meeting);
  if (!rsvp.empty()) sql += " AND m.rsvp = " + p.P(rsvp);
  if (!after.empty()) {
    // Keyset paging on (guest, village_code, name, member_id) from the row `after`.
    std::string a = p.P(after);
    sql +=
        " AND (m.guest, m.village_code, m.name, m.member_id) > (SELECT x.guest, x.village_code, "
        "x.name, x.member_id FROM meeting_members x WHERE x.county_id = m.county_id AND "
        "x.meeting_id = m.meeting_id AND x.member_id = " +
        a + ")";
  }
  sql += " ORDER BY m.guest, m.village_code, m.name, m.member_id LIMIT " + p.P(int64_t{limit});
  std::vector<Member> out;
  for (auto& r : c.Query(sql, p.v)) out.push_back(MemberFromRow(r));
  return out;
}

Counts CountMembers(db::Conn& c, const std::string& county, const std::string& meeting) {
  Counts n;
  for (auto& r : c.Query(
           "SELECT rsvp, COUNT(*) FROM meeting_members WHERE county_id = $1 AND meeting_id = $2 "
           "AND guest = 0 GROUP BY rsvp",
           {county, meeting})) {
    int64_t k = r.Int(1);
    n.invitees += k;
    std::string s = r.Str(0);
    if (s == "accepted") n.accepted = k;
    if (s == "declined") n.declined = k;
    if (s == "pending") n.pending = k;
  }
  return n;
}

void SetRsvp(db::Conn& c, const std::string& county, const std::string& meeting,
             const std::string& member, const std::string& rsvp, const std::string& reason,
             int64_t at) {
  c.Exec(
      "UPDATE meeting_members SET rsvp = $4, rsvp_reason = $5, rsvp_at = $6 WHERE county_id = "
      "$1 AND meeting_id = $2 AND member_id = $3",
      {county, meeting, member, rsvp, reason, at});
}

bool SetCheckin(db::Conn& c, const std::string& county, const std::string& meeting,
                const std::string& member, int64_t at) {
  return c.Exec(
             "UPDATE meeting_members SET checked_in_at = $4 WHERE county_id = $1 AND meeting_id "
             "= $2 AND member_id = $3 AND checked_in_at IS NULL",
             {county, meeting, member, at}) > 0;
}

void SetFix(db::Conn& c, const std::string& county, const std::string& meeting,
            const std::string& member, int64_t minutes, bool present, const std::string& note) {
  c.Exec(
      "UPDATE meeting_members SET fix_minutes = $4, fix_present = $5, fix_note = $6 WHERE "
      "county_id = $1 AND meeting_id = $2 AND member_id = $3",
      {county, meeting, member, minutes, int64_t{present}, note});
}

void OpenPresence(db::Conn& c, const std::string& county, const std::string& meeting,
                  const std::string& member, int64_t at) {
  // A join while a segment is open (a second device, a lost leave) continues that segment.
  auto open = c.One(
      "SELECT 1 FROM meeting_presence WHERE county_id = $1 AND meeting_id = $2 AND member_id = "
      "$3 AND left_at IS NULL",
      {county, meeting, member});
  if (open) return;
  c.Exec(
      "INSERT INTO meeting_presence (county_id, meeting_id, member_id, joined_at) VALUES ($1, "
      "$2, $3, $4) ON CONFLICT DO NOTHING",
      {county, meeting, member, at});
}

void ClosePresence(db::Conn& c, const std::string& county, const std::string& meeting,
                   const std::string& member, int64_t at) {
  c.Exec(
      "UPDATE meeting_presence SET left_at = CASE WHEN joined_at > $4 THEN joined_at ELSE $4 END "
      "WHERE county_id = $1 AND meeting_id = $2 AND member_id = $3 AND left_at IS NULL",
      {county, meeting, member, at});
}

void CloseAllPresence(db::Conn& c, const std::string& county, const std::string& meeting,
                      int64_t at) {
  c.Exec(
      "UPDATE meeting_presence SET left_at = CASE WHEN joined_at > $3 THEN joined_at ELSE $3 END "
      "WHERE county_id = $1 AND meeting_id = $2 AND left_at IS NULL",
      {county, meeting, at});
}

std::vector<Segment> Segments(db::Conn& c, const std::string& county, const std::string& meeting) {
  std::vector<Segment> out;
  for (auto& r : c.Query(
           "SELECT member_id, joined_at, left_at FROM meeting_presence WHERE county_id = $1 AND "
           "meeting_id = $2 ORDER BY joined_at",
           {county, meeting}))
    out.push_back({r.Str(0), r.Int(1), r.OptInt(2)});
  return out;
}

std::vector<Meeting> List(db::Conn& c, const std::string& county, const ListFilter& f) {
  Params p;
  std::string sql =
      std::string("SELECT ") + kCols + " FROM meetings t WHERE county_id = " + p.P(county);
  std::vector<std::string> who;
  if (!f.managed) {
    if (!f.member_id.empty())
      who.push_back(
          "EXISTS (SELECT 1 FROM meeting_members m WHERE m.county_id = t.county_id AND "
          "m.meeting_id = t.id AND m.member_id = " +
          p.P(f.member_id) + ")");
    if (!f.account_id.empty()) who.push_back("host_account = " + p.P(f.account_id));
  } else {
    if (!f.account_id.empty()) who.push_back("host_account = " + p.P(f.account_id));
    for (auto& [lo, hi] : f.region_ranges)
      who.push_back("(organizer_unit = '' AND organizer_region BETWEEN " + p.P(lo) + " AND " +
                    p.P(hi) + ")");
    for (auto& u : f.units) who.push_back("organizer_unit = " + p.P(u));
  }
  if (who.empty()) return {};
  sql += " AND (";
  for (size_t i = 0; i < who.size(); ++i) sql += (i ? " OR " : "") + who[i];
  sql += ")";
  if (f.upcoming)
    sql += " AND status IN ('scheduled', 'live')";
  else
    sql += " AND status IN ('ended', 'cancelled')";
  if (f.since) sql += " AND start_at >= " + p.P(f.since);
  if (!f.after_id.empty()) {
    std::string s = p.P(f.after_start), id = p.P(f.after_id);
    sql += f.upcoming ? " AND (start_at > " + s + " OR (start_at = " + s + " AND id > " + id + "))"
                      : " AND (start_at < " + s + " OR (start_at = " + s + " AND id < " + id + "))";
  }
  sql += f.upcoming ? " ORDER BY start_at, id" : " ORDER BY start_at DESC, id DESC";
  sql += " LIMIT " + p.P(int64_t{f.limit});
  std::vector<Meeting> out;
  for (auto& r : c.Query(sql, p.v)) out.push_back(FromRow(r));
  return out;
}

std::vector<std::pair<std::string, Member>> MemberRows(db::Conn& c, const std::string& county,
                                                       const std::vector<std::string>& ids,
                                                       const std::string& member_id) {
  std::vector<std::pair<std::string, Member>> out;
  if (ids.empty() || member_id.empty()) return out;
  Params p;
  std::string sql = std::string("SELECT m.meeting_id, ") + kMemberCols +
                    " FROM meeting_members m WHERE m.county_id = " + p.P(county) +
                    " AND m.member_id = " + p.P(member_id) + " AND m.meeting_id IN (";
  for (size_t i = 0; i < ids.size(); ++i) sql += (i ? ", " : "") + p.P(ids[i]);
  sql += ")";
  for (auto& r : c.Query(sql, p.v)) out.emplace_back(r.Str(0), MemberFromRow(r, 1));
  return out;
}

void InsertAction(db::Conn& c, const std::string& county, const Action& a) {
  c.Exec(
      "INSERT INTO meeting_actions (county_id, id, meeting_id, title, owner_member, "
      "owner_account, owner_name, due_at, status, note, created_by, created_at) VALUES ($1, $2, "
      "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {county, a.id, a.meeting_id, a.title, a.owner_member, a.owner_account, a.owner_name, a.due_at,
       a.status, a.note, a.created_by, a.created_at});
}

std::optional<Action> GetAction(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One(std::string("SELECT ") + kActionCols +
                     " FROM meeting_actions a WHERE a.county_id = $1 AND a.id = $2",
                 {county, id});
  if (!r) return std::nullopt;
  return ActionFromRow(*r);
}

void UpdateAction(db::Conn& c, const std::string& county, const Action& a) {
  c.Exec(
      "UPDATE meeting_actions SET status = $3, done_at = $4, note = $5, reminded_at = $6 WHERE "
      "county_id = $1 AND id = $2",
      {county, a.id, a.status, db::Opt(a.done_at), a.note, db::Opt(a.reminded_at)});
}

std::vector<Action> ActionsOf(db::Conn& c, const std::string& county, const std::string& meeting) {
  std::vector<Action> out;
  for (auto& r : c.Query(std::string("SELECT ") + kActionCols +
                             " FROM meeting_actions a WHERE a.county_id = $1 AND a.meeting_id = "
                             "$2 ORDER BY a.created_at, a.id",
                         {county, meeting}))
    out.push_back(ActionFromRow(r));
  return out;
}

std::vector<Action> OpenActionsOwnedBy(db::Conn& c, const std::string& county,
                                       const std::string& account, const std::string& member) {
  std::vector<Action> out;
  for (auto& r : c.Query(std::string("SELECT ") + kActionCols +
                             " FROM meeting_actions a WHERE a.county_id = $1 AND a.status = "
                             "'open' AND (a.owner_account = $2 OR a.owner_member = $3) ORDER BY "
                             "a.due_at, a.id LIMIT 200",
                         {county, account, member}))
    out.push_back(ActionFromRow(r));
  return out;
}

std::vector<std::pair<std::string, std::string>> RemindersDue(db::Conn& c, int64_t now, int limit) {
  return Pairs(c.Query(
      "SELECT county_id, id FROM meetings WHERE status = 'scheduled' AND reminded_at IS NULL AND "
      "remind_minutes > 0 AND start_at > $1 AND start_at - remind_minutes * 60000 <= $1 ORDER BY "
      "start_at LIMIT $2",
      {now, int64_t{limit}}));
}

std::vector<std::pair<std::string, std::string>> Unfinished(db::Conn& c, int64_t started_before,
                                                            int limit) {
  return Pairs(c.Query(
      "SELECT county_id, id FROM meetings WHERE status IN ('scheduled', 'live') AND start_at < $1 "
      "AND start_at + planned_minutes * 60000 < $1 ORDER BY start_at LIMIT $2",
      {started_before, int64_t{limit}}));
}

std::vector<std::pair<std::string, std::string>> ActionsOverdue(db::Conn& c, int64_t now,
                                                                int64_t reminded_before,
                                                                int limit) {
  return Pairs(
      c.Query("SELECT county_id, id FROM meeting_actions WHERE status = 'open' AND due_at < $1 AND "
              "(reminded_at IS NULL OR reminded_at < $2) ORDER BY due_at LIMIT $3",
              {now, reminded_before, int64_t{limit}}));
}

void SetCalendarToken(db::Conn& c, const std::string& county, const std::string& account,
                      const std::string& hash, int64_t at) {
  c.Exec("DELETE FROM calendar_tokens WHERE county_id = $1 AND account_id = $2", {county, account});
  c.Exec(
      "INSERT INTO calendar_tokens (county_id, account_id, token_hash, created_at) VALUES ($1, "
      "$2, $3, $4)",
      {county, account, hash, at});
}

bool HasCalendarToken(db::Conn& c, const std::string& county, const std::string& account) {
  return c
      .One("SELECT 1 FROM calendar_tokens WHERE county_id = $1 AND account_id = $2",
           {county, account})
      .has_value();
}

std::optional<std::pair<std::string, std::string>> CalendarOwner(db::Conn& c,
                                                                 const std::string& hash) {
  auto r = c.One("SELECT county_id, account_id FROM calendar_tokens WHERE token_hash = $1", {hash});
  if (!r) return std::nullopt;
  return std::make_pair(r->Str(0), r->Str(1));
}

std::vector<Meeting> Ended(db::Conn& c, const std::string& county, int64_t from, int64_t to) {
  std::vector<Meeting> out;
  for (auto& r : c.Query(std::string("SELECT ") + kCols +
                             " FROM meetings WHERE county_id = $1 AND status = 'ended' AND "
                             "start_at >= $2 AND start_at < $3",
                         {county, from, to}))
    out.push_back(FromRow(r));
  return out;
}

std::string RegionName(db::Conn& c, const std::string& county, const std::string& code) {
  auto r = c.One("SELECT name FROM regions WHERE county_id = $1 AND code = $2", {county, code});
  return r ? r->Str(0) : std::string();
}

std::string UnitName(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One("SELECT name FROM units WHERE county_id = $1 AND id = $2", {county, id});
  return r ? r->Str(0) : std::string();
}

std::pair<std::string, std::string> AccountMember(db::Conn& c, const std::string& county,
                                                  const std::string& account) {
  auto r = c.One("SELECT person_id, name FROM accounts WHERE county_id = $1 AND id = $2",
                 {county, account});
  if (!r) return {account, ""};
  auto person = r->Str(0);
  return {person.empty() ? account : person, r->Str(1)};
}

}  // namespace sx::meetings::repo
