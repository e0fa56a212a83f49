#include "modules/docs/repo.h"

#include <map>

#include "core/util/clock.h"
#include "modules/docs/form.h"

namespace sx::docs::repo {

namespace {

constexpr const char* kCols =
    "d.id, d.kind, d.title, d.region_code, d.unit_id, d.owner_account, d.owner_name, d.deleted, "
    "d.size_bytes, d.edited_month, d.edited_at, d.form_json, d.form_status, d.deadline, "
    "d.notice_id, d.sent_at, d.audience_size, d.responses, d.reminded_at, d.created_at, "
    "d.updated_at, (SELECT r.name FROM regions r WHERE r.county_id = d.county_id AND r.code = "
    "d.region_code), (SELECT u.name FROM units u WHERE u.county_id = d.county_id AND u.id = "
    "d.unit_id)";

Doc FromRow(const db::Row& r) {
  Doc d;
  size_t i = 0;
  d.id = r.Str(i++);
  d.kind = r.Str(i++);
  d.title = r.Str(i++);
  d.region_code = r.Str(i++);
  d.unit_id = r.Str(i++);
  d.owner_account = r.Str(i++);
  d.owner_name = r.Str(i++);
  d.deleted = r.Int(i++) != 0;
  d.size_bytes = r.Int(i++);
  d.edited_month = r.Str(i++);
  d.edited_at = r.OptInt(i++);
  if (auto f = r.OptStr(i++)) d.form = form::SpecFromJson(*f);
  d.form_status = r.Str(i++);
  d.deadline = r.OptInt(i++);
  d.notice_id = r.Str(i++);
  d.sent_at = r.OptInt(i++);
  d.audience_size = r.Int(i++);
  d.responses = r.Int(i++);
  d.reminded_at = r.OptInt(i++);
  d.created_at = r.Int(i++);
  d.updated_at = r.Int(i++);
  d.region_name = r.Str(i++);
  d.unit_name = r.Str(i++);
  return d;
}

db::Value FormJson(const Doc& d) {
  return d.form ? db::Value(form::SpecToJson(*d.form)) : db::Null();
}

constexpr const char* kResponseCols =
    "f.id, f.respondent, f.person_id, f.account_id, f.person_name, f.household_id, "
    "f.village_code, f.answers_json, f.submitted_at, f.updated_at, (SELECT v.name FROM regions v "
    "WHERE v.county_id = f.county_id AND v.code = f.village_code)";

FormResponse ResponseFromRow(const db::Row& r) {
  FormResponse x;
  size_t i = 0;
  x.id = r.Str(i++);
  x.respondent = r.Str(i++);
  x.person_id = r.Str(i++);
  x.account_id = r.Str(i++);
  x.person_name = r.Str(i++);
  x.household_id = r.Str(i++);
  x.village_code = r.Str(i++);
  x.answers_json = r.Str(i++);
  x.submitted_at = r.Int(i++);
  x.updated_at = r.Int(i++);
  x.village_name = r.Str(i++);
  return x;
}

}  // namespace

void Insert(db::Conn& c, const std::string& county, const Doc& d) {
  c.Exec(
      "INSERT INTO docs (county_id, id, kind, title, region_code, unit_id, owner_account, "
      "owner_name, form_json, form_status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, $9, $10, $11, $12)",
      {county, d.id, d.kind, d.title, d.region_code, d.unit_id, d.owner_account, d.owner_name,
       FormJson(d), d.form_status, d.created_at, d.updated_at});
}

std::optional<Doc> Get(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One(std::string("SELECT ") + kCols +
                     " FROM docs d WHERE d.county_id = $1 AND d.id = $2 AND d.deleted = 0",
                 {county, id});
  if (!r) return std::nullopt;
  return FromRow(*r);
}

std::optional<Doc> ByNotice(db::Conn& c, const std::string& county, const std::string& notice_id) {
  auto r = c.One(std::string("SELECT ") + kCols +
                     " FROM docs d WHERE d.county_id = $1 AND d.notice_id = $2 AND d.deleted = 0",
                 {county, notice_id});
  if (!r) return std::nullopt;
  return FromRow(*r);
}

void Save(db::Conn& c, const std::string& county, const Doc& d) {
  c.Exec(
      "UPDATE docs SET title = $3, form_json = $4, form_status = $5, deadline = $6, notice_id = "
      "$7, sent_at = $8, audience_size = $9, responses = $10, reminded_at = $11, deleted = $12, "
      "updated_at = $13 WHERE county_id = $1 AND id = $2",
      {county, d.id, d.title, FormJson(d), d.form_status, db::Opt(d.deadline), d.notice_id,
       db::Opt(d.sent_at), d.audience_size, d.responses, db::Opt(d.reminded_at),
       int64_t{d.deleted ? 1 : 0}, d.updated_at});
}

std::vector<Doc> List(db::Conn& c, const std::string& county, const ListQuery& q) {
  std::vector<db::Value> p{county};
  auto arg = [&](db::Value v) {
    p.push_back(std::move(v));
    return "$" + std::to_string(p.size());
  };
  std::string sql =
      std::string("SELECT ") + kCols + " FROM docs d WHERE d.county_id = $1 AND d.deleted = 0";
  if (!q.kind.empty()) sql += " AND d.kind = " + arg(q.kind);
  std::string vis = "d.owner_account = " + arg(q.account);
  for (auto& m : q.manage) {
    vis += " OR (d.region_code BETWEEN " + arg(m.lo) + " AND " + arg(m.hi);
    if (!m.unit.empty()) vis += " AND d.unit_id = " + arg(m.unit);
    vis += ")";
  }
  std::string shares = "(s.kind = 'account' AND s.target = " + arg(q.account) + ")";
  for (auto& u : q.units) shares += " OR (s.kind = 'unit' AND s.target = " + arg(u) + ")";
  for (auto& r : q.regions) shares += " OR (s.kind = 'region' AND s.target = " + arg(r) + ")";
  vis +=
      " OR EXISTS (SELECT 1 FROM doc_shares s WHERE s.county_id = d.county_id AND s.doc_id = "
      "d.id AND (" +
      shares + "))";
  sql += " AND (" + vis + ")";
  if (q.folder)
    sql += " AND d.region_code BETWEEN " + arg(q.folder->first) + " AND " + arg(q.folder->second);
  if (!q.unit.empty()) sql += " AND d.unit_id = " + arg(q.unit);
  if (!q.q.empty()) sql += " AND d.title LIKE " + arg("%" + q.q + "%");
  if (q.after) {
    std::string t = arg(q.after->first);
    sql += " AND (d.updated_at < " + t + " OR (d.updated_at = " + t + " AND d.id < " +
           arg(q.after->second) + "))";
  }
  sql += " ORDER BY d.updated_at DESC, d.id DESC LIMIT " + arg(int64_t{q.limit});
  std::vector<Doc> out;
  for (auto& r : c.Query(sql, p)) out.push_back(FromRow(r));
  return out;
}

std::vector<Share> Shares(db::Conn& c, const std::string& county, const std::string& doc) {
  std::vector<Share> out;
  for (auto& r : c.Query("SELECT kind, target, role, label FROM doc_shares WHERE county_id = $1 "
                         "AND doc_id = $2 ORDER BY kind, label, target",
                         {county, doc}))
    out.push_back({r.Str(0), r.Str(1), r.Str(2), r.Str(3)});
  return out;
}

void ReplaceShares(db::Conn& c, const std::string& county, const std::string& doc,
                   const std::vector<Share>& shares) {
  c.Exec("DELETE FROM doc_shares WHERE county_id = $1 AND doc_id = $2", {county, doc});
  for (auto& s : shares)
    c.Exec(
        "INSERT INTO doc_shares (county_id, doc_id, kind, target, role, label) VALUES ($1, $2, "
        "$3, $4, $5, $6)",
        {county, doc, s.kind, s.target, s.role, s.label});
}

std::string RegionName(db::Conn& c, const std::string& county, const std::string& code) {
  auto r = c.One("SELECT name FROM regions WHERE county_id = $1 AND code = $2", {county, code});
  return r ? r->Str(0) : "";
}

std::string UnitName(db::Conn& c, const std::string& county, const std::string& id) {
  auto r =
      c.One("SELECT name FROM units WHERE county_id = $1 AND id = $2 AND active = 1", {county, id});
  return r ? r->Str(0) : "";
}

std::string AccountName(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One("SELECT name FROM accounts WHERE county_id = $1 AND id = $2 AND active = 1",
                 {county, id});
  return r ? r->Str(0) : "";
}

std::vector<std::pair<int64_t, std::string>> LoadUpdates(db::Conn& c, const std::string& county,
                                                         const std::string& doc) {
  std::vector<std::pair<int64_t, std::string>> out;
  for (auto& r : c.Query("SELECT seq, data FROM doc_updates WHERE county_id = $1 AND doc_id = $2 "
                         "ORDER BY seq",
                         {county, doc}))
    out.emplace_back(r.Int(0), r.Str(1));
  return out;
}

void AppendUpdate(db::Conn& c, const std::string& county, const std::string& doc, int64_t seq,
                  const std::string& data) {
  c.Exec("INSERT INTO doc_updates (county_id, doc_id, seq, data) VALUES ($1, $2, $3, $4)",
         {county, doc, seq, db::Blob{data}});
}

void ReplaceUpdates(db::Conn& c, const std::string& county, const std::string& doc, int64_t upto,
                    const std::string& merged) {
  c.Exec("DELETE FROM doc_updates WHERE county_id = $1 AND doc_id = $2 AND seq <= $3",
         {county, doc, upto});
  AppendUpdate(c, county, doc, upto, merged);
  c.Exec(
      "UPDATE docs SET size_bytes = (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM doc_updates u "
      "WHERE u.county_id = $1 AND u.doc_id = $2) WHERE county_id = $1 AND id = $2",
      {county, doc});
}

void NoteEdit(db::Conn& c, const DocRef& d, int64_t added_bytes, int64_t now,
              const std::string& month, bool first_in_month) {
  c.Exec(
      "UPDATE docs SET size_bytes = size_bytes + $3, edited_at = $4, updated_at = $4, "
      "edited_month = $5 WHERE county_id = $1 AND id = $2",
      {d.county, d.id, added_bytes, now, month});
  // The month's first edit (the writer thread knows from edited_month; the row decides).
  if (first_in_month &&
      c.Exec("INSERT INTO doc_edit_months (county_id, doc_id, month) VALUES ($1, $2, $3) ON "
             "CONFLICT DO NOTHING",
             {d.county, d.id, month}) > 0)
    Bump(c, d.county, month, d.region_code, d.unit_id, "docs_edited", 1);
}

void InsertVersion(db::Conn& c, const std::string& county, const Version& v,
                   const std::string& data) {
  c.Exec(
      "INSERT INTO doc_versions (county_id, id, doc_id, name, data, created_by, created_by_name, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {county, v.id, v.doc_id, v.name, db::Blob{data}, v.created_by, v.created_by_name,
       v.created_at});
}

std::vector<Version> Versions(db::Conn& c, const std::string& county, const std::string& doc) {
  std::vector<Version> out;
  for (auto& r : c.Query("SELECT id, doc_id, name, created_by, created_by_name, LENGTH(data), "
                         "created_at FROM doc_versions WHERE county_id = $1 AND doc_id = $2 "
                         "ORDER BY created_at DESC, id DESC LIMIT 200",
                         {county, doc})) {
    Version v;
    v.id = r.Str(0);
    v.doc_id = r.Str(1);
    v.name = r.Str(2);
    v.created_by = r.Str(3);
    v.created_by_name = r.Str(4);
    v.size_bytes = r.Int(5);
    v.created_at = r.Int(6);
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<std::string> VersionData(db::Conn& c, const std::string& county,
                                       const std::string& doc, const std::string& id) {
  auto r = c.One("SELECT data FROM doc_versions WHERE county_id = $1 AND doc_id = $2 AND id = $3",
                 {county, doc, id});
  if (!r) return std::nullopt;
  return r->Str(0);
}

namespace {
constexpr const char* kCommentCols =
    "id, doc_id, quote, body, mentions_json, author_account, author_name, resolved, created_at";
Comment CommentFromRow(const db::Row& r) {
  Comment m;
  m.id = r.Str(0);
  m.doc_id = r.Str(1);
  m.quote = r.Str(2);
  m.body = r.Str(3);
  m.mentions_json = r.Str(4);
  m.author_account = r.Str(5);
  m.author_name = r.Str(6);
  m.resolved = r.Int(7) != 0;
  m.created_at = r.Int(8);
  return m;
}
}  // namespace

void InsertComment(db::Conn& c, const std::string& county, const Comment& m) {
  c.Exec(
      "INSERT INTO doc_comments (county_id, id, doc_id, quote, body, mentions_json, "
      "author_account, author_name, resolved, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "$8, 0, $9)",
      {county, m.id, m.doc_id, m.quote, m.body, m.mentions_json, m.author_account, m.author_name,
       m.created_at});
}

std::vector<Comment> Comments(db::Conn& c, const std::string& county, const std::string& doc) {
  std::vector<Comment> out;
  for (auto& r : c.Query(std::string("SELECT ") + kCommentCols +
                             " FROM doc_comments WHERE county_id = $1 AND doc_id = $2 ORDER BY "
                             "created_at, id LIMIT 1000",
                         {county, doc}))
    out.push_back(CommentFromRow(r));
  return out;
}

std::optional<Comment> GetComment(db::Conn& c, const std::string& county, const std::string& doc,
                                  const std::string& id) {
  auto r = c.One(std::string("SELECT ") + kCommentCols +
                     " FROM doc_comments WHERE county_id = $1 AND doc_id = $2 AND id = $3",
                 {county, doc, id});
  if (!r) return std::nullopt;
  return CommentFromRow(*r);
}

void SetResolved(db::Conn& c, const std::string& county, const std::string& id, bool resolved) {
  c.Exec("UPDATE doc_comments SET resolved = $3 WHERE county_id = $1 AND id = $2",
         {county, id, int64_t{resolved ? 1 : 0}});
}

std::optional<PersonRow> Person(db::Conn& c, const std::string& county, const std::string& id) {
  auto r = c.One(
      "SELECT p.id, p.name, p.village_code, (SELECT v.name FROM regions v WHERE v.county_id = "
      "p.county_id AND v.code = p.village_code), COALESCE(p.household_id, '') FROM people p "
      "WHERE p.county_id = $1 AND p.id = $2 AND p.active = 1",
      {county, id});
  if (!r) return std::nullopt;
  return PersonRow{r->Str(0), r->Str(1), r->Str(2), r->Str(3), r->Str(4)};
}

std::optional<perm::Principal> PrincipalOf(db::Conn& c, const std::string& county,
                                           const std::string& account) {
  auto a = c.One(
      "SELECT id, name, COALESCE(person_id, '') FROM accounts WHERE county_id = $1 AND id = $2 "
      "AND active = 1",
      {county, account});
  if (!a) return std::nullopt;
  perm::Principal p;
  p.county_id = county;
  p.account_id = a->Str(0);
  p.name = a->Str(1);
  p.person_id = a->Str(2);
  for (auto& r : c.Query(
           "SELECT role, region_code, unit_id FROM grants WHERE county_id = $1 AND account_id = $2",
           {county, account})) {
    perm::Grant g;
    if (!perm::ParseRole(r.Str(0), &g.role)) continue;
    g.region_code = r.Str(1);
    g.unit_id = r.Str(2);
    p.grants.push_back(std::move(g));
  }
  return p;
}

bool RegionExists(db::Conn& c, const std::string& county, const std::string& code) {
  return c.One("SELECT 1 FROM regions WHERE county_id = $1 AND code = $2", {county, code})
      .has_value();
}

std::optional<FormResponse> GetResponse(db::Conn& c, const std::string& county,
                                        const std::string& doc, const std::string& respondent) {
  auto r = c.One(std::string("SELECT ") + kResponseCols +
                     " FROM form_responses f WHERE f.county_id = $1 AND f.doc_id = $2 AND "
                     "f.respondent = $3",
                 {county, doc, respondent});
  if (!r) return std::nullopt;
  return ResponseFromRow(*r);
}

bool PutResponse(db::Conn& c, const std::string& county, const std::string& doc,
                 const FormResponse& r) {
  int64_t n = c.Exec(
      "UPDATE form_responses SET person_id = $4, account_id = $5, person_name = $6, "
      "household_id = $7, village_code = $8, answers_json = $9, updated_at = $10 WHERE "
      "county_id = $1 AND doc_id = $2 AND respondent = $3",
      {county, doc, r.respondent, r.person_id, r.account_id, r.person_name, r.household_id,
       r.village_code, r.answers_json, r.updated_at});
  if (n > 0) return false;
  c.Exec(
      "INSERT INTO form_responses (county_id, doc_id, respondent, id, person_id, account_id, "
      "person_name, household_id, village_code, answers_json, submitted_at, updated_at) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {county, doc, r.respondent, r.id, r.person_id, r.account_id, r.person_name, r.household_id,
       r.village_code, r.answers_json, r.submitted_at, r.updated_at});
  return true;
}

std::vector<FormResponse> Responses(db::Conn& c, const std::string& county, const std::string& doc,
                                    const std::optional<std::pair<int64_t, std::string>>& after,
                                    int limit) {
  std::vector<FormResponse> out;
  db::Rows rows;
  std::string base = std::string("SELECT ") + kResponseCols +
                     " FROM form_responses f WHERE f.county_id = $1 AND f.doc_id = $2";
  if (after)
    rows = c.Query(base +
                       " AND (f.submitted_at > $3 OR (f.submitted_at = $3 AND f.respondent > $4)) "
                       "ORDER BY f.submitted_at, f.respondent LIMIT $5",
                   {county, doc, after->first, after->second, int64_t{limit}});
  else
    rows = c.Query(base + " ORDER BY f.submitted_at, f.respondent LIMIT $3",
                   {county, doc, int64_t{limit}});
  for (auto& r : rows) out.push_back(ResponseFromRow(r));
  return out;
}

std::vector<std::string> Respondents(db::Conn& c, const std::string& county,
                                     const std::string& doc) {
  std::vector<std::string> out;
  for (auto& r : c.Query("SELECT respondent FROM form_responses WHERE county_id = $1 AND doc_id = "
                         "$2",
                         {county, doc}))
    out.push_back(r.Str(0));
  return out;
}

std::optional<std::tuple<std::string, std::string, std::string>> FirstCadre(
    db::Conn& c, const std::string& county) {
  auto r = c.One(
      "SELECT a.id, a.name, g.region_code FROM grants g JOIN accounts a ON a.county_id = "
      "g.county_id AND a.id = g.account_id WHERE g.county_id = $1 AND g.role = 'village_cadre' "
      "AND a.active = 1 ORDER BY a.created_at, a.id LIMIT 1",
      {county});
  if (!r) return std::nullopt;
  return std::make_tuple(r->Str(0), r->Str(1), r->Str(2));
}

bool AnyDocs(db::Conn& c, const std::string& county) {
  return c.One("SELECT 1 FROM docs WHERE county_id = $1 LIMIT 1", {county}).has_value();
}

namespace {
// The counter of a figure column, as named in stat_counters.
std::string Metric(std::string_view column) {
  if (column == "docs_created") return "docs.created";
  if (column == "docs_edited") return "docs.edited";
  if (column == "forms_sent") return "docs.forms_sent";
  return "docs.responses";
}
}  // namespace

void Bump(db::Conn& c, const std::string& county, const std::string& month,
          const std::string& region, const std::string& unit, const char* column, int64_t by) {
  stats::Add(c, county, Metric(column), month, region, unit, by);
}

std::vector<FigureRow> Figures(db::Conn& c, const std::string& county, const std::string& from,
                               const std::string& to, const std::string& lo,
                               const std::string& hi) {
  std::map<std::tuple<std::string, std::string, std::string>, FigureRow> rows;
  for (auto& cell : stats::Read(c, county, from, to, lo, hi, "docs")) {
    auto& f = rows[{cell.month, cell.region, cell.unit}];
    f.month = cell.month;
    f.region_code = cell.region;
    f.unit_id = cell.unit;
    if (cell.metric == "docs.created") f.docs_created += cell.value;
    if (cell.metric == "docs.edited") f.docs_edited += cell.value;
    if (cell.metric == "docs.forms_sent") f.forms_sent += cell.value;
    if (cell.metric == "docs.responses") f.responses += cell.value;
  }
  std::vector<FigureRow> out;
  for (auto& [k, f] : rows) out.push_back(std::move(f));
  return out;
}

std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county) {
  std::vector<stats::Cell> out;
  for (auto& r : c.Query("SELECT created_at, region_code, unit_id FROM docs WHERE county_id = $1 "
                         "AND kind = 'doc'",
                         {county}))
    out.push_back({util::ShanghaiMonth(r.Int(0)), r.Str(1), r.Str(2), "docs.created", 1});
  for (auto& r : c.Query("SELECT sent_at, region_code, unit_id FROM docs WHERE county_id = $1 "
                         "AND kind = 'form' AND sent_at IS NOT NULL",
                         {county}))
    out.push_back({util::ShanghaiMonth(r.Int(0)), r.Str(1), r.Str(2), "docs.forms_sent", 1});
  for (auto& r : c.Query("SELECT e.month, d.region_code, d.unit_id, COUNT(*) FROM doc_edit_months "
                         "e JOIN docs d ON d.county_id = e.county_id AND d.id = e.doc_id WHERE "
                         "e.county_id = $1 GROUP BY e.month, d.region_code, d.unit_id",
                         {county}))
    out.push_back({r.Str(0), r.Str(1), r.Str(2), "docs.edited", r.Int(3)});
  for (auto& r : c.Query("SELECT f.submitted_at, d.region_code, d.unit_id FROM form_responses f "
                         "JOIN docs d ON d.county_id = f.county_id AND d.id = f.doc_id WHERE "
                         "f.county_id = $1",
                         {county}))
    out.push_back({util::ShanghaiMonth(r.Int(0)), r.Str(1), r.Str(2), "docs.responses", 1});
  return out;
}

}  // namespace sx::docs::repo
