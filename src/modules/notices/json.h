// JSON shapes of the notices API (see docs/openapi.yaml), and the stored JSON of a notice's
// audience and revisions.
#pragma once
#include <boost/json/value.hpp>

#include "modules/notices/model.h"
#include "modules/notices/service.h"

namespace sx::notices::json {

boost::json::object AudienceStored(const Audience& a);
Audience AudienceFromStored(const boost::json::value& v);
boost::json::array RevisionsStored(const std::vector<Revision>& rs);
std::vector<Revision> RevisionsFromStored(const boost::json::value& v);

boost::json::object FileJson(const files::File& f);
boost::json::object NoticeJson(const Notice& n);
boost::json::object InboxItemJson(const InboxItem& i);
boost::json::object StatsJson(const Stats& s);
boost::json::object UnreadJson(const UnreadPerson& u);
boost::json::object HouseholdJson(const HouseholdRow& h);
// Request bodies: an array of at most max_items short strings (field names the errors); the
// "audience" object of a notice or meeting.
std::vector<std::string> Strings(const boost::json::object& o, const char* key,
                                 const std::string& field, size_t max_items, size_t max_len = 64);
AudienceInput AudienceIn(const boost::json::object& body);

// The live-event payload for a notice (what a recipient's page needs to show a toast).
std::string EventPayload(const Notice& n);

}  // namespace sx::notices::json
