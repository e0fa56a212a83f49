// Notices routes: thin adapters from HTTP to NoticesService. See docs/openapi.yaml.
#include <boost/json.hpp>

#include "core/http/input.h"
#include "core/util/clock.h"
#include "core/util/error.h"
#include "modules/notices/export.h"
#include "modules/notices/json.h"
#include "modules/notices/module.h"

namespace sx::notices {

using boost::json::array;
using boost::json::object;
using http::Access;
using http::Ctx;
using http::Response;
using perm::Perm;

namespace {

std::string Q(const http::Request& req, const char* key, size_t max = 200) {
  return http::QueryString(req, key, max);
}

int Limit(const http::Request& req, int def, int max) { return http::QueryLimit(req, def, max); }

int64_t Offset(const http::Request& req) {
  auto v = req.QueryParam("cursor");
  if (!v || v->empty()) return 0;
  if (v->size() > 9 || v->find_first_not_of("0123456789") != std::string::npos)
    throw Error::Field("cursor", "not a cursor from this list");
  return std::stoll(*v);
}

std::optional<int64_t> Time(const object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) throw Error::Field(key, "an ISO 8601 date-time");
  auto t = util::ParseIso(v->as_string());
  if (!t) throw Error::Field(key, "an ISO 8601 date-time, e.g. 2026-12-01T08:00:00+08:00");
  return t;
}

bool Bool(const object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return false;
  if (!v->is_bool()) throw Error::Field(key, "true or false");
  return v->as_bool();
}

http::Response Download(std::string bytes, const std::string& type, const std::string& filename,
                        bool inline_ok) {
  return Response::File(std::move(bytes), type, filename, inline_ok);
}

}  // namespace

void NoticesModule::RegisterRoutes(http::Router& r) {
  auto& svc = service_;

  auto& publish =
      r.Add("POST", "/api/v1/notices", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
        auto b = c.req.JsonBody();
        NoticeInput in;
        in.title = http::ReqString(b, "title", 1000);
        in.body = http::ReqString(b, "body", 20000);
        if (auto v = http::OptString(b, "category", 20)) in.category = *v;
        if (auto v = http::OptString(b, "urgency", 20)) in.urgency = *v;
        in.audience = json::AudienceIn(b);
        in.receipt_required = Bool(b, "receipt_required");
        in.receipt_deadline = Time(b, "receipt_deadline");
        in.publish_at = Time(b, "publish_at");
        in.expires_at = Time(b, "expires_at");
        in.attachments = json::Strings(b, "attachments", "attachments", 20);
        if (auto v = http::OptString(b, "unit_id", 64)) in.unit_id = *v;
        in.sms = Bool(b, "sms");
        auto n = svc.Publish({c.Who(), c.req.remote_ip}, in);
        return Response::Json(201, json::NoticeJson(n)).With("Location", "/api/v1/notices/" + n.id);
      });
  publish.idempotent = true;
  publish.body_limit = 64 * 1024;

  auto& preview =
      r.Add("POST", "/api/v1/notices/preview", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
        auto b = c.req.JsonBody();
        std::string unit;
        if (auto v = http::OptString(b, "unit_id", 64)) unit = *v;
        auto p = svc.PreviewAudience(c.Who(), json::AudienceIn(b), Bool(b, "sms"), unit);
        return Response::Json(object{{"audience_size", p.audience_size},
                                     {"sms_recipients", p.sms_recipients},
                                     {"sms_cost_fen", p.sms_cost_fen}});
      });
  preview.body_limit = 64 * 1024;

  r.Add("GET", "/api/v1/notices", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
     int limit = Limit(c.req, 20, 100);
     int64_t offset = Offset(c.req);
     auto items =
         svc.ListManaged(c.Who(), Q(c.req, "status"), Q(c.req, "q", 100), offset, limit + 1);
     array a;
     bool more = static_cast<int>(items.size()) > limit;
     if (more) items.pop_back();
     for (auto& n : items) a.push_back(json::NoticeJson(n));
     return Response::Json(
         object{{"items", std::move(a)},
                {"next_cursor", more ? boost::json::value(std::to_string(offset + limit))
                                     : boost::json::value(nullptr)}});
   }).inline_read = false;

  r.Add("GET", "/api/v1/notices/figures", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
     std::string group = Q(c.req, "group");
     if (group.empty()) group = "town";
     array a;
     for (auto& f : svc.Figures(c.Who(), Q(c.req, "from"), Q(c.req, "to"), group)) {
       double audience = static_cast<double>(f.audience);
       a.push_back(object{{"month", f.month},
                          {"group_id", f.group_id},
                          {"group_name", f.group_name},
                          {"published", f.published},
                          {"audience", f.audience},
                          {"read", f.read},
                          {"confirmed", f.confirmed},
                          {"read_rate", audience > 0 ? f.read / audience : 0.0},
                          {"confirm_rate", audience > 0 ? f.confirmed / audience : 0.0}});
     }
     return Response::Json(object{{"items", std::move(a)}});
   }).inline_read = false;

  r.Add("GET", "/api/v1/notices/{id}", Access::SignedIn(), [&svc](Ctx& c) {
    return Response::Json(json::NoticeJson(svc.Get(c.Who(), c.req.Param("id"))));
  });

  r.Add("PATCH", "/api/v1/notices/{id}", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
     auto b = c.req.JsonBody();
     NoticePatch p;
     p.title = http::OptString(b, "title", 1000);
     p.body = http::OptString(b, "body", 20000);
     if (b.contains("receipt_deadline")) p.receipt_deadline = Time(b, "receipt_deadline");
     if (b.contains("expires_at")) p.expires_at = Time(b, "expires_at");
     if (b.contains("attachments"))
       p.attachments = json::Strings(b, "attachments", "attachments", 20);
     p.revision_note = http::ReqString(b, "revision_note", 1000);
     return Response::Json(
         json::NoticeJson(svc.Update({c.Who(), c.req.remote_ip}, c.req.Param("id"), p)));
   }).body_limit = 64 * 1024;

  r.Add(
      "POST", "/api/v1/notices/{id}/withdraw", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
        auto b = c.req.JsonBody();
        auto reason = http::ReqString(b, "reason", 1000);
        return Response::Json(
            json::NoticeJson(svc.Withdraw({c.Who(), c.req.remote_ip}, c.req.Param("id"), reason)));
      });

  r.Add("GET", "/api/v1/inbox", Access::SignedIn(), [&svc](Ctx& c) {
    int limit = Limit(c.req, 20, 100);
    auto body = svc.InboxRendered(c.Who(), Q(c.req, "category", 20), Q(c.req, "q", 100),
                                  Offset(c.req), limit, [](const InboxPage& page) {
                                    boost::json::monotonic_resource mr(16 * 1024);
                                    boost::json::storage_ptr sp(&mr);
                                    array a(sp);
                                    a.reserve(page.items.size());
                                    for (auto& i : page.items)
                                      a.push_back(boost::json::value(json::InboxItemJson(i), sp));
                                    object o(sp);
                                    o["items"] = std::move(a);
                                    o["unread_count"] = page.unread_count;
                                    o["next_cursor"] = page.next_cursor.empty()
                                                           ? boost::json::value(nullptr)
                                                           : boost::json::value(page.next_cursor);
                                    return boost::json::serialize(o);
                                  });
    Response res;
    res.body = *body;
    res.With("Cache-Control", "no-store");
    return res;
  });

  r.Add("POST", "/api/v1/notices/{id}/read", Access::SignedIn(), [&svc](Ctx& c) {
    int64_t at = svc.MarkRead(c.Who(), c.req.Param("id"));
    return Response::Json(object{{"read_at", util::IsoUtc(at)}});
  });

  r.Add("POST", "/api/v1/notices/{id}/confirm", Access::SignedIn(), [&svc](Ctx& c) {
    auto [read, confirmed] = svc.Confirm({c.Who(), c.req.remote_ip}, c.req.Param("id"));
    return Response::Json(
        object{{"read_at", util::IsoUtc(read)}, {"confirmed_at", util::IsoUtc(confirmed)}});
  });

  r.Add("GET", "/api/v1/notices/{id}/stats", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
     return Response::Json(json::StatsJson(svc.GetStats(c.Who(), c.req.Param("id"))))
         .With("Cache-Control", "no-store");
   }).inline_read = false;

  r.Add("GET", "/api/v1/notices/{id}/unread", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
     auto page = svc.Unread(c.Who(), c.req.Param("id"), Q(c.req, "village", 12),
                            Q(c.req, "cursor", 600), Limit(c.req, 50, 200));
     array a;
     for (auto& u : page.items) a.push_back(json::UnreadJson(u));
     return Response::Json(
         object{{"items", std::move(a)},
                {"next_cursor", page.next_cursor.empty() ? boost::json::value(nullptr)
                                                         : boost::json::value(page.next_cursor)}});
   }).inline_read = false;

  auto exporter = [&svc](bool xlsx) {
    return [&svc, xlsx](Ctx& c) {
      Notice n;
      auto rows = svc.AllUnread({c.Who(), c.req.remote_ip}, c.req.Param("id"), 300000, &n);
      std::string name = "未读名单-" + n.title.substr(0, 60);
      if (xlsx)
        return Download(UnreadXlsx(n, rows),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        name + ".xlsx", false);
      return Download(UnreadCsv(rows), "text/csv; charset=utf-8", name + ".csv", false);
    };
  };
  r.Add("GET", "/api/v1/notices/{id}/unread.xlsx", Access::Need(Perm::kNoticePublish),
        exporter(true))
      .inline_read = false;
  r.Add("GET", "/api/v1/notices/{id}/unread.csv", Access::Need(Perm::kNoticePublish),
        exporter(false))
      .inline_read = false;

  r.Add("GET", "/api/v1/notices/{id}/households", Access::Need(Perm::kNoticePublish),
        [&svc](Ctx& c) {
          std::string flagged = Q(c.req, "flagged", 5);
          array a;
          for (auto& h : svc.Households(c.Who(), c.req.Param("id"), Q(c.req, "village", 12),
                                        flagged == "1" || flagged == "true"))
            a.push_back(json::HouseholdJson(h));
          return Response::Json(object{{"items", std::move(a)}});
        })
      .inline_read = false;

  r.Add("POST", "/api/v1/notices/{id}/remind", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
    auto b = c.req.body.empty() ? object{} : c.req.JsonBody();
    auto people = json::Strings(b, "person_ids", "person_ids", 500);
    int64_t at = 0;
    int64_t n = svc.Remind({c.Who(), c.req.remote_ip}, c.req.Param("id"), people, &at);
    return Response::Json(object{{"reminded", n}, {"at", util::IsoUtc(at)}});
  });

  auto& upload =
      r.Add("POST", "/api/v1/attachments", Access::Need(Perm::kNoticePublish), [&svc](Ctx& c) {
        std::string name = Q(c.req, "name", 400);
        auto f = svc.Upload({c.Who(), c.req.remote_ip}, name, c.req.body);
        return Response::Json(201, json::FileJson(f))
            .With("Location", "/api/v1/attachments/" + f.id);
      });
  upload.body_limit = files::Store::kMaxBytes;

  r.Add("GET", "/api/v1/attachments/{id}", Access::SignedIn(), [&svc](Ctx& c) {
     auto [f, bytes] = svc.Download(c.Who(), c.req.Param("id"));
     bool image = f.content_type.rfind("image/", 0) == 0;
     auto res = Download(std::move(bytes), f.content_type, f.name, image);
     res.With("ETag", "\"" + f.sha256 + "\"");
     return res;
   }).inline_read = false;

  r.Add("GET", "/api/v1/sms/outbox", Access::Need(Perm::kSmsRead), [this](Ctx& c) {
     array a;
     for (auto& m : sms::Outbox(db_, c.Who().county_id, Q(c.req, "ref", 64), 500))
       a.push_back(object{{"id", m.id},
                          {"phone_masked", m.phone_masked},
                          {"text", m.text},
                          {"segments", m.segments},
                          {"cost_fen", m.cost_fen},
                          {"ref_id", m.ref_id},
                          {"created_at", util::IsoUtc(m.created_at)}});
     return Response::Json(object{{"items", std::move(a)}});
   }).inline_read = false;
}

}  // namespace sx::notices
