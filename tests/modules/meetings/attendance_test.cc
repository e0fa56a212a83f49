// Attendance arithmetic on fixed times: unions of room segments, check-ins, the actual span,
// lateness, corrections, guests.
#include "modules/meetings/attendance.h"

#include <gtest/gtest.h>

namespace sx::meetings {
namespace {

constexpr int64_t kMin = 60 * 1000;
constexpr int64_t T0 = 1796000000000;  // the planned start

Meeting Planned(int64_t minutes = 60) {
  Meeting m;
  m.id = "m";
  m.start_at = T0;
  m.planned_minutes = minutes;
  m.status = "live";
  return m;
}

Member Mb(const std::string& id, bool guest = false) {
  Member m;
  m.member_id = id;
  m.name = id;
  m.guest = guest;
  return m;
}

TEST(Attendance, OverlappingSegmentsCountOnceAndTheSpanRunsFromFirstJoinToTheEnd) {
  Meeting m = Planned();
  m.ended_at = T0 + 62 * kMin;
  std::vector<Member> members{Mb("a"), Mb("b"), Mb("c")};
  std::vector<Segment> segs{
      {"a", T0 - 3 * kMin, T0 + 20 * kMin},   // joined early
      {"a", T0 + 10 * kMin, T0 + 30 * kMin},  // a second device overlapping
      {"a", T0 + 40 * kMin, std::nullopt},    // still there when the host ended
      {"b", T0 + 8 * kMin, T0 + 9 * kMin + 30 * 1000},
  };
  auto a = Compute(m, members, segs, T0 + 90 * kMin);
  ASSERT_EQ(a.rows.size(), 3u);
  EXPECT_EQ(*a.started_at, T0 - 3 * kMin);
  EXPECT_EQ(*a.ended_at, T0 + 62 * kMin);
  EXPECT_EQ(a.actual_minutes, 65);
  // a: [-3, 30] ∪ [40, 62] = 33 + 22 minutes.
  EXPECT_EQ(a.rows[0].minutes, 55);
  EXPECT_TRUE(a.rows[0].present);
  EXPECT_FALSE(a.rows[0].late);
  EXPECT_EQ(*a.rows[0].first_join_at, T0 - 3 * kMin);
  // b: 90 seconds, three minutes after the grace: present and late.
  EXPECT_EQ(a.rows[1].minutes, 1);
  EXPECT_TRUE(a.rows[1].present);
  EXPECT_TRUE(a.rows[1].late);
  // c never came.
  EXPECT_EQ(a.rows[2].minutes, 0);
  EXPECT_FALSE(a.rows[2].present);
  EXPECT_FALSE(a.rows[2].first_join_at.has_value());
  EXPECT_EQ(a.invitees, 3);
  EXPECT_EQ(a.present, 2);
  EXPECT_EQ(a.late, 1);
  EXPECT_NEAR(a.rate, 2.0 / 3.0, 1e-9);
}

TEST(Attendance, LessThanAMinuteInTheRoomIsNotPresenceAndTheGraceIsFiveMinutes) {
  Meeting m = Planned();
  m.ended_at = T0 + 60 * kMin;
  std::vector<Segment> segs{{"a", T0 + 5 * kMin, T0 + 5 * kMin + 59 * 1000},
                            {"b", T0 + 5 * kMin, T0 + 30 * kMin}};
  auto a = Compute(m, {Mb("a"), Mb("b")}, segs, T0 + 61 * kMin);
  EXPECT_FALSE(a.rows[0].present);
  EXPECT_FALSE(a.rows[1].late) << "exactly at the grace is on time";
  EXPECT_EQ(a.rows[1].minutes, 25);
}

TEST(Attendance, ACheckInCountsFromTheScanToTheEndAndMakesOnePresent) {
  Meeting m = Planned();
  m.mode = "onsite";
  m.ended_at = T0 + 45 * kMin;
  auto on_site = Mb("a");
  on_site.checked_in_at = T0 + 7 * kMin;
  auto after_end = Mb("b");
  after_end.checked_in_at = T0 + 50 * kMin;  // scanned after the host ended
  auto a = Compute(m, {on_site, after_end}, {}, T0 + 2 * 60 * kMin);
  EXPECT_EQ(*a.started_at, T0 + 7 * kMin);
  EXPECT_EQ(a.rows[0].minutes, 38);
  EXPECT_TRUE(a.rows[0].present);
  EXPECT_TRUE(a.rows[0].late);
  EXPECT_TRUE(a.rows[1].present) << "a check-in is presence even with no minutes";
  EXPECT_EQ(a.rows[1].minutes, 0);
}

TEST(Attendance, WhileLiveTheSpanRunsToNowAndAfterEveryoneLeftToTheLastLeave) {
  Meeting m = Planned();
  std::vector<Segment> open{{"a", T0, std::nullopt}};
  auto live = Compute(m, {Mb("a")}, open, T0 + 17 * kMin);
  EXPECT_EQ(live.rows[0].minutes, 17);
  EXPECT_FALSE(live.ended_at.has_value());
  std::vector<Segment> closed{{"a", T0, T0 + 20 * kMin}, {"b", T0 + 2 * kMin, T0 + 31 * kMin}};
  auto left = Compute(m, {Mb("a"), Mb("b")}, closed, T0 + 5 * 60 * kMin);
  EXPECT_EQ(*left.ended_at, T0 + 31 * kMin);
  EXPECT_EQ(left.actual_minutes, 31);
}

TEST(Attendance, CorrectionsReplaceTheFiguresAndGuestsAreListedButNotCounted) {
  Meeting m = Planned();
  m.ended_at = T0 + 60 * kMin;
  auto fixed = Mb("a");
  fixed.fix_minutes = 60;
  fixed.fix_present = true;
  fixed.fix_note = "网络断开，实际全程在场";
  auto absent = Mb("b");
  absent.fix_minutes = 0;
  absent.fix_present = false;
  auto guest = Mb("g", true);
  std::vector<Segment> segs{{"b", T0 + 20 * kMin, T0 + 50 * kMin}, {"g", T0, T0 + 60 * kMin}};
  auto a = Compute(m, {fixed, absent, guest}, segs, T0 + 61 * kMin);
  EXPECT_TRUE(a.rows[0].corrected);
  EXPECT_EQ(a.rows[0].minutes, 60);
  EXPECT_TRUE(a.rows[0].present);
  EXPECT_FALSE(a.rows[1].present);
  EXPECT_FALSE(a.rows[1].late) << "someone marked absent is not late";
  EXPECT_TRUE(a.rows[2].present);
  EXPECT_EQ(a.invitees, 2);
  EXPECT_EQ(a.present, 1);
  EXPECT_DOUBLE_EQ(a.rate, 0.5);
}

TEST(Attendance, NobodyCameMeansNoSpan) {
  auto a = Compute(Planned(), {Mb("a")}, {}, T0 + 90 * kMin);
  EXPECT_FALSE(a.started_at.has_value());
  EXPECT_EQ(a.actual_minutes, 0);
  EXPECT_EQ(a.present, 0);
  EXPECT_EQ(a.rate, 0);
}

}  // namespace
}  // namespace sx::meetings
