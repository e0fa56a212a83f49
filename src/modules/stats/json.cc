#include "modules/stats/json.h"

#include <cmath>

#include "core/export/csv.h"
#include "core/util/clock.h"
#include "modules/requests/service.h"

namespace sx::stats {

using boost::json::array;
using boost::json::object;
using boost::json::value;

namespace {

std::optional<double> Ratio(int64_t a, int64_t b) {
  if (b <= 0) return std::nullopt;
  return static_cast<double>(a) / static_cast<double>(b);
}

value Num(std::optional<double> v, int decimals = 4) {
  if (!v) return nullptr;
  double k = std::pow(10.0, decimals);
  return std::round(*v * k) / k;
}

std::optional<double> Hours(int64_t minutes) { return std::round(minutes / 6.0) / 10.0; }

object Meetingish(const Figures& f, const std::string& family) {
  int64_t minutes = f.Get(family + ".minutes");
  return object{
      {"held", f.Get(family + ".held")},
      {"minutes", minutes},
      {"hours", Num(Hours(minutes), 1)},
      {"invitees", f.Get(family + ".invitees")},
      {"present", f.Get(family + ".present")},
      {"attendance_rate", Num(Ratio(f.Get(family + ".present"), f.Get(family + ".invitees")))}};
}

std::optional<double> D(int64_t v) { return static_cast<double>(v); }

std::optional<double> Tenths(std::optional<double> v) {
  if (!v) return v;
  return std::round(*v * 10) / 10;
}

}  // namespace

std::optional<double> RateOf(const Figures& f, const std::string& key) {
  const auto& r = f.req;
  if (key == "notices.read_rate") return Ratio(f.Get("notices.read"), f.Get("notices.audience"));
  if (key == "notices.confirm_rate")
    return Ratio(f.Get("notices.confirmed"), f.Get("notices.asked"));
  if (key == "meetings.attendance_rate")
    return Ratio(f.Get("meetings.present"), f.Get("meetings.invitees"));
  if (key == "trainings.attendance_rate")
    return Ratio(f.Get("trainings.present"), f.Get("trainings.invitees"));
  if (key == "requests.response_rate") return Ratio(r.signed_in_time, r.filed);
  if (key == "requests.resolve_rate") return Ratio(r.resolved, r.resolved + r.unresolved);
  if (key == "requests.satisfaction_rate") return Ratio(r.satisfied, r.rated);
  return std::nullopt;
}

int64_t CasesOf(const Figures& f, const std::string& key) {
  if (key.rfind("notices.", 0) == 0) return f.Get("notices.published");
  if (key.rfind("meetings.", 0) == 0) return f.Get("meetings.held");
  if (key == "requests.satisfaction_rate") return f.req.rated;
  return f.req.filed;
}

object FiguresJson(const Figures& f) {
  const auto& r = f.req;
  object o;
  o["notices"] = object{{"published", f.Get("notices.published")},
                        {"audience", f.Get("notices.audience")},
                        {"read", f.Get("notices.read")},
                        {"confirmed", f.Get("notices.confirmed")},
                        {"read_rate", Num(RateOf(f, "notices.read_rate"))},
                        {"confirm_rate", Num(RateOf(f, "notices.confirm_rate"))}};
  o["meetings"] = Meetingish(f, "meetings");
  o["trainings"] = Meetingish(f, "trainings");
  o["docs"] = object{{"created", f.Get("docs.created")},
                     {"edited", f.Get("docs.edited")},
                     {"forms_sent", f.Get("docs.forms_sent")},
                     {"responses", f.Get("docs.responses")}};
  auto median = [](const std::vector<int64_t>& h) {
    return Num(requests::RequestsService::MedianHours(h), 1);
  };
  o["requests"] = object{{"filed", r.filed},
                         {"signed", r.signed_},
                         {"finished", r.finished},
                         {"resolved", r.resolved},
                         {"unresolved", r.unresolved},
                         {"rated", r.rated},
                         {"satisfied", r.satisfied},
                         {"response_rate", Num(RateOf(f, "requests.response_rate"))},
                         {"resolve_rate", Num(RateOf(f, "requests.resolve_rate"))},
                         {"satisfaction_rate", Num(RateOf(f, "requests.satisfaction_rate"))},
                         {"median_sign_hours", median(r.sign_hist)},
                         {"median_finish_hours", median(r.finish_hist)},
                         {"overdue_now", f.overdue ? value(*f.overdue) : value(nullptr)}};
  o["people"] = object{{"joined", f.Get("people.joined")}, {"active", f.Get("people.active")}};
  return o;
}

object DashboardJson(const Dashboard& d) {
  auto place = [](const Place& p) {
    return object{{"code", p.code}, {"name", p.name}, {"level", p.level}};
  };
  object o;
  o["region"] = place(d.region);
  array path;
  for (auto& p : d.path) path.push_back(place(p));
  o["path"] = std::move(path);
  o["unit"] = d.unit ? value(object{{"id", d.unit->first}, {"name", d.unit->second}}) : nullptr;
  o["from"] = d.from;
  o["to"] = d.to;
  o["generated_at"] = util::IsoUtc(d.generated_at);
  o["totals"] = FiguresJson(d.totals);
  array months;
  for (auto& [m, f] : d.months) {
    auto fo = FiguresJson(f);
    fo["month"] = m;
    months.push_back(std::move(fo));
  }
  o["months"] = std::move(months);
  auto rows = [](const std::vector<Row>& v, bool unit) {
    array a;
    for (auto& r : v) {
      auto fo = FiguresJson(r.f);
      if (unit) {
        fo["id"] = r.id;
      } else {
        fo["code"] = r.id;
        fo["level"] = r.level;
      }
      fo["name"] = r.name;
      a.push_back(std::move(fo));
    }
    return a;
  };
  o["children"] = rows(d.children, false);
  o["units"] = rows(d.units, true);
  array rankings;
  for (auto& r : d.rankings) {
    array items;
    for (auto& i : r.items)
      items.push_back(object{{"id", i.id},
                             {"name", i.name},
                             {"value", Num(i.value)},
                             {"cases", i.cases},
                             {"rank", i.rank}});
    rankings.push_back(object{
        {"key", r.key}, {"over", r.over}, {"min_cases", r.min_cases}, {"items", std::move(items)}});
  }
  o["rankings"] = std::move(rankings);
  return o;
}

const std::vector<Column>& Columns() {
  static const std::vector<Column> kColumns = {
      {"通知发布", [](const Figures& f) { return D(f.Get("notices.published")); }},
      {"通知覆盖人次", [](const Figures& f) { return D(f.Get("notices.audience")); }},
      {"已读人次", [](const Figures& f) { return D(f.Get("notices.read")); }},
      {"阅读率", [](const Figures& f) { return RateOf(f, "notices.read_rate"); }, true},
      {"回执率", [](const Figures& f) { return RateOf(f, "notices.confirm_rate"); }, true},
      {"会议场次", [](const Figures& f) { return D(f.Get("meetings.held")); }},
      {"会议时长（小时）", [](const Figures& f) { return Hours(f.Get("meetings.minutes")); }},
      {"参会率", [](const Figures& f) { return RateOf(f, "meetings.attendance_rate"); }, true},
      {"培训场次", [](const Figures& f) { return D(f.Get("trainings.held")); }},
      {"培训时长（小时）", [](const Figures& f) { return Hours(f.Get("trainings.minutes")); }},
      {"新建文档", [](const Figures& f) { return D(f.Get("docs.created")); }},
      {"编辑文档", [](const Figures& f) { return D(f.Get("docs.edited")); }},
      {"发出收集表", [](const Figures& f) { return D(f.Get("docs.forms_sent")); }},
      {"收集表填报", [](const Figures& f) { return D(f.Get("docs.responses")); }},
      {"诉求受理", [](const Figures& f) { return D(f.req.filed); }},
      {"响应率", [](const Figures& f) { return RateOf(f, "requests.response_rate"); }, true},
      {"解决率", [](const Figures& f) { return RateOf(f, "requests.resolve_rate"); }, true},
      {"满意率", [](const Figures& f) { return RateOf(f, "requests.satisfaction_rate"); }, true},
      {"签收用时中位数（小时）",
       [](const Figures& f) {
         return Tenths(requests::RequestsService::MedianHours(f.req.sign_hist));
       }},
      {"办结用时中位数（小时）",
       [](const Figures& f) {
         return Tenths(requests::RequestsService::MedianHours(f.req.finish_hist));
       }},
      {"当前超期",
       [](const Figures& f) { return f.overdue ? D(*f.overdue) : std::optional<double>(); }},
      {"实名认证", [](const Figures& f) { return D(f.Get("people.joined")); }},
      {"活跃人数", [](const Figures& f) { return D(f.Get("people.active")); }},
  };
  return kColumns;
}

std::string TableCsvText(const Dashboard& d, const std::string& table) {
  std::string out(csv::kBom);
  std::vector<std::string> head{table == "months" ? "月份" : table == "units" ? "单位" : "地区"};
  if (table == "children") head.push_back("代码");
  for (auto& c : Columns()) head.push_back(c.title);
  out += csv::Row(head);
  auto line = [&](const std::string& name, const std::string* code, const Figures& f) {
    std::vector<std::string> row{name};
    if (code) row.push_back(*code);
    for (auto& c : Columns()) {
      auto v = c.value(f);
      if (!v) {
        row.push_back("");
      } else if (c.percent) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100);
        row.push_back(buf);
      } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.10g", *v);
        row.push_back(buf);
      }
    }
    out += csv::Row(row);
  };
  if (table == "months") {
    for (auto& [m, f] : d.months) line(m, nullptr, f);
  } else {
    for (auto& r : table == "units" ? d.units : d.children)
      line(r.name, table == "children" ? &r.id : nullptr, r.f);
  }
  line("合计", table == "children" ? &d.region.code : nullptr, d.totals);
  return out;
}

}  // namespace sx::stats
