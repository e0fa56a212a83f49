// The router: method + path pattern ("/api/v1/regions/{code}/children") → handler, each route
// with a mandatory access policy (there is no way to add a route without one). Dispatch runs the
// whole request pipeline without any network: authentication, the access gate, CSRF for cookie
// sessions, idempotent replay, the handler, and the mapping of sx::Error to problem+json.
//
// Thread safety: routes are added before serving; Dispatch is then safe from any thread.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/http/message.h"
#include "core/perm/perm.h"

namespace sx::http {

class Metrics;

// A route's access policy.
struct Access {
  enum class Kind { kPublic, kSignedIn, kPerm };
  Kind kind;
  perm::Perm perm = perm::Perm::kRegionRead;
  static Access Public() { return {Kind::kPublic}; }
  static Access SignedIn() { return {Kind::kSignedIn}; }
  static Access Need(perm::Perm p) { return {Kind::kPerm, p}; }
  std::string Describe() const;
};

// Per-request context handed to handlers.
struct Ctx {
  const Request& req;
  const perm::Principal* principal = nullptr;                      // null for anonymous callers
  std::vector<std::pair<std::string, std::string>> extra_headers;  // e.g. Set-Cookie
  // The handler runs on the I/O thread first (Route::inline_first): it must answer without
  // blocking (from memory) or throw RunOnWorker to be run again on the worker pool.
  bool inline_attempt = false;

  // The signed-in caller; throws 401 if anonymous.
  const perm::Principal& Who() const;
};

using Handler = std::function<Response(Ctx&)>;

// Thrown by a handler on its inline attempt (Ctx::inline_attempt) when it has to block.
struct RunOnWorker {};

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  Handler handler;
  bool blocking = true;  // false: cheap, never blocks; may run on the I/O thread
  // A GET that may run on the I/O thread when reads are inline (SQLite); false for reads that
  // can take tens of milliseconds (searches, log scans), which go to the worker pool.
  bool inline_read = true;
  // A blocking route that first tries its handler on the I/O thread with Ctx::inline_attempt
  // (answers from a cache), and goes to the worker pool only when the handler throws RunOnWorker.
  bool inline_first = false;
  bool idempotent = false;   // honours Idempotency-Key (creating POSTs)
  bool csrf_exempt = false;  // login/signup: no session yet
  size_t body_limit = 1 << 20;
  size_t metrics_index = 0;
  std::vector<std::string> segments;  // the pattern split at '/', computed once by Router::Add
};

// Resolves the caller from the request (session cookie or bearer token).
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller, or null for anonymous requests. The result is shared and immutable.
  virtual std::shared_ptr<const perm::Principal> Authenticate(const Request& req) = 0;
};

// Stores responses of creating requests by Idempotency-Key.
class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  // Returns the stored response for (scope, key), or claims the key and returns nullopt.
  // Throws 409 if the same key is still being processed, 422 if reused for another request.
  virtual std::optional<Response> Begin(const std::string& scope, const std::string& key,
                                        const std::string& fingerprint) = 0;
  virtual void Finish(const std::string& scope, const std::string& key, const Response& r) = 0;
  virtual void Abandon(const std::string& scope, const std::string& key) = 0;
};

// Called when the access gate denies a signed-in caller (for the audit log).
using DenyHook = std::function<void(const Request&, const perm::Principal&, std::string_view why)>;

struct Match {
  const Route* route = nullptr;
  std::unordered_map<std::string, std::string> params;
  bool path_matched = false;  // some route had this path but another method → 405
};

class Router {
 public:
  explicit Router(Metrics* metrics = nullptr) : metrics_(metrics) {}
  Route& Add(std::string method, std::string pattern, Access access, Handler h);
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

  void SetAuthenticator(Authenticator* a) { auth_ = a; }
  void SetIdempotencyStore(IdempotencyStore* s) { idem_ = s; }
  void SetDenyHook(DenyHook h) { deny_ = std::move(h); }

  Match Find(std::string_view method, std::string_view path) const;
  // Runs the pipeline for a matched route. req.params is filled from the match. With
  // inline_attempt, RunOnWorker from the handler propagates (see Route::inline_first).
  Response Dispatch(Request& req, const Match& m, bool inline_attempt = false) const;
  // Find + Dispatch, with 404/405 for unmatched API paths.
  Response Handle(Request& req) const;

 private:
  Response Run(Request& req, const Route& route, bool inline_attempt) const;
  Metrics* metrics_;
  std::vector<std::unique_ptr<Route>> routes_;
  Authenticator* auth_ = nullptr;
  IdempotencyStore* idem_ = nullptr;
  DenyHook deny_;
};

// Whether a request comes from this site: Origin equals this host's origin, or without Origin,
// Sec-Fetch-Site says same-origin. Required for cookie-authenticated writes and WebSockets.
bool SameOrigin(const Request& req);
// "http(s)://<Host>" of this request, for absolute links in files read outside the browser
// (calendar entries); "" when the Host header is missing or not a plain host[:port].
std::string SiteOrigin(const Request& req);

// Maps the exception in flight (sx::Error or other) to a problem+json response, with `detail` and
// field messages in the language of `accept_language` (see messages.h).
Response ProblemFromCurrentException(std::string_view accept_language = {});

}  // namespace sx::http
