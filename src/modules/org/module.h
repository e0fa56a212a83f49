// The org module's wiring: builds its service from core pieces, authenticates requests from
// sessions, and registers its routes. Owned by the app; lives as long as the server.
#pragma once
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/http/router.h"
#include "modules/org/service.h"

namespace sx::org {

class OrgModule final : public http::Authenticator {
 public:
  OrgModule(db::Database& db, const auth::Protector& pii, auth::PasswordHasher& hasher,
            const util::Clock& clock);
  OrgService& service() { return *service_; }
  const Pinyin& pinyin() const { return pinyin_; }
  void RegisterRoutes(http::Router& r);
  std::shared_ptr<const perm::Principal> Authenticate(const http::Request& req) override;

 private:
  // Resolved principals by session token hash, kept for kPrincipalTtl so that a busy client does
  // not cost three queries per request. Logout and grant changes on this instance evict at once;
  // on other instances (PostgreSQL deployments) they take effect within the TTL.
  static constexpr std::chrono::seconds kPrincipalTtl{2};
  struct Cached {
    std::shared_ptr<const perm::Principal> principal;
    std::chrono::steady_clock::time_point expires;
  };
  std::shared_ptr<const perm::Principal> Resolve(const std::string& token, bool via_cookie);
  std::mutex cache_mu_;
  std::unordered_map<std::string, Cached> cache_;  // guarded by cache_mu_

  Pinyin pinyin_;
  auth::SessionStore sessions_;
  auth::LoginLimiter limiter_;
  std::unique_ptr<OrgService> service_;
};

}  // namespace sx::org
