#include "modules/org/pinyin.h"

#include <gtest/gtest.h>

namespace sx::org {

TEST(Pinyin, NamesUseSurnameReadings) {
  Pinyin p;
  ASSERT_GT(p.size(), 6000u);
  EXPECT_EQ(p.Of("李小明", true).full, "lixiaoming");
  EXPECT_EQ(p.Of("李小明", true).initials, "lxm");
  EXPECT_EQ(p.Of("单田芳", true).full.substr(0, 4), "shan");
  EXPECT_EQ(p.Of("曾国藩", true).full.substr(0, 4), "zeng");
  EXPECT_EQ(p.Of("欧阳修", true).initials, "oyx");
}

TEST(Pinyin, KeepsAsciiAndSkipsUnknown) {
  Pinyin p;
  EXPECT_EQ(p.Of("A组", false).full, "azu");
  EXPECT_EQ(p.Of("😀", false).full, "");
}

}  // namespace sx::org
