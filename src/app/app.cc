#include "app/app.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "core/audit/audit.h"
#include "core/db/migrate.h"
#include "core/util/error.h"

namespace sx::app {

std::string DefaultKeyFile(const std::string& db_url) {
  namespace fs = std::filesystem;
  if (db_url.rfind("sqlite:", 0) == 0) {
    fs::path p(db_url.substr(7));
    fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    return (dir / "shuxiang.key").string();
  }
  fs::create_directories("data");
  return "data/shuxiang.key";
}

App::App(const AppConfig& cfg) : clock_(cfg.clock ? cfg.clock : &system_clock_) {
  if (sodium_init() < 0) throw Error(ErrorCode::kInternal, "libsodium failed to initialise");
  if (cfg.db_url.rfind("sqlite:", 0) == 0) {
    std::filesystem::path p(cfg.db_url.substr(7));
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  }
  db_ = db::Open(cfg.db_url);
  db::Migrate(*db_);
  pii_ = std::make_unique<auth::Protector>(auth::Protector::FromKeyFile(
      cfg.key_file.empty() ? DefaultKeyFile(cfg.db_url) : cfg.key_file));
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  hasher_ = std::make_unique<auth::PasswordHasher>(
      cfg.fast_hash ? auth::FastLimits() : auth::InteractiveLimits(), cores, 8);
  idem_ = std::make_unique<http::DbIdempotencyStore>(*db_, *clock_);
  router_.SetIdempotencyStore(idem_.get());

  org_ = std::make_unique<org::OrgModule>(*db_, *pii_, *hasher_, *clock_);
  router_.SetAuthenticator(org_.get());
  router_.SetDenyHook(
      [this](const http::Request& req, const perm::Principal& who, std::string_view why) {
        org_->service().AuditDenied(who, req.remote_ip,
                                    req.method + " " + req.path + " needs " + std::string(why));
      });

  // Platform routes.
  auto& health = router_.Add("GET", "/api/v1/health", http::Access::Public(), [this](http::Ctx&) {
    return http::Response::Json(boost::json::object{
        {"status", "ok"}, {"version", SX_VERSION}, {"database", db_->KindName()}});
  });
  health.blocking = false;
  // Metrics answer only on loopback (scrapers run beside the server or through a proxy rule).
  auto& metrics = router_.Add("GET", "/metrics", http::Access::Public(), [this](http::Ctx& c) {
    const std::string& ip = c.req.remote_ip;
    if (!(ip.rfind("127.", 0) == 0 || ip == "::1" || ip.empty())) throw Error::NotFound();
    return http::Response::Text(200, metrics_.Render(), "text/plain; version=0.0.4");
  });
  metrics.blocking = false;
  org_->RegisterRoutes(router_);

  hub_ = std::make_unique<events::Hub>(*db_, *clock_);
  std::string files_dir = cfg.files_dir;
  if (files_dir.empty()) {
    namespace fs = std::filesystem;
    if (cfg.db_url.rfind("sqlite:", 0) == 0) {
      fs::path p(cfg.db_url.substr(7));
      files_dir = ((p.has_parent_path() ? p.parent_path() : fs::path(".")) / "files").string();
    } else {
      files_dir = "data/files";
    }
  }
  files_ = std::make_unique<files::Store>(*db_, files_dir, *clock_);
  sms_ = std::make_unique<sms::DevGateway>(*db_);
  notices::ServiceOptions nopts;
  nopts.sms_price_fen = cfg.sms_price_fen;
  notices_ = std::make_unique<notices::NoticesModule>(*db_, *pii_, *files_, hub_.get(), *sms_,
                                                      *clock_, nopts);
  notices_->RegisterRoutes(router_);
  requests_ = std::make_unique<requests::RequestsModule>(*db_, *files_, hub_.get(), *clock_);
  requests_->RegisterRoutes(router_);
  meetings::ServiceOptions mopts;
  mopts.ice_servers_json = cfg.ice_servers_json;
  meetings_ = std::make_unique<meetings::MeetingsModule>(*db_, notices_->service(), hub_.get(),
                                                         *clock_, mopts);
  meetings_->RegisterRoutes(router_);
  docs_ = std::make_unique<docs::DocsModule>(*db_, notices_->service(), *files_, *pii_, hub_.get(),
                                             *clock_);
  docs_->RegisterRoutes(router_);
  stats_ = std::make_unique<stats::StatsModule>(*db_, org_->service(), notices_->service(),
                                                requests_->service(), meetings_->service(),
                                                docs_->service(), hub_.get(), *clock_);
  stats_->RegisterRoutes(router_);
  org_->service().OnAccessChanged(
      [this](const std::string& account_id) { notices_->service().ForgetKeys(account_id); });
  // The live-event WebSocket: the server takes upgrade requests at this path before routing
  // (see LiveEndpoint); a plain GET lands here.
  router_
      .Add("GET", "/api/v1/ws", http::Access::SignedIn(),
           [](http::Ctx&) {
             return http::Response::Problem(426, "Upgrade Required",
                                            "Connect with a WebSocket client (Upgrade: websocket)")
                 .With("Upgrade", "websocket");
           })
      .blocking = false;
  auto& audit_route = router_.Add(
      "GET", "/api/v1/audit", http::Access::Need(perm::Perm::kAuditRead), [this](http::Ctx& c) {
        auto obj = c.req.QueryParam("object_id");
        boost::json::array items;
        for (auto& row : audit::List(*db_, c.Who().county_id, obj ? *obj : "", 200))
          items.push_back({{"seq", row.seq},
                           {"at", util::IsoUtc(row.e.at_ms)},
                           {"actor", row.e.actor},
                           {"action", row.e.action},
                           {"object_type", row.e.object_type},
                           {"object_id", row.e.object_id},
                           {"result", row.e.result},
                           {"source_ip", row.e.source_ip},
                           {"detail", row.e.detail}});
        return http::Response::Json(boost::json::object{{"items", std::move(items)}});
      });
  audit_route.inline_read = false;  // scans the log

  metrics_.AddGauge("shuxiang_db_read_pool_size", "Reader connections.",
                    [this] { return double(db_->GetStats().read_pool_size); });
  metrics_.AddGauge("shuxiang_db_read_pool_in_use", "Reader connections in use.",
                    [this] { return double(db_->GetStats().read_pool_in_use); });
  metrics_.AddGauge("shuxiang_db_write_queue_depth", "Writes waiting for the writer.",
                    [this] { return double(db_->GetStats().write_queue_depth); });
  metrics_.AddGauge("shuxiang_db_writes_committed", "Write transactions committed.",
                    [this] { return double(db_->GetStats().writes_committed); });
  metrics_.AddGauge("shuxiang_db_commits", "Commits (group commit batches).",
                    [this] { return double(db_->GetStats().commits); });
  metrics_.AddGauge("shuxiang_docs_open", "Documents open for co-editing (sync rooms).",
                    [this] { return double(docs_->service().sync().Stats().rooms); });
  metrics_.AddGauge("shuxiang_docs_connections", "Connections to /yjs/.",
                    [this] { return double(docs_->service().sync().Stats().connections); });
}

App::~App() {
  if (stats_) stats_->StopWorker();
  if (docs_) docs_->Stop();
  if (meetings_) meetings_->StopWorker();
  if (requests_) requests_->StopWorker();
  if (notices_) notices_->StopWorker();
  if (hub_) hub_->Stop();
  if (db_) db_->Close();
}

std::optional<perm::Principal> App::SocketCaller(const http::Request& req) {
  auto who = org_->Authenticate(req);
  if (!who) return std::nullopt;
  // A cookie rides along on cross-site WebSocket handshakes too: only this site may use it.
  if (who->via_cookie && !http::SameOrigin(req))
    throw Error(ErrorCode::kForbidden, "Cross-site request refused (Origin does not match)");
  return *who;
}

ws::LiveEndpoint App::LiveEndpoint() {
  ws::LiveEndpoint ep;
  ep.hub = hub_.get();
  ep.authorize = [this](const http::Request& req) {
    auto who = SocketCaller(req);
    if (!who) throw Error(ErrorCode::kUnauthenticated, "Sign in first");
    return ws::LiveTarget{who->county_id, notices_->service().KeysFor(*who)};
  };
  return ep;
}

std::vector<ws::SocketEndpoint> App::Sockets() {
  return {meetings_->Socket([this](const http::Request& req) { return SocketCaller(req); }),
          docs_->Socket([this](const http::Request& req) -> std::optional<perm::Principal> {
            // Browsers cannot set headers on a WebSocket: the Yjs client sends the session
            // token as a query parameter; without one, the session cookie (same origin only).
            if (auto token = req.QueryParam("token"); token && !token->empty())
              return org_->service().PrincipalForToken(*token, false);
            return SocketCaller(req);
          })};
}

void App::StartBackground() {
  hub_->Start();
  notices_->StartWorker();
  requests_->StartWorker();
  meetings_->StartWorker();
  docs_->Start();
  stats_->StartWorker();
}

void App::LoadDemoModules() {
  requests_->service().LoadDemoCatalogue("500238");
  docs_->service().LoadDemo("500238");
}

stats::HistoryCounts App::LoadDemoHistory(double scale) {
  return stats_->service().LoadDemoHistory("500238", scale, 500238);
}

}  // namespace sx::app
