// Meetings persistence: every SQL statement of the module. Reads org's regions and units
// read-only to name places (see docs/decisions/0003).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/db/db.h"
#include "core/stats/counters.h"
#include "modules/meetings/model.h"

namespace sx::meetings::repo {

void Insert(db::Conn& c, const std::string& county, const Meeting& m);
std::optional<Meeting> Get(db::Conn& c, const std::string& county, const std::string& id);
// Writes every mutable column of m.
// Saves m; keeps the "meetings"/"trainings" counters in step with what the row counts (an ended
// meeting: held, minutes, invitees, present in the month it started, organizer region and unit).
void Update(db::Conn& c, const std::string& county, const Meeting& m);
// The "meetings" and "trainings" counters recomputed from ended meetings.
std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county);
// scheduled → live, started_at set once; whether it changed.
bool MarkLive(db::Conn& c, const std::string& county, const std::string& id, int64_t at);

// Members (invitees and admitted guests). Insert ignores one already there.
void InsertMember(db::Conn& c, const std::string& county, const std::string& meeting,
                  const Member& m);
// Fills in the accounts of members whose person record has signed up.
void LinkAccounts(db::Conn& c, const std::string& county, const std::string& meeting);
std::optional<Member> GetMember(db::Conn& c, const std::string& county, const std::string& meeting,
                                const std::string& member_id);
// A page of members ordered by (guest, village, name, id) after `after` (a member id; '' = from
// the start), optionally with one answer.
std::vector<Member> Members(db::Conn& c, const std::string& county, const std::string& meeting,
                            const std::string& rsvp, const std::string& after, int limit);
Counts CountMembers(db::Conn& c, const std::string& county, const std::string& meeting);
void SetRsvp(db::Conn& c, const std::string& county, const std::string& meeting,
             const std::string& member, const std::string& rsvp, const std::string& reason,
             int64_t at);
// Records a check-in unless there is one; whether it was new.
bool SetCheckin(db::Conn& c, const std::string& county, const std::string& meeting,
                const std::string& member, int64_t at);
void SetFix(db::Conn& c, const std::string& county, const std::string& meeting,
            const std::string& member, int64_t minutes, bool present, const std::string& note);

// Presence segments from the live room.
void OpenPresence(db::Conn& c, const std::string& county, const std::string& meeting,
                  const std::string& member, int64_t at);
void ClosePresence(db::Conn& c, const std::string& county, const std::string& meeting,
                   const std::string& member, int64_t at);
void CloseAllPresence(db::Conn& c, const std::string& county, const std::string& meeting,
                      int64_t at);
std::vector<Segment> Segments(db::Conn& c, const std::string& county, const std::string& meeting);

struct ListFilter {
  std::string member_id, account_id;  // mine: invited (member) or hosting (account)
  bool managed = false;               // managed: any of these
  std::vector<std::pair<std::string, std::string>> region_ranges;
  std::vector<std::string> units;
  bool upcoming = true;     // not ended/cancelled, by start ascending; else the rest, descending
  int64_t since = 0;        // only meetings starting at or after (0: any)
  int64_t after_start = 0;  // cursor
  std::string after_id;
  int limit = 20;
};
std::vector<Meeting> List(db::Conn& c, const std::string& county, const ListFilter& f);
// The member's row in each of `ids` (for their answers), by meeting id.
std::vector<std::pair<std::string, Member>> MemberRows(db::Conn& c, const std::string& county,
                                                       const std::vector<std::string>& ids,
                                                       const std::string& member_id);

// Actions
void InsertAction(db::Conn& c, const std::string& county, const Action& a);
std::optional<Action> GetAction(db::Conn& c, const std::string& county, const std::string& id);
void UpdateAction(db::Conn& c, const std::string& county, const Action& a);
std::vector<Action> ActionsOf(db::Conn& c, const std::string& county, const std::string& meeting);
std::vector<Action> OpenActionsOwnedBy(db::Conn& c, const std::string& county,
                                       const std::string& account, const std::string& member);

// Clock work across counties: (county, id).
std::vector<std::pair<std::string, std::string>> RemindersDue(db::Conn& c, int64_t now, int limit);
// Scheduled or live meetings that started before `started_before`.
std::vector<std::pair<std::string, std::string>> Unfinished(db::Conn& c, int64_t started_before,
                                                            int limit);
std::vector<std::pair<std::string, std::string>> ActionsOverdue(db::Conn& c, int64_t now,
                                                                int64_t reminded_before, int limit);

// Calendar feed tokens (hashed).
void SetCalendarToken(db::Conn& c, const std::string& county, const std::string& account,
                      const std::string& hash, int64_t at);
bool HasCalendarToken(db::Conn& c, const std::string& county, const std::string& account);
std::optional<std::pair<std::string, std::string>> CalendarOwner(db::Conn& c,
                                                                 const std::string& hash);

// Figures: ended meetings starting in [from, to), with their organiser's place.
std::vector<Meeting> Ended(db::Conn& c, const std::string& county, int64_t from, int64_t to);
std::string RegionName(db::Conn& c, const std::string& county, const std::string& code);
std::string UnitName(db::Conn& c, const std::string& county, const std::string& id);
// An account's member id (its person record, or the account itself) and name.
std::pair<std::string, std::string> AccountMember(db::Conn& c, const std::string& county,
                                                  const std::string& account);

}  // namespace sx::meetings::repo
