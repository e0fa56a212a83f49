// Org module data: the region tree, government units, people and households, accounts with
// their role grants, and requests to join a village. Plain structs; no behaviour.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/perm/perm.h"

namespace sx::org {

struct Region {
  std::string code, parent_code, level, name, short_name, pinyin, initials;
  int64_t child_count = 0, people_count = 0;
  std::vector<std::pair<std::string, std::string>>
      path;  // ancestors (code, short_name), root first
};

struct Unit {
  std::string id, name, kind, region_code, region_name;
  bool active = true;
};

struct Person {
  std::string id, name, pinyin, initials, gender;
  int64_t birth_year = 0;
  std::string phone_masked, id_number_masked;
  std::string phone_sealed, id_number_sealed;  // never leave the service unopened
  std::string village_code, village_name, household_id, relation;
  bool active = true;
};

struct Account {
  std::string id, name, phone_masked, person_id;
  std::string password_hash;
  bool active = true;
  bool demo = false;
};

struct JoinRequest {
  std::string id, account_id, village_code, village_name, town_name, name, phone_masked,
      id_number_masked, id_number_sealed, status, reason;
  int64_t created_at = 0;
  std::optional<int64_t> decided_at;
};

struct StaffMember {
  std::string account_id, name, phone_masked;
};

struct Me {
  std::string county_code, county_name;  // the county the account belongs to
  Account account;
  std::vector<perm::Grant> grants;
  std::optional<Region> village;
  std::string town_name;
};

}  // namespace sx::org
