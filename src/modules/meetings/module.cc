#include "modules/meetings/module.h"

#include "core/log/log.h"
#include "core/util/error.h"

namespace sx::meetings {

MeetingsModule::MeetingsModule(db::Database& db, notices::NoticesService& notices, events::Hub* hub,
                               const util::Clock& clock, ServiceOptions opts)
    : clock_(clock), service_(db, notices, hub, clock, std::move(opts)) {}

MeetingsModule::~MeetingsModule() { StopWorker(); }

ws::SocketEndpoint MeetingsModule::Socket(
    std::function<std::optional<perm::Principal>(const http::Request&)> authenticate) {
  ws::SocketEndpoint ep;
  ep.name = "meeting-room";
  ep.match = [](std::string_view p) {
    constexpr std::string_view pre = "/api/v1/meetings/", post = "/room";
    return p.size() > pre.size() + post.size() && p.starts_with(pre) && p.ends_with(post) &&
           p.substr(pre.size(), p.size() - pre.size() - post.size()).find('/') ==
               std::string_view::npos;
  };
  // An SDP offer of eight peers' worth of codecs fits in 64 KiB; a burst of ICE candidates at
  // the start of a mesh call stays under 200 frames.
  ep.limits.max_frame = 64 * 1024;
  ep.limits.per_second = 50;
  ep.limits.burst = 200;
  ep.limits.max_queue = 1024;
  ep.accept = [this, authenticate = std::move(authenticate)](const http::Request& req) {
    auto who = authenticate(req);
    if (!who) throw Error(ErrorCode::kUnauthenticated, "Sign in first");
    constexpr size_t pre = std::string_view("/api/v1/meetings/").size();
    std::string id = req.path.substr(pre, req.path.size() - pre - 5);
    return service_.JoinRoom(*who, id);
  };
  return ep;
}

void MeetingsModule::StartWorker() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] {
    for (int n = 0;; ++n) {
      {
        std::unique_lock lk(mu_);
        cv_.wait_for(lk, std::chrono::milliseconds(200), [this] { return stop_; });
        if (stop_) break;
      }
      try {
        if (n % 25 == 0)
          service_.Tick();
        else
          service_.FlushPresence();
      } catch (const std::exception& e) {
        log::Warn("meetings worker: {}", e.what());
      }
    }
    service_.FlushPresence();
  });
}

void MeetingsModule::StopWorker() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace sx::meetings
