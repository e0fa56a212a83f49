#include "core/http/message.h"

#include <boost/json.hpp>
#include <cctype>

#include "core/util/error.h"

namespace sx::http {

namespace {
int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string_view Request::Header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

std::optional<std::string> Request::QueryParam(std::string_view key) const {
  std::string_view q = query;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view part = q.substr(0, amp);
    auto eq = part.find('=');
    std::string_view k = part.substr(0, eq);
    if (PercentDecode(k) == key)
      return eq == std::string_view::npos ? std::string() : PercentDecode(part.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  std::string_view c = Header("cookie");
  while (!c.empty()) {
    while (!c.empty() && (c.front() == ' ' || c.front() == ';')) c.remove_prefix(1);
    auto semi = c.find(';');
    std::string_view part = c.substr(0, semi);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name)
      return std::string(part.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    c.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

boost::json::object Request::JsonBody() const {
  if (body.empty()) throw Error::Invalid("A JSON object body is required");
  boost::json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec, {}, opt);
  if (ec) throw Error::Invalid("The body is not valid JSON: " + ec.message());
  if (!v.is_object()) throw Error::Invalid("The body must be a JSON object");
  return std::move(v.as_object());
}

std::string_view Response::Header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

Response Response::Json(int status, const boost::json::value& v) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

Response Response::Empty(int status) {
  Response r;
  r.status = status;
  r.content_type.clear();
  return r;
}

Response Response::Text(int status, std::string body, std::string type) {
  Response r;
  r.status = status;
  r.content_type = std::move(type);
  r.body = std::move(body);
  return r;
}

Response Response::Problem(int status, std::string_view title, std::string_view detail,
                           const boost::json::array* field_errors) {
  boost::json::object o;
  o["type"] = "about:blank";
  o["title"] = title;
  o["status"] = status;
  o["detail"] = detail;
  if (field_errors && !field_errors->empty()) o["errors"] = *field_errors;
  Response r = Json(status, o);
  r.content_type = "application/problem+json";
  return r;
}

Response Response::File(std::string bytes, std::string type, std::string_view filename,
                        bool inline_ok) {
  Response r;
  r.content_type = std::move(type);
  r.body = std::move(bytes);
  std::string enc;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char ch : filename) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      enc += static_cast<char>(ch);
    } else {
      enc += '%';
      enc += kHex[ch >> 4];
      enc += kHex[ch & 15];
    }
  }
  r.With("Content-Disposition", std::string(inline_ok ? "inline" : "attachment") +
                                    "; filename=\"download\"; filename*=UTF-8''" + enc);
  r.With("X-Content-Type-Options", "nosniff");
  r.With("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox");
  r.With("Cache-Control", "private, no-store");
  return r;
}

}  // namespace sx::http
