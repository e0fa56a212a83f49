// The meetings module's wiring: its service, routes, the room WebSocket endpoint, and a worker
// that records room presence (every 200 ms) and runs the clock (reminders, ending meetings,
// overdue actions, every 5 s). Owned by the app.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "core/http/router.h"
#include "core/ws/socket.h"
#include "modules/meetings/service.h"

namespace sx::meetings {

class MeetingsModule {
 public:
  MeetingsModule(db::Database& db, notices::NoticesService& notices, events::Hub* hub,
                 const util::Clock& clock, ServiceOptions opts);
  ~MeetingsModule();
  MeetingsService& service() { return service_; }
  void RegisterRoutes(http::Router& r);
  // The room endpoint at /api/v1/meetings/{id}/room. `authenticate` returns the caller (null
  // when not signed in) and refuses cross-site cookie handshakes.
  ws::SocketEndpoint Socket(
      std::function<std::optional<perm::Principal>(const http::Request&)> authenticate);
  void StartWorker();
  void StopWorker();

 private:
  const util::Clock& clock_;
  MeetingsService service_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread worker_;
};

}  // namespace sx::meetings
