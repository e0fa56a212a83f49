// Plain HTTP request/response values used by handlers. The Beast types stay inside server.cc so
// that modules and tests never include Beast; handlers can be called in-process (tests/support).
#pragma once
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sx::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received, e.g. "/api/v1/people?q=li"
  std::string path;    // target without the query, percent-decoded
  std::string query;   // raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercase
  std::string body;
  std::string remote_ip;
  bool tls = false;
  std::unordered_map<std::string, std::string> params;  // path parameters, filled by the router

  // Value of the first header with this lowercase name, or "".
  std::string_view Header(std::string_view name) const;
  // Percent-decoded query parameter.
  std::optional<std::string> QueryParam(std::string_view key) const;
  const std::string& Param(const std::string& name) const { return params.at(name); }
  // Cookie value by name from the Cookie header.
  std::optional<std::string> Cookie(std::string_view name) const;
  // Parses the body as a JSON object; throws sx::Error (400) on bad JSON or a non-object.
  boost::json::object JsonBody() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  std::string_view Header(std::string_view name) const;

  static Response Json(int status, const boost::json::value& v);
  static Response Json(const boost::json::value& v) { return Json(200, v); }
  static Response Empty(int status = 204);
  static Response Text(int status, std::string body,
                       std::string type = "text/plain; charset=utf-8");
  // A file to save or show: Content-Disposition with the UTF-8 name (RFC 6266/8187), nosniff,
  // a sandboxing CSP and no caching; `inline_ok` lets the browser show it (images).
  static Response File(std::string bytes, std::string type, std::string_view filename,
                       bool inline_ok);
  // RFC 9457 problem+json.
  static Response Problem(int status, std::string_view title, std::string_view detail,
                          const boost::json::array* field_errors = nullptr);
};

std::string PercentDecode(std::string_view s);

}  // namespace sx::http
