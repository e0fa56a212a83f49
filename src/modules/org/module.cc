#include "modules/org/module.h"

namespace sx::org {

OrgModule::OrgModule(db::Database& db, const auth::Protector& pii, auth::PasswordHasher& hasher,
                     const util::Clock& clock)
    : sessions_(db, clock), limiter_(clock) {
  service_ = std::make_unique<OrgService>(db, pii, hasher, sessions_, limiter_, clock, pinyin_);
  // Sessions or grants changed on this instance: forget the cached principals concerned.
  service_->OnAccessChanged([this](const std::string& account_id) {
    std::lock_guard lk(cache_mu_);
    std::erase_if(cache_, [&](auto& kv) { return kv.second.principal->account_id == account_id; });
  });
}

std::shared_ptr<const perm::Principal> OrgModule::Resolve(const std::string& token,
                                                          bool via_cookie) {
  std::string key = auth::SessionStore::HashToken(token) + (via_cookie ? "c" : "b");
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lk(cache_mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires > now) return it->second.principal;
  }
  auto p = service_->PrincipalForToken(token, via_cookie);
  if (!p) return nullptr;
  auto shared = std::make_shared<const perm::Principal>(std::move(*p));
  std::lock_guard lk(cache_mu_);
  if (cache_.size() > 100000) cache_.clear();
  cache_[key] = {shared, now + kPrincipalTtl};
  return shared;
}

std::shared_ptr<const perm::Principal> OrgModule::Authenticate(const http::Request& req) {
  std::string_view authz = req.Header("authorization");
  if (authz.size() > 7 && authz.substr(0, 7) == "Bearer ")
    return Resolve(std::string(authz.substr(7)), false);
  auto cookie = req.Cookie(req.tls ? "__Host-sid" : "sid");
  if (cookie) return Resolve(*cookie, true);
  return nullptr;
}

}  // namespace sx::org
