// The notices module's wiring: its service, its routes, and a background worker that publishes
// scheduled notices when due and hands pending SMS batches to the gateway. Owned by the app.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/http/router.h"
#include "modules/notices/service.h"

namespace sx::notices {

class NoticesModule {
 public:
  NoticesModule(db::Database& db, const auth::Protector& pii, files::Store& files, events::Hub* hub,
                sms::Gateway& sms, const util::Clock& clock, ServiceOptions opts = {});
  ~NoticesModule();
  NoticesService& service() { return service_; }
  void RegisterRoutes(http::Router& r);
  // Starts the background worker (serve only; tests drive PublishDue directly). Idempotent.
  void StartWorker();
  void StopWorker();

 private:
  db::Database& db_;
  NoticesService service_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread worker_;
};

}  // namespace sx::notices
