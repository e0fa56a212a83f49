// Demo history for the meetings module (`shuxiang demo`). See MeetingsService::LoadDemoHistory.
#include "core/util/random.h"
#include "modules/meetings/repo.h"
#include "modules/meetings/service.h"

namespace sx::meetings {

namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr const char* kMeetingTitles[] = {
    "村两委例会", "乡村振兴工作推进会", "防汛工作部署会",     "人居环境整治调度会",
    "党员大会",   "产业发展座谈会",     "群众诉求办理周例会", "安全生产专题会",
};
constexpr const char* kTrainingTitles[] = {
    "数字乡村平台操作培训", "电商直播带货培训", "农技服务线上课堂",
    "基层党建业务培训",     "网格员业务培训",
};
}  // namespace

int64_t MeetingsService::LoadDemoHistory(const org::DemoPlaces& pl, int64_t meetings,
                                         int64_t trainings, uint64_t seed, int64_t days) {
  if (pl.villages.empty()) return 0;
  std::string county = pl.county_code.substr(0, 6);
  util::SeededRandom rnd(seed);
  int64_t now = clock_.NowMs(), span = days * kDayMs;
  int64_t total = meetings + trainings, written = 0;
  const int64_t batch = 200;
  for (int64_t start = 0; start < total; start += batch) {
    db_.Write([&](db::Conn& c) {
      for (int64_t i = start; i < std::min(total, start + batch); ++i) {
        bool training = i >= meetings;
        Meeting m;
        m.id = util::NewId();
        m.kind = training ? "training" : "meeting";
        m.mode = rnd.Chance(80) ? "online" : "both";
        if (m.mode == "both") m.place = "会议室";
        m.host_account = pl.cadre_account;
        m.host_name = pl.cadre_name;
        m.checkin_secret = util::RandomHex(32);
        uint64_t who = rnd.Below(100);
        std::string place_name;
        if (who < (training ? 10u : 50u)) {
          auto& v = pl.villages[rnd.Below(pl.villages.size())];
          m.organizer_region = v.code;
          m.organizer_label = v.name + "村民委员会";
          m.invitees = 8 + static_cast<int64_t>(rnd.Below(25));
        } else if (who < (training ? 40u : 80u) && !pl.towns.empty()) {
          auto& t = pl.towns[rnd.Below(pl.towns.size())];
          m.organizer_region = t.code;
          m.organizer_label = t.name + "人民政府";
          m.invitees = 15 + static_cast<int64_t>(rnd.Below(40));
        } else if (who < 95 && !pl.units.empty()) {
          auto& u = pl.units[rnd.Below(pl.units.size())];
          m.organizer_region = pl.county_code;
          m.organizer_unit = u.id;
          m.organizer_label = u.name;
          m.invitees = 20 + static_cast<int64_t>(rnd.Below(80));
        } else {
          m.organizer_region = pl.county_code;
          m.organizer_label = pl.county_name + "人民政府办公室";
          m.invitees = 60 + static_cast<int64_t>(rnd.Below(240));
        }
        m.title = training ? kTrainingTitles[rnd.Below(std::size(kTrainingTitles))]
                           : kMeetingTitles[rnd.Below(std::size(kMeetingTitles))];
        m.agenda = training ? "课程讲解、操作演示、答疑。" : "通报进展，研究部署下一步工作。";
        // Whole 5-minute starts between 8:00 and 20:00 (Beijing time).
        int64_t day =
            (now - span) / kDayMs + static_cast<int64_t>(rnd.Below(static_cast<uint64_t>(days)));
        int64_t minute_of_day = 8 * 60 + static_cast<int64_t>(rnd.Below(144)) * 5 - 8 * 60;
        m.start_at = day * kDayMs + minute_of_day * 60000;
        if (m.start_at > now - 3 * 3600 * 1000) m.start_at -= 2 * kDayMs;
        m.planned_minutes = training ? 90 : 60;
        m.remind_minutes = 30;
        m.status = "scheduled";
        m.created_at = m.updated_at = m.start_at - kDayMs;
        repo::Insert(c, county, m);
        // Held: 30–84 minutes for meetings (the county's 1,207 took 1,145 hours), 60–150 for
        // trainings; 70–98 % attended.
        int64_t minutes = training ? 60 + static_cast<int64_t>(rnd.Below(91))
                                   : 30 + static_cast<int64_t>(rnd.Below(55));
        m.status = "ended";
        m.started_at = m.start_at;
        m.ended_at = m.start_at + minutes * 60000;
        m.actual_minutes = minutes;
        m.present_count = m.invitees * (70 + static_cast<int64_t>(rnd.Below(29))) / 100;
        m.updated_at = *m.ended_at;
        repo::Update(c, county, m);
        ++written;
      }
    });
  }
  return written;
}

std::vector<stats::Cell> MeetingsService::RebuildCells(db::Conn& c, const std::string& county) {
  return repo::RebuildCells(c, county);
}

}  // namespace sx::meetings
