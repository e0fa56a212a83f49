#include "modules/org/repo.h"

#include "core/stats/counters.h"
#include "core/util/clock.h"

namespace sx::org::repo {
namespace {

Region RegionFrom(const db::Row& r) {
  Region g;
  g.code = r.Str(0);
  g.parent_code = r.Str(1);
  g.level = r.Str(2);
  g.name = r.Str(3);
  g.short_name = r.Str(4);
  g.pinyin = r.Str(5);
  g.initials = r.Str(6);
  g.child_count = r.Int(7);
  g.people_count = r.Int(8);
  return g;
}
constexpr const char* kRegionCols =
    "code, parent_code, level, name, short_name, pinyin, initials, child_count, people_count";

Unit UnitFrom(const db::Row& r) {
  return Unit{r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Str(4), r.Int(5) != 0};
}
constexpr const char* kUnitSelect =
    "SELECT u.id, u.name, u.kind, u.region_code, COALESCE(g.short_name, ''), u.active FROM units u "
    "LEFT JOIN regions g ON g.county_id = u.county_id AND g.code = u.region_code ";

Person PersonFrom(const db::Row& r) {
  Person p;
  p.id = r.Str(0);
  p.name = r.Str(1);
  p.pinyin = r.Str(2);
  p.initials = r.Str(3);
  p.gender = r.Str(4);
  p.birth_year = r.Int(5);
  p.phone_masked = r.Str(6);
  p.id_number_masked = r.Str(7);
  p.phone_sealed = r.Str(8);
  p.id_number_sealed = r.Str(9);
  p.village_code = r.Str(10);
  p.village_name = r.Str(11);
  p.household_id = r.Str(12);
  p.relation = r.Str(13);
  p.active = r.Int(14) != 0;
  return p;
}
constexpr const char* kPersonSelect =
    "SELECT p.id, p.name, p.pinyin, p.initials, p.gender, p.birth_year, "
    "COALESCE(p.phone_masked, ''), COALESCE(p.idno_masked, ''), COALESCE(p.phone_sealed, ''), "
    "COALESCE(p.idno_sealed, ''), p.village_code, COALESCE(g.short_name, ''), "
    "COALESCE(p.household_id, ''), p.relation, p.active FROM people p "
    "LEFT JOIN regions g ON g.county_id = p.county_id AND g.code = p.village_code ";

Account AccountFrom(const db::Row& r) {
  Account a;
  a.id = r.Str(0);
  a.name = r.Str(1);
  a.phone_masked = r.Str(2);
  a.person_id = r.Str(3);
  a.password_hash = r.Str(4);
  a.active = r.Int(5) != 0;
  a.demo = r.Int(6) != 0;
  return a;
}
constexpr const char* kAccountSelect =
    "SELECT id, name, phone_masked, COALESCE(person_id, ''), password_hash, active, demo FROM "
    "accounts ";

JoinRequest JoinFrom(const db::Row& r) {
  JoinRequest j;
  j.id = r.Str(0);
  j.account_id = r.Str(1);
  j.village_code = r.Str(2);
  j.village_name = r.Str(3);
  j.town_name = r.Str(4);
  j.name = r.Str(5);
  j.phone_masked = r.Str(6);
  j.id_number_masked = r.Str(7);
  j.id_number_sealed = r.Str(8);
  j.status = r.Str(9);
  j.reason = r.Str(10);
  j.created_at = r.Int(11);
  j.decided_at = r.OptInt(12);
  return j;
}
constexpr const char* kJoinSelect =
    "SELECT j.id, j.account_id, j.village_code, COALESCE(v.short_name, ''), "
    "COALESCE(t.short_name, ''), j.name, j.phone_masked, j.idno_masked, j.idno_sealed, j.status, "
    "COALESCE(j.reason, ''), j.created_at, j.decided_at FROM join_requests j "
    "LEFT JOIN regions v ON v.county_id = j.county_id AND v.code = j.village_code "
    "LEFT JOIN regions t ON t.county_id = v.county_id AND t.code = v.parent_code ";

std::string S(const char* a, const char* b) { return std::string(a) + b; }

}  // namespace

std::optional<Region> GetRegion(db::Conn& c, const std::string& county, const std::string& code) {
  static const std::string q =
      S("SELECT ", kRegionCols) + " FROM regions WHERE county_id = $1 AND code = $2";
  auto r = c.One(q, {county, code});
  if (!r) return std::nullopt;
  return RegionFrom(*r);
}

std::vector<Region> Children(db::Conn& c, const std::string& county, const std::string& code) {
  static const std::string q =
      S("SELECT ", kRegionCols) +
      " FROM regions WHERE county_id = $1 AND parent_code = $2 ORDER BY code";
  std::vector<Region> out;
  for (auto& r : c.Query(q, {county, code})) out.push_back(RegionFrom(r));
  return out;
}

std::vector<Region> SearchRegions(db::Conn& c, const std::string& county, const std::string& q,
                                  const std::string& level, int limit) {
  static const std::string sql =
      S("SELECT ", kRegionCols) +
      " FROM regions WHERE county_id = $1 AND ($3 = '' OR level = $3) AND (short_name LIKE $2 || "
      "'%' ESCAPE '\\' OR name LIKE '%' || $2 || '%' ESCAPE '\\' OR pinyin LIKE $2 || '%' ESCAPE "
      "'\\' OR initials LIKE $2 || '%' ESCAPE '\\') ORDER BY code LIMIT $4";
  std::vector<Region> out;
  for (auto& r : c.Query(sql, {county, q, level, int64_t{limit}})) out.push_back(RegionFrom(r));
  return out;
}

namespace {
void BumpRegionVersion(db::Conn& c, const std::string& county) {
  c.Exec(
      "INSERT INTO region_versions (county_id, version) VALUES ($1, 1) ON CONFLICT (county_id) DO "
      "UPDATE SET version = region_versions.version + 1",
      {county});
}
}  // namespace

int64_t RegionVersion(db::Conn& c, const std::string& county) {
  auto r = c.One("SELECT version FROM region_versions WHERE county_id = $1", {county});
  return r ? r->Int(0) : 0;
}

void InsertRegion(db::Conn& c, const std::string& county, const Region& r) {
  BumpRegionVersion(c, county);
  c.Exec(
      "INSERT INTO regions (county_id, code, parent_code, level, name, short_name, pinyin, "
      "initials) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {county, r.code, r.parent_code, r.level, r.name, r.short_name, r.pinyin, r.initials});
}

void RecountRegions(db::Conn& c, const std::string& county) {
  BumpRegionVersion(c, county);
  c.Exec(
      "UPDATE regions SET child_count = (SELECT COUNT(*) FROM regions k WHERE k.county_id = "
      "regions.county_id AND k.parent_code = regions.code) WHERE county_id = $1",
      {county});
  c.Exec(
      "UPDATE regions SET people_count = (SELECT COUNT(*) FROM people p WHERE p.county_id = "
      "regions.county_id AND p.village_code = regions.code AND p.active = 1) WHERE county_id = $1 "
      "AND level = 'village'",
      {county});
  c.Exec(
      "UPDATE regions SET people_count = (SELECT COALESCE(SUM(v.people_count), 0) FROM regions v "
      "WHERE v.county_id = regions.county_id AND v.parent_code = regions.code) WHERE county_id = "
      "$1 AND level = 'town'",
      {county});
  for (const char* level : {"county", "city", "province"})
    c.Exec(
        "UPDATE regions SET people_count = (SELECT COALESCE(SUM(v.people_count), 0) FROM regions "
        "v WHERE v.county_id = regions.county_id AND v.parent_code = regions.code) WHERE "
        "county_id = $1 AND level = $2",
        {county, std::string(level)});
}

void AddPeopleCount(db::Conn& c, const std::string& county, const std::string& village_code,
                    int64_t delta) {
  BumpRegionVersion(c, county);
  // The village and each of its ancestors.
  std::string code = village_code;
  for (int i = 0; i < 6 && !code.empty(); ++i) {
    auto r = c.One(
        "UPDATE regions SET people_count = people_count + $3 WHERE county_id = $1 AND code = $2 "
        "RETURNING parent_code",
        {county, code, delta});
    if (!r) break;
    code = r->Str(0);
  }
}

bool CountyExists(db::Conn& c, const std::string& county) {
  return c.One("SELECT 1 FROM counties WHERE county_id = $1", {county}).has_value();
}

void InsertCounty(db::Conn& c, const std::string& county, const std::string& name, int64_t now) {
  c.Exec("INSERT INTO counties (county_id, name, created_at) VALUES ($1, $2, $3)",
         {county, name, now});
}

std::optional<std::string> FirstCounty(db::Conn& c) {
  auto r = c.One("SELECT county_id FROM counties ORDER BY created_at, county_id LIMIT 1");
  if (!r) return std::nullopt;
  return r->Str(0);
}

std::optional<Unit> GetUnit(db::Conn& c, const std::string& county, const std::string& id) {
  static const std::string q = S(kUnitSelect, "WHERE u.county_id = $1 AND u.id = $2");
  auto r = c.One(q, {county, id});
  if (!r) return std::nullopt;
  return UnitFrom(*r);
}

std::vector<Unit> ListUnits(db::Conn& c, const std::string& county, const std::string& lo,
                            const std::string& hi, const std::string& q, int limit) {
  static const std::string sql =
      S(kUnitSelect,
        "WHERE u.county_id = $1 AND u.region_code BETWEEN $2 AND $3 AND ($4 = '' OR u.name LIKE "
        "'%' || $4 || '%' ESCAPE '\\') ORDER BY u.region_code, u.name LIMIT $5");
  std::vector<Unit> out;
  for (auto& r : c.Query(sql, {county, lo, hi, q, int64_t{limit}})) out.push_back(UnitFrom(r));
  return out;
}

void InsertUnit(db::Conn& c, const std::string& county, const Unit& u, const std::string& slug,
                int64_t now) {
  c.Exec(
      "INSERT INTO units (county_id, id, slug, name, kind, region_code, active, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
      {county, u.id, slug, u.name, u.kind, u.region_code, int64_t{u.active ? 1 : 0}, now});
}

void UpdateUnit(db::Conn& c, const std::string& county, const Unit& u, int64_t now) {
  c.Exec(
      "UPDATE units SET name = $3, kind = $4, active = $5, updated_at = $6 WHERE county_id = $1 "
      "AND id = $2",
      {county, u.id, u.name, u.kind, int64_t{u.active ? 1 : 0}, now});
}

std::optional<Person> GetPerson(db::Conn& c, const std::string& county, const std::string& id) {
  static const std::string q = S(kPersonSelect, "WHERE p.county_id = $1 AND p.id = $2");
  auto r = c.One(q, {county, id});
  if (!r) return std::nullopt;
  return PersonFrom(*r);
}

std::vector<Person> ListPeople(db::Conn& c, const std::string& county, const std::string& lo,
                               const std::string& hi, const std::string& q,
                               const std::string& after_pinyin, const std::string& after_id,
                               int limit) {
  std::vector<Person> out;
  db::Rows rows;
  if (q.empty()) {
    // One village: equality on village_code walks people_village_pinyin in order. A wider
    // scope walks people_pinyin and filters by the code range. The row-value cursor keeps
    // either an index range scan (no sort, no OFFSET).
    static const std::string kTail =
        "AND (p.pinyin, p.id) > ($3, $4) ORDER BY p.pinyin, p.id LIMIT $5";
    static const std::string village =
        S(kPersonSelect, "WHERE p.county_id = $1 AND p.village_code = $2 ") + kTail;
    static const std::string range =
        S(kPersonSelect, "WHERE p.county_id = $1 AND p.village_code BETWEEN $2 AND $6 ") + kTail;
    rows = lo == hi ? c.Query(village, {county, lo, after_pinyin, after_id, int64_t{limit}})
                    : c.Query(range, {county, lo, after_pinyin, after_id, int64_t{limit}, hi});
  } else if (lo.compare(0, 9, hi, 0, 9) == 0) {
    // A village or a town (a few thousand people at most): scan its code range and test the
    // three prefixes on each (`|| ''` keeps the planner on the village index, see below).
    static const std::string sql =
        S(kPersonSelect,
          "WHERE p.county_id = $1 AND p.village_code BETWEEN $2 AND $6 AND ((p.pinyin || '' >= $3 "
          "AND p.pinyin || '' < $4) OR (p.initials || '' >= $3 AND p.initials || '' < $4) OR "
          "(p.name || '' >= $3 AND p.name || '' < $4)) AND (p.pinyin || '', p.id) > ($7, $8) "
          "ORDER BY p.pinyin || '', p.id LIMIT $5");
    std::string q_hi = q + "\xf4\x8f\xbf\xbf";
    rows = c.Query(sql, {county, lo, q, q_hi, int64_t{limit}, hi, after_pinyin, after_id});
  } else {
    // A prefix of the name, the pinyin or the initials: three index range scans (each on its
    // own index, each cut to one page), merged. Ranges [q, q + U+10FFFF) compare bytes, which is
    // what SQLite does and what PostgreSQL does under the C collation the schema expects.
    // In the name and initials branches, `|| ''` turns the other columns into expressions so
    // that SQLite's planner (which has no statistics) scans the prefix range, not a whole index
    // that happens to be in page order.
    static const std::string kBranch =
        "SELECT id FROM (SELECT id FROM people WHERE county_id = $1 AND {col} >= $3 AND {col} < "
        "$4 AND {vc} BETWEEN $2 AND $5 AND ({py}, id) > ($6, $7) ORDER BY {py}, id LIMIT $8) AS "
        "{alias}";
    auto branch = [](std::string_view col, bool own_order, std::string_view alias) {
      std::string b = kBranch;
      auto put = [&](std::string_view key, std::string_view v) {
        for (size_t at; (at = b.find(key)) != std::string::npos;) b.replace(at, key.size(), v);
      };
      put("{col}", col);
      put("{vc}", own_order ? "village_code" : "village_code || ''");
      put("{py}", own_order ? "pinyin" : "pinyin || ''");
      put("{alias}", alias);
      return b;
    };
    static const std::string sql =
        S(kPersonSelect, "WHERE p.county_id = $1 AND p.id IN (") + branch("pinyin", true, "a") +
        " UNION " + branch("initials", false, "b") + " UNION " + branch("name", false, "c") +
        ") ORDER BY p.pinyin, p.id LIMIT $8";
    std::string q_hi = q + "\xf4\x8f\xbf\xbf";
    rows = c.Query(sql, {county, lo, q, q_hi, hi, after_pinyin, after_id, int64_t{limit}});
  }
  for (auto& r : rows) out.push_back(PersonFrom(r));
  return out;
}

void InsertPerson(db::Conn& c, const std::string& county, const PersonRow& r, int64_t now) {
  const Person& p = r.p;
  c.Exec(
      "INSERT INTO people (county_id, id, name, pinyin, initials, gender, birth_year, "
      "phone_sealed, phone_index, phone_masked, idno_sealed, idno_index, idno_masked, "
      "village_code, household_id, relation, active, created_at, updated_at) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $17)",
      {county, p.id, p.name, p.pinyin, p.initials, p.gender, p.birth_year,
       p.phone_sealed.empty() ? db::Null() : db::Value(p.phone_sealed),
       r.phone_index.empty() ? db::Null() : db::Value(r.phone_index),
       p.phone_masked.empty() ? db::Null() : db::Value(p.phone_masked),
       p.id_number_sealed.empty() ? db::Null() : db::Value(p.id_number_sealed),
       r.idno_index.empty() ? db::Null() : db::Value(r.idno_index),
       p.id_number_masked.empty() ? db::Null() : db::Value(p.id_number_masked), p.village_code,
       p.household_id.empty() ? db::Null() : db::Value(p.household_id), p.relation, now});
}

void UpdatePerson(db::Conn& c, const std::string& county, const Person& p, int64_t now) {
  c.Exec(
      "UPDATE people SET name = $3, pinyin = $4, initials = $5, gender = $6, birth_year = $7, "
      "relation = $8, active = $9, updated_at = $10 WHERE county_id = $1 AND id = $2",
      {county, p.id, p.name, p.pinyin, p.initials, p.gender, p.birth_year, p.relation,
       int64_t{p.active ? 1 : 0}, now});
}

void InsertHousehold(db::Conn& c, const std::string& county, const std::string& id,
                     const std::string& village_code, int64_t now) {
  c.Exec("INSERT INTO households (county_id, id, village_code, created_at) VALUES ($1, $2, $3, $4)",
         {county, id, village_code, now});
}

std::string HouseholdVillage(db::Conn& c, const std::string& county, const std::string& id) {
  auto r =
      c.One("SELECT village_code FROM households WHERE county_id = $1 AND id = $2", {county, id});
  return r ? r->Str(0) : std::string();
}

std::vector<Person> HouseholdMembers(db::Conn& c, const std::string& county,
                                     const std::string& id) {
  static const std::string q = S(kPersonSelect,
                                 "WHERE p.county_id = $1 AND p.household_id = $2 ORDER BY "
                                 "p.relation <> '户主', p.birth_year, p.id");
  std::vector<Person> out;
  for (auto& r : c.Query(q, {county, id})) out.push_back(PersonFrom(r));
  return out;
}

bool PersonWithIdExists(db::Conn& c, const std::string& county, const std::string& idno_index) {
  return c
      .One("SELECT 1 FROM people WHERE county_id = $1 AND idno_index = $2 AND active = 1",
           {county, idno_index})
      .has_value();
}

std::optional<Account> AccountByPhone(db::Conn& c, const std::string& county,
                                      const std::string& phone_index) {
  static const std::string q = S(kAccountSelect, "WHERE county_id = $1 AND phone_index = $2");
  auto r = c.One(q, {county, phone_index});
  if (!r) return std::nullopt;
  return AccountFrom(*r);
}

std::optional<Account> GetAccount(db::Conn& c, const std::string& county, const std::string& id) {
  static const std::string q = S(kAccountSelect, "WHERE county_id = $1 AND id = $2");
  auto r = c.One(q, {county, id});
  if (!r) return std::nullopt;
  return AccountFrom(*r);
}

void InsertAccount(db::Conn& c, const std::string& county, const AccountRow& r, int64_t now) {
  c.Exec(
      "INSERT INTO accounts (county_id, id, name, phone_index, phone_sealed, phone_masked, "
      "password_hash, person_id, active, demo, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "1, $9, $10)",
      {county, r.a.id, r.a.name, r.phone_index, r.phone_sealed, r.a.phone_masked, r.a.password_hash,
       r.a.person_id.empty() ? db::Null() : db::Value(r.a.person_id), int64_t{r.a.demo ? 1 : 0},
       now});
}

std::pair<std::string, std::string> AccountPhone(db::Conn& c, const std::string& county,
                                                 const std::string& id) {
  auto r = c.One("SELECT phone_sealed, phone_index FROM accounts WHERE county_id = $1 AND id = $2",
                 {county, id});
  if (!r) return {};
  return {r->Str(0), r->Str(1)};
}

void LinkPerson(db::Conn& c, const std::string& county, const std::string& account_id,
                const std::string& person_id) {
  c.Exec("UPDATE accounts SET person_id = $3 WHERE county_id = $1 AND id = $2",
         {county, account_id, person_id});
}

std::vector<perm::Grant> Grants(db::Conn& c, const std::string& county,
                                const std::string& account_id) {
  std::vector<perm::Grant> out;
  auto rows = c.Query(
      "SELECT g.role, g.region_code, g.unit_id, COALESCE(u.name, ''), COALESCE(r.short_name, '') "
      "FROM grants g LEFT JOIN units u ON u.county_id = g.county_id AND u.id = g.unit_id "
      "LEFT JOIN regions r ON r.county_id = g.county_id AND r.code = g.region_code "
      "WHERE g.county_id = $1 AND g.account_id = $2 ORDER BY g.role, g.region_code",
      {county, account_id});
  for (auto& r : rows) {
    perm::Role role;
    if (!perm::ParseRole(r.Str(0), &role)) continue;  // unknown roles grant nothing
    out.push_back({role, r.Str(1), r.Str(2), r.Str(3), r.Str(4)});
  }
  return out;
}

void AddGrant(db::Conn& c, const std::string& county, const std::string& account_id,
              const perm::Grant& g) {
  c.Exec(
      "INSERT INTO grants (county_id, account_id, role, region_code, unit_id) VALUES ($1, $2, $3, "
      "$4, $5) ON CONFLICT DO NOTHING",
      {county, account_id, std::string(perm::RoleName(g.role)), g.region_code, g.unit_id});
}

void RemoveGrant(db::Conn& c, const std::string& county, const std::string& account_id,
                 const std::string& role, const std::string& region_code) {
  c.Exec(
      "DELETE FROM grants WHERE county_id = $1 AND account_id = $2 AND role = $3 AND region_code = "
      "$4",
      {county, account_id, role, region_code});
}

std::vector<StaffMember> UnitStaff(db::Conn& c, const std::string& county,
                                   const std::string& unit_id) {
  std::vector<StaffMember> out;
  auto rows = c.Query(
      "SELECT a.id, a.name, a.phone_masked FROM grants g JOIN accounts a ON a.county_id = "
      "g.county_id AND a.id = g.account_id WHERE g.county_id = $1 AND g.unit_id = $2 AND g.role = "
      "'unit_staff' ORDER BY a.name, a.id",
      {county, unit_id});
  for (auto& r : rows) out.push_back({r.Str(0), r.Str(1), r.Str(2)});
  return out;
}

void RemoveUnitStaff(db::Conn& c, const std::string& county, const std::string& unit_id,
                     const std::string& account_id) {
  c.Exec(
      "DELETE FROM grants WHERE county_id = $1 AND unit_id = $2 AND account_id = $3 AND role = "
      "'unit_staff'",
      {county, unit_id, account_id});
}

std::vector<DemoAccount> DemoAccounts(db::Conn& c, const std::string& county) {
  std::vector<DemoAccount> out;
  auto rows = c.Query(
      "SELECT g.role, a.phone_sealed, g.region_code, a.name FROM accounts a JOIN grants g ON "
      "g.county_id = a.county_id AND g.account_id = a.id WHERE a.county_id = $1 AND a.demo = 1 "
      "ORDER BY a.created_at, a.id",
      {county});
  for (auto& r : rows) out.push_back({r.Str(0), r.Str(1), r.Str(2), r.Str(3)});
  return out;
}

std::optional<JoinRequest> GetJoin(db::Conn& c, const std::string& county, const std::string& id) {
  static const std::string q = S(kJoinSelect, "WHERE j.county_id = $1 AND j.id = $2");
  auto r = c.One(q, {county, id});
  if (!r) return std::nullopt;
  return JoinFrom(*r);
}

std::vector<JoinRequest> JoinsForAccount(db::Conn& c, const std::string& county,
                                         const std::string& account_id) {
  static const std::string q =
      S(kJoinSelect, "WHERE j.county_id = $1 AND j.account_id = $2 ORDER BY j.created_at DESC");
  std::vector<JoinRequest> out;
  for (auto& r : c.Query(q, {county, account_id})) out.push_back(JoinFrom(r));
  return out;
}

std::vector<JoinRequest> JoinsInRange(db::Conn& c, const std::string& county, const std::string& lo,
                                      const std::string& hi, const std::string& status, int limit) {
  static const std::string q =
      S(kJoinSelect,
        "WHERE j.county_id = $1 AND j.village_code BETWEEN $2 AND $3 AND ($4 = '' OR j.status = "
        "$4) ORDER BY j.created_at LIMIT $5");
  std::vector<JoinRequest> out;
  for (auto& r : c.Query(q, {county, lo, hi, status, int64_t{limit}})) out.push_back(JoinFrom(r));
  return out;
}

bool HasPendingJoin(db::Conn& c, const std::string& county, const std::string& account_id) {
  return c
      .One(
          "SELECT 1 FROM join_requests WHERE county_id = $1 AND account_id = $2 AND status = "
          "'pending'",
          {county, account_id})
      .has_value();
}

void InsertJoin(db::Conn& c, const std::string& county, const JoinRequest& j,
                const std::string& idno_index) {
  c.Exec(
      "INSERT INTO join_requests (county_id, id, account_id, village_code, name, phone_masked, "
      "idno_sealed, idno_index, idno_masked, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
      "$7, $8, $9, 'pending', $10)",
      {county, j.id, j.account_id, j.village_code, j.name, j.phone_masked, j.id_number_sealed,
       idno_index, j.id_number_masked, j.created_at});
}

void DecideJoin(db::Conn& c, const std::string& county, const std::string& id,
                const std::string& status, const std::string& reason, const std::string& by,
                int64_t now) {
  c.Exec(
      "UPDATE join_requests SET status = $3, reason = $4, decided_by = $5, decided_at = $6 WHERE "
      "county_id = $1 AND id = $2 AND status = 'pending'",
      {county, id, status, reason.empty() ? db::Null() : db::Value(reason), by, now});
  if (status == "approved") {
    auto r = c.One("SELECT village_code FROM join_requests WHERE county_id = $1 AND id = $2",
                   {county, id});
    if (r) stats::Add(c, county, "people.joined", util::ShanghaiMonth(now), r->Str(0), "", 1);
  }
}

std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county) {
  std::vector<stats::Cell> out;
  for (auto& r : c.Query("SELECT decided_at, village_code FROM join_requests WHERE county_id = "
                         "$1 AND status = 'approved'",
                         {county}))
    out.push_back({util::ShanghaiMonth(r.Int(0)), r.Str(1), "", "people.joined", 1});
  for (auto& r : c.Query("SELECT month, region_code, COUNT(*) FROM account_months WHERE "
                         "county_id = $1 GROUP BY month, region_code",
                         {county}))
    out.push_back({r.Str(0), r.Str(1), "", "people.active", r.Int(2)});
  return out;
}

void FillDemoPlaces(db::Conn& c, const std::string& county, DemoPlaces& out) {
  for (auto& r : c.Query("SELECT code, name, level, parent_code, people_count FROM regions WHERE "
                         "county_id = $1 ORDER BY code",
                         {county})) {
    std::string level = r.Str(2);
    if (level == "county") {
      out.county_code = r.Str(0);
      out.county_name = r.Str(1);
    } else if (level == "town") {
      out.towns.push_back({r.Str(0), r.Str(1), "", r.Int(4)});
    } else if (level == "village") {
      out.villages.push_back({r.Str(0), r.Str(1), r.Str(3), r.Int(4)});
    }
  }
  for (auto& r : c.Query("SELECT id, name FROM units WHERE county_id = $1 AND active = 1 ORDER BY "
                         "name",
                         {county}))
    out.units.push_back({r.Str(0), r.Str(1)});
  for (auto& r : c.Query("SELECT id, village_code, household_id FROM people WHERE county_id = $1 "
                         "ORDER BY village_code, id",
                         {county}))
    out.people.push_back({r.Str(0), r.Str(1), r.Str(2)});
  if (auto r = c.One("SELECT a.id, a.name, g.region_code FROM grants g JOIN accounts a ON "
                     "a.county_id = g.county_id AND a.id = g.account_id WHERE g.county_id = $1 AND "
                     "g.role = 'village_cadre' ORDER BY a.created_at, a.id LIMIT 1",
                     {county})) {
    out.cadre_account = r->Str(0);
    out.cadre_name = r->Str(1);
    out.cadre_village = r->Str(2);
  }
}

std::vector<JoinCandidate> JoinCandidates(db::Conn& c, const std::string& county) {
  std::vector<JoinCandidate> out;
  for (auto& r : c.Query(
           "SELECT p.id, p.name, p.village_code, p.phone_sealed, p.phone_index, p.phone_masked, "
           "p.idno_sealed, p.idno_index, p.idno_masked FROM people p WHERE p.county_id = $1 AND "
           "p.phone_index IS NOT NULL AND p.idno_index IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
           "accounts a WHERE a.county_id = p.county_id AND (a.person_id = p.id OR a.phone_index "
           "= p.phone_index)) ORDER BY p.id",
           {county}))
    out.push_back(
        {r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5), r.Str(6), r.Str(7), r.Str(8)});
  return out;
}

void InsertHistoryJoin(db::Conn& c, const std::string& county, const JoinCandidate& p,
                       const std::string& account_id, const std::string& join_id,
                       const std::string& decided_by, int64_t asked_at, int64_t decided_at) {
  c.Exec(
      "INSERT INTO join_requests (county_id, id, account_id, village_code, name, phone_masked, "
      "idno_sealed, idno_index, idno_masked, status, decided_by, created_at, decided_at) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, 'approved', $10, $11, $12)",
      {county, join_id, account_id, p.village, p.name, p.phone_masked, p.idno_sealed, p.idno_index,
       p.idno_masked, decided_by, asked_at, decided_at});
}

void InsertAccountMonth(db::Conn& c, const std::string& county, const std::string& account_id,
                        const std::string& month, const std::string& region) {
  c.Exec(
      "INSERT INTO account_months (county_id, account_id, month, region_code) VALUES ($1, $2, $3, "
      "$4) ON CONFLICT DO NOTHING",
      {county, account_id, month, region});
}

}  // namespace sx::org::repo
