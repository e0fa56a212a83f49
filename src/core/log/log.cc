#include "core/log/log.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string_view>
#include <thread>

#include "core/util/clock.h"

namespace sx::log {
namespace {

Level LevelFromEnv() {
  const char* e = std::getenv("SHUXIANG_LOG");
  std::string_view s = e ? e : "info";
  if (s == "debug") return Level::kDebug;
  if (s == "warn") return Level::kWarn;
  if (s == "error") return Level::kError;
  return Level::kInfo;
}

class Sink {
 public:
  Sink() : min_(LevelFromEnv()), thread_([this] { Loop(); }) {
    const char* a = std::getenv("SHUXIANG_ACCESS_LOG");
    if (a && std::string_view(a) == "off") access_ = false;
  }
  ~Sink() {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void Add(std::string line) {
    {
      std::lock_guard lk(mu_);
      if (buf_.size() > (8 << 20)) return;  // never grow without bound; drop when flooded
      buf_ += line;
      buf_ += '\n';
    }
    cv_.notify_one();
  }
  void Flush() {
    std::string out;
    {
      std::lock_guard lk(mu_);
      out.swap(buf_);
    }
    WriteAll(out);
  }
  Level min_;
  std::atomic<bool> access_{true};

 private:
  void Loop() {
    std::unique_lock lk(mu_);
    for (;;) {
      cv_.wait_for(lk, std::chrono::milliseconds(100),
                   [&] { return stop_ || buf_.size() > 65536; });
      std::string out;
      out.swap(buf_);
      bool stop = stop_;
      lk.unlock();
      WriteAll(out);
      lk.lock();
      if (stop && buf_.empty()) return;
    }
  }
  static void WriteAll(const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::write(2, s.data() + off, s.size() - off);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buf_;
  bool stop_ = false;
  std::thread thread_;
};

Sink& TheSink() {
  static Sink s;
  return s;
}

const char* Name(Level l) {
  switch (l) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarn:
      return "WARN";
    case Level::kError:
      return "ERROR";
  }
  return "?";
}

}  // namespace

bool Enabled(Level level) { return level >= TheSink().min_; }

void Write(Level level, std::string line) {
  static util::SystemClock clock;
  TheSink().Add(util::IsoUtc(clock.NowMs()) + " " + Name(level) + " " + line);
}

void Flush() { TheSink().Flush(); }
void SetAccessLog(bool on) { TheSink().access_ = on; }
bool AccessLogOn() { return TheSink().access_; }

}  // namespace sx::log
