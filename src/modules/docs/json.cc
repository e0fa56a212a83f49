#include "modules/docs/json.h"

#include <boost/json.hpp>

#include "core/export/csv.h"
#include "core/export/xlsx.h"
#include "core/http/input.h"
#include "core/util/clock.h"
#include "core/util/error.h"
#include "modules/docs/form.h"

namespace sx::docs::json {

using boost::json::array;
using boost::json::object;
using boost::json::value;

namespace {
value Time(const std::optional<int64_t>& t) { return t ? value(util::IsoUtc(*t)) : value(nullptr); }
}  // namespace

object DocJson(const View& v) {
  const Doc& d = v.doc;
  array shares;
  for (auto& s : v.shares)
    shares.push_back(
        object{{"kind", s.kind}, {"target", s.target}, {"label", s.label}, {"role", s.role}});
  object o{{"id", d.id},
           {"kind", d.kind},
           {"title", d.title},
           {"region_code", d.region_code},
           {"region_name", d.region_name},
           {"unit_id", d.unit_id},
           {"unit_name", d.unit_name},
           {"owner_id", d.owner_account},
           {"owner_name", d.owner_name},
           {"my_role", RoleName(v.role)},
           {"created_at", util::IsoUtc(d.created_at)},
           {"updated_at", util::IsoUtc(d.updated_at)},
           {"edited_at", Time(d.edited_at)},
           {"size_bytes", d.size_bytes},
           {"sync_path", d.kind == "doc" ? value("/yjs/" + d.id) : value(nullptr)},
           {"shares", std::move(shares)}};
  if (d.form) {
    object f = form::SpecObject(*d.form);
    f["status"] = d.form_status;
    f["deadline"] = Time(d.deadline);
    f["sent_at"] = Time(d.sent_at);
    f["notice_id"] = d.notice_id.empty() ? value(nullptr) : value(d.notice_id);
    f["audience_size"] = d.audience_size;
    f["responses"] = d.responses;
    f["reminded_at"] = Time(d.reminded_at);
    o["form"] = std::move(f);
  }
  return o;
}

object VersionJson(const Version& v) {
  return {{"id", v.id},
          {"name", v.name},
          {"size_bytes", v.size_bytes},
          {"created_by_name", v.created_by_name},
          {"created_at", util::IsoUtc(v.created_at)}};
}

object CommentJson(const Comment& c) {
  return {{"id", c.id},
          {"quote", c.quote},
          {"body", c.body},
          {"author_id", c.author_account},
          {"author_name", c.author_name},
          {"created_at", util::IsoUtc(c.created_at)},
          {"resolved", c.resolved},
          {"mentions", boost::json::parse(c.mentions_json.empty() ? "[]" : c.mentions_json)}};
}

object ResponseJson(const ResponseView& v) {
  const FormResponse& r = v.r;
  return {{"id", r.id},
          {"person_id", r.person_id},
          {"person_name", r.person_name},
          {"household_id", r.household_id},
          {"village_code", r.village_code},
          {"village_name", r.village_name},
          {"answers", boost::json::parse(v.answers_json)},
          {"submitted_at", util::IsoUtc(r.submitted_at)},
          {"updated_at", util::IsoUtc(r.updated_at)}};
}

object StatsJson(const FormStats& s) {
  array days, villages;
  for (auto& [d, n] : s.by_day) days.push_back(object{{"day", d}, {"count", n}});
  for (auto& v : s.by_village)
    villages.push_back(object{
        {"code", v.code}, {"name", v.name}, {"audience", v.audience}, {"responses", v.responses}});
  return {{"audience", s.audience},
          {"responses", s.responses},
          {"by_day", std::move(days)},
          {"by_village", std::move(villages)},
          {"choices", boost::json::parse(s.choices_json)}};
}

object PersonJson(const notices::UnreadPerson& p) {
  return {{"person_id", p.person_id},       {"name", p.name},
          {"village_code", p.village_code}, {"village_name", p.village_name},
          {"household_id", p.household_id}, {"phone_masked", p.phone_masked}};
}

object FigureJson(const Figure& f) {
  return {{"month", f.month},
          {"group_id", f.group_id},
          {"group_name", f.group_name},
          {"docs_created", f.docs_created},
          {"docs_edited", f.docs_edited},
          {"forms_sent", f.forms_sent},
          {"responses", f.responses}};
}

std::vector<Share> SharesIn(const object& b) {
  auto* a = b.if_contains("shares");
  if (!a || !a->is_array()) throw Error::Field("shares", "a list of {kind, target, role}");
  if (a->as_array().size() > 200) throw Error::Field("shares", "at most 200");
  std::vector<Share> out;
  size_t i = 0;
  for (auto& v : a->as_array()) {
    std::string at = "shares[" + std::to_string(i++) + "]";
    if (!v.is_object()) throw Error::Field(at, "an object {kind, target, role}");
    const auto& o = v.as_object();
    Share s;
    auto str = [&](const char* k) {
      auto* x = o.if_contains(k);
      if (!x || !x->is_string() || x->as_string().empty() || x->as_string().size() > 64)
        throw Error::Field(at + "." + k, "required text");
      return std::string(x->as_string());
    };
    s.kind = str("kind");
    s.target = str("target");
    s.role = str("role");
    out.push_back(std::move(s));
  }
  return out;
}

std::string TableCsv(const Table& t) {
  std::string out(csv::kBom);
  out += csv::Row(t.header);
  for (auto& r : t.rows) out += csv::Row(r);
  return out;
}

std::string TableXlsx(const Table& t) {
  xlsx::Workbook book;
  lxw_workbook* wb = book.wb();
  lxw_worksheet* ws = workbook_add_worksheet(wb, "结果");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t c = 0; c < t.header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.header[c].c_str(), bold);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), c < 4 ? 14 : 18,
                         nullptr);
  }
  lxw_row_t row = 1;
  for (auto& r : t.rows) {
    for (size_t c = 0; c < r.size(); ++c)
      worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), r[c].c_str(), nullptr);
    ++row;
  }
  worksheet_freeze_panes(ws, 1, 0);
  return book.Finish();
}

}  // namespace sx::docs::json
