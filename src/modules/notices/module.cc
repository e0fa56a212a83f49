#include "modules/notices/module.h"

#include "core/log/log.h"

namespace sx::notices {

NoticesModule::NoticesModule(db::Database& db, const auth::Protector& pii, files::Store& files,
                             events::Hub* hub, sms::Gateway& sms, const util::Clock& clock,
                             ServiceOptions opts)
    : db_(db), service_(db, pii, files, hub, sms, clock, opts) {}

NoticesModule::~NoticesModule() { StopWorker(); }

void NoticesModule::StartWorker() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lk(mu_);
        cv_.wait_for(lk, std::chrono::seconds(1), [this] { return stop_; });
        if (stop_) return;
      }
      try {
        service_.PublishDue();
        service_.SendPendingSms();
      } catch (const std::exception& e) {
        log::Warn("notices worker: {}", e.what());
      }
    }
  });
}

void NoticesModule::StopWorker() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace sx::notices
