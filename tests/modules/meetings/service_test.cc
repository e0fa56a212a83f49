// Meetings on a fake clock through the real app wiring (SQLite, the demo county, real sign-in):
// reminders before the start, attendance from the room and check-ins, expiring check-in codes,
// meetings ending by themselves, overdue action items reminded once a day.
#include "modules/meetings/service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/events/log.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "support/demo_app.h"

namespace sx::meetings {
namespace {

constexpr int64_t kMin = 60 * 1000;

// A connection's far end: records what the room sends and whether it closed it.
class FakePeer : public ws::Peer {
 public:
  void Send(std::shared_ptr<const std::string> f) override { frames.push_back(*f); }
  void Close(uint16_t code, std::string) override { closed = code; }
  std::vector<std::string> frames;
  uint16_t closed = 0;
};

class MeetingsClock : public testing::DemoAppTest {
 protected:
  MeetingsClock() : DemoAppTest(1796000000000) {}
  int Count(const std::vector<std::string>& v, const std::string& x) {
    return static_cast<int>(std::count(v.begin(), v.end(), x));
  }
  MeetingsService& svc() { return app_->meetings().service(); }
  View Schedule(const perm::Principal& host, int64_t in_ms, const std::string& mode = "both") {
    MeetingInput in;
    in.title = "村两委例会";
    in.mode = mode;
    in.place = "村委会二楼";
    in.start_at = clock_.NowMs() + in_ms;
    in.planned_minutes = 60;
    in.remind_minutes = 30;
    in.audience.regions = {Account("village_cadre").region_code};
    return svc().Create({host, ""}, in);
  }
};

TEST_F(MeetingsClock, InviteesAreRemindedOnceBeforeTheStartExceptThoseWhoDeclined) {
  auto cadre = As("village_cadre");
  auto resident = As("resident");
  auto party = As("party_member");
  auto m = Schedule(cadre, 2 * 60 * kMin);
  ASSERT_TRUE(svc().Get(resident, m.meeting.id).me.has_value());
  bool party_invited = svc().Get(cadre, m.meeting.id).counts.invitees > 0;
  ASSERT_TRUE(party_invited);
  svc().Rsvp({resident, ""}, m.meeting.id, "declined", "要去镇上赶集");

  clock_.Advance(60 * kMin);
  svc().Tick();
  EXPECT_EQ(Count(EventTypesFor("a:" + cadre.account_id), "meeting.reminder"), 0) << "too early";

  clock_.Advance(31 * kMin);  // 29 minutes before the start
  EXPECT_GE(svc().Tick(), 1);
  EXPECT_EQ(Count(EventTypesFor("a:" + cadre.account_id), "meeting.reminder"), 1);
  EXPECT_EQ(Count(EventTypesFor("a:" + resident.account_id), "meeting.reminder"), 0)
      << "who declined is not reminded";
  clock_.Advance(5 * kMin);
  svc().Tick();
  EXPECT_EQ(Count(EventTypesFor("a:" + cadre.account_id), "meeting.reminder"), 1) << "once";

  // Moving the meeting reminds again before the new time.
  MeetingPatch p;
  p.start_at = clock_.NowMs() + 3 * 60 * kMin;
  p.note = "改到下午";
  auto moved = svc().Update({cadre, ""}, m.meeting.id, p);
  EXPECT_EQ(moved.meeting.sequence, 1);
  clock_.Advance(2 * 60 * kMin + 31 * kMin);
  svc().Tick();
  EXPECT_EQ(Count(EventTypesFor("a:" + cadre.account_id), "meeting.reminder"), 2);
}

TEST_F(MeetingsClock, RoomPresenceBecomesAttendanceAndTheMeetingEndsByItselfAfterItsTime) {
  auto cadre = As("village_cadre");
  auto resident = As("resident");
  auto m = Schedule(cadre, 10 * kMin);
  const auto& id = m.meeting.id;

  clock_.Advance(9 * kMin);  // the host opens the room a minute early
  auto host_peer = std::make_shared<FakePeer>();
  auto host = svc().JoinRoom(cadre, id);
  host->OnOpen(host_peer);
  ASSERT_FALSE(host_peer->frames.empty());
  EXPECT_NE(host_peer->frames[0].find(R"("type":"welcome")"), std::string::npos);

  clock_.Advance(8 * kMin);  // the resident is 7 minutes late
  auto res_peer = std::make_shared<FakePeer>();
  auto res = svc().JoinRoom(resident, id);
  res->OnOpen(res_peer);
  EXPECT_NE(res_peer->frames[0].find(R"("peers":[{)"), std::string::npos) << res_peer->frames[0];
  svc().FlushPresence();
  EXPECT_EQ(svc().Get(cadre, id).meeting.status, "live");

  clock_.Advance(20 * kMin);
  res->OnClose();
  clock_.Advance(40 * kMin);  // past the planned end
  host->OnClose();
  svc().FlushPresence();

  auto a = svc().GetAttendance(cadre, id);
  int64_t res_minutes = -1, cadre_minutes = -1;
  bool res_late = false;
  for (auto& r : a.rows) {
    if (r.member.member_id == resident.person_id) {
      res_minutes = r.minutes;
      res_late = r.late;
    }
    if (r.member.member_id == cadre.person_id) cadre_minutes = r.minutes;
  }
  EXPECT_EQ(res_minutes, 20);
  EXPECT_TRUE(res_late);
  EXPECT_EQ(cadre_minutes, 68);
  EXPECT_EQ(a.actual_minutes, 68);

  EXPECT_GE(svc().Tick(), 1);
  auto ended = svc().Get(cadre, id);
  EXPECT_EQ(ended.meeting.status, "ended");
  EXPECT_EQ(ended.meeting.actual_minutes.value_or(-1), 68);
  EXPECT_EQ(ended.meeting.present_count.value_or(-1), 2);
  EXPECT_THROW(svc().JoinRoom(resident, id), Error) << "an ended meeting has no room";
}

TEST_F(MeetingsClock, CheckInCodesExpireAndForgedOnesAreRefused) {
  auto cadre = As("village_cadre");
  auto resident = As("resident");
  auto m = Schedule(cadre, 5 * kMin, "onsite");
  auto code = svc().NewCheckinCode({cadre, ""}, m.meeting.id);
  clock_.Advance(5 * 60 * 1000 + 1);
  try {
    svc().Checkin({resident, ""}, m.meeting.id, code.code);
    FAIL() << "an expired code was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  }
  auto fresh = svc().NewCheckinCode({cadre, ""}, m.meeting.id);
  std::string forged = fresh.code;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_THROW(svc().Checkin({resident, ""}, m.meeting.id, forged), Error);
  // A later expiry with the old signature is forged too.
  std::string later =
      std::to_string(clock_.NowMs() + 3600 * 1000) + fresh.code.substr(fresh.code.find('.'));
  EXPECT_THROW(svc().Checkin({resident, ""}, m.meeting.id, later), Error);
  int64_t at = svc().Checkin({resident, ""}, m.meeting.id, fresh.code);
  EXPECT_EQ(at, clock_.NowMs());
  clock_.Advance(kMin);
  EXPECT_EQ(svc().Checkin({resident, ""}, m.meeting.id, fresh.code), at) << "idempotent";
  EXPECT_EQ(svc().Get(cadre, m.meeting.id).meeting.status, "live");
}

TEST_F(MeetingsClock, OverdueActionsAreRemindedOnceADay) {
  auto cadre = As("village_cadre");
  auto resident = As("resident");
  auto m = Schedule(cadre, 5 * kMin);
  auto a = svc().AddAction({cadre, ""}, m.meeting.id, "清理河道垃圾", resident.person_id,
                           clock_.NowMs() + 24 * 60 * kMin);
  EXPECT_EQ(a.owner_account, resident.account_id);
  auto key = "a:" + resident.account_id;
  clock_.Advance(23 * 60 * kMin);
  svc().Tick();
  EXPECT_EQ(Count(EventTypesFor(key), "meeting.action_overdue"), 0);
  clock_.Advance(2 * 60 * kMin);
  svc().Tick();
  EXPECT_EQ(Count(EventTypesFor(key), "meeting.action_overdue"), 1);
  clock_.Advance(60 * kMin);
  svc().Tick();
  EXPECT_EQ(Count(EventTypesFor(key), "meeting.action_overdue"), 1) << "once a day";
  clock_.Advance(24 * 60 * kMin);
  svc().Tick();
  EXPECT_EQ(Count(EventTypesFor(key), "meeting.action_overdue"), 2);
  svc().SetAction({resident, ""}, a.id, "done", "已清理");
  clock_.Advance(25 * 60 * kMin);
  svc().Tick();
  EXPECT_EQ(Count(EventTypesFor(key), "meeting.action_overdue"), 2) << "done items rest";
}

}  // namespace
}  // namespace sx::meetings
