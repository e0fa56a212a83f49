#include "modules/meetings/service.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/audit/audit.h"
#include "core/events/log.h"
#include "core/log/log.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "core/util/strings.h"
#include "modules/meetings/ics.h"
#include "modules/meetings/repo.h"

namespace sx::meetings {

using perm::Perm;

namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kDay = 24 * 60 * kMinute;

bool CleanText(const std::string& s) {
  if (!util::ValidUtf8(s)) return false;
  for (unsigned char c : s)
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
  return true;
}

void Text(std::vector<FieldError>& errors, const std::string& field, const std::string& v, long min,
          long max) {
  long n = util::Utf8Length(v);
  if (n < min || n > max || !CleanText(v))
    errors.push_back({field, std::to_string(min) + " to " + std::to_string(max) + " characters"});
}

bool Mode(const std::string& m) { return m == "online" || m == "onsite" || m == "both"; }

audit::Entry Audit(const Caller& c, const std::string& action, const std::string& type,
                   const std::string& id, const std::string& detail, int64_t now) {
  return audit::Entry{c.who.county_id, c.who.account_id, action, type, id, "ok", c.ip, detail, now};
}

// "2026年12月1日 09:00" in Asia/Shanghai.
std::string LocalLabel(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d年%d月%d日 %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min);
  return buf;
}

const char* ModeLabel(const std::string& m) {
  return m == "online" ? "线上" : m == "onsite" ? "现场" : "线上 + 现场";
}

[[noreturn]] void Over(const Meeting& m) {
  throw Error::Conflict(m.status == "cancelled" ? "The meeting was cancelled"
                                                : "The meeting has ended");
}

}  // namespace

MeetingsService::MeetingsService(db::Database& db, notices::NoticesService& notices,
                                 events::Hub* hub, const util::Clock& clock, ServiceOptions opts)
    : db_(db),
      notices_(notices),
      hub_(hub),
      clock_(clock),
      opts_(std::move(opts)),
      rooms_(clock, opts_.ice_servers_json, [this](const Admission& a, bool joined, int64_t at) {
        std::lock_guard lk(presence_mu_);
        presence_.push_back({a, joined, at});
      }) {}

MeetingsService::~MeetingsService() = default;

std::string MeetingsService::MemberId(const perm::Principal& who) const {
  return who.person_id.empty() ? who.account_id : who.person_id;
}

bool MeetingsService::CanManage(const perm::Principal& who, const Meeting& m) const {
  if (who.account_id == m.host_account) return true;
  for (auto& g : who.grants) {
    if (g.role == perm::Role::kUnitStaff) {
      if (!m.organizer_unit.empty() && g.unit_id == m.organizer_unit) return true;
      continue;
    }
    if (perm::RoleHas(g.role, Perm::kMeetingSchedule) &&
        perm::Within(g.region_code, m.organizer_region))
      return true;
  }
  return false;
}

View MeetingsService::Load(db::Conn& c, const perm::Principal& who, const Meeting& m) {
  View v;
  v.meeting = m;
  v.counts = repo::CountMembers(c, who.county_id, m.id);
  v.me = repo::GetMember(c, who.county_id, m.id, MemberId(who));
  v.is_host = who.account_id == m.host_account;
  v.can_manage = CanManage(who, m);
  return v;
}

View MeetingsService::Visible(const perm::Principal& who, const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  std::optional<View> v;
  db_.Read([&](db::Conn& c) {
    auto m = repo::Get(c, who.county_id, id);
    if (m) v = Load(c, who, *m);
  });
  if (!v || (!v->can_manage && !v->me)) throw Error::NotFound();
  return *v;
}

View MeetingsService::Managed(const perm::Principal& who, const std::string& id) {
  View v = Visible(who, id);
  if (!v.can_manage) throw Error::NotFound();
  return v;
}

std::vector<std::string> MeetingsService::Keys(db::Conn& c, const std::string& county,
                                               const Meeting& m) {
  // The invitation's audience, plus the host (who may not be in it).
  std::vector<std::string> keys;
  for (auto& mb : repo::Members(c, county, m.id, "", "", static_cast<int>(opts_.max_invitees)))
    keys.push_back(mb.account_id.empty() ? "p:" + mb.member_id : "a:" + mb.account_id);
  keys.push_back("a:" + m.host_account);
  return keys;
}

void MeetingsService::Announce(db::Conn& c, const std::string& county, const Meeting& m,
                               const std::string& type, std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  boost::json::object o{{"id", m.id},
                        {"title", m.title},
                        {"status", m.status},
                        {"start_at", util::IsoUtc(m.start_at)},
                        {"sequence", m.sequence}};
  events::Append(c, county, type, keys, boost::json::serialize(o), clock_.NowMs());
}

std::string MeetingsService::NoticeBody(const Meeting& m) const {
  std::string body = "**时间**：" + LocalLabel(m.start_at) + "（约 " +
                     std::to_string(m.planned_minutes) + " 分钟）\n\n**方式**：" +
                     ModeLabel(m.mode);
  if (!m.place.empty()) body += "\n\n**地点**：" + m.place;
  if (!m.agenda.empty()) body += "\n\n**议程**：\n\n" + m.agenda;
  body += "\n\n[查看会议、回复是否参加](/m/meetings/" + m.id + ")";
  return body;
}

View MeetingsService::Create(const Caller& cl, const MeetingInput& in) {
  const auto& who = cl.who;
  int64_t now = clock_.NowMs();
  std::vector<FieldError> errors;
  Text(errors, "title", in.title, 1, 100);
  Text(errors, "agenda", in.agenda, 0, 5000);
  Text(errors, "place", in.place, 0, 100);
  if (!Mode(in.mode)) errors.push_back({"mode", "online, onsite or both"});
  if (in.kind != "meeting" && in.kind != "training")
    errors.push_back({"kind", "meeting or training"});
  if ((in.mode == "onsite" || in.mode == "both") && in.place.empty())
    errors.push_back({"place", "say where the meeting is held"});
  if (!in.start_at)
    errors.push_back({"start_at", "an ISO 8601 date-time"});
  else if (*in.start_at < now - 10 * kMinute)
    errors.push_back({"start_at", "must not be in the past"});
  else if (*in.start_at > now + 366 * kDay)
    errors.push_back({"start_at", "at most a year ahead"});
  if (in.planned_minutes < 5 || in.planned_minutes > 720)
    errors.push_back({"planned_minutes", "5 to 720 minutes"});
  if (in.remind_minutes < 0 || in.remind_minutes > 1440)
    errors.push_back({"remind_minutes", "0 to 1440 minutes"});
  if (!errors.empty()) throw Error::Invalid("The meeting is not valid", std::move(errors));

  Meeting m;
  m.id = util::NewId();
  m.title = in.title;
  m.agenda = in.agenda;
  m.mode = in.mode;
  m.kind = in.kind;
  m.place = in.place;
  m.start_at = *in.start_at;
  m.planned_minutes = in.planned_minutes;
  m.remind_minutes = in.remind_minutes;
  m.status = "scheduled";
  m.host_account = who.account_id;
  m.host_name = who.name;
  m.checkin_secret = util::RandomHex(32);
  m.created_at = m.updated_at = now;

  notices::NoticeInput n;
  n.title = "会议通知：" + m.title;
  n.body = NoticeBody(m);
  n.category = "meeting";
  n.audience = in.audience;
  n.unit_id = in.unit_id;
  n.sms = in.sms;
  n.expires_at = m.end_at() + kDay;
  notices_.Publish(
      cl, n, [&](db::Conn& c, const notices::Notice& notice, const std::vector<std::string>&) {
        m.notice_id = notice.id;
        m.organizer_label = notice.publisher_label;
        m.organizer_region = notice.publisher_region;
        m.organizer_unit = notice.publisher_unit;
        auto people = notices_.Members(c, who.county_id, notice, opts_.max_invitees + 1);
        if (people.size() > opts_.max_invitees)
          throw Error::Field("audience", "at most " + std::to_string(opts_.max_invitees) +
                                             " invitees; a larger audience needs a notice, not a "
                                             "meeting");
        for (auto& p : people) {
          Member mb;
          mb.member_id = p.person_id.empty() ? p.account_id : p.person_id;
          mb.account_id = p.account_id;
          mb.name = p.name;
          mb.village_code = p.village_code;
          repo::InsertMember(c, who.county_id, m.id, mb);
        }
        repo::LinkAccounts(c, who.county_id, m.id);
        m.invitees = static_cast<int64_t>(people.size());
        repo::Insert(c, who.county_id, m);
        audit::Append(c, Audit(cl, "meeting.create", "meeting", m.id,
                               "invitees=" + std::to_string(m.invitees), now));
        Announce(c, who.county_id, m, "meeting.invited", Keys(c, who.county_id, m));
      });
  if (hub_) hub_->Kick();
  return Get(who, m.id);
}

View MeetingsService::Get(const perm::Principal& who, const std::string& id) {
  return Visible(who, id);
}

ViewPage MeetingsService::List(const perm::Principal& who, const std::string& scope,
                               const std::string& when, const std::string& cursor, int limit) {
  if (scope != "mine" && scope != "managed") throw Error::Field("scope", "mine or managed");
  if (when != "upcoming" && when != "past") throw Error::Field("when", "upcoming or past");
  repo::ListFilter f;
  f.upcoming = when == "upcoming";
  f.limit = limit + 1;
  f.account_id = who.account_id;
  if (scope == "mine") {
    f.member_id = MemberId(who);
  } else {
    f.managed = true;
    for (auto& g : who.grants) {
      if (g.role == perm::Role::kUnitStaff) {
        f.units.push_back(g.unit_id);
      } else if (perm::RoleHas(g.role, Perm::kMeetingSchedule)) {
        f.region_ranges.push_back(perm::CodeRange(g.region_code));
      }
    }
  }
  if (!cursor.empty()) {
    auto dot = cursor.find('.');
    if (dot == std::string::npos || dot == 0 || dot > 15 ||
        cursor.find_first_not_of("0123456789", 0) != dot ||
        !util::LooksLikeId(cursor.substr(dot + 1)))
      throw Error::Field("cursor", "not a cursor from this list");
    f.after_start = std::stoll(cursor.substr(0, dot));
    f.after_id = cursor.substr(dot + 1);
  }
  ViewPage page;
  db_.Read([&](db::Conn& c) {
    auto rows = repo::List(c, who.county_id, f);
    bool more = static_cast<int>(rows.size()) > limit;
    if (more) rows.resize(limit);
    for (auto& m : rows) page.items.push_back(Load(c, who, m));
    if (more && !rows.empty())
      page.next_cursor = std::to_string(rows.back().start_at) + "." + rows.back().id;
  });
  return page;
}

View MeetingsService::Update(const Caller& cl, const std::string& id, const MeetingPatch& p) {
  View v = Managed(cl.who, id);
  Meeting m = v.meeting;
  if (m.status == "ended" || m.status == "cancelled") Over(m);
  int64_t now = clock_.NowMs();
  std::vector<FieldError> errors;
  Text(errors, "note", p.note, 1, 200);
  if (p.title) Text(errors, "title", *p.title, 1, 100);
  if (p.agenda) Text(errors, "agenda", *p.agenda, 0, 5000);
  if (p.place) Text(errors, "place", *p.place, 0, 100);
  if (p.mode && !Mode(*p.mode)) errors.push_back({"mode", "online, onsite or both"});
  if (p.start_at && m.status == "live")
    errors.push_back({"start_at", "the meeting has already started"});
  else if (p.start_at && (*p.start_at < now - 10 * kMinute || *p.start_at > now + 366 * kDay))
    errors.push_back({"start_at", "from now to a year ahead"});
  if (p.planned_minutes && (*p.planned_minutes < 5 || *p.planned_minutes > 720))
    errors.push_back({"planned_minutes", "5 to 720 minutes"});
  if (!errors.empty()) throw Error::Invalid("The change is not valid", std::move(errors));
  if (p.title) m.title = *p.title;
  if (p.agenda) m.agenda = *p.agenda;
  if (p.place) m.place = *p.place;
  if (p.mode) m.mode = *p.mode;
  if (p.start_at) {
    if (*p.start_at != m.start_at) m.reminded_at.reset();  // remind again before the new time
    m.start_at = *p.start_at;
  }
  if (p.planned_minutes) m.planned_minutes = *p.planned_minutes;
  if ((m.mode == "onsite" || m.mode == "both") && m.place.empty())
    throw Error::Field("place", "say where the meeting is held");
  m.sequence += 1;
  m.updated_at = now;
  notices::NoticePatch np;
  np.title = "会议通知：" + m.title;
  np.body = NoticeBody(m);
  np.revision_note = p.note;
  auto apply = [&](db::Conn& c) {
    repo::Update(c, cl.who.county_id, m);
    audit::Append(c, Audit(cl, "meeting.update", "meeting", m.id, p.note, now));
    Announce(c, cl.who.county_id, m, "meeting.updated", Keys(c, cl.who.county_id, m));
  };
  if (NoticeLive(cl.who, m.notice_id))
    notices_.Update(
        cl, m.notice_id, np,
        [&](db::Conn& c, const notices::Notice&, const std::vector<std::string>&) { apply(c); });
  else
    db_.Write(apply);
  if (hub_) hub_->Kick();
  return Get(cl.who, id);
}

bool MeetingsService::NoticeLive(const perm::Principal& who, const std::string& notice_id) {
  try {
    return notices_.Get(who, notice_id).status != "withdrawn";
  } catch (const Error&) {
    return false;  // withdrawn on its own, or out of this manager's sight: the meeting goes alone
  }
}

View MeetingsService::Cancel(const Caller& cl, const std::string& id, const std::string& reason) {
  View v = Managed(cl.who, id);
  Meeting m = v.meeting;
  if (m.status == "ended" || m.status == "cancelled") Over(m);
  std::vector<FieldError> errors;
  Text(errors, "reason", reason, 1, 200);
  if (!errors.empty()) throw Error::Invalid("Say why the meeting is cancelled", std::move(errors));
  int64_t now = clock_.NowMs();
  m.status = "cancelled";
  m.cancel_reason = reason;
  m.sequence += 1;
  m.updated_at = now;
  auto apply = [&](db::Conn& c) {
    repo::CloseAllPresence(c, cl.who.county_id, m.id, now);
    repo::Update(c, cl.who.county_id, m);
    audit::Append(c, Audit(cl, "meeting.cancel", "meeting", m.id, reason, now));
    Announce(c, cl.who.county_id, m, "meeting.cancelled", Keys(c, cl.who.county_id, m));
  };
  if (NoticeLive(cl.who, m.notice_id)) {
    // The notice's reason holds at most 200 characters: the prefix only when it fits.
    std::string why = util::Utf8Length(reason) <= 195 ? "会议取消：" + reason : reason;
    notices_.Withdraw(
        cl, m.notice_id, why,
        [&](db::Conn& c, const notices::Notice&, const std::vector<std::string>&) { apply(c); });
  } else {
    db_.Write(apply);
  }
  rooms_.CloseRoom(cl.who.county_id, m.id, kCloseEnded, "the meeting was cancelled");
  if (hub_) hub_->Kick();
  return Get(cl.who, id);
}

void MeetingsService::Finish(db::Conn& c, const std::string& county, Meeting& m, int64_t at) {
  repo::CloseAllPresence(c, county, m.id, at);
  m.status = "ended";
  m.ended_at = at;
  if (!m.started_at) m.started_at = std::min(at, m.start_at);
  auto members = repo::Members(c, county, m.id, "", "", static_cast<int>(opts_.max_invitees) * 2);
  auto a = Compute(m, members, repo::Segments(c, county, m.id), at);
  if (a.started_at) m.started_at = a.started_at;
  m.actual_minutes = a.actual_minutes;
  m.present_count = a.present;
  m.updated_at = at;
  repo::Update(c, county, m);
}

View MeetingsService::End(const Caller& cl, const std::string& id) {
  FlushPresence();
  View v = Managed(cl.who, id);
  Meeting m = v.meeting;
  if (m.status == "ended" || m.status == "cancelled") Over(m);
  int64_t now = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    Finish(c, cl.who.county_id, m, now);
    audit::Append(c, Audit(cl, "meeting.end", "meeting", m.id, "", now));
    Announce(c, cl.who.county_id, m, "meeting.ended", Keys(c, cl.who.county_id, m));
  });
  rooms_.CloseRoom(cl.who.county_id, m.id, kCloseEnded, "the meeting has ended");
  if (hub_) hub_->Kick();
  return Get(cl.who, id);
}

View MeetingsService::Rsvp(const Caller& cl, const std::string& id, const std::string& answer,
                           const std::string& reason) {
  View v = Visible(cl.who, id);
  if (!v.me || v.me->guest) throw Error::NotFound();
  const Meeting& m = v.meeting;
  if (m.status == "ended" || m.status == "cancelled") Over(m);
  std::vector<FieldError> errors;
  if (answer != "accepted" && answer != "declined")
    errors.push_back({"answer", "accepted or declined"});
  Text(errors, "reason", reason, answer == "declined" ? 1 : 0, 200);
  if (!errors.empty()) throw Error::Invalid("The answer is not valid", std::move(errors));
  int64_t now = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    repo::SetRsvp(c, cl.who.county_id, id, v.me->member_id, answer, reason, now);
    audit::Append(c, Audit(cl, "meeting.rsvp", "meeting", id, answer, now));
    Announce(c, cl.who.county_id, m, "meeting.rsvp", {"a:" + m.host_account});
  });
  if (hub_) hub_->Kick();
  return Get(cl.who, id);
}

MemberPage MeetingsService::Invitees(const perm::Principal& who, const std::string& id,
                                     const std::string& rsvp, const std::string& cursor,
                                     int limit) {
  View v = Managed(who, id);
  if (!rsvp.empty() && rsvp != "pending" && rsvp != "accepted" && rsvp != "declined")
    throw Error::Field("rsvp", "pending, accepted or declined");
  if (!cursor.empty() && cursor.size() > 64) throw Error::Field("cursor", "not a cursor");
  MemberPage page;
  db_.Read([&](db::Conn& c) {
    page.items = repo::Members(c, who.county_id, id, rsvp, cursor, limit + 1);
  });
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next_cursor = page.items.back().member_id;
  }
  return page;
}

std::string MeetingsService::Ics(const perm::Principal& who, const std::string& id,
                                 const std::string& origin) {
  View v = Visible(who, id);
  ics::Event e;
  e.meeting = v.meeting;
  e.url = origin + "/m/meetings/" + id;
  if (v.me) {
    e.attendee_name = v.me->name;
    e.attendee_id = v.me->member_id;
    e.partstat = ics::PartStat(v.me->rsvp);
  }
  return ics::Calendar(v.meeting.title, {e}, clock_.NowMs());
}

std::optional<std::string> MeetingsService::CalendarUrl(const perm::Principal& who) {
  bool has = db_.ReadValue(
      [&](db::Conn& c) { return repo::HasCalendarToken(c, who.county_id, who.account_id); });
  // The token itself is only shown once, when made; afterwards the page can only rotate it.
  if (!has) return std::nullopt;
  return std::string();
}

std::string MeetingsService::RotateCalendarToken(const Caller& cl) {
  std::string token = util::RandomHex(24);
  int64_t now = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    repo::SetCalendarToken(c, cl.who.county_id, cl.who.account_id, util::DigestHex(token, 32), now);
    audit::Append(c, Audit(cl, "calendar.token", "account", cl.who.account_id, "rotated", now));
  });
  return "/api/v1/calendar/" + token + ".ics";
}

std::string MeetingsService::Feed(const std::string& token, const std::string& origin) {
  if (token.size() != 48 || token.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw Error::NotFound();
  int64_t now = clock_.NowMs();
  std::vector<ics::Event> events;
  std::optional<std::pair<std::string, std::string>> owner;
  std::string member, name;
  db_.Read([&](db::Conn& c) {
    owner = repo::CalendarOwner(c, util::DigestHex(token, 32));
    if (!owner) return;
    auto who = repo::AccountMember(c, owner->first, owner->second);
    member = who.first;
    name = who.second;
    repo::ListFilter f;
    f.member_id = member;
    f.account_id = owner->second;
    f.since = now - 90 * kDay;
    f.limit = 500;
    std::vector<Meeting> all;
    for (bool upcoming : {true, false}) {
      f.upcoming = upcoming;
      for (auto& m : repo::List(c, owner->first, f)) all.push_back(std::move(m));
    }
    std::vector<std::string> ids;
    for (auto& m : all) ids.push_back(m.id);
    std::map<std::string, Member> rows;
    for (auto& [mid, mb] : repo::MemberRows(c, owner->first, ids, member)) rows[mid] = mb;
    std::sort(all.begin(), all.end(),
              [](const Meeting& a, const Meeting& b) { return a.start_at < b.start_at; });
    for (auto& m : all) {
      ics::Event e;
      e.meeting = m;
      e.url = origin + "/m/meetings/" + m.id;
      if (auto it = rows.find(m.id); it != rows.end()) {
        e.attendee_name = name;
        e.attendee_id = member;
        e.partstat = ics::PartStat(it->second.rsvp);
      }
      events.push_back(std::move(e));
    }
  });
  if (!owner) throw Error::NotFound();
  return ics::Calendar("数乡会议 · " + name, events, now);
}

std::string MeetingsService::Sign(const Meeting& m, int64_t expires) const {
  std::string msg = m.id + "." + std::to_string(expires);
  unsigned char mac[16];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(msg.data()),
                     msg.size(), reinterpret_cast<const unsigned char*>(m.checkin_secret.data()),
                     std::min<size_t>(m.checkin_secret.size(), crypto_generichash_KEYBYTES_MAX));
  return util::ToHex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

CheckinCode MeetingsService::NewCheckinCode(const Caller& cl, const std::string& id) {
  View v = Managed(cl.who, id);
  if (v.meeting.status == "ended" || v.meeting.status == "cancelled") Over(v.meeting);
  if (v.meeting.mode == "online")
    throw Error::Conflict("An online meeting has no on-site check-in");
  CheckinCode out;
  out.expires_at = clock_.NowMs() + opts_.checkin_code_ms;
  out.code = std::to_string(out.expires_at) + "." + Sign(v.meeting, out.expires_at);
  out.url = "/m/meetings/" + id + "/checkin?code=" + out.code;
  return out;
}

int64_t MeetingsService::Checkin(const Caller& cl, const std::string& id, const std::string& code) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  int64_t now = clock_.NowMs();
  std::optional<Meeting> m;
  db_.Read([&](db::Conn& c) { m = repo::Get(c, cl.who.county_id, id); });
  if (!m) throw Error::NotFound();
  auto refuse = [&](const std::string& why, const std::string& message) {
    audit::AppendAsync(db_, {cl.who.county_id, cl.who.account_id, "meeting.checkin", "meeting", id,
                             "denied", cl.ip, why, now});
    throw Error::Field("code", message);
  };
  auto dot = code.find('.');
  if (code.size() > 64 || dot == std::string::npos || dot == 0 || dot > 15 ||
      code.find_first_not_of("0123456789") != dot)
    refuse("forged", "not a check-in code of this meeting");
  int64_t expires = std::stoll(code.substr(0, dot));
  std::string mac = code.substr(dot + 1), want = Sign(*m, expires);
  if (mac.size() != want.size() || sodium_memcmp(mac.data(), want.data(), want.size()) != 0)
    refuse("forged", "not a check-in code of this meeting");
  if (expires < now) refuse("expired", "the code has expired: scan the code on the screen again");
  if (m->status == "ended" || m->status == "cancelled") Over(*m);
  std::string member = MemberId(cl.who);
  int64_t at = now;
  db_.Write([&](db::Conn& c) {
    auto row = repo::GetMember(c, cl.who.county_id, id, member);
    if (!row) {
      // A valid code proves presence at the venue: an uninvited attendee is recorded as a guest.
      Member g;
      g.member_id = member;
      g.account_id = cl.who.account_id;
      g.name = cl.who.name;
      g.guest = true;
      repo::InsertMember(c, cl.who.county_id, id, g);
    } else if (row->checked_in_at) {
      at = *row->checked_in_at;
      return;
    }
    repo::SetCheckin(c, cl.who.county_id, id, member, now);
    if (repo::MarkLive(c, cl.who.county_id, id, now)) m->status = "live";
    audit::Append(c, Audit(cl, "meeting.checkin", "meeting", id, row ? "" : "guest", now));
    Announce(c, cl.who.county_id, *m, "meeting.attendance", {"a:" + m->host_account});
  });
  if (hub_) hub_->Kick();
  return at;
}

Attendance MeetingsService::GetAttendance(const perm::Principal& who, const std::string& id) {
  FlushPresence();
  View v = Managed(who, id);
  Attendance a;
  int64_t now = clock_.NowMs();
  db_.Read([&](db::Conn& c) {
    auto members =
        repo::Members(c, who.county_id, id, "", "", static_cast<int>(opts_.max_invitees) * 2);
    a = Compute(v.meeting, members, repo::Segments(c, who.county_id, id), now);
  });
  if (!v.meeting.started_at && v.meeting.status == "scheduled") {
    a.started_at.reset();
    a.actual_minutes = 0;
  }
  return a;
}

AttendanceRow MeetingsService::Correct(const Caller& cl, const std::string& id,
                                       const std::string& member_id, int64_t minutes, bool present,
                                       const std::string& note) {
  View v = Managed(cl.who, id);
  std::vector<FieldError> errors;
  Text(errors, "note", note, 1, 200);
  if (minutes < 0 || minutes > 24 * 60) errors.push_back({"minutes", "0 to 1440"});
  if (!errors.empty()) throw Error::Invalid("The correction is not valid", std::move(errors));
  int64_t now = clock_.NowMs();
  std::optional<AttendanceRow> out;
  db_.Write([&](db::Conn& c) {
    auto row = repo::GetMember(c, cl.who.county_id, id, member_id);
    if (!row) throw Error::NotFound();
    repo::SetFix(c, cl.who.county_id, id, member_id, minutes, present, note);
    audit::Append(c, Audit(cl, "meeting.attendance_fix", "meeting", id,
                           member_id + " minutes=" + std::to_string(minutes) +
                               " present=" + (present ? "1" : "0") + " " + note,
                           now));
    Meeting m = v.meeting;
    auto members =
        repo::Members(c, cl.who.county_id, id, "", "", static_cast<int>(opts_.max_invitees) * 2);
    auto a = Compute(m, members, repo::Segments(c, cl.who.county_id, id), now);
    if (m.status == "ended") {
      m.present_count = a.present;
      repo::Update(c, cl.who.county_id, m);
    }
    for (auto& r : a.rows)
      if (r.member.member_id == member_id) out = r;
  });
  return *out;
}

View MeetingsService::SetMinutes(const Caller& cl, const std::string& id, const std::string& body) {
  View v = Managed(cl.who, id);
  std::vector<FieldError> errors;
  Text(errors, "body", body, 1, 50000);
  if (!errors.empty()) throw Error::Invalid("The minutes are not valid", std::move(errors));
  Meeting m = v.meeting;
  int64_t now = clock_.NowMs();
  m.minutes_body = body;
  m.minutes_by = cl.who.name;
  m.minutes_at = now;
  m.updated_at = now;
  db_.Write([&](db::Conn& c) {
    repo::Update(c, cl.who.county_id, m);
    audit::Append(c, Audit(cl, "meeting.minutes", "meeting", id, "", now));
    Announce(c, cl.who.county_id, m, "meeting.minutes", Keys(c, cl.who.county_id, m));
  });
  if (hub_) hub_->Kick();
  return Get(cl.who, id);
}

std::vector<Action> MeetingsService::Actions(const perm::Principal& who, const std::string& id) {
  Visible(who, id);
  return db_.ReadValue([&](db::Conn& c) { return repo::ActionsOf(c, who.county_id, id); });
}

Action MeetingsService::AddAction(const Caller& cl, const std::string& id, const std::string& title,
                                  const std::string& owner_member, int64_t due_at) {
  View v = Managed(cl.who, id);
  int64_t now = clock_.NowMs();
  std::vector<FieldError> errors;
  Text(errors, "title", title, 1, 200);
  if (due_at < now - kDay || due_at > now + 3 * 366 * kDay)
    errors.push_back({"due_at", "from today to three years ahead"});
  if (!errors.empty()) throw Error::Invalid("The action item is not valid", std::move(errors));
  Action a;
  a.id = util::NewId();
  a.meeting_id = id;
  a.meeting_title = v.meeting.title;
  a.title = title;
  a.due_at = due_at;
  a.created_by = cl.who.account_id;
  a.created_at = now;
  db_.Write([&](db::Conn& c) {
    auto owner = owner_member.size() <= 64 ? repo::GetMember(c, cl.who.county_id, id, owner_member)
                                           : std::nullopt;
    if (!owner) throw Error::Field("owner", "choose one of the meeting's members");
    a.owner_member = owner->member_id;
    a.owner_account = owner->account_id;
    a.owner_name = owner->name;
    repo::InsertAction(c, cl.who.county_id, a);
    audit::Append(c, Audit(cl, "meeting.action", "meeting_action", a.id, title, now));
    if (!a.owner_account.empty()) {
      boost::json::object o{
          {"id", a.id}, {"meeting_id", id}, {"title", a.title}, {"due_at", util::IsoUtc(a.due_at)}};
      events::Append(c, cl.who.county_id, "meeting.action_assigned", {"a:" + a.owner_account},
                     boost::json::serialize(o), now);
    }
  });
  if (hub_) hub_->Kick();
  return a;
}

Action MeetingsService::SetAction(const Caller& cl, const std::string& action_id,
                                  const std::string& status, const std::string& note) {
  if (!util::LooksLikeId(action_id)) throw Error::NotFound();
  std::vector<FieldError> errors;
  if (status != "open" && status != "done") errors.push_back({"status", "open or done"});
  Text(errors, "note", note, 0, 500);
  if (!errors.empty()) throw Error::Invalid("The change is not valid", std::move(errors));
  int64_t now = clock_.NowMs();
  std::optional<Action> a;
  std::optional<Meeting> m;
  db_.Read([&](db::Conn& c) {
    a = repo::GetAction(c, cl.who.county_id, action_id);
    if (a) m = repo::Get(c, cl.who.county_id, a->meeting_id);
  });
  if (!a || !m) throw Error::NotFound();
  bool owner = a->owner_account == cl.who.account_id || a->owner_member == MemberId(cl.who);
  if (!owner && !CanManage(cl.who, *m)) throw Error::NotFound();
  a->status = status;
  a->done_at = status == "done" ? std::optional<int64_t>(now) : std::nullopt;
  a->note = note;
  db_.Write([&](db::Conn& c) {
    repo::UpdateAction(c, cl.who.county_id, *a);
    audit::Append(c, Audit(cl, "meeting.action_" + status, "meeting_action", a->id, note, now));
  });
  return *a;
}

std::vector<Action> MeetingsService::MyActions(const perm::Principal& who) {
  return db_.ReadValue([&](db::Conn& c) {
    return repo::OpenActionsOwnedBy(c, who.county_id, who.account_id, MemberId(who));
  });
}

std::vector<Figure> MeetingsService::Figures(const perm::Principal& who, const std::string& from,
                                             const std::string& to, const std::string& group) {
  if (group != "town" && group != "village" && group != "unit")
    throw Error::Field("group", "town, village or unit");
  auto [lo, hi] = util::MonthWindow(from, to);
  std::map<std::pair<std::string, std::string>, Figure> agg;
  std::map<std::string, std::string> names;
  db_.Read([&](db::Conn& c) {
    for (auto& m : repo::Ended(c, who.county_id, lo, hi)) {
      // The meetings of one's scope, as for notices: a unit's staff see their unit's.
      if (!CanManage(who, m)) continue;
      std::string gid;
      if (group == "unit") {
        gid = m.organizer_unit;
      } else if (group == "town") {
        auto level = perm::LevelOf(m.organizer_region);
        gid = level == perm::Level::kTown || level == perm::Level::kVillage
                  ? perm::AncestorAt(m.organizer_region, perm::Level::kTown)
                  : m.organizer_region;
      } else if (perm::LevelOf(m.organizer_region) == perm::Level::kVillage) {
        gid = m.organizer_region;
      }
      if (gid.empty()) continue;
      auto& f = agg[{util::ShanghaiMonth(m.start_at), gid}];
      f.month = util::ShanghaiMonth(m.start_at);
      f.group_id = gid;
      f.meetings += 1;
      f.minutes += m.actual_minutes.value_or(0);
      f.invitees += m.invitees;
      f.present += m.present_count.value_or(0);
      if (!names.count(gid))
        names[gid] = group == "unit" ? repo::UnitName(c, who.county_id, gid)
                                     : repo::RegionName(c, who.county_id, gid);
    }
  });
  std::vector<Figure> out;
  for (auto& [k, f] : agg) {
    out.push_back(f);
    out.back().group_name = names[f.group_id];
  }
  return out;
}

std::unique_ptr<ws::SocketHandler> MeetingsService::JoinRoom(const perm::Principal& who,
                                                             const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  std::optional<Meeting> m;
  std::optional<Member> me;
  db_.Read([&](db::Conn& c) {
    m = repo::Get(c, who.county_id, id);
    if (m) me = repo::GetMember(c, who.county_id, id, MemberId(who));
  });
  if (!m) throw Error::NotFound();
  if (m->status == "ended" || m->status == "cancelled") Over(*m);
  if (m->mode == "onsite") throw Error::Conflict("An on-site meeting has no online room");
  Admission a;
  a.county_id = who.county_id;
  a.meeting_id = id;
  a.member_id = MemberId(who);
  a.account_id = who.account_id;
  a.name = me && !me->name.empty() ? me->name : who.name;
  a.host = CanManage(who, *m);
  a.invited = me.has_value();
  return rooms_.Connect(std::move(a));
}

void MeetingsService::FlushPresence() {
  std::deque<PresenceOp> ops;
  {
    std::lock_guard lk(presence_mu_);
    ops.swap(presence_);
  }
  if (ops.empty()) return;
  try {
    db_.Write([&](db::Conn& c) {
      for (auto& op : ops) {
        const auto& a = op.who;
        if (op.joined) {
          if (!a.invited && !a.host) {
            Member g;
            g.member_id = a.member_id;
            g.account_id = a.account_id;
            g.name = a.name;
            g.guest = true;
            repo::InsertMember(c, a.county_id, a.meeting_id, g);
          }
          repo::OpenPresence(c, a.county_id, a.meeting_id, a.member_id, op.at);
          if (repo::MarkLive(c, a.county_id, a.meeting_id, op.at))
            if (auto m = repo::Get(c, a.county_id, a.meeting_id))
              Announce(c, a.county_id, *m, "meeting.live", Keys(c, a.county_id, *m));
        } else {
          repo::ClosePresence(c, a.county_id, a.meeting_id, a.member_id, op.at);
        }
      }
    });
  } catch (const std::exception& e) {
    log::Warn("meetings: presence not recorded ({} changes): {}", ops.size(), e.what());
  }
}

int MeetingsService::Tick() {
  FlushPresence();
  int64_t now = clock_.NowMs();
  int done = 0;
  std::vector<std::pair<std::string, std::string>> remind, live, overdue;
  db_.Read([&](db::Conn& c) {
    remind = repo::RemindersDue(c, now, 100);
    live = repo::Unfinished(c, now, 100);
    overdue = repo::ActionsOverdue(c, now, now - kDay, 100);
  });
  for (auto& [county, id] : remind) {
    db_.Write([&](db::Conn& c) {
      auto m = repo::Get(c, county, id);
      if (!m || m->reminded_at || m->status != "scheduled") return;
      m->reminded_at = now;
      repo::Update(c, county, *m);
      // Everyone but those who declined.
      std::vector<std::string> keys{"a:" + m->host_account};
      for (auto& mb : repo::Members(c, county, id, "", "", static_cast<int>(opts_.max_invitees)))
        if (mb.rsvp != "declined")
          keys.push_back(mb.account_id.empty() ? "p:" + mb.member_id : "a:" + mb.account_id);
      Announce(c, county, *m, "meeting.reminder", keys);
    });
    ++done;
  }
  // A live meeting past its planned end whose room has emptied ends at its last leave (or its
  // planned end, when people checked in on site); one nobody attended ends an hour after.
  for (auto& [county, id] : live) {
    if (!rooms_.Present(county, id).empty()) continue;
    db_.Write([&](db::Conn& c) {
      auto m = repo::Get(c, county, id);
      if (!m || m->end_at() > now) return;
      if (m->status == "scheduled" && m->end_at() + 60 * kMinute > now) return;
      if (m->status != "live" && m->status != "scheduled") return;
      int64_t last = m->status == "live" ? m->start_at : m->end_at();
      bool open = false;
      for (auto& s : repo::Segments(c, county, id)) {
        if (s.left_at)
          last = std::max(last, *s.left_at);
        else
          open = true;
      }
      if (open) return;  // someone is in the room on another instance
      for (auto& mb :
           repo::Members(c, county, id, "", "", static_cast<int>(opts_.max_invitees) * 2))
        if (mb.checked_in_at) last = std::max(last, m->end_at());
      Finish(c, county, *m, last);
      audit::Append(c, {county, "system", "meeting.end", "meeting", id, "ok", "", "auto", now});
      Announce(c, county, *m, "meeting.ended", {"a:" + m->host_account});
    });
    ++done;
  }
  for (auto& [county, id] : overdue) {
    db_.Write([&](db::Conn& c) {
      auto a = repo::GetAction(c, county, id);
      if (!a || a->status != "open") return;
      a->reminded_at = now;
      repo::UpdateAction(c, county, *a);
      boost::json::object o{{"id", a->id},
                            {"meeting_id", a->meeting_id},
                            {"title", a->title},
                            {"due_at", util::IsoUtc(a->due_at)}};
      std::vector<std::string> keys;
      if (!a->owner_account.empty()) keys.push_back("a:" + a->owner_account);
      keys.push_back("p:" + a->owner_member);
      events::Append(c, county, "meeting.action_overdue", keys, boost::json::serialize(o), now);
    });
    ++done;
  }
  if (done && hub_) hub_->Kick();
  return done;
}

}  // namespace sx::meetings
