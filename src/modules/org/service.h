// Org service: sign-in and sessions, the region tree, units, people, and joining a village.
// Every method that takes a Principal enforces the permission and its region scope; an object
// outside the caller's scope answers NotFound exactly like a missing one. Every state change,
// sign-in, denial and reveal is appended to the audit log in the same transaction.
// Personal data leaves this service masked, except through Reveal (audited).
// Thread-safe: holds no mutable state of its own.
#pragma once
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/auth/password.h"
#include "core/auth/pii.h"
#include "core/auth/sessions.h"
#include "core/db/db.h"
#include "core/perm/perm.h"
#include "core/stats/counters.h"
#include "core/util/clock.h"
#include "modules/org/model.h"
#include "modules/org/pinyin.h"

namespace sx::org {

struct Caller {
  const perm::Principal& who;
  std::string ip;
};

struct SignedIn {
  auth::NewSession session;
  Me me;
};

struct PeoplePage {
  std::vector<Person> items;
  std::string next_cursor;  // empty at the end
};

struct UnitInput {
  std::optional<std::string> name, kind, region_code;
};

struct PersonInput {
  std::optional<std::string> name, gender, phone, id_number, village_code, relation, household_id;
  std::optional<int64_t> birth_year;
};

class OrgService {
 public:
  OrgService(db::Database& db, const auth::Protector& pii, auth::PasswordHasher& hasher,
             auth::SessionStore& sessions, auth::LoginLimiter& limiter, const util::Clock& clock,
             const Pinyin& pinyin);

  // The county that anonymous requests (sign-in, sign-up) belong to: the first county loaded.
  std::string HomeCounty();

  // Sessions
  SignedIn Login(const std::string& phone, const std::string& password, const std::string& ip);
  SignedIn Signup(const std::string& name, const std::string& phone, const std::string& password,
                  const std::string& ip);
  void Logout(const Caller& c);
  std::optional<perm::Principal> PrincipalForToken(const std::string& token, bool via_cookie);
  // Demo history (`shuxiang demo`): `share` (0..1) of the residents who have a phone joined over
  // the `days` before now — an account that cannot sign in (no password), a resident grant, an
  // approved join request — and were active in most months since. No counters (the caller
  // rebuilds them). Deterministic for a seed. Returns how many joined.
  int64_t LoadDemoHistory(const std::string& county, double share, uint64_t seed, int64_t days);
  // `shuxiang stats rebuild`: the "people" counters (joins approved, active accounts).
  static std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county);
  Me GetMe(const perm::Principal& who);

  // Regions
  Region GetRegion(const perm::Principal& who, const std::string& code);
  std::vector<Region> Children(const perm::Principal& who, const std::string& code);
  // Children rendered by `render` (e.g. to JSON), reused while the county's region version in the
  // database is unchanged: one single-row read per call instead of the subtree. The version
  // doubles as the response's ETag.
  struct Rendered {
    int64_t version;
    std::shared_ptr<const std::string> body;
  };
  Rendered ChildrenRendered(const perm::Principal& who, const std::string& code,
                            const std::function<std::string(const std::vector<Region>&)>& render);
  std::vector<Region> SearchRegions(const perm::Principal& who, const std::string& q,
                                    const std::string& level);

  // Units
  std::vector<Unit> ListUnits(const perm::Principal& who, const std::string& region,
                              const std::string& q);
  Unit GetUnit(const perm::Principal& who, const std::string& id);
  Unit CreateUnit(const Caller& c, const UnitInput& in);
  Unit UpdateUnit(const Caller& c, const std::string& id, const UnitInput& in);
  Unit DeactivateUnit(const Caller& c, const std::string& id);

  // Staff memberships of a unit (role unit_staff scoped to the unit's region).
  std::vector<StaffMember> ListStaff(const perm::Principal& who, const std::string& unit_id);
  StaffMember AddStaff(const Caller& c, const std::string& unit_id, const std::string& phone);
  void RemoveStaff(const Caller& c, const std::string& unit_id, const std::string& account_id);

  // People
  PeoplePage ListPeople(const perm::Principal& who, const std::string& region, const std::string& q,
                        const std::string& cursor, int limit);
  Person GetPerson(const perm::Principal& who, const std::string& id);
  // A household (户) and its members; NotFound outside the caller's person.read scope.
  std::vector<Person> Household(const perm::Principal& who, const std::string& id);
  Person CreatePerson(const Caller& c, const PersonInput& in);
  Person UpdatePerson(const Caller& c, const std::string& id, const PersonInput& in);
  Person DeactivatePerson(const Caller& c, const std::string& id);
  // The clear value of "phone" or "id_number"; audited.
  std::string Reveal(const Caller& c, const std::string& id, const std::string& field);

  // Joining a village
  JoinRequest CreateJoin(const Caller& c, const std::string& village_code, const std::string& name,
                         const std::string& id_number);
  std::vector<JoinRequest> MyJoins(const perm::Principal& who);
  std::vector<JoinRequest> ListJoins(const perm::Principal& who, const std::string& status);
  JoinRequest Approve(const Caller& c, const std::string& id);
  JoinRequest Reject(const Caller& c, const std::string& id, const std::string& reason);

  // Adds a listener called with an account id after its sessions, grants or village change
  // (logout, staff changes, joining a village). Register before serving.
  void OnAccessChanged(std::function<void(const std::string&)> f) {
    access_changed_.push_back(std::move(f));
  }

  // Records a denial (the route gate or a scope check) in the audit log.
  void AuditDenied(const perm::Principal& who, const std::string& ip, const std::string& what);

 private:
  [[noreturn]] void Deny(const Caller& c, const std::string& object_type, const std::string& id);
  // The [lo, hi] code range for a list: `region` (must lie in a scope of p) or the caller's
  // broadest scope.
  std::pair<std::string, std::string> ScopeRange(const perm::Principal& who, perm::Perm p,
                                                 const std::string& region);

  db::Database& db_;
  const auth::Protector& pii_;
  auth::PasswordHasher& hasher_;
  auth::SessionStore& sessions_;
  auth::LoginLimiter& limiter_;
  const util::Clock& clock_;
  const Pinyin& pinyin_;
  std::vector<std::function<void(const std::string&)>> access_changed_;
  std::mutex rendered_mu_;
  std::unordered_map<std::string, Rendered> rendered_;  // county + code; guarded by rendered_mu_
  // Records (once per account and month) that an account used the app: account_months and the
  // "people.active" counter, written asynchronously.
  void NoteActive(const perm::Principal& p);
  std::mutex active_mu_;
  std::unordered_set<std::string> active_;  // account + month already recorded; guarded
};

// Validation helpers shared with the demo loader.
std::string CheckName(const std::string& name, const std::string& field = "name");

}  // namespace sx::org
