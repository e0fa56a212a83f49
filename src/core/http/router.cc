#include "core/http/router.h"

#include <boost/json.hpp>

#include "core/http/messages.h"
#include "core/http/metrics.h"
#include "core/log/log.h"
#include "core/util/error.h"
#include "core/util/strings.h"

namespace sx::http {

std::string Access::Describe() const {
  switch (kind) {
    case Kind::kPublic:
      return "public";
    case Kind::kSignedIn:
      return "signed-in";
    case Kind::kPerm:
      return std::string(perm::PermName(perm));
  }
  return "?";
}

const perm::Principal& Ctx::Who() const {
  if (!principal) throw Error(ErrorCode::kUnauthenticated, "Sign in first");
  return *principal;
}

Route& Router::Add(std::string method, std::string pattern, Access access, Handler h) {
  auto r = std::make_unique<Route>();
  r->method = std::move(method);
  r->pattern = std::move(pattern);
  r->access = access;
  r->handler = std::move(h);
  for (auto seg : util::Split(r->pattern, '/')) r->segments.emplace_back(seg);
  if (metrics_) r->metrics_index = metrics_->AddRoute(r->method + " " + r->pattern);
  routes_.push_back(std::move(r));
  return *routes_.back();
}

Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  auto segs = util::Split(path, '/');
  auto is_param = [](const std::string& p) {
    return p.size() > 2 && p.front() == '{' && p.back() == '}';
  };
  for (auto& r : routes_) {
    const auto& pat = r->segments;
    if (pat.size() != segs.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < pat.size() && ok; ++i)
      ok = is_param(pat[i]) ? !segs[i].empty() : pat[i] == segs[i];
    if (!ok) continue;
    if (r->method != method && !(method == "HEAD" && r->method == "GET")) {
      m.path_matched = true;
      continue;
    }
    m.route = r.get();
    for (size_t i = 0; i < pat.size(); ++i)
      if (is_param(pat[i]))
        m.params.emplace(pat[i].substr(1, pat[i].size() - 2), std::string(segs[i]));
    return m;
  }
  return m;
}

Response ProblemFromCurrentException(std::string_view accept_language) {
  Lang lang = LangFromAcceptLanguage(accept_language);
  try {
    throw;
  } catch (const Error& e) {
    int status = 500;
    std::string_view title = "Internal Server Error";
    switch (e.code()) {
      case ErrorCode::kInvalidArgument:
        status = e.fields().empty() ? 400 : 422;
        title = e.fields().empty() ? "Bad Request" : "Unprocessable Content";
        break;
      case ErrorCode::kUnauthenticated:
        status = 401;
        title = "Unauthorized";
        break;
      case ErrorCode::kForbidden:
        status = 403;
        title = "Forbidden";
        break;
      case ErrorCode::kNotFound:
        status = 404;
        title = "Not Found";
        break;
      case ErrorCode::kConflict:
        status = 409;
        title = "Conflict";
        break;
      case ErrorCode::kTooLarge:
        status = 413;
        title = "Content Too Large";
        break;
      case ErrorCode::kUnsupportedType:
        status = 415;
        title = "Unsupported Media Type";
        break;
      case ErrorCode::kRateLimited:
        status = 429;
        title = "Too Many Requests";
        break;
      case ErrorCode::kUnavailable:
        status = 503;
        title = "Service Unavailable";
        break;
      case ErrorCode::kInternal:
        status = 500;
        break;
    }
    if (status == 500) {
      log::Error("internal error: {}", e.what());
      return Response::Problem(500, title, Localize("An internal error occurred", lang));
    }
    boost::json::array fields;
    for (auto& f : e.fields())
      fields.push_back({{"field", f.field}, {"message", Localize(f.message, lang)}});
    return Response::Problem(status, title, Localize(e.what(), lang), &fields);
  } catch (const std::exception& e) {
    log::Error("unhandled exception: {}", e.what());
    return Response::Problem(500, "Internal Server Error",
                             Localize("An internal error occurred", lang));
  }
}

namespace {
bool SafeMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

}  // namespace

bool SameOrigin(const Request& req) {
  std::string_view origin = req.Header("origin");
  std::string_view host = req.Header("host");
  if (!origin.empty()) {
    std::string expect = std::string(req.tls ? "https://" : "http://") + std::string(host);
    return origin == expect;
  }
  return req.Header("sec-fetch-site") == "same-origin";
}

std::string SiteOrigin(const Request& req) {
  std::string_view host = req.Header("host");
  if (host.empty() || host.size() > 255 ||
      host.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
          std::string_view::npos)
    return "";
  return std::string(req.tls ? "https://" : "http://") + std::string(host);
}

Response Router::Run(Request& req, const Route& route, bool inline_attempt) const {
  std::shared_ptr<const perm::Principal> who;
  if (auth_) who = auth_->Authenticate(req);
  if (route.access.kind != Access::Kind::kPublic && !who)
    throw Error(ErrorCode::kUnauthenticated, "Sign in first");
  if (route.access.kind == Access::Kind::kPerm && !who->Has(route.access.perm)) {
    if (deny_) deny_(req, *who, route.access.Describe());
    throw Error::NotFound();
  }
  if (who && who->via_cookie && !SafeMethod(req.method) && !route.csrf_exempt) {
    if (!SameOrigin(req))
      throw Error(ErrorCode::kForbidden, "Cross-site request refused (Origin does not match)");
    if (req.Header("x-csrf-token") != who->csrf_token)
      throw Error(ErrorCode::kForbidden, "Missing or wrong X-CSRF-Token");
  }
  Ctx ctx{req, who.get(), {}, inline_attempt};
  std::string key(req.Header("idempotency-key"));
  if (route.idempotent && idem_ && !key.empty()) {
    if (key.size() > 128) throw Error::Field("Idempotency-Key", "at most 128 characters");
    // Public creates (sign-up) are keyed by address: a retry may already carry the new session.
    std::string scope = route.access.kind == Access::Kind::kPublic || !who ? "anon:" + req.remote_ip
                                                                           : who->account_id;
    std::string fp = req.method + " " + req.path + "\n" + req.body;
    if (auto stored = idem_->Begin(scope, key, fp)) {
      stored->With("Idempotent-Replayed", "true");
      return *stored;
    }
    Response res;
    try {
      res = route.handler(ctx);
    } catch (...) {
      idem_->Abandon(scope, key);
      throw;
    }
    for (auto& h : ctx.extra_headers) res.headers.push_back(h);
    if (res.status < 500)
      idem_->Finish(scope, key, res);
    else
      idem_->Abandon(scope, key);
    return res;
  }
  Response res = route.handler(ctx);
  for (auto& h : ctx.extra_headers) res.headers.push_back(h);
  return res;
}

Response Router::Dispatch(Request& req, const Match& m, bool inline_attempt) const {
  req.params = m.params;
  try {
    return Run(req, *m.route, inline_attempt);
  } catch (const RunOnWorker&) {
    if (inline_attempt) throw;
    return Response::Problem(500, "Internal Server Error", "The handler could not run");
  } catch (...) {
    return ProblemFromCurrentException(req.Header("accept-language"));
  }
}

Response Router::Handle(Request& req) const {
  Match m = Find(req.method, req.path);
  if (!m.route) {
    if (m.path_matched) return Response::Problem(405, "Method Not Allowed", "Method not allowed");
    return Response::Problem(404, "Not Found", "No such resource");
  }
  return Dispatch(req, m);
}

}  // namespace sx::http
