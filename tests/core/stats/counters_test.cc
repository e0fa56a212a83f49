// The monthly counters against a real SQLite database: adding creates and accumulates cells,
// reading filters by month, region range and family, and Replace reports exactly the cells that
// differed (changed, missing, extra) and leaves the wanted cells.
#include "core/stats/counters.h"

#include <gtest/gtest.h>

#include <map>

#include "support/temp_db.h"

namespace sx::stats {
namespace {

TEST(Counters, AddAccumulatesAndReadFilters) {
  testing::TempDb t;
  t.db().Write([](db::Conn& c) {
    Add(c, "500238", "notices.read", "2026-10", "500238101201", "", 2);
    Add(c, "500238", "notices.read", "2026-10", "500238101201", "", 3);
    Add(c, "500238", "notices.read", "2026-11", "500238102201", "u1", 1);
    Add(c, "500238", "meetings.held", "2026-11", "500238101000", "", 1);
    Add(c, "500238", "meetings.held", "2026-11", "500238101000", "", 0);  // no-op
    Add(c, "500239", "notices.read", "2026-11", "500239101201", "", 7);   // another county
  });
  t.db().Read([](db::Conn& c) {
    auto all = Read(c, "500238", "2026-01", "2026-12", "", "999999999999");
    EXPECT_EQ(all.size(), 3u);
    auto town = Read(c, "500238", "2026-01", "2026-12", "500238101000", "500238101999");
    ASSERT_EQ(town.size(), 2u);
    int64_t reads = 0;
    for (auto& x : town)
      if (x.metric == "notices.read") reads += x.value;
    EXPECT_EQ(reads, 5);
    auto nov = Read(c, "500238", "2026-11", "2026-11", "", "999999999999", "notices");
    ASSERT_EQ(nov.size(), 1u);
    EXPECT_EQ(nov[0].unit, "u1");
    EXPECT_TRUE(Read(c, "500238", "2026-11", "2026-11", "", "999999999999", "notice").empty())
        << "a family is a whole prefix before the dot";
  });
}

TEST(Counters, ReplaceCountsDifferencesAndStoresTheWantedCells) {
  testing::TempDb t;
  t.db().Write([](db::Conn& c) {
    Add(c, "500238", "docs.created", "2026-10", "500238101201", "", 4);    // right
    Add(c, "500238", "docs.edited", "2026-10", "500238101201", "", 9);     // wrong (8)
    Add(c, "500238", "docs.responses", "2026-09", "500238101201", "", 1);  // extra
    Add(c, "500238", "people.joined", "2026-10", "500238101201", "", 1);   // another family
  });
  Diff d;
  t.db().Write([&](db::Conn& c) {
    d = Replace(c, "500238", "docs",
                {{"2026-10", "500238101201", "", "docs.created", 3},
                 {"2026-10", "500238101201", "", "docs.created", 1},  // summed: 4
                 {"2026-10", "500238101201", "", "docs.edited", 8},
                 {"2026-11", "500238101201", "", "docs.forms_sent", 2},   // missing
                 {"2026-11", "500238101201", "", "docs.responses", 0}});  // zero: dropped
  });
  EXPECT_EQ(d.cells, 3);
  EXPECT_EQ(d.differing, 3);  // edited changed, responses extra, forms_sent missing
  t.db().Read([](db::Conn& c) {
    auto docs = All(c, "500238", "docs");
    ASSERT_EQ(docs.size(), 3u);
    EXPECT_EQ(All(c, "500238", "people").size(), 1u) << "other families untouched";
  });
  t.db().Write([&](db::Conn& c) {
    d = Replace(c, "500238", "docs",
                {{"2026-10", "500238101201", "", "docs.created", 4},
                 {"2026-10", "500238101201", "", "docs.edited", 8},
                 {"2026-11", "500238101201", "", "docs.forms_sent", 2}});
  });
  EXPECT_EQ(d.differing, 0);
}

TEST(Counters, CellsRollUpToTheirTownAndCountyForAllUnitsAndTheirUnit) {
  testing::TempDb t;
  t.db().Write([](db::Conn& c) {
    Add(c, "500238", "notices.read", "2026-11", "500238101201", "", 2);    // a village
    Add(c, "500238", "notices.read", "2026-11", "500238101202", "", 3);    // another, same town
    Add(c, "500238", "meetings.held", "2026-11", "500238000000", "u1", 1);  // a unit, county
    Add(c, "500238", "notices.read", "2026-11", "500238102000", "", 4);    // a town itself
    Add(c, "500238", "bogus.metric", "2026-11", "500238101201", "", 9);    // not rolled up
  });
  auto value = [](const Rollup& x, std::string_view metric) {
    for (size_t i = 0; i < kRolledUp.size(); ++i)
      if (kRolledUp[i] == metric) return x.values[i];
    return int64_t{-1};
  };
  t.db().Read([&](db::Conn& c) {
    std::map<std::string, Rollup> by;
    for (auto& x : ReadRollups(c, "500238", "2026-11", "2026-11", "", "999999999999"))
      by[x.scope + "/" + x.unit] = x;
    ASSERT_EQ(by.size(), 6u);  // 2 villages, 2 towns, the county, and the county for u1
    EXPECT_EQ(value(by["500238101201/"], "notices.read"), 2);
    EXPECT_EQ(value(by["500238101000/"], "notices.read"), 5);
    EXPECT_EQ(value(by["500238102000/"], "notices.read"), 4);
    EXPECT_EQ(value(by["500238000000/"], "notices.read"), 9);
    EXPECT_EQ(value(by["500238000000/"], "meetings.held"), 1);
    EXPECT_EQ(value(by["500238000000/u1"], "meetings.held"), 1);
    EXPECT_EQ(value(by["500238000000/u1"], "notices.read"), 0);
    auto town = ReadRollups(c, "500238", "2026-11", "2026-11", "500238101000", "500238101999");
    EXPECT_EQ(town.size(), 3u) << "the town and its two villages";
  });
  Diff d;
  t.db().Write([&](db::Conn& c) { d = RebuildRollups(c, "500238"); });
  EXPECT_EQ(d.cells, 6);
  EXPECT_EQ(d.differing, 0);
  t.db().Write([&](db::Conn& c) {
    c.Exec("DELETE FROM stat_rollups WHERE scope = '500238102000'");
    d = RebuildRollups(c, "500238");
  });
  EXPECT_EQ(d.differing, 1);
}

TEST(Counters, AnAccountIsActiveOncePerMonth) {
  testing::TempDb t;
  bool first = false, second = true, next_month = false;
  t.db().Write([&](db::Conn& c) {
    first = MarkActive(c, "500238", "acc", "2026-11", "500238101201");
    second = MarkActive(c, "500238", "acc", "2026-11", "500238101201");
    next_month = MarkActive(c, "500238", "acc", "2026-12", "500238101201");
  });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  EXPECT_TRUE(next_month);
  t.db().Read([](db::Conn& c) {
    auto cells = All(c, "500238", "people");
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[0].value, 1);
  });
}

}  // namespace
}  // namespace sx::stats
