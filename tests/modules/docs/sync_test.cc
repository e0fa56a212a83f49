// The Yjs sync hub against a real SQLite database with in-memory peers: the first SyncStep1,
// updates stored before anyone hears them and not echoed to their sender, viewers refused with
// a permission message, awareness echoed to everyone and removed when its connection closes,
// malformed frames and oversized documents closed with their codes, merging of stored rows, and
// a restart that serves the same state.
#include "modules/docs/sync.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/util/strings.h"
#include "modules/docs/repo.h"
#include "modules/docs/yprotocol.h"
#include "modules/docs/yupdate.h"
#include "support/temp_db.h"

namespace sx::docs {
namespace {

std::string Hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

// Client `c` inserts "你好" into the root text "t".
std::string NiHao(int c) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02x", c);
  return Hex(std::string("0101") + buf + "0004010174" + "06e4bda0e5a5bd" + "00");
}

class FakePeer : public ws::Peer {
 public:
  explicit FakePeer(std::function<void(const std::string&)> on_send = {})
      : on_send_(std::move(on_send)) {}
  void Send(std::shared_ptr<const std::string> f) override {
    if (on_send_) on_send_(*f);
    std::lock_guard lk(mu_);
    frames_.push_back(*f);
  }
  void Close(uint16_t code, std::string) override {
    std::lock_guard lk(mu_);
    close_ = code;
  }
  std::vector<std::string> Frames() {
    std::lock_guard lk(mu_);
    return frames_;
  }
  uint16_t closed() {
    std::lock_guard lk(mu_);
    return close_;
  }
  // Waits up to 3 s for a frame satisfying pred.
  bool WaitFor(const std::function<bool(const std::string&)>& pred) {
    for (int i = 0; i < 300; ++i) {
      for (auto& f : Frames())
        if (pred(f)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  std::function<void(const std::string&)> on_send_;
  std::mutex mu_;
  std::vector<std::string> frames_;
  uint16_t close_ = 0;
};

bool IsUpdate(const std::string& f, const std::string& u) { return f == yjs::UpdateMessage(u); }

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override { hub_ = Make(); }
  std::unique_ptr<SyncHub> Make(SyncOptions o = {}) {
    auto h = std::make_unique<SyncHub>(db_.db(), clock_, o);
    h->Start();
    return h;
  }
  struct Client {
    std::shared_ptr<FakePeer> peer;
    std::unique_ptr<ws::SocketHandler> handler;
    void Say(const std::string& frame) { handler->OnMessage(frame); }
  };
  Client Join(SyncHub& hub, Role role, std::function<void(const std::string&)> on_send = {}) {
    Client c{std::make_shared<FakePeer>(std::move(on_send)), hub.Connect(doc_, role)};
    c.handler->OnOpen(c.peer);
    return c;
  }
  size_t Rows() {
    return db_.db().ReadValue(
        [&](db::Conn& c) { return repo::LoadUpdates(c, doc_.county, doc_.id).size(); });
  }
  testing::TempDb db_;
  util::FakeClock clock_{1'780'000'000'000};
  DocRef doc_{"500238", "doc-1", "500238001001", "", ""};
  std::unique_ptr<SyncHub> hub_;
};

TEST_F(SyncTest, StoresBeforeBroadcastAndSkipsTheSender) {
  auto a = Join(*hub_, Role::kEditor);
  bool stored_when_heard = false;
  auto b = Join(*hub_, Role::kEditor, [&](const std::string& f) {
    if (IsUpdate(f, NiHao(7))) stored_when_heard = Rows() == 1;
  });
  EXPECT_EQ(util::ToHex(a.peer->Frames().at(0)), "00000100");  // SyncStep1, empty state vector
  a.Say(yjs::UpdateMessage(NiHao(7)));
  ASSERT_TRUE(b.peer->WaitFor([](auto& f) { return IsUpdate(f, NiHao(7)); }));
  EXPECT_TRUE(stored_when_heard);
  for (auto& f : a.peer->Frames()) EXPECT_FALSE(IsUpdate(f, NiHao(7)));

  // A newcomer hears the real state vector and gets exactly what it lacks.
  auto c = Join(*hub_, Role::kViewer);
  EXPECT_EQ(c.peer->Frames().at(0), yjs::SyncStep1(yjs::EncodeStateVectorFromUpdate(NiHao(7))));
  c.Say(yjs::SyncStep1(std::string(1, '\0')));
  EXPECT_EQ(c.peer->Frames().back(), yjs::SyncStep2(NiHao(7)));
  for (auto* x : {&a, &b, &c}) x->handler->OnClose();
}

TEST_F(SyncTest, ViewersCannotEditButMaySendEmptyUpdates) {
  auto v = Join(*hub_, Role::kViewer);
  auto e = Join(*hub_, Role::kEditor);
  v.Say(yjs::SyncStep2(std::string(2, '\0')));  // the reply to our SyncStep1: nothing to add
  v.Say(yjs::UpdateMessage(NiHao(9)));
  EXPECT_EQ(v.peer->Frames().back(), yjs::PermissionDenied("read-only"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Rows(), 0u);
  EXPECT_EQ(v.peer->closed(), 0);
  for (auto& f : e.peer->Frames()) EXPECT_FALSE(IsUpdate(f, NiHao(9)));
  v.handler->OnClose();
  e.handler->OnClose();
}

TEST_F(SyncTest, AwarenessIsEchoedAndRemovedOnClose) {
  auto a = Join(*hub_, Role::kEditor);
  auto b = Join(*hub_, Role::kViewer);
  auto hello = yjs::AwarenessMessage({{42, 3, R"({"user":{"name":"李四"}})"}});
  a.Say(hello);
  EXPECT_EQ(a.peer->Frames().back(), hello);  // the sender hears it too (keep-alive)
  EXPECT_EQ(b.peer->Frames().back(), hello);
  auto late = Join(*hub_, Role::kViewer);
  EXPECT_EQ(late.peer->Frames().at(1), hello);  // current states right after SyncStep1
  a.handler->OnClose();
  auto gone = yjs::AwarenessMessage({{42, 4, "null"}});
  EXPECT_EQ(b.peer->Frames().back(), gone);
  EXPECT_EQ(late.peer->Frames().back(), gone);
  // Not JSON: a protocol error.
  b.Say(yjs::AwarenessMessage({{43, 1, "{oops"}}));
  EXPECT_EQ(b.peer->closed(), kCloseSyncBadFrame);
  b.handler->OnClose();
  late.handler->OnClose();
}

TEST_F(SyncTest, MalformedFramesCloseWithoutStoring) {
  for (std::string bad : {std::string("\x09", 1), std::string("\x00\x07\x00", 3),
                          std::string("\x00\x02\xff\xff\xff\x0f\x01", 7),
                          yjs::UpdateMessage("\x01\x01\x07\x00\x04\x01\x01"),  // truncated
                          yjs::SyncStep1("\x05\x01")}) {
    auto c = Join(*hub_, Role::kEditor);
    c.Say(bad);
    EXPECT_EQ(c.peer->closed(), kCloseSyncBadFrame) << util::ToHex(bad);
    c.handler->OnClose();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Rows(), 0u);
}

TEST_F(SyncTest, RefusesDocumentsOverTheLimit) {
  SyncOptions o;
  o.max_doc_bytes = NiHao(7).size() + 5;
  auto hub = Make(o);
  auto c = Join(*hub, Role::kEditor);
  c.Say(yjs::UpdateMessage(NiHao(7)));
  c.Say(yjs::UpdateMessage(NiHao(8)));
  EXPECT_EQ(c.peer->closed(), kCloseSyncTooLarge);
  c.handler->OnClose();
}

TEST_F(SyncTest, MergesStoredRowsAndSurvivesARestart) {
  SyncOptions o;
  o.compact_after = 3;
  std::string state;
  {
    auto hub = Make(o);
    auto a = Join(*hub, Role::kEditor);
    auto b = Join(*hub, Role::kEditor);
    std::vector<std::string> all;
    for (int client = 1; client <= 6; ++client) {
      all.push_back(NiHao(client));
      a.Say(yjs::UpdateMessage(all.back()));
      ASSERT_TRUE(b.peer->WaitFor([&](auto& f) { return IsUpdate(f, all.back()); }));
    }
    std::vector<std::string_view> views(all.begin(), all.end());
    state = yjs::MergeUpdates(views);
    EXPECT_LE(Rows(), 3u);
    a.handler->OnClose();
    b.handler->OnClose();
    hub->Stop();  // the last connection left: everything merged into one row
    EXPECT_EQ(Rows(), 1u);
  }
  auto hub = Make(o);
  EXPECT_EQ(hub->State(doc_.county, doc_.id), state);
  auto c = Join(*hub, Role::kViewer);
  c.Say(yjs::SyncStep1(std::string(1, '\0')));
  EXPECT_EQ(c.peer->Frames().back(), yjs::SyncStep2(state));
  c.handler->OnClose();
}

}  // namespace
}  // namespace sx::docs
