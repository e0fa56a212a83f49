#include "modules/org/json.h"

#include <boost/json.hpp>

#include "core/util/clock.h"

namespace sx::org::json {

using boost::json::array;
using boost::json::object;

object RegionJson(const Region& r, bool with_counts, boost::json::storage_ptr sp) {
  object o({{"code", r.code},
            {"name", r.name},
            {"short_name", r.short_name},
            {"level", r.level},
            {"parent_code", r.parent_code},
            {"pinyin", r.pinyin},
            {"initials", r.initials}},
           sp);
  if (with_counts) {
    o["child_count"] = r.child_count;
    o["people_count"] = r.people_count;
  }
  if (!r.path.empty()) {
    array path(sp);
    for (auto& [code, name] : r.path)
      path.push_back(object({{"code", code}, {"short_name", name}}, sp));
    o["path"] = std::move(path);
  }
  return o;
}

object UnitJson(const Unit& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"kind", u.kind},
          {"region_code", u.region_code},
          {"region_name", u.region_name},
          {"active", u.active}};
}

object StaffJson(const StaffMember& m) {
  return {{"account_id", m.account_id}, {"name", m.name}, {"phone_masked", m.phone_masked}};
}

object PersonJson(const Person& p) {
  object o{{"id", p.id},
           {"name", p.name},
           {"pinyin", p.pinyin},
           {"initials", p.initials},
           {"gender", p.gender},
           {"birth_year", p.birth_year},
           {"phone_masked", p.phone_masked},
           {"id_number_masked", p.id_number_masked},
           {"village_code", p.village_code},
           {"village_name", p.village_name},
           {"household_id", p.household_id},
           {"relation", p.relation},
           {"active", p.active}};
  return o;
}

object JoinJson(const JoinRequest& j) {
  object o{{"id", j.id},
           {"village_code", j.village_code},
           {"village_name", j.village_name},
           {"town_name", j.town_name},
           {"name", j.name},
           {"phone_masked", j.phone_masked},
           {"id_number_masked", j.id_number_masked},
           {"status", j.status},
           {"created_at", util::IsoUtc(j.created_at)}};
  o["reason"] = j.reason.empty() ? boost::json::value(nullptr) : boost::json::value(j.reason);
  o["decided_at"] =
      j.decided_at ? boost::json::value(util::IsoUtc(*j.decided_at)) : boost::json::value(nullptr);
  return o;
}

object MeJson(const Me& me, const std::string& csrf_token) {
  array roles;
  for (auto& g : me.grants) {
    object r{{"role", perm::RoleName(g.role)},
             {"region_code", g.region_code},
             {"region_name", g.region_name}};
    r["unit_id"] = g.unit_id.empty() ? boost::json::value(nullptr) : boost::json::value(g.unit_id);
    r["unit_name"] =
        g.unit_name.empty() ? boost::json::value(nullptr) : boost::json::value(g.unit_name);
    roles.push_back(std::move(r));
  }
  object o{{"id", me.account.id},
           {"county", object{{"code", me.county_code}, {"name", me.county_name}}},
           {"name", me.account.name},
           {"phone_masked", me.account.phone_masked},
           {"person_id", me.account.person_id.empty() ? boost::json::value(nullptr)
                                                      : boost::json::value(me.account.person_id)},
           {"roles", std::move(roles)},
           {"csrf_token", csrf_token}};
  if (me.village)
    o["village"] = object{
        {"code", me.village->code}, {"name", me.village->short_name}, {"town_name", me.town_name}};
  else
    o["village"] = nullptr;
  return o;
}

}  // namespace sx::org::json
