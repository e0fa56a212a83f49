// The dashboard through the real app wiring (SQLite, the demo county, real sign-in, a fake
// clock): activity in every module moves its counters in the same transaction; `stats rebuild`
// (StatsService::Rebuild) reproduces them exactly and repairs a tampered one; the dashboard's
// scopes; the demo history at a tenth of the article's scale.
#include "modules/stats/service.h"

#include <gtest/gtest.h>

#include "core/stats/counters.h"
#include "core/util/error.h"
#include "support/demo_app.h"

namespace sx::stats {
namespace {

constexpr int64_t kMin = 60 * 1000;

class FakePeer : public ws::Peer {
 public:
  void Send(std::shared_ptr<const std::string>) override {}
  void Close(uint16_t, std::string) override {}
};

class StatsTest : public testing::DemoAppTest {
 protected:
  StatsTest() : DemoAppTest(1796000000000) {}  // 2026-11-30T…Z (December in Shanghai soon)
  StatsService& svc() { return app_->stats().service(); }

  // Every counter cell and request_stats row, as text, for comparing before and after.
  std::string Snapshot() {
    std::string out;
    app_->db().Read([&](db::Conn& c) {
      for (auto* f : {"notices", "meetings", "trainings", "docs", "people"})
        for (auto& x : All(c, "500238", f))
          out += x.month + " " + x.region + " " + x.unit + " " + x.metric + " " +
                 std::to_string(x.value) + "\n";
      for (auto& x : ReadRollups(c, "500238", "0000-00", "9999-99", "", "999999999999")) {
        out += x.month + " " + x.scope + " " + x.unit;
        for (auto v : x.values) out += " " + std::to_string(v);
        out += "\n";
      }
      for (auto& r : c.Query("SELECT month, dim, dim_key, filed, signed, signed_in_time, "
                             "finished, resolved, sign_hist, finish_hist FROM request_stats "
                             "ORDER BY month, dim, dim_key"))
        for (size_t i = 0; i < 10; ++i) out += r.Str(i) + (i == 9 ? "\n" : " ");
    });
    return out;
  }

  void EndMeeting(const perm::Principal& host, const std::string& kind) {
    auto& m = app_->meetings().service();
    meetings::MeetingInput in;
    in.title = kind == "training" ? "电商培训" : "村两委例会";
    in.kind = kind;
    in.start_at = clock_.NowMs() + kMin;
    in.planned_minutes = 30;
    in.audience.regions = {Account("village_cadre").region_code};
    auto v = m.Create({host, ""}, in);
    clock_.Advance(kMin);
    auto h = m.JoinRoom(host, v.meeting.id);
    h->OnOpen(std::make_shared<FakePeer>());
    m.FlushPresence();
    clock_.Advance(40 * kMin);
    h->OnClose();
    m.FlushPresence();
    m.End({host, ""}, v.meeting.id);
  }
};

TEST_F(StatsTest, ActivityMovesTheCountersAndRebuildReproducesThemExactly) {
  auto cadre = As("village_cadre");
  auto resident = As("resident");
  auto admin = As("county_admin");
  std::string village = Account("village_cadre").region_code;
  ASSERT_EQ(Account("resident").region_code, village);

  notices::NoticeInput n;
  n.title = "春耕物资发放";
  n.body = "请到村委会领取";
  n.receipt_required = true;
  n.audience.regions = {village};
  auto notice = app_->notices().service().Publish({cadre, ""}, n);
  app_->notices().service().MarkRead(resident, notice.id);
  app_->notices().service().Confirm({resident, ""}, notice.id);
  app_->notices().service().MarkRead(resident, notice.id);  // again: counted once

  EndMeeting(cadre, "meeting");
  EndMeeting(cadre, "training");

  requests::FileInput in;
  in.category = "sanitation";
  in.description = "垃圾堆了很多天没有人清理";
  auto r = app_->requests().service().File({resident, ""}, in);
  app_->requests().service().Sign({cadre, ""}, r.id);

  docs::DocInput d;
  d.kind = "doc";
  d.title = "会议纪要";
  d.region_code = village;
  app_->docs().service().Create({cadre, ""}, d);

  auto dash = svc().Get(admin, {"500238000000", "", "", ""});
  EXPECT_EQ(dash.totals.Get("notices.published"), 3) << "the notice and two meeting invitations";
  EXPECT_EQ(dash.totals.Get("notices.read"), 1);
  EXPECT_EQ(dash.totals.Get("notices.confirmed"), 1);
  EXPECT_EQ(dash.totals.Get("meetings.held"), 1);
  EXPECT_EQ(dash.totals.Get("trainings.held"), 1);
  EXPECT_EQ(dash.totals.Get("meetings.minutes"), 40);
  EXPECT_EQ(dash.totals.Get("docs.created"), 3 + 1) << "three demo documents and one new";
  EXPECT_EQ(dash.totals.req.filed, 1);
  EXPECT_EQ(dash.totals.req.signed_, 1);
  // Drilling down: the town row, then the village's own dashboard.
  std::string town = perm::AncestorAt(village, perm::Level::kTown);
  bool found = false;
  for (auto& row : dash.children)
    if (row.id == town) {
      found = true;
      EXPECT_EQ(row.f.Get("meetings.held"), 1);
      EXPECT_EQ(row.f.req.filed, 1);
    }
  EXPECT_TRUE(found);
  auto v = svc().Get(cadre, {village, "", "", ""});
  EXPECT_EQ(v.totals.Get("trainings.held"), 1);
  EXPECT_TRUE(v.children.empty());
  ASSERT_EQ(v.path.size(), 3u);

  std::string live = Snapshot();
  for (auto& rep : svc().Rebuild("500238"))
    EXPECT_EQ(rep.differing, 0) << rep.family << " differed from the live counters";
  EXPECT_EQ(Snapshot(), live);

  // A tampered counter is found and repaired.
  app_->db().Write([](db::Conn& c) {
    c.Exec("UPDATE stat_counters SET value = value + 5 WHERE metric = 'notices.read'");
    c.Exec("UPDATE request_stats SET filed = filed + 1 WHERE dim = 'village'");
  });
  int64_t notices_diff = -1, requests_diff = -1, rollups_diff = -1;
  for (auto& rep : svc().Rebuild("500238")) {
    if (rep.family == "notices") notices_diff = rep.differing;
    if (rep.family == "requests") requests_diff = rep.differing;
    if (rep.family == "rollups") rollups_diff = rep.differing;
  }
  EXPECT_EQ(notices_diff, 1);
  EXPECT_EQ(requests_diff, 1);
  EXPECT_EQ(rollups_diff, 0) << "the roll-ups were right; only the cell was tampered with";
  app_->db().Write([](db::Conn& c) {
    c.Exec("UPDATE stat_rollups SET notices_read = notices_read + 1 WHERE unit_id = ''");
  });
  for (auto& rep : svc().Rebuild("500238"))
    if (rep.family == "rollups") EXPECT_EQ(rep.differing, 3) << "village, town, county rows";
  EXPECT_EQ(Snapshot(), live);
}

TEST_F(StatsTest, ScopesAreTheCallersPlacesAndUnitStaffSeeTheirUnit) {
  auto cadre = As("village_cadre");
  auto admin = As("county_admin");
  auto unit = As("unit_staff");
  std::string village = Account("village_cadre").region_code;
  EXPECT_THROW(svc().Get(cadre, {"500238000000", "", "", ""}), Error);
  EXPECT_NO_THROW(svc().Get(cadre, {village, "", "", ""}));
  EXPECT_THROW(svc().Get(admin, {"510238000000", "", "", ""}), Error) << "another county";
  EXPECT_THROW(svc().Get(admin, {"500238000000", "2026-01", "2028-01", ""}), Error) << "25 months";
  EXPECT_THROW(svc().Get(admin, {"500238000000", "2026-11", "2026-10", ""}), Error);
  auto u = svc().Get(unit, {"500238000000", "", "", "someone-elses-unit"});
  ASSERT_TRUE(u.unit.has_value());
  EXPECT_EQ(u.unit->first, unit.grants.front().unit_id) << "forced to the caller's unit";
  EXPECT_TRUE(u.units.empty());
  EXPECT_TRUE(u.children.empty()) << "a unit's figures are county-wide";
  std::string town = perm::AncestorAt(village, perm::Level::kTown);
  EXPECT_THROW(svc().Get(unit, {town, "", "", ""}), Error) << "unit staff: the county only";
  EXPECT_THROW(svc().Get(admin, {town, "", "", unit.grants.front().unit_id}), Error)
      << "a unit at a town is not a figure we keep";
  EXPECT_NO_THROW(svc().Get(admin, {"500238000000", "", "", unit.grants.front().unit_id}));
  auto all = svc().Get(admin, {"500238000000", "", "", ""});
  EXPECT_FALSE(all.unit.has_value());
  EXPECT_EQ(all.children.size(), 32u) << "巫溪县's towns";
}

TEST_F(StatsTest, DemoHistoryAtATenthOfTheArticleScaleAndItsCountersAreExact) {
  auto h = svc().LoadDemoHistory("500238", 0.1, 7);
  ASSERT_TRUE(h.loaded);
  EXPECT_EQ(h.notices, 600);
  EXPECT_EQ(h.meetings, 120);
  EXPECT_EQ(h.trainings, 10);
  EXPECT_EQ(h.docs, 240);
  EXPECT_EQ(h.requests, 300);
  EXPECT_GT(h.joined, 0);
  EXPECT_FALSE(svc().LoadDemoHistory("500238", 0.1, 7).loaded) << "once";
  auto admin = As("county_admin");
  auto d = svc().Get(admin, {"500238000000", "", "", ""});
  EXPECT_EQ(d.totals.Get("notices.published"), 600);
  EXPECT_EQ(d.totals.Get("meetings.held") + d.totals.Get("trainings.held"), 130);
  EXPECT_EQ(d.totals.Get("docs.created") + d.totals.Get("docs.forms_sent"), 240 + 3);
  EXPECT_EQ(d.totals.req.filed, 300);
  EXPECT_GT(d.totals.Get("notices.read"), 0);
  EXPECT_GT(d.totals.Get("people.active"), 0);
  int64_t joined = 0;
  for (auto& [m, f] : d.months) joined += f.Get("people.joined");
  EXPECT_EQ(joined, h.joined);
  double hours = d.totals.Get("meetings.minutes") / 60.0;
  EXPECT_GT(hours, 100);
  EXPECT_LT(hours, 130);
  int64_t by_month = 0;
  for (auto& [m, f] : d.months) by_month += f.Get("notices.published");
  EXPECT_EQ(by_month, 600) << "half a year fits the default six months";
  for (auto& rep : svc().Rebuild("500238")) EXPECT_EQ(rep.differing, 0) << rep.family;
}

}  // namespace
}  // namespace sx::stats
