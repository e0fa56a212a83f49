// The requests module's wiring: its service, routes, and a worker that runs the clock
// (escalation, auto-confirmation, follow-ups) every few seconds. Owned by the app.
#pragma once
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/http/router.h"
#include "modules/requests/open311.h"
#include "modules/requests/service.h"

namespace sx::requests {

class RequestsModule {
 public:
  RequestsModule(db::Database& db, files::Store& files, events::Hub* hub, const util::Clock& clock);
  ~RequestsModule();
  RequestsService& service() { return service_; }
  void RegisterRoutes(http::Router& r);
  void StartWorker();
  void StopWorker();

 private:
  files::Store& files_;
  RequestsService service_;
  Open311 open311_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread worker_;
};

}  // namespace sx::requests
