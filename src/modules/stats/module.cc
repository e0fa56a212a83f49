#include "modules/stats/module.h"

#include "core/log/log.h"

namespace sx::stats {

StatsModule::StatsModule(db::Database& db, org::OrgService& org, notices::NoticesService& notices,
                         requests::RequestsService& requests, meetings::MeetingsService& meetings,
                         docs::DocsService& docs, events::Hub* hub, const util::Clock& clock)
    : service_(db, org, notices, requests, meetings, docs, hub, clock) {
  if (hub) hub->Tap([this](const events::Event& e) { service_.OnEvent(e); });
}

StatsModule::~StatsModule() { StopWorker(); }

void StatsModule::StartWorker() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lk(mu_);
        cv_.wait_for(lk, std::chrono::milliseconds(500), [this] { return stop_; });
        if (stop_) break;
      }
      try {
        service_.Tick();
      } catch (const std::exception& e) {
        log::Warn("stats worker: {}", e.what());
      }
    }
  });
}

void StatsModule::StopWorker() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace sx::stats
