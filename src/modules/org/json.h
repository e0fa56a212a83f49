// JSON shapes of the org API (see docs/openapi.yaml). Personal fields appear only masked.
#pragma once
#include <boost/json/value.hpp>

#include "modules/org/model.h"

namespace sx::org::json {

// sp: where the object allocates (a monotonic arena for big lists).
boost::json::object RegionJson(const Region& r, bool with_counts = true,
                               boost::json::storage_ptr sp = {});
boost::json::object UnitJson(const Unit& u);
boost::json::object PersonJson(const Person& p);
boost::json::object StaffJson(const StaffMember& m);
boost::json::object JoinJson(const JoinRequest& j);
boost::json::object MeJson(const Me& me, const std::string& csrf_token);

}  // namespace sx::org::json
