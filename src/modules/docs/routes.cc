// Documents routes: thin adapters from HTTP to DocsService. See docs/docs.md and
// docs/openapi.yaml.
#include <boost/json.hpp>

#include "core/files/store.h"
#include "core/http/input.h"
#include "core/util/clock.h"
#include "core/util/error.h"
#include "modules/docs/form.h"
#include "modules/docs/json.h"
#include "modules/docs/module.h"
#include "modules/notices/json.h"

namespace sx::docs {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using http::Access;
using http::Ctx;
using http::Response;
using perm::Perm;

namespace {

std::optional<int64_t> Time(const object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  auto t = v->is_string() ? util::ParseIso(v->as_string()) : std::nullopt;
  if (!t) throw Error::Field(key, "an ISO 8601 date-time, e.g. 2026-12-01T18:00:00+08:00");
  return t;
}

std::optional<FormSpec> Spec(const object& b) {
  auto* f = b.if_contains("form");
  if (!f || f->is_null()) return std::nullopt;
  return form::ParseSpec(*f);
}

bool Reveal(const http::Request& req) {
  auto v = http::QueryString(req, "reveal", 5);
  return v == "1" || v == "true";
}

Response One(const View& v) { return Response::Json(json::DocJson(v)); }

}  // namespace

void DocsModule::RegisterRoutes(http::Router& r) {
  auto& s = service_;

  auto& create = r.Add("POST", "/api/v1/docs", Access::Need(Perm::kDocCreate), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    DocInput in;
    in.kind = http::ReqString(b, "kind", 10);
    in.title = http::OptString(b, "title", 1000).value_or("");
    in.region_code = http::ReqString(b, "region_code", 12);
    in.unit_id = http::OptString(b, "unit_id", 64).value_or("");
    in.form = Spec(b);
    return Response::Json(201, json::DocJson(s.Create({c.Who(), c.req.remote_ip}, in)));
  });
  create.idempotent = true;
  create.body_limit = 256 * 1024;

  r.Add("GET", "/api/v1/docs", Access::SignedIn(), [&s](Ctx& c) {
     auto page = s.List(c.Who(), http::QueryString(c.req, "kind", 10),
                        http::QueryString(c.req, "region", 12),
                        http::QueryString(c.req, "unit", 64), http::QueryString(c.req, "q", 200),
                        http::QueryString(c.req, "cursor", 100), http::QueryLimit(c.req, 20, 100));
     array a;
     for (auto& v : page.items) a.push_back(json::DocJson(v));
     return Response::Json(object{
         {"items", std::move(a)},
         {"next_cursor", page.next_cursor.empty() ? value(nullptr) : value(page.next_cursor)}});
   }).inline_read = false;

  r.Add("GET", "/api/v1/docs/figures", Access::Need(Perm::kDocStats), [&s](Ctx& c) {
     auto from = http::QueryString(c.req, "from", 7), to = http::QueryString(c.req, "to", 7);
     auto group = http::QueryString(c.req, "group", 10);
     array a;
     for (auto& f : s.Figures(c.Who(), from, to, group)) a.push_back(json::FigureJson(f));
     return Response::Json(object{{"items", std::move(a)}});
   }).inline_read = false;

  r.Add("GET", "/api/v1/docs/{id}", Access::SignedIn(), [&s](Ctx& c) {
     return One(s.Get(c.Who(), c.req.Param("id")));
   }).inline_read = false;

  r.Add("PATCH", "/api/v1/docs/{id}", Access::SignedIn(), [&s](Ctx& c) {
     auto b = c.req.JsonBody();
     DocPatch p;
     p.title = http::OptString(b, "title", 1000);
     p.form = Spec(b);
     return One(s.Update({c.Who(), c.req.remote_ip}, c.req.Param("id"), p));
   }).body_limit = 256 * 1024;

  r.Add("DELETE", "/api/v1/docs/{id}", Access::SignedIn(), [&s](Ctx& c) {
    s.Delete({c.Who(), c.req.remote_ip}, c.req.Param("id"));
    return Response::Empty();
  });

  r.Add("PUT", "/api/v1/docs/{id}/shares", Access::SignedIn(), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    return One(s.SetShares({c.Who(), c.req.remote_ip}, c.req.Param("id"), json::SharesIn(b)));
  });

  r.Add("GET", "/api/v1/docs/{id}/versions", Access::SignedIn(), [&s](Ctx& c) {
     array a;
     for (auto& v : s.Versions(c.Who(), c.req.Param("id"))) a.push_back(json::VersionJson(v));
     return Response::Json(object{{"items", std::move(a)}});
   }).inline_read = false;

  r.Add("POST", "/api/v1/docs/{id}/versions", Access::SignedIn(), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    return Response::Json(
        201, json::VersionJson(s.SaveVersion({c.Who(), c.req.remote_ip}, c.req.Param("id"),
                                             http::ReqString(b, "name", 400))));
  });

  r.Add("GET", "/api/v1/docs/{id}/versions/{vid}/update", Access::SignedIn(), [&s](Ctx& c) {
     Response res;
     res.content_type = "application/octet-stream";
     res.body = s.VersionUpdate(c.Who(), c.req.Param("id"), c.req.Param("vid"));
     return res.With("Cache-Control", "private, max-age=3600");
   }).inline_read = false;

  r.Add("GET", "/api/v1/docs/{id}/comments", Access::SignedIn(), [&s](Ctx& c) {
     array a;
     for (auto& m : s.Comments(c.Who(), c.req.Param("id"))) a.push_back(json::CommentJson(m));
     return Response::Json(object{{"items", std::move(a)}});
   }).inline_read = false;

  r.Add("POST", "/api/v1/docs/{id}/comments", Access::SignedIn(), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    auto mentions = notices::json::Strings(b, "mentions", "mentions", 20);
    return Response::Json(
        201, json::CommentJson(s.AddComment({c.Who(), c.req.remote_ip}, c.req.Param("id"),
                                            http::OptString(b, "quote", 4000).value_or(""),
                                            http::ReqString(b, "body", 8000), mentions)));
  });

  r.Add("PATCH", "/api/v1/docs/{id}/comments/{cid}", Access::SignedIn(), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    auto* v = b.if_contains("resolved");
    if (!v || !v->is_bool()) throw Error::Field("resolved", "true or false");
    return Response::Json(json::CommentJson(s.Resolve({c.Who(), c.req.remote_ip}, c.req.Param("id"),
                                                      c.req.Param("cid"), v->as_bool())));
  });

  auto& upload = r.Add("POST", "/api/v1/docs/{id}/files", Access::SignedIn(), [&s](Ctx& c) {
    auto f = s.Upload({c.Who(), c.req.remote_ip}, c.req.Param("id"), c.req.body);
    return Response::Json(201, object{{"id", f.id},
                                      {"name", f.name},
                                      {"size", f.size},
                                      {"content_type", f.content_type}})
        .With("Location", "/api/v1/docs/" + c.req.Param("id") + "/files/" + f.id);
  });
  upload.body_limit = 10 * 1024 * 1024;

  r.Add("GET", "/api/v1/docs/{id}/files/{fid}", Access::SignedIn(), [&s](Ctx& c) {
     auto [f, bytes] = s.Download(c.Who(), c.req.Param("id"), c.req.Param("fid"));
     auto res = Response::File(std::move(bytes), f.content_type, f.name, true);
     res.With("ETag", "\"" + f.sha256 + "\"");
     return res;
   }).inline_read = false;

  // ---- forms ----
  r.Add("POST", "/api/v1/docs/{id}/send", Access::SignedIn(), [&s](Ctx& c) {
     auto b = c.req.JsonBody();
     SendInput in;
     in.audience = notices::json::AudienceIn(b);
     in.deadline = Time(b, "deadline");
     if (auto* v = b.if_contains("sms"); v && !v->is_null()) {
       if (!v->is_bool()) throw Error::Field("sms", "true or false");
       in.sms = v->as_bool();
     }
     return One(s.Send({c.Who(), c.req.remote_ip}, c.req.Param("id"), in));
   }).body_limit = 64 * 1024;

  r.Add("POST", "/api/v1/docs/{id}/close", Access::SignedIn(), [&s](Ctx& c) {
    return One(s.Close({c.Who(), c.req.remote_ip}, c.req.Param("id")));
  });

  r.Add("GET", "/api/v1/forms/mine", Access::SignedIn(), [&s](Ctx& c) {
     auto cur = http::QueryString(c.req, "cursor", 9);
     if (!cur.empty() && cur.find_first_not_of("0123456789") != std::string::npos)
       throw Error::Field("cursor", "not a cursor from this list");
     int64_t offset = cur.empty() ? 0 : std::stoll(cur);
     int limit = http::QueryLimit(c.req, 20, 50);
     auto forms = s.MyForms(c.Who(), offset, limit);
     array a;
     for (auto& f : forms)
       a.push_back(object{
           {"id", f.doc.id},
           {"title", f.doc.title},
           {"deadline", f.doc.deadline ? value(util::IsoUtc(*f.doc.deadline)) : value(nullptr)},
           {"status", f.doc.form_status},
           {"per", f.doc.form ? f.doc.form->per : "person"},
           {"region_name", f.doc.region_name},
           {"submitted_at",
            f.submitted_at ? value(util::IsoUtc(*f.submitted_at)) : value(nullptr)}});
     return Response::Json(object{{"items", std::move(a)},
                                  {"next_cursor", static_cast<int>(forms.size()) < limit
                                                      ? value(nullptr)
                                                      : value(std::to_string(offset + limit))}});
   }).inline_read = false;

  r.Add("GET", "/api/v1/docs/{id}/response", Access::SignedIn(), [&s](Ctx& c) {
     auto [v, mine] = s.MyResponse(c.Who(), c.req.Param("id"));
     return Response::Json(
                object{{"form", json::DocJson(v)},
                       {"response", mine ? value(json::ResponseJson(*mine)) : value(nullptr)}})
         .With("Cache-Control", "no-store");
   }).inline_read = false;

  r.Add("PUT", "/api/v1/docs/{id}/response", Access::SignedIn(), [&s](Ctx& c) {
     auto b = c.req.JsonBody();
     auto* a = b.if_contains("answers");
     if (!a) throw Error::Field("answers", "required");
     auto resp = s.Submit({c.Who(), c.req.remote_ip}, c.req.Param("id"), *a);
     return Response::Json(object{{"response", json::ResponseJson(resp)}});
   }).body_limit = 256 * 1024;

  r.Add("GET", "/api/v1/docs/{id}/responses", Access::SignedIn(), [&s](Ctx& c) {
     auto page =
         s.Responses({c.Who(), c.req.remote_ip}, c.req.Param("id"), Reveal(c.req),
                     http::QueryString(c.req, "cursor", 100), http::QueryLimit(c.req, 50, 200));
     array a;
     for (auto& x : page.items) a.push_back(json::ResponseJson(x));
     return Response::Json(
                object{{"fields", form::SpecObject(page.form).at("fields")},
                       {"items", std::move(a)},
                       {"total", page.total},
                       {"next_cursor",
                        page.next_cursor.empty() ? value(nullptr) : value(page.next_cursor)}})
         .With("Cache-Control", "no-store");
   }).inline_read = false;

  auto exporter = [&s](bool xlsx) {
    return [&s, xlsx](Ctx& c) {
      View v;
      auto t = s.Export({c.Who(), c.req.remote_ip}, c.req.Param("id"), Reveal(c.req), &v);
      std::string name = "收集表-" + v.doc.title;
      if (xlsx)
        return Response::File(json::TableXlsx(t),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              name + ".xlsx", false);
      return Response::File(json::TableCsv(t), "text/csv; charset=utf-8", name + ".csv", false);
    };
  };
  r.Add("GET", "/api/v1/docs/{id}/responses.xlsx", Access::SignedIn(), exporter(true)).inline_read =
      false;
  r.Add("GET", "/api/v1/docs/{id}/responses.csv", Access::SignedIn(), exporter(false)).inline_read =
      false;

  r.Add("GET", "/api/v1/docs/{id}/stats", Access::SignedIn(), [&s](Ctx& c) {
     return Response::Json(json::StatsJson(s.Stats(c.Who(), c.req.Param("id"))))
         .With("Cache-Control", "no-store");
   }).inline_read = false;

  r.Add("GET", "/api/v1/docs/{id}/missing", Access::SignedIn(), [&s](Ctx& c) {
     auto m = s.MissingPeople(c.Who(), c.req.Param("id"),
                              static_cast<size_t>(http::QueryLimit(c.req, 100, 1000)));
     array a;
     for (auto& p : m.items) a.push_back(json::PersonJson(p));
     return Response::Json(object{{"total", m.total}, {"items", std::move(a)}});
   }).inline_read = false;

  r.Add("POST", "/api/v1/docs/{id}/remind", Access::SignedIn(), [&s](Ctx& c) {
    return Response::Json(
        object{{"reminded", s.Remind({c.Who(), c.req.remote_ip}, c.req.Param("id"))}});
  });
}

}  // namespace sx::docs
