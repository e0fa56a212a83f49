// Prometheus metrics: per-route request counts by status class and latency histograms, plus
// gauges supplied by callbacks (DB pool, write queue). Recording is lock-free (atomics); routes
// are registered before serving. Text exposition format 0.0.4.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace sx::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBucketsMs = {0.5, 1,   2.5, 5,   10,   25,
                                                        50,  100, 250, 500, 1000, 5000};
  Metrics();
  // Registers a route label; returns its index. Not thread-safe (before serving).
  size_t AddRoute(std::string label);
  size_t StaticIndex() const { return 0; }
  size_t UnmatchedIndex() const { return 1; }
  void Record(size_t route, int status, double ms);
  // A gauge whose value is read at scrape time.
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  std::string Render() const;

 private:
  struct RouteStats {
    std::string label;
    std::array<std::atomic<uint64_t>, 5> by_class{};  // 1xx..5xx
    std::array<std::atomic<uint64_t>, kBucketsMs.size() + 1> buckets{};
    std::atomic<uint64_t> sum_us{0};
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::deque<RouteStats> routes_;
  std::vector<Gauge> gauges_;
};

}  // namespace sx::http
