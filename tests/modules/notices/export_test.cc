#include "modules/notices/export.h"

#include <gtest/gtest.h>

namespace sx::notices {
namespace {

TEST(UnreadCsv, BomHeaderQuotingAndFormulaGuard) {
  std::vector<UnreadPerson> rows(2);
  rows[0].name = "张三";
  rows[0].village_name = "红池坝村";
  rows[0].village_code = "500238101201";
  rows[0].phone_masked = "138****0000";
  rows[1].name = "=HYPERLINK(\"x\")";
  rows[1].village_name = "村,\"甲\"";
  rows[1].signed_up = true;
  std::string csv = UnreadCsv(rows);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find("姓名,村（社区）,村代码"), std::string::npos);
  EXPECT_NE(csv.find("张三,红池坝村,500238101201,,138****0000,否\r\n"), std::string::npos);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"x\"\")\",\"村,\"\"甲\"\"\""), std::string::npos);
}

TEST(UnreadXlsx, WritesAZipWorkbook) {
  Notice n;
  n.title = "防汛";
  std::vector<UnreadPerson> rows(3);
  for (auto& r : rows) r.name = "李四";
  std::string x = UnreadXlsx(n, rows);
  ASSERT_GT(x.size(), 1000u);
  EXPECT_EQ(x.substr(0, 2), "PK") << "an OOXML package is a zip";
}

}  // namespace
}  // namespace sx::notices
