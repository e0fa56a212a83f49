// Demo history for the documents module (`shuxiang demo`). See DocsService::LoadDemoHistory.
#include <boost/json.hpp>

#include "core/util/clock.h"
#include "core/util/random.h"
#include "modules/docs/form.h"
#include "modules/docs/repo.h"
#include "modules/docs/service.h"
#include "modules/docs/ydoc_text.h"

namespace sx::docs {

namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr const char* kDocTitles[] = {
    "会议纪要", "工作计划", "值班表", "工作台账", "项目进度表", "走访记录", "整改清单", "工作总结",
};
constexpr const char* kFormTitles[] = {
    "种植意向登记", "医保缴费情况摸排", "务工人员返乡登记", "防汛隐患排查登记", "技能培训报名",
};
}  // namespace

int64_t DocsService::LoadDemoHistory(const org::DemoPlaces& pl, int64_t count, uint64_t seed,
                                     int64_t days) {
  if (pl.villages.empty() || count <= 0) return 0;
  std::string county = pl.county_code.substr(0, 6);
  util::SeededRandom rnd(seed);
  int64_t now = clock_.NowMs(), span = days * kDayMs;
  auto spec = form::ParseSpec(boost::json::parse(
      R"({"per":"person","description":"请如实填写。","fields":[
      {"id":"known","type":"single","label":"是否已知晓","options":["已知晓","未知晓"],"required":true},
      {"id":"note","type":"text","label":"备注"}]})"));
  int64_t written = 0;
  uint64_t client = 5000;
  const int64_t batch = 200;
  for (int64_t start = 0; start < count; start += batch) {
    db_.Write([&](db::Conn& c) {
      for (int64_t i = start; i < std::min(count, start + batch); ++i) {
        Doc d;
        d.id = util::NewId();
        d.kind = rnd.Chance(10) ? "form" : "doc";
        d.owner_account = pl.cadre_account;
        d.owner_name = pl.cadre_name;
        std::string place;
        uint64_t who = rnd.Below(100);
        if (who < 60 || d.kind == "form") {
          auto& v = pl.villages[rnd.Below(pl.villages.size())];
          d.region_code = v.code;
          place = v.name;
        } else if (who < 85 && !pl.towns.empty()) {
          auto& t = pl.towns[rnd.Below(pl.towns.size())];
          d.region_code = t.code;
          place = t.name;
        } else if (!pl.units.empty()) {
          auto& u = pl.units[rnd.Below(pl.units.size())];
          d.region_code = pl.county_code;
          d.unit_id = u.id;
          place = u.name;
        } else {
          d.region_code = pl.county_code;
          place = pl.county_name;
        }
        d.created_at = now - span + static_cast<int64_t>(rnd.Below(static_cast<uint64_t>(span)));
        d.updated_at = d.created_at;
        std::string month = util::ShanghaiMonth(d.created_at);
        if (d.kind == "doc") {
          d.title = place + kDocTitles[rnd.Below(std::size(kDocTitles))];
          repo::Insert(c, county, d);
          std::string update = yjs::ProseMirrorUpdate(
              ++client,
              {{"heading", 1, d.title}, {"paragraph", 0, "（示例文档，由演示数据生成）"}});
          repo::AppendUpdate(c, county, d.id, 1, update);
          repo::NoteEdit(c, {county, d.id, d.region_code, d.unit_id, ""},
                         static_cast<int64_t>(update.size()), d.created_at, month, true);
          // Some are edited again in a later month.
          int64_t later = d.created_at + static_cast<int64_t>(rnd.Below(60)) * kDayMs;
          if (rnd.Chance(40) && later < now && util::ShanghaiMonth(later) != month)
            repo::NoteEdit(c, {county, d.id, d.region_code, d.unit_id, ""}, 0, later,
                           util::ShanghaiMonth(later), true);
        } else {
          d.title = place + kFormTitles[rnd.Below(std::size(kFormTitles))];
          d.form = spec;
          d.form_status = "closed";
          d.sent_at = d.created_at;
          d.deadline = d.created_at + 7 * kDayMs;
          auto it = pl.residents_of.find(d.region_code);
          size_t from = it == pl.residents_of.end() ? 0 : it->second.first;
          size_t to = it == pl.residents_of.end() ? 0 : it->second.second;
          d.audience_size = static_cast<int64_t>(to - from);
          repo::Insert(c, county, d);
          uint64_t rate = 40 + rnd.Below(50);
          for (size_t k = from; k < to; ++k) {
            if (!rnd.Chance(rate)) continue;
            auto& p = pl.people[k];
            FormResponse r;
            r.id = util::NewId();
            r.respondent = p.id;
            r.person_id = p.id;
            r.person_name = "村民";
            r.household_id = p.household;
            r.village_code = p.village;
            r.answers_json = rnd.Chance(90) ? R"({"known":"已知晓"})" : R"({"known":"未知晓"})";
            r.submitted_at = r.updated_at =
                *d.sent_at + static_cast<int64_t>(rnd.Below(6 * kDayMs));
            if (r.submitted_at > now) continue;
            repo::PutResponse(c, county, d.id, r);
            ++d.responses;
          }
          repo::Save(c, county, d);
        }
        ++written;
      }
    });
  }
  return written;
}

std::vector<stats::Cell> DocsService::RebuildCells(db::Conn& c, const std::string& county) {
  return repo::RebuildCells(c, county);
}

}  // namespace sx::docs
