#include "modules/requests/repo.h"

#include <sstream>
#include <tuple>

#include "core/util/random.h"

namespace sx::requests::repo {

namespace {

Category CategoryFromRow(const db::Row& r) {
  Category c;
  c.code = r.Str(0);
  c.name = r.Str(1);
  c.group = r.Str(2);
  c.description = r.Str(3);
  c.sign_hours = r.Int(4);
  c.reply_hours = r.Int(5);
  c.finish_hours = r.Int(6);
  c.confirm_required = r.Int(7) != 0;
  c.about_cadre = r.Int(8) != 0;
  c.handler = r.Str(9);
  c.active = r.Int(10) != 0;
  c.sort = r.Int(11);
  return c;
}
constexpr const char* kCategoryCols =
    "code, name, group_name, description, sign_hours, reply_hours, finish_hours, "
    "confirm_required, about_cadre, handler, active, sort";

constexpr const char* kRequestCols =
    "q.id, q.number, q.category_code, q.description, q.village_code, q.lat_e6, q.lng_e6, "
    "q.address, q.public, q.about_cadre, q.reporter_account, q.reporter_person, "
    "q.reporter_name, q.filed_by, q.channel, q.status, q.handler, q.handler_name, q.stats_unit, "
    "q.level, q.metoo_count, q.merged_into, q.reopen_count, q.sign_due, q.reply_due, "
    "q.finish_due, q.dispatched_at, q.signed_at, q.replied_at, q.finished_at, q.closed_at, "
    "q.outcome, q.result_note, q.rating, q.rating_comment, q.rated_at, q.followup_due, "
    "q.followup_answer, q.escalated_at, q.created_at, q.updated_at, "
    "(SELECT name FROM request_categories k WHERE k.county_id = q.county_id AND k.code = "
    "q.category_code), (SELECT name FROM regions v WHERE v.county_id = q.county_id AND v.code = "
    "q.village_code)";

Request RequestFromRow(const db::Row& r) {
  Request q;
  size_t i = 0;
  q.id = r.Str(i++);
  q.number = r.Str(i++);
  q.category_code = r.Str(i++);
  q.description = r.Str(i++);
  q.village_code = r.Str(i++);
  q.lat_e6 = r.OptInt(i++);
  q.lng_e6 = r.OptInt(i++);
  q.address = r.Str(i++);
  q.is_public = r.Int(i++) != 0;
  q.about_cadre = r.Int(i++) != 0;
  q.reporter_account = r.Str(i++);
  q.reporter_person = r.Str(i++);
  q.reporter_name = r.Str(i++);
  q.filed_by = r.Str(i++);
  q.channel = r.Str(i++);
  q.status = r.Str(i++);
  q.handler = r.Str(i++);
  q.handler_name = r.Str(i++);
  q.stats_unit = r.Str(i++);
  q.level = r.Str(i++);
  q.metoo_count = r.Int(i++);
  q.merged_into = r.Str(i++);
  q.reopen_count = r.Int(i++);
  q.sign_due = r.OptInt(i++);
  q.reply_due = r.OptInt(i++);
  q.finish_due = r.OptInt(i++);
  q.dispatched_at = r.OptInt(i++);
  q.signed_at = r.OptInt(i++);
  q.replied_at = r.OptInt(i++);
  q.finished_at = r.OptInt(i++);
  q.closed_at = r.OptInt(i++);
  q.outcome = r.Str(i++);
  q.result_note = r.Str(i++);
  q.rating = r.OptInt(i++);
  q.rating_comment = r.Str(i++);
  q.rated_at = r.OptInt(i++);
  q.followup_due = r.OptInt(i++);
  q.followup_answer = r.Str(i++);
  q.escalated_at = r.OptInt(i++);
  q.created_at = r.Int(i++);
  q.updated_at = r.Int(i++);
  q.category_name = r.Str(i++);
  q.village_name = r.Str(i++);
  return q;
}

db::Value Opt(const std::string& s) { return s.empty() ? db::Null() : db::Value(s); }

std::vector<std::pair<std::string, std::string>> Pairs(db::Conn& c, std::string_view sql,
                                                       std::initializer_list<db::Value> p) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& r : c.Query(sql, p)) out.emplace_back(r.Str(0), r.Str(1));
  return out;
}

}  // namespace

std::vector<Category> Categories(db::Conn& c, const std::string& county, bool active_only) {
  std::vector<Category> out;
  for (auto& r : c.Query(std::string("SELECT ") + kCategoryCols +
                             " FROM request_categories WHERE county_id = $1 AND (active = 1 OR "
                             "$2 = 0) ORDER BY sort, code",
                         {county, int64_t{active_only}}))
    out.push_back(CategoryFromRow(r));
  return out;
}

std::optional<Category> GetCategory(db::Conn& c, const std::string& county,
                                    const std::string& code) {
  auto r = c.One(std::string("SELECT ") + kCategoryCols +
                     " FROM request_categories WHERE county_id = $1 AND code = $2",
                 {county, code});
  if (!r) return std::nullopt;
  return CategoryFromRow(*r);
}

void UpsertCategory(db::Conn& c, const std::string& county, const Category& k) {
  c.Exec(
      "INSERT INTO request_categories (county_id, code, name, group_name, description, "
      "sign_hours, reply_hours, finish_hours, confirm_required, about_cadre, handler, active, "
      "sort) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT "
      "(county_id, code) DO UPDATE SET name = $3, group_name = $4, description = $5, sign_hours "
      "= $6, reply_hours = $7, finish_hours = $8, confirm_required = $9, about_cadre = $10, "
      "handler = $11, active = $12, sort = $13",
      {county, k.code, k.name, k.group, k.description, k.sign_hours, k.reply_hours, k.finish_hours,
       int64_t{k.confirm_required}, int64_t{k.about_cadre}, k.handler, int64_t{k.active}, k.sort});
}

int64_t CountCategories(db::Conn& c, const std::string& county) {
  return c.One("SELECT COUNT(*) FROM request_categories WHERE county_id = $1", {county})->Int(0);
}

std::optional<std::string> RouteFor(db::Conn& c, const std::string& county,
                                    const std::string& category, const std::string& village,
                                    const std::string& town) {
  auto r = c.One(
      "SELECT handler FROM request_routes WHERE county_id = $1 AND category_code = $2 AND "
      "region_code IN ($3, $4) ORDER BY CASE WHEN region_code = $3 THEN 0 ELSE 1 END LIMIT 1",
      {county, category, village, town});
  if (!r) return std::nullopt;
  return r->Str(0);
}

std::vector<std::pair<std::string, std::string>> Routes(db::Conn& c, const std::string& county,
                                                        const std::string& category) {
  return Pairs(c,
               "SELECT region_code, handler FROM request_routes WHERE county_id = $1 AND "
               "category_code = $2 ORDER BY region_code",
               {county, category});
}

void SetRoute(db::Conn& c, const std::string& county, const std::string& category,
              const std::string& region, const std::string& handler) {
  if (handler.empty()) {
    c.Exec(
        "DELETE FROM request_routes WHERE county_id = $1 AND category_code = $2 AND region_code "
        "= $3",
        {county, category, region});
    return;
  }
  c.Exec(
      "INSERT INTO request_routes (county_id, category_code, region_code, handler) VALUES ($1, "
      "$2, $3, $4) ON CONFLICT (county_id, category_code, region_code) DO UPDATE SET handler = $4",
      {county, category, region, handler});
}

std::string RegionName(db::Conn& c, const std::string& county, const std::string& code) {
  auto r = c.One("SELECT name FROM regions WHERE county_id = $1 AND code = $2", {county, code});
  return r ? r->Str(0) : std::string();
}

std::optional<std::pair<std::string, std::string>> UnitNameRegion(db::Conn& c,
                                                                  const std::string& county,
                                                                  const std::string& id) {
  auto r =
      c.One("SELECT name, region_code FROM units WHERE county_id = $1 AND id = $2 AND active = 1",
            {county, id});
  if (!r) return std::nullopt;
  return std::make_pair(r->Str(0), r->Str(1));
}

std::map<std::string, std::string> Names(db::Conn& c, const std::string& county) {
  std::map<std::string, std::string> out;
  for (auto& r : c.Query("SELECT code, name FROM regions WHERE county_id = $1", {county}))
    out[r.Str(0)] = r.Str(1);
  for (auto& r : c.Query("SELECT id, name FROM units WHERE county_id = $1", {county}))
    out["unit:" + r.Str(0)] = r.Str(1);
  for (auto& r :
       c.Query("SELECT code, name FROM request_categories WHERE county_id = $1", {county}))
    out["category:" + r.Str(0)] = r.Str(1);
  return out;
}

std::string NextNumber(db::Conn& c, const std::string& county, const std::string& day) {
  c.Exec(
      "INSERT INTO request_sequences (county_id, day, n) VALUES ($1, $2, 0) ON CONFLICT DO "
      "NOTHING",
      {county, day});
  auto r =
      c.One("UPDATE request_sequences SET n = n + 1 WHERE county_id = $1 AND day = $2 RETURNING n",
            {county, day});
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%05lld", day.c_str(), static_cast<long long>(r->Int(0)));
  return buf;
}

void Insert(db::Conn& c, const std::string& county, const Request& q) {
  std::vector<db::Value> p = {county,
                              q.id,
                              q.number,
                              q.category_code,
                              q.description,
                              q.village_code,
                              db::Opt(q.lat_e6),
                              db::Opt(q.lng_e6),
                              q.address,
                              int64_t{q.is_public},
                              int64_t{q.about_cadre},
                              q.reporter_account,
                              q.reporter_person,
                              q.reporter_name,
                              q.filed_by,
                              q.channel,
                              q.status,
                              q.handler,
                              q.handler_name,
                              q.stats_unit,
                              q.level,
                              q.created_at,
                              q.updated_at};
  c.Exec(
      "INSERT INTO requests (county_id, id, number, category_code, description, village_code, "
      "lat_e6, lng_e6, address, public, about_cadre, reporter_account, reporter_person, "
      "reporter_name, filed_by, channel, status, handler, handler_name, stats_unit, level, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
      p);
  Update(c, county, q);
}

std::optional<Request> Get(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One(std::string("SELECT ") + kRequestCols +
                     " FROM requests q WHERE q.county_id = $1 AND q.id = $2",
                 {county, id});
  if (!r) return std::nullopt;
  return RequestFromRow(*r);
}

void Update(db::Conn& c, const std::string& county, const Request& q) {
  std::vector<db::Value> p = {county,
                              q.id,
                              q.status,
                              q.handler,
                              q.handler_name,
                              q.level,
                              q.metoo_count,
                              Opt(q.merged_into),
                              q.reopen_count,
                              db::Opt(q.sign_due),
                              db::Opt(q.reply_due),
                              db::Opt(q.finish_due),
                              db::Opt(q.dispatched_at),
                              db::Opt(q.signed_at),
                              db::Opt(q.replied_at),
                              db::Opt(q.finished_at),
                              db::Opt(q.closed_at),
                              Opt(q.outcome),
                              Opt(q.result_note),
                              db::Opt(q.rating),
                              Opt(q.rating_comment),
                              db::Opt(q.rated_at),
                              db::Opt(q.followup_due),
                              Opt(q.followup_answer),
                              db::Opt(q.escalated_at),
                              q.updated_at,
                              q.category_code};
  c.Exec(
      "UPDATE requests SET status = $3, handler = $4, handler_name = $5, level = $6, "
      "metoo_count = $7, merged_into = $8, reopen_count = $9, sign_due = $10, reply_due = $11, "
      "finish_due = $12, dispatched_at = $13, signed_at = $14, replied_at = $15, finished_at = "
      "$16, closed_at = $17, outcome = $18, result_note = $19, rating = $20, rating_comment = "
      "$21, rated_at = $22, followup_due = $23, followup_answer = $24, escalated_at = $25, "
      "updated_at = $26, category_code = $27 WHERE county_id = $1 AND id = $2",
      p);
}

void AddStep(db::Conn& c, const std::string& county, const std::string& request_id, const Step& s) {
  c.Exec(
      "INSERT INTO request_steps (county_id, request_id, seq, at, actor, actor_name, kind, note, "
      "handler) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {county, request_id, s.seq, s.at, s.actor, s.actor_name, s.kind, s.note, s.handler});
}

std::vector<Step> Steps(db::Conn& c, const std::string& county, const std::string& request_id) {
  std::vector<Step> out;
  for (auto& r : c.Query("SELECT seq, at, actor, actor_name, kind, note, handler FROM "
                         "request_steps WHERE county_id = $1 AND request_id = $2 ORDER BY seq",
                         {county, request_id}))
    out.push_back({r.Int(0), r.Int(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5), r.Str(6), {}});
  return out;
}

bool AddMetoo(db::Conn& c, const std::string& county, const std::string& request_id,
              const std::string& account, int64_t at) {
  return c.Exec(
             "INSERT INTO request_metoo (county_id, request_id, account_id, at) VALUES ($1, $2, "
             "$3, $4) ON CONFLICT DO NOTHING",
             {county, request_id, account, at}) > 0;
}

bool HasMetoo(db::Conn& c, const std::string& county, const std::string& request_id,
              const std::string& account) {
  return c
      .One(
          "SELECT 1 FROM request_metoo WHERE county_id = $1 AND request_id = $2 AND "
          "account_id = $3",
          {county, request_id, account})
      .has_value();
}

std::vector<Request> List(db::Conn& c, const std::string& county, const ListFilter& f) {
  std::vector<db::Value> p{county};
  auto P = [&](db::Value v) {
    p.push_back(std::move(v));
    return "$" + std::to_string(p.size());
  };
  std::string who;
  if (!f.reporter.empty()) who = "q.reporter_account = " + P(f.reporter);
  std::vector<std::string> parts;
  if (!f.handlers.empty()) {
    std::string in;
    for (auto& h : f.handlers) in += (in.empty() ? "" : ", ") + P(h);
    parts.push_back("q.handler IN (" + in + ")");
  }
  for (auto& [lo, hi] : f.village_ranges)
    parts.push_back("(q.village_code >= " + P(lo) + " AND q.village_code <= " + P(hi) + ")");
  for (auto& [level, range] : f.escalated)
    parts.push_back("(q.level = " + P(level) +
                    " AND q.escalated_at IS NOT NULL AND q.status IN "
                    "('dispatched', 'signed', 'processing', 'returned') AND q.village_code >= " +
                    P(range.first) + " AND q.village_code <= " + P(range.second) + ")");
  std::string scope;
  for (size_t i = 0; i < parts.size(); ++i) scope += (i ? " OR " : "") + parts[i];
  std::string sql =
      std::string("SELECT ") + kRequestCols + " FROM requests q WHERE q.county_id = $1";
  if (!who.empty()) sql += " AND " + who;
  if (!scope.empty()) sql += " AND (" + scope + ")";
  if (f.public_only) sql += " AND q.public = 1 AND q.status <> 'merged'";
  if (!f.village.empty()) sql += " AND q.village_code = " + P(f.village);
  if (!f.category.empty()) sql += " AND q.category_code = " + P(f.category);
  if (!f.status.empty()) sql += " AND q.status = " + P(f.status);
  auto in = [&](const std::vector<std::string>& vs) {
    std::string out;
    for (auto& v : vs) out += (out.empty() ? "" : ", ") + P(v);
    return out;
  };
  if (!f.ids.empty()) sql += " AND q.id IN (" + in(f.ids) + ")";
  if (!f.categories.empty()) sql += " AND q.category_code IN (" + in(f.categories) + ")";
  if (f.created_from) sql += " AND q.created_at >= " + P(f.created_from);
  if (f.created_to) sql += " AND q.created_at <= " + P(f.created_to);
  if (f.open_state == "open")
    sql += " AND q.status NOT IN ('resolved', 'closed', 'merged')";
  else if (f.open_state == "closed")
    sql += " AND q.status IN ('resolved', 'closed', 'merged')";
  if (f.before_created > 0)
    sql += " AND (q.created_at < " + P(f.before_created) +
           " OR (q.created_at = " + P(f.before_created) + " AND q.id < " + P(f.before_id) + "))";
  sql += " ORDER BY q.created_at DESC, q.id DESC LIMIT " + P(int64_t{f.limit});
  std::vector<Request> out;
  for (auto& r : c.Query(sql, p)) out.push_back(RequestFromRow(r));
  return out;
}

std::vector<std::pair<std::string, std::string>> OverdueSign(db::Conn& c, int64_t now, int limit) {
  return Pairs(c,
               "SELECT county_id, id FROM requests WHERE status IN ('dispatched', 'returned') "
               "AND sign_due < $1 AND escalated_at IS NULL ORDER BY sign_due LIMIT $2",
               {now, int64_t{limit}});
}

std::vector<std::pair<std::string, std::string>> OverdueFinish(db::Conn& c, int64_t now,
                                                               int limit) {
  return Pairs(c,
               "SELECT county_id, id FROM requests WHERE status IN ('signed', 'processing') AND "
               "finish_due < $1 AND (escalated_at IS NULL OR escalated_at < finish_due) ORDER "
               "BY finish_due LIMIT $2",
               {now, int64_t{limit}});
}

std::vector<std::pair<std::string, std::string>> AwaitingConfirmSince(db::Conn& c, int64_t before,
                                                                      int limit) {
  return Pairs(c,
               "SELECT county_id, id FROM requests WHERE status = 'finished' AND finished_at < "
               "$1 ORDER BY finished_at LIMIT $2",
               {before, int64_t{limit}});
}

std::vector<std::pair<std::string, std::string>> FollowupDue(db::Conn& c, int64_t now, int limit) {
  return Pairs(c,
               "SELECT county_id, id FROM requests WHERE followup_due IS NOT NULL AND "
               "followup_due < $1 AND followup_answer IS NULL AND status IN ('resolved', "
               "'closed') ORDER BY followup_due LIMIT $2",
               {now, int64_t{limit}});
}

namespace {
std::vector<int64_t> ParseHist(const std::string& hist) {
  std::vector<int64_t> v;
  std::stringstream ss(hist);
  std::string item;
  while (std::getline(ss, item, ',')) v.push_back(std::stoll(item));
  v.resize(12, 0);
  return v;
}

std::string BumpHist(const std::string& hist, int bucket) {
  auto v = ParseHist(hist);
  if (bucket >= 0 && bucket < 12) v[static_cast<size_t>(bucket)] += 1;
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
  return out;
}
}  // namespace

void AddStats(db::Conn& c, const std::string& county, const std::string& month,
              const std::string& dim, const std::string& key, const StatDelta& d) {
  c.Exec(
      "INSERT INTO request_stats (county_id, month, dim, dim_key) VALUES ($1, $2, $3, $4) ON "
      "CONFLICT DO NOTHING",
      {county, month, dim, key});
  // The UPDATE ... RETURNING takes the row lock first (PostgreSQL), then the histograms are
  // rewritten under it.
  auto row = c.One(
      "UPDATE request_stats SET filed = filed + $5, signed = signed + $6, signed_in_time = "
      "signed_in_time + $7, finished = finished + $8, finished_in_time = finished_in_time + $9, "
      "resolved = resolved + $10, unresolved = unresolved + $11, rated = rated + $12, satisfied "
      "= satisfied + $13, rating_sum = rating_sum + $14 WHERE county_id = $1 AND month = $2 AND "
      "dim = $3 AND dim_key = $4 RETURNING sign_hist, finish_hist",
      {county, month, dim, key, d.filed, d.signed_, d.signed_in_time, d.finished,
       d.finished_in_time, d.resolved, d.unresolved, d.rated, d.satisfied, d.rating_sum});
  if (d.sign_bucket >= 0 || d.finish_bucket >= 0)
    c.Exec(
        "UPDATE request_stats SET sign_hist = $5, finish_hist = $6 WHERE county_id = $1 AND "
        "month = $2 AND dim = $3 AND dim_key = $4",
        {county, month, dim, key, BumpHist(row->Str(0), d.sign_bucket),
         BumpHist(row->Str(1), d.finish_bucket)});
}

void AddFigures(db::Conn& c, const std::string& county, const Figures& f, const std::string& dim) {
  c.Exec(
      "INSERT INTO request_stats (county_id, month, dim, dim_key) VALUES ($1, $2, $3, $4) ON "
      "CONFLICT DO NOTHING",
      {county, f.month, dim, f.key});
  auto row = c.One(
      "UPDATE request_stats SET filed = filed + $5, signed = signed + $6, signed_in_time = "
      "signed_in_time + $7, finished = finished + $8, finished_in_time = finished_in_time + $9, "
      "resolved = resolved + $10, unresolved = unresolved + $11, rated = rated + $12, satisfied "
      "= satisfied + $13, rating_sum = rating_sum + $14 WHERE county_id = $1 AND month = $2 AND "
      "dim = $3 AND dim_key = $4 RETURNING sign_hist, finish_hist",
      {county, f.month, dim, f.key, f.filed, f.signed_, f.signed_in_time, f.finished,
       f.finished_in_time, f.resolved, f.unresolved, f.rated, f.satisfied, f.rating_sum});
  auto add = [](const std::string& hist, const std::vector<int64_t>& more) {
    auto v = ParseHist(hist);
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
      out += (i ? "," : "") + std::to_string(v[i] + (i < more.size() ? more[i] : 0));
    return out;
  };
  c.Exec(
      "UPDATE request_stats SET sign_hist = $5, finish_hist = $6 WHERE county_id = $1 AND month "
      "= $2 AND dim = $3 AND dim_key = $4",
      {county, f.month, dim, f.key, add(row->Str(0), f.sign_hist),
       add(row->Str(1), f.finish_hist)});
}

namespace {
// The figure columns "filed … finish_hist" of a row, from column i.
constexpr const char* kFigureCols =
    "filed, signed, signed_in_time, finished, finished_in_time, resolved, unresolved, rated, "
    "satisfied, rating_sum, sign_hist, finish_hist";
Figures FiguresAt(const db::Row& r, size_t i) {
  Figures f;
  f.filed = r.Int(i++);
  f.signed_ = r.Int(i++);
  f.signed_in_time = r.Int(i++);
  f.finished = r.Int(i++);
  f.finished_in_time = r.Int(i++);
  f.resolved = r.Int(i++);
  f.unresolved = r.Int(i++);
  f.rated = r.Int(i++);
  f.satisfied = r.Int(i++);
  f.rating_sum = r.Int(i++);
  f.sign_hist = ParseHist(r.Str(i++));
  f.finish_hist = ParseHist(r.Str(i++));
  return f;
}
}  // namespace

std::vector<Figures> ReadStats(db::Conn& c, const std::string& county, const std::string& dim,
                               const std::string& from_month, const std::string& to_month) {
  std::vector<Figures> out;
  for (auto& r : c.Query(std::string("SELECT month, dim_key, ") + kFigureCols +
                             " FROM request_stats WHERE county_id = $1 AND dim = $2 AND month >= "
                             "$3 AND month <= $4 ORDER BY month, dim_key",
                         {county, dim, from_month, to_month})) {
    Figures f = FiguresAt(r, 2);
    f.month = r.Str(0);
    f.key = r.Str(1);
    out.push_back(std::move(f));
  }
  return out;
}

namespace {
std::string HistText(const std::vector<int64_t>& v) {
  std::string out;
  for (size_t i = 0; i < 12; ++i) out += (i ? "," : "") + std::to_string(i < v.size() ? v[i] : 0);
  return out;
}
}  // namespace

void Accumulate(Figures& into, const Figures& d) {
  into.filed += d.filed;
  into.signed_ += d.signed_;
  into.signed_in_time += d.signed_in_time;
  into.finished += d.finished;
  into.finished_in_time += d.finished_in_time;
  into.resolved += d.resolved;
  into.unresolved += d.unresolved;
  into.rated += d.rated;
  into.satisfied += d.satisfied;
  into.rating_sum += d.rating_sum;
  into.sign_hist.resize(12, 0);
  into.finish_hist.resize(12, 0);
  for (size_t i = 0; i < 12; ++i) {
    into.sign_hist[i] += i < d.sign_hist.size() ? d.sign_hist[i] : 0;
    into.finish_hist[i] += i < d.finish_hist.size() ? d.finish_hist[i] : 0;
  }
}

void AddEntry(db::Conn& c, const std::string& county, const std::string& request_id,
              const std::vector<std::pair<std::string, std::string>>& dims, const Figures& d) {
  std::string keys;
  for (auto& [dim, key] : dims) keys += (keys.empty() ? "" : "\n") + dim + "=" + key;
  c.Exec(
      "INSERT INTO request_stat_entries (county_id, id, request_id, month, dims, filed, signed, "
      "signed_in_time, finished, finished_in_time, resolved, unresolved, rated, satisfied, "
      "rating_sum, sign_hist, finish_hist) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12, $13, $14, $15, $16, $17)",
      {county, util::NewId(), request_id, d.month, keys, d.filed, d.signed_, d.signed_in_time,
       d.finished, d.finished_in_time, d.resolved, d.unresolved, d.rated, d.satisfied, d.rating_sum,
       HistText(d.sign_hist), HistText(d.finish_hist)});
}

RebuildResult RebuildStats(db::Conn& c, const std::string& county) {
  using Key = std::tuple<std::string, std::string, std::string>;  // month, dim, key
  std::map<Key, Figures> want;
  for (auto& r : c.Query(std::string("SELECT month, dims, ") + kFigureCols +
                             " FROM request_stat_entries WHERE county_id = $1",
                         {county})) {
    Figures d = FiguresAt(r, 2);
    d.month = r.Str(0);
    std::string dims = r.Str(1);
    size_t pos = 0;
    while (pos <= dims.size()) {
      size_t nl = dims.find('\n', pos);
      std::string part = dims.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      auto eq = part.find('=');
      if (eq != std::string::npos) {
        auto& f = want[{d.month, part.substr(0, eq), part.substr(eq + 1)}];
        f.month = d.month;
        f.key = part.substr(eq + 1);
        Accumulate(f, d);
      }
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
  }
  auto text = [](const Figures& f) {
    return std::to_string(f.filed) + " " + std::to_string(f.signed_) + " " +
           std::to_string(f.signed_in_time) + " " + std::to_string(f.finished) + " " +
           std::to_string(f.finished_in_time) + " " + std::to_string(f.resolved) + " " +
           std::to_string(f.unresolved) + " " + std::to_string(f.rated) + " " +
           std::to_string(f.satisfied) + " " + std::to_string(f.rating_sum) + " " +
           HistText(f.sign_hist) + " " + HistText(f.finish_hist);
  };
  std::map<Key, std::string> have;
  for (auto& r : c.Query(std::string("SELECT month, dim, dim_key, ") + kFigureCols +
                             " FROM request_stats WHERE county_id = $1",
                         {county})) {
    Figures f = FiguresAt(r, 3);
    have[{r.Str(0), r.Str(1), r.Str(2)}] = text(f);
  }
  RebuildResult out;
  for (auto& [k, f] : want) {
    ++out.rows;
    auto it = have.find(k);
    if (it == have.end() || it->second != text(f)) ++out.differing;
  }
  for (auto& [k, t] : have)
    if (!want.count(k)) ++out.differing;
  c.Exec("DELETE FROM request_stats WHERE county_id = $1", {county});
  for (auto& [k, f] : want) AddFigures(c, county, f, std::get<1>(k));
  return out;
}

int64_t OverdueNow(db::Conn& c, const std::string& county, int64_t now, const std::string& lo,
                   const std::string& hi, const std::string& handler,
                   std::map<std::string, int64_t>* by_village) {
  // Only the overdue rows, through the deadline indexes (county, status, due): never a scan of
  // the place's history. The place and the handler are checked on the few rows found.
  int64_t total = 0;
  for (auto* sql :
       {"SELECT village_code, handler FROM requests WHERE county_id = $1 AND status IN "
        "('dispatched', 'returned') AND sign_due < $2",
        "SELECT village_code, handler FROM requests WHERE county_id = $1 AND status IN ('signed', "
        "'processing') AND finish_due < $2"}) {
    for (auto& r : c.Query(sql, {county, now})) {
      std::string village = r.Str(0);
      if (village < lo || village > hi || (!handler.empty() && r.Str(1) != handler)) continue;
      ++total;
      if (by_village) (*by_village)[village] += 1;
    }
  }
  return total;
}

int64_t CountRequests(db::Conn& c, const std::string& county) {
  return c.One("SELECT COUNT(*) FROM requests WHERE county_id = $1", {county})->Int(0);
}

}  // namespace sx::requests::repo
