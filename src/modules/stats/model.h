// Dashboard (驾驶舱) data. Plain structs; no behaviour.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/requests/model.h"

namespace sx::stats {

// The figures of one place, unit or month: counters by metric name ("notices.read"), the
// requests' 三率 figures (counts and duration histograms), and requests overdue now (totals and
// places only).
struct Figures {
  std::map<std::string, int64_t> n;
  requests::Figures req;
  std::optional<int64_t> overdue;
  int64_t Get(const std::string& metric) const {
    auto it = n.find(metric);
    return it == n.end() ? 0 : it->second;
  }
};

struct Place {
  std::string code, name, level;  // level: county, town, village
};

struct Row {
  std::string id, name, level;  // a region (code) or a unit (id; level "unit")
  Figures f;
};

struct RankItem {
  std::string id, name;
  double value = 0;
  int64_t cases = 0, rank = 0;
};

struct Ranking {
  std::string key, over;  // e.g. "requests.resolve_rate", "children"
  int64_t min_cases = 0;
  std::vector<RankItem> items;
};

struct Dashboard {
  Place region;
  std::vector<Place> path;
  std::optional<std::pair<std::string, std::string>> unit;  // id, name
  std::string from, to;
  int64_t generated_at = 0;
  Figures totals;
  std::vector<std::pair<std::string, Figures>> months;
  std::vector<Row> children, units;
  std::vector<Ranking> rankings;
};

// What `shuxiang stats rebuild` found for one family of counters.
struct RebuildReport {
  std::string family;
  int64_t cells = 0, differing = 0;
};

}  // namespace sx::stats
