#include "core/http/input.h"

#include <boost/json.hpp>

#include "core/util/error.h"
#include "core/util/strings.h"

namespace sx::http {

std::string QueryString(const Request& req, const char* key, size_t max_bytes) {
  auto v = req.QueryParam(key);
  if (!v) return {};
  if (v->size() > max_bytes) throw Error::Field(key, "too long");
  return *v;
}

int QueryLimit(const Request& req, int def, int max) {
  auto v = req.QueryParam("limit");
  if (!v) return def;
  try {
    int n = std::stoi(*v);
    if (n < 1 || n > max) throw std::out_of_range("limit");
    return n;
  } catch (const std::exception&) {
    throw Error::Field("limit", "1 to " + std::to_string(max));
  }
}

std::optional<std::string> OptString(const boost::json::object& o, const char* key,
                                     size_t max_bytes) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_string()) throw Error::Field(key, "must be a string");
  std::string s(it->value().as_string());
  if (s.size() > max_bytes) throw Error::Field(key, "is too long");
  if (!util::ValidUtf8(s)) throw Error::Field(key, "is not valid UTF-8");
  return s;
}

std::string ReqString(const boost::json::object& o, const char* key, size_t max_bytes) {
  auto s = OptString(o, key, max_bytes);
  if (!s || s->empty()) throw Error::Field(key, "is required");
  return *s;
}

std::optional<int64_t> OptInt(const boost::json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_int64()) throw Error::Field(key, "must be an integer");
  return it->value().as_int64();
}

}  // namespace sx::http
