// Org SQL: every statement of the module lives here. Functions run on the Conn the caller got
// from Database::Read/Write (so several calls share one transaction). They trust their inputs:
// validation and permission checks happen in service.cc.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/db/db.h"
#include "core/stats/counters.h"
#include "modules/org/demo.h"
#include "modules/org/model.h"

namespace sx::org::repo {

// Regions
std::optional<Region> GetRegion(db::Conn& c, const std::string& county, const std::string& code);
std::vector<Region> Children(db::Conn& c, const std::string& county, const std::string& code);
std::vector<Region> SearchRegions(db::Conn& c, const std::string& county, const std::string& q,
                                  const std::string& level, int limit);
void InsertRegion(db::Conn& c, const std::string& county, const Region& r);
// The county's region version (0 if none yet); bumped by every change below.
int64_t RegionVersion(db::Conn& c, const std::string& county);
void RecountRegions(db::Conn& c, const std::string& county);
void AddPeopleCount(db::Conn& c, const std::string& county, const std::string& village_code,
                    int64_t delta);
bool CountyExists(db::Conn& c, const std::string& county);
void InsertCounty(db::Conn& c, const std::string& county, const std::string& name, int64_t now);
std::optional<std::string> FirstCounty(db::Conn& c);

// Units
std::optional<Unit> GetUnit(db::Conn& c, const std::string& county, const std::string& id);
std::vector<Unit> ListUnits(db::Conn& c, const std::string& county, const std::string& lo,
                            const std::string& hi, const std::string& q, int limit);
void InsertUnit(db::Conn& c, const std::string& county, const Unit& u, const std::string& slug,
                int64_t now);
void UpdateUnit(db::Conn& c, const std::string& county, const Unit& u, int64_t now);

// People
struct PersonRow {
  Person p;
  std::string phone_index, idno_index;
};
std::optional<Person> GetPerson(db::Conn& c, const std::string& county, const std::string& id);
// People whose village_code lies in [lo, hi], matching q by name/pinyin/initials prefix, ordered
// by (pinyin, id), after the cursor.
std::vector<Person> ListPeople(db::Conn& c, const std::string& county, const std::string& lo,
                               const std::string& hi, const std::string& q,
                               const std::string& after_pinyin, const std::string& after_id,
                               int limit);
void InsertPerson(db::Conn& c, const std::string& county, const PersonRow& r, int64_t now);
void UpdatePerson(db::Conn& c, const std::string& county, const Person& p, int64_t now);
void InsertHousehold(db::Conn& c, const std::string& county, const std::string& id,
                     const std::string& village_code, int64_t now);
// The household's village code, or "" if there is no such household.
std::string HouseholdVillage(db::Conn& c, const std::string& county, const std::string& id);
// Members of a household, head first.
std::vector<Person> HouseholdMembers(db::Conn& c, const std::string& county, const std::string& id);
bool PersonWithIdExists(db::Conn& c, const std::string& county, const std::string& idno_index);

// Accounts and grants
struct AccountRow {
  Account a;
  std::string phone_index, phone_sealed;
};
std::optional<Account> AccountByPhone(db::Conn& c, const std::string& county,
                                      const std::string& phone_index);
std::optional<Account> GetAccount(db::Conn& c, const std::string& county, const std::string& id);
void InsertAccount(db::Conn& c, const std::string& county, const AccountRow& r, int64_t now);
// (phone_sealed, phone_index) of an account.
std::pair<std::string, std::string> AccountPhone(db::Conn& c, const std::string& county,
                                                 const std::string& id);
void LinkPerson(db::Conn& c, const std::string& county, const std::string& account_id,
                const std::string& person_id);
std::vector<perm::Grant> Grants(db::Conn& c, const std::string& county,
                                const std::string& account_id);
void AddGrant(db::Conn& c, const std::string& county, const std::string& account_id,
              const perm::Grant& g);
void RemoveGrant(db::Conn& c, const std::string& county, const std::string& account_id,
                 const std::string& role, const std::string& region_code);
std::vector<StaffMember> UnitStaff(db::Conn& c, const std::string& county,
                                   const std::string& unit_id);
void RemoveUnitStaff(db::Conn& c, const std::string& county, const std::string& unit_id,
                     const std::string& account_id);
struct DemoAccount {
  std::string role, phone_sealed, region_code, name;
};
std::vector<DemoAccount> DemoAccounts(db::Conn& c, const std::string& county);

// Join requests
std::optional<JoinRequest> GetJoin(db::Conn& c, const std::string& county, const std::string& id);
std::vector<JoinRequest> JoinsForAccount(db::Conn& c, const std::string& county,
                                         const std::string& account_id);
std::vector<JoinRequest> JoinsInRange(db::Conn& c, const std::string& county, const std::string& lo,
                                      const std::string& hi, const std::string& status, int limit);
bool HasPendingJoin(db::Conn& c, const std::string& county, const std::string& account_id);
void InsertJoin(db::Conn& c, const std::string& county, const JoinRequest& j,
                const std::string& idno_index);
void DecideJoin(db::Conn& c, const std::string& county, const std::string& id,
                const std::string& status, const std::string& reason, const std::string& by,
                int64_t now);

// The "people" counters recomputed: joins approved (实名认证) by month and village, and accounts
// active per month (account_months) by region.
std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county);

// The county's towns, villages, active units, residents and first village cadre (demo history).
void FillDemoPlaces(db::Conn& c, const std::string& county, DemoPlaces& out);

// Demo history: residents with a phone and an ID number and no account yet (by id).
struct JoinCandidate {
  std::string id, name, village, phone_sealed, phone_index, phone_masked, idno_sealed, idno_index,
      idno_masked;
};
std::vector<JoinCandidate> JoinCandidates(db::Conn& c, const std::string& county);
// An approved join request of the past (no counters: the caller rebuilds them).
void InsertHistoryJoin(db::Conn& c, const std::string& county, const JoinCandidate& p,
                       const std::string& account_id, const std::string& join_id,
                       const std::string& decided_by, int64_t asked_at, int64_t decided_at);
void InsertAccountMonth(db::Conn& c, const std::string& county, const std::string& account_id,
                        const std::string& month, const std::string& region);

}  // namespace sx::org::repo
