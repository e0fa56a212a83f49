// The HTTP/1.1 server on Boost.Beast/Asio: one I/O thread per core, keep-alive, C++20 coroutine
// sessions. Handlers that may block (database, hashing) run on a separate worker pool so the I/O
// threads keep accepting and parsing. Limits: header size (431), body size (413, refused from
// Content-Length before reading), header/idle timeouts and a minimum body rate against slow
// clients. Stop() drains: stops accepting, closes idle connections, lets in-flight requests finish
// (up to drain_timeout), then Run() returns.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/ws/live.h"

namespace sx::http {

class Router;
class Metrics;
class StaticSite;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: pick a free port (see Server::port())
  int io_threads = 0;    // 0: one per core
  int worker_threads = 32;
  size_t header_limit = 8 * 1024;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds idle_timeout{30};
  size_t min_body_rate = 16 * 1024;  // bytes/s a client must sustain while sending a body
  std::chrono::seconds drain_timeout{20};
  size_t max_connections = 16000;  // HTTP connections and live WebSockets together
  // Run GET/HEAD handlers on the I/O thread instead of the worker pool. Right for an embedded
  // SQLite database, whose reads take microseconds and never wait on a network (GET never
  // changes state; a session's last-seen update is queued, not awaited). Wrong for PostgreSQL.
  bool inline_reads = false;
  // Behind a TLS-terminating proxy on loopback: take the scheme from X-Forwarded-Proto (so session
  // cookies become Secure and __Host-) and the client address from the last X-Forwarded-For hop,
  // but only for connections from 127.0.0.0/8 or ::1.
  bool trust_proxy = false;
};

class Server {
 public:
  Server(ServerOptions opts, const Router& router, Metrics& metrics, const StaticSite* site);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Accepts live-event WebSockets at ep.path (call before Run).
  void SetLive(ws::LiveEndpoint ep);
  // Accepts message WebSockets at the paths ep.match accepts (call before Run).
  void AddSocket(ws::SocketEndpoint ep);
  int64_t live_sessions() const;
  // Binds and listens; throws on failure. After this, port() is the bound port.
  void Listen();
  uint16_t port() const;
  // Serves until Stop() (or SIGINT/SIGTERM when handle_signals) and the drain completes.
  void Run(bool handle_signals);
  // Begins a graceful stop. Thread-safe, idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sx::http
