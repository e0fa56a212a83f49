#include "modules/docs/module.h"

#include "core/util/error.h"

namespace sx::docs {

DocsModule::DocsModule(db::Database& db, notices::NoticesService& notices, files::Store& files,
                       const auth::Protector& pii, events::Hub* hub, const util::Clock& clock,
                       ServiceOptions opts)
    : clock_(clock), service_(db, notices, files, pii, hub, clock, opts) {}

DocsModule::~DocsModule() { Stop(); }

ws::SocketEndpoint DocsModule::Socket(
    std::function<std::optional<perm::Principal>(const http::Request&)> authenticate) {
  ws::SocketEndpoint ep;
  ep.name = "yjs";
  ep.match = [](std::string_view p) {
    constexpr std::string_view pre = "/yjs/";
    return p.size() > pre.size() && p.size() <= pre.size() + 64 && p.starts_with(pre) &&
           p.substr(pre.size()).find('/') == std::string_view::npos;
  };
  // A whole offline session's edits arrive as one SyncStep2; typing sends a few frames a second
  // per editor, cursor moves as many awareness frames, and scripted clients (imports) many more.
  ep.limits.max_frame = 2 * 1024 * 1024;
  ep.limits.per_second = 500;
  ep.limits.burst = 1000;
  ep.limits.max_queue = 4096;
  ep.limits.binary = true;
  ep.accept = [this, authenticate = std::move(authenticate)](
                  const http::Request& req) -> std::unique_ptr<ws::SocketHandler> {
    std::optional<perm::Principal> who;
    try {
      who = authenticate(req);
    } catch (const Error& e) {
      // A session cookie sent by another site's page: refused with a close code y-websocket
      // does not retry (a refused upgrade would be retried for ever).
      if (e.code() == ErrorCode::kForbidden)
        return SyncHub::Refuse(kCloseSyncForbidden, "cross-site request refused");
      throw;
    }
    return service_.Connect(who, req.path.substr(5));
  };
  return ep;
}

void DocsModule::Start() { service_.sync().Start(); }
void DocsModule::Stop() { service_.sync().Stop(); }

}  // namespace sx::docs
