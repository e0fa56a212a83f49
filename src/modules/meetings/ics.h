// iCalendar (RFC 5545) for meetings: one VEVENT per meeting, times in Asia/Shanghai with its
// VTIMEZONE, TEXT values escaped, lines folded at 75 octets without splitting a UTF-8 sequence,
// CRLF line ends. SEQUENCE is the meeting's revision; a cancelled meeting is STATUS:CANCELLED.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "modules/meetings/model.h"

namespace sx::meetings::ics {

struct Event {
  Meeting meeting;
  std::string url;       // absolute or site-relative link to the meeting page
  std::string partstat;  // the reader's answer: ACCEPTED, DECLINED, NEEDS-ACTION ('' = none)
  std::string attendee_name, attendee_id;
};

// A calendar with `events` (METHOD:PUBLISH), named `name` (X-WR-CALNAME).
std::string Calendar(const std::string& name, const std::vector<Event>& events, int64_t now_ms);

// The PARTSTAT of an answer: ACCEPTED, DECLINED or NEEDS-ACTION.
std::string PartStat(const std::string& rsvp);

// Building blocks, exposed for tests.
std::string Escape(std::string_view text);
std::string Fold(std::string_view line);  // with the trailing CRLF

}  // namespace sx::meetings::ics
