// JSON, CSV and the shared column set of the dashboard (see docs/stats.md).
#pragma once
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "modules/stats/model.h"

namespace sx::stats {

// A rate by key ("notices.read_rate", "requests.resolve_rate", ...): nullopt with nothing to
// divide. CasesOf is the count a ranking's minimum applies to.
std::optional<double> RateOf(const Figures& f, const std::string& key);
int64_t CasesOf(const Figures& f, const std::string& key);

boost::json::object FiguresJson(const Figures& f);
boost::json::object DashboardJson(const Dashboard& d);

// The columns of every table (CSV and the report's sheets): title and the value as a number
// (nullopt: blank).
struct Column {
  const char* title;
  std::optional<double> (*value)(const Figures& f);
  bool percent = false;
};
const std::vector<Column>& Columns();

// One table of the dashboard as CSV: "months", "children" or "units".
std::string TableCsvText(const Dashboard& d, const std::string& table);

}  // namespace sx::stats
