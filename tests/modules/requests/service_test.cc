// Deadlines, escalation, auto-confirmation and the four-week follow-up, on a fake clock, through
// the real app wiring (SQLite, the demo county, real sign-in).
#include "modules/requests/service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/app.h"
#include "core/events/log.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "modules/org/demo.h"

namespace sx::requests {
namespace {

constexpr int64_t kHour = 3600 * 1000;

class RequestsClock : public ::testing::Test {
 protected:
  RequestsClock() {
    dir_ = std::filesystem::temp_directory_path() / ("sxreq-" + util::RandomHex(6));
    std::filesystem::create_directories(dir_);
    app::AppConfig cfg;
    cfg.db_url = "sqlite:" + (dir_ / "t.db").string();
    cfg.key_file = (dir_ / "k").string();
    cfg.files_dir = (dir_ / "files").string();
    cfg.fast_hash = true;
    cfg.clock = &clock_;
    app_ = std::make_unique<app::App>(cfg);
    org::LoadDemo(app_->db(), app_->pii(), app_->hasher(), app_->org().pinyin(), clock_,
                  {300, "demo-password-1"});
    app_->LoadDemoModules();
    accounts_ = org::ListDemoAccounts(app_->db(), app_->pii(), org::kDemoCounty);
  }
  ~RequestsClock() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }
  perm::Principal As(const std::string& role) {
    for (auto& a : accounts_)
      if (a.role == role) {
        auto s = app_->org().service().Login(a.phone, "demo-password-1", "127.0.0.1");
        return *app_->org().service().PrincipalForToken(s.session.token, false);
      }
    throw std::runtime_error("no account " + role);
  }
  std::vector<std::string> EventTypesFor(const std::string& key) {
    std::vector<std::string> out;
    for (auto& e :
         app_->db().ReadValue([](db::Conn& c) { return events::ReadAfter(c, "500238", 0, 1000); }))
      for (auto& k : e.keys)
        if (k == key) out.push_back(e.type);
    return out;
  }
  RequestsService& svc() { return app_->requests().service(); }

  util::FakeClock clock_{1764374400000};  // 2025-11-29T00:00:00Z
  std::filesystem::path dir_;
  std::unique_ptr<app::App> app_;
  std::vector<org::DemoAccountInfo> accounts_;
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
