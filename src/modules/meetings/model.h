// Meetings module data. Plain structs; no behaviour. Times are Unix milliseconds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sx::meetings {

struct Meeting {
  std::string id, title, agenda, mode, place, status, cancel_reason;
  std::string kind = "meeting";  // meeting, training (培训)
  int64_t start_at = 0, planned_minutes = 0, remind_minutes = 30;
  std::string host_account, host_name, organizer_label, organizer_region, organizer_unit;
  std::string notice_id, checkin_secret;
  int64_t sequence = 0, invitees = 0;
  std::optional<int64_t> actual_minutes, present_count;  // kept once ended
  std::optional<int64_t> started_at, ended_at, reminded_at, minutes_at;
  std::optional<std::string> minutes_body;
  std::string minutes_by;
  int64_t created_at = 0, updated_at = 0;
  int64_t end_at() const { return start_at + planned_minutes * 60000; }
};

struct Counts {
  int64_t invitees = 0, accepted = 0, declined = 0, pending = 0;
};

struct Member {
  std::string member_id, account_id, name, village_code, village_name;
  bool guest = false;
  std::string rsvp = "pending", rsvp_reason;
  std::optional<int64_t> rsvp_at, checked_in_at;
  std::optional<int64_t> fix_minutes;
  std::optional<bool> fix_present;
  std::string fix_note;
};

struct Segment {
  std::string member_id;
  int64_t joined_at = 0;
  std::optional<int64_t> left_at;
};

struct Action {
  std::string id, meeting_id, meeting_title, title, owner_member, owner_account, owner_name;
  int64_t due_at = 0;
  std::string status = "open", note, created_by;
  std::optional<int64_t> done_at, reminded_at;
  int64_t created_at = 0;
};

struct Figure {
  std::string month, group_id, group_name;
  int64_t meetings = 0, minutes = 0, invitees = 0, present = 0;
};

}  // namespace sx::meetings
