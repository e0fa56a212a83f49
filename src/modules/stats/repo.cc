#include "modules/stats/repo.h"

namespace sx::stats::repo {

std::optional<Place> GetRegion(db::Conn& c, const std::string& county, const std::string& code) {
  auto r = c.One("SELECT code, name, level FROM regions WHERE county_id = $1 AND code = $2",
                 {county, code});
  if (!r) return std::nullopt;
  return Place{r->Str(0), r->Str(1), r->Str(2)};
}

std::vector<Place> Children(db::Conn& c, const std::string& county, const std::string& code) {
  std::vector<Place> out;
  for (auto& r : c.Query("SELECT code, name, level FROM regions WHERE county_id = $1 AND "
                         "parent_code = $2 ORDER BY code",
                         {county, code}))
    out.push_back({r.Str(0), r.Str(1), r.Str(2)});
  return out;
}

std::map<std::string, std::string> Units(db::Conn& c, const std::string& county) {
  std::map<std::string, std::string> out;
  for (auto& r : c.Query("SELECT id, name FROM units WHERE county_id = $1", {county}))
    out[r.Str(0)] = r.Str(1);
  return out;
}

std::vector<std::string> Counties(db::Conn& c) {
  std::vector<std::string> out;
  for (auto& r : c.Query("SELECT DISTINCT county_id FROM regions ORDER BY county_id"))
    out.push_back(r.Str(0));
  return out;
}

}  // namespace sx::stats::repo
