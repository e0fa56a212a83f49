// Meetings service: schedule a meeting for an audience (the invitation is a notice with that
// audience, published in the same transaction), answers, edits announced with a revision,
// cancellation, the live room's admission and presence, on-site check-in with signed
// time-limited codes, attendance with audited corrections, minutes, action items with overdue
// reminders, iCalendar files and private feeds, and monthly figures.
//
// Rules: a caller who neither manages a meeting nor is one of its members gets NotFound. Managers
// are its host and whoever may schedule meetings in the scope it was scheduled in (as for
// notices). A forged or expired check-in code is a 422 and is audited. Every state change is
// audited in its transaction and announced to the invitation's audience on the live channel.
// Thread-safe.
#pragma once
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/db/db.h"
#include "core/events/hub.h"
#include "core/perm/perm.h"
#include "core/util/clock.h"
#include "core/ws/socket.h"
#include "modules/meetings/attendance.h"
#include "modules/meetings/model.h"
#include "modules/meetings/room.h"
#include "modules/notices/service.h"
#include "modules/org/demo.h"

namespace sx::meetings {

using org::Caller;

struct MeetingInput {
  std::string title, agenda, mode = "online", place, kind = "meeting";
  std::optional<int64_t> start_at;
  int64_t planned_minutes = 60, remind_minutes = 30;
  notices::AudienceInput audience;
  std::string unit_id;
  bool sms = false;
};

struct MeetingPatch {
  std::optional<std::string> title, agenda, mode, place;
  std::optional<int64_t> start_at, planned_minutes;
  std::string note;  // why it changed (required)
};

struct View {
  Meeting meeting;
  Counts counts;
  std::optional<Member> me;  // the caller's row, if a member
  bool is_host = false, can_manage = false;
};

struct ViewPage {
  std::vector<View> items;
  std::string next_cursor;
};

struct MemberPage {
  std::vector<Member> items;
  std::string next_cursor;
};

struct CheckinCode {
  std::string code, url;
  int64_t expires_at = 0;
};

struct ServiceOptions {
  std::string ice_servers_json = "[]";  // RTCIceServer[] handed to room clients
  int64_t checkin_code_ms = 5 * 60 * 1000;
  size_t max_invitees = 5000;
};

class MeetingsService {
 public:
  MeetingsService(db::Database& db, notices::NoticesService& notices, events::Hub* hub,
                  const util::Clock& clock, ServiceOptions opts = {});
  ~MeetingsService();

  View Create(const Caller& c, const MeetingInput& in);
  View Get(const perm::Principal& who, const std::string& id);
  // scope: "mine" (member or host) or "managed"; when: "upcoming" or "past".
  ViewPage List(const perm::Principal& who, const std::string& scope, const std::string& when,
                const std::string& cursor, int limit);
  View Update(const Caller& c, const std::string& id, const MeetingPatch& p);
  View Cancel(const Caller& c, const std::string& id, const std::string& reason);
  View End(const Caller& c, const std::string& id);
  View Rsvp(const Caller& c, const std::string& id, const std::string& answer,
            const std::string& reason);
  MemberPage Invitees(const perm::Principal& who, const std::string& id, const std::string& rsvp,
                      const std::string& cursor, int limit);

  // iCalendar: one meeting, or the private feed of an account (90 days back, all ahead); links
  // point into the site at `origin` ("http(s)://host").
  std::string Ics(const perm::Principal& who, const std::string& id, const std::string& origin);
  std::optional<std::string> CalendarUrl(const perm::Principal& who);
  std::string RotateCalendarToken(const Caller& c);  // the new feed URL
  // NotFound for an unknown token.
  std::string Feed(const std::string& token, const std::string& origin);

  CheckinCode NewCheckinCode(const Caller& c, const std::string& id);
  int64_t Checkin(const Caller& c, const std::string& id, const std::string& code);

  Attendance GetAttendance(const perm::Principal& who, const std::string& id);
  AttendanceRow Correct(const Caller& c, const std::string& id, const std::string& member_id,
                        int64_t minutes, bool present, const std::string& note);

  View SetMinutes(const Caller& c, const std::string& id, const std::string& body);
  std::vector<Action> Actions(const perm::Principal& who, const std::string& id);
  Action AddAction(const Caller& c, const std::string& id, const std::string& title,
                   const std::string& owner_member, int64_t due_at);
  Action SetAction(const Caller& c, const std::string& action_id, const std::string& status,
                   const std::string& note);
  std::vector<Action> MyActions(const perm::Principal& who);

  std::vector<Figure> Figures(const perm::Principal& who, const std::string& from,
                              const std::string& to, const std::string& group);

  // Demo history (`shuxiang demo`): `meetings` ended meetings and `trainings` ended trainings over
  // the `days` before now, organised by villages, towns, units and the county, with their minutes
  // and attendance (no member rows). Deterministic for a seed. Returns how many were written.
  int64_t LoadDemoHistory(const org::DemoPlaces& places, int64_t meetings, int64_t trainings,
                          uint64_t seed, int64_t days);
  // `shuxiang stats rebuild`: the "meetings" and "trainings" counters from ended meetings.
  static std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county);

  // The live room: a handler for a connection of `who` (NotFound when they may not know of the
  // meeting; Conflict when it is over).
  std::unique_ptr<ws::SocketHandler> JoinRoom(const perm::Principal& who, const std::string& id);
  Rooms& rooms() { return rooms_; }

  // Background work (the module's worker): writes queued room joins and leaves; reminders before
  // the start, ending live meetings whose room emptied after their planned end, overdue actions.
  void FlushPresence();
  int Tick();

 private:
  std::string MemberId(const perm::Principal& who) const;
  bool CanManage(const perm::Principal& who, const Meeting& m) const;
  View Load(db::Conn& c, const perm::Principal& who, const Meeting& m);
  // The meeting if the caller may see it (manager or member); NotFound otherwise.
  View Visible(const perm::Principal& who, const std::string& id);
  View Managed(const perm::Principal& who, const std::string& id);
  void Announce(db::Conn& c, const std::string& county, const Meeting& m, const std::string& type,
                std::vector<std::string> keys);
  std::vector<std::string> Keys(db::Conn& c, const std::string& county, const Meeting& m);
  std::string Sign(const Meeting& m, int64_t expires) const;
  void Finish(db::Conn& c, const std::string& county, Meeting& m, int64_t at);
  std::string NoticeBody(const Meeting& m) const;
  // Whether the meeting's invitation notice can still be revised (not withdrawn on its own).
  bool NoticeLive(const perm::Principal& who, const std::string& notice_id);

  db::Database& db_;
  notices::NoticesService& notices_;
  events::Hub* hub_;
  const util::Clock& clock_;
  ServiceOptions opts_;
  Rooms rooms_;

  struct PresenceOp {
    Admission who;
    bool joined;
    int64_t at;
  };
  std::mutex presence_mu_;
  std::deque<PresenceOp> presence_;  // guarded by presence_mu_
};

}  // namespace sx::meetings
