#include "core/db/migrate.h"

#include <sodium.h>

#include <algorithm>
#include <span>

#include "core/util/clock.h"
#include "core/util/error.h"
#include "core/util/random.h"

namespace sx::embedded {
std::span<const std::pair<std::string_view, std::string_view>> migrations();
}

namespace sx::db {
namespace {

std::string Basename(std::string_view path) {
  auto p = path.rfind('/');
  return std::string(p == std::string_view::npos ? path : path.substr(p + 1));
}

std::string Checksum(std::string_view text) { return util::DigestHex(text); }

}  // namespace

std::vector<std::string> Migrate(Database& db) {
  db.Write([](Conn& c) {
    c.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT "
        "NULL, applied_at BIGINT NOT NULL)");
  });
  std::vector<std::pair<std::string, std::string_view>> files;
  for (auto& [path, text] : embedded::migrations()) files.emplace_back(Basename(path), text);
  std::sort(files.begin(), files.end());
  std::vector<std::string> applied;
  for (auto& [name, text] : files) {
    bool done = false;
    db.Write([&](Conn& c) {
      auto row = c.One("SELECT checksum FROM schema_migrations WHERE name = $1", {name});
      std::string sum = Checksum(text);
      if (row) {
        if (row->Str(0) != sum)
          throw Error(ErrorCode::kInternal, "migration " + name + " changed after it was applied");
        done = true;
        return;
      }
      c.ExecScript(text);
      c.Exec("INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ($1, $2, $3)",
             {name, sum, util::SystemClock().NowMs()});
    });
    if (!done) applied.push_back(name);
  }
  return applied;
}

}  // namespace sx::db
