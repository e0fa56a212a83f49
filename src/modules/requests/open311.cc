#include "modules/requests/open311.h"

#include <boost/json.hpp>
#include <map>

#include "core/audit/audit.h"
#include "core/http/input.h"
#include "core/util/clock.h"
#include "core/util/error.h"
#include "core/util/random.h"

namespace sx::requests {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using http::Access;
using http::Ctx;
using http::Response;

namespace {

constexpr const char* kSpec = "http://wiki.open311.org/GeoReport_v2";

// An error the spec's way: HTTP status, and <errors><error><code/><description/></error></errors>.
struct Open311Error {
  int status;
  std::string description;
};

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\r' || c == '\t') out += c;
    }
  }
  return out;
}

// One record: ordered (name, value) pairs; a null value is an empty element / JSON null.
using Field = std::pair<std::string, std::optional<std::string>>;
struct Record {
  std::vector<Field> fields;
  std::vector<std::pair<std::string, std::string>> numbers;  // JSON numbers (lat, long)
  std::vector<std::pair<std::string, bool>> bools;
};

std::string Xml(const std::string& root, const std::string& item, const std::vector<Record>& rows) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root + ">";
  for (auto& r : rows) {
    out += "<" + item + ">";
    for (auto& [k, v] : r.fields) out += "<" + k + ">" + (v ? XmlEscape(*v) : "") + "</" + k + ">";
    for (auto& [k, v] : r.numbers) out += "<" + k + ">" + v + "</" + k + ">";
    for (auto& [k, v] : r.bools) out += "<" + k + ">" + (v ? "true" : "false") + "</" + k + ">";
    out += "</" + item + ">";
  }
  return out + "</" + root + ">\n";
}

value JsonRecord(const Record& r) {
  object o;
  for (auto& [k, v] : r.fields) o[k] = v ? value(*v) : value(nullptr);
  for (auto& [k, v] : r.numbers) o[k] = v.empty() ? value(nullptr) : boost::json::parse(v);
  for (auto& [k, v] : r.bools) o[k] = v;
  return o;
}

Response Render(bool xml, const std::string& root, const std::string& item,
                const std::vector<Record>& rows, int status = 200) {
  Response res;
  res.status = status;
  if (xml) {
    res.content_type = "text/xml; charset=utf-8";
    res.body = Xml(root, item, rows);
  } else {
    res.content_type = "application/json; charset=utf-8";
    array a;
    for (auto& r : rows) a.push_back(JsonRecord(r));
    res.body = boost::json::serialize(a);
  }
  return res;
}

Response ErrorResponse(bool xml, const Open311Error& e) {
  Record r;
  r.fields = {{"code", std::to_string(e.status)}, {"description", e.description}};
  if (!xml) {
    Response res;
    res.status = e.status;
    res.content_type = "application/json; charset=utf-8";
    res.body =
        boost::json::serialize(array{object{{"code", e.status}, {"description", e.description}}});
    return res;
  }
  return Render(true, "errors", "error", {r}, e.status);
}

// "name.xml" → ("name", true); "name.json" → ("name", false); otherwise a 404.
std::pair<std::string, bool> SplitFormat(const std::string& file) {
  auto dot = file.rfind('.');
  if (dot == std::string::npos) throw Open311Error{404, "unknown format: use .xml or .json"};
  std::string ext = file.substr(dot + 1);
  if (ext != "xml" && ext != "json") throw Open311Error{404, "unknown format: use .xml or .json"};
  return {file.substr(0, dot), ext == "xml"};
}

// application/x-www-form-urlencoded → fields; repeated keys keep every value.
std::multimap<std::string, std::string> ParseForm(std::string_view body) {
  std::multimap<std::string, std::string> out;
  size_t i = 0;
  while (i <= body.size()) {
    size_t amp = body.find('&', i);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view part = body.substr(i, amp - i);
    if (!part.empty()) {
      size_t eq = part.find('=');
      out.emplace(
          http::PercentDecode(part.substr(0, eq)),
          eq == std::string_view::npos ? std::string() : http::PercentDecode(part.substr(eq + 1)));
    }
    i = amp + 1;
  }
  return out;
}

std::string First(const std::multimap<std::string, std::string>& f, const std::string& k) {
  auto it = f.find(k);
  return it == f.end() ? std::string() : it->second;
}

std::string OpenOrClosed(const std::string& status) {
  return status == "resolved" || status == "closed" || status == "merged" ? "closed" : "open";
}

Record RequestRecord(const Request& r) {
  Record rec;
  std::string notes = r.result_note.empty() ? r.handler_name : r.result_note;
  rec.fields = {{"service_request_id", r.id},
                {"status", OpenOrClosed(r.status)},
                {"status_notes", notes},
                {"service_name", r.category_name},
                {"service_code", r.category_code},
                {"description", r.description},
                {"agency_responsible", r.handler_name},
                {"service_notice", std::nullopt},
                {"requested_datetime", util::IsoUtc(r.created_at)},
                {"updated_datetime", util::IsoUtc(r.closed_at.value_or(r.updated_at))},
                {"expected_datetime",
                 r.finish_due ? std::optional(util::IsoUtc(*r.finish_due)) : std::nullopt},
                {"address", r.address.empty() ? r.village_name : r.address},
                {"address_id", r.village_code},
                {"zipcode", std::nullopt},
                {"media_url", std::nullopt}};
  auto num = [](const std::optional<int64_t>& e6) {
    if (!e6) return std::string();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(*e6) / 1e6);
    return std::string(buf);
  };
  if (r.lat_e6 && r.lng_e6) rec.numbers = {{"lat", num(r.lat_e6)}, {"long", num(r.lng_e6)}};
  return rec;
}

int64_t ParseDate(const std::string& v, const char* name) {
  auto t = util::ParseIso(v);
  if (!t) throw Open311Error{400, std::string(name) + " must be a W3C datetime with a timezone"};
  return *t;
}

std::vector<std::string> CommaList(const std::string& v) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= v.size() && !v.empty()) {
    size_t c = v.find(',', i);
    if (c == std::string::npos) c = v.size();
    std::string item = v.substr(i, c - i);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    i = c + 1;
  }
  return out;
}

std::string KeyHash(const std::string& key) { return util::DigestHex(key); }

// The partner (id, name) holding this live key in the county, if any.
std::optional<std::pair<std::string, std::string>> Partner(db::Database& db,
                                                           const std::string& county,
                                                           const std::string& key) {
  if (key.empty()) return std::nullopt;
  auto row = db.ReadValue([&](db::Conn& cn) {
    return cn.One(
        "SELECT id, name FROM open311_keys WHERE county_id = $1 AND key_hash = $2 AND "
        "revoked_at IS NULL",
        {county, KeyHash(key)});
  });
  if (!row) return std::nullopt;
  return std::make_pair(row->Str(0), row->Str(1));
}

}  // namespace

void Open311::RegisterRoutes(http::Router& r) {
  // The jurisdiction this server answers for is the county of the request's jurisdiction_id, or
  // the only county there is.
  auto county_of = [this](const http::Request&, const std::string& given) {
    std::string county = given;
    if (county.empty()) {
      auto row = db_.ReadValue([](db::Conn& c) {
        return c.One("SELECT county_id FROM counties ORDER BY county_id LIMIT 1");
      });
      if (!row) throw Open311Error{404, "no jurisdiction"};
      county = row->Str(0);
    }
    bool known = db_.ReadValue([&](db::Conn& c) {
      return c.One("SELECT 1 FROM counties WHERE county_id = $1", {county}).has_value();
    });
    if (!known) throw Open311Error{404, "unknown jurisdiction_id: " + county};
    return county;
  };
  auto add = [&](const std::string& method, const std::string& pattern, bool xml_default,
                 std::function<Response(Ctx&, bool&)> fn) {
    auto& route = r.Add(method, pattern, Access::Public(), [xml_default, fn](Ctx& c) -> Response {
      bool xml = xml_default;
      try {
        return fn(c, xml);
      } catch (const Open311Error& e) {
        return ErrorResponse(xml, e);
      } catch (const Error& e) {
        int status = e.code() == ErrorCode::kNotFound ? 404 : 400;
        std::string d = e.what();
        for (auto& f : e.fields()) d += " (" + f.field + ": " + f.message + ")";
        return ErrorResponse(xml, {status, d});
      }
    });
    route.csrf_exempt = true;  // partners authenticate with api_key, never a cookie
    route.inline_read = false;
    return &route;
  };

  // Discovery (both formats; not under v2, as the spec allows).
  for (std::string fmt : {"xml", "json"}) {
    add("GET", "/open311/discovery." + fmt, fmt == "xml", [this, fmt](Ctx& c, bool& xml) {
      xml = fmt == "xml";
      std::string host(c.req.Header("host"));
      std::string url = std::string(c.req.tls ? "https://" : "http://") + host + "/open311/v2/";
      std::string changeset = "2026-11-29T00:00:00Z";
      if (xml) {
        Response res;
        res.content_type = "text/xml; charset=utf-8";
        res.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<discovery><changeset>" +
                   changeset + "</changeset><contact>" +
                   XmlEscape("巫溪县数字乡村平台 (Shuxiang)") + "</contact><key_service>" +
                   XmlEscape(url) + "</key_service><endpoints><endpoint><specification>" + kSpec +
                   "</specification><url>" + XmlEscape(url) + "</url><changeset>" + changeset +
                   "</changeset><type>production</type><formats><format>text/xml</format><format>"
                   "application/json</format></formats></endpoint></endpoints></discovery>\n";
        return res;
      }
      Response res;
      res.content_type = "application/json; charset=utf-8";
      res.body = boost::json::serialize(
          object{{"changeset", changeset},
                 {"contact", "巫溪县数字乡村平台 (Shuxiang)"},
                 {"key_service", url},
                 {"endpoints", array{object{{"specification", kSpec},
                                            {"url", url},
                                            {"changeset", changeset},
                                            {"type", "production"},
                                            {"formats", array{"text/xml", "application/json"}}}}}});
      return res;
    });
  }

  // services.{fmt}
  add("GET", "/open311/v2/{file}", true, [this, county_of](Ctx& c, bool& xml) -> Response {
    auto [name, is_xml] = SplitFormat(c.req.Param("file"));
    xml = is_xml;
    std::string county = county_of(c.req, c.req.QueryParam("jurisdiction_id").value_or(""));
    if (name == "services") {
      std::vector<Record> rows;
      for (auto& k :
           db_.ReadValue([&](db::Conn& cn) { return repo::Categories(cn, county, true); })) {
        Record rec;
        rec.fields = {{"service_code", k.code},       {"service_name", k.name},
                      {"description", k.description}, {"type", "realtime"},
                      {"keywords", k.group},          {"group", k.group}};
        rec.bools = {{"metadata", false}};
        rows.push_back(std::move(rec));
      }
      return Render(xml, "services", "service", rows);
    }
    if (name == "requests") {
      repo::ListFilter f;
      auto id = c.req.QueryParam("service_request_id").value_or("");
      if (!id.empty()) {
        for (auto& x : CommaList(id))
          if (util::LooksLikeId(x)) f.ids.push_back(x);
        if (f.ids.empty()) return Render(xml, "service_requests", "request", {});
      } else {
        f.categories = CommaList(c.req.QueryParam("service_code").value_or(""));
        auto start = c.req.QueryParam("start_date").value_or("");
        auto end = c.req.QueryParam("end_date").value_or("");
        int64_t now = clock_.NowMs();
        f.created_to = end.empty() ? now : ParseDate(end, "end_date");
        f.created_from =
            start.empty() ? f.created_to - 90LL * 24 * 3600 * 1000 : ParseDate(start, "start_date");
        if (f.created_to - f.created_from > 90LL * 24 * 3600 * 1000)
          throw Open311Error{400, "start_date and end_date may span at most 90 days"};
        auto status = CommaList(c.req.QueryParam("status").value_or(""));
        if (status.size() == 1) {
          if (status[0] != "open" && status[0] != "closed")
            throw Open311Error{400, "status is open or closed"};
          f.open_state = status[0];
        }
      }
      f.limit = 1000;
      std::vector<Record> rows;
      for (auto& q : svc_.PublicRequests(county, f)) rows.push_back(RequestRecord(q));
      return Render(xml, "service_requests", "request", rows);
    }
    if (name == "servicerequestupdates") {
      // mySociety's extension: partners only; FIXED, IN_PROGRESS, ... in status when asked for.
      std::string key = c.req.QueryParam("api_key").value_or("");
      if (!Partner(db_, county, key))
        throw Open311Error{403,
                           "Invalid api_key received -- can't proceed with servicerequestupdates."};
      std::string ext = c.req.QueryParam("extended_statuses").value_or("");
      bool extended = ext == "1" || ext == "true";
      int64_t now = clock_.NowMs();
      auto start = c.req.QueryParam("start_date").value_or("");
      auto end = c.req.QueryParam("end_date").value_or("");
      int64_t to = end.empty() ? now : ParseDate(end, "end_date");
      int64_t from = start.empty() ? to - 24LL * 3600 * 1000 : ParseDate(start, "start_date");
      std::vector<Record> rows;
      // Steps of public requests in the window.
      auto steps = db_.ReadValue([&](db::Conn& cn) {
        return cn.Query(
            "SELECT s.request_id, s.seq, s.at, s.kind, s.note, q.status FROM request_steps s JOIN "
            "requests q ON q.county_id = s.county_id AND q.id = s.request_id WHERE s.county_id = "
            "$1 AND q.public = 1 AND s.at >= $2 AND s.at <= $3 ORDER BY s.at, s.request_id, s.seq "
            "LIMIT 1000",
            {county, from, to});
      });
      for (auto& s : steps) {
        std::string kind = s.Str(3);
        std::string st = kind == "finish" || kind == "confirm"      ? "FIXED"
                         : kind == "reopen"                         ? "REOPEN"
                         : kind == "merge"                          ? "DUPLICATE"
                         : kind == "transfer" || kind == "dispatch" ? "INTERNAL_REFERRAL"
                         : kind == "sign" || kind == "progress"     ? "IN_PROGRESS"
                                                                    : "INVESTIGATING";
        std::string plain =
            OpenOrClosed(s.Str(5)) == "closed" && (kind == "finish" || kind == "confirm") ? "closed"
                                                                                          : "open";
        Record rec;
        rec.fields = {{"update_id", s.Str(0) + "-" + s.Str(1)},
                      {"service_request_id", s.Str(0)},
                      {"status", extended ? st : plain},
                      {"updated_datetime", util::IsoUtc(s.Int(2))},
                      {"description", s.Str(4)},
                      {"media_url", std::nullopt}};
        rows.push_back(std::move(rec));
      }
      return Render(xml, "service_request_updates", "request_update", rows);
    }
    throw Open311Error{404, "no such resource: " + name};
  });

  // services/{code}.{fmt}, requests/{id}.{fmt}, tokens/{token}.{fmt}
  add("GET", "/open311/v2/services/{file}", true, [this, county_of](Ctx& c, bool& xml) -> Response {
    auto [code, is_xml] = SplitFormat(c.req.Param("file"));
    xml = is_xml;
    std::string county = county_of(c.req, c.req.QueryParam("jurisdiction_id").value_or(""));
    auto k = db_.ReadValue([&](db::Conn& cn) { return repo::GetCategory(cn, county, code); });
    if (!k || !k->active) throw Open311Error{404, "unknown service_code: " + code};
    if (xml) {
      Response res;
      res.content_type = "text/xml; charset=utf-8";
      res.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_definition><service_code>" +
                 XmlEscape(k->code) +
                 "</service_code><attributes></attributes></service_definition>\n";
      return res;
    }
    Response res;
    res.content_type = "application/json; charset=utf-8";
    res.body = boost::json::serialize(object{{"service_code", k->code}, {"attributes", array{}}});
    return res;
  });
  add("GET", "/open311/v2/requests/{file}", true, [this, county_of](Ctx& c, bool& xml) -> Response {
    auto [id, is_xml] = SplitFormat(c.req.Param("file"));
    xml = is_xml;
    std::string county = county_of(c.req, c.req.QueryParam("jurisdiction_id").value_or(""));
    if (!util::LooksLikeId(id)) throw Open311Error{404, "unknown service_request_id"};
    repo::ListFilter f;
    f.ids = {id};
    auto rows = svc_.PublicRequests(county, f);
    if (rows.empty()) throw Open311Error{404, "unknown service_request_id"};  // private ones too
    return Render(xml, "service_requests", "request", {RequestRecord(rows[0])});
  });
  add("GET", "/open311/v2/tokens/{file}", true, [this, county_of](Ctx& c, bool& xml) -> Response {
    auto [token, is_xml] = SplitFormat(c.req.Param("file"));
    xml = is_xml;
    std::string county = county_of(c.req, c.req.QueryParam("jurisdiction_id").value_or(""));
    repo::ListFilter f;
    if (!util::LooksLikeId(token)) throw Open311Error{404, "unknown token"};
    f.ids = {token};
    if (svc_.PublicRequests(county, f).empty()) throw Open311Error{404, "unknown token"};
    Record rec;
    rec.fields = {{"service_request_id", token}, {"token", token}};
    return Render(xml, "service_requests", "request", {rec});
  });

  // Partner keys (county admins): issued once, stored hashed, revocable.
  r.Add("POST", "/api/v1/open311/keys", Access::Need(perm::Perm::kRequestCatalog), [this](Ctx& c) {
     auto b = c.req.JsonBody();
     auto name = http::ReqString(b, "name", 200);
     std::string key = util::NewToken() + util::NewToken();
     std::string id = util::NewId();
     int64_t now = clock_.NowMs();
     db_.Write([&](db::Conn& cn) {
       cn.Exec(
           "INSERT INTO open311_keys (county_id, id, key_hash, name, created_by, created_at) "
           "VALUES ($1, $2, $3, $4, $5, $6)",
           {c.Who().county_id, id, KeyHash(key), name, c.Who().account_id, now});
       audit::Append(cn, {c.Who().county_id, c.Who().account_id, "open311.key_issue", "open311_key",
                          id, "ok", c.req.remote_ip, name, now});
     });
     return Response::Json(201, object{{"id", id},
                                       {"name", name},
                                       {"api_key", key},
                                       {"created_at", util::IsoUtc(now)},
                                       {"revoked_at", nullptr}})
         .With("Cache-Control", "no-store");
   }).idempotent = true;
  r.Add("GET", "/api/v1/open311/keys", Access::Need(perm::Perm::kRequestCatalog), [this](Ctx& c) {
    array a;
    for (auto& row : db_.ReadValue([&](db::Conn& cn) {
           return cn.Query(
               "SELECT id, name, created_at, revoked_at FROM open311_keys WHERE "
               "county_id = $1 ORDER BY created_at DESC",
               {c.Who().county_id});
         }))
      a.push_back(
          object{{"id", row.Str(0)},
                 {"name", row.Str(1)},
                 {"created_at", util::IsoUtc(row.Int(2))},
                 {"revoked_at", row.IsNull(3) ? value(nullptr) : value(util::IsoUtc(row.Int(3)))}});
    return Response::Json(object{{"items", std::move(a)}});
  });
  r.Add("POST", "/api/v1/open311/keys/{id}/revoke", Access::Need(perm::Perm::kRequestCatalog),
        [this](Ctx& c) {
          int64_t now = clock_.NowMs();
          int64_t n = 0;
          db_.Write([&](db::Conn& cn) {
            n = cn.Exec(
                "UPDATE open311_keys SET revoked_at = $3 WHERE county_id = $1 AND id = $2 "
                "AND revoked_at IS NULL",
                {c.Who().county_id, c.req.Param("id"), now});
            if (n)
              audit::Append(cn, {c.Who().county_id, c.Who().account_id, "open311.key_revoke",
                                 "open311_key", c.req.Param("id"), "ok", c.req.remote_ip, "", now});
          });
          if (!n) throw Error::NotFound();
          return Response::Empty(204);
        });

  // POST requests.{fmt}
  for (std::string fmt : {"xml", "json"}) {
    auto* route = add(
        "POST", "/open311/v2/requests." + fmt, fmt == "xml",
        [this, county_of, fmt](Ctx& c, bool& xml) -> Response {
          xml = fmt == "xml";
          auto form = ParseForm(c.req.body);
          std::string county = county_of(c.req, First(form, "jurisdiction_id"));
          std::string key = First(form, "api_key");
          if (key.empty()) key = c.req.QueryParam("api_key").value_or("");
          auto partner = Partner(db_, county, key);
          if (!partner)
            throw Open311Error{403,
                               "Invalid api_key received -- can't proceed with create_request."};
          std::string code = First(form, "service_code");
          if (code.empty()) throw Open311Error{400, "service_code is required"};
          auto cat =
              db_.ReadValue([&](db::Conn& cn) { return repo::GetCategory(cn, county, code); });
          if (!cat || !cat->active) throw Open311Error{404, "unknown service_code: " + code};
          std::string address_id = First(form, "address_id");
          std::string lat = First(form, "lat"), lng = First(form, "long");
          std::string address = First(form, "address_string");
          if (address_id.empty() && !address.empty()) {
            // Route by a village named in the address (the longest name that occurs in it).
            auto villages = db_.ReadValue([&](db::Conn& cn) {
              return cn.Query(
                  "SELECT code, name, short_name FROM regions WHERE county_id = $1 AND "
                  "level = 'village'",
                  {county});
            });
            size_t best = 0;
            for (auto& v : villages)
              for (size_t col : {size_t{1}, size_t{2}}) {
                std::string n = v.Str(col);
                if (n.size() > best && address.find(n) != std::string::npos) {
                  best = n.size();
                  address_id = v.Str(0);
                }
              }
          }
          if (address_id.empty())
            throw Open311Error{400,
                               "a village is needed to route the request: send address_id (the "
                               "12-digit village code) or an address_string naming the village; "
                               "lat/long alone cannot be routed yet"};
          FileInput in;
          in.category = code;
          in.description = First(form, "description");
          if (in.description.size() > 4000 * 4) throw Open311Error{400, "description is too long"};
          if (in.description.empty()) in.description = "（无描述）";
          in.village_code = address_id;
          in.address = address;
          if (!lat.empty() || !lng.empty()) {
            try {
              size_t a = 0, b = 0;
              in.lat = std::stod(lat, &a);
              in.lng = std::stod(lng, &b);
              if (a != lat.size() || b != lng.size()) throw std::invalid_argument("coords");
            } catch (const std::exception&) {
              throw Open311Error{400, "lat and long must both be WGS84 decimal degrees"};
            }
          }
          in.partner = partner->first;
          std::string first = First(form, "first_name"), last = First(form, "last_name");
          in.reporter_name = (last + first).empty() ? partner->second : last + first;
          // Attributes (attribute[CODE]) are accepted; this catalogue defines none.
          perm::Principal as;
          as.county_id = county;
          as.account_id = "partner:" + partner->first;
          as.name = partner->second;
          auto req = svc_.File({as, c.req.remote_ip}, in);
          Record rec;
          rec.fields = {{"service_request_id", req.id},
                        {"service_notice", "已受理，承办：" + req.handler_name},
                        {"account_id", std::nullopt}};
          return Render(xml, "service_requests", "request", {rec});
        });
    route->body_limit = 64 * 1024;
  }
  // POST servicerequestupdates.{fmt} (mySociety's extension: a partner's update to a request);
  // any other POST under v2 (requests.csv, services.xml, ...) does not exist: 404.
  add("POST", "/open311/v2/{file}", true, [this, county_of](Ctx& c, bool& xml) -> Response {
    auto [name, is_xml] = SplitFormat(c.req.Param("file"));
    xml = is_xml;
    if (name != "servicerequestupdates") throw Open311Error{404, "no such resource: " + name};
    auto form = ParseForm(c.req.body);
    std::string county = county_of(c.req, First(form, "jurisdiction_id"));
    std::string key = First(form, "api_key");
    auto partner = Partner(db_, county, key);
    if (!partner)
      throw Open311Error{403,
                         "Invalid api_key received -- can't proceed with servicerequestupdates."};
    std::string id = First(form, "service_request_id");
    if (id.empty()) throw Open311Error{400, "service_request_id is required"};
    int64_t seq = svc_.PartnerUpdate(county, partner->second, id, First(form, "status"),
                                     First(form, "description"));
    Record rec;
    rec.fields = {{"update_id", id + "-" + std::to_string(seq)}};
    return Render(xml, "service_request_updates", "request_update", {rec});
  })->body_limit = 64 * 1024;
}

}  // namespace sx::requests
