// JSON shapes of the requests API (see docs/openapi.yaml). Coordinates leave as WGS84 degrees.
#pragma once
#include <boost/json/value.hpp>

#include "modules/requests/model.h"
#include "modules/requests/service.h"

namespace sx::requests::json {

boost::json::object CategoryJson(const Category& c);
// summary: list rows (no timeline, no photos).
boost::json::object RequestJson(const Request& r, bool summary);
boost::json::object MetricJson(const MetricRow& m);

}  // namespace sx::requests::json
