// The event log: an outbox of live events, appended inside the transaction whose change it
// announces (so an event exists exactly when the change committed) and read back in seq order by
// every instance's dispatcher (see hub.h) and by reconnecting clients.
//
// An event is addressed by audience keys: opaque strings a subscriber also holds. The vocabulary
// (defined by the org directory, see modules/org/audience.h):
//   r:<region code>            people registered in that region (a village, town or the county)
//   h:<household id>           members of a household
//   p:<person id>              one person
//   a:<account id>             one account
//   u:<unit id>                staff of a unit
//   g:<role>:<region code>     holders of a role whose scope lies in that region
// An event reaches a subscriber when the two key sets intersect.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/db/db.h"

namespace sx::events {

struct Event {
  int64_t seq = 0;
  std::string county_id;
  std::string type;  // e.g. "notice.published"
  std::vector<std::string> keys;
  std::string payload;  // a JSON object, as text
  int64_t created_at = 0;
};

// Appends an event in the caller's write transaction and returns its seq.
int64_t Append(db::Conn& c, const std::string& county_id, const std::string& type,
               const std::vector<std::string>& keys, const std::string& payload, int64_t now_ms);

// Events with seq > after, oldest first, at most limit (all counties when county_id is empty).
std::vector<Event> ReadAfter(db::Conn& c, const std::string& county_id, int64_t after, int limit);
// The highest seq ever allocated (0 when none).
int64_t Head(db::Conn& c);
// The highest seq deleted by Prune (0 when none): a client behind it cannot be caught up.
int64_t Pruned(db::Conn& c);
// Deletes events created before `before_ms`; returns how many.
int64_t Prune(db::Conn& c, int64_t before_ms);

// Keys are stored space-separated; they never contain spaces.
std::string JoinKeys(const std::vector<std::string>& keys);
std::vector<std::string> SplitKeys(const std::string& s);

}  // namespace sx::events
