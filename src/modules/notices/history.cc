// Demo history for the notices module (`shuxiang demo`): half a year of notices at the source
// article's scale, with reads and receipts. See NoticesService::LoadDemoHistory.
#include <fmt/format.h>

#include "core/util/random.h"
#include "modules/notices/repo.h"
#include "modules/notices/service.h"

namespace sx::notices {

namespace {
constexpr int64_t kDay = 24LL * 3600 * 1000;

struct Template {
  const char* category;
  const char* title;  // {} is the place
  const char* body;
};
constexpr Template kVillage[] = {
    {"farming", "{}春耕备耕物资发放通知", "请各户于本周内到村委会领取化肥和种子，带上户口簿。"},
    {"policy", "{}医保缴费提醒", "城乡居民医疗保险集中缴费期即将截止，请尚未缴费的村民及时办理。"},
    {"flood", "{}防汛避险提示", "近期强降雨频繁，请居住在地质灾害隐患点的村民注意避险。"},
    {"meeting", "{}村民代表大会通知", "本周五晚七点在村委会会议室召开村民代表大会，请准时参加。"},
    {"epidemic", "{}秋冬季疫苗接种通知",
     "乡镇卫生院将到村开展老年人疫苗接种，请有需要的村民登记。"},
    {"other", "{}人居环境整治安排", "本周六开展房前屋后清扫，请各户配合，保持村容整洁。"},
    {"policy", "{}产业奖补资金公示", "本年度产业发展奖补名单已在村务公开栏公示，如有异议请反映。"},
};
constexpr Template kAbove[] = {
    {"policy", "关于做好{}村级事务公开的通知", "请各村按要求于月底前完成党务、村务、财务公开。"},
    {"meeting", "关于召开{}乡村振兴工作推进会的通知",
     "请各村党支部书记准时参加，汇报本月工作进展。"},
    {"flood", "{}汛期值班值守安排", "进入主汛期，请各村落实24小时值班制度，及时上报险情。"},
    {"farming", "{}农业技术培训安排", "县农业农村委将组织果蔬种植技术培训，请各村组织人员参加。"},
    {"other", "{}数字乡村平台使用情况通报", "请各村提高通知阅读率和诉求响应率，按时办结群众诉求。"},
};
}  // namespace

int64_t NoticesService::LoadDemoHistory(const org::DemoPlaces& pl, int64_t count, uint64_t seed,
                                        int64_t days) {
  if (pl.villages.empty() || count <= 0) return 0;
  std::string county = pl.county_code.substr(0, 6);
  util::SeededRandom rnd(seed);
  int64_t now = clock_.NowMs(), span = days * kDay;
  // Residents by village (people are ordered by village).
  int64_t written = 0;
  const int64_t batch = 200;
  for (int64_t start = 0; start < count; start += batch) {
    db_.Write([&](db::Conn& c) {
      for (int64_t i = start; i < std::min(count, start + batch); ++i) {
        Notice n;
        n.id = util::NewId();
        n.urgency = rnd.Chance(10) ? "urgent" : "normal";
        n.status = "published";
        n.publisher_account = pl.cadre_account;
        n.published_at = now - span + static_cast<int64_t>(rnd.Below(static_cast<uint64_t>(span)));
        n.publish_at = *n.published_at;
        n.created_at = n.updated_at = *n.published_at;
        uint64_t who = rnd.Below(100);
        std::vector<std::pair<std::string, std::string>> readers;  // person, household
        std::string reader_village;
        if (who < 60) {
          // A village committee to its residents.
          auto& v = pl.villages[rnd.Below(pl.villages.size())];
          const auto& t = kVillage[rnd.Below(std::size(kVillage))];
          n.category = t.category;
          n.title = fmt::format(fmt::runtime(t.title), v.name);
          n.body = t.body;
          n.publisher_name = pl.cadre_name.empty() ? "村委会" : pl.cadre_name;
          n.publisher_label = v.name + "村民委员会";
          n.publisher_region = v.code;
          n.audience.regions.push_back({v.code, v.name});
          reader_village = v.code;
        } else {
          // A town, the county or a unit to the village cadres of its area.
          std::string region = pl.county_code, name = pl.county_name;
          if (who < 90 && !pl.towns.empty()) {
            auto& t = pl.towns[rnd.Below(pl.towns.size())];
            region = t.code;
            name = t.name;
            n.publisher_label = t.name + "人民政府";
          } else if (!pl.units.empty() && who < 97) {
            auto& u = pl.units[rnd.Below(pl.units.size())];
            n.publisher_unit = u.id;
            n.publisher_label = u.name;
            name = "全县";
          } else {
            n.publisher_label = pl.county_name + "人民政府办公室";
          }
          const auto& t = kAbove[rnd.Below(std::size(kAbove))];
          n.category = t.category;
          n.title = fmt::format(fmt::runtime(t.title), name);
          n.body = t.body;
          n.publisher_name = n.publisher_label;
          n.publisher_region = region;
          n.audience.roles.push_back({"village_cadre", region, name});
        }
        n.receipt_required = rnd.Chance(30);
        if (n.receipt_required) n.receipt_deadline = *n.published_at + 3 * kDay;
        n.excerpt = n.body;
        n.audience_size = repo::CountAudience(c, county, n.audience);
        repo::Insert(c, county, n, TargetKeys(n.audience));
        // Reads: most residents of the village within a few days; receipts when asked.
        if (!reader_village.empty()) {
          auto it = pl.residents_of.find(reader_village);
          if (it != pl.residents_of.end()) {
            uint64_t rate = 35 + rnd.Below(46);  // 35–80 % read
            for (size_t k = it->second.first; k < it->second.second; ++k) {
              if (!rnd.Chance(rate)) continue;
              auto& p = pl.people[k];
              int64_t at = *n.published_at + static_cast<int64_t>(rnd.Below(3 * kDay));
              if (at > now) continue;
              std::optional<int64_t> confirmed;
              if (n.receipt_required && rnd.Chance(85)) confirmed = at + 60000;
              repo::InsertHistoryRead(c, county, n.id, p.id, "", p.village, p.household, at,
                                      confirmed);
            }
          }
        } else if (!pl.cadre_account.empty() &&
                   perm::Within(n.publisher_region, pl.cadre_village) && rnd.Chance(80)) {
          int64_t at = *n.published_at + static_cast<int64_t>(rnd.Below(kDay));
          if (at <= now)
            repo::InsertHistoryRead(
                c, county, n.id, pl.cadre_account, pl.cadre_account, "", "", at,
                n.receipt_required ? std::optional<int64_t>(at + 60000) : std::nullopt);
        }
        ++written;
      }
    });
  }
  db_.Write([&](db::Conn& c) { repo::RecountReads(c, county); });
  return written;
}

}  // namespace sx::notices
