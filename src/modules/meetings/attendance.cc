#include "modules/meetings/attendance.h"

#include <algorithm>
#include <unordered_map>

namespace sx::meetings {

Attendance Compute(const Meeting& m, const std::vector<Member>& members,
                   const std::vector<Segment>& segments, int64_t now, int64_t grace_ms) {
  Attendance a;
  // The actual span.
  std::optional<int64_t> first, last_leave;
  bool open = false;
  for (auto& s : segments) {
    first = first ? std::min(*first, s.joined_at) : s.joined_at;
    if (s.left_at)
      last_leave = last_leave ? std::max(*last_leave, *s.left_at) : *s.left_at;
    else
      open = true;
  }
  for (auto& mb : members)
    if (mb.checked_in_at) first = first ? std::min(*first, *mb.checked_in_at) : *mb.checked_in_at;
  if (m.started_at) first = first ? std::min(*first, *m.started_at) : *m.started_at;
  a.started_at = first;
  int64_t end = 0;
  if (m.ended_at) {
    end = *m.ended_at;
  } else if (open || !last_leave) {
    end = now;
  } else {
    end = *last_leave;
  }
  if (first) {
    end = std::max(end, *first);
    a.ended_at = m.ended_at ? m.ended_at : (open ? std::nullopt : last_leave);
    a.actual_minutes = (end - *first) / 60000;
  }

  std::unordered_map<std::string, std::vector<std::pair<int64_t, int64_t>>> spans;
  std::unordered_map<std::string, int64_t> first_join;
  for (auto& s : segments) {
    auto [it, fresh] = first_join.try_emplace(s.member_id, s.joined_at);
    if (!fresh) it->second = std::min(it->second, s.joined_at);
    int64_t from = s.joined_at, to = s.left_at ? *s.left_at : end;
    if (first) from = std::max(from, *first);
    to = std::min(to, end);
    if (to > from) spans[s.member_id].push_back({from, to});
  }
  for (auto& mb : members) {
    AttendanceRow row;
    row.member = mb;
    auto& v = spans[mb.member_id];
    if (mb.checked_in_at && *mb.checked_in_at < end) v.push_back({*mb.checked_in_at, end});
    std::sort(v.begin(), v.end());
    int64_t total = 0, cur_from = 0, cur_to = 0;
    bool any = false;
    for (auto& [f, t] : v) {
      if (!any || f > cur_to) {
        if (any) total += cur_to - cur_from;
        cur_from = f;
        cur_to = t;
        any = true;
      } else {
        cur_to = std::max(cur_to, t);
      }
    }
    if (any) total += cur_to - cur_from;
    std::optional<int64_t> firstp;
    if (auto it = first_join.find(mb.member_id); it != first_join.end()) firstp = it->second;
    if (mb.checked_in_at)
      firstp = firstp ? std::min(*firstp, *mb.checked_in_at) : *mb.checked_in_at;
    row.first_join_at = firstp;
    row.minutes = total / 60000;
    row.present = row.minutes >= 1 || mb.checked_in_at.has_value();
    row.late = firstp && *firstp > m.start_at + grace_ms;
    if (mb.fix_minutes || mb.fix_present) {
      row.corrected = true;
      if (mb.fix_minutes) row.minutes = *mb.fix_minutes;
      if (mb.fix_present) row.present = *mb.fix_present;
      if (!row.present) row.late = false;
    }
    if (!mb.guest) {
      ++a.invitees;
      if (row.present) ++a.present;
      if (row.present && row.late) ++a.late;
    }
    a.rows.push_back(std::move(row));
  }
  a.rate = a.invitees ? static_cast<double>(a.present) / static_cast<double>(a.invitees) : 0;
  return a;
}

}  // namespace sx::meetings
