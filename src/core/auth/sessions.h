// Sessions: 128-bit random tokens, stored only as a hash; idle and absolute expiry; revocation.
// Login limits: at most 5 failed logins per account per 15 minutes (kept in the database, so they
// hold across instances and restarts) and a per-address limit kept in memory.
// Thread-safe.
#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/db/db.h"
#include "core/util/clock.h"

namespace sx::auth {

struct SessionPolicy {
  int64_t idle_ms = 2LL * 3600 * 1000;           // 2 hours without use
  int64_t absolute_ms = 7LL * 24 * 3600 * 1000;  // 7 days at most
  int64_t touch_every_ms = 60 * 1000;            // how stale last_seen may get before a write
};

struct Session {
  std::string county_id;
  std::string account_id;
  std::string token_hash;
  std::string csrf_token;
};

struct NewSession {
  std::string token;  // give to the client once; never stored
  std::string csrf_token;
  int64_t expires_at_ms;
};

class SessionStore {
 public:
  SessionStore(db::Database& db, const util::Clock& clock, SessionPolicy p = {})
      : db_(db), clock_(clock), p_(p) {}
  // Inside the caller's write transaction (so login + audit commit together).
  NewSession Create(db::Conn& c, const std::string& county_id, const std::string& account_id);
  // A live session for this token, or nullopt (expired, revoked, unknown).
  std::optional<Session> Lookup(const std::string& token);
  void Revoke(db::Conn& c, const std::string& token_hash);
  void RevokeAllFor(db::Conn& c, const std::string& county_id, const std::string& account_id);
  static std::string HashToken(const std::string& token);

 private:
  db::Database& db_;
  const util::Clock& clock_;
  SessionPolicy p_;
};

struct LoginLimits {
  int per_account = 5;
  int64_t account_window_ms = 15 * 60 * 1000;
  int per_ip = 30;
  int64_t ip_window_ms = 15 * 60 * 1000;
};

class LoginLimiter {
 public:
  LoginLimiter(const util::Clock& clock, LoginLimits l = {}) : clock_(clock), l_(l) {}
  // Throws kRateLimited if this account or address has failed too often recently.
  void Check(db::Conn& c, const std::string& county_id, const std::string& account_key,
             const std::string& ip);
  void RecordFailure(db::Conn& c, const std::string& county_id, const std::string& account_key,
                     const std::string& ip);
  void RecordSuccess(db::Conn& c, const std::string& county_id, const std::string& account_key);

 private:
  const util::Clock& clock_;
  LoginLimits l_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> ip_failures_;  // guarded by mu_
};

}  // namespace sx::auth
