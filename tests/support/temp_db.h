// A migrated SQLite database in a fresh temp directory, removed on destruction.
#pragma once
#include <filesystem>
#include <memory>
#include <string>

#include "core/db/db.h"
#include "core/db/migrate.h"
#include "core/util/random.h"

namespace sx::testing {

class TempDb {
 public:
  TempDb() {
    dir_ = std::filesystem::temp_directory_path() / ("sxt-" + util::RandomHex(6));
    std::filesystem::create_directories(dir_);
    db_ = db::Open("sqlite:" + (dir_ / "t.db").string(), {.read_pool = 4});
    db::Migrate(*db_);
  }
  ~TempDb() {
    db_->Close();
    std::filesystem::remove_all(dir_);
  }
  db::Database& db() { return *db_; }
  std::string path() const { return (dir_ / "t.db").string(); }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace sx::testing
