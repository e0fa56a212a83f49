#include "app/cli.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/audit/audit.h"
#include "core/http/server.h"
#include "core/http/static_files.h"
#include "core/log/log.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "modules/org/demo.h"

namespace sx::app {
namespace {

const char* kUsage = R"(shuxiang — county digital village platform

Usage:
  shuxiang serve   --listen HOST:PORT --db URL [--web DIR] [--files DIR] [--demo] [--residents N]
                   [--history SCALE] [--trust-proxy]
  shuxiang migrate --db URL
  shuxiang demo    --db URL [--residents N] [--history SCALE]
  shuxiang demo accounts --db URL [--json]
  shuxiang demo requests --db URL [--count N]
  shuxiang audit verify --db URL
  shuxiang stats rebuild --db URL
  shuxiang routes [--json]
  shuxiang COMMAND --help

URL is sqlite:PATH or postgresql://USER@HOST:PORT/DB. The database may also come from the
SHUXIANG_DB environment variable or from `db = URL` in the config file (--config FILE or
SHUXIANG_CONFIG). Personal data is sealed with the key in --key-file / SHUXIANG_KEY_FILE
(default: shuxiang.key next to the SQLite file, else data/shuxiang.key; created if missing).
Uploaded files go to --files DIR / SHUXIANG_FILES (default: files/ next to the SQLite file, else
data/files).
)";

const std::map<std::string, const char*> kHelp = {
    {"serve", R"(shuxiang serve --listen HOST:PORT --db URL [--web DIR] [--files DIR] [--demo]
                [--residents N] [--history SCALE] [--trust-proxy]

Serves the API under /api/v1, /metrics (loopback only) and the web app from DIR (default
web/dist) at /m/ and /admin/. Runs pending migrations first. With --demo, loads the demo county
巫溪县 when the database has no county yet (see `shuxiang demo --help`). PORT 0 picks a free port;
the bound address is printed as "listening on http://HOST:PORT". SIGINT/SIGTERM drain in-flight
requests, then exit. With --trust-proxy (or SHUXIANG_TRUST_PROXY=1), requests from loopback take
their scheme from X-Forwarded-Proto and their address from X-Forwarded-For (nginx in front,
terminating TLS): session cookies are then Secure and named __Host-sid.
Live events are served as a WebSocket at /api/v1/ws. Attachments are stored under --files DIR
(or SHUXIANG_FILES). SMS go to the development gateway, which records them in the database
(SHUXIANG_SMS_PRICE_FEN: price per segment, default 5). Meeting rooms are WebSockets at
/api/v1/meetings/{id}/room; SHUXIANG_ICE_SERVERS is the JSON array of STUN/TURN servers handed
to browsers (RTCIceServer[], e.g. [{"urls":"stun:stun.example.cn:3478"}]; default none, which
works on one network).
)"},
    {"migrate", R"(shuxiang migrate --db URL

Applies pending schema migrations and prints their names.
)"},
    {"demo", R"(shuxiang demo --db URL [--residents N] [--history SCALE]
shuxiang demo accounts --db URL [--json]
shuxiang demo requests --db URL [--count N]

Loads the demo county 巫溪县 (500238): real towns and villages (NBS 2023), 180+ government units,
N synthetic residents in households (default 100000), and one demo account per role. The demo
accounts' password is SHUXIANG_DEMO_PASSWORD when set, otherwise a random one printed once.
`demo accounts` lists the demo accounts (role, phone, region_code, name); --json prints one JSON
object per line. `demo requests --count N` adds N synthetic villagers' requests over the last six
months, in every state, with their figures (for trying the 三率 dashboard and for make bench).
With a newly loaded county, `demo` (and `serve --demo`) also generates half a year of activity at
the scale of the real county × SCALE (default 1; 0 for none): about 6,000 notices with their
reads and receipts, 1,200 meetings and 100 trainings with hours and attendance, 2,400 documents
and forms with responses, and 3,000 villagers' requests — then rebuilds the dashboard counters.
)"},
    {"stats", R"(shuxiang stats rebuild --db URL

Recomputes every dashboard counter (notices, meetings, trainings, documents, people, the
requests' 三率 figures, and the roll-ups the dashboard reads) of every county from the modules'
own tables, in one transaction, and replaces the stored counters. Prints, per family, how many counter cells there are and how many
differed from the live ones (0 when the live counters were exact). Exit status 0.
)"},
    {"routes", R"(shuxiang routes [--json]

Lists every HTTP route with its access policy (public, signed-in, or the permission it needs).
)"},
    {"audit", R"(shuxiang audit verify --db URL

Recomputes the audit log's hash chain and reports any altered, deleted or reordered entry.
Exit status 0 when the chain is intact, 1 otherwise.
)"},
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> opts;
  bool Has(const std::string& k) const { return opts.count(k) > 0; }
  std::string Get(const std::string& k, const std::string& def = "") const {
    auto it = opts.find(k);
    return it == opts.end() ? def : it->second;
  }
};

Args Parse(int argc, char** argv) {
  static const std::set<std::string> kFlags = {"help", "json", "demo", "trust-proxy"};
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      std::string k = s.substr(2), v;
      auto eq = k.find('=');
      if (eq != std::string::npos) {
        v = k.substr(eq + 1);
        k = k.substr(0, eq);
      } else if (!kFlags.count(k) && i + 1 < argc) {
        v = argv[++i];
      }
      a.opts[k] = v;
    } else if (s == "-h") {
      a.opts["help"] = "";
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

std::map<std::string, std::string> ReadConfig(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  if (!in) throw Error::Invalid("cannot read config file " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
      while (!s.empty() && s.front() == ' ') s.erase(0, 1);
      return s;
    };
    out[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return out;
}

AppConfig Config(const Args& a) {
  std::map<std::string, std::string> file;
  std::string cfg =
      a.Get("config", std::getenv("SHUXIANG_CONFIG") ? std::getenv("SHUXIANG_CONFIG") : "");
  if (!cfg.empty()) file = ReadConfig(cfg);
  AppConfig c;
  c.db_url = a.Get("db");
  if (c.db_url.empty() && std::getenv("SHUXIANG_DB")) c.db_url = std::getenv("SHUXIANG_DB");
  if (c.db_url.empty() && file.count("db")) c.db_url = file["db"];
  if (c.db_url.empty()) throw Error::Invalid("no database: pass --db URL or set SHUXIANG_DB");
  c.key_file = a.Get("key-file");
  if (c.key_file.empty() && std::getenv("SHUXIANG_KEY_FILE"))
    c.key_file = std::getenv("SHUXIANG_KEY_FILE");
  if (c.key_file.empty() && file.count("key_file")) c.key_file = file["key_file"];
  c.files_dir = a.Get("files");
  if (c.files_dir.empty() && std::getenv("SHUXIANG_FILES"))
    c.files_dir = std::getenv("SHUXIANG_FILES");
  if (c.files_dir.empty() && file.count("files")) c.files_dir = file["files"];
  if (const char* price = std::getenv("SHUXIANG_SMS_PRICE_FEN")) {
    try {
      c.sms_price_fen = std::stoll(price);
    } catch (...) {
      throw Error::Invalid("SHUXIANG_SMS_PRICE_FEN must be a whole number of fen");
    }
  }
  if (const char* ice = std::getenv("SHUXIANG_ICE_SERVERS"); ice && *ice) {
    boost::system::error_code ec;
    auto v = boost::json::parse(ice, ec);
    if (ec || !v.is_array())
      throw Error::Invalid("SHUXIANG_ICE_SERVERS must be a JSON array of RTCIceServer objects");
    c.ice_servers_json = boost::json::serialize(v);
  }
  const char* fast = std::getenv("SHUXIANG_FAST_HASH");
  c.fast_hash = fast && std::string(fast) == "1";
  return c;
}

int64_t Residents(const Args& a) {
  std::string r = a.Get("residents", "100000");
  try {
    long long n = std::stoll(r);
    if (n < 0 || n > 5000000) throw std::out_of_range("residents");
    return n;
  } catch (...) {
    throw Error::Invalid("--residents must be a number from 0 to 5000000");
  }
}

double HistoryScale(const Args& a) {
  std::string v = a.Get("history", "1");
  try {
    size_t used = 0;
    double x = std::stod(v, &used);
    if (used != v.size() || !(x >= 0 && x <= 100)) throw std::out_of_range("history");
    return x;
  } catch (...) {
    throw Error::Invalid("--history must be a number from 0 to 100");
  }
}

stats::HistoryCounts LoadHistory(App& app, double scale) {
  if (scale > 0) {
    std::printf("generating half a year of demo activity (scale %g; about a minute at 1)…\n",
                scale);
    std::fflush(stdout);
  }
  return app.LoadDemoHistory(scale);
}

void PrintHistory(const stats::HistoryCounts& h) {
  if (!h.loaded) return;
  std::printf(
      "demo history (half a year): %lld notices, %lld meetings, %lld trainings, "
      "%lld documents, %lld requests, %lld residents joined\n",
      (long long)h.notices, (long long)h.meetings, (long long)h.trainings, (long long)h.docs,
      (long long)h.requests, (long long)h.joined);
  std::fflush(stdout);
}

std::string DemoPassword(bool* generated) {
  const char* p = std::getenv("SHUXIANG_DEMO_PASSWORD");
  *generated = !(p && *p);
  if (!*generated) return p;
  return "sx-" + util::RandomHex(6);
}

void PrintDemo(const org::DemoResult& r, const std::string& password, bool generated) {
  if (!r.loaded) {
    std::printf("demo county 巫溪县 (500238) is already loaded\n");
    return;
  }
  std::printf("loaded 巫溪县 (500238): %lld regions, %lld units, %lld households, %lld people\n",
              (long long)r.regions, (long long)r.units, (long long)r.households,
              (long long)r.people);
  std::printf("demo accounts (password %s):\n",
              generated ? ("\"" + password + "\" — shown once, note it").c_str()
                        : "from SHUXIANG_DEMO_PASSWORD");
  for (auto& acc : r.accounts)
    std::printf("  %-14s %s  %s  %s\n", acc.role.c_str(), acc.phone.c_str(),
                acc.region_code.c_str(), acc.name.c_str());
  std::fflush(stdout);
}

int Serve(const Args& a) {
  AppConfig cfg = Config(a);
  std::string listen = a.Get("listen", "127.0.0.1:8080");
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw Error::Invalid("--listen must be HOST:PORT");
  http::ServerOptions so;
  so.host = listen.substr(0, colon);
  if (so.host.size() > 2 && so.host.front() == '[') so.host = so.host.substr(1, so.host.size() - 2);
  try {
    int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    so.port = static_cast<uint16_t>(port);
  } catch (...) {
    throw Error::Invalid("--listen port must be 0..65535");
  }
  App app(cfg);
  if (a.Has("demo")) {
    bool generated;
    std::string pw = DemoPassword(&generated);
    auto r = org::LoadDemo(app.db(), app.pii(), app.hasher(), app.org().pinyin(), app.clock(),
                           {Residents(a), pw});
    app.LoadDemoModules();
    PrintDemo(r, pw, generated);
    if (r.loaded) PrintHistory(LoadHistory(app, HistoryScale(a)));
  }
  so.inline_reads = app.db().kind() == db::Kind::kSqlite;
  const char* tp = std::getenv("SHUXIANG_TRUST_PROXY");
  so.trust_proxy = a.Has("trust-proxy") || (tp && std::string(tp) == "1");
  http::StaticSite site(a.Get("web", "web/dist"));
  http::Server server(so, app.router(), app.metrics(), &site);
  server.SetLive(app.LiveEndpoint());
  for (auto& ep : app.Sockets()) server.AddSocket(std::move(ep));
  app.StartBackground();
  server.Listen();
  std::printf("listening on http://%s:%u\n", listen.substr(0, colon).c_str(), server.port());
  std::fflush(stdout);
  log::Info("serving {} static files, database {}", site.file_count(), app.db().KindName());
  server.Run(/*handle_signals=*/true);
  log::Info("stopped");
  return 0;
}

int Run(const Args& a) {
  if (a.positional.empty()) {
    std::fputs(kUsage, a.Has("help") ? stdout : stderr);
    return a.Has("help") ? 0 : 2;
  }
  const std::string& cmd = a.positional[0];
  if (a.Has("help")) {
    auto it = kHelp.find(cmd);
    std::fputs(it == kHelp.end() ? kUsage : it->second, stdout);
    return 0;
  }
  if (cmd == "serve") return Serve(a);
  if (cmd == "routes") {
    // Builds the router against a scratch database and lists every route with its policy.
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("sx-routes-" + util::RandomHex(6));
    fs::create_directories(dir);
    {
      AppConfig cfg;
      cfg.db_url = "sqlite:" + (dir / "r.db").string();
      cfg.key_file = (dir / "k").string();
      App app(cfg);
      for (auto& r : app.router().routes()) {
        if (a.Has("json")) {
          boost::json::object o{{"method", r->method},
                                {"pattern", r->pattern},
                                {"access", r->access.Describe()},
                                {"idempotent", r->idempotent}};
          std::printf("%s\n", boost::json::serialize(o).c_str());
        } else {
          std::printf("%-6s %-40s %s\n", r->method.c_str(), r->pattern.c_str(),
                      r->access.Describe().c_str());
        }
      }
    }
    fs::remove_all(dir);
    return 0;
  }
  if (cmd == "migrate") {
    App app(Config(a));  // migrates on open
    std::printf("schema is up to date\n");
    return 0;
  }
  if (cmd == "demo" && a.positional.size() > 1 && a.positional[1] == "requests") {
    App app(Config(a));
    app.LoadDemoModules();
    int64_t n = 0;
    try {
      n = std::stoll(a.Get("count", "1000"));
    } catch (...) {
      throw Error::Invalid("--count must be a whole number");
    }
    if (n < 0 || n > 5000000) throw Error::Invalid("--count must be 0..5000000");
    int64_t written = app.requests().service().LoadDemoRequests(org::kDemoCounty, n, 500238);
    std::printf("wrote %lld synthetic requests\n", static_cast<long long>(written));
    return 0;
  }
  if (cmd == "demo" && a.positional.size() > 1 && a.positional[1] == "accounts") {
    App app(Config(a));
    auto accounts = org::ListDemoAccounts(app.db(), app.pii(), org::kDemoCounty);
    for (auto& acc : accounts) {
      if (a.Has("json")) {
        boost::json::object o{{"role", acc.role},
                              {"phone", acc.phone},
                              {"region_code", acc.region_code},
                              {"name", acc.name}};
        std::printf("%s\n", boost::json::serialize(o).c_str());
      } else {
        std::printf("%-14s %s  %s  %s\n", acc.role.c_str(), acc.phone.c_str(),
                    acc.region_code.c_str(), acc.name.c_str());
      }
    }
    return 0;
  }
  if (cmd == "demo") {
    App app(Config(a));
    bool generated;
    std::string pw = DemoPassword(&generated);
    auto r = org::LoadDemo(app.db(), app.pii(), app.hasher(), app.org().pinyin(), app.clock(),
                           {Residents(a), pw});
    app.LoadDemoModules();
    PrintDemo(r, pw, generated);
    if (r.loaded) PrintHistory(LoadHistory(app, HistoryScale(a)));
    return 0;
  }
  if (cmd == "stats" && a.positional.size() > 1 && a.positional[1] == "rebuild") {
    App app(Config(a));
    int64_t differing = 0;
    for (auto& county : app.stats().service().Counties()) {
      for (auto& r : app.stats().service().Rebuild(county)) {
        std::printf("%s %-10s %8lld cells, %lld differed\n", county.c_str(), r.family.c_str(),
                    (long long)r.cells, (long long)r.differing);
        differing += r.differing;
      }
    }
    std::printf("rebuilt; %lld cells differed from the live counters\n", (long long)differing);
    return 0;
  }
  if (cmd == "audit" && a.positional.size() > 1 && a.positional[1] == "verify") {
    App app(Config(a));
    auto r = audit::Verify(app.db());
    if (r.ok) {
      std::printf("audit log intact: %lld entries verified\n", (long long)r.entries);
      return 0;
    }
    std::printf("audit log BROKEN (%lld entries read):\n", (long long)r.entries);
    for (auto& p : r.problems) std::printf("  %s\n", p.c_str());
    return 1;
  }
  std::fprintf(stderr, "unknown command: %s\n\n%s", cmd.c_str(), kUsage);
  return 2;
}

}  // namespace

int Main(int argc, char** argv) {
  try {
    int rc = Run(Parse(argc, argv));
    log::Flush();
    return rc;
  } catch (const Error& e) {
    log::Flush();
    std::fprintf(stderr, "shuxiang: %s\n", e.what());
    return e.code() == ErrorCode::kInvalidArgument ? 2 : 1;
  } catch (const std::exception& e) {
    log::Flush();
    std::fprintf(stderr, "shuxiang: %s\n", e.what());
    return 1;
  }
}

}  // namespace sx::app
