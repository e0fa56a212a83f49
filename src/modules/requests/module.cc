#include "modules/requests/module.h"

#include "core/log/log.h"

namespace sx::requests {

RequestsModule::RequestsModule(db::Database& db, files::Store& files, events::Hub* hub,
                               const util::Clock& clock)
    : files_(files), service_(db, files, hub, clock), open311_(db, service_, clock) {}

RequestsModule::~RequestsModule() { StopWorker(); }

void RequestsModule::StartWorker() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lk(mu_);
        cv_.wait_for(lk, std::chrono::seconds(5), [this] { return stop_; });
        if (stop_) return;
      }
      try {
        service_.Tick();
      } catch (const std::exception& e) {
        log::Warn("requests worker: {}", e.what());
      }
    }
  });
}

void RequestsModule::StopWorker() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace sx::requests
