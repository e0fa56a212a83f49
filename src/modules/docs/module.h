// The documents module's wiring: its service, routes, and the Yjs sync endpoint /yjs/{docId}
// (whose writer thread it starts and stops). Owned by the app.
#pragma once
#include <functional>
#include <optional>

#include "core/http/router.h"
#include "core/ws/socket.h"
#include "modules/docs/service.h"

namespace sx::docs {

class DocsModule {
 public:
  DocsModule(db::Database& db, notices::NoticesService& notices, files::Store& files,
             const auth::Protector& pii, events::Hub* hub, const util::Clock& clock,
             ServiceOptions opts = {});
  ~DocsModule();
  DocsService& service() { return service_; }
  void RegisterRoutes(http::Router& r);
  // The sync endpoint. `authenticate` returns the caller (null when not signed in) from the
  // `token` query parameter or the session cookie.
  ws::SocketEndpoint Socket(
      std::function<std::optional<perm::Principal>(const http::Request&)> authenticate);
  void Start();
  void Stop();

 private:
  const util::Clock& clock_;
  DocsService service_;
};

}  // namespace sx::docs
