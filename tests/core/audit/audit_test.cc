#include "core/audit/audit.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "support/temp_db.h"

namespace sx::audit {

TEST(Audit, ChainVerifiesAndDetectsTampering) {
  ASSERT_GE(sodium_init(), 0);
  testing::TempDb tmp;
  for (int i = 0; i < 5; ++i)
    AppendNow(tmp.db(), {"500238", "acc", "unit.create", "unit", "u" + std::to_string(i), "ok",
                         "127.0.0.1", "", 1000 + i});
  AppendNow(tmp.db(), {"500239", "acc", "auth.login", "account", "x", "ok", "::1", "", 5});
  auto ok = Verify(tmp.db());
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.entries, 6);
  tmp.db().Write([](db::Conn& c) {
    c.Exec("UPDATE audit_log SET object_id = 'forged' WHERE county_id = '500238' AND seq = 3");
  });
  auto bad = Verify(tmp.db());
  EXPECT_FALSE(bad.ok);
  ASSERT_FALSE(bad.problems.empty());
  EXPECT_NE(bad.problems[0].find("entry 3 was altered"), std::string::npos);
  auto rows = List(tmp.db(), "500238", "", 10);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows.front().seq, 5);  // newest first
}

}  // namespace sx::audit
