// Typed access to JSON request fields with clear 422 errors naming the field.
#pragma once
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/http/message.h"

namespace sx::http {

// A string field, absent → nullopt; wrong type or longer than max_bytes → 422.
std::optional<std::string> OptString(const boost::json::object& o, const char* key,
                                     size_t max_bytes = 1000);
// Like OptString but required (absent or empty → 422).
std::string ReqString(const boost::json::object& o, const char* key, size_t max_bytes = 1000);
std::optional<int64_t> OptInt(const boost::json::object& o, const char* key);

// A query parameter, "" when absent; longer than max_bytes → 422 naming it.
std::string QueryString(const Request& req, const char* key, size_t max_bytes);
// The `limit` query parameter: def when absent, 1..max or 422.
int QueryLimit(const Request& req, int def, int max);

}  // namespace sx::http
