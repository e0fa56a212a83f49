// Deadlines, escalation, auto-confirmation and the four-week follow-up, on a fake clock, through
// the real app wiring (SQLite, the demo county, real sign-in).
#include "modules/requests/service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/events/log.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "support/demo_app.h"

namespace sx::requests {
namespace {

constexpr int64_t kHour = 3600 * 1000;

class RequestsClock : public testing::DemoAppTest {
 protected:
  RequestsClock() : DemoAppTest(1764374400000) {}  // 2025-11-29T00:00:00Z
  RequestsService& svc() { return app_->requests().service(); }
};

TEST_F(RequestsClock, OverdueStepsEscalateVillageTownCountyAndFiguresRecordLateness) {
  auto resident = As("resident");
  auto cadre = As("village_cadre");
  FileInput in;
  in.category = "sanitation";  // sign 24 h, finish 168 h, confirm required
  in.description = "垃圾堆了很多天没有人清理";
  auto r = svc().File({resident, ""}, in);
  EXPECT_EQ(r.level, "village");
  std::string town = perm::AncestorAt(r.village_code, perm::Level::kTown);

  clock_.Advance(23 * kHour);
  svc().Tick();
  EXPECT_EQ(svc().Get(cadre, r.id).level, "village") << "not overdue yet";

  clock_.Advance(2 * kHour);
  EXPECT_GE(svc().Tick(), 1);
  auto late = svc().Get(cadre, r.id);
  EXPECT_EQ(late.level, "town");
  ASSERT_TRUE(late.escalated_at);
  EXPECT_EQ(late.steps.back().kind, "escalate");
  auto town_events = EventTypesFor("g:town_official:" + town);
  EXPECT_NE(std::find(town_events.begin(), town_events.end(), "request.escalated"),
            town_events.end());
  svc().Tick();
  EXPECT_EQ(svc().Get(cadre, r.id).steps.back().kind, "escalate") << "escalated once per step";
  auto official = As("town_official");
  auto todo = svc().List(official, "todo", "", "", "", "", 50);
  bool listed = false;
  for (auto& x : todo.items) listed = listed || x.id == r.id;
  EXPECT_TRUE(listed) << "an escalated request is on the town's to-do list";

  svc().Sign({cadre, ""}, r.id);  // signed late
  clock_.Advance(170 * kHour);    // past the finish deadline
  svc().Tick();
  EXPECT_EQ(svc().Get(cadre, r.id).level, "county");

  auto admin = As("county_admin");
  std::string month = "2025-11";
  auto rows = svc().Metrics(admin, month, month, "village", 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].filed, 1);
  EXPECT_EQ(rows[0].signed_in_time, 0);
  EXPECT_DOUBLE_EQ(rows[0].response_rate, 0.0);
  ASSERT_TRUE(rows[0].median_sign_hours);
  EXPECT_GT(*rows[0].median_sign_hours, 24.0);
  EXPECT_LE(*rows[0].median_sign_hours, 48.0);
}

TEST_F(RequestsClock, AnUnansweredFixIsConfirmedAfterAWeekAndFollowedUpAfterFourWeeks) {
  auto resident = As("resident");
  auto cadre = As("village_cadre");
  FileInput in;
  in.category = "dispute";
  in.description = "邻居家的狗晚上一直叫";
  auto r = svc().File({resident, ""}, in);
  svc().Sign({cadre, ""}, r.id);
  svc().Finish({cadre, ""}, r.id, "fixed", "已上门调解", {});
  EXPECT_EQ(svc().Get(resident, r.id).status, "finished");

  clock_.Advance(6 * 24 * kHour);
  svc().Tick();
  EXPECT_EQ(svc().Get(resident, r.id).status, "finished");
  clock_.Advance(2 * 24 * kHour);
  svc().Tick();
  auto done = svc().Get(resident, r.id);
  EXPECT_EQ(done.status, "resolved");
  EXPECT_THROW(svc().Followup({resident, ""}, r.id, true), Error) << "not asked yet";

  clock_.Advance(29 * 24 * kHour);
  svc().Tick();
  EXPECT_EQ(svc().Get(resident, r.id).followup_answer, "asked");
  auto mine = EventTypesFor("a:" + resident.account_id);
  EXPECT_NE(std::find(mine.begin(), mine.end(), "request.followup"), mine.end());
  auto again = svc().Followup({resident, ""}, r.id, false);
  EXPECT_EQ(again.status, "processing");
  EXPECT_EQ(again.reopen_count, 1);
  EXPECT_THROW(svc().Followup({resident, ""}, r.id, true), Error) << "asked once";
}

}  // namespace
}  // namespace sx::requests
