#include "core/ws/live.h"

#include <boost/json.hpp>

namespace sx::ws {

std::string EventFrame(const events::Event& e) {
  std::string out;
  out.reserve(64 + e.type.size() + e.payload.size());
  out += R"({"type":"event","seq":)";
  out += std::to_string(e.seq);
  out += R"(,"event":)";
  out += boost::json::serialize(boost::json::string(e.type));
  out += R"(,"data":)";
  out += e.payload.empty() ? "{}" : e.payload;
  out += '}';
  return out;
}

namespace {

// One rendered frame per event, shared by every session it reaches. The hub delivers from its
// single dispatcher thread, so a thread-local memo of the last event suffices.
std::shared_ptr<const std::string> SharedFrame(const std::shared_ptr<const events::Event>& e) {
  thread_local std::weak_ptr<const events::Event> last;
  thread_local std::shared_ptr<const std::string> frame;
  if (last.lock() != e) {
    last = e;
    frame = std::make_shared<const std::string>(EventFrame(*e));
  }
  return frame;
}

class LiveHandler : public SocketHandler {
 public:
  LiveHandler(events::Hub& hub, LiveTarget target, int64_t since)
      : hub_(hub), target_(std::move(target)), since_(since) {}

  void OnOpen(const std::shared_ptr<Peer>& peer) override {
    std::weak_ptr<Peer> weak = peer;
    auto s = hub_.Subscribe(
        target_.county_id, target_.keys,
        [weak](const std::shared_ptr<const events::Event>& e) {
          if (auto p = weak.lock()) p->Send(SharedFrame(e));
        },
        since_);
    sub_ = std::move(s.sub);
    peer->Send(R"({"type":"hello","seq":)" + std::to_string(s.head) + "}");
    if (s.reset) peer->Send(std::string(R"({"type":"reset"})"));
    for (auto& e : s.missed) peer->Send(EventFrame(e));
    peer_ = peer;
  }

  void OnMessage(std::string_view msg) override {
    if (msg.find(R"("ping")") != std::string_view::npos)
      if (auto p = peer_.lock()) p->Send(std::string(R"({"type":"pong"})"));
  }

  void OnClose() override { sub_.reset(); }

 private:
  events::Hub& hub_;
  LiveTarget target_;
  int64_t since_;
  std::weak_ptr<Peer> peer_;
  std::unique_ptr<events::Hub::Subscription> sub_;
};

}  // namespace

SocketEndpoint Socket(LiveEndpoint ep) {
  SocketEndpoint out;
  out.name = "live";
  out.match = [path = ep.path](std::string_view p) { return p == path; };
  out.limits.max_frame = 4096;
  out.limits.max_queue = 512;
  out.accept = [ep = std::move(ep)](const http::Request& req) -> std::unique_ptr<SocketHandler> {
    LiveTarget target = ep.authorize(req);
    int64_t since = -1;
    if (auto s = req.QueryParam("since")) {
      try {
        since = std::stoll(*s);
      } catch (...) {
        since = -1;
      }
    }
    return std::make_unique<LiveHandler>(*ep.hub, std::move(target), since);
  };
  return out;
}

}  // namespace sx::ws
