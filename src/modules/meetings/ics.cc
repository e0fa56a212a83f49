#include "modules/meetings/ics.h"

#include <ctime>

namespace sx::meetings::ics {

std::string PartStat(const std::string& rsvp) {
  return rsvp == "accepted" ? "ACCEPTED" : rsvp == "declined" ? "DECLINED" : "NEEDS-ACTION";
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string Fold(std::string_view line) {
  std::string out;
  size_t width = 0;  // octets on the current physical line
  for (size_t i = 0; i < line.size();) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 1;
    if (i + len > line.size()) len = line.size() - i;
    if (width + len > 75) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line.substr(i, len));
    width += len;
    i += len;
  }
  out += "\r\n";
  return out;
}

namespace {

// Local Asia/Shanghai wall time (UTC+8, no daylight saving since 1991) as 20261201T090000.
std::string Local(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  return buf;
}

std::string Utc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

void Line(std::string& out, std::string_view l) { out += Fold(l); }

// A parameter value (RFC 5545 3.2): quoted, as names may hold ':' ';' ','; DQUOTE and controls
// cannot appear in one at all, so they are dropped.
std::string Param(std::string_view v) {
  std::string out = "\"";
  for (char ch : v)
    if (ch != '"' && static_cast<unsigned char>(ch) >= 0x20) out += ch;
  return out + "\"";
}

}  // namespace

std::string Calendar(const std::string& name, const std::vector<Event>& events, int64_t now_ms) {
  std::string out;
  Line(out, "BEGIN:VCALENDAR");
  Line(out, "VERSION:2.0");
  Line(out, "PRODID:-//Shuxiang//Meetings//ZH");
  Line(out, "CALSCALE:GREGORIAN");
  Line(out, "METHOD:PUBLISH");
  Line(out, "X-WR-CALNAME:" + Escape(name));
  Line(out, "X-WR-TIMEZONE:Asia/Shanghai");
  Line(out, "BEGIN:VTIMEZONE");
  Line(out, "TZID:Asia/Shanghai");
  Line(out, "BEGIN:STANDARD");
  Line(out, "DTSTART:19700101T000000");
  Line(out, "TZOFFSETFROM:+0800");
  Line(out, "TZOFFSETTO:+0800");
  Line(out, "TZNAME:CST");
  Line(out, "END:STANDARD");
  Line(out, "END:VTIMEZONE");
  for (auto& e : events) {
    const Meeting& m = e.meeting;
    Line(out, "BEGIN:VEVENT");
    Line(out, "UID:" + m.id + "@shuxiang");
    Line(out, "DTSTAMP:" + Utc(now_ms));
    Line(out, "LAST-MODIFIED:" + Utc(m.updated_at));
    Line(out, "CREATED:" + Utc(m.created_at));
    Line(out, "SEQUENCE:" + std::to_string(m.sequence));
    Line(out, "DTSTART;TZID=Asia/Shanghai:" + Local(m.start_at));
    Line(out, "DTEND;TZID=Asia/Shanghai:" + Local(m.end_at()));
    Line(out, "SUMMARY:" + Escape(m.title));
    std::string desc = m.agenda;
    if (m.status == "cancelled" && !m.cancel_reason.empty())
      desc = "会议取消：" + m.cancel_reason + (desc.empty() ? "" : "\n\n" + desc);
    if (!desc.empty()) Line(out, "DESCRIPTION:" + Escape(desc));
    std::string where = m.place;
    if (m.mode != "onsite") where += std::string(where.empty() ? "" : " / ") + "线上会议室";
    if (!where.empty()) Line(out, "LOCATION:" + Escape(where));
    if (e.url.starts_with("http")) Line(out, "URL:" + e.url);  // a URI, not a site path
    Line(out, "STATUS:" + std::string(m.status == "cancelled" ? "CANCELLED" : "CONFIRMED"));
    Line(out, "ORGANIZER;CN=" + Param(m.host_name.empty() ? m.organizer_label : m.host_name) +
                  ":urn:shuxiang:account:" + m.host_account);
    if (!e.partstat.empty())
      Line(out, "ATTENDEE;CN=" + Param(e.attendee_name) + ";PARTSTAT=" + e.partstat +
                    ";ROLE=REQ-PARTICIPANT:urn:shuxiang:member:" + e.attendee_id);
    if (m.status != "cancelled" && m.remind_minutes > 0) {
      Line(out, "BEGIN:VALARM");
      Line(out, "ACTION:DISPLAY");
      Line(out, "DESCRIPTION:" + Escape(m.title));
      Line(out, "TRIGGER:-PT" + std::to_string(m.remind_minutes) + "M");
      Line(out, "END:VALARM");
    }
    Line(out, "END:VEVENT");
  }
  Line(out, "END:VCALENDAR");
  return out;
}

}  // namespace sx::meetings::ics
