#include "core/util/geo.h"

#include <cmath>

namespace sx::util {

namespace {
constexpr double kA = 6378245.0;               // Krasovsky 1940 semi-major axis
constexpr double kEe = 0.00669342162296594323;  // its eccentricity squared
constexpr double kPi = 3.14159265358979324;

double TransformLat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}
double TransformLng(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}
}  // namespace

bool InChina(double lat, double lng) {
  return std::isfinite(lat) && std::isfinite(lng) && lat >= 3.8 && lat <= 53.6 && lng >= 73.5 &&
         lng <= 135.1;
}

std::pair<double, double> Wgs84ToGcj02(double lat, double lng) {
  double dlat = TransformLat(lng - 105.0, lat - 35.0);
  double dlng = TransformLng(lng - 105.0, lat - 35.0);
  double rad = lat / 180.0 * kPi;
  double magic = std::sin(rad);
  magic = 1 - kEe * magic * magic;
  double sq = std::sqrt(magic);
  dlat = (dlat * 180.0) / ((kA * (1 - kEe)) / (magic * sq) * kPi);
  dlng = (dlng * 180.0) / (kA / sq * std::cos(rad) * kPi);
  return {lat + dlat, lng + dlng};
}

std::pair<double, double> Gcj02ToWgs84(double lat, double lng) {
  double wlat = lat, wlng = lng;
  for (int i = 0; i < 30; ++i) {
    auto [glat, glng] = Wgs84ToGcj02(wlat, wlng);
    double elat = glat - lat, elng = glng - lng;
    wlat -= elat;
    wlng -= elng;
    if (std::fabs(elat) < 1e-9 && std::fabs(elng) < 1e-9) break;
  }
  return {wlat, wlng};
}

}  // namespace sx::util
