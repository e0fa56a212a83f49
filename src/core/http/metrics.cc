#include "core/http/metrics.h"

#include <fmt/format.h>

namespace sx::http {

Metrics::Metrics() {
  AddRoute("static");
  AddRoute("unmatched");
}

size_t Metrics::AddRoute(std::string label) {
  routes_.emplace_back();
  routes_.back().label = std::move(label);
  return routes_.size() - 1;
}

void Metrics::Record(size_t route, int status, double ms) {
  if (route >= routes_.size()) return;
  RouteStats& r = routes_[route];
  int cls = status / 100 - 1;
  if (cls >= 0 && cls < 5) r.by_class[cls].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBucketsMs.size() && ms > kBucketsMs[b]) ++b;
  r.buckets[b].fetch_add(1, std::memory_order_relaxed);
  r.sum_us.fetch_add(static_cast<uint64_t>(ms * 1000), std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

namespace {
std::string Escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}
}  // namespace

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP shuxiang_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE shuxiang_http_requests_total counter\n";
  for (auto& r : routes_)
    for (int c = 0; c < 5; ++c) {
      uint64_t v = r.by_class[c].load(std::memory_order_relaxed);
      if (v)
        out += fmt::format("shuxiang_http_requests_total{{route=\"{}\",code=\"{}xx\"}} {}\n",
                           Escape(r.label), c + 1, v);
    }
  out += "# HELP shuxiang_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE shuxiang_http_request_duration_seconds histogram\n";
  for (auto& r : routes_) {
    uint64_t cum = 0;
    for (size_t b = 0; b < r.buckets.size(); ++b)
      cum += r.buckets[b].load(std::memory_order_relaxed);
    if (cum == 0) continue;
    uint64_t acc = 0;
    std::string label = Escape(r.label);
    for (size_t b = 0; b < r.buckets.size(); ++b) {
      acc += r.buckets[b].load(std::memory_order_relaxed);
      std::string le = b < kBucketsMs.size() ? fmt::format("{}", kBucketsMs[b] / 1000.0) : "+Inf";
      out += fmt::format(
          "shuxiang_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label, le,
          acc);
    }
    out += fmt::format("shuxiang_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                       r.sum_us.load() / 1e6);
    out += fmt::format("shuxiang_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                       acc);
  }
  for (auto& g : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name,
                       g.read());
  }
  return out;
}

}  // namespace sx::http
