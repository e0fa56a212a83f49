#include "modules/org/module.h"

namespace sx::org {

OrgModule::OrgModule(db::Database& db, const auth::Protector& pii, auth::PasswordHasher& hasher,
                     const util::Clock& clock)
    : sessions_(db, clock), limiter_(clock) {
  service_ = std::make_unique<OrgService>(db, pii, hasher, sessions_, limiter_, clock, pinyin_);
}

std::optional<perm::Principal> OrgModule::Authenticate(const http::Request& req) {
  std::string_view authz = req.Header("authorization");
  if (authz.size() > 7 && authz.substr(0, 7) == "Bearer ")
    return service_->PrincipalForToken(std::string(authz.substr(7)), false);
  auto cookie = req.Cookie(req.tls ? "__Host-sid" : "sid");
  if (cookie) return service_->PrincipalForToken(*cookie, true);
  return std::nullopt;
}

}  // namespace sx::org
