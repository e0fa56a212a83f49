// JSON shapes of the meetings API (docs/meetings.md, docs/openapi.yaml).
#pragma once
#include <boost/json/value.hpp>

#include "modules/meetings/attendance.h"
#include "modules/meetings/service.h"

namespace sx::meetings::json {

boost::json::object MeetingJson(const View& v);
boost::json::object MemberJson(const Member& m);
boost::json::object AttendanceRowJson(const AttendanceRow& r);
boost::json::object AttendanceJson(const Attendance& a);
boost::json::object ActionJson(const Action& a, int64_t now);
boost::json::object FigureJson(const Figure& f);

}  // namespace sx::meetings::json
