// Attendance arithmetic, pure and clock-free (tests drive it with fixed times).
//
// A member's minutes = the length of the union of their room segments and, for an on-site
// check-in, the span from the check-in to the meeting's end, all clipped to the meeting's actual
// span. The actual span starts at the first presence (join or check-in) and ends at the meeting's
// end (the host's) or, while it has none, at `now` when someone is still present or else at the
// last leave. Present = at least one minute, or checked in. Late = first presence more than
// `grace` after the planned start. A manager's correction replaces minutes and present.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/meetings/model.h"

namespace sx::meetings {

struct AttendanceRow {
  Member member;
  int64_t minutes = 0;
  bool present = false, late = false, corrected = false;
  std::optional<int64_t> first_join_at;
};

struct Attendance {
  std::vector<AttendanceRow> rows;              // in the order of `members`
  int64_t invitees = 0, present = 0, late = 0;  // guests are not counted
  double rate = 0;                              // present / invitees
  std::optional<int64_t> started_at, ended_at;
  int64_t actual_minutes = 0;
};

inline constexpr int64_t kLateGraceMs = 5 * 60 * 1000;

Attendance Compute(const Meeting& m, const std::vector<Member>& members,
                   const std::vector<Segment>& segments, int64_t now,
                   int64_t grace_ms = kLateGraceMs);

}  // namespace sx::meetings
