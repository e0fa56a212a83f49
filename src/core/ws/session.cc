#include "core/ws/session.h"

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>

namespace sx::ws {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {
// The session whose handler is running on this thread: its own sends are queued in order at once
// instead of being posted behind frames other threads posted meanwhile.
thread_local const void* tl_running = nullptr;
}  // namespace

class Session : public Peer, public std::enable_shared_from_this<Session> {
 public:
  Session(beast::tcp_stream&& stream, const SocketLimits& limits,
          std::unique_ptr<SocketHandler> handler, Registry& reg)
      : ws_(std::move(stream)),
        limits_(limits),
        handler_(std::move(handler)),
        reg_(reg),
        tokens_(limits.burst),
        refilled_(std::chrono::steady_clock::now()) {}

  ~Session() override { reg_.Remove(this); }

  void Run(beast::http::request<beast::http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(20);
    t.idle_timeout = std::chrono::seconds(60);
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "shuxiang"); }));
    ws_.read_message_max(std::max<size_t>(4 * limits_.max_frame, 1 << 20));
    ws_.auto_fragment(false);
    ws_.async_accept(req,
                     [self = shared_from_this()](beast::error_code ec) { self->OnAccept(ec); });
  }

  void Send(std::shared_ptr<const std::string> frame) override {
    if (tl_running == this) return Enqueue(std::move(frame));
    asio::post(ws_.get_executor(), [self = shared_from_this(), f = std::move(frame)]() mutable {
      self->Enqueue(std::move(f));
    });
  }

  void Close(uint16_t code, std::string reason) override {
    auto run = [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
      self->CloseNow(code, std::move(reason));
    };
    if (tl_running == this) return run();
    asio::post(ws_.get_executor(), std::move(run));
  }

 private:
  struct Running {
    explicit Running(const void* s) : prev(tl_running) { tl_running = s; }
    ~Running() { tl_running = prev; }
    const void* prev;
  };

  void OnAccept(beast::error_code ec) {
    if (ec) return Finish();
    opened_ = true;
    {
      Running r(this);
      handler_->OnOpen(shared_from_this());
    }
    Read();
  }

  // Reads a message in chunks, so that one over the limit is refused by a normal close handshake
  // (1009): Beast's own limit (read_message_max, kept only as a backstop) fails the connection and
  // resets it with the rest of the message unread, and the client never sees the close code.
  void Read() {
    ws_.async_read_some(
        buf_.prepare(64 * 1024),
        [self = shared_from_this()](beast::error_code ec, size_t n) { self->OnRead(ec, n); });
  }

  void OnRead(beast::error_code ec, size_t n) {
    if (ec) return Finish();
    buf_.commit(n);
    if (closed_) return Finish();
    if (buf_.size() > limits_.max_frame) {
      // The close handshake drains the rest of the message.
      CloseNow(kCloseTooBig, "frame too large");
      return Finish();
    }
    if (!ws_.is_message_done()) return Read();
    if (limits_.per_second > 0 && !Take()) {
      CloseNow(kCloseTooFrequent, "too many frames");
      return Read();  // drains until the close handshake completes
    }
    std::string_view msg(static_cast<const char*>(buf_.data().data()), buf_.size());
    {
      Running r(this);
      handler_->OnMessage(msg);
    }
    buf_.consume(buf_.size());
    if (buf_.capacity() > 8192) buf_.shrink_to_fit();
    Read();
  }

  bool Take() {
    auto now = std::chrono::steady_clock::now();
    double secs = std::chrono::duration<double>(now - refilled_).count();
    refilled_ = now;
    tokens_ = std::min(limits_.burst, tokens_ + secs * limits_.per_second);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  // The read loop has ended: the socket is done whoever closed it.
  void Finish() {
    DropQueued();
    closed_ = true;
    if (opened_ && !finished_) {
      finished_ = true;
      Running r(this);
      handler_->OnClose();
    }
  }

  void CloseNow(uint16_t code, std::string reason) {
    if (closed_) return;
    closed_ = true;
    DropQueued();
    if (writing_) {
      close_after_write_ =
          websocket::close_reason(static_cast<websocket::close_code>(code), reason);
      return;
    }
    ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                    [self = shared_from_this()](beast::error_code) {});
  }

  // Forgets unsent frames; the one being written stays alive until its write completes.
  void DropQueued() {
    if (writing_ && !queue_.empty())
      queue_.erase(std::next(queue_.begin()), queue_.end());
    else
      queue_.clear();
  }

  void Enqueue(std::shared_ptr<const std::string> f) {
    if (closed_) return;
    if (queue_.size() >= limits_.max_queue) {
      CloseNow(kCloseTryLater, "too far behind");
      return;
    }
    queue_.push_back(std::move(f));
    if (!writing_) Write();
  }

  void Write() {
    writing_ = true;
    ws_.binary(limits_.binary);
    ws_.async_write(asio::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      if (ec) {
                        self->queue_.clear();
                        self->closed_ = true;
                        return;
                      }
                      self->queue_.pop_front();
                      if (self->close_after_write_) {
                        auto why = *self->close_after_write_;
                        self->close_after_write_.reset();
                        self->ws_.async_close(why, [self](beast::error_code) {});
                        return;
                      }
                      if (!self->queue_.empty()) self->Write();
                    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  SocketLimits limits_;
  std::unique_ptr<SocketHandler> handler_;
  Registry& reg_;
  beast::flat_buffer buf_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool opened_ = false, finished_ = false, closed_ = false, writing_ = false;
  std::optional<websocket::close_reason> close_after_write_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_;
};

void Registry::Add(const std::shared_ptr<Session>& s) {
  std::lock_guard lk(mu_);
  if (sessions_.size() > 2 * static_cast<size_t>(count_.load()) + 64)
    sessions_.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
  sessions_.push_back(s);
  ++count_;
}

void Registry::Remove(Session*) {
  // Expired weak pointers are swept lazily by Add/CloseAll; only the count is exact.
  --count_;
}

void Registry::CloseAll() {
  std::lock_guard lk(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (auto s = it->lock()) {
      s->Close(1001, "going away");
      ++it;
    } else {
      it = sessions_.erase(it);
    }
  }
}

void Start(beast::tcp_stream stream, beast::http::request<beast::http::string_body> req,
           const SocketLimits& limits, std::unique_ptr<SocketHandler> handler, Registry& registry) {
  auto s = std::make_shared<Session>(std::move(stream), limits, std::move(handler), registry);
  registry.Add(s);
  s->Run(std::move(req));
}

}  // namespace sx::ws
