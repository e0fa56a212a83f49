// The demo county 巫溪县 (500238): its real towns and villages (seed/regions-500238.csv, NBS
// 2023), 180+ government units (seed/units-500238.csv), synthetic residents in households from a
// deterministic generator (fictitious names, valid-format ID numbers and phones), and one demo
// account per role. Loading is idempotent: a county already present is left untouched.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/auth/password.h"
#include "core/auth/pii.h"
#include "core/db/db.h"
#include "core/util/clock.h"
#include "modules/org/pinyin.h"

namespace sx::org {

struct DemoOptions {
  int64_t residents = 100000;
  std::string password;  // for every demo account; required
  uint64_t seed = 500238;
};

struct DemoAccountInfo {
  std::string role, phone, region_code, name;
};

struct DemoResult {
  bool loaded = false;  // false: the county was already there
  int64_t regions = 0, units = 0, households = 0, people = 0;
  std::vector<DemoAccountInfo> accounts;
};

DemoResult LoadDemo(db::Database& db, const auth::Protector& pii, auth::PasswordHasher& hasher,
                    const Pinyin& pinyin, const util::Clock& clock, const DemoOptions& opts);

// The demo accounts with their phones in clear (for `shuxiang demo accounts`).
std::vector<DemoAccountInfo> ListDemoAccounts(db::Database& db, const auth::Protector& pii,
                                              const std::string& county);

inline constexpr const char* kDemoCounty = "500238";

// The places of a loaded county, for modules that generate demo history (`shuxiang demo`).
struct DemoPlaces {
  struct Place {
    std::string code, name, town;  // town: a village's town code
    int64_t people = 0;
  };
  struct Unit {
    std::string id, name;
  };
  struct Resident {
    std::string id, village, household;
  };
  std::string county_code;  // 12 digits
  std::string county_name;
  std::vector<Place> towns, villages;
  std::vector<Unit> units;
  std::vector<Resident> people;  // ordered by village
  // A village's residents: the range [first, second) of `people`.
  std::map<std::string, std::pair<size_t, size_t>> residents_of;
  std::string cadre_account, cadre_name, cadre_village;  // the first village cadre, if any
};
DemoPlaces LoadDemoPlaces(db::Database& db, const std::string& county);

// A valid GB 11643 ID number for the given 6-digit area, birth date and 3-digit sequence.
std::string MakeIdNumber(const std::string& area6, int year, int month, int day, int seq);

}  // namespace sx::org
