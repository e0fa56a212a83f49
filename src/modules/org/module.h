// The org module's wiring: builds its service from core pieces, authenticates requests from
// sessions, and registers its routes. Owned by the app; lives as long as the server.
#pragma once
#include <memory>

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
  std::optional<perm::Principal> Authenticate(const http::Request& req) override;

 private:
  Pinyin pinyin_;
  auth::SessionStore sessions_;
  auth::LoginLimiter limiter_;
  std::unique_ptr<OrgService> service_;
};

}  // namespace sx::org
