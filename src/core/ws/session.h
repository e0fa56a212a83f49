// Live-event WebSocket sessions (Beast). Internal to core: only server.cc includes this header.
//
// Protocol (JSON text frames). Server → client: {"type":"hello","seq":N} once, then
// {"type":"event",...} frames (ws::EventFrame), {"type":"reset"} when the client asked to resume
// from a seq the log no longer holds, {"type":"pong"} for a ping. Client → client: {"type":"ping"}.
// The client resumes with ?since=<last seq seen>. Missed events come first, then live ones, with
// no gap and no duplicate (see events::Hub::Subscribe).
//
// Limits: client messages ≤ 4 KiB; transport pings every 30 s of silence and a close after 60 s
// without an answer; a client that falls 512 frames behind is disconnected (it resumes later).
#pragma once
#include <atomic>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>

#include "core/ws/live.h"

namespace sx::ws {

class Session;

// The sessions of one server, so a stop can close them all.
class Registry {
 public:
  void Add(const std::shared_ptr<Session>& s);
  void Remove(Session* s);
  void CloseAll();
  int64_t size() const { return count_.load(); }

 private:
  std::mutex mu_;
  std::list<std::weak_ptr<Session>> sessions_;  // guarded by mu_
  std::atomic<int64_t> count_{0};
  friend class Session;
};

// Takes over an upgraded connection: completes the handshake and serves until either side closes.
void Start(boost::beast::tcp_stream stream,
           boost::beast::http::request<boost::beast::http::string_body> req, events::Hub& hub,
           LiveTarget target, int64_t since, Registry& registry);

}  // namespace sx::ws
