#include "core/http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <mutex>
#include <thread>

#include "core/http/message.h"
#include "core/http/metrics.h"
#include "core/http/router.h"
#include "core/http/static_files.h"
#include "core/log/log.h"
#include "core/ws/session.h"

namespace sx::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

struct Server::Impl {
  ServerOptions opts;
  const Router& router;
  Metrics& metrics;
  const StaticSite* site;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  std::vector<ws::SocketEndpoint> sockets;
  ws::Registry live_sessions;  // declared before ioc: sessions die with the loop, before this
  std::atomic<bool> draining{false};
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> connections{0};
  std::thread drainer;  // started by Stop(), joined by ~Server

  // Live connections, so a stop can close the idle ones.
  struct Conn {
    beast::tcp_stream* stream;
    asio::any_io_executor ex;
    std::atomic<bool> busy{false};
  };
  std::mutex conns_mu;
  std::list<std::shared_ptr<Conn>> conns;

  Impl(ServerOptions o, const Router& r, Metrics& m, const StaticSite* s)
      : opts(std::move(o)),
        router(r),
        metrics(m),
        site(s),
        ioc(opts.io_threads > 0 ? opts.io_threads
                                : std::max(1u, std::thread::hardware_concurrency())),
        workers(opts.worker_threads),
        acceptor(ioc) {}

  awaitable<void> Accept() {
    for (;;) {
      auto [ec, sock] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
      if (ec) {
        if (draining || ec == asio::error::operation_aborted) co_return;
        continue;
      }
      if (connections.load() + live_sessions.size() >= static_cast<int64_t>(opts.max_connections)) {
        beast::error_code ignored;
        sock.close(ignored);
        continue;
      }
      // Frames and responses go out as soon as they are written: without this, a small frame
      // written right after another (a pong after a chat echo) waits for the peer's delayed ACK.
      beast::error_code ignored;
      sock.set_option(tcp::no_delay(true), ignored);
      auto ex = sock.get_executor();
      asio::co_spawn(ex, Session(beast::tcp_stream(std::move(sock))), asio::detached);
    }
  }

  static Request Convert(bhttp::request<bhttp::string_body>&& m, const std::string& ip) {
    Request r = ConvertHeader(m, ip);
    r.body = std::move(m.body());
    return r;
  }

  static Request ConvertHeader(const bhttp::request<bhttp::string_body>& m, const std::string& ip) {
    Request r;
    r.method = std::string(m.method_string());
    r.target = std::string(m.target());
    auto q = r.target.find('?');
    r.path = PercentDecode(std::string_view(r.target).substr(0, q));
    if (q != std::string::npos) r.query = r.target.substr(q + 1);
    r.headers.reserve(16);
    for (auto& f : m) {
      std::string name(f.name_string());
      for (char& c : name)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      r.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    r.remote_ip = ip;
    return r;
  }

  static void ApplyProxyHeaders(Request& r) {
    r.tls = r.Header("x-forwarded-proto") == "https";
    std::string_view xff = r.Header("x-forwarded-for");
    if (!xff.empty()) {
      auto comma = xff.rfind(',');
      std::string_view last = comma == std::string_view::npos ? xff : xff.substr(comma + 1);
      while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
      if (!last.empty() && last.size() <= 45) r.remote_ip = std::string(last);
    }
  }

  static bhttp::response<bhttp::string_body> ToBeast(Response&& r, unsigned version,
                                                     bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::server, "shuxiang");
    if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res.insert(k, v);
    size_t len = r.body.size();
    res.body() = std::move(r.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (head) {
      res.body().clear();
      res.content_length(len);
    }
    return res;
  }

  awaitable<bool> Write(beast::tcp_stream& stream, Response&& r, unsigned version, bool keep_alive,
                        bool head) {
    auto res = ToBeast(std::move(r), version, keep_alive, head);
    stream.expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await bhttp::async_write(stream, res, kTuple);
    co_return !ec;
  }

  awaitable<void> Session(beast::tcp_stream stream) {
    ++connections;
    auto conn = std::make_shared<Conn>();
    conn->stream = &stream;
    conn->ex = stream.get_executor();
    std::list<std::shared_ptr<Conn>>::iterator self;
    {
      std::lock_guard lk(conns_mu);
      conns.push_front(conn);
      self = conns.begin();
    }
    std::string ip;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) ip = ep.address().to_string();
    }
    beast::flat_buffer buf;
    bool first = true;
    bool upgraded = false;
    while (!draining) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
      parser.body_limit(boost::none);  // checked per route below, before any body is read
      stream.expires_after(first ? opts.header_timeout : opts.idle_timeout);
      first = false;
      auto [ec, n] = co_await bhttp::async_read_header(stream, buf, parser, kTuple);
      if (ec == bhttp::error::header_limit) {
        co_await Write(stream,
                       Response::Problem(431, "Request Header Fields Too Large",
                                         "Request headers exceed the limit"),
                       11, false, false);
        break;
      }
      if (ec) {
        if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
            ec != asio::error::operation_aborted && ec != asio::error::connection_reset && n > 0) {
          co_await Write(stream, Response::Problem(400, "Bad Request", "Malformed HTTP request"),
                         11, false, false);
        }
        break;
      }
      conn->busy = true;
      ++in_flight;
      auto start = std::chrono::steady_clock::now();
      auto& hdr = parser.get();
      unsigned version = hdr.version();
      bool keep_alive = hdr.keep_alive();
      std::string method(hdr.method_string());
      std::string target(hdr.target());
      std::string_view path_only = std::string_view(target).substr(0, target.find('?'));
      bool api = path_only.rfind("/api/", 0) == 0 || path_only == "/metrics" ||
                 path_only.rfind("/open311/", 0) == 0;
      if (beast::websocket::is_upgrade(hdr) && parser.is_done()) {
        const ws::SocketEndpoint* ep = nullptr;
        for (auto& e : sockets)
          if (e.match(path_only)) ep = &e;
        if (ep) {
          upgraded = co_await Upgrade(stream, parser.release(), ip, *ep);
          --in_flight;
          break;
        }
      }
      Match match;
      if (api) match = router.Find(method, PercentDecode(path_only));
      size_t body_limit = match.route ? match.route->body_limit : (1 << 20);
      auto len = parser.content_length();
      bool fail = false;
      if (len && *len > body_limit) {
        co_await Write(
            stream,
            Response::Problem(413, "Content Too Large",
                              "The request body exceeds " + std::to_string(body_limit) + " bytes"),
            version, false, false);
        fail = true;
      } else if (!parser.is_done()) {
        parser.body_limit(body_limit);
        // A client that asked (curl does for bodies over 1 KiB) waits for this before sending.
        if (beast::iequals(hdr[bhttp::field::expect], "100-continue")) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
          auto [ec3, n3] = co_await bhttp::async_write(stream, cont, kTuple);
          if (ec3) {
            --in_flight;
            break;
          }
        }
        // Read a large body in large pieces (the buffer otherwise grows 512 bytes per read).
        if (len && *len > 16 * 1024)
          buf.reserve(static_cast<size_t>(std::min<uint64_t>(*len + 4096, 1 << 20)));
        size_t expect = len ? static_cast<size_t>(*len) : body_limit;
        stream.expires_after(std::chrono::seconds(10 + expect / opts.min_body_rate));
        auto [ec2, n2] = co_await bhttp::async_read(stream, buf, parser, kTuple);
        if (ec2 == bhttp::error::body_limit) {
          co_await Write(
              stream, Response::Problem(413, "Content Too Large", "The request body is too large"),
              version, false, false);
          fail = true;
        } else if (ec2) {
          fail = true;
        }
      }
      if (fail) {
        --in_flight;
        co_await DiscardInput(stream);
        break;
      }
      Request req = Convert(parser.release(), ip);
      if (opts.trust_proxy && (ip.rfind("127.", 0) == 0 || ip == "::1")) ApplyProxyHeaders(req);
      Response res;
      size_t metric = metrics.UnmatchedIndex();
      if (match.route) {
        metric = match.route->metrics_index;
        bool read = req.method == "GET" || req.method == "HEAD";
        if (match.route->blocking && !(opts.inline_reads && read && match.route->inline_read)) {
          std::optional<Response> fast;
          if (match.route->inline_first) {
            try {
              fast = router.Dispatch(req, match, /*inline_attempt=*/true);
            } catch (const RunOnWorker&) {
            }
          }
          if (fast)
            res = std::move(*fast);
          else
            res = co_await asio::co_spawn(
                workers, [&]() -> awaitable<Response> { co_return router.Dispatch(req, match); },
                use_awaitable);
        } else {
          res = router.Dispatch(req, match);
        }
      } else if (api) {
        res = match.path_matched
                  ? Response::Problem(405, "Method Not Allowed", "Method not allowed")
                  : Response::Problem(404, "Not Found", "No such resource");
      } else if (site && (req.method == "GET" || req.method == "HEAD")) {
        metric = metrics.StaticIndex();
        auto s = site->Serve(req);
        res = s ? std::move(*s) : Response::Problem(404, "Not Found", "No such page");
      } else {
        res = Response::Problem(404, "Not Found", "No such resource");
      }
      int status = res.status;
      size_t bytes = res.body.size();
      bool ok = co_await Write(stream, std::move(res), version, keep_alive && !draining,
                               req.method == "HEAD");
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      metrics.Record(metric, status, ms);
      if (log::AccessLogOn())
        log::Info("access {} \"{} {}\" {} {} {:.2f}ms", ip, req.method, req.path, status, bytes,
                  ms);
      conn->busy = false;
      --in_flight;
      if (buf.capacity() > 64 * 1024 && buf.size() == 0) buf.shrink_to_fit();  // idle: stay small
      if (!ok || !keep_alive) break;
    }
    if (!upgraded) {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    {
      std::lock_guard lk(conns_mu);
      conns.erase(self);
    }
    --connections;
  }

  // After refusing a request whose body is still arriving (413), half-close and read the rest
  // for a moment, so the client gets to read the answer instead of a connection reset.
  awaitable<void> DiscardInput(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::vector<char> scratch(64 * 1024);
    size_t total = 0;
    stream.expires_after(std::chrono::seconds(3));
    while (total < (64u << 20)) {
      auto [rec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
      if (rec) break;
      total += n;
    }
  }

  // A WebSocket upgrade at a message endpoint: authorise on the worker pool, then hand the
  // connection to a ws::Session. Returns whether the stream was handed over.
  awaitable<bool> Upgrade(beast::tcp_stream& stream, bhttp::request<bhttp::string_body> msg,
                          const std::string& ip, const ws::SocketEndpoint& ep) {
    Request req = ConvertHeader(msg, ip);
    if (opts.trust_proxy && (ip.rfind("127.", 0) == 0 || ip == "::1")) ApplyProxyHeaders(req);
    std::unique_ptr<ws::SocketHandler> handler;
    Response deny;
    co_await asio::co_spawn(
        workers,
        [&]() -> awaitable<void> {
          try {
            handler = ep.accept(req);
          } catch (...) {
            deny = ProblemFromCurrentException(req.Header("accept-language"));
          }
          co_return;
        },
        use_awaitable);
    if (log::AccessLogOn())
      log::Info("access {} \"GET {}\" {} upgrade", ip, req.path, handler ? 101 : deny.status);
    if (!handler || draining) {
      if (handler) deny = Response::Problem(503, "Service Unavailable", "Shutting down");
      co_await Write(stream, std::move(deny), msg.version(), false, false);
      co_return false;
    }
    ws::Start(std::move(stream), std::move(msg), ep.limits, std::move(handler), live_sessions);
    co_return true;
  }

  void CloseIdle() {
    std::lock_guard lk(conns_mu);
    for (auto& c : conns) {
      asio::post(c->ex, [c] {
        if (!c->busy) c->stream->expires_after(std::chrono::seconds(0));
      });
    }
  }
};

Server::Server(ServerOptions opts, const Router& router, Metrics& metrics, const StaticSite* site)
    : impl_(std::make_unique<Impl>(std::move(opts), router, metrics, site)) {
  metrics.AddGauge("shuxiang_http_connections", "Open client connections.",
                   [this] { return static_cast<double>(impl_->connections.load()); });
  metrics.AddGauge("shuxiang_ws_connections", "Open live-event WebSockets.",
                   [this] { return static_cast<double>(impl_->live_sessions.size()); });
  metrics.AddGauge("shuxiang_http_in_flight", "Requests being handled.",
                   [this] { return static_cast<double>(impl_->in_flight.load()); });
}

Server::~Server() {
  if (impl_->drainer.joinable()) impl_->drainer.join();
  impl_->workers.join();
}

void Server::Listen() {
  auto addr = asio::ip::make_address(impl_->opts.host);
  tcp::endpoint ep(addr, impl_->opts.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
}

void Server::SetLive(ws::LiveEndpoint ep) { impl_->sockets.push_back(ws::Socket(std::move(ep))); }

void Server::AddSocket(ws::SocketEndpoint ep) { impl_->sockets.push_back(std::move(ep)); }

int64_t Server::live_sessions() const { return impl_->live_sessions.size(); }

uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run(bool handle_signals) {
  Impl& s = *impl_;
  asio::signal_set signals(s.ioc);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](const boost::system::error_code& ec, int) {
      if (!ec) Stop();
    });
  }
  asio::co_spawn(s.ioc, s.Accept(), asio::detached);
  int n = s.opts.io_threads > 0
              ? s.opts.io_threads
              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([&] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  Impl& s = *impl_;
  if (s.draining.exchange(true)) return;
  log::Info("stopping: draining {} in-flight request(s)", s.in_flight.load());
  asio::post(s.ioc, [&s] {
    boost::system::error_code ec;
    s.acceptor.close(ec);
  });
  s.CloseIdle();
  s.live_sessions.CloseAll();
  // Wait for the drain off the I/O threads, then stop the loop.
  s.drainer = std::thread([&s] {
    auto deadline = std::chrono::steady_clock::now() + s.opts.drain_timeout;
    while ((s.in_flight.load() > 0 || s.connections.load() > 0) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      s.CloseIdle();
    }
    s.ioc.stop();
  });
}

}  // namespace sx::http
