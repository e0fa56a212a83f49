#include "modules/org/service.h"

#include "core/audit/audit.h"
#include "core/stats/counters.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "core/util/strings.h"
#include "modules/org/repo.h"

namespace sx::org {

using perm::Perm;
using perm::Principal;

namespace {

// All 12-digit codes inside `scope`, as [lo, hi].
std::pair<std::string, std::string> Range(std::string_view scope) {
  std::string p(perm::SignificantPrefix(scope));
  return {p + std::string(12 - p.size(), '0'), p + std::string(12 - p.size(), '9')};
}

std::string StrField(const std::optional<std::string>& v) { return v ? *v : std::string(); }

// Escapes LIKE wildcards so a search for "50%" matches the text "50%" (repo uses ESCAPE '\').
std::string LikeEscape(std::string_view q) {
  std::string out;
  for (char ch : q) {
    if (ch == '\\' || ch == '%' || ch == '_') out += '\\';
    out += ch;
  }
  return out;
}

// ID numbers end in an upper-case X (GB 11643); lookups and masks use that form.
std::string NormalizeIdNumber(std::string id) {
  if (!id.empty() && id.back() == 'x') id.back() = 'X';
  return id;
}

std::string CheckRelation(const std::string& r) {
  long n = util::Utf8Length(r);
  if (n < 1 || n > 20) throw Error::Field("relation", "must be 1 to 20 characters");
  return r;
}

}  // namespace

std::string CheckName(const std::string& raw, const std::string& field) {
  std::string name = util::Trim(raw);
  long n = util::Utf8Length(name);
  if (n < 1 || n > 40) throw Error::Field(field, "must be 1 to 40 characters");
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20)
      throw Error::Field(field, "contains control characters");
  return name;
}

OrgService::OrgService(db::Database& db, const auth::Protector& pii, auth::PasswordHasher& hasher,
                       auth::SessionStore& sessions, auth::LoginLimiter& limiter,
                       const util::Clock& clock, const Pinyin& pinyin)
    : db_(db),
      pii_(pii),
      hasher_(hasher),
      sessions_(sessions),
      limiter_(limiter),
      clock_(clock),
      pinyin_(pinyin) {}

std::string OrgService::HomeCounty() {
  auto c = db_.ReadValue([](db::Conn& c) { return repo::FirstCounty(c); });
  if (!c) throw Error(ErrorCode::kUnavailable, "No county is loaded yet (run `shuxiang demo`)");
  return *c;
}

void OrgService::AuditDenied(const Principal& who, const std::string& ip, const std::string& what) {
  audit::AppendAsync(db_, {who.county_id, who.account_id, "access.deny", "route", what, "denied",
                           ip, "", clock_.NowMs()});
}

void OrgService::Deny(const Caller& c, const std::string& object_type, const std::string& id) {
  audit::AppendAsync(db_, {c.who.county_id, c.who.account_id, "access.deny", object_type, id,
                           "denied", c.ip, "", clock_.NowMs()});
  throw Error::NotFound();
}

std::pair<std::string, std::string> OrgService::ScopeRange(const Principal& who, Perm p,
                                                           const std::string& region) {
  auto scopes = who.Scopes(p);
  if (scopes.empty()) throw Error::NotFound();
  if (region.empty()) {
    // The broadest scope (fewest significant digits).
    std::string best = scopes.front();
    for (auto& s : scopes)
      if (perm::SignificantPrefix(s).size() < perm::SignificantPrefix(best).size()) best = s;
    return Range(best);
  }
  if (perm::LevelOf(region) == perm::Level::kInvalid)
    throw Error::Field("region", "must be a 12-digit region code");
  if (!who.Can(p, region)) throw Error::NotFound();
  return Range(region);
}

// ---- Sessions ----

SignedIn OrgService::Login(const std::string& phone, const std::string& password,
                           const std::string& ip) {
  if (!auth::ValidPhone(phone)) throw Error::Field("phone", "must be an 11-digit mobile number");
  if (password.empty() || password.size() > 512) throw Error::Field("password", "is required");
  std::string county = HomeCounty();
  std::string key = pii_.BlindIndex("phone", phone);
  auto acct = db_.ReadValue([&](db::Conn& c) {
    limiter_.Check(c, county, key, ip);
    return repo::AccountByPhone(c, county, key);
  });
  bool ok = false;
  if (acct && acct->active)
    ok = hasher_.Verify(acct->password_hash, password);
  else
    hasher_.VerifyDummy(password);
  if (!ok) {
    db_.Write([&](db::Conn& c) {
      limiter_.RecordFailure(c, county, key, ip);
      audit::Append(c, {county, acct ? acct->id : "anonymous", "auth.login", "account",
                        acct ? acct->id : "", "failed", ip, "", clock_.NowMs()});
    });
    throw Error(ErrorCode::kUnauthenticated, "Wrong phone number or password");
  }
  SignedIn out;
  db_.Write([&](db::Conn& c) {
    limiter_.RecordSuccess(c, county, key);
    out.session = sessions_.Create(c, county, acct->id);
    audit::Append(
        c, {county, acct->id, "auth.login", "account", acct->id, "ok", ip, "", clock_.NowMs()});
  });
  Principal p;
  p.county_id = county;
  p.account_id = acct->id;
  out.me = GetMe(p);
  return out;
}

SignedIn OrgService::Signup(const std::string& raw_name, const std::string& phone,
                            const std::string& password, const std::string& ip) {
  std::string name = CheckName(raw_name);
  if (!auth::ValidPhone(phone)) throw Error::Field("phone", "must be an 11-digit mobile number");
  auth::CheckPasswordPolicy(password);
  std::string county = HomeCounty();
  repo::AccountRow row;
  row.a.id = util::NewId();
  row.a.name = name;
  row.a.phone_masked = auth::MaskPhone(phone);
  row.phone_index = pii_.BlindIndex("phone", phone);
  row.phone_sealed = pii_.Seal(phone);
  row.a.password_hash = hasher_.Hash(password);
  SignedIn out;
  db_.Write([&](db::Conn& c) {
    if (repo::AccountByPhone(c, county, row.phone_index))
      throw Error::Conflict("This phone number is already registered; sign in instead");
    repo::InsertAccount(c, county, row, clock_.NowMs());
    // Until a village accepts them, a new resident may read the county's tree and ask to join.
    repo::AddGrant(
        c, county, row.a.id,
        {perm::Role::kResident, perm::AncestorAt(county + "000000", perm::Level::kCounty)});
    out.session = sessions_.Create(c, county, row.a.id);
    audit::Append(c, {county, row.a.id, "account.create", "account", row.a.id, "ok", ip, "signup",
                      clock_.NowMs()});
  });
  Principal p;
  p.county_id = county;
  p.account_id = row.a.id;
  out.me = GetMe(p);
  return out;
}

void OrgService::Logout(const Caller& c) {
  db_.Write([&](db::Conn& conn) {
    sessions_.Revoke(conn, c.who.session_hash);
    audit::Append(conn, {c.who.county_id, c.who.account_id, "auth.logout", "account",
                         c.who.account_id, "ok", c.ip, "", clock_.NowMs()});
  });
  for (auto& f : access_changed_) f(c.who.account_id);
}

std::optional<Principal> OrgService::PrincipalForToken(const std::string& token, bool via_cookie) {
  auto s = sessions_.Lookup(token);
  if (!s) return std::nullopt;
  std::optional<Principal> out;
  db_.Read([&](db::Conn& c) {
    auto a = repo::GetAccount(c, s->county_id, s->account_id);
    if (!a || !a->active) return;
    Principal p;
    p.county_id = s->county_id;
    p.account_id = a->id;
    p.name = a->name;
    p.person_id = a->person_id;
    p.grants = repo::Grants(c, s->county_id, a->id);
    p.session_hash = s->token_hash;
    p.csrf_token = s->csrf_token;
    p.via_cookie = via_cookie;
    out = std::move(p);
  });
  if (out) NoteActive(*out);
  return out;
}

std::vector<stats::Cell> OrgService::RebuildCells(db::Conn& c, const std::string& county) {
  return repo::RebuildCells(c, county);
}

void OrgService::NoteActive(const Principal& p) {
  std::string month = util::ShanghaiMonth(clock_.NowMs());
  {
    std::lock_guard lk(active_mu_);
    if (active_.size() > 500000) active_.clear();
    if (!active_.insert(p.account_id + "/" + month).second) return;
  }
  // Where the account counts: its person's village, else its first grant's scope.
  std::string fallback = p.grants.empty() ? "" : p.grants.front().region_code;
  db_.WriteAsync([county = p.county_id, account = p.account_id, person = p.person_id, month,
                  fallback](db::Conn& c) {
    std::string region = fallback;
    if (!person.empty())
      if (auto per = repo::GetPerson(c, county, person)) region = per->village_code;
    stats::MarkActive(c, county, account, month, region);
  });
}

Me OrgService::GetMe(const Principal& who) {
  Me me;
  db_.Read([&](db::Conn& c) {
    auto a = repo::GetAccount(c, who.county_id, who.account_id);
    if (!a) throw Error(ErrorCode::kUnauthenticated, "Sign in first");
    me.account = *a;
    me.county_code = perm::AncestorAt(who.county_id + "000000", perm::Level::kCounty);
    if (auto county = repo::GetRegion(c, who.county_id, me.county_code))
      me.county_name = county->short_name;
    me.grants = repo::Grants(c, who.county_id, who.account_id);
    if (!a->person_id.empty()) {
      if (auto p = repo::GetPerson(c, who.county_id, a->person_id)) {
        me.village = repo::GetRegion(c, who.county_id, p->village_code);
        if (me.village)
          if (auto t = repo::GetRegion(c, who.county_id, me.village->parent_code))
            me.town_name = t->short_name;
      }
    }
  });
  return me;
}

// ---- Regions ----

Region OrgService::GetRegion(const Principal& who, const std::string& code) {
  if (perm::LevelOf(code) == perm::Level::kInvalid) throw Error::NotFound();
  return db_.ReadValue([&](db::Conn& c) {
    auto r = repo::GetRegion(c, who.county_id, code);
    if (!r || !who.Has(Perm::kRegionRead)) throw Error::NotFound();
    // Ancestors, root first.
    std::vector<std::pair<std::string, std::string>> path;
    std::string parent = r->parent_code;
    for (int i = 0; i < 6 && !parent.empty(); ++i) {
      auto a = repo::GetRegion(c, who.county_id, parent);
      if (!a) break;
      path.emplace_back(a->code, a->short_name);
      parent = a->parent_code;
    }
    r->path.assign(path.rbegin(), path.rend());
    return *r;
  });
}

std::vector<Region> OrgService::Children(const Principal& who, const std::string& code) {
  if (perm::LevelOf(code) == perm::Level::kInvalid) throw Error::NotFound();
  return db_.ReadValue([&](db::Conn& c) {
    auto kids = repo::Children(c, who.county_id, code);
    if (kids.empty() && !repo::GetRegion(c, who.county_id, code)) throw Error::NotFound();
    return kids;
  });
}

OrgService::Rendered OrgService::ChildrenRendered(
    const Principal& who, const std::string& code,
    const std::function<std::string(const std::vector<Region>&)>& render) {
  if (perm::LevelOf(code) == perm::Level::kInvalid) throw Error::NotFound();
  std::string key = who.county_id + "/" + code;
  int64_t version =
      db_.ReadValue([&](db::Conn& c) { return repo::RegionVersion(c, who.county_id); });
  {
    std::lock_guard lk(rendered_mu_);
    auto it = rendered_.find(key);
    if (it != rendered_.end() && it->second.version == version) return it->second;
  }
  Rendered r;
  db_.Read([&](db::Conn& c) {
    r.version = repo::RegionVersion(c, who.county_id);  // the snapshot the rows come from
    auto kids = repo::Children(c, who.county_id, code);
    if (kids.empty() && !repo::GetRegion(c, who.county_id, code)) throw Error::NotFound();
    r.body = std::make_shared<const std::string>(render(kids));
  });
  std::lock_guard lk(rendered_mu_);
  if (rendered_.size() > 10000) rendered_.clear();
  auto& slot = rendered_[key];
  if (!slot.body || slot.version < r.version) slot = r;
  return r;
}

std::vector<Region> OrgService::SearchRegions(const Principal& who, const std::string& raw,
                                              const std::string& level) {
  std::string q = util::ToLowerAscii(util::Trim(raw));
  if (q.empty() || util::Utf8Length(q) > 40) throw Error::Field("q", "must be 1 to 40 characters");
  if (!level.empty() && level != "town" && level != "village" && level != "county")
    throw Error::Field("level", "must be town, village or county");
  return db_.ReadValue(
      [&](db::Conn& c) { return repo::SearchRegions(c, who.county_id, LikeEscape(q), level, 50); });
}

// ---- Units ----

namespace {
const char* kUnitKinds[] = {"party", "government", "public_institution", "enterprise",
                            "town_office"};
std::string CheckKind(const std::string& k) {
  for (const char* s : kUnitKinds)
    if (k == s) return k;
  throw Error::Field("kind",
                     "must be one of party, government, public_institution, enterprise, "
                     "town_office");
}
}  // namespace

std::vector<Unit> OrgService::ListUnits(const Principal& who, const std::string& region,
                                        const std::string& q) {
  auto [lo, hi] = ScopeRange(who, Perm::kUnitRead, region);
  std::string query = util::Trim(q);
  if (util::Utf8Length(query) > 40) throw Error::Field("q", "at most 40 characters");
  return db_.ReadValue([&](db::Conn& c) {
    return repo::ListUnits(c, who.county_id, lo, hi, LikeEscape(query), 500);
  });
}

Unit OrgService::GetUnit(const Principal& who, const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  auto u = db_.ReadValue([&](db::Conn& c) { return repo::GetUnit(c, who.county_id, id); });
  if (!u || !who.Can(Perm::kUnitRead, u->region_code)) throw Error::NotFound();
  return *u;
}

Unit OrgService::CreateUnit(const Caller& c, const UnitInput& in) {
  Unit u;
  u.id = util::NewId();
  u.name = CheckName(StrField(in.name));
  u.kind = CheckKind(StrField(in.kind));
  u.region_code = StrField(in.region_code);
  auto level = perm::LevelOf(u.region_code);
  if (level != perm::Level::kCounty && level != perm::Level::kTown)
    throw Error::Field("region_code", "must be a county or town code");
  if (!c.who.Can(Perm::kUnitWrite, u.region_code)) Deny(c, "region", u.region_code);
  db_.Write([&](db::Conn& conn) {
    if (!repo::GetRegion(conn, c.who.county_id, u.region_code)) throw Error::NotFound();
    repo::InsertUnit(conn, c.who.county_id, u, "", clock_.NowMs());
    audit::Append(conn, {c.who.county_id, c.who.account_id, "unit.create", "unit", u.id, "ok", c.ip,
                         "", clock_.NowMs()});
  });
  return GetUnit(c.who, u.id);
}

Unit OrgService::UpdateUnit(const Caller& c, const std::string& id, const UnitInput& in) {
  Unit u = GetUnit(c.who, id);
  if (!c.who.Can(Perm::kUnitWrite, u.region_code)) Deny(c, "unit", id);
  if (in.name) u.name = CheckName(*in.name);
  if (in.kind) u.kind = CheckKind(*in.kind);
  if (in.region_code && *in.region_code != u.region_code)
    throw Error::Field("region_code", "cannot be changed; create a new unit instead");
  db_.Write([&](db::Conn& conn) {
    repo::UpdateUnit(conn, c.who.county_id, u, clock_.NowMs());
    audit::Append(conn, {c.who.county_id, c.who.account_id, "unit.update", "unit", u.id, "ok", c.ip,
                         "", clock_.NowMs()});
  });
  return GetUnit(c.who, id);
}

Unit OrgService::DeactivateUnit(const Caller& c, const std::string& id) {
  Unit u = GetUnit(c.who, id);
  if (!c.who.Can(Perm::kUnitWrite, u.region_code)) Deny(c, "unit", id);
  u.active = false;
  db_.Write([&](db::Conn& conn) {
    repo::UpdateUnit(conn, c.who.county_id, u, clock_.NowMs());
    audit::Append(conn, {c.who.county_id, c.who.account_id, "unit.deactivate", "unit", u.id, "ok",
                         c.ip, "", clock_.NowMs()});
  });
  return u;
}

std::vector<StaffMember> OrgService::ListStaff(const Principal& who, const std::string& unit_id) {
  Unit u = GetUnit(who, unit_id);
  return db_.ReadValue([&](db::Conn& c) { return repo::UnitStaff(c, who.county_id, u.id); });
}

StaffMember OrgService::AddStaff(const Caller& c, const std::string& unit_id,
                                 const std::string& phone) {
  Unit u = GetUnit(c.who, unit_id);
  if (!c.who.Can(Perm::kUnitWrite, u.region_code)) Deny(c, "unit", unit_id);
  if (!u.active) throw Error::Conflict("This unit is deactivated");
  if (!auth::ValidPhone(phone)) throw Error::Field("phone", "must be an 11-digit mobile number");
  StaffMember m;
  db_.Write([&](db::Conn& conn) {
    auto a = repo::AccountByPhone(conn, c.who.county_id, pii_.BlindIndex("phone", phone));
    if (!a || !a->active)
      throw Error::Field("phone", "no account uses this phone number; ask them to sign up first");
    repo::AddGrant(conn, c.who.county_id, a->id, {perm::Role::kUnitStaff, u.region_code, u.id});
    audit::Append(conn, {c.who.county_id, c.who.account_id, "unit.staff.add", "unit", u.id, "ok",
                         c.ip, a->id, clock_.NowMs()});
    m = {a->id, a->name, a->phone_masked};
  });
  for (auto& f : access_changed_) f(m.account_id);
  return m;
}

void OrgService::RemoveStaff(const Caller& c, const std::string& unit_id,
                             const std::string& account_id) {
  Unit u = GetUnit(c.who, unit_id);
  if (!c.who.Can(Perm::kUnitWrite, u.region_code)) Deny(c, "unit", unit_id);
  if (!util::LooksLikeId(account_id)) throw Error::NotFound();
  db_.Write([&](db::Conn& conn) {
    repo::RemoveUnitStaff(conn, c.who.county_id, u.id, account_id);
    audit::Append(conn, {c.who.county_id, c.who.account_id, "unit.staff.remove", "unit", u.id, "ok",
                         c.ip, account_id, clock_.NowMs()});
  });
  for (auto& f : access_changed_) f(account_id);
}

// ---- People ----

PeoplePage OrgService::ListPeople(const Principal& who, const std::string& region,
                                  const std::string& q, const std::string& cursor, int limit) {
  auto [lo, hi] = ScopeRange(who, Perm::kPersonRead, region);
  std::string query = util::ToLowerAscii(util::Trim(q));
  if (util::Utf8Length(query) > 40) throw Error::Field("q", "at most 40 characters");
  if (limit < 1 || limit > 200) throw Error::Field("limit", "must be 1 to 200");
  std::string after_pinyin, after_id;
  if (!cursor.empty()) {
    auto bar = cursor.find('~');
    if (bar == std::string::npos) throw Error::Field("cursor", "is not a cursor from this API");
    after_pinyin = cursor.substr(0, bar);
    after_id = cursor.substr(bar + 1);
  }
  PeoplePage page;
  page.items = db_.ReadValue([&](db::Conn& c) {
    return repo::ListPeople(c, who.county_id, lo, hi, query, after_pinyin, after_id, limit + 1);
  });
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next_cursor = page.items.back().pinyin + "~" + page.items.back().id;
  }
  return page;
}

Person OrgService::GetPerson(const Principal& who, const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  auto p = db_.ReadValue([&](db::Conn& c) { return repo::GetPerson(c, who.county_id, id); });
  if (!p || !who.Can(Perm::kPersonRead, p->village_code)) throw Error::NotFound();
  return *p;
}

std::vector<Person> OrgService::Household(const Principal& who, const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  auto members =
      db_.ReadValue([&](db::Conn& c) { return repo::HouseholdMembers(c, who.county_id, id); });
  if (members.empty() || !who.Can(Perm::kPersonRead, members.front().village_code))
    throw Error::NotFound();
  return members;
}

Person OrgService::CreatePerson(const Caller& c, const PersonInput& in) {
  repo::PersonRow row;
  Person& p = row.p;
  p.id = util::NewId();
  p.name = CheckName(StrField(in.name));
  auto py = pinyin_.Of(p.name, true);
  p.pinyin = py.full;
  p.initials = py.initials;
  p.gender = StrField(in.gender);
  if (p.gender != "m" && p.gender != "f") throw Error::Field("gender", "must be m or f");
  p.birth_year = in.birth_year.value_or(0);
  if (p.birth_year < 1900 || p.birth_year > 2100)
    throw Error::Field("birth_year", "must be a year");
  p.village_code = StrField(in.village_code);
  // Scope first: a code outside the caller's scope answers 404 whatever its level.
  if (perm::LevelOf(p.village_code) != perm::Level::kInvalid &&
      !c.who.Can(Perm::kPersonWrite, p.village_code))
    Deny(c, "region", p.village_code);
  if (perm::LevelOf(p.village_code) != perm::Level::kVillage)
    throw Error::Field("village_code", "must be a village code");
  p.relation = CheckRelation(in.relation.value_or("户主"));
  if (in.phone) {
    if (!auth::ValidPhone(*in.phone))
      throw Error::Field("phone", "must be an 11-digit mobile number");
    p.phone_sealed = pii_.Seal(*in.phone);
    p.phone_masked = auth::MaskPhone(*in.phone);
    row.phone_index = pii_.BlindIndex("phone", *in.phone);
  }
  if (in.id_number) {
    std::string idno = NormalizeIdNumber(*in.id_number);
    if (!auth::ValidIdNumber(idno))
      throw Error::Field("id_number", "is not a valid 18-digit ID number (checksum)");
    p.id_number_sealed = pii_.Seal(idno);
    p.id_number_masked = auth::MaskIdNumber(idno);
    row.idno_index = pii_.BlindIndex("idno", idno);
  }
  if (!c.who.Can(Perm::kPersonWrite, p.village_code)) Deny(c, "region", p.village_code);
  db_.Write([&](db::Conn& conn) {
    if (!repo::GetRegion(conn, c.who.county_id, p.village_code)) throw Error::NotFound();
    if (!row.idno_index.empty() && repo::PersonWithIdExists(conn, c.who.county_id, row.idno_index))
      throw Error::Conflict("A person with this ID number is already registered");
    if (in.household_id) {
      p.household_id = *in.household_id;
      if (repo::HouseholdVillage(conn, c.who.county_id, p.household_id) != p.village_code)
        throw Error::Field("household_id", "not found in this village");
    } else {
      p.household_id = util::NewId();
      repo::InsertHousehold(conn, c.who.county_id, p.household_id, p.village_code, clock_.NowMs());
    }
    repo::InsertPerson(conn, c.who.county_id, row, clock_.NowMs());
    repo::AddPeopleCount(conn, c.who.county_id, p.village_code, 1);
    audit::Append(conn, {c.who.county_id, c.who.account_id, "person.create", "person", p.id, "ok",
                         c.ip, "", clock_.NowMs()});
  });
  return GetPerson(c.who, p.id);
}

Person OrgService::UpdatePerson(const Caller& c, const std::string& id, const PersonInput& in) {
  Person p = GetPerson(c.who, id);
  if (!c.who.Can(Perm::kPersonWrite, p.village_code)) Deny(c, "person", id);
  if (in.name) {
    p.name = CheckName(*in.name);
    auto py = pinyin_.Of(p.name, true);
    p.pinyin = py.full;
    p.initials = py.initials;
  }
  if (in.gender) {
    if (*in.gender != "m" && *in.gender != "f") throw Error::Field("gender", "must be m or f");
    p.gender = *in.gender;
  }
  if (in.birth_year) {
    if (*in.birth_year < 1900 || *in.birth_year > 2100)
      throw Error::Field("birth_year", "must be a year");
    p.birth_year = *in.birth_year;
  }
  if (in.relation) p.relation = CheckRelation(*in.relation);
  if (in.phone || in.id_number || in.village_code)
    throw Error::Invalid("phone, id_number and village_code cannot be changed here");
  db_.Write([&](db::Conn& conn) {
    repo::UpdatePerson(conn, c.who.county_id, p, clock_.NowMs());
    audit::Append(conn, {c.who.county_id, c.who.account_id, "person.update", "person", p.id, "ok",
                         c.ip, "", clock_.NowMs()});
  });
  return GetPerson(c.who, id);
}

Person OrgService::DeactivatePerson(const Caller& c, const std::string& id) {
  Person p = GetPerson(c.who, id);
  if (!c.who.Can(Perm::kPersonWrite, p.village_code)) Deny(c, "person", id);
  if (!p.active) return p;
  p.active = false;
  db_.Write([&](db::Conn& conn) {
    repo::UpdatePerson(conn, c.who.county_id, p, clock_.NowMs());
    repo::AddPeopleCount(conn, c.who.county_id, p.village_code, -1);
    audit::Append(conn, {c.who.county_id, c.who.account_id, "person.deactivate", "person", p.id,
                         "ok", c.ip, "", clock_.NowMs()});
  });
  return p;
}

std::string OrgService::Reveal(const Caller& c, const std::string& id, const std::string& field) {
  if (field != "phone" && field != "id_number")
    throw Error::Field("field", "must be phone or id_number");
  Person p = GetPerson(c.who, id);
  if (!c.who.Can(Perm::kPersonReveal, p.village_code)) Deny(c, "person", id);
  const std::string& sealed = field == "phone" ? p.phone_sealed : p.id_number_sealed;
  if (sealed.empty()) throw Error::NotFound("This person has no " + field + " on record");
  std::string value = pii_.Open(sealed);
  audit::AppendNow(db_, {c.who.county_id, c.who.account_id, "person.reveal", "person", p.id, "ok",
                         c.ip, field, clock_.NowMs()});
  return value;
}

// ---- Joining a village ----

JoinRequest OrgService::CreateJoin(const Caller& c, const std::string& village_code,
                                   const std::string& raw_name, const std::string& raw_id) {
  const std::string id_number = NormalizeIdNumber(raw_id);
  std::string name = CheckName(raw_name);
  if (perm::LevelOf(village_code) != perm::Level::kInvalid &&
      !c.who.Can(Perm::kJoinCreate, village_code))
    Deny(c, "region", village_code);
  if (perm::LevelOf(village_code) != perm::Level::kVillage)
    throw Error::Field("village_code", "must be a village code");
  if (!auth::ValidIdNumber(id_number))
    throw Error::Field("id_number", "is not a valid 18-digit ID number (checksum)");
  JoinRequest j;
  j.id = util::NewId();
  j.account_id = c.who.account_id;
  j.village_code = village_code;
  j.name = name;
  j.id_number_sealed = pii_.Seal(id_number);
  j.id_number_masked = auth::MaskIdNumber(id_number);
  j.created_at = clock_.NowMs();
  std::string idx = pii_.BlindIndex("idno", id_number);
  db_.Write([&](db::Conn& conn) {
    auto v = repo::GetRegion(conn, c.who.county_id, village_code);
    if (!v) throw Error::NotFound("No such village");
    auto a = repo::GetAccount(conn, c.who.county_id, c.who.account_id);
    if (!a) throw Error(ErrorCode::kUnauthenticated, "Sign in first");
    if (!a->person_id.empty()) throw Error::Conflict("You already belong to a village");
    if (repo::HasPendingJoin(conn, c.who.county_id, c.who.account_id))
      throw Error::Conflict("You already have a request waiting for review");
    j.phone_masked = a->phone_masked;
    repo::InsertJoin(conn, c.who.county_id, j, idx);
    audit::Append(conn, {c.who.county_id, c.who.account_id, "join.create", "join_request", j.id,
                         "ok", c.ip, village_code, clock_.NowMs()});
  });
  auto out =
      db_.ReadValue([&](db::Conn& conn) { return repo::GetJoin(conn, c.who.county_id, j.id); });
  return *out;
}

std::vector<JoinRequest> OrgService::MyJoins(const Principal& who) {
  return db_.ReadValue(
      [&](db::Conn& c) { return repo::JoinsForAccount(c, who.county_id, who.account_id); });
}

std::vector<JoinRequest> OrgService::ListJoins(const Principal& who, const std::string& status) {
  if (!status.empty() && status != "pending" && status != "approved" && status != "rejected")
    throw Error::Field("status", "must be pending, approved or rejected");
  std::vector<JoinRequest> out;
  db_.Read([&](db::Conn& c) {
    for (auto& scope : who.Scopes(Perm::kJoinReview)) {
      auto [lo, hi] = Range(scope);
      for (auto& j : repo::JoinsInRange(c, who.county_id, lo, hi, status, 500))
        if (std::none_of(out.begin(), out.end(), [&](auto& o) { return o.id == j.id; }))
          out.push_back(std::move(j));
    }
  });
  return out;
}

JoinRequest OrgService::Approve(const Caller& c, const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  std::string approved_account;
  db_.Write([&](db::Conn& conn) {
    auto j = repo::GetJoin(conn, c.who.county_id, id);
    if (!j) throw Error::NotFound();
    if (!c.who.Can(Perm::kJoinReview, j->village_code)) throw Error::NotFound();
    if (j->status != "pending") throw Error::Conflict("This request was already " + j->status);
    auto a = repo::GetAccount(conn, c.who.county_id, j->account_id);
    if (!a) throw Error::NotFound();
    // The person record: their own household in the village.
    repo::PersonRow row;
    Person& p = row.p;
    p.id = util::NewId();
    p.name = j->name;
    auto py = pinyin_.Of(p.name, true);
    p.pinyin = py.full;
    p.initials = py.initials;
    std::string idno = pii_.Open(j->id_number_sealed);
    p.gender = ((idno[16] - '0') % 2 == 1) ? "m" : "f";
    p.birth_year = std::stoll(idno.substr(6, 4));
    p.id_number_sealed = j->id_number_sealed;
    p.id_number_masked = j->id_number_masked;
    row.idno_index = pii_.BlindIndex("idno", idno);
    if (repo::PersonWithIdExists(conn, c.who.county_id, row.idno_index))
      throw Error::Conflict(
          "A person with this ID number is already registered; reject this request");
    auto phone = repo::AccountPhone(conn, c.who.county_id, a->id);
    p.phone_sealed = phone.first;
    row.phone_index = phone.second;
    p.phone_masked = a->phone_masked;
    p.village_code = j->village_code;
    p.household_id = util::NewId();
    p.relation = "户主";
    int64_t now = clock_.NowMs();
    repo::InsertHousehold(conn, c.who.county_id, p.household_id, p.village_code, now);
    repo::InsertPerson(conn, c.who.county_id, row, now);
    repo::AddPeopleCount(conn, c.who.county_id, p.village_code, 1);
    repo::LinkPerson(conn, c.who.county_id, a->id, p.id);
    repo::RemoveGrant(conn, c.who.county_id, a->id, "resident",
                      perm::AncestorAt(c.who.county_id + "000000", perm::Level::kCounty));
    repo::AddGrant(conn, c.who.county_id, a->id, {perm::Role::kResident, p.village_code});
    repo::DecideJoin(conn, c.who.county_id, id, "approved", "", c.who.account_id, now);
    audit::Append(conn, {c.who.county_id, c.who.account_id, "join.approve", "join_request", id,
                         "ok", c.ip, p.id, now});
    approved_account = a->id;
  });
  for (auto& f : access_changed_) f(approved_account);
  return *db_.ReadValue([&](db::Conn& conn) { return repo::GetJoin(conn, c.who.county_id, id); });
}

JoinRequest OrgService::Reject(const Caller& c, const std::string& id, const std::string& raw) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  std::string reason = util::Trim(raw);
  long n = util::Utf8Length(reason);
  if (n < 1 || n > 200) throw Error::Field("reason", "must be 1 to 200 characters");
  db_.Write([&](db::Conn& conn) {
    auto j = repo::GetJoin(conn, c.who.county_id, id);
    if (!j || !c.who.Can(Perm::kJoinReview, j->village_code)) throw Error::NotFound();
    if (j->status != "pending") throw Error::Conflict("This request was already " + j->status);
    repo::DecideJoin(conn, c.who.county_id, id, "rejected", reason, c.who.account_id,
                     clock_.NowMs());
    audit::Append(conn, {c.who.county_id, c.who.account_id, "join.reject", "join_request", id, "ok",
                         c.ip, "", clock_.NowMs()});
  });
  return *db_.ReadValue([&](db::Conn& conn) { return repo::GetJoin(conn, c.who.county_id, id); });
}

}  // namespace sx::org
