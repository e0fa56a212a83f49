// Typed access to JSON request fields with clear 422 errors naming the field.
#pragma once
#include <boost/json/object.hpp>
#include <optional>
#include <string>

namespace sx::http {

// A string field, absent → nullopt; wrong type or longer than max_bytes → 422.
std::optional<std::string> OptString(const boost::json::object& o, const char* key,
                                     size_t max_bytes = 1000);
// Like OptString but required (absent or empty → 422).
std::string ReqString(const boost::json::object& o, const char* key, size_t max_bytes = 1000);
std::optional<int64_t> OptInt(const boost::json::object& o, const char* key);

}  // namespace sx::http
