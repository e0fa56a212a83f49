// SQL of the stats module: the names of regions and units it shows. The counters themselves are
// read through core/stats; the requests' figures through the requests service.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/db/db.h"
#include "modules/stats/model.h"

namespace sx::stats::repo {

// A region of the county, or nullopt.
std::optional<Place> GetRegion(db::Conn& c, const std::string& county, const std::string& code);
// The direct children of a region (towns of a county, villages of a town), by code.
std::vector<Place> Children(db::Conn& c, const std::string& county, const std::string& code);
// Active units of the county: id → name.
std::map<std::string, std::string> Units(db::Conn& c, const std::string& county);
// Every county that has regions (for rebuilding all of them).
std::vector<std::string> Counties(db::Conn& c);

}  // namespace sx::stats::repo
