#include "core/http/idempotency.h"

#include <sodium.h>

#include <boost/json.hpp>

#include "core/util/error.h"
#include "core/util/random.h"

namespace sx::http {
namespace {
constexpr int64_t kTtlMs = 24LL * 3600 * 1000;
// A claim still unfinished after this long belongs to a request that died (crash, kill -9
// between the handler's commit and Finish): let a retry claim the key again.
constexpr int64_t kStaleClaimMs = 60 * 1000;

std::string Fingerprint(const std::string& s) { return util::DigestHex(s); }
}  // namespace

std::optional<Response> DbIdempotencyStore::Begin(const std::string& scope, const std::string& key,
                                                  const std::string& fingerprint) {
  std::string fp = Fingerprint(fingerprint);
  int64_t now = clock_.NowMs();
  std::optional<Response> out;
  db_.Write([&](db::Conn& c) {
    auto r = c.One(
        "SELECT fingerprint, status, response, created_at FROM idempotency_keys WHERE scope = $1 "
        "AND idem_key = $2",
        {scope, key});
    if (r && (r->Int(3) + kTtlMs < now || (r->Int(1) == 0 && r->Int(3) + kStaleClaimMs < now))) {
      c.Exec("DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2", {scope, key});
      r.reset();
    }
    if (!r) {
      c.Exec(
          "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, status, created_at) VALUES "
          "($1, $2, $3, 0, $4)",
          {scope, key, fp, now});
      return;
    }
    if (r->Str(0) != fp)
      throw Error::Field("Idempotency-Key", "was already used for a different request");
    if (r->Int(1) == 0)
      throw Error::Conflict("A request with this Idempotency-Key is still being processed");
    auto v = boost::json::parse(r->Str(2)).as_object();
    Response res;
    res.status = static_cast<int>(r->Int(1));
    res.content_type = std::string(v["type"].as_string());
    res.body = std::string(v["body"].as_string());
    for (auto& h : v["headers"].as_array()) {
      auto& pair = h.as_array();
      res.headers.emplace_back(std::string(pair[0].as_string()), std::string(pair[1].as_string()));
    }
    out = std::move(res);
  });
  return out;
}

void DbIdempotencyStore::Finish(const std::string& scope, const std::string& key,
                                const Response& r) {
  boost::json::array headers;
  for (auto& [k, v] : r.headers) headers.push_back(boost::json::array{k, v});
  boost::json::object o{{"type", r.content_type}, {"body", r.body}, {"headers", headers}};
  std::string stored = boost::json::serialize(o);
  db_.Write([&](db::Conn& c) {
    c.Exec(
        "UPDATE idempotency_keys SET status = $3, response = $4 WHERE scope = $1 AND idem_key = $2",
        {scope, key, int64_t{r.status}, stored});
  });
}

void DbIdempotencyStore::Abandon(const std::string& scope, const std::string& key) {
  db_.Write([&](db::Conn& c) {
    c.Exec("DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND status = 0",
           {scope, key});
  });
}

}  // namespace sx::http
