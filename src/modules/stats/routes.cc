// Dashboard routes: thin adapters from HTTP to StatsService. See docs/stats.md and
// docs/openapi.yaml.
#include "core/http/gzip.h"
#include "core/http/input.h"
#include "core/util/error.h"
#include "modules/stats/module.h"

namespace sx::stats {

using http::Access;
using http::Ctx;
using http::Response;
using perm::Perm;

namespace {
Query QueryOf(const http::Request& req) {
  return {http::QueryString(req, "region", 12), http::QueryString(req, "from", 7),
          http::QueryString(req, "to", 7), http::QueryString(req, "unit", 64)};
}
std::string Need(const http::Request& req, const char* key, size_t max) {
  auto v = http::QueryString(req, key, max);
  if (v.empty()) throw Error::Field(key, "required");
  return v;
}
}  // namespace

void StatsModule::RegisterRoutes(http::Router& r) {
  auto& s = service_;
  // Answered on the I/O thread from the cache; computed on the worker pool otherwise.
  auto& dashboard =
      r.Add("GET", "/api/v1/stats/dashboard", Access::Need(Perm::kStatsView), [&s](Ctx& c) {
        Need(c.req, "region", 12);
        auto q = QueryOf(c.req);
        std::optional<StatsService::Answer> a;
        if (c.inline_attempt) {
          a = s.Cached(c.Who(), q);
          if (!a) throw http::RunOnWorker{};
        } else {
          a = s.GetAnswer(c.Who(), q);
        }
        bool gz = http::AcceptsGzip(c.req.Header("accept-encoding"));
        auto res = Response::Text(200, gz ? *a->gzip : *a->json, "application/json");
        res.With("Cache-Control", "no-store").With("Vary", "Accept-Encoding");
        if (gz) res.With("Content-Encoding", "gzip");
        return res;
      });
  dashboard.inline_read = false;
  dashboard.inline_first = true;
  r.Add("GET", "/api/v1/stats/table.csv", Access::Need(Perm::kStatsView), [&s](Ctx& c) {
     Need(c.req, "region", 12);
     std::string table = Need(c.req, "table", 10);
     auto q = QueryOf(c.req);
     return Response::File(s.TableCsv(c.Who(), q, table), "text/csv; charset=utf-8",
                           "驾驶舱-" + table + "-" + q.region + ".csv", false);
   }).inline_read = false;
  r.Add("GET", "/api/v1/stats/report.xlsx", Access::Need(Perm::kStatsView), [&s](Ctx& c) {
     std::string region = Need(c.req, "region", 12), month = Need(c.req, "month", 7);
     return Response::File(s.ReportXlsx(c.Who(), region, month),
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           "月报-" + region + "-" + month + ".xlsx", false);
   }).inline_read = false;
}

}  // namespace sx::stats
