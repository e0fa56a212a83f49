// Documents module data. Plain structs; no behaviour. Times are Unix milliseconds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sx::docs {

// What a caller may do with a document, lowest first.
// Managers hold doc.manage over the folder's region (unit staff: their unit's folders).
enum class Role { kNone, kViewer, kCommenter, kEditor, kManager, kOwner };

struct Field {
  std::string id, type, label, hint;
  bool required = false;
  std::vector<std::string> options;  // single, multiple
  std::optional<double> min, max;    // number
};

struct FormSpec {
  std::string description, per = "person";  // person, household
  std::vector<Field> fields;
};

struct Doc {
  std::string id, kind, title, region_code, region_name, unit_id, unit_name;
  std::string owner_account, owner_name;
  bool deleted = false;
  int64_t size_bytes = 0;
  std::string edited_month;
  std::optional<int64_t> edited_at;
  std::optional<FormSpec> form;  // forms
  std::string form_status, notice_id;
  std::optional<int64_t> deadline, sent_at, reminded_at;
  int64_t audience_size = 0, responses = 0;
  int64_t created_at = 0, updated_at = 0;
};

struct Share {
  std::string kind, target, role, label;  // region|unit|account; viewer|commenter|editor
};

struct Version {
  std::string id, doc_id, name, created_by, created_by_name;
  int64_t size_bytes = 0, created_at = 0;
};

struct Comment {
  std::string id, doc_id, quote, body, mentions_json, author_account, author_name;
  bool resolved = false;
  int64_t created_at = 0;
};

struct FormResponse {
  std::string id, respondent, person_id, account_id, person_name, household_id, village_code,
      village_name;
  std::string answers_json;  // as stored (personal answers sealed)
  int64_t submitted_at = 0, updated_at = 0;
};

struct Figure {
  std::string month, group_id, group_name;
  int64_t docs_created = 0, docs_edited = 0, forms_sent = 0, responses = 0;
};

}  // namespace sx::docs
