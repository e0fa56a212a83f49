// iCalendar text rules: TEXT escaping, 75-octet folding that never splits a UTF-8 sequence,
// CRLF, the Asia/Shanghai VTIMEZONE and wall-clock times, cancellation and SEQUENCE.
#include "modules/meetings/ics.h"

#include <gtest/gtest.h>

namespace sx::meetings::ics {
namespace {

bool ValidUtf8Start(unsigned char c) { return (c & 0xC0) != 0x80; }

TEST(Ics, EscapesTextSpecials) { EXPECT_EQ(Escape("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne"); }

TEST(Ics, FoldsAt75OctetsWithoutSplittingCharacters) {
  std::string line = "DESCRIPTION:";
  for (int i = 0; i < 100; ++i) line += "防汛会议";  // 3 octets each
  std::string folded = Fold(line);
  ASSERT_TRUE(folded.ends_with("\r\n"));
  std::string unfolded;
  size_t pos = 0;
  while (pos < folded.size()) {
    size_t end = folded.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos);
    std::string physical = folded.substr(pos, end - pos);
    EXPECT_LE(physical.size(), 75u);
    if (pos > 0) {
      ASSERT_EQ(physical[0], ' ');
      physical.erase(0, 1);
    }
    ASSERT_FALSE(physical.empty());
    EXPECT_TRUE(ValidUtf8Start(static_cast<unsigned char>(physical[0])))
        << "a fold split a character at octet " << pos;
    unfolded += physical;
    pos = end + 2;
  }
  EXPECT_EQ(unfolded, line);
  EXPECT_EQ(Fold("SHORT:x"), "SHORT:x\r\n");
}

TEST(Ics, CalendarHasTheTimezoneLocalTimesAndCancellation) {
  Event e;
  e.meeting.id = "abc";
  e.meeting.title = "村务会议, 第一次";
  e.meeting.start_at = 1796086800000;  // 2026-12-01T01:00:00Z = 09:00 in Shanghai
  e.meeting.planned_minutes = 90;
  e.meeting.status = "cancelled";
  e.meeting.cancel_reason = "暴雨";
  e.meeting.sequence = 3;
  e.meeting.host_account = "h";
  e.meeting.host_name = "张三";
  e.meeting.mode = "onsite";
  e.meeting.place = "村委会";
  std::string cal = Calendar("我的会议", {e}, 1796000000000);
  EXPECT_NE(cal.find("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"), std::string::npos);
  EXPECT_NE(cal.find("TZOFFSETTO:+0800\r\n"), std::string::npos);
  EXPECT_NE(cal.find("DTSTART;TZID=Asia/Shanghai:20261201T090000\r\n"), std::string::npos);
  EXPECT_NE(cal.find("DTEND;TZID=Asia/Shanghai:20261201T103000\r\n"), std::string::npos);
  EXPECT_NE(cal.find("SUMMARY:村务会议\\, 第一次\r\n"), std::string::npos);
  EXPECT_NE(cal.find("STATUS:CANCELLED\r\n"), std::string::npos);
  EXPECT_NE(cal.find("SEQUENCE:3\r\n"), std::string::npos);
  EXPECT_NE(cal.find("ORGANIZER;CN=\"张三\":"), std::string::npos);
  EXPECT_EQ(cal.find("BEGIN:VALARM"), std::string::npos) << "no alarm for a cancelled meeting";
  EXPECT_EQ(cal.find("\n\n"), std::string::npos);
  for (size_t i = 0; i < cal.size(); ++i)
    if (cal[i] == '\n') {
      ASSERT_EQ(cal[i - 1], '\r');
    }
}

}  // namespace
}  // namespace sx::meetings::ics
