// WebSocket sessions (Beast) for message endpoints (socket.h). Internal to core: only server.cc
// includes this header.
//
// Each session: handshake with a 20 s timeout, transport pings after 30 s of silence and a close
// after 60 s without an answer; client frames over the endpoint's max_frame close with 1009, over
// its rate with 4429; a client that falls max_queue frames behind is closed with 1013 (it
// reconnects and resumes).
#pragma once
#include <atomic>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>

#include "core/ws/socket.h"

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
           boost::beast::http::request<boost::beast::http::string_body> req,
           const SocketLimits& limits, std::unique_ptr<SocketHandler> handler, Registry& registry);

}  // namespace sx::ws
