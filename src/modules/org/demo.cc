#include "modules/org/demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/util/clock.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "core/util/strings.h"
#include "modules/org/repo.h"
#include "modules/org/service.h"

namespace sx::org {
namespace {

// Deterministic generator (SplitMix64): the same seed gives the same county.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Between(int lo, int hi) { return lo + static_cast<int>(Next() % (hi - lo + 1)); }
  double Unit() { return (Next() >> 11) * (1.0 / 9007199254740992.0); }

 private:
  uint64_t s_;
};

// Minimal CSV: commas, double-quoted fields with "" escapes, LF or CRLF lines.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        field += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Compact(std::string_view pinyin) {
  std::string out;
  for (char c : pinyin)
    if (c != ' ') out += c;
  return out;
}

struct NamePart {
  std::string text, pinyin, initials;
  char gender = 'n';
  int weight = 1;
};

struct Names {
  std::vector<NamePart> surnames, given;
  int64_t surname_total = 0;

  Names() {
    for (auto line : util::Split(SeedFile("seed/surnames.tsv"), '\n')) {
      auto c = util::Split(line, '\t');
      if (c.size() < 3 || c[0].empty() || c[0][0] == '#') continue;
      NamePart p{std::string(c[0]), "", "", 'n', std::max(1, std::atoi(std::string(c[2]).c_str()))};
      for (auto s : util::Split(c[1], ' '))
        if (!s.empty()) p.pinyin += s, p.initials += s[0];
      surname_total += p.weight;
      surnames.push_back(std::move(p));
    }
    for (auto line : util::Split(SeedFile("seed/given-chars.tsv"), '\n')) {
      auto c = util::Split(line, '\t');
      if (c.size() < 3 || c[0].empty() || c[0][0] == '#') continue;
      NamePart p{std::string(c[0]), Compact(c[1]), std::string(1, c[1].empty() ? 'x' : c[1][0]),
                 c[2].empty() ? 'n' : c[2][0], 1};
      given.push_back(std::move(p));
    }
    if (surnames.empty() || given.empty())
      throw Error(ErrorCode::kInternal, "demo seed name tables are missing");
  }

  const NamePart& Surname(Rng& r) const {
    int64_t x = static_cast<int64_t>(r.Next() % static_cast<uint64_t>(surname_total));
    for (auto& s : surnames) {
      if (x < s.weight) return s;
      x -= s.weight;
    }
    return surnames.back();
  }
  const NamePart& Given(Rng& r, char gender) const {
    for (int tries = 0; tries < 20; ++tries) {
      auto& g = given[r.Next() % given.size()];
      if (g.gender == 'n' || g.gender == gender) return g;
    }
    return given[r.Next() % given.size()];
  }
  // name, pinyin, initials
  std::tuple<std::string, std::string, std::string> Make(Rng& r, char gender,
                                                         const NamePart* family = nullptr) const {
    const NamePart& s = family ? *family : Surname(r);
    std::string name = s.text, py = s.pinyin, ini = s.initials;
    int n = r.Unit() < 0.7 ? 2 : 1;
    for (int i = 0; i < n; ++i) {
      auto& g = Given(r, gender);
      name += g.text;
      py += g.pinyin;
      ini += g.initials;
    }
    return {name, py, ini};
  }
  const NamePart* Find(const std::string& text) const {
    for (auto& s : surnames)
      if (s.text == text) return &s;
    return nullptr;
  }
};

std::string Phone(Rng& r) {
  static const char* kPrefixes[] = {"133", "135", "136", "137", "138", "139", "150",
                                    "151", "152", "157", "158", "159", "177", "180",
                                    "182", "187", "188", "189", "191", "198"};
  std::string p = kPrefixes[r.Next() % (sizeof kPrefixes / sizeof *kPrefixes)];
  for (int i = 0; i < 8; ++i) p += static_cast<char>('0' + r.Between(0, 9));
  return p;
}

}  // namespace

std::string MakeIdNumber(const std::string& area6, int year, int month, int day, int seq) {
  std::string s = fmt::format("{}{:04d}{:02d}{:02d}{:03d}", area6, year, month, day, seq % 1000);
  static const int kW[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (s[i] - '0') * kW[i];
  return s + kCheck[sum % 11];
}

DemoResult LoadDemo(db::Database& db, const auth::Protector& pii, auth::PasswordHasher& hasher,
                    const Pinyin& pinyin, const util::Clock& clock, const DemoOptions& opts) {
  const std::string county = kDemoCounty;
  DemoResult res;
  if (db.ReadValue([&](db::Conn& c) { return repo::CountyExists(c, county); })) return res;
  if (opts.password.empty()) throw Error::Invalid("a demo password is required");
  auth::CheckPasswordPolicy(opts.password);
  int64_t now = clock.NowMs();
  Rng rng(opts.seed);
  Names names;

  // Regions and units.
  auto region_rows = ParseCsv(SeedFile("seed/regions-500238.csv"));
  auto unit_rows = ParseCsv(SeedFile("seed/units-500238.csv"));
  if (region_rows.size() < 2 || unit_rows.size() < 2)
    throw Error(ErrorCode::kInternal, "demo seed region/unit tables are missing");
  std::vector<std::string> towns, villages;
  std::vector<std::pair<std::string, std::string>> units;  // id, region
  db.Write([&](db::Conn& c) {
    repo::InsertCounty(c, county, "巫溪县", now);
    for (size_t i = 1; i < region_rows.size(); ++i) {
      auto& f = region_rows[i];
      if (f.size() < 7) continue;
      Region g;
      g.code = f[0];
      g.parent_code = f[1];
      g.level = f[2];
      g.name = f[3];
      g.short_name = f[4];
      g.pinyin = Compact(f[5]);
      g.initials = f[6];
      repo::InsertRegion(c, county, g);
      if (g.level == "town") towns.push_back(g.code);
      if (g.level == "village") villages.push_back(g.code);
      ++res.regions;
    }
    for (size_t i = 1; i < unit_rows.size(); ++i) {
      auto& f = unit_rows[i];
      if (f.size() < 4) continue;
      Unit u{util::NewId(), f[1], f[2], f[3], "", true};
      repo::InsertUnit(c, county, u, f[0], now);
      units.emplace_back(u.id, u.region_code);
      ++res.units;
    }
  });
  std::sort(towns.begin(), towns.end());
  std::sort(villages.begin(), villages.end());
  if (towns.size() < 2 || villages.size() < 3)
    throw Error(ErrorCode::kInternal, "demo seed has too few towns or villages");

  // Residents: households spread over the villages with uneven sizes.
  std::vector<double> weight(villages.size());
  double total_w = 0;
  for (auto& w : weight) total_w += (w = 0.5 + rng.Unit());
  std::vector<repo::PersonRow> batch;
  int seq_counter = 0;
  auto flush = [&] {
    db.Write([&](db::Conn& c) {
      std::string last_household;
      for (auto& row : batch) {
        if (row.p.household_id != last_household && row.p.relation == "户主")
          repo::InsertHousehold(c, county, row.p.household_id, row.p.village_code, now);
        last_household = row.p.household_id;
        repo::InsertPerson(c, county, row, now);
      }
    });
    batch.clear();
  };
  auto add_person = [&](const std::string& village, const std::string& household,
                        const std::string& relation, char gender, int year,
                        const NamePart* family) {
    repo::PersonRow row;
    Person& p = row.p;
    p.id = util::NewId();
    auto [name, py, ini] = names.Make(rng, gender, family);
    p.name = name;
    p.pinyin = py;
    p.initials = ini;
    p.gender = std::string(1, gender);
    p.birth_year = year;
    int seq = (++seq_counter * 2) % 1000;
    if (gender == 'm')
      seq |= 1;
    else
      seq &= ~1;
    std::string idno = MakeIdNumber(county, year, rng.Between(1, 12), rng.Between(1, 28), seq);
    p.id_number_sealed = pii.Seal(idno);
    p.id_number_masked = auth::MaskIdNumber(idno);
    row.idno_index = pii.BlindIndex("idno", idno);
    if (year < 2012 && rng.Unit() < 0.85) {
      std::string phone = Phone(rng);
      p.phone_sealed = pii.Seal(phone);
      p.phone_masked = auth::MaskPhone(phone);
      row.phone_index = pii.BlindIndex("phone", phone);
    }
    p.village_code = village;
    p.household_id = household;
    p.relation = relation;
    batch.push_back(std::move(row));
    ++res.people;
    return &batch.back();
  };
  for (size_t v = 0; v < villages.size(); ++v) {
    int64_t target = static_cast<int64_t>(std::ceil(opts.residents * weight[v] / total_w));
    int64_t made = 0;
    while (made < target) {
      std::string hh = util::NewId();
      ++res.households;
      char g = rng.Unit() < 0.8 ? 'm' : 'f';
      int head_year = rng.Between(1945, 1995);
      int before = static_cast<int>(res.people);
      auto* head = add_person(villages[v], hh, "户主", g, head_year, nullptr);
      const NamePart* family = names.Find(util::EncodeUtf8(util::CodePoints(head->p.name)[0]));
      int size = rng.Between(1, 6);
      if (size >= 2)
        add_person(villages[v], hh, "配偶", g == 'm' ? 'f' : 'm',
                   std::clamp(head_year + rng.Between(-3, 3), 1940, 2000), nullptr);
      for (int k = 2; k < size; ++k) {
        int child_year = head_year + rng.Between(22, 34);
        if (child_year <= 2022) {
          char cg = rng.Unit() < 0.5 ? 'm' : 'f';
          add_person(villages[v], hh, cg == 'm' ? "子" : "女", cg, child_year, family);
        } else if (head_year - 27 >= 1925) {
          add_person(villages[v], hh, k % 2 ? "父亲" : "母亲", k % 2 ? 'm' : 'f',
                     head_year - rng.Between(22, 32), family);
        }
      }
      made += res.people - before;
      if (batch.size() >= 4000) flush();
    }
  }
  if (!batch.empty()) flush();

  // Demo accounts, one or more per role, on real places of the county.
  std::string town_a = towns[0], town_b = towns[1];
  std::vector<std::string> a_villages, b_villages;
  for (auto& v : villages) {
    if (v.compare(0, 9, town_a, 0, 9) == 0) a_villages.push_back(v);
    if (v.compare(0, 9, town_b, 0, 9) == 0) b_villages.push_back(v);
  }
  if (a_villages.size() < 2 || b_villages.empty())
    throw Error(ErrorCode::kInternal, "demo seed: the first towns need villages");
  std::string county_unit, town_unit;
  for (auto& [id, region] : units) {
    if (county_unit.empty() && perm::LevelOf(region) == perm::Level::kCounty) county_unit = id;
    if (town_unit.empty() && perm::LevelOf(region) == perm::Level::kTown) town_unit = id;
  }
  struct Spec {
    perm::Role role;
    std::string region, unit;
    bool link_person;
  };
  std::vector<Spec> specs = {
      {perm::Role::kCountyAdmin, county + "000000", "", false},
      {perm::Role::kUnitStaff, county + "000000", county_unit, false},
      {perm::Role::kUnitStaff, town_a, town_unit, false},
      {perm::Role::kTownOfficial, town_a, "", false},
      {perm::Role::kTownOfficial, town_b, "", false},
      {perm::Role::kVillageCadre, a_villages[0], "", true},
      {perm::Role::kVillageCadre, a_villages[1], "", true},
      {perm::Role::kVillageCadre, b_villages[0], "", true},
      {perm::Role::kPartyMember, a_villages[0], "", true},
      {perm::Role::kResident, a_villages[0], "", true},
      {perm::Role::kResident, a_villages[1], "", true},
  };
  std::string hash = hasher.Hash(opts.password);  // one hash, shared by the demo accounts
  db.Write([&](db::Conn& c) {
    int n = 0;
    for (auto& s : specs) {
      ++n;
      std::string phone = fmt::format("1990238{:04d}", n);
      char g = n % 2 ? 'm' : 'f';
      auto [name, py, ini] = names.Make(rng, g);
      repo::AccountRow a;
      a.a.id = util::NewId();
      a.a.name = name;
      a.a.phone_masked = auth::MaskPhone(phone);
      a.a.password_hash = hash;
      a.a.demo = true;
      a.phone_index = pii.BlindIndex("phone", phone);
      a.phone_sealed = pii.Seal(phone);
      if (s.link_person) {
        // A person record in their village, with their own household.
        repo::PersonRow row;
        row.p.id = util::NewId();
        row.p.name = name;
        row.p.pinyin = py;
        row.p.initials = ini;
        row.p.gender = std::string(1, g);
        row.p.birth_year = 1975 + n;
        std::string idno = MakeIdNumber(county, 1975 + n, 3, 15, 100 + n * 2 + (g == 'm'));
        row.p.id_number_sealed = pii.Seal(idno);
        row.p.id_number_masked = auth::MaskIdNumber(idno);
        row.idno_index = pii.BlindIndex("idno", idno);
        row.p.phone_sealed = a.phone_sealed;
        row.p.phone_masked = a.a.phone_masked;
        row.phone_index = a.phone_index;
        row.p.village_code = s.region;
        row.p.household_id = util::NewId();
        row.p.relation = "户主";
        repo::InsertHousehold(c, county, row.p.household_id, s.region, now);
        repo::InsertPerson(c, county, row, now);
        a.a.person_id = row.p.id;
        ++res.people;
        ++res.households;
      }
      repo::InsertAccount(c, county, a, now + n);  // creation order = listing order
      repo::AddGrant(c, county, a.a.id, {s.role, s.region, s.unit});
      res.accounts.push_back({std::string(perm::RoleName(s.role)), phone, s.region, name});
    }
    repo::RecountRegions(c, county);
  });
  res.loaded = true;
  return res;
}

std::vector<DemoAccountInfo> ListDemoAccounts(db::Database& db, const auth::Protector& pii,
                                              const std::string& county) {
  std::vector<DemoAccountInfo> out;
  for (auto& a : db.ReadValue([&](db::Conn& c) { return repo::DemoAccounts(c, county); }))
    out.push_back({a.role, pii.Open(a.phone_sealed), a.region_code, a.name});
  return out;
}

}  // namespace sx::org

namespace sx::org {

int64_t OrgService::LoadDemoHistory(const std::string& county, double share, uint64_t seed,
                                    int64_t days) {
  constexpr int64_t kDayMs = 24LL * 3600 * 1000;
  auto people = db_.ReadValue([&](db::Conn& c) { return repo::JoinCandidates(c, county); });
  std::string cadre = LoadDemoPlaces(db_, county).cadre_account;
  util::SeededRandom rnd(seed);
  int64_t now = clock_.NowMs(), span = days * kDayMs, joined = 0;
  auto pick = static_cast<uint64_t>(share * 1000);
  const size_t batch = 2000;
  for (size_t start = 0; start < people.size(); start += batch) {
    db_.Write([&](db::Conn& c) {
      for (size_t i = start; i < std::min(people.size(), start + batch); ++i) {
        if (rnd.Below(1000) >= pick) continue;
        auto& p = people[i];
        int64_t asked = now - span + static_cast<int64_t>(rnd.Below(static_cast<uint64_t>(span)));
        int64_t decided = std::min(now, asked + static_cast<int64_t>(rnd.Below(2 * kDayMs)));
        repo::AccountRow a;
        a.a.id = util::NewId();
        a.a.name = p.name;
        a.a.phone_masked = p.phone_masked;
        a.a.password_hash = "!";  // no password: cannot sign in
        a.a.person_id = p.id;
        a.phone_index = p.phone_index;
        a.phone_sealed = p.phone_sealed;
        repo::InsertAccount(c, county, a, asked);
        repo::AddGrant(c, county, a.a.id, {perm::Role::kResident, p.village});
        repo::InsertHistoryJoin(c, county, p, a.a.id, util::NewId(), cadre, asked, decided);
        // Active in the month they joined and, mostly, in the months since.
        for (int64_t t = decided; util::ShanghaiMonth(t) <= util::ShanghaiMonth(now);
             t += 30 * kDayMs) {
          if (t == decided || rnd.Chance(70))
            repo::InsertAccountMonth(c, county, a.a.id, util::ShanghaiMonth(t), p.village);
          if (util::ShanghaiMonth(t) == util::ShanghaiMonth(now)) break;
        }
        ++joined;
      }
    });
  }
  return joined;
}

DemoPlaces LoadDemoPlaces(db::Database& db, const std::string& county) {
  DemoPlaces out;
  db.Read([&](db::Conn& c) { repo::FillDemoPlaces(c, county, out); });
  for (size_t i = 0; i < out.people.size(); ++i) {
    auto& r = out.residents_of[out.people[i].village];
    if (r.second == 0) r.first = i;
    r.second = i + 1;
  }
  return out;
}

}  // namespace sx::org
