// Requests module data: the catalogue, requests and their timeline, figures. Plain structs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/files/store.h"

namespace sx::requests {

// A handler is "village:<code>", "town:<code>", "county:<code>" (the committee or government of
// that place) or "unit:<unit id>". A category's default handler names only the kind ("village",
// "town", "county") or a unit; dispatch turns it into a concrete handler for the request's place.
struct Category {
  std::string code, name, group, description, handler;
  int64_t sign_hours = 24, reply_hours = 48, finish_hours = 168;
  bool confirm_required = true, about_cadre = false, active = true;
  int64_t sort = 0;
};

struct Step {
  int64_t seq = 0, at = 0;
  std::string actor, actor_name, kind, note, handler;
  std::vector<files::File> photos;
};

struct Request {
  std::string id, number, category_code, category_name, description, village_code, village_name,
      address;
  std::optional<int64_t> lat_e6, lng_e6;
  bool is_public = false, about_cadre = false;
  std::string reporter_account, reporter_person, reporter_name, filed_by, channel;
  std::string status;  // dispatched signed processing finished resolved closed returned merged
  std::string handler, handler_name, stats_unit, level;
  int64_t metoo_count = 0, reopen_count = 0;
  std::string merged_into;
  std::optional<int64_t> sign_due, reply_due, finish_due, dispatched_at, signed_at, replied_at,
      finished_at, closed_at, rated_at, followup_due, escalated_at, rating;
  std::string outcome, result_note, rating_comment, followup_answer;
  int64_t created_at = 0, updated_at = 0;
  std::vector<Step> steps;
  std::vector<files::File> photos;
  // For the caller:
  bool can_handle = false, can_supervise = false, is_reporter = false, reporter_hidden = false,
       metoo = false;
};

struct Figures {
  std::string month, key, name;
  int64_t filed = 0, signed_ = 0, signed_in_time = 0, finished = 0, finished_in_time = 0,
          resolved = 0, unresolved = 0, rated = 0, satisfied = 0, rating_sum = 0;
  std::vector<int64_t> sign_hist, finish_hist;
};

}  // namespace sx::requests
