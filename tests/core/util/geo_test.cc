#include "core/util/geo.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sx::util {
namespace {

TEST(Geo, ChinaBoundingBox) {
  EXPECT_TRUE(InChina(31.40, 109.60));   // 巫溪
  EXPECT_TRUE(InChina(18.25, 109.50));   // 三亚
  EXPECT_FALSE(InChina(48.85, 2.35));    // Paris
  EXPECT_FALSE(InChina(NAN, 109.6));
  EXPECT_FALSE(InChina(0, 0));
}

TEST(Geo, Gcj02RoundTripsWithinCentimetres) {
  for (auto [lat, lng] : {std::pair{31.40, 109.60}, {39.9087, 116.3975}, {22.54, 114.06}}) {
    auto [glat, glng] = Wgs84ToGcj02(lat, lng);
    EXPECT_GT(std::fabs(glat - lat) + std::fabs(glng - lng), 1e-4) << "GCJ-02 is offset";
    auto [wlat, wlng] = Gcj02ToWgs84(glat, glng);
    EXPECT_NEAR(wlat, lat, 1e-7);
    EXPECT_NEAR(wlng, lng, 1e-7);
  }
  // A published reference pair (Tiananmen): WGS84 39.908692,116.397477 → GCJ-02 ≈ 39.910095,116.403719.
  auto [glat, glng] = Wgs84ToGcj02(39.908692, 116.397477);
  EXPECT_NEAR(glat, 39.9101, 2e-4);
  EXPECT_NEAR(glng, 116.4037, 2e-4);
}

}  // namespace
}  // namespace sx::util
