#include "modules/meetings/json.h"

#include <boost/json.hpp>
#include <cmath>

#include "core/util/clock.h"

namespace sx::meetings::json {

using boost::json::array;
using boost::json::object;
using boost::json::value;

namespace {
value Time(const std::optional<int64_t>& t) { return t ? value(util::IsoUtc(*t)) : value(nullptr); }
double Rate(int64_t part, int64_t whole) {
  return whole ? std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 1000
               : 0.0;
}
}  // namespace

object MeetingJson(const View& v) {
  const Meeting& m = v.meeting;
  object me{{"invited", v.me.has_value() && !v.me->guest},
            {"rsvp", v.me ? value(v.me->rsvp) : value(nullptr)},
            {"reason", v.me ? v.me->rsvp_reason : std::string()},
            {"is_host", v.is_host},
            {"can_manage", v.can_manage},
            {"checked_in_at", v.me ? Time(v.me->checked_in_at) : value(nullptr)}};
  value minutes = nullptr;
  if (m.minutes_body)
    minutes =
        object{{"body", *m.minutes_body}, {"updated_at", Time(m.minutes_at)}, {"by", m.minutes_by}};
  std::optional<int64_t> actual = m.actual_minutes;
  return object{
      {"id", m.id},
      {"title", m.title},
      {"agenda", m.agenda},
      {"mode", m.mode},
      {"kind", m.kind},
      {"place", m.place},
      {"start_at", util::IsoUtc(m.start_at)},
      {"planned_minutes", m.planned_minutes},
      {"end_at", util::IsoUtc(m.end_at())},
      {"status", m.status},
      {"cancel_reason", m.cancel_reason},
      {"host", object{{"account_id", m.host_account}, {"name", m.host_name}}},
      {"organizer_label", m.organizer_label},
      {"notice_id", m.notice_id},
      {"sequence", m.sequence},
      {"remind_minutes", m.remind_minutes},
      {"counts", object{{"invitees", v.counts.invitees},
                        {"accepted", v.counts.accepted},
                        {"declined", v.counts.declined},
                        {"pending", v.counts.pending}}},
      {"started_at", Time(m.started_at)},
      {"ended_at", Time(m.ended_at)},
      {"actual_minutes", actual ? value(*actual) : value(nullptr)},
      {"me", std::move(me)},
      {"minutes", std::move(minutes)},
      {"created_at", util::IsoUtc(m.created_at)},
      {"updated_at", util::IsoUtc(m.updated_at)},
  };
}

object MemberJson(const Member& m) {
  return object{{"member_id", m.member_id},
                {"name", m.name},
                {"village_name", m.village_name},
                {"rsvp", m.rsvp},
                {"reason", m.rsvp_reason},
                {"rsvp_at", Time(m.rsvp_at)},
                {"guest", m.guest},
                {"checked_in_at", Time(m.checked_in_at)}};
}

object AttendanceRowJson(const AttendanceRow& r) {
  return object{{"member_id", r.member.member_id},
                {"name", r.member.name},
                {"village_name", r.member.village_name},
                {"rsvp", r.member.rsvp},
                {"guest", r.member.guest},
                {"minutes", r.minutes},
                {"present", r.present},
                {"late", r.late},
                {"first_join_at", Time(r.first_join_at)},
                {"checked_in_at", Time(r.member.checked_in_at)},
                {"corrected", r.corrected},
                {"note", r.member.fix_note}};
}

object AttendanceJson(const Attendance& a) {
  array items;
  for (auto& r : a.rows) items.push_back(AttendanceRowJson(r));
  return object{{"summary", object{{"invitees", a.invitees},
                                   {"present", a.present},
                                   {"rate", Rate(a.present, a.invitees)},
                                   {"late", a.late},
                                   {"started_at", Time(a.started_at)},
                                   {"ended_at", Time(a.ended_at)},
                                   {"actual_minutes", a.actual_minutes}}},
                {"items", std::move(items)}};
}

object ActionJson(const Action& a, int64_t now) {
  return object{{"id", a.id},
                {"meeting_id", a.meeting_id},
                {"meeting_title", a.meeting_title},
                {"title", a.title},
                {"owner", object{{"member_id", a.owner_member}, {"name", a.owner_name}}},
                {"due_at", util::IsoUtc(a.due_at)},
                {"status", a.status},
                {"done_at", Time(a.done_at)},
                {"note", a.note},
                {"overdue", a.status == "open" && a.due_at < now},
                {"created_at", util::IsoUtc(a.created_at)}};
}

object FigureJson(const Figure& f) {
  return object{{"month", f.month},
                {"group_id", f.group_id},
                {"group_name", f.group_name},
                {"meetings", f.meetings},
                {"hours", std::round(static_cast<double>(f.minutes) / 6.0) / 10.0},
                {"invitees", f.invitees},
                {"present", f.present},
                {"rate", Rate(f.present, f.invitees)}};
}

}  // namespace sx::meetings::json
