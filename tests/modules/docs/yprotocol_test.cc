// The y-websocket frame codec on known bytes: the reference's examples, awareness entries, and
// strict refusals of truncated, oversized and unknown frames.
#include "modules/docs/yprotocol.h"

#include <gtest/gtest.h>

#include "core/util/strings.h"

namespace sx::yjs {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

TEST(YProtocol, BuildsTheReferenceFrames) {
  EXPECT_EQ(util::ToHex(SyncStep1(std::string(1, '\0'))), "00000100");
  EXPECT_EQ(util::ToHex(SyncStep2(std::string(2, '\0'))), "0001020000");
  EXPECT_EQ(util::ToHex(UpdateMessage(Bytes({1, 2, 3}))), "000203010203");
  EXPECT_EQ(util::ToHex(PermissionDenied("read-only")),
            "0200097265616"
            "42d6f6e6c79");
}

TEST(YProtocol, ParsesSyncAwarenessAndQuery) {
  auto m = ParseMessage(Bytes({0, 0, 1, 0}));
  EXPECT_EQ(m.type, MessageType::kSyncStep1);
  EXPECT_EQ(m.payload, std::string(1, '\0'));
  m = ParseMessage(Bytes({0, 2, 2, 0, 0}));
  EXPECT_EQ(m.type, MessageType::kUpdate);
  EXPECT_EQ(m.payload.size(), 2u);
  EXPECT_EQ(ParseMessage(Bytes({3})).type, MessageType::kQueryAwareness);

  std::vector<AwarenessEntry> in{{300, 5, R"({"user":{"name":"张三"}})"}, {7, 9, "null"}};
  auto frame = AwarenessMessage(in);
  m = ParseMessage(frame);
  ASSERT_EQ(m.type, MessageType::kAwareness);
  auto out = ParseAwareness(m.payload);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].client, 300u);
  EXPECT_EQ(out[0].clock, 5u);
  EXPECT_EQ(out[0].state, in[0].state);
  EXPECT_EQ(out[1].state, "null");
}

TEST(YProtocol, RefusesMalformedFrames) {
  for (auto bad : {Bytes({}), Bytes({0}), Bytes({0, 0}), Bytes({0, 0, 5, 1}), Bytes({0, 7, 0}),
                   Bytes({9}), Bytes({0x80}), Bytes({0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1}),
                   Bytes({0, 0, 1, 0, 0}), Bytes({1, 3, 1, 1}), Bytes({2, 1, 0}),
                   Bytes({0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1})})
    EXPECT_THROW(ParseMessage(bad), ProtocolError) << util::ToHex(bad);
  // An awareness update announcing more entries than it holds, or too many.
  EXPECT_THROW(ParseAwareness(Bytes({2, 1, 1, 0})), ProtocolError);
  std::string many;
  WriteVarUint(many, 100000);
  EXPECT_THROW(ParseAwareness(many), ProtocolError);
}

}  // namespace
}  // namespace sx::yjs
