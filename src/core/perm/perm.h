// Typed permissions scoped to the region tree. Deny by default: a principal may do X on an object
// in region R only if one of its grants is a role that carries X and whose scope contains R.
//
// Region codes are GB/T 2260 / NBS 12-digit codes: 2 digits province, 2 city, 2 county,
// 3 town, 3 village. A scope contains a code when the code starts with the scope's significant
// prefix (e.g. town 500238101000 contains village 500238101201).
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sx::perm {

enum class Role { kCountyAdmin, kUnitStaff, kTownOfficial, kVillageCadre, kPartyMember, kResident };

enum class Perm {
  kRegionRead,       // read the region tree (every signed-in user of the county)
  kUnitRead,         // list and read government units
  kUnitWrite,        // create, update, deactivate units
  kPersonRead,       // list and read people (masked)
  kPersonWrite,      // create, update, deactivate people and households
  kPersonReveal,     // see an unmasked phone or ID number (audited)
  kJoinCreate,       // ask to join a village
  kJoinReview,       // approve or reject join requests
  kAuditRead,        // read the audit log
  kNoticePublish,    // publish notices within the scope, follow them up, edit, withdraw, remind
  kSmsRead,          // read the SMS outbox (what the gateway was handed)
  kRequestCreate,    // file a villager's request (for oneself, or as a cadre for a villager)
  kRequestHandle,    // sign, reply, finish, transfer and return requests routed to one's office
  kRequestDispatch,  // dispatch, transfer and merge requests of the places in one's scope
  kRequestCatalog,   // edit the county's request catalogue and routing
  kRequestStats,     // read request figures (三率) within the scope
  kMeetingSchedule,  // schedule meetings for an audience within the scope and manage them
  kMeetingStats,     // read meeting figures (meetings, hours, attendance) within the scope
  kDocCreate,        // create documents and forms in folders within the scope
  kDocManage,        // edit and share every document and form of folders within the scope
  kDocStats,         // read document and form figures within the scope
  kStatsView,        // the dashboard (驾驶舱) and monthly reports of places within the scope
};

std::string_view RoleName(Role r);
bool ParseRole(std::string_view s, Role* out);
std::string_view PermName(Perm p);
// The permissions a role carries (within its scope).
bool RoleHas(Role r, Perm p);

enum class Level { kProvince, kCity, kCounty, kTown, kVillage, kInvalid };
Level LevelOf(std::string_view code);
std::string_view LevelName(Level l);
// The digits of `code` that its level fixes ("500238101000" → "500238101"); the whole input if
// it is not a region code.
std::string_view SignificantPrefix(std::string_view code);
// Whether `code` lies inside (or is) the region `scope`.
bool Within(std::string_view scope, std::string_view code);
// The [lo, hi] range of 12-digit codes inside `scope` (e.g. "500238101000"–"500238101999"),
// for range scans over code-ordered indexes.
std::pair<std::string, std::string> CodeRange(std::string_view scope);
// The 12-digit code of the ancestor of `code` at `level` (e.g. the town of a village).
std::string AncestorAt(std::string_view code, Level level);

struct Grant {
  Role role;
  std::string region_code;  // scope: a county, town or village code
  std::string unit_id;      // for unit staff: the unit; empty otherwise
  std::string unit_name;
  std::string region_name;
};

// Who is calling. Built by the session layer from a valid session; immutable afterwards.
struct Principal {
  std::string county_id;
  std::string account_id;
  std::string name;
  std::string person_id;  // the linked person record, if the account joined a village
  std::vector<Grant> grants;
  std::string session_hash;  // identifies the session (for logout)
  std::string csrf_token;
  bool via_cookie = false;

  // Holds p somewhere (route-level gate).
  bool Has(Perm p) const;
  // Holds p with a scope that contains region_code (object-level check).
  bool Can(Perm p, std::string_view region_code) const;
  // The scopes in which p is held (for list queries).
  std::vector<std::string> Scopes(Perm p) const;
};

}  // namespace sx::perm
