#include "core/events/hub.h"

#include <gtest/gtest.h>

#include "support/temp_db.h"

namespace sx::events {
namespace {

struct Collector {
  std::mutex mu;
  std::vector<int64_t> seqs;
  Hub::Deliver Fn() {
    return [this](const std::shared_ptr<const Event>& e) {
      std::lock_guard lk(mu);
      seqs.push_back(e->seq);
    };
  }
  std::vector<int64_t> Get() {
    std::lock_guard lk(mu);
    return seqs;
  }
};

int64_t Put(db::Database& db, const std::string& county, std::vector<std::string> keys,
            int64_t at = 1000) {
  return db.WriteValue(
      [&](db::Conn& c) { return Append(c, county, "test.event", keys, R"({"x":1})", at); });
}

TEST(EventLog, AppendsInSeqOrderAndRoundTripsKeys) {
  testing::TempDb t;
  int64_t a = Put(t.db(), "500238", {"r:1", "p:2"});
  int64_t b = Put(t.db(), "500238", {"h:3"});
  EXPECT_EQ(b, a + 1);
  auto evs = t.db().ReadValue([](db::Conn& c) { return ReadAfter(c, "500238", 0, 10); });
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].keys, (std::vector<std::string>{"r:1", "p:2"}));
  EXPECT_EQ(evs[1].payload, R"({"x":1})");
  EXPECT_EQ(t.db().ReadValue([](db::Conn& c) { return Head(c); }), b);
}

TEST(Hub, DeliversOnlyToIntersectingKeysOnceEach) {
  testing::TempDb t;
  util::FakeClock clock(1000);
  Hub hub(t.db(), clock);
  Collector village, both, elsewhere, other_county;
  auto s1 = hub.Subscribe("500238", {"r:v1"}, village.Fn());
  auto s2 = hub.Subscribe("500238", {"r:v1", "p:me"}, both.Fn());
  auto s3 = hub.Subscribe("500238", {"r:v2"}, elsewhere.Fn());
  auto s4 = hub.Subscribe("110101", {"r:v1"}, other_county.Fn());
  int64_t e = Put(t.db(), "500238", {"r:v1", "p:me"});
  hub.DispatchOnce();
  EXPECT_EQ(village.Get(), std::vector<int64_t>{e});
  EXPECT_EQ(both.Get(), std::vector<int64_t>{e}) << "matched two keys, delivered once";
  EXPECT_TRUE(elsewhere.Get().empty());
  EXPECT_TRUE(other_county.Get().empty());
  EXPECT_EQ(hub.subscribers(), 4);
  s1.sub.reset();
  EXPECT_EQ(hub.subscribers(), 3);
  Put(t.db(), "500238", {"r:v1"});
  hub.DispatchOnce();
  EXPECT_EQ(village.Get().size(), 1u) << "unsubscribed";
}

TEST(Hub, ResumeReturnsMissedEventsThenLiveWithoutGapOrDuplicate) {
  testing::TempDb t;
  util::FakeClock clock(1000);
  Hub hub(t.db(), clock);
  int64_t seen = Put(t.db(), "500238", {"r:v1"});
  hub.DispatchOnce();
  int64_t m1 = Put(t.db(), "500238", {"r:v1"});
  Put(t.db(), "500238", {"r:v2"});  // not ours
  int64_t m2 = Put(t.db(), "500238", {"p:me"});
  hub.DispatchOnce();
  Collector live;
  auto s = hub.Subscribe("500238", {"r:v1", "p:me"}, live.Fn(), seen);
  EXPECT_FALSE(s.reset);
  ASSERT_EQ(s.missed.size(), 2u);
  EXPECT_EQ(s.missed[0].seq, m1);
  EXPECT_EQ(s.missed[1].seq, m2);
  int64_t l = Put(t.db(), "500238", {"r:v1"});
  hub.DispatchOnce();
  EXPECT_EQ(live.Get(), std::vector<int64_t>{l});
}

TEST(Hub, ResetWhenTheLogNoLongerHoldsWhatWasMissed) {
  testing::TempDb t;
  util::FakeClock clock(1000);
  Hub hub(t.db(), clock);
  int64_t old = Put(t.db(), "500238", {"r:v1"}, 1000);
  Put(t.db(), "500238", {"r:v1"}, 1000);
  Put(t.db(), "500238", {"r:v1"}, 9000);
  hub.DispatchOnce();
  int64_t pruned = t.db().WriteValue([](db::Conn& c) { return Prune(c, 5000); });
  EXPECT_EQ(pruned, 2);
  Collector c;
  auto s = hub.Subscribe("500238", {"r:v1"}, c.Fn(), old);
  EXPECT_TRUE(s.reset);
  auto future = hub.Subscribe("500238", {"r:v1"}, c.Fn(), 1'000'000);
  EXPECT_TRUE(future.reset);
}

TEST(Hub, TheDispatcherThreadDeliversAfterAKick) {
  testing::TempDb t;
  util::SystemClock clock;
  Hub hub(t.db(), clock, {.poll = std::chrono::milliseconds(5000)});
  hub.Start();
  Collector c;
  auto s = hub.Subscribe("500238", {"r:v1"}, c.Fn());
  int64_t e = Put(t.db(), "500238", {"r:v1"});
  hub.Kick();
  for (int i = 0; i < 200 && c.Get().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(c.Get(), std::vector<int64_t>{e}) << "well before the 5 s poll";
  hub.Stop();
}

}  // namespace
}  // namespace sx::events
