// Org routes: thin adapters from HTTP to OrgService. See docs/openapi.yaml.
#include <boost/json.hpp>

#include "core/http/input.h"
#include "core/util/clock.h"
#include "core/util/error.h"
#include "modules/org/json.h"
#include "modules/org/module.h"

namespace sx::org {

using boost::json::array;
using boost::json::object;
using http::Access;
using http::Ctx;
using http::Response;
using perm::Perm;

namespace {

std::string SessionCookie(const http::Request& req, const std::string& token, int64_t max_age_s) {
  std::string name = req.tls ? "__Host-sid" : "sid";
  std::string c =
      name + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_s);
  if (req.tls) c += "; Secure";
  return c;
}

Response SignedInResponse(int status, const http::Request& req, const SignedIn& s) {
  object o{{"token", s.session.token},
           {"csrf_token", s.session.csrf_token},
           {"expires_at", util::IsoUtc(s.session.expires_at_ms)},
           {"user", json::MeJson(s.me, s.session.csrf_token)}};
  Response r = Response::Json(status, o);
  r.With("Set-Cookie", SessionCookie(req, s.session.token, 7 * 24 * 3600));
  r.With("Cache-Control", "no-store");
  return r;
}

template <class T, class F>
Response List(const std::vector<T>& items, F to_json) {
  array a;
  for (auto& i : items) a.push_back(to_json(i));
  return Response::Json(object{{"items", std::move(a)}});
}

// Regions are the hottest list (the tree UI): build it in one arena, no per-value malloc.
std::string RegionListJson(const std::vector<Region>& items) {
  boost::json::monotonic_resource mr(16 * 1024);
  boost::json::storage_ptr sp(&mr);
  array a(sp);
  a.reserve(items.size());
  for (auto& g : items) a.push_back(json::RegionJson(g, true, sp));
  object o(sp);
  o["items"] = std::move(a);
  return boost::json::serialize(o);
}

Response RegionList(const std::vector<Region>& items) {
  Response r;
  r.body = RegionListJson(items);
  return r;
}

std::string Q(const http::Request& req, const char* key) {
  auto v = req.QueryParam(key);
  return v ? *v : std::string();
}

UnitInput UnitIn(const object& b) {
  return {http::OptString(b, "name", 200), http::OptString(b, "kind", 40),
          http::OptString(b, "region_code", 20)};
}

PersonInput PersonIn(const object& b) {
  PersonInput in;
  in.name = http::OptString(b, "name", 200);
  in.gender = http::OptString(b, "gender", 4);
  in.phone = http::OptString(b, "phone", 20);
  in.id_number = http::OptString(b, "id_number", 20);
  in.village_code = http::OptString(b, "village_code", 20);
  in.relation = http::OptString(b, "relation", 80);
  in.household_id = http::OptString(b, "household_id", 40);
  in.birth_year = http::OptInt(b, "birth_year");
  return in;
}

}  // namespace

void OrgModule::RegisterRoutes(http::Router& r) {
  OrgService& s = *service_;

  // ---- Sessions ----
  auto& login = r.Add("POST", "/api/v1/auth/login", Access::Public(), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    auto out = s.Login(http::ReqString(b, "phone", 20), http::ReqString(b, "password", 512),
                       c.req.remote_ip);
    return SignedInResponse(200, c.req, out);
  });
  login.csrf_exempt = true;
  login.body_limit = 4096;

  auto& signup = r.Add("POST", "/api/v1/auth/signup", Access::Public(), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    auto out = s.Signup(http::ReqString(b, "name", 200), http::ReqString(b, "phone", 20),
                        http::ReqString(b, "password", 512), c.req.remote_ip);
    return SignedInResponse(201, c.req, out);
  });
  signup.csrf_exempt = true;
  signup.idempotent = true;
  signup.body_limit = 4096;

  r.Add("POST", "/api/v1/auth/logout", Access::SignedIn(), [&s](Ctx& c) {
    s.Logout({c.Who(), c.req.remote_ip});
    Response res = Response::Empty(204);
    res.With("Set-Cookie", SessionCookie(c.req, "", 0));
    return res;
  });

  r.Add("GET", "/api/v1/me", Access::SignedIn(), [&s](Ctx& c) {
    Response res = Response::Json(json::MeJson(s.GetMe(c.Who()), c.Who().csrf_token));
    res.With("Cache-Control", "no-store");
    return res;
  });

  // ---- Regions ----
  r.Add("GET", "/api/v1/regions", Access::Need(Perm::kRegionRead), [&s](Ctx& c) {
    return RegionList(s.SearchRegions(c.Who(), Q(c.req, "q"), Q(c.req, "level")));
  });
  r.Add("GET", "/api/v1/regions/{code}", Access::Need(Perm::kRegionRead), [&s](Ctx& c) {
    return Response::Json(json::RegionJson(s.GetRegion(c.Who(), c.req.Param("code"))));
  });
  r.Add("GET", "/api/v1/regions/{code}/children", Access::Need(Perm::kRegionRead), [&s](Ctx& c) {
    auto rendered = s.ChildrenRendered(c.Who(), c.req.Param("code"), RegionListJson);
    std::string etag = "\"r" + std::to_string(rendered.version) + "\"";
    Response r;
    r.With("ETag", etag);
    r.With("Cache-Control", "private, no-cache");
    if (c.req.Header("if-none-match") == etag) {
      r.status = 304;
      return r;
    }
    r.body = *rendered.body;
    return r;
  });

  // ---- Units ----
  r.Add("GET", "/api/v1/units", Access::Need(Perm::kUnitRead), [&s](Ctx& c) {
    return List(s.ListUnits(c.Who(), Q(c.req, "region"), Q(c.req, "q")), json::UnitJson);
  });
  r.Add("POST", "/api/v1/units", Access::Need(Perm::kUnitWrite), [&s](Ctx& c) {
     return Response::Json(
         201, json::UnitJson(s.CreateUnit({c.Who(), c.req.remote_ip}, UnitIn(c.req.JsonBody()))));
   }).idempotent = true;
  r.Add("GET", "/api/v1/units/{id}", Access::Need(Perm::kUnitRead), [&s](Ctx& c) {
    return Response::Json(json::UnitJson(s.GetUnit(c.Who(), c.req.Param("id"))));
  });
  r.Add("PATCH", "/api/v1/units/{id}", Access::Need(Perm::kUnitWrite), [&s](Ctx& c) {
    return Response::Json(json::UnitJson(
        s.UpdateUnit({c.Who(), c.req.remote_ip}, c.req.Param("id"), UnitIn(c.req.JsonBody()))));
  });
  r.Add("POST", "/api/v1/units/{id}/deactivate", Access::Need(Perm::kUnitWrite), [&s](Ctx& c) {
    return Response::Json(
        json::UnitJson(s.DeactivateUnit({c.Who(), c.req.remote_ip}, c.req.Param("id"))));
  });

  r.Add("GET", "/api/v1/units/{id}/staff", Access::Need(Perm::kUnitRead),
        [&s](Ctx& c) { return List(s.ListStaff(c.Who(), c.req.Param("id")), json::StaffJson); });
  r.Add("POST", "/api/v1/units/{id}/staff", Access::Need(Perm::kUnitWrite), [&s](Ctx& c) {
     auto b = c.req.JsonBody();
     return Response::Json(201,
                           json::StaffJson(s.AddStaff({c.Who(), c.req.remote_ip}, c.req.Param("id"),
                                                      http::ReqString(b, "phone", 20))));
   }).idempotent = true;
  r.Add("DELETE", "/api/v1/units/{id}/staff/{account_id}", Access::Need(Perm::kUnitWrite),
        [&s](Ctx& c) {
          s.RemoveStaff({c.Who(), c.req.remote_ip}, c.req.Param("id"), c.req.Param("account_id"));
          return Response::Empty(204);
        });

  // ---- People ----
  r.Add("GET", "/api/v1/people", Access::Need(Perm::kPersonRead), [&s](Ctx& c) {
     std::string limit = Q(c.req, "limit");
     int n = 50;
     if (!limit.empty()) {
       if (limit.size() > 4 || limit.find_first_not_of("0123456789") != std::string::npos)
         throw Error::Field("limit", "must be a number from 1 to 200");
       n = std::stoi(limit);
     }
     auto page = s.ListPeople(c.Who(), Q(c.req, "region"), Q(c.req, "q"), Q(c.req, "cursor"), n);
     array a;
     for (auto& p : page.items) a.push_back(json::PersonJson(p));
     object o{{"items", std::move(a)}};
     o["next_cursor"] = page.next_cursor.empty() ? boost::json::value(nullptr)
                                                 : boost::json::value(page.next_cursor);
     return Response::Json(o);
   }).inline_read = false;  // a county-wide search can take tens of milliseconds
  r.Add("POST", "/api/v1/people", Access::Need(Perm::kPersonWrite), [&s](Ctx& c) {
     return Response::Json(201, json::PersonJson(s.CreatePerson({c.Who(), c.req.remote_ip},
                                                                PersonIn(c.req.JsonBody()))));
   }).idempotent = true;
  r.Add("GET", "/api/v1/people/{id}", Access::Need(Perm::kPersonRead), [&s](Ctx& c) {
    return Response::Json(json::PersonJson(s.GetPerson(c.Who(), c.req.Param("id"))));
  });
  r.Add("GET", "/api/v1/households/{id}", Access::Need(Perm::kPersonRead), [&s](Ctx& c) {
    auto members = s.Household(c.Who(), c.req.Param("id"));
    array a;
    for (auto& p : members) a.push_back(json::PersonJson(p));
    return Response::Json(object{{"id", c.req.Param("id")},
                                 {"village_code", members.front().village_code},
                                 {"village_name", members.front().village_name},
                                 {"members", std::move(a)}});
  });
  r.Add("PATCH", "/api/v1/people/{id}", Access::Need(Perm::kPersonWrite), [&s](Ctx& c) {
    return Response::Json(json::PersonJson(
        s.UpdatePerson({c.Who(), c.req.remote_ip}, c.req.Param("id"), PersonIn(c.req.JsonBody()))));
  });
  r.Add("POST", "/api/v1/people/{id}/deactivate", Access::Need(Perm::kPersonWrite), [&s](Ctx& c) {
    return Response::Json(
        json::PersonJson(s.DeactivatePerson({c.Who(), c.req.remote_ip}, c.req.Param("id"))));
  });
  r.Add("POST", "/api/v1/people/{id}/reveal", Access::Need(Perm::kPersonReveal), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    std::string field = http::ReqString(b, "field", 20);
    std::string value = s.Reveal({c.Who(), c.req.remote_ip}, c.req.Param("id"), field);
    Response res = Response::Json(object{{"field", field}, {"value", value}});
    res.With("Cache-Control", "no-store");
    return res;
  });

  // ---- Joining a village ----
  r.Add("POST", "/api/v1/join-requests", Access::Need(Perm::kJoinCreate), [&s](Ctx& c) {
     auto b = c.req.JsonBody();
     return Response::Json(
         201, json::JoinJson(s.CreateJoin(
                  {c.Who(), c.req.remote_ip}, http::ReqString(b, "village_code", 20),
                  http::ReqString(b, "name", 200), http::ReqString(b, "id_number", 20))));
   }).idempotent = true;
  r.Add("GET", "/api/v1/me/join-requests", Access::SignedIn(),
        [&s](Ctx& c) { return List(s.MyJoins(c.Who()), json::JoinJson); });
  r.Add("GET", "/api/v1/join-requests", Access::Need(Perm::kJoinReview),
        [&s](Ctx& c) { return List(s.ListJoins(c.Who(), Q(c.req, "status")), json::JoinJson); });
  r.Add("POST", "/api/v1/join-requests/{id}/approve", Access::Need(Perm::kJoinReview),
        [&s](Ctx& c) {
          return Response::Json(
              json::JoinJson(s.Approve({c.Who(), c.req.remote_ip}, c.req.Param("id"))));
        });
  r.Add("POST", "/api/v1/join-requests/{id}/reject", Access::Need(Perm::kJoinReview), [&s](Ctx& c) {
    auto b = c.req.JsonBody();
    return Response::Json(json::JoinJson(s.Reject({c.Who(), c.req.remote_ip}, c.req.Param("id"),
                                                  http::ReqString(b, "reason", 1000))));
  });
}

}  // namespace sx::org
