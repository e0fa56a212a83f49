// Meetings routes: thin adapters from HTTP to MeetingsService. See docs/meetings.md and
// docs/openapi.yaml.
#include <boost/json.hpp>

#include "core/http/input.h"
#include "core/util/clock.h"
#include "core/util/error.h"
#include "modules/meetings/json.h"
#include "modules/meetings/module.h"
#include "modules/notices/json.h"

namespace sx::meetings {

using boost::json::array;
using boost::json::object;
using http::Access;
using http::Ctx;
using http::Response;
using perm::Perm;

namespace {

std::optional<int64_t> Time(const object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  auto t = v->is_string() ? util::ParseIso(v->as_string()) : std::nullopt;
  if (!t) throw Error::Field(key, "an ISO 8601 date-time, e.g. 2026-12-01T09:00:00+08:00");
  return t;
}

bool Bool(const object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return false;
  if (!v->is_bool()) throw Error::Field(key, "true or false");
  return v->as_bool();
}

std::string Str(const object& o, const char* key, size_t max) {
  return http::OptString(o, key, max).value_or("");
}

Response Calendar(std::string body, const std::string& filename) {
  Response r;
  r.content_type = "text/calendar; charset=utf-8";
  r.body = std::move(body);
  return r.With("Content-Disposition", "attachment; filename=\"" + filename + "\"")
      .With("Cache-Control", "private, no-store");
}

Response One(const View& v) { return Response::Json(json::MeetingJson(v)); }

}  // namespace

void MeetingsModule::RegisterRoutes(http::Router& r) {
  auto& s = service_;
  const auto& clock = clock_;

  auto& create =
      r.Add("POST", "/api/v1/meetings", Access::Need(Perm::kMeetingSchedule), [&s](Ctx& c) {
        auto b = c.req.JsonBody();
        MeetingInput in;
        in.title = Str(b, "title", 1000);
        in.agenda = Str(b, "agenda", 40000);
        in.mode = http::OptString(b, "mode", 20).value_or("online");
        in.kind = http::OptString(b, "kind", 20).value_or("meeting");
        in.place = Str(b, "place", 1000);
        in.start_at = Time(b, "start_at");
        in.planned_minutes = http::OptInt(b, "planned_minutes").value_or(60);
        in.remind_minutes = http::OptInt(b, "remind_minutes").value_or(30);
        in.audience = notices::json::AudienceIn(b);
        in.unit_id = Str(b, "unit_id", 64);
        in.sms = Bool(b, "sms");
        return Response::Json(201, json::MeetingJson(s.Create({c.Who(), c.req.remote_ip}, in)));
      });
  create.idempotent = true;

  r.Add("GET", "/api/v1/meetings", Access::SignedIn(), [&s](Ctx& c) {
    auto scope = http::QueryString(c.req, "scope", 20);
    auto when = http::QueryString(c.req, "when", 20);
    auto page = s.List(c.Who(), scope.empty() ? "mine" : scope, when.empty() ? "upcoming" : when,
                       http::QueryString(c.req, "cursor", 100), http::QueryLimit(c.req, 20, 100));
    array items;
    for (auto& v : page.items) items.push_back(json::MeetingJson(v));
    return Response::Json(
        object{{"items", std::move(items)},
               {"next_cursor", page.next_cursor.empty() ? boost::json::value(nullptr)
                                                        : boost::json::value(page.next_cursor)}});
  });

  r.Add("GET", "/api/v1/meetings/figures", Access::Need(Perm::kMeetingStats), [&s](Ctx& c) {
    array items;
    for (auto& f :
         s.Figures(c.Who(), http::QueryString(c.req, "from", 7), http::QueryString(c.req, "to", 7),
                   http::QueryString(c.req, "group", 10)))
      items.push_back(json::FigureJson(f));
    return Response::Json(object{{"items", std::move(items)}});
  });

  // {id} or {id}.ics (the meeting as an iCalendar file).
  r.Add("GET", "/api/v1/meetings/{id}", Access::SignedIn(), [&s](Ctx& c) {
    std::string id = c.req.Param("id");
    if (id.size() > 4 && id.ends_with(".ics")) {
      id.resize(id.size() - 4);
      return Calendar(s.Ics(c.Who(), id, http::SiteOrigin(c.req)), "meeting-" + id + ".ics");
    }
    return One(s.Get(c.Who(), id));
  });

  r.Add("PATCH", "/api/v1/meetings/{id}", Access::Need(Perm::kMeetingSchedule), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    MeetingPatch p;
    p.title = http::OptString(b, "title", 1000);
    p.agenda = http::OptString(b, "agenda", 40000);
    p.mode = http::OptString(b, "mode", 20);
    p.place = http::OptString(b, "place", 1000);
    p.start_at = Time(b, "start_at");
    p.planned_minutes = http::OptInt(b, "planned_minutes");
    p.note = Str(b, "note", 1000);
    return One(s.Update({c.Who(), c.req.remote_ip}, c.req.Param("id"), p));
  });

  r.Add("POST", "/api/v1/meetings/{id}/cancel", Access::Need(Perm::kMeetingSchedule), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    return One(s.Cancel({c.Who(), c.req.remote_ip}, c.req.Param("id"), Str(b, "reason", 1000)));
  });

  r.Add("POST", "/api/v1/meetings/{id}/end", Access::Need(Perm::kMeetingSchedule), [&s](Ctx& c) {
    return One(s.End({c.Who(), c.req.remote_ip}, c.req.Param("id")));
  });

  r.Add("POST", "/api/v1/meetings/{id}/rsvp", Access::SignedIn(), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    return One(s.Rsvp({c.Who(), c.req.remote_ip}, c.req.Param("id"), Str(b, "answer", 20),
                      Str(b, "reason", 1000)));
  });

  r.Add("GET", "/api/v1/meetings/{id}/invitees", Access::Need(Perm::kMeetingSchedule),
        [&s](Ctx& c) {
          auto page =
              s.Invitees(c.Who(), c.req.Param("id"), http::QueryString(c.req, "rsvp", 20),
                         http::QueryString(c.req, "cursor", 64), http::QueryLimit(c.req, 50, 200));
          array items;
          for (auto& m : page.items) items.push_back(json::MemberJson(m));
          return Response::Json(object{
              {"items", std::move(items)},
              {"next_cursor", page.next_cursor.empty() ? boost::json::value(nullptr)
                                                       : boost::json::value(page.next_cursor)}});
        });

  r.Add(
      "POST", "/api/v1/meetings/{id}/checkin-code", Access::Need(Perm::kMeetingSchedule),
      [&s](Ctx& c) {
        auto code = s.NewCheckinCode({c.Who(), c.req.remote_ip}, c.req.Param("id"));
        return Response::Json(object{
            {"code", code.code}, {"url", code.url}, {"expires_at", util::IsoUtc(code.expires_at)}});
      });

  r.Add("POST", "/api/v1/meetings/{id}/checkins", Access::SignedIn(), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    auto at = s.Checkin({c.Who(), c.req.remote_ip}, c.req.Param("id"), Str(b, "code", 200));
    return Response::Json(object{{"checked_in_at", util::IsoUtc(at)}});
  });

  r.Add("GET", "/api/v1/meetings/{id}/attendance", Access::Need(Perm::kMeetingSchedule),
        [&s](Ctx& c) {
          return Response::Json(json::AttendanceJson(s.GetAttendance(c.Who(), c.req.Param("id"))));
        });

  r.Add("PUT", "/api/v1/meetings/{id}/attendance/{member}", Access::Need(Perm::kMeetingSchedule),
        [&s](Ctx& c) {
          auto b = c.req.JsonBody();
          auto minutes = http::OptInt(b, "minutes");
          if (!minutes) throw Error::Field("minutes", "the minutes attended (0 to 1440)");
          auto* present = b.if_contains("present");
          if (!present || !present->is_bool()) throw Error::Field("present", "true or false");
          return Response::Json(json::AttendanceRowJson(
              s.Correct({c.Who(), c.req.remote_ip}, c.req.Param("id"), c.req.Param("member"),
                        *minutes, present->as_bool(), Str(b, "note", 1000))));
        });

  r.Add("PUT", "/api/v1/meetings/{id}/minutes", Access::Need(Perm::kMeetingSchedule), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    return One(s.SetMinutes({c.Who(), c.req.remote_ip}, c.req.Param("id"), Str(b, "body", 200000)));
  });

  r.Add("GET", "/api/v1/meetings/{id}/actions", Access::SignedIn(), [&s, &clock](Ctx& c) {
    array items;
    int64_t now = clock.NowMs();
    for (auto& a : s.Actions(c.Who(), c.req.Param("id"))) items.push_back(json::ActionJson(a, now));
    return Response::Json(object{{"items", std::move(items)}});
  });

  r.Add("POST", "/api/v1/meetings/{id}/actions", Access::Need(Perm::kMeetingSchedule),
        [&s, &clock](Ctx& c) {
          auto b = c.req.JsonBody();
          auto due = Time(b, "due_at");
          if (!due) throw Error::Field("due_at", "an ISO 8601 date-time");
          auto a = s.AddAction({c.Who(), c.req.remote_ip}, c.req.Param("id"), Str(b, "title", 1000),
                               Str(b, "owner", 100), *due);
          return Response::Json(201, json::ActionJson(a, clock.NowMs()));
        });

  r.Add("GET", "/api/v1/meeting-actions", Access::SignedIn(), [&s, &clock](Ctx& c) {
    array items;
    int64_t now = clock.NowMs();
    for (auto& a : s.MyActions(c.Who())) items.push_back(json::ActionJson(a, now));
    return Response::Json(object{{"items", std::move(items)}});
  });

  r.Add("PATCH", "/api/v1/meeting-actions/{id}", Access::SignedIn(), [&s, &clock](Ctx& c) {
    auto b = c.req.JsonBody();
    auto a = s.SetAction({c.Who(), c.req.remote_ip}, c.req.Param("id"), Str(b, "status", 20),
                         Str(b, "note", 2000));
    return Response::Json(json::ActionJson(a, clock.NowMs()));
  });

  r.Add("GET", "/api/v1/calendar", Access::SignedIn(), [&s](Ctx& c) {
    return Response::Json(object{{"has_feed", s.CalendarUrl(c.Who()).has_value()}});
  });

  r.Add("POST", "/api/v1/calendar/token", Access::SignedIn(), [&s](Ctx& c) {
    return Response::Json(object{{"url", s.RotateCalendarToken({c.Who(), c.req.remote_ip})}})
        .With("Cache-Control", "no-store");
  });

  // The private feed: the token in the path is the only credential (calendar apps send no
  // cookies); answers 404 for anything else.
  auto& feed = r.Add("GET", "/api/v1/calendar/{token}", Access::Public(), [&s](Ctx& c) {
    std::string token = c.req.Param("token");
    if (token.size() <= 4 || !token.ends_with(".ics")) throw Error::NotFound();
    token.resize(token.size() - 4);
    return Calendar(s.Feed(token, http::SiteOrigin(c.req)), "shuxiang.ics");
  });
  feed.inline_read = false;

  // The room is a WebSocket (MeetingsModule::Socket); a plain GET lands here.
  r.Add("GET", "/api/v1/meetings/{id}/room", Access::SignedIn(), [](Ctx&) {
     return Response::Problem(426, "Upgrade Required",
                              "Connect with a WebSocket client (Upgrade: websocket)")
         .With("Upgrade", "websocket");
   }).blocking = false;
}

}  // namespace sx::meetings
