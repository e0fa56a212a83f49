// Message WebSockets seen by modules, without Beast: an endpoint names the paths it serves, the
// limits of its frames, and how to accept a connection (authorise it and make its handler). The
// server runs accept on the worker pool; a thrown sx::Error refuses the upgrade with that HTTP
// problem. Session mechanics (handshake, keep-alive pings, the write queue, limits) are in
// session.cc.
//
// Contract for handlers: OnOpen comes first, then OnMessage for each frame in order (never
// concurrently), then OnClose exactly once — whoever closed. Peer::Send and Peer::Close may be
// called from any thread, before or after the socket closed (then they do nothing).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/http/message.h"

namespace sx::ws {

// Close codes shared by endpoints (RFC 6455 private range 4000–4999 for application codes).
inline constexpr uint16_t kCloseTooBig = 1009;       // a frame over SocketLimits::max_frame
inline constexpr uint16_t kCloseTryLater = 1013;     // fell too far behind on reading
inline constexpr uint16_t kCloseBadFrame = 4400;     // not a frame this endpoint understands
inline constexpr uint16_t kCloseTooFrequent = 4429;  // over SocketLimits' rate

class Peer {
 public:
  virtual ~Peer() = default;
  virtual void Send(std::shared_ptr<const std::string> frame) = 0;
  void Send(std::string frame) { Send(std::make_shared<const std::string>(std::move(frame))); }
  virtual void Close(uint16_t code, std::string reason) = 0;
};

class SocketHandler {
 public:
  virtual ~SocketHandler() = default;
  virtual void OnOpen(const std::shared_ptr<Peer>& peer) = 0;
  virtual void OnMessage(std::string_view text) = 0;
  virtual void OnClose() = 0;
};

struct SocketLimits {
  size_t max_frame = 4096;  // bytes of one client frame; more closes with kCloseTooBig
  // Client frames: a token bucket of `burst` refilled at `per_second`; empty closes with
  // kCloseTooFrequent. 0 disables.
  double per_second = 0, burst = 0;
  size_t max_queue = 512;  // server frames waiting to be written; more closes with kCloseTryLater
  bool binary = false;     // server frames are sent as binary frames (else text); client frames
                           // of either kind reach OnMessage as bytes
};

struct SocketEndpoint {
  std::string name;                                  // for logs and metrics
  std::function<bool(std::string_view path)> match;  // the upgrade paths it serves
  SocketLimits limits;
  std::function<std::unique_ptr<SocketHandler>(const http::Request&)> accept;
};

}  // namespace sx::ws
