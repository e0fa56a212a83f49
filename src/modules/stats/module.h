// The stats module's wiring: the dashboard service, its routes, a hub tap that sees every live
// event, and a worker that announces `stats.changed` (every 500 ms at most). Owned by the app.
#pragma once
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/http/router.h"
#include "modules/stats/service.h"

namespace sx::stats {

class StatsModule {
 public:
  StatsModule(db::Database& db, org::OrgService& org, notices::NoticesService& notices,
              requests::RequestsService& requests, meetings::MeetingsService& meetings,
              docs::DocsService& docs, events::Hub* hub, const util::Clock& clock);
  ~StatsModule();
  StatsService& service() { return service_; }
  void RegisterRoutes(http::Router& r);
  void StartWorker();
  void StopWorker();

 private:
  StatsService service_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread worker_;
};

}  // namespace sx::stats
