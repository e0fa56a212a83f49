// Coordinates. Chinese map pickers (高德, 腾讯) return GCJ-02; the platform stores WGS84 (as
// Open311 and GPS do). GCJ-02 is WGS84 plus a published obfuscation offset; the inverse is found
// by fixed-point iteration to well under a metre.
#pragma once
#include <utility>

namespace sx::util {

// Within the bounding box of China (mainland, Hainan, Taiwan and the South China Sea islands).
bool InChina(double lat, double lng);
// WGS84 → GCJ-02, and its inverse.
std::pair<double, double> Wgs84ToGcj02(double lat, double lng);
std::pair<double, double> Gcj02ToWgs84(double lat, double lng);

}  // namespace sx::util
