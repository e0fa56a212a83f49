#include "core/http/router.h"

#include <gtest/gtest.h>

#include "core/util/error.h"

namespace sx::http {
namespace {

class FakeAuth : public Authenticator {
 public:
  std::shared_ptr<const perm::Principal> who;
  std::shared_ptr<const perm::Principal> Authenticate(const Request&) override { return who; }
};

Request Req(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.headers.emplace_back("host", "example.test");
  return r;
}

std::shared_ptr<const perm::Principal> Cadre(bool cookie) {
  auto p = std::make_shared<perm::Principal>();
  p->account_id = "a1";
  p->csrf_token = "tok";
  p->via_cookie = cookie;
  p->grants.push_back({perm::Role::kVillageCadre, "500238101201"});
  return p;
}

TEST(Router, MatchesPathParametersAndMethods) {
  Router r;
  r.Add("GET", "/api/v1/regions/{code}/children", Access::Public(),
        [](Ctx& c) { return Response::Text(200, c.req.Param("code")); });
  auto req = Req("GET", "/api/v1/regions/500238000000/children");
  EXPECT_EQ(r.Handle(req).body, "500238000000");
  auto post = Req("POST", "/api/v1/regions/500238000000/children");
  EXPECT_EQ(r.Handle(post).status, 405);
  auto none = Req("GET", "/api/v1/regions//children");
  EXPECT_EQ(r.Handle(none).status, 404);
}

TEST(Router, AccessGateDeniesWith404AndReportsTheDenial) {
  Router r;
  FakeAuth auth;
  r.SetAuthenticator(&auth);
  int denials = 0;
  r.SetDenyHook([&](const Request&, const perm::Principal&, std::string_view) { ++denials; });
  r.Add("GET", "/x", Access::Need(perm::Perm::kAuditRead), [](Ctx&) { return Response::Empty(); });
  auto req = Req("GET", "/x");
  EXPECT_EQ(r.Handle(req).status, 401);  // anonymous
  auth.who = Cadre(false);
  EXPECT_EQ(r.Handle(req).status, 404);  // signed in, lacks audit.read
  EXPECT_EQ(denials, 1);
}

TEST(Router, CookieWritesNeedCsrfTokenAndSameOrigin) {
  Router r;
  FakeAuth auth;
  r.SetAuthenticator(&auth);
  r.Add("POST", "/w", Access::SignedIn(), [](Ctx&) { return Response::Empty(204); });
  auth.who = Cadre(true);
  auto req = Req("POST", "/w");
  EXPECT_EQ(r.Handle(req).status, 403);  // no Origin, no token
  req.headers.emplace_back("origin", "http://example.test");
  EXPECT_EQ(r.Handle(req).status, 403);  // no token
  req.headers.emplace_back("x-csrf-token", "tok");
  EXPECT_EQ(r.Handle(req).status, 204);
  auto evil = Req("POST", "/w");
  evil.headers.emplace_back("origin", "http://evil.test");
  evil.headers.emplace_back("x-csrf-token", "tok");
  EXPECT_EQ(r.Handle(evil).status, 403);
  auth.who = Cadre(false);  // bearer: no ambient credential, no CSRF check
  auto bearer = Req("POST", "/w");
  EXPECT_EQ(r.Handle(bearer).status, 204);
}

TEST(Router, ErrorsBecomeProblemJson) {
  Router r;
  r.Add("GET", "/e", Access::Public(),
        [](Ctx&) -> Response { throw Error::Field("name", "is required"); });
  r.Add("GET", "/boom", Access::Public(),
        [](Ctx&) -> Response { throw std::runtime_error("secret"); });
  auto e = Req("GET", "/e");
  Response res = r.Handle(e);
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.content_type, "application/problem+json");
  EXPECT_NE(res.body.find("\"field\":\"name\""), std::string::npos);
  auto b = Req("GET", "/boom");
  Response boom = r.Handle(b);
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(boom.body.find("secret"), std::string::npos);  // internals never leak
}

}  // namespace
}  // namespace sx::http

namespace sx::http {
namespace {

TEST(Router, ProblemDetailsFollowAcceptLanguage) {
  Router r;
  r.Add("POST", "/j", Access::Public(), [](Ctx&) -> Response {
    throw Error::Field("id_number", "is not a valid 18-digit ID number (checksum)");
  });
  auto zh = Req("POST", "/j");
  zh.headers.emplace_back("accept-language", "zh-CN,zh;q=0.9,en;q=0.8");
  Response res = r.Handle(zh);
  EXPECT_NE(res.body.find("身份证号码不是有效的 18 位身份证号码"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("\"field\":\"id_number\""), std::string::npos);
  auto en = Req("POST", "/j");
  en.headers.emplace_back("accept-language", "en-US");
  EXPECT_NE(r.Handle(en).body.find("is not a valid 18-digit ID number"), std::string::npos);
  auto none = Req("POST", "/j");  // scripts without the header keep the canonical English
  EXPECT_NE(r.Handle(none).body.find("Validation failed"), std::string::npos);
}

}  // namespace
}  // namespace sx::http
