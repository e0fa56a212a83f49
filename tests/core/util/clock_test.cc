#include "core/util/clock.h"

#include <gtest/gtest.h>

namespace sx::util {
namespace {

TEST(ParseIso, ReadsUtcOffsetsAndFractions) {
  EXPECT_EQ(ParseIso("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIso("2026-11-29T08:00:00+08:00"), ParseIso("2026-11-29T00:00:00Z"));
  EXPECT_EQ(*ParseIso("2026-11-29T00:00:00.5Z") - *ParseIso("2026-11-29T00:00:00Z"), 500);
  EXPECT_EQ(*ParseIso("2026-11-29T00:00:00.123456Z") % 1000, 123);
  int64_t t = 1764374400123;
  EXPECT_EQ(ParseIso(IsoUtc(t)), t) << "round trip";
}

TEST(ParseIso, RejectsMalformed) {
  for (const char* bad : {"", "2026-11-29", "2026-11-29 00:00:00Z", "2026-13-01T00:00:00Z",
                          "2026-11-29T25:00:00Z", "2026-11-29T00:00:00", "2026-11-29T00:00:00.Z",
                          "2026-11-29T00:00:00+0800", "2026-11-29T00:00:00Zjunk"})
    EXPECT_FALSE(ParseIso(bad)) << bad;
}

}  // namespace
}  // namespace sx::util
