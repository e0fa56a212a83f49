#include "modules/requests/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <ctime>
#include <future>
#include <map>
#include <tuple>

#include "core/audit/audit.h"
#include "core/events/log.h"
#include "core/files/strip.h"
#include "core/util/error.h"
#include "core/util/geo.h"
#include "core/util/random.h"
#include "core/util/strings.h"
#include "modules/org/pinyin.h"

namespace sx::requests {

using perm::Perm;

namespace {

constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kBucketHours[] = {1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 336};

int Bucket(int64_t ms) {
  for (int i = 0; i < 11; ++i)
    if (ms <= kBucketHours[i] * kHour) return i;
  return 11;
}

// The month / day a time falls in, in Asia/Shanghai.
std::string Local(int64_t ms, const char* fmt) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

size_t Chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string CheckText(const std::string& v, const char* field, size_t min, size_t max) {
  size_t n = Chars(v);
  if (n < min || n > max)
    throw Error::Field(field,
                       min > 0 ? std::to_string(min) + " to " + std::to_string(max) + " characters"
                               : "at most " + std::to_string(max) + " characters");
  for (unsigned char c : v)
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
      throw Error::Field(field, "no control characters");
  return v;
}

std::string Kind(const std::string& handler) { return handler.substr(0, handler.find(':')); }
std::string Target(const std::string& handler) {
  auto p = handler.find(':');
  return p == std::string::npos ? std::string() : handler.substr(p + 1);
}

std::string NextLevel(const std::string& level) { return level == "village" ? "town" : "county"; }

}  // namespace

RequestsService::RequestsService(db::Database& db, files::Store& files, events::Hub* hub,
                                 const util::Clock& clock)
    : db_(db), files_(files), hub_(hub), clock_(clock) {}

// ---- catalogue -------------------------------------------------------------------------------

std::vector<Category> RequestsService::Categories(const perm::Principal& who) {
  bool admin = who.Has(Perm::kRequestCatalog);
  return db_.ReadValue([&](db::Conn& c) { return repo::Categories(c, who.county_id, !admin); });
}

Category RequestsService::PutCategory(const Caller& cl, const Category& in) {
  Category k = in;
  if (k.code.empty() || k.code.size() > 40 ||
      k.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
    throw Error::Field("code", "lower-case letters, digits, _ and -, at most 40");
  CheckText(k.name, "name", 1, 40);
  CheckText(k.group, "group", 0, 40);
  CheckText(k.description, "description", 0, 200);
  for (auto [v, f] : {std::pair{k.sign_hours, "sign_hours"},
                      {k.reply_hours, "reply_hours"},
                      {k.finish_hours, "finish_hours"}})
    if (v < 1 || v > 24 * 90) throw Error::Field(f, "1 to 2160 hours");
  if (k.sign_hours > k.finish_hours) throw Error::Field("finish_hours", "not before signing");
  int64_t now = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    if (k.handler != "village" && k.handler != "town" && k.handler != "county") {
      if (Kind(k.handler) != "unit" ||
          !repo::UnitNameRegion(c, cl.who.county_id, Target(k.handler)))
        throw Error::Field("handler", "village, town, county or unit:<an active unit id>");
    }
    if (k.about_cadre && k.handler == "village")
      throw Error::Field("handler", "a request about a cadre is handled above the village");
    repo::UpsertCategory(c, cl.who.county_id, k);
    audit::Append(c, {cl.who.county_id, cl.who.account_id, "request.category", "request_category",
                      k.code, "ok", cl.ip, k.handler, now});
  });
  return k;
}

void RequestsService::PutRoute(const Caller& cl, const std::string& category,
                               const std::string& region, const std::string& handler) {
  auto level = perm::LevelOf(region);
  if (level != perm::Level::kTown && level != perm::Level::kVillage)
    throw Error::Field("region", "a town or village code");
  int64_t now = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    auto k = repo::GetCategory(c, cl.who.county_id, category);
    if (!k) throw Error::NotFound();
    if (repo::RegionName(c, cl.who.county_id, region).empty())
      throw Error::Field("region", "no such place");
    if (!handler.empty()) {
      // Validate against a village of the place (any one: the handler kinds are place-relative).
      std::string village = level == perm::Level::kVillage
                                ? region
                                : c.One(
                                       "SELECT code FROM regions WHERE county_id = $1 AND "
                                       "parent_code = $2 ORDER BY code LIMIT 1",
                                       {cl.who.county_id, region})
                                      .value_or(db::Row({std::string()}))
                                      .Str(0);
      if (village.empty()) throw Error::Field("region", "the town has no villages");
      bool bare = handler == "village" || handler == "town" || handler == "county";
      if (!bare && Kind(handler) != "unit")
        throw Error::Field("handler", "village, town, county or unit:<id>");
      Resolve(c, cl.who.county_id, handler, village, k->about_cadre);
    }
    repo::SetRoute(c, cl.who.county_id, category, region, handler);
    audit::Append(
        c, {cl.who.county_id, cl.who.account_id, "request.route", "request_category", category,
            "ok", cl.ip, region + " → " + (handler.empty() ? "default" : handler), now});
  });
}

std::vector<std::pair<std::string, std::string>> RequestsService::Routes(
    const perm::Principal& who, const std::string& category) {
  return db_.ReadValue([&](db::Conn& c) { return repo::Routes(c, who.county_id, category); });
}

int RequestsService::LoadDemoCatalogue(const std::string& county) {
  std::string_view seed = org::SeedFile("seed/request-categories-" + county + ".csv");
  if (seed.empty()) return 0;
  auto rows = util::Split(seed, '\n');
  int added = 0;
  db_.Write([&](db::Conn& c) {
    if (repo::CountCategories(c, county) > 0) return;
    int sort = 0;
    for (size_t i = 1; i < rows.size(); ++i) {
      auto f = util::Split(rows[i], ',');
      if (f.size() < 10) continue;
      Category k;
      k.code = std::string(f[0]);
      k.name = std::string(f[1]);
      k.group = std::string(f[2]);
      k.description = std::string(f[3]);
      k.sign_hours = std::stoll(std::string(f[4]));
      k.reply_hours = std::stoll(std::string(f[5]));
      k.finish_hours = std::stoll(std::string(f[6]));
      k.confirm_required = f[7] == "1";
      k.about_cadre = f[8] == "1";
      std::string h(f[9]);
      while (!h.empty() && (h.back() == '\r' || h.back() == ' ')) h.pop_back();
      if (h.rfind("unit:", 0) == 0) {  // by slug in the seed
        auto u =
            c.One("SELECT id FROM units WHERE county_id = $1 AND slug = $2", {county, h.substr(5)});
        h = u ? "unit:" + u->Str(0) : "village";
      }
      k.handler = h;
      k.sort = sort++;
      repo::UpsertCategory(c, county, k);
      ++added;
    }
  });
  return added;
}

int64_t RequestsService::LoadDemoRequests(const std::string& county, int64_t count, uint64_t seed) {
  std::vector<std::string> villages;
  std::vector<Category> cats;
  std::map<std::string, std::string> village_names;
  int64_t base = 0;  // numbers continue after the requests already there
  db_.Read([&](db::Conn& c) {
    for (auto& r : c.Query("SELECT code, name FROM regions WHERE county_id = $1 AND level = "
                           "'village' ORDER BY code",
                           {county})) {
      villages.push_back(r.Str(0));
      village_names[r.Str(0)] = r.Str(1);
    }
    cats = repo::Categories(c, county, true);
    base = repo::CountRequests(c, county);
  });
  if (villages.empty() || cats.empty()) return 0;
  uint64_t x = seed ? seed : 1;
  auto rnd = [&](uint64_t n) {  // xorshift64*
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return (x * 2685821657736338717ULL) % n;
  };
  int64_t now = clock_.NowMs();
  int64_t span = 180LL * 24 * kHour;
  std::map<std::tuple<std::string, std::string, std::string>, Figures> figs;
  auto fig = [&](const std::string& month, const std::string& dim,
                 const std::string& key) -> Figures& {
    auto& f = figs[{month, dim, key}];
    if (f.sign_hist.empty()) {
      f.month = month;
      f.key = key;
      f.sign_hist.assign(12, 0);
      f.finish_hist.assign(12, 0);
    }
    return f;
  };
  int64_t written = 0;
  const int64_t batch = 2000;
  for (int64_t start = 0; start < count; start += batch) {
    db_.Write([&](db::Conn& c) {
      std::map<std::string, std::pair<std::string, std::string>> handlers;  // cache
      for (int64_t i = start; i < std::min(count, start + batch); ++i) {
        const Category& k = cats[rnd(cats.size())];
        Request r;
        r.id = util::NewId();
        r.village_code = villages[rnd(villages.size())];
        r.category_code = k.code;
        r.about_cadre = k.about_cadre;
        r.description = k.name + "：" + k.description + "（示例）";
        r.is_public = rnd(3) == 0;
        r.reporter_name = "村民";
        r.channel = rnd(4) == 0 ? "cadre" : "app";
        r.created_at = now - span + static_cast<int64_t>(rnd(static_cast<uint64_t>(span)));
        auto key = k.handler + "|" + r.village_code;
        if (!handlers.count(key))
          handlers[key] = Resolve(c, county, k.handler, r.village_code, k.about_cadre);
        std::tie(r.handler, r.handler_name) = handlers[key];
        r.stats_unit = r.handler;
        std::string hk = Kind(r.handler);
        r.level = hk == "village" ? "village" : hk == "town" ? "town" : "county";
        r.number = "D" + Local(r.created_at, "%Y%m%d") + std::to_string(100000 + base + i);
        r.dispatched_at = r.created_at;
        r.sign_due = r.created_at + k.sign_hours * kHour;
        r.reply_due = r.created_at + k.reply_hours * kHour;
        r.finish_due = r.created_at + k.finish_hours * kHour;
        std::string month = Local(r.created_at, "%Y-%m");
        std::string town = perm::AncestorAt(r.village_code, perm::Level::kTown);
        std::vector<std::pair<std::string, std::string>> dims = {
            {"county", perm::AncestorAt(r.village_code, perm::Level::kCounty)},
            {"unit", r.stats_unit},
            {"town", town},
            {"village", r.village_code},
            {"category", r.category_code}};
        Figures one;  // what this request adds to each of its dimensions
        one.month = month;
        one.sign_hist.assign(12, 0);
        one.finish_hist.assign(12, 0);
        one.filed = 1;
        // How far it got: most are done; the recent ones are still open.
        int64_t age = now - r.created_at;
        uint64_t stage = age < 2 * 24 * kHour ? rnd(3) : 3 + rnd(7);
        r.status = "dispatched";
        if (stage >= 1) {
          int64_t sign_after =
              static_cast<int64_t>(rnd(static_cast<uint64_t>(k.sign_hours * 3 / 2 * kHour))) +
              60000;
          r.signed_at = r.created_at + sign_after;
          r.status = "signed";
          one.signed_ = 1;
          one.signed_in_time = *r.signed_at <= *r.sign_due ? 1 : 0;
          one.sign_hist[static_cast<size_t>(Bucket(sign_after))] = 1;
        }
        if (stage >= 3) {
          int64_t finish_after =
              static_cast<int64_t>(rnd(static_cast<uint64_t>(k.finish_hours * 6 / 5 * kHour))) +
              kHour;
          r.replied_at = *r.signed_at + kHour;
          r.finished_at = r.created_at + finish_after;
          bool fixed = rnd(10) < 8;
          r.outcome = fixed ? "fixed" : "not_fixed";
          r.result_note = fixed ? "已处理完毕" : "已向群众解释";
          r.status = fixed ? "resolved" : "closed";
          r.closed_at = r.finished_at;
          // The four-week follow-up only when still ahead (the past's is not replayed).
          if (fixed && *r.closed_at + kFollowupAfterMs > now)
            r.followup_due = *r.closed_at + kFollowupAfterMs;
          bool rated = rnd(10) < 6;
          int64_t rating = 1 + static_cast<int64_t>(fixed ? 2 + rnd(3) : rnd(4));
          if (rated) {
            r.rating = rating;
            r.rated_at = *r.finished_at + kHour;
          }
          one.finished = 1;
          one.finished_in_time = *r.finished_at <= *r.finish_due ? 1 : 0;
          one.finish_hist[static_cast<size_t>(Bucket(finish_after))] = 1;
          (fixed ? one.resolved : one.unresolved) = 1;
          if (rated) {
            one.rated = 1;
            one.satisfied = rating >= 4 ? 1 : 0;
            one.rating_sum = rating;
          }
        }
        for (auto& [d, kk] : dims) repo::Accumulate(fig(month, d, kk), one);
        repo::AddEntry(c, county, r.id, dims, one);
        r.updated_at = r.closed_at.value_or(r.signed_at.value_or(r.created_at));
        repo::Insert(c, county, r);
        requests::Step s{1, r.created_at, "system", "系统", "file", "", r.handler, {}};
        repo::AddStep(c, county, r.id, s);
        s = {2, r.created_at, "system", "系统", "dispatch", r.handler_name, r.handler, {}};
        repo::AddStep(c, county, r.id, s);
        ++written;
      }
    });
  }
  db_.Write([&](db::Conn& c) {
    for (auto& [k, f] : figs) repo::AddFigures(c, county, f, std::get<1>(k));
  });
  return written;
}

files::File RequestsService::UploadPhoto(const Caller& cl, const std::string& name,
                                         std::string_view bytes) {
  if (!cl.who.Has(Perm::kRequestCreate) && !cl.who.Has(Perm::kRequestHandle))
    throw Error::NotFound();
  if (static_cast<int64_t>(bytes.size()) > 10 * 1024 * 1024)
    throw Error(ErrorCode::kTooLarge, "Photos may be at most 10 MB");
  std::string type = files::Sniff(bytes);
  if (type != "image/jpeg" && type != "image/png" && type != "image/webp")
    throw Error(ErrorCode::kUnsupportedType, "Photos must be JPEG, PNG or WebP");
  std::string clean = files::StripMetadata(bytes, type);
  return files_.Put(cl.who.county_id, cl.who.account_id, name, clean, /*staged=*/true);
}

std::pair<files::File, std::string> RequestsService::Photo(const perm::Principal& who,
                                                           const std::string& id) {
  auto f = files_.Get(who.county_id, id);
  if (!f) throw Error::NotFound();
  if (f->ref_type == "request" || f->ref_type == "request_step") {
    Load(who, f->ref_id.substr(0, f->ref_id.find(':')), false);  // NotFound unless visible
  } else if (f->owner_account != who.account_id) {
    throw Error::NotFound();
  }
  return {*f, files_.Read(*f)};
}

// ---- access ----------------------------------------------------------------------------------

bool RequestsService::Supervises(const perm::Principal& who, const std::string& village) const {
  for (auto& g : who.grants)
    if ((g.role == perm::Role::kTownOfficial || g.role == perm::Role::kCountyAdmin) &&
        perm::Within(g.region_code, village))
      return true;
  return false;
}

bool RequestsService::Handles(const perm::Principal& who, const Request& r) const {
  std::string kind = Kind(r.handler), target = Target(r.handler);
  for (auto& g : who.grants) {
    if (kind == "unit" && g.role == perm::Role::kUnitStaff && g.unit_id == target) return true;
    if (kind == "village" && g.role == perm::Role::kVillageCadre && g.region_code == target)
      return true;
    if (kind == "town" && g.role == perm::Role::kTownOfficial &&
        perm::Within(g.region_code, target))
      return true;
    if (kind == "county" && g.role == perm::Role::kCountyAdmin) return true;
  }
  return false;
}

bool RequestsService::Visible(const perm::Principal& who, const Request& r) const {
  if (r.reporter_account == who.account_id || r.filed_by == who.account_id) return true;
  if (Handles(who, r) || Supervises(who, r.village_code)) return true;
  if (!r.about_cadre)
    for (auto& g : who.grants)
      if (g.role == perm::Role::kVillageCadre && perm::Within(g.region_code, r.village_code))
        return true;
  return r.is_public;
}

void RequestsService::Fill(const perm::Principal& who, Request& r) {
  r.is_reporter = r.reporter_account == who.account_id;
  r.can_handle = Handles(who, r);
  r.can_supervise = Supervises(who, r.village_code);
  bool involved = r.is_reporter || r.filed_by == who.account_id || r.can_handle || r.can_supervise;
  bool village_cadre = false;
  for (auto& g : who.grants)
    if (g.role == perm::Role::kVillageCadre && perm::Within(g.region_code, r.village_code))
      village_cadre = true;
  // The public, and a village looking at a request about its own cadres, see no reporter.
  r.reporter_hidden = !involved && !(village_cadre && !r.about_cadre);
  if (r.reporter_hidden) {
    r.reporter_name = "";
    r.reporter_account = "";
    r.reporter_person = "";
    r.filed_by = "";
  }
}

Request RequestsService::Load(const perm::Principal& who, const std::string& id, bool) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  auto r = db_.ReadValue([&](db::Conn& c) { return repo::Get(c, who.county_id, id); });
  if (!r || !Visible(who, *r)) throw Error::NotFound();
  return *r;
}

Request RequestsService::Get(const perm::Principal& who, const std::string& id) {
  return Detail(who, Load(who, id, false));
}

Request RequestsService::Detail(const perm::Principal& who, Request r) {
  const std::string id = r.id;
  db_.Read([&](db::Conn& c) {
    r.steps = repo::Steps(c, who.county_id, id);
    r.photos = files_.ListFor(c, who.county_id, "request", id);
    for (auto& s : r.steps)
      s.photos = files_.ListFor(c, who.county_id, "request_step", id + ":" + std::to_string(s.seq));
    r.metoo = repo::HasMetoo(c, who.county_id, id, who.account_id);
  });
  Fill(who, r);
  if (r.reporter_hidden)
    for (auto& s : r.steps)
      if (s.kind == "file" || s.kind == "confirm" || s.kind == "rate" || s.kind == "followup") {
        s.actor = "";
        s.actor_name = "";
      }
  return r;
}

// ---- routing ---------------------------------------------------------------------------------

std::pair<std::string, std::string> RequestsService::Resolve(db::Conn& c, const std::string& county,
                                                             const std::string& handler,
                                                             const std::string& village,
                                                             bool about_cadre) {
  std::string h = handler;
  std::string town = perm::AncestorAt(village, perm::Level::kTown);
  std::string county_code = perm::AncestorAt(village, perm::Level::kCounty);
  if (h == "village") h = about_cadre ? "town:" + town : "village:" + village;
  if (h == "town") h = "town:" + town;
  if (h == "county") h = "county:" + county_code;
  std::string kind = Kind(h), target = Target(h);
  if (kind == "unit") {
    auto u = repo::UnitNameRegion(c, county, target);
    if (!u) throw Error::Field("handler", "no such active unit");
    return {h, u->first};
  }
  if (kind == "village" && about_cadre)
    throw Error::Field("handler", "a request about a cadre is handled above the village");
  if ((kind == "village" && perm::LevelOf(target) == perm::Level::kVillage) ||
      (kind == "town" && perm::LevelOf(target) == perm::Level::kTown) ||
      (kind == "county" && perm::LevelOf(target) == perm::Level::kCounty)) {
    std::string name = repo::RegionName(c, county, target);
    if (name.empty()) throw Error::Field("handler", "no such place");
    return {h, name};
  }
  throw Error::Field("handler", "village:<code>, town:<code>, county:<code> or unit:<id>");
}

std::vector<std::string> RequestsService::HandlerKeys(const std::string&,
                                                      const std::string& handler) const {
  std::string kind = Kind(handler), target = Target(handler);
  if (kind == "unit") return {"u:" + target};
  if (kind == "village") return {"g:village_cadre:" + target};
  if (kind == "town") return {"g:town_official:" + target};
  return {"g:county_admin:" + target};
}

std::vector<std::string> RequestsService::SupervisorKeys(const std::string&,
                                                         const Request& r) const {
  std::vector<std::string> keys{"g:county_admin:" +
                                perm::AncestorAt(r.village_code, perm::Level::kCounty)};
  if (r.level != "county")
    keys.push_back("g:town_official:" + perm::AncestorAt(r.village_code, perm::Level::kTown));
  return keys;
}

void RequestsService::Announce(db::Conn& c, const std::string& county, const Request& r,
                               const std::string& type, std::vector<std::string> keys) {
  boost::json::object o{{"id", r.id},
                        {"number", r.number},
                        {"status", r.status},
                        {"category", r.category_code},
                        {"title", r.category_name + " · " + r.number}};
  events::Append(c, county, type, keys, boost::json::serialize(o), clock_.NowMs());
}

void RequestsService::Step(db::Conn& c, const std::string& county, const Caller* by, Request& r,
                           const std::string& kind, const std::string& note, int64_t now) {
  auto steps = repo::Steps(c, county, r.id);
  requests::Step s;
  s.seq = steps.empty() ? 1 : steps.back().seq + 1;
  s.at = now;
  s.actor = by ? by->who.account_id : "system";
  s.actor_name = by ? by->who.name : "系统";
  s.kind = kind;
  s.note = note;
  s.handler = r.handler;
  repo::AddStep(c, county, r.id, s);
  audit::Append(
      c, {county, s.actor, "request." + kind, "request", r.id, "ok", by ? by->ip : "", note, now});
  r.steps.push_back(s);
}

void RequestsService::Stats(db::Conn& c, const std::string& county, const Request& r,
                            const repo::StatDelta& d) {
  std::string month = Local(r.created_at, "%Y-%m");
  std::vector<std::pair<std::string, std::string>> dims = {
      {"county", perm::AncestorAt(r.village_code, perm::Level::kCounty)},
      {"unit", r.stats_unit},
      {"town", perm::AncestorAt(r.village_code, perm::Level::kTown)},
      {"village", r.village_code},
      {"category", r.category_code}};
  for (auto& [dim, key] : dims) repo::AddStats(c, county, month, dim, key, d);
  // The ledger entry `shuxiang stats rebuild` sums up again.
  Figures one;
  one.month = month;
  one.filed = d.filed;
  one.signed_ = d.signed_;
  one.signed_in_time = d.signed_in_time;
  one.finished = d.finished;
  one.finished_in_time = d.finished_in_time;
  one.resolved = d.resolved;
  one.unresolved = d.unresolved;
  one.rated = d.rated;
  one.satisfied = d.satisfied;
  one.rating_sum = d.rating_sum;
  one.sign_hist.assign(12, 0);
  one.finish_hist.assign(12, 0);
  if (d.sign_bucket >= 0 && d.sign_bucket < 12)
    one.sign_hist[static_cast<size_t>(d.sign_bucket)] = 1;
  if (d.finish_bucket >= 0 && d.finish_bucket < 12)
    one.finish_hist[static_cast<size_t>(d.finish_bucket)] = 1;
  repo::AddEntry(c, county, r.id, dims, one);
}

repo::RebuildResult RequestsService::RebuildStats(db::Conn& c, const std::string& county) {
  return repo::RebuildStats(c, county);
}

std::vector<Figures> RequestsService::RawStats(const std::string& county, const std::string& dim,
                                               const std::string& from, const std::string& to) {
  return db_.ReadValue([&](db::Conn& c) { return repo::ReadStats(c, county, dim, from, to); });
}

int64_t RequestsService::OverdueNow(const std::string& county, const std::string& lo,
                                    const std::string& hi, const std::string& handler,
                                    std::map<std::string, int64_t>* by_village) {
  int64_t now = clock_.NowMs();
  return db_.ReadValue(
      [&](db::Conn& c) { return repo::OverdueNow(c, county, now, lo, hi, handler, by_village); });
}

// ---- filing ----------------------------------------------------------------------------------

Request RequestsService::File(const Caller& cl, const FileInput& in) {
  const auto& who = cl.who;
  // Open311 allows up to 4,000 characters and no minimum (the route supplies a placeholder).
  if (in.partner.empty())
    CheckText(in.description, "description", 5, 2000);
  else
    CheckText(in.description, "description", 1, 4000);
  CheckText(in.address, "address", 0, 200);
  if (in.photos.size() > 6) throw Error::Field("photos", "at most 6 photos");
  std::optional<int64_t> lat_e6, lng_e6;
  if (in.lat || in.lng) {
    if (!in.lat || !in.lng) throw Error::Field("location", "send both lat and lng");
    double lat = *in.lat, lng = *in.lng;
    if (in.coord != "wgs84" && in.coord != "gcj02") throw Error::Field("coord", "wgs84 or gcj02");
    if (!util::InChina(lat, lng)) throw Error::Field("location", "outside China");
    if (in.coord == "gcj02") std::tie(lat, lng) = util::Gcj02ToWgs84(lat, lng);
    lat_e6 = std::llround(lat * 1e6);
    lng_e6 = std::llround(lng * 1e6);
  }
  int64_t now = clock_.NowMs();
  Request r;
  r.id = util::NewId();
  r.description = in.description;
  r.address = in.address;
  r.lat_e6 = lat_e6;
  r.lng_e6 = lng_e6;
  r.is_public = in.is_public;
  r.filed_by = who.account_id;
  r.channel = in.on_behalf_of.empty() ? in.channel : "cadre";
  r.created_at = r.updated_at = now;
  std::future<void> photo_sync;
  db_.Write([&](db::Conn& c) {
    auto cat = repo::GetCategory(c, who.county_id, in.category);
    if (!cat || !cat->active) throw Error::Field("category", "not in the county's catalogue");
    r.category_code = cat->code;
    r.category_name = cat->name;
    r.about_cadre = cat->about_cadre;
    if (!in.partner.empty()) {
      // An Open311 partner's report: public by nature, no account behind it.
      r.reporter_name = in.reporter_name;
      r.filed_by = "partner:" + in.partner;
      r.channel = "open311";
      r.is_public = true;
      r.village_code = in.village_code;
      if (perm::LevelOf(r.village_code) != perm::Level::kVillage ||
          repo::RegionName(c, who.county_id, r.village_code).empty())
        throw Error::Field("address_id", "a 12-digit village code of this county");
    } else if (!in.on_behalf_of.empty()) {
      // A cadre files for a villager of their own village.
      auto p = util::LooksLikeId(in.on_behalf_of)
                   ? c.One(
                         "SELECT id, name, village_code FROM people WHERE county_id = $1 AND "
                         "id = $2 AND active = 1",
                         {who.county_id, in.on_behalf_of})
                   : std::nullopt;
      bool ok = false;
      if (p)
        for (auto& g : who.grants)
          ok =
              ok || (g.role == perm::Role::kVillageCadre && perm::Within(g.region_code, p->Str(2)));
      if (!ok) throw Error::Field("on_behalf_of", "not a villager of your village");
      auto acct = c.One("SELECT id FROM accounts WHERE county_id = $1 AND person_id = $2",
                        {who.county_id, p->Str(0)});
      r.reporter_person = p->Str(0);
      r.reporter_name = p->Str(1);
      r.reporter_account = acct ? acct->Str(0) : "";
      r.village_code = p->Str(2);
    } else {
      if (who.person_id.empty()) throw Error::Field("village_code", "join a village first");
      auto p = c.One("SELECT village_code FROM people WHERE county_id = $1 AND id = $2",
                     {who.county_id, who.person_id});
      r.reporter_account = who.account_id;
      r.reporter_person = who.person_id;
      r.reporter_name = who.name;
      r.village_code = p ? p->Str(0) : "";
      if (!in.village_code.empty() && in.village_code != r.village_code) {
        // Reporting about another village of the county is allowed (the place of the problem).
        if (perm::LevelOf(in.village_code) != perm::Level::kVillage ||
            repo::RegionName(c, who.county_id, in.village_code).empty())
          throw Error::Field("village_code", "not a village of this county");
        r.village_code = in.village_code;
      }
    }
    if (perm::LevelOf(r.village_code) != perm::Level::kVillage)
      throw Error::Field("village_code", "the request needs a village");
    r.village_name = repo::RegionName(c, who.county_id, r.village_code);
    std::string town = perm::AncestorAt(r.village_code, perm::Level::kTown);
    std::string tmpl =
        repo::RouteFor(c, who.county_id, cat->code, r.village_code, town).value_or(cat->handler);
    std::tie(r.handler, r.handler_name) =
        Resolve(c, who.county_id, tmpl, r.village_code, r.about_cadre);
    r.stats_unit = r.handler;
    std::string kind = Kind(r.handler);
    r.level = kind == "village" ? "village" : kind == "town" ? "town" : "county";
    r.number = repo::NextNumber(c, who.county_id, Local(now, "%Y%m%d"));
    r.status = "dispatched";
    r.dispatched_at = now;
    r.sign_due = now + cat->sign_hours * kHour;
    r.reply_due = now + cat->reply_hours * kHour;
    r.finish_due = now + cat->finish_hours * kHour;
    repo::Insert(c, who.county_id, r);
    r.photos =
        files_.Attach(c, who.county_id, in.photos, who.account_id, "request", r.id, "photos");
    // The photos' bytes sync while this transaction commits; the request is acknowledged only
    // when both are durable.
    if (!r.photos.empty())
      photo_sync =
          std::async(std::launch::async, [this, photos = r.photos] { files_.Sync(photos); });
    Step(c, who.county_id, &cl, r, "file", in.on_behalf_of.empty() ? "" : "代为反映", now);
    Step(c, who.county_id, nullptr, r, "dispatch", r.handler_name, now);
    repo::StatDelta d;
    d.filed = 1;
    Stats(c, who.county_id, r, d);
    Announce(c, who.county_id, r, "request.assigned", HandlerKeys(who.county_id, r.handler));
  });
  if (photo_sync.valid()) photo_sync.get();
  if (hub_) hub_->Kick();
  Fill(who, r);
  return r;
}

// ---- lists -----------------------------------------------------------------------------------

namespace {
void ParseCursor(const std::string& cursor, repo::ListFilter* f) {
  if (cursor.empty()) return;
  auto us = cursor.find('_');
  if (us == std::string::npos || us > 15 || !util::LooksLikeId(cursor.substr(us + 1)))
    throw Error::Field("cursor", "not a cursor from this list");
  try {
    f->before_created = std::stoll(cursor.substr(0, us));
  } catch (...) {
    throw Error::Field("cursor", "not a cursor from this list");
  }
  f->before_id = cursor.substr(us + 1);
}
}  // namespace

Page RequestsService::List(const perm::Principal& who, const std::string& scope,
                           const std::string& status, const std::string& village,
                           const std::string& category, const std::string& cursor, int limit) {
  repo::ListFilter f;
  if (scope == "mine" || scope.empty()) {
    f.reporter = who.account_id;
  } else if (scope == "todo") {
    for (auto& g : who.grants) {
      if (g.role == perm::Role::kUnitStaff && !g.unit_id.empty())
        f.handlers.push_back("unit:" + g.unit_id);
      if (g.role == perm::Role::kVillageCadre) f.handlers.push_back("village:" + g.region_code);
      if (g.role == perm::Role::kTownOfficial) f.handlers.push_back("town:" + g.region_code);
      if (g.role == perm::Role::kCountyAdmin) f.handlers.push_back("county:" + g.region_code);
      // Supervisors also see what was escalated to their level in their place.
      if (g.role == perm::Role::kTownOfficial || g.role == perm::Role::kCountyAdmin) {
        f.escalated.push_back({g.role == perm::Role::kTownOfficial ? "town" : "county",
                               perm::CodeRange(g.region_code)});
      }
    }
    if (f.handlers.empty()) throw Error::NotFound();
  } else if (scope == "all") {
    for (auto& g : who.grants) {
      if (g.role != perm::Role::kTownOfficial && g.role != perm::Role::kCountyAdmin) continue;
      f.village_ranges.push_back(perm::CodeRange(g.region_code));
    }
    if (f.village_ranges.empty()) throw Error::NotFound();
  } else {
    throw Error::Field("scope", "mine, todo or all");
  }
  f.status = status;
  f.village = village;
  f.category = category;
  f.limit = limit + 1;
  ParseCursor(cursor, &f);
  Page page;
  page.items = db_.ReadValue([&](db::Conn& c) { return repo::List(c, who.county_id, f); });
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_cursor = std::to_string(page.items.back().created_at) + "_" + page.items.back().id;
  }
  for (auto& r : page.items) Fill(who, r);
  return page;
}

std::vector<Request> RequestsService::PublicRequests(const std::string& county,
                                                     repo::ListFilter f) {
  f.public_only = true;
  return db_.ReadValue([&](db::Conn& c) { return repo::List(c, county, f); });
}

Page RequestsService::Board(const perm::Principal& who, const std::string& village,
                            const std::string& cursor, int limit) {
  if (perm::LevelOf(village) != perm::Level::kVillage)
    throw Error::Field("village", "a village code");
  repo::ListFilter f;
  f.public_only = true;
  f.village = village;
  f.limit = limit + 1;
  ParseCursor(cursor, &f);
  Page page;
  page.items = db_.ReadValue([&](db::Conn& c) { return repo::List(c, who.county_id, f); });
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_cursor = std::to_string(page.items.back().created_at) + "_" + page.items.back().id;
  }
  for (auto& r : page.items) {
    Fill(who, r);
    // The board is anonymised for everyone, the reporter included.
    r.reporter_hidden = true;
    r.reporter_name = r.reporter_account = r.reporter_person = r.filed_by = "";
  }
  return page;
}

// ---- steps -----------------------------------------------------------------------------------

Request RequestsService::Transition(const Caller& cl, const std::string& id,
                                    const std::function<void(db::Conn&, Request&, int64_t)>& fn) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  int64_t now = clock_.NowMs();
  Request out;
  db_.Write([&](db::Conn& c) {
    auto r = repo::Get(c, cl.who.county_id, id);
    if (!r || !Visible(cl.who, *r)) throw Error::NotFound();
    fn(c, *r, now);
    r->updated_at = now;
    repo::Update(c, cl.who.county_id, *r);
    out = *r;
  });
  if (hub_) hub_->Kick();
  // The result of one's own step, even when it moved the request out of one's sight (a transfer).
  return Detail(cl.who, std::move(out));
}

namespace {
[[noreturn]] void NotNow(const Request& r) {
  throw Error::Conflict("Not possible while the request is " + r.status);
}
// Acting on a request one may see but not act on answers 404, like any denial.
void NeedHandler(bool handles) {
  if (!handles) throw Error::NotFound();
}
}  // namespace

Request RequestsService::Sign(const Caller& cl, const std::string& id) {
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    NeedHandler(Handles(cl.who, r));
    if (r.status != "dispatched" && r.status != "returned") NotNow(r);
    bool first = !r.signed_at.has_value();
    r.status = "signed";
    if (first) {
      r.signed_at = now;
      repo::StatDelta d;
      d.signed_ = 1;
      d.signed_in_time = r.sign_due && now <= *r.sign_due ? 1 : 0;
      d.sign_bucket = Bucket(now - r.created_at);
      Stats(c, cl.who.county_id, r, d);
    }
    Step(c, cl.who.county_id, &cl, r, "sign", "", now);
    Announce(c, cl.who.county_id, r, "request.updated", {"a:" + r.reporter_account});
  });
}

Request RequestsService::Progress(const Caller& cl, const std::string& id, const std::string& note,
                                  const std::vector<std::string>& photos) {
  CheckText(note, "note", 1, 2000);
  if (photos.size() > 6) throw Error::Field("photos", "at most 6 photos");
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    NeedHandler(Handles(cl.who, r));
    if (r.status != "signed" && r.status != "processing") NotNow(r);
    r.status = "processing";
    if (!r.replied_at) r.replied_at = now;
    Step(c, cl.who.county_id, &cl, r, "progress", note, now);
    files_.Sync(files_.Attach(c, cl.who.county_id, photos, cl.who.account_id, "request_step",
                              r.id + ":" + std::to_string(r.steps.back().seq), "photos"));
    Announce(c, cl.who.county_id, r, "request.updated", {"a:" + r.reporter_account});
  });
}

Request RequestsService::Finish(const Caller& cl, const std::string& id, const std::string& outcome,
                                const std::string& note, const std::vector<std::string>& photos) {
  CheckText(note, "note", 1, 2000);
  if (outcome != "fixed" && outcome != "not_fixed")
    throw Error::Field("outcome", "fixed or not_fixed");
  if (photos.size() > 6) throw Error::Field("photos", "at most 6 photos");
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    NeedHandler(Handles(cl.who, r));
    if (r.status != "signed" && r.status != "processing") NotNow(r);
    auto cat = repo::GetCategory(c, cl.who.county_id, r.category_code);
    bool first = !r.finished_at.has_value();
    r.finished_at = now;
    if (!r.replied_at) r.replied_at = now;
    r.outcome = outcome;
    r.result_note = note;
    repo::StatDelta d;
    if (first) {
      d.finished = 1;
      d.finished_in_time = r.finish_due && now <= *r.finish_due ? 1 : 0;
      d.finish_bucket = Bucket(now - r.created_at);
    }
    if (outcome == "not_fixed") {
      r.status = "closed";  // closed but not fixed: distinct from resolved
      r.closed_at = now;
      d.unresolved = 1;
    } else if (cat && cat->confirm_required && !r.reporter_account.empty()) {
      r.status = "finished";  // waiting for the reporter
    } else {
      r.status = "resolved";
      r.closed_at = now;
      r.followup_due = now + kFollowupAfterMs;
      d.resolved = 1;
    }
    Stats(c, cl.who.county_id, r, d);
    Step(c, cl.who.county_id, &cl, r, "finish", note, now);
    files_.Sync(files_.Attach(c, cl.who.county_id, photos, cl.who.account_id, "request_step",
                              r.id + ":" + std::to_string(r.steps.back().seq), "photos"));
    Announce(c, cl.who.county_id, r, "request.updated", {"a:" + r.reporter_account});
  });
}

Request RequestsService::Confirm(const Caller& cl, const std::string& id, bool fixed,
                                 const std::string& note) {
  CheckText(note, "note", 0, 500);
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    if (r.reporter_account != cl.who.account_id) throw Error::NotFound();
    if (r.status != "finished") NotNow(r);
    if (fixed) {
      r.status = "resolved";
      r.closed_at = now;
      r.followup_due = now + kFollowupAfterMs;
      repo::StatDelta d;
      d.resolved = 1;
      Stats(c, cl.who.county_id, r, d);
      Step(c, cl.who.county_id, &cl, r, "confirm", note, now);
    } else {
      auto cat = repo::GetCategory(c, cl.who.county_id, r.category_code);
      r.status = "processing";
      r.reopen_count += 1;
      r.finish_due = now + (cat ? cat->finish_hours : 168) * kHour;
      Step(c, cl.who.county_id, &cl, r, "reopen", note, now);
      Announce(c, cl.who.county_id, r, "request.assigned",
               HandlerKeys(cl.who.county_id, r.handler));
    }
  });
}

Request RequestsService::Rate(const Caller& cl, const std::string& id, int64_t rating,
                              const std::string& comment) {
  if (rating < 1 || rating > 5) throw Error::Field("rating", "1 to 5");
  CheckText(comment, "comment", 0, 500);
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    if (r.reporter_account != cl.who.account_id) throw Error::NotFound();
    if (r.status != "finished" && r.status != "resolved" && r.status != "closed") NotNow(r);
    if (r.rating) throw Error::Conflict("Already rated");
    r.rating = rating;
    r.rating_comment = comment;
    r.rated_at = now;
    repo::StatDelta d;
    d.rated = 1;
    d.satisfied = rating >= 4 ? 1 : 0;
    d.rating_sum = rating;
    Stats(c, cl.who.county_id, r, d);
    Step(c, cl.who.county_id, &cl, r, "rate",
         std::to_string(rating) + (comment.empty() ? "" : " " + comment), now);
    Announce(c, cl.who.county_id, r, "request.updated", HandlerKeys(cl.who.county_id, r.handler));
  });
}

Request RequestsService::Followup(const Caller& cl, const std::string& id, bool still_fixed) {
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    if (r.reporter_account != cl.who.account_id) throw Error::NotFound();
    if (r.followup_answer != "asked") NotNow(r);
    r.followup_answer = still_fixed ? "still_fixed" : "broken_again";
    Step(c, cl.who.county_id, &cl, r, "followup", r.followup_answer, now);
    if (!still_fixed) {
      auto cat = repo::GetCategory(c, cl.who.county_id, r.category_code);
      r.status = "processing";
      r.reopen_count += 1;
      r.finish_due = now + (cat ? cat->finish_hours : 168) * kHour;
      Announce(c, cl.who.county_id, r, "request.assigned",
               HandlerKeys(cl.who.county_id, r.handler));
    }
  });
}

Request RequestsService::Transfer(const Caller& cl, const std::string& id,
                                  const std::string& handler, const std::string& reason) {
  CheckText(reason, "reason", 1, 500);
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    if (!Handles(cl.who, r) && !Supervises(cl.who, r.village_code)) throw Error::NotFound();
    if (r.status != "dispatched" && r.status != "signed" && r.status != "processing" &&
        r.status != "returned")
      NotNow(r);
    auto [h, name] = Resolve(c, cl.who.county_id, handler, r.village_code, r.about_cadre);
    if (h == r.handler) throw Error::Field("handler", "already handled there");
    auto cat = repo::GetCategory(c, cl.who.county_id, r.category_code);
    r.handler = h;
    r.handler_name = name;
    r.status = "dispatched";
    r.sign_due = now + (cat ? cat->sign_hours : 24) * kHour;
    r.escalated_at.reset();
    Step(c, cl.who.county_id, &cl, r, "transfer", name + "：" + reason, now);
    Announce(c, cl.who.county_id, r, "request.assigned", HandlerKeys(cl.who.county_id, r.handler));
  });
}

Request RequestsService::Return(const Caller& cl, const std::string& id,
                                const std::string& reason) {
  CheckText(reason, "reason", 1, 500);
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    NeedHandler(Handles(cl.who, r));
    if (r.status != "dispatched" && r.status != "signed") NotNow(r);
    std::string town = perm::AncestorAt(r.village_code, perm::Level::kTown);
    std::string to = Kind(r.handler) == "town" || Kind(r.handler) == "unit"
                         ? "county:" + perm::AncestorAt(r.village_code, perm::Level::kCounty)
                         : "town:" + town;
    std::tie(r.handler, r.handler_name) =
        Resolve(c, cl.who.county_id, to, r.village_code, r.about_cadre);
    r.status = "returned";
    Step(c, cl.who.county_id, &cl, r, "return", reason, now);
    Announce(c, cl.who.county_id, r, "request.assigned", HandlerKeys(cl.who.county_id, r.handler));
  });
}

Request RequestsService::Dispatch(const Caller& cl, const std::string& id,
                                  const std::string& handler, const std::string& note) {
  CheckText(note, "note", 0, 500);
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    if (!Supervises(cl.who, r.village_code)) throw Error::NotFound();
    if (r.status == "merged" || r.status == "resolved" || r.status == "closed" ||
        r.status == "finished")
      NotNow(r);
    auto [h, name] = Resolve(c, cl.who.county_id, handler, r.village_code, r.about_cadre);
    auto cat = repo::GetCategory(c, cl.who.county_id, r.category_code);
    r.handler = h;
    r.handler_name = name;
    r.status = "dispatched";
    r.sign_due = now + (cat ? cat->sign_hours : 24) * kHour;
    r.escalated_at.reset();
    Step(c, cl.who.county_id, &cl, r, "dispatch", name + (note.empty() ? "" : "：" + note), now);
    Announce(c, cl.who.county_id, r, "request.assigned", HandlerKeys(cl.who.county_id, r.handler));
  });
}

Request RequestsService::Merge(const Caller& cl, const std::string& id, const std::string& into,
                               const std::string& note) {
  CheckText(note, "note", 0, 500);
  if (!util::LooksLikeId(into) || into == id) throw Error::Field("into", "another request's id");
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    if (!Supervises(cl.who, r.village_code)) throw Error::NotFound();
    if (r.status == "merged" || r.status == "resolved" || r.status == "closed") NotNow(r);
    auto target = repo::Get(c, cl.who.county_id, into);
    if (!target || !Supervises(cl.who, target->village_code) || target->status == "merged")
      throw Error::Field("into", "no such open request in your scope");
    r.status = "merged";
    r.merged_into = into;
    r.closed_at = now;
    Step(c, cl.who.county_id, &cl, r, "merge", target->number + (note.empty() ? "" : "：" + note),
         now);
    if (!r.reporter_account.empty() &&
        repo::AddMetoo(c, cl.who.county_id, into, r.reporter_account, now))
      target->metoo_count += 1;
    target->metoo_count += r.metoo_count;
    target->updated_at = now;
    repo::Update(c, cl.who.county_id, *target);
    Step(c, cl.who.county_id, &cl, *target, "merged_in", r.number, now);
    Announce(c, cl.who.county_id, r, "request.updated", {"a:" + r.reporter_account});
  });
}

Request RequestsService::Metoo(const Caller& cl, const std::string& id) {
  return Transition(cl, id, [&](db::Conn& c, Request& r, int64_t now) {
    if (!r.is_public) throw Error::NotFound();
    if (r.reporter_account == cl.who.account_id) throw Error::Conflict("This is your own request");
    if (r.status == "merged" || r.status == "resolved" || r.status == "closed") NotNow(r);
    if (repo::AddMetoo(c, cl.who.county_id, r.id, cl.who.account_id, now)) r.metoo_count += 1;
  });
}

int64_t RequestsService::PartnerUpdate(const std::string& county, const std::string& partner_name,
                                       const std::string& id, const std::string& status,
                                       const std::string& description) {
  CheckText(description, "description", 0, 4000);
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  int64_t now = clock_.NowMs();
  int64_t seq = 0;
  db_.Write([&](db::Conn& c) {
    auto r = repo::Get(c, county, id);
    if (!r || !r->is_public) throw Error::NotFound();
    perm::Principal as;
    as.county_id = county;
    as.account_id = "partner";
    as.name = partner_name;
    Caller by{as, ""};
    bool reopen = (status == "REOPEN" || status == "OPEN" || status == "open") &&
                  (r->status == "finished" || r->status == "resolved" || r->status == "closed");
    if (reopen) {
      auto cat = repo::GetCategory(c, county, r->category_code);
      r->status = "processing";
      r->reopen_count += 1;
      r->finish_due = now + (cat ? cat->finish_hours : 168) * kHour;
      Announce(c, county, *r, "request.assigned", HandlerKeys(county, r->handler));
    }
    Step(c, county, &by, *r, "update", description, now);
    seq = r->steps.back().seq;
    r->updated_at = now;
    repo::Update(c, county, *r);
  });
  if (hub_) hub_->Kick();
  return seq;
}

// ---- figures ---------------------------------------------------------------------------------

namespace {
std::optional<double> Median(const std::vector<int64_t>& hist) {
  int64_t total = 0;
  for (auto v : hist) total += v;
  if (total == 0) return std::nullopt;
  int64_t half = (total + 1) / 2, seen = 0;
  for (size_t i = 0; i < hist.size(); ++i) {
    if (seen + hist[i] >= half) {
      double lo = i == 0 ? 0 : static_cast<double>(kBucketHours[i - 1]);
      double hi = i < 11 ? static_cast<double>(kBucketHours[i]) : 672.0;
      // Interpolated inside the bucket, each case at the middle of its share of the bucket.
      double frac =
          hist[i] ? (static_cast<double>(half - seen) - 0.5) / static_cast<double>(hist[i]) : 0;
      return lo + (hi - lo) * frac;
    }
    seen += hist[i];
  }
  return std::nullopt;
}
}  // namespace

std::optional<double> RequestsService::MedianHours(const std::vector<int64_t>& hist) {
  return Median(hist);
}

std::vector<MetricRow> RequestsService::Metrics(const perm::Principal& who, const std::string& from,
                                                const std::string& to, const std::string& group,
                                                int64_t min_cases) {
  auto month_ok = [](const std::string& m) {
    return m.size() == 7 && m[4] == '-' && std::isdigit(static_cast<unsigned char>(m[0])) &&
           m.substr(5) >= "01" && m.substr(5) <= "12";
  };
  if (!month_ok(from)) throw Error::Field("from", "a month like 2026-11");
  if (!month_ok(to) || to < from) throw Error::Field("to", "a month like 2026-11, not before from");
  std::string dim = group == "month" ? "county" : group;
  if (dim != "county" && dim != "unit" && dim != "town" && dim != "village" && dim != "category")
    throw Error::Field("group", "county, unit, town, village, category or month");
  // What the caller may see: county admins everything; town officials their town's places;
  // cadres their village; unit staff their unit.
  auto allowed = [&](const std::string& key) {
    for (auto& g : who.grants) {
      if (g.role == perm::Role::kCountyAdmin) return true;
      if (dim == "county" || dim == "category") continue;  // county-wide views: county admins
      if (g.role == perm::Role::kTownOfficial && (dim == "town" || dim == "village") &&
          perm::Within(g.region_code, key))
        return true;
      if (g.role == perm::Role::kVillageCadre && dim == "village" && g.region_code == key)
        return true;
      if (g.role == perm::Role::kUnitStaff && dim == "unit" && key == "unit:" + g.unit_id)
        return true;
    }
    return false;
  };
  std::vector<Figures> rows;
  std::map<std::string, std::string> names;
  db_.Read([&](db::Conn& c) {
    rows = repo::ReadStats(c, who.county_id, dim, from, to);
    auto all = repo::Names(c, who.county_id);
    for (auto& f : rows) {
      std::string k = dim == "category"                      ? "category:" + f.key
                      : Kind(f.key) == "unit"                ? f.key
                      : f.key.find(':') == std::string::npos ? f.key
                                                             : Target(f.key);
      auto it = all.find(k);
      names[f.key] = it == all.end() ? f.key : it->second;
    }
  });
  std::map<std::string, Figures> agg;  // key (or month) → sums over the months
  for (auto& f : rows) {
    if (!allowed(f.key)) continue;
    std::string k = group == "month" ? f.month : f.key;
    auto& a = agg[k];
    a.key = k;
    a.name = group == "month" ? f.month : names[f.key];
    repo::Accumulate(a, f);
  }
  std::vector<MetricRow> out;
  for (auto& [k, a] : agg) {
    MetricRow m;
    m.key = a.key;
    m.name = a.name;
    m.filed = a.filed;
    m.signed_in_time = a.signed_in_time;
    m.finished = a.finished;
    m.resolved = a.resolved;
    m.unresolved = a.unresolved;
    m.rated = a.rated;
    m.satisfied = a.satisfied;
    m.response_rate = a.filed ? double(a.signed_in_time) / double(a.filed) : 0;
    m.resolve_rate =
        a.resolved + a.unresolved ? double(a.resolved) / double(a.resolved + a.unresolved) : 0;
    m.satisfaction_rate = a.rated ? double(a.satisfied) / double(a.rated) : 0;
    m.median_sign_hours = Median(a.sign_hist);
    m.median_finish_hours = Median(a.finish_hist);
    out.push_back(std::move(m));
  }
  // Rank by the weighted 三率 (响应 30%, 解决 35%, 满意 35%), only with enough cases.
  std::vector<MetricRow*> ranked;
  for (auto& m : out)
    if (m.filed >= min_cases) ranked.push_back(&m);
  auto score = [](const MetricRow* m) {
    return 0.30 * m->response_rate + 0.35 * m->resolve_rate + 0.35 * m->satisfaction_rate;
  };
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const MetricRow* a, const MetricRow* b) { return score(a) > score(b); });
  for (size_t i = 0; i < ranked.size(); ++i) ranked[i]->rank = static_cast<int64_t>(i + 1);
  return out;
}

// ---- the clock -------------------------------------------------------------------------------

int RequestsService::Tick() {
  int64_t now = clock_.NowMs();
  int touched = 0;
  auto each = [&](const std::vector<std::pair<std::string, std::string>>& ids,
                  const std::function<void(db::Conn&, const std::string&, Request&)>& fn) {
    for (auto& [county, id] : ids) {
      db_.Write([&](db::Conn& c) {
        auto r = repo::Get(c, county, id);
        if (!r) return;
        fn(c, county, *r);
        r->updated_at = now;
        repo::Update(c, county, *r);
      });
      ++touched;
    }
  };
  auto escalate = [&](db::Conn& c, const std::string& county, Request& r, const char* why) {
    if (r.level != "county") r.level = NextLevel(r.level);
    r.escalated_at = now;
    Step(c, county, nullptr, r, "escalate", why, now);
    Announce(c, county, r, "request.escalated", SupervisorKeys(county, r));
  };
  auto sign = db_.ReadValue([&](db::Conn& c) { return repo::OverdueSign(c, now, 200); });
  each(sign, [&](db::Conn& c, const std::string& county, Request& r) {
    if (r.status != "dispatched" && r.status != "returned") return;
    escalate(c, county, r, "签收超时");
  });
  auto finish = db_.ReadValue([&](db::Conn& c) { return repo::OverdueFinish(c, now, 200); });
  each(finish, [&](db::Conn& c, const std::string& county, Request& r) {
    if (r.status != "signed" && r.status != "processing") return;
    escalate(c, county, r, "办理超时");
  });
  auto unconfirmed = db_.ReadValue(
      [&](db::Conn& c) { return repo::AwaitingConfirmSince(c, now - kAutoConfirmAfterMs, 200); });
  each(unconfirmed, [&](db::Conn& c, const std::string& county, Request& r) {
    if (r.status != "finished") return;
    r.status = "resolved";
    r.closed_at = now;
    r.followup_due = now + kFollowupAfterMs;
    repo::StatDelta d;
    d.resolved = 1;
    Stats(c, county, r, d);
    Step(c, county, nullptr, r, "confirm", "逾期未确认，视为已解决", now);
  });
  auto followups = db_.ReadValue([&](db::Conn& c) { return repo::FollowupDue(c, now, 200); });
  each(followups, [&](db::Conn& c, const std::string& county, Request& r) {
    r.followup_answer = "asked";
    Step(c, county, nullptr, r, "followup_asked", "", now);
    Announce(c, county, r, "request.followup", {"a:" + r.reporter_account});
  });
  if (touched && hub_) hub_->Kick();
  return touched;
}

}  // namespace sx::requests
