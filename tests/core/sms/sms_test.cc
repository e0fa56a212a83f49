#include "core/sms/sms.h"

#include <gtest/gtest.h>

#include "support/temp_db.h"

namespace sx::sms {
namespace {

TEST(Segments, SeventyCharactersPerMessageThenSixtySeven) {
  EXPECT_EQ(Segments(""), 1);
  std::string s;
  for (int i = 0; i < 70; ++i) s += "通";
  EXPECT_EQ(Segments(s), 1);
  s += "知";
  EXPECT_EQ(Segments(s), 2);
  std::string t;
  for (int i = 0; i < 134; ++i) t += "a";
  EXPECT_EQ(Segments(t), 2);
  t += "a";
  EXPECT_EQ(Segments(t), 3);
}

TEST(DevGateway, RecordsMessagesWithCost) {
  testing::TempDb t;
  DevGateway gw(t.db());
  std::string longer;
  for (int i = 0; i < 80; ++i) longer += "字";
  int64_t n = gw.Send({{"500238", "p1", "13800001111", "138****1111", "短信", "notice", "n1"},
                       {"500238", "p2", "13800002222", "138****2222", longer, "notice", "n1"}},
                      5, 1000);
  EXPECT_EQ(n, 2);
  auto rows = Outbox(t.db(), "500238", "n1", 10);
  ASSERT_EQ(rows.size(), 2u);
  int64_t cost = 0;
  for (auto& r : rows) {
    cost += r.cost_fen;
    EXPECT_EQ(r.phone_masked.find("1111") != std::string::npos ||
                  r.phone_masked.find("2222") != std::string::npos,
              true);
  }
  EXPECT_EQ(cost, 5 + 10);
  EXPECT_TRUE(Outbox(t.db(), "500238", "other", 10).empty());
}

}  // namespace
}  // namespace sx::sms
