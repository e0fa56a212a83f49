#include "core/perm/perm.h"

#include <array>

namespace sx::perm {

namespace {
struct RoleInfo {
  Role role;
  std::string_view name;
  std::initializer_list<Perm> perms;
};
// The role table: the single place that says what each role may do.
const RoleInfo kRoles[] = {
    {Role::kCountyAdmin,
     "county_admin",
     {Perm::kRegionRead,     Perm::kUnitRead,     Perm::kUnitWrite,       Perm::kPersonRead,
      Perm::kPersonWrite,    Perm::kPersonReveal, Perm::kJoinReview,      Perm::kAuditRead,
      Perm::kNoticePublish,  Perm::kSmsRead,      Perm::kRequestHandle,   Perm::kRequestDispatch,
      Perm::kRequestCatalog, Perm::kRequestStats, Perm::kMeetingSchedule, Perm::kMeetingStats,
      Perm::kDocCreate,      Perm::kDocManage,    Perm::kDocStats,        Perm::kStatsView}},
    {Role::kUnitStaff,
     "unit_staff",
     {Perm::kRegionRead, Perm::kUnitRead, Perm::kNoticePublish, Perm::kRequestHandle,
      Perm::kRequestStats, Perm::kMeetingSchedule, Perm::kMeetingStats, Perm::kDocCreate,
      Perm::kDocManage, Perm::kDocStats, Perm::kStatsView}},
    {Role::kTownOfficial,
     "town_official",
     {Perm::kRegionRead, Perm::kUnitRead, Perm::kUnitWrite, Perm::kPersonRead, Perm::kNoticePublish,
      Perm::kRequestHandle, Perm::kRequestDispatch, Perm::kRequestStats, Perm::kMeetingSchedule,
      Perm::kMeetingStats, Perm::kDocCreate, Perm::kDocManage, Perm::kDocStats, Perm::kStatsView}},
    {Role::kVillageCadre,
     "village_cadre",
     {Perm::kRegionRead, Perm::kPersonRead, Perm::kPersonWrite, Perm::kPersonReveal,
      Perm::kJoinReview, Perm::kNoticePublish, Perm::kRequestCreate, Perm::kRequestHandle,
      Perm::kRequestStats, Perm::kMeetingSchedule, Perm::kMeetingStats, Perm::kDocCreate,
      Perm::kDocManage, Perm::kDocStats, Perm::kStatsView}},
    {Role::kPartyMember, "party_member", {Perm::kRegionRead, Perm::kRequestCreate}},
    {Role::kResident, "resident", {Perm::kRegionRead, Perm::kJoinCreate, Perm::kRequestCreate}},
};

const RoleInfo& Info(Role r) {
  for (auto& i : kRoles)
    if (i.role == r) return i;
  return kRoles[0];
}

size_t SignificantDigits(Level l) {
  switch (l) {
    case Level::kProvince:
      return 2;
    case Level::kCity:
      return 4;
    case Level::kCounty:
      return 6;
    case Level::kTown:
      return 9;
    case Level::kVillage:
      return 12;
    default:
      return 12;
  }
}
}  // namespace

std::string_view RoleName(Role r) { return Info(r).name; }

bool ParseRole(std::string_view s, Role* out) {
  for (auto& i : kRoles)
    if (i.name == s) {
      *out = i.role;
      return true;
    }
  return false;
}

std::string_view PermName(Perm p) {
  static constexpr std::array<std::string_view, 22> kNames = {
      "region.read",   "unit.read",        "unit.write",     "person.read",      "person.write",
      "person.reveal", "join.create",      "join.review",    "audit.read",       "notice.publish",
      "sms.read",      "request.create",   "request.handle", "request.dispatch", "request.catalog",
      "request.stats", "meeting.schedule", "meeting.stats",  "doc.create",       "doc.manage",
      "doc.stats",     "stats.view"};
  return kNames[static_cast<size_t>(p)];
}

bool RoleHas(Role r, Perm p) {
  for (Perm q : Info(r).perms)
    if (q == p) return true;
  return false;
}

Level LevelOf(std::string_view code) {
  if (code.size() != 12) return Level::kInvalid;
  for (char c : code)
    if (c < '0' || c > '9') return Level::kInvalid;
  auto zeros = [&](size_t from) {
    return code.substr(from).find_first_not_of('0') == std::string_view::npos;
  };
  if (zeros(2)) return Level::kProvince;
  if (zeros(4)) return Level::kCity;
  if (zeros(6)) return Level::kCounty;
  if (zeros(9)) return Level::kTown;
  return Level::kVillage;
}

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kProvince:
      return "province";
    case Level::kCity:
      return "city";
    case Level::kCounty:
      return "county";
    case Level::kTown:
      return "town";
    case Level::kVillage:
      return "village";
    default:
      return "invalid";
  }
}

std::string_view SignificantPrefix(std::string_view code) {
  Level l = LevelOf(code);
  return l == Level::kInvalid ? code : code.substr(0, SignificantDigits(l));
}

bool Within(std::string_view scope, std::string_view code) {
  Level ls = LevelOf(scope);
  if (ls == Level::kInvalid || LevelOf(code) == Level::kInvalid) return false;
  size_t n = SignificantDigits(ls);
  return code.substr(0, n) == scope.substr(0, n);
}

std::pair<std::string, std::string> CodeRange(std::string_view scope) {
  std::string lo(SignificantPrefix(scope)), hi = lo;
  lo.resize(12, '0');
  hi.resize(12, '9');
  return {lo, hi};
}

std::string AncestorAt(std::string_view code, Level level) {
  size_t n = SignificantDigits(level);
  std::string out(code.substr(0, n));
  out.append(12 - n, '0');
  return out;
}

bool Principal::Has(Perm p) const {
  for (auto& g : grants)
    if (RoleHas(g.role, p)) return true;
  return false;
}

bool Principal::Can(Perm p, std::string_view region_code) const {
  for (auto& g : grants)
    if (RoleHas(g.role, p) && Within(g.region_code, region_code)) return true;
  return false;
}

std::vector<std::string> Principal::Scopes(Perm p) const {
  std::vector<std::string> out;
  for (auto& g : grants)
    if (RoleHas(g.role, p)) out.push_back(g.region_code);
  return out;
}

}  // namespace sx::perm
