#include "core/auth/sessions.h"

#include <sodium.h>

#include "core/util/error.h"
#include "core/util/random.h"

namespace sx::auth {

std::string SessionStore::HashToken(const std::string& token) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[sizeof h * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

NewSession SessionStore::Create(db::Conn& c, const std::string& county_id,
                                const std::string& account_id) {
  NewSession s{util::NewToken(), util::NewToken(), 0};
  int64_t now = clock_.NowMs();
  s.expires_at_ms = now + p_.absolute_ms;
  c.Exec(
      "INSERT INTO sessions (county_id, token_hash, account_id, csrf_token, created_at, "
      "last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
      {county_id, HashToken(s.token), account_id, s.csrf_token, now, s.expires_at_ms});
  return s;
}

std::optional<Session> SessionStore::Lookup(const std::string& token) {
  if (token.empty() || token.size() > 64) return std::nullopt;
  std::string h = HashToken(token);
  int64_t now = clock_.NowMs();
  std::optional<Session> out;
  int64_t last_seen = 0;
  db_.Read([&](db::Conn& c) {
    auto r = c.One(
        "SELECT county_id, account_id, csrf_token, last_seen_at, expires_at, revoked_at FROM "
        "sessions WHERE token_hash = $1",
        {h});
    if (!r || !r->IsNull(5) || r->Int(4) <= now || r->Int(3) + p_.idle_ms <= now) return;
    out = Session{r->Str(0), r->Str(1), h, r->Str(2)};
    last_seen = r->Int(3);
  });
  if (out && now - last_seen > p_.touch_every_ms) {
    db_.WriteAsync([county = out->county_id, h, now](db::Conn& c) {
      c.Exec("UPDATE sessions SET last_seen_at = $3 WHERE county_id = $1 AND token_hash = $2",
             {county, h, now});
    });
  }
  return out;
}

void SessionStore::Revoke(db::Conn& c, const std::string& token_hash) {
  c.Exec("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
         {token_hash, clock_.NowMs()});
}

void SessionStore::RevokeAllFor(db::Conn& c, const std::string& county_id,
                                const std::string& account_id) {
  c.Exec(
      "UPDATE sessions SET revoked_at = $3 WHERE county_id = $1 AND account_id = $2 AND "
      "revoked_at IS NULL",
      {county_id, account_id, clock_.NowMs()});
}

void LoginLimiter::Check(db::Conn& c, const std::string& county_id, const std::string& account_key,
                         const std::string& ip) {
  int64_t now = clock_.NowMs();
  {
    std::lock_guard lk(mu_);
    auto& q = ip_failures_[ip];
    while (!q.empty() && q.front() <= now - l_.ip_window_ms) q.pop_front();
    if (static_cast<int>(q.size()) >= l_.per_ip)
      throw Error(ErrorCode::kRateLimited,
                  "Too many failed sign-ins from this address; try again in 15 minutes");
  }
  auto r = c.One(
      "SELECT COUNT(*) FROM login_failures WHERE county_id = $1 AND account_key = $2 AND at > $3",
      {county_id, account_key, now - l_.account_window_ms});
  if (r && r->Int(0) >= l_.per_account)
    throw Error(ErrorCode::kRateLimited,
                "Too many failed sign-ins for this account; try again in 15 minutes");
}

void LoginLimiter::RecordFailure(db::Conn& c, const std::string& county_id,
                                 const std::string& account_key, const std::string& ip) {
  int64_t now = clock_.NowMs();
  c.Exec(
      "INSERT INTO login_failures (county_id, account_key, at, source_ip) VALUES ($1, $2, $3, $4)",
      {county_id, account_key, now, ip});
  std::lock_guard lk(mu_);
  ip_failures_[ip].push_back(now);
}

void LoginLimiter::RecordSuccess(db::Conn& c, const std::string& county_id,
                                 const std::string& account_key) {
  c.Exec("DELETE FROM login_failures WHERE county_id = $1 AND account_key = $2",
         {county_id, account_key});
}

}  // namespace sx::auth
