// JSON shapes and exports of the documents API (docs/docs.md, docs/openapi.yaml).
#pragma once
#include <boost/json/value.hpp>

#include "modules/docs/service.h"

namespace sx::docs::json {

boost::json::object DocJson(const View& v);
boost::json::object VersionJson(const Version& v);
boost::json::object CommentJson(const Comment& c);
boost::json::object ResponseJson(const ResponseView& r);
boost::json::object StatsJson(const FormStats& s);
boost::json::object PersonJson(const notices::UnreadPerson& p);
boost::json::object FigureJson(const Figure& f);
// Parses {shares: [{kind, target, role}]}.
std::vector<Share> SharesIn(const boost::json::object& body);

std::string TableCsv(const Table& t);
std::string TableXlsx(const Table& t);

}  // namespace sx::docs::json
