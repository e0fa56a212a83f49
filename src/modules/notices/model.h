// Notices module data. Plain structs; no behaviour.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/files/store.h"

namespace sx::notices {

// Who a notice is for: a union of these groups (each already checked and named).
struct Audience {
  struct RegionT {
    std::string code, name;
  };
  struct UnitT {
    std::string id, name;
  };
  struct RoleT {
    std::string role, region, region_name;
  };
  struct HouseholdT {
    std::string id, label, village_code;
  };
  struct PersonT {
    std::string id, name, village_code;
  };
  std::vector<RegionT> regions;
  std::vector<UnitT> units;
  std::vector<RoleT> roles;
  std::vector<HouseholdT> households;
  std::vector<PersonT> people;
  bool empty() const {
    return regions.empty() && units.empty() && roles.empty() && households.empty() &&
           people.empty();
  }
};

struct Revision {
  int64_t n = 0;
  std::string note, by;
  int64_t at = 0;
};

struct Notice {
  std::string id, title, body, excerpt, category, urgency, status;
  std::string publisher_account, publisher_name, publisher_label, publisher_unit, publisher_region;
  Audience audience;
  int64_t audience_size = 0;
  bool receipt_required = false;
  std::optional<int64_t> receipt_deadline, published_at, expires_at, withdrawn_at, reminded_at;
  int64_t publish_at = 0;
  std::string withdraw_reason;
  int64_t revision = 0;
  std::vector<Revision> revisions;
  std::vector<files::File> attachments;
  int64_t attachment_count = 0;
  bool sms = false;
  std::string sms_status;
  int64_t sms_sent = 0, sms_cost_fen = 0, remind_count = 0;
  int64_t created_at = 0, updated_at = 0;
  // For the caller:
  std::optional<int64_t> read_at, confirmed_at;
  bool can_manage = false;
  int64_t read_count = 0, confirm_count = 0;  // manager lists
};

struct InboxItem {
  std::string id, title, excerpt, category, urgency, publisher_label, withdraw_reason;
  int64_t published_at = 0, revision = 0, attachment_count = 0;
  bool receipt_required = false, withdrawn = false;
  std::optional<int64_t> receipt_deadline, read_at, confirmed_at, reminded_at;
};

struct InboxPage {
  std::vector<InboxItem> items;
  int64_t unread_count = 0;
  std::string next_cursor;
};

struct Tally {
  std::string id, name, parent;  // region code / unit id; parent: town of a village
  int64_t audience = 0, read = 0, confirmed = 0;
};

struct Stats {
  int64_t audience = 0, read = 0, confirmed = 0;
  std::vector<Tally> by_town, by_village, by_unit;
  int64_t households_total = 0, households_none_read = 0, households_flagged = 0;
  int64_t sms_sent = 0, sms_cost_fen = 0, remind_count = 0;
  std::optional<int64_t> reminded_at;
};

struct UnreadPerson {
  std::string person_id, account_id, name, village_code, village_name, household_id, phone_masked,
      phone_sealed;
  bool signed_up = false;
};

struct HouseholdRow {
  std::string id, village_code, village_name, head_name;
  int64_t members = 0, read = 0;
};

struct Figure {
  std::string month, group_id, group_name;
  int64_t published = 0, audience = 0, read = 0, confirmed = 0;
};

}  // namespace sx::notices
