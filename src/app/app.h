// Explicit wiring of the platform: the database, core services and every module, in one place.
// An App is what `shuxiang serve` runs and what in-process tests drive through its router.
#pragma once
#include <memory>
#include <string>

#include "core/auth/password.h"
#include "core/auth/pii.h"
#include "core/db/db.h"
#include "core/events/hub.h"
#include "core/files/store.h"
#include "core/http/idempotency.h"
#include "core/http/metrics.h"
#include "core/http/router.h"
#include "core/sms/sms.h"
#include "core/util/clock.h"
#include "core/ws/live.h"
#include "modules/docs/module.h"
#include "modules/meetings/module.h"
#include "modules/notices/module.h"
#include "modules/org/module.h"
#include "modules/requests/module.h"
#include "modules/stats/module.h"

namespace sx::app {

struct AppConfig {
  std::string db_url;
  std::string key_file;       // data key for sealed personal data
  std::string files_dir;      // uploaded files; default: beside the SQLite file, or data/files
  int64_t sms_price_fen = 5;  // per SMS segment (SHUXIANG_SMS_PRICE_FEN)
  bool fast_hash = false;     // tests only (SHUXIANG_FAST_HASH=1)
  std::string ice_servers_json = "[]";  // RTCIceServer[] for meeting rooms (SHUXIANG_ICE_SERVERS)
  const util::Clock* clock = nullptr;   // null: the system clock
};

class App {
 public:
  // Opens the database and runs pending migrations.
  explicit App(const AppConfig& cfg);
  ~App();

  db::Database& db() { return *db_; }
  http::Router& router() { return router_; }
  http::Metrics& metrics() { return metrics_; }
  const auth::Protector& pii() const { return *pii_; }
  auth::PasswordHasher& hasher() { return *hasher_; }
  const util::Clock& clock() const { return *clock_; }
  org::OrgModule& org() { return *org_; }
  notices::NoticesModule& notices() { return *notices_; }
  requests::RequestsModule& requests() { return *requests_; }
  meetings::MeetingsModule& meetings() { return *meetings_; }
  docs::DocsModule& docs() { return *docs_; }
  stats::StatsModule& stats() { return *stats_; }
  // The demo county's module data (the request catalogue); idempotent.
  void LoadDemoModules();
  // Half a year of demo activity × scale (0: none) for the demo county; then counters rebuilt.
  stats::HistoryCounts LoadDemoHistory(double scale);
  events::Hub& hub() { return *hub_; }
  // The live-event WebSocket endpoint (/api/v1/ws) for the server.
  ws::LiveEndpoint LiveEndpoint();
  // Other WebSocket endpoints (meeting rooms), for http::Server::AddSocket.
  std::vector<ws::SocketEndpoint> Sockets();
  // Starts the event dispatcher and the modules' background workers (serve only).
  void StartBackground();

 private:
  // The signed-in caller of a WebSocket handshake (null if anonymous); 403 for a cross-site
  // cookie.
  std::optional<perm::Principal> SocketCaller(const http::Request& req);
  util::SystemClock system_clock_;
  const util::Clock* clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<auth::Protector> pii_;
  std::unique_ptr<auth::PasswordHasher> hasher_;
  http::Metrics metrics_;
  http::Router router_{&metrics_};
  std::unique_ptr<http::DbIdempotencyStore> idem_;
  std::unique_ptr<org::OrgModule> org_;
  std::unique_ptr<events::Hub> hub_;
  std::unique_ptr<files::Store> files_;
  std::unique_ptr<sms::Gateway> sms_;
  std::unique_ptr<notices::NoticesModule> notices_;
  std::unique_ptr<requests::RequestsModule> requests_;
  std::unique_ptr<meetings::MeetingsModule> meetings_;
  std::unique_ptr<docs::DocsModule> docs_;
  std::unique_ptr<stats::StatsModule> stats_;
};

// The data key file for a database URL when none is configured: next to a SQLite file, else
// ./data/shuxiang.key.
std::string DefaultKeyFile(const std::string& db_url);

}  // namespace sx::app
