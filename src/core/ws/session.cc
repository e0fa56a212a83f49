#include "core/ws/session.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <deque>

#include "core/log/log.h"

namespace sx::ws {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

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
}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(beast::tcp_stream&& stream, events::Hub& hub, LiveTarget target, int64_t since,
          Registry& reg)
      : ws_(std::move(stream)),
        hub_(hub),
        target_(std::move(target)),
        since_(since),
        reg_(reg) {}

  ~Session() { reg_.Remove(this); }

  void Run(beast::http::request<beast::http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(20);
    t.idle_timeout = std::chrono::seconds(60);
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "shuxiang"); }));
    ws_.read_message_max(4096);
    ws_.auto_fragment(false);
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) { self->OnAccept(ec); });
  }

  // Called from any thread.
  void Send(std::shared_ptr<const std::string> frame) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), f = std::move(frame)]() mutable {
      self->Enqueue(std::move(f));
    });
  }

  void Close() {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->closed_) return;
      self->closed_ = true;
      self->ws_.async_close(websocket::close_code::going_away, [self](beast::error_code) {});
    });
  }

 private:
  void OnAccept(beast::error_code ec) {
    if (ec) return;
    std::weak_ptr<Session> weak = shared_from_this();
    auto s = hub_.Subscribe(
        target_.county_id, target_.keys,
        [weak](const std::shared_ptr<const events::Event>& e) {
          if (auto self = weak.lock()) self->Send(SharedFrame(e));
        },
        since_);
    sub_ = std::move(s.sub);
    Enqueue(std::make_shared<const std::string>(R"({"type":"hello","seq":)" +
                                                std::to_string(s.head) + "}"));
    if (s.reset) Enqueue(std::make_shared<const std::string>(R"({"type":"reset"})"));
    for (auto& e : s.missed) Enqueue(std::make_shared<const std::string>(EventFrame(e)));
    Read();
  }

  void Read() {
    ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->OnRead(ec);
    });
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      sub_.reset();
      return;
    }
    std::string_view msg(static_cast<const char*>(buf_.data().data()), buf_.size());
    if (msg.find(R"("ping")") != std::string_view::npos)
      Enqueue(std::make_shared<const std::string>(R"({"type":"pong"})"));
    buf_.consume(buf_.size());
    buf_.shrink_to_fit();
    Read();
  }

  void Enqueue(std::shared_ptr<const std::string> f) {
    if (closed_) return;
    if (queue_.size() >= 512) {
      // Too slow: drop the connection; the client resumes from its last seq.
      closed_ = true;
      queue_.clear();
      sub_.reset();
      ws_.async_close(websocket::close_code::try_again_later,
                      [self = shared_from_this()](beast::error_code) {});
      return;
    }
    queue_.push_back(std::move(f));
    if (queue_.size() == 1) Write();
  }

  void Write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      if (ec) {
                        self->queue_.clear();
                        self->sub_.reset();
                        return;
                      }
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->Write();
                    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  events::Hub& hub_;
  LiveTarget target_;
  int64_t since_;
  Registry& reg_;
  std::unique_ptr<events::Hub::Subscription> sub_;
  beast::flat_buffer buf_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool closed_ = false;
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
      s->Close();
      ++it;
    } else {
      it = sessions_.erase(it);
    }
  }
}

void Start(beast::tcp_stream stream, beast::http::request<beast::http::string_body> req,
           events::Hub& hub, LiveTarget target, int64_t since, Registry& registry) {
  auto s = std::make_shared<Session>(std::move(stream), hub, std::move(target), since, registry);
  registry.Add(s);
  s->Run(std::move(req));
}

}  // namespace sx::ws
