#include "modules/notices/json.h"

#include <boost/json.hpp>

#include "core/http/input.h"
#include "core/util/clock.h"
#include "core/util/error.h"

namespace sx::notices::json {

using boost::json::array;
using boost::json::object;
using boost::json::value;

namespace {
value Time(const std::optional<int64_t>& t) { return t ? value(util::IsoUtc(*t)) : value(nullptr); }
std::string S(const object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
}  // namespace

object AudienceStored(const Audience& a) {
  array regions, units, roles, households, people;
  for (auto& r : a.regions) regions.push_back(object{{"code", r.code}, {"name", r.name}});
  for (auto& u : a.units) units.push_back(object{{"id", u.id}, {"name", u.name}});
  for (auto& r : a.roles)
    roles.push_back(object{{"role", r.role}, {"region", r.region}, {"region_name", r.region_name}});
  for (auto& h : a.households)
    households.push_back(
        object{{"id", h.id}, {"label", h.label}, {"village_code", h.village_code}});
  for (auto& p : a.people)
    people.push_back(object{{"id", p.id}, {"name", p.name}, {"village_code", p.village_code}});
  return object{{"regions", std::move(regions)},
                {"units", std::move(units)},
                {"roles", std::move(roles)},
                {"households", std::move(households)},
                {"people", std::move(people)}};
}

Audience AudienceFromStored(const value& v) {
  Audience a;
  if (!v.is_object()) return a;
  auto& o = v.as_object();
  auto each = [&](const char* key, auto fn) {
    if (auto* arr = o.if_contains(key); arr && arr->is_array())
      for (auto& item : arr->as_array())
        if (item.is_object()) fn(item.as_object());
  };
  each("regions", [&](const object& x) { a.regions.push_back({S(x, "code"), S(x, "name")}); });
  each("units", [&](const object& x) { a.units.push_back({S(x, "id"), S(x, "name")}); });
  each("roles", [&](const object& x) {
    a.roles.push_back({S(x, "role"), S(x, "region"), S(x, "region_name")});
  });
  each("households", [&](const object& x) {
    a.households.push_back({S(x, "id"), S(x, "label"), S(x, "village_code")});
  });
  each("people", [&](const object& x) {
    a.people.push_back({S(x, "id"), S(x, "name"), S(x, "village_code")});
  });
  return a;
}

array RevisionsStored(const std::vector<Revision>& rs) {
  array out;
  for (auto& r : rs)
    out.push_back(object{{"n", r.n}, {"note", r.note}, {"at", r.at}, {"by", r.by}});
  return out;
}

std::vector<Revision> RevisionsFromStored(const value& v) {
  std::vector<Revision> out;
  if (!v.is_array()) return out;
  for (auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    auto& o = item.as_object();
    Revision r;
    if (auto* n = o.if_contains("n"); n && n->is_int64()) r.n = n->as_int64();
    if (auto* at = o.if_contains("at"); at && at->is_int64()) r.at = at->as_int64();
    r.note = S(o, "note");
    r.by = S(o, "by");
    out.push_back(std::move(r));
  }
  return out;
}

object FileJson(const files::File& f) {
  return object{{"id", f.id},     {"name", f.name},     {"content_type", f.content_type},
                {"size", f.size}, {"sha256", f.sha256}, {"url", "/api/v1/attachments/" + f.id}};
}

static object AudienceOut(const Audience& a) {
  object o = AudienceStored(a);
  // Village codes are stored for follow-up; the API shows names only.
  for (auto* key : {"households", "people"})
    for (auto& item : o[key].as_array()) item.as_object().erase("village_code");
  return o;
}

object NoticeJson(const Notice& n) {
  array revisions;
  for (auto& r : n.revisions)
    revisions.push_back(
        object{{"n", r.n}, {"note", r.note}, {"at", util::IsoUtc(r.at)}, {"by", r.by}});
  array attachments;
  for (auto& f : n.attachments) attachments.push_back(FileJson(f));
  object o{{"id", n.id},
           {"title", n.title},
           {"body", n.status == "withdrawn" && !n.can_manage ? std::string() : n.body},
           {"category", n.category},
           {"urgency", n.urgency},
           {"status", n.status},
           {"publisher",
            object{{"account_id", n.publisher_account},
                   {"name", n.publisher_name},
                   {"label", n.publisher_label},
                   {"unit_id", n.publisher_unit.empty() ? value(nullptr) : value(n.publisher_unit)},
                   {"region_code", n.publisher_region}}},
           {"audience", AudienceOut(n.audience)},
           {"audience_size", n.audience_size},
           {"receipt_required", n.receipt_required},
           {"receipt_deadline", Time(n.receipt_deadline)},
           {"publish_at", util::IsoUtc(n.publish_at)},
           {"published_at", Time(n.published_at)},
           {"expires_at", Time(n.expires_at)},
           {"withdrawn_at", Time(n.withdrawn_at)},
           {"withdraw_reason", n.withdrawn_at ? value(n.withdraw_reason) : value(nullptr)},
           {"revision", n.revision},
           {"revisions", std::move(revisions)},
           {"attachments", std::move(attachments)},
           {"sms", n.sms},
           {"sms_sent", n.sms_sent},
           {"sms_cost_fen", n.sms_cost_fen},
           {"reminded_at", Time(n.reminded_at)},
           {"remind_count", n.remind_count},
           {"created_at", util::IsoUtc(n.created_at)},
           {"updated_at", util::IsoUtc(n.updated_at)},
           {"read_at", Time(n.read_at)},
           {"confirmed_at", Time(n.confirmed_at)},
           {"can_manage", n.can_manage}};
  if (n.can_manage) {
    o["read_count"] = n.read_count;
    o["confirm_count"] = n.confirm_count;
  }
  return o;
}

object InboxItemJson(const InboxItem& i) {
  return object{{"id", i.id},
                {"title", i.title},
                {"excerpt", i.withdrawn ? std::string() : i.excerpt},
                {"category", i.category},
                {"urgency", i.urgency},
                {"publisher_label", i.publisher_label},
                {"published_at", util::IsoUtc(i.published_at)},
                {"receipt_required", i.receipt_required},
                {"receipt_deadline", Time(i.receipt_deadline)},
                {"read_at", Time(i.read_at)},
                {"confirmed_at", Time(i.confirmed_at)},
                {"revision", i.revision},
                {"withdrawn", i.withdrawn},
                {"withdraw_reason", i.withdrawn ? value(i.withdraw_reason) : value(nullptr)},
                {"reminded_at", Time(i.reminded_at)},
                {"attachment_count", i.attachment_count}};
}

static double Rate(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

object StatsJson(const Stats& s) {
  auto tallies = [](const std::vector<Tally>& ts, const char* id_key, bool town) {
    array out;
    for (auto& t : ts) {
      object o{{id_key, t.id},
               {"name", t.name},
               {"audience", t.audience},
               {"read", t.read},
               {"confirmed", t.confirmed}};
      if (town) o["town_code"] = t.parent;
      out.push_back(std::move(o));
    }
    return out;
  };
  return object{{"audience_size", s.audience},
                {"read", s.read},
                {"confirmed", s.confirmed},
                {"unread", std::max<int64_t>(0, s.audience - s.read)},
                {"read_rate", Rate(s.read, s.audience)},
                {"confirm_rate", Rate(s.confirmed, s.audience)},
                {"by_town", tallies(s.by_town, "code", false)},
                {"by_village", tallies(s.by_village, "code", true)},
                {"by_unit", tallies(s.by_unit, "id", false)},
                {"households", object{{"total", s.households_total},
                                      {"none_read", s.households_none_read},
                                      {"flagged", s.households_flagged}}},
                {"sms", object{{"sent", s.sms_sent}, {"cost_fen", s.sms_cost_fen}}},
                {"reminded_at", Time(s.reminded_at)},
                {"remind_count", s.remind_count}};
}

object UnreadJson(const UnreadPerson& u) {
  return object{{"person_id", u.person_id.empty() ? value(nullptr) : value(u.person_id)},
                {"account_id", u.account_id.empty() ? value(nullptr) : value(u.account_id)},
                {"name", u.name},
                {"village_code", u.village_code},
                {"village_name", u.village_name},
                {"household_id", u.household_id},
                {"phone_masked", u.phone_masked},
                {"signed_up", u.signed_up}};
}

object HouseholdJson(const HouseholdRow& h) {
  return object{{"id", h.id},
                {"village_code", h.village_code},
                {"village_name", h.village_name},
                {"head_name", h.head_name},
                {"members", h.members},
                {"read", h.read}};
}

std::string EventPayload(const Notice& n) {
  return boost::json::serialize(object{{"id", n.id},
                                       {"title", n.title},
                                       {"urgency", n.urgency},
                                       {"category", n.category},
                                       {"publisher_label", n.publisher_label}});
}

std::vector<std::string> Strings(const object& o, const char* key, const std::string& field,
                                 size_t max_items, size_t max_len) {
  std::vector<std::string> out;
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) throw Error::Field(field, "must be an array");
  if (v->as_array().size() > max_items)
    throw Error::Field(field, "at most " + std::to_string(max_items) + " entries");
  size_t i = 0;
  for (auto& item : v->as_array()) {
    if (!item.is_string() || item.as_string().size() > max_len)
      throw Error::Field(field + "[" + std::to_string(i) + "]", "must be a short string");
    out.emplace_back(item.as_string());
    ++i;
  }
  return out;
}

AudienceInput AudienceIn(const object& body) {
  AudienceInput a;
  auto* v = body.if_contains("audience");
  if (!v || !v->is_object())
    throw Error::Field("audience",
                       "an object of regions, units, roles, "
                       "households and people");
  auto& o = v->as_object();
  a.regions = Strings(o, "regions", "audience.regions", 500, 12);
  a.units = Strings(o, "units", "audience.units", 500);
  a.households = Strings(o, "households", "audience.households", 500);
  a.people = Strings(o, "people", "audience.people", 500);
  if (auto* roles = o.if_contains("roles"); roles && !roles->is_null()) {
    if (!roles->is_array() || roles->as_array().size() > 100)
      throw Error::Field("audience.roles", "an array of at most 100 {role, region}");
    size_t i = 0;
    for (auto& r : roles->as_array()) {
      std::string field = "audience.roles[" + std::to_string(i++) + "]";
      if (!r.is_object()) throw Error::Field(field, "an object {role, region}");
      auto role = http::OptString(r.as_object(), "role", 40);
      auto region = http::OptString(r.as_object(), "region", 12);
      if (!role || !region) throw Error::Field(field, "needs role and region");
      a.roles.emplace_back(*role, *region);
    }
  }
  return a;
}

}  // namespace sx::notices::json
