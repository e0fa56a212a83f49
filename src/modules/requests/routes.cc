// Requests routes: thin adapters from HTTP to RequestsService. See docs/openapi.yaml.
#include <boost/json.hpp>

#include "core/http/input.h"
#include "core/util/error.h"
#include "modules/requests/export.h"
#include "modules/requests/json.h"
#include "modules/requests/module.h"

namespace sx::requests {

using boost::json::array;
using boost::json::object;
using http::Access;
using http::Ctx;
using http::Response;
using perm::Perm;

namespace {

std::string Q(const http::Request& req, const char* key, size_t max = 100) {
  return http::QueryString(req, key, max);
}

int Limit(const http::Request& req, int def, int max) { return http::QueryLimit(req, def, max); }

std::vector<std::string> Ids(const object& o, const char* key, size_t max) {
  std::vector<std::string> out;
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array() || v->as_array().size() > max)
    throw Error::Field(key, "an array of at most " + std::to_string(max) + " ids");
  for (auto& x : v->as_array()) {
    if (!x.is_string() || x.as_string().size() > 64) throw Error::Field(key, "ids are strings");
    out.emplace_back(x.as_string());
  }
  return out;
}

std::optional<double> Num(const object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  throw Error::Field(key, "a number (degrees)");
}

bool Bool(const object& o, const char* key, bool def = false) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return def;
  if (!v->is_bool()) throw Error::Field(key, "true or false");
  return v->as_bool();
}

Response One(const Request& r) { return Response::Json(json::RequestJson(r, false)); }

Response PageJson(const Page& p) {
  array a;
  for (auto& r : p.items) a.push_back(json::RequestJson(r, true));
  return Response::Json(
      object{{"items", std::move(a)},
             {"next_cursor", p.next_cursor.empty() ? boost::json::value(nullptr)
                                                   : boost::json::value(p.next_cursor)}});
}

}  // namespace

void RequestsModule::RegisterRoutes(http::Router& r) {
  auto& s = service_;
  r.Add("GET", "/api/v1/request-categories", Access::SignedIn(), [&s](Ctx& c) {
    array a;
    for (auto& k : s.Categories(c.Who())) a.push_back(json::CategoryJson(k));
    return Response::Json(object{{"items", std::move(a)}});
  });
  r.Add("PUT", "/api/v1/request-categories/{code}", Access::Need(Perm::kRequestCatalog),
        [&s](Ctx& c) {
          auto b = c.req.JsonBody();
          Category k;
          k.code = c.req.Param("code");
          k.name = http::ReqString(b, "name", 200);
          k.group = http::OptString(b, "group", 200).value_or("");
          k.description = http::OptString(b, "description", 1000).value_or("");
          k.sign_hours = http::OptInt(b, "sign_hours").value_or(24);
          k.reply_hours = http::OptInt(b, "reply_hours").value_or(48);
          k.finish_hours = http::OptInt(b, "finish_hours").value_or(168);
          k.confirm_required = Bool(b, "confirm_required", true);
          k.about_cadre = Bool(b, "about_cadre");
          k.handler = http::OptString(b, "handler", 80).value_or("village");
          k.active = Bool(b, "active", true);
          k.sort = http::OptInt(b, "sort").value_or(0);
          return Response::Json(json::CategoryJson(s.PutCategory({c.Who(), c.req.remote_ip}, k)));
        });

  r.Add("GET", "/api/v1/request-categories/{code}/routes", Access::Need(Perm::kRequestCatalog),
        [&s](Ctx& c) {
          array a;
          for (auto& [region, handler] : s.Routes(c.Who(), c.req.Param("code")))
            a.push_back(object{{"region", region}, {"handler", handler}});
          return Response::Json(object{{"items", std::move(a)}});
        });
  r.Add(
      "PUT", "/api/v1/request-categories/{code}/routes/{region}",
      Access::Need(Perm::kRequestCatalog), [&s](Ctx& c) {
        auto b = c.req.JsonBody();
        std::string handler = http::OptString(b, "handler", 80).value_or("");
        s.PutRoute({c.Who(), c.req.remote_ip}, c.req.Param("code"), c.req.Param("region"), handler);
        return Response::Json(object{{"region", c.req.Param("region")}, {"handler", handler}});
      });

  // Reporters attach photos to what they file, handlers to progress and finish steps: the
  // service checks for either permission.
  auto& upload = r.Add("POST", "/api/v1/request-photos", Access::SignedIn(), [&s](Ctx& c) {
    auto f = s.UploadPhoto({c.Who(), c.req.remote_ip}, Q(c.req, "name", 400), c.req.body);
    return Response::Json(201, object{{"id", f.id},
                                      {"content_type", f.content_type},
                                      {"size", f.size},
                                      {"url", "/api/v1/request-photos/" + f.id}});
  });
  upload.body_limit = 10 * 1024 * 1024;
  r.Add("GET", "/api/v1/request-photos/{id}", Access::SignedIn(), [&s](Ctx& c) {
     auto [f, bytes] = s.Photo(c.Who(), c.req.Param("id"));
     Response res;
     res.content_type = f.content_type;
     res.body = std::move(bytes);
     res.With("X-Content-Type-Options", "nosniff");
     res.With("Content-Security-Policy", "default-src 'none'; sandbox");
     res.With("Cache-Control", "private, max-age=3600");
     res.With("ETag", "\"" + f.sha256 + "\"");
     return res;
   }).inline_read = false;

  auto& file = r.Add("POST", "/api/v1/requests", Access::Need(Perm::kRequestCreate), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    FileInput in;
    in.category = http::ReqString(b, "category", 40);
    in.description = http::ReqString(b, "description", 8000);
    in.village_code = http::OptString(b, "village_code", 12).value_or("");
    in.address = http::OptString(b, "address", 800).value_or("");
    in.coord = http::OptString(b, "coord", 10).value_or("wgs84");
    in.on_behalf_of = http::OptString(b, "on_behalf_of", 64).value_or("");
    in.lat = Num(b, "lat");
    in.lng = Num(b, "lng");
    in.is_public = Bool(b, "public");
    in.photos = Ids(b, "photos", 6);
    auto req = s.File({c.Who(), c.req.remote_ip}, in);
    return Response::Json(201, json::RequestJson(req, false))
        .With("Location", "/api/v1/requests/" + req.id);
  });
  file.idempotent = true;
  file.body_limit = 64 * 1024;

  r.Add("GET", "/api/v1/requests", Access::SignedIn(), [&s](Ctx& c) {
     return PageJson(s.List(c.Who(), Q(c.req, "scope", 10), Q(c.req, "status", 20),
                            Q(c.req, "village", 12), Q(c.req, "category", 40),
                            Q(c.req, "cursor", 80), Limit(c.req, 20, 100)));
   }).inline_read = false;
  r.Add("GET", "/api/v1/requests/board", Access::SignedIn(), [&s](Ctx& c) {
     return PageJson(
         s.Board(c.Who(), Q(c.req, "village", 12), Q(c.req, "cursor", 80), Limit(c.req, 20, 100)));
   }).inline_read = false;
  auto metrics = [&s](Ctx& c, std::string* group_out) {
    int64_t min_cases = 5;
    if (auto v = c.req.QueryParam("min_cases")) {
      try {
        min_cases = std::stoll(*v);
      } catch (...) {
        throw Error::Field("min_cases", "a whole number");
      }
    }
    std::string group = Q(c.req, "group", 20);
    if (group.empty()) group = "county";
    *group_out = group;
    return std::make_pair(
        s.Metrics(c.Who(), Q(c.req, "from", 7), Q(c.req, "to", 7), group, min_cases), min_cases);
  };
  r.Add("GET", "/api/v1/requests/metrics", Access::Need(Perm::kRequestStats), [metrics](Ctx& c) {
     std::string group;
     auto [rows, min_cases] = metrics(c, &group);
     array a;
     for (auto& m : rows) a.push_back(json::MetricJson(m));
     return Response::Json(object{{"items", std::move(a)}, {"min_cases", min_cases}});
   }).inline_read = false;
  r.Add("GET", "/api/v1/requests/metrics.xlsx", Access::Need(Perm::kRequestStats),
        [metrics](Ctx& c) {
          std::string group;
          auto [rows, min_cases] = metrics(c, &group);
          std::string title = "村民诉求三率 " + Q(c.req, "from", 7) + " 至 " + Q(c.req, "to", 7) +
                              "（按 " + group + "）";
          Response res;
          res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
          res.body = MetricsXlsx(title, rows);
          res.With("Content-Disposition", "attachment; filename=\"requests-metrics.xlsx\"");
          res.With("X-Content-Type-Options", "nosniff");
          res.With("Cache-Control", "private, no-store");
          return res;
        })
      .inline_read = false;
  r.Add("GET", "/api/v1/requests/{id}", Access::SignedIn(),
        [&s](Ctx& c) { return One(s.Get(c.Who(), c.req.Param("id"))); });

  auto act = [&r](const char* path, Perm need, std::function<Request(Ctx&, const object&)> fn) {
    r.Add("POST", std::string("/api/v1/requests/{id}/") + path, Access::Need(need), [fn](Ctx& c) {
      object b = c.req.body.empty() ? object{} : c.req.JsonBody();
      return One(fn(c, b));
    });
  };
  auto caller = [](Ctx& c) { return Caller{c.Who(), c.req.remote_ip}; };
  act("sign", Perm::kRequestHandle,
      [&s, caller](Ctx& c, const object&) { return s.Sign(caller(c), c.req.Param("id")); });
  act("progress", Perm::kRequestHandle, [&s, caller](Ctx& c, const object& b) {
    return s.Progress(caller(c), c.req.Param("id"), http::ReqString(b, "note", 8000),
                      Ids(b, "photos", 6));
  });
  act("finish", Perm::kRequestHandle, [&s, caller](Ctx& c, const object& b) {
    return s.Finish(caller(c), c.req.Param("id"), http::ReqString(b, "outcome", 20),
                    http::ReqString(b, "note", 8000), Ids(b, "photos", 6));
  });
  act("transfer", Perm::kRequestHandle, [&s, caller](Ctx& c, const object& b) {
    return s.Transfer(caller(c), c.req.Param("id"), http::ReqString(b, "handler", 80),
                      http::ReqString(b, "reason", 2000));
  });
  act("return", Perm::kRequestHandle, [&s, caller](Ctx& c, const object& b) {
    return s.Return(caller(c), c.req.Param("id"), http::ReqString(b, "reason", 2000));
  });
  act("dispatch", Perm::kRequestDispatch, [&s, caller](Ctx& c, const object& b) {
    return s.Dispatch(caller(c), c.req.Param("id"), http::ReqString(b, "handler", 80),
                      http::OptString(b, "note", 2000).value_or(""));
  });
  act("merge", Perm::kRequestDispatch, [&s, caller](Ctx& c, const object& b) {
    return s.Merge(caller(c), c.req.Param("id"), http::ReqString(b, "into", 64),
                   http::OptString(b, "note", 2000).value_or(""));
  });
  // The reporter's steps, and "me too", need only a session: the service checks who it is.
  auto mine = [&r](const char* path, std::function<Request(Ctx&, const object&)> fn) {
    r.Add("POST", std::string("/api/v1/requests/{id}/") + path, Access::SignedIn(), [fn](Ctx& c) {
      object b = c.req.body.empty() ? object{} : c.req.JsonBody();
      return One(fn(c, b));
    });
  };
  mine("confirm", [&s, caller](Ctx& c, const object& b) {
    auto* f = b.if_contains("fixed");
    if (!f || !f->is_bool()) throw Error::Field("fixed", "true or false");
    return s.Confirm(caller(c), c.req.Param("id"), f->as_bool(),
                     http::OptString(b, "note", 2000).value_or(""));
  });
  mine("rate", [&s, caller](Ctx& c, const object& b) {
    auto rating = http::OptInt(b, "rating");
    if (!rating) throw Error::Field("rating", "1 to 5");
    return s.Rate(caller(c), c.req.Param("id"), *rating,
                  http::OptString(b, "comment", 2000).value_or(""));
  });
  mine("followup", [&s, caller](Ctx& c, const object& b) {
    auto* f = b.if_contains("still_fixed");
    if (!f || !f->is_bool()) throw Error::Field("still_fixed", "true or false");
    return s.Followup(caller(c), c.req.Param("id"), f->as_bool());
  });
  mine("metoo",
       [&s, caller](Ctx& c, const object&) { return s.Metoo(caller(c), c.req.Param("id")); });

  open311_.RegisterRoutes(r);
}

}  // namespace sx::requests
