#include "core/db/db.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "core/util/error.h"
#include "core/util/random.h"

namespace sx::db {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("sxdb-" + util::RandomHex(6));
    std::filesystem::create_directories(dir_);
    db_ = Open("sqlite:" + (dir_ / "t.db").string(), {.read_pool = 4});
    db_->Write([](Conn& c) { c.ExecScript("CREATE TABLE t (k TEXT PRIMARY KEY, v BIGINT)"); });
  }
  void TearDown() override {
    db_->Close();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST(Placeholders, RewrittenOutsideStrings) {
  EXPECT_EQ(RewritePlaceholders("SELECT $1, '$2', $10"), "SELECT ?1, '$2', ?10");
}

TEST_F(SqliteTest, WriteThenRead) {
  db_->Write([](Conn& c) {
    c.Exec("INSERT INTO t (k, v) VALUES ($1, $2)", {std::string("a"), int64_t{7}});
  });
  auto v = db_->ReadValue(
      [](Conn& c) { return c.One("SELECT v FROM t WHERE k = $1", {std::string("a")})->Int(0); });
  EXPECT_EQ(v, 7);
}

TEST_F(SqliteTest, FailedWriteIsRolledBackWithoutHarmingOthers) {
  std::vector<std::thread> ts;
  std::atomic<int> failures{0};
  for (int i = 0; i < 40; ++i)
    ts.emplace_back([&, i] {
      try {
        db_->Write([&](Conn& c) {
          c.Exec("INSERT INTO t (k, v) VALUES ($1, $2)", {std::to_string(i), int64_t{i}});
          if (i % 5 == 0) throw Error::Conflict("boom");
        });
      } catch (const Error&) {
        ++failures;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(failures.load(), 8);
  auto n = db_->ReadValue([](Conn& c) { return c.One("SELECT COUNT(*) FROM t")->Int(0); });
  EXPECT_EQ(n, 32);
  auto s = db_->GetStats();
  EXPECT_EQ(s.writes_committed, 33);  // 32 + the CREATE TABLE
  EXPECT_LE(s.commits, s.writes_committed);
}

TEST_F(SqliteTest, ConstraintViolationIsAConflict) {
  db_->Write([](Conn& c) { c.Exec("INSERT INTO t (k, v) VALUES ('x', 1)"); });
  try {
    db_->Write([](Conn& c) { c.Exec("INSERT INTO t (k, v) VALUES ('x', 2)"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
  }
}

TEST_F(SqliteTest, ReadersCannotWrite) {
  EXPECT_THROW(db_->Read([](Conn& c) { c.Exec("INSERT INTO t (k, v) VALUES ('y', 1)"); }), Error);
}

}  // namespace sx::db
