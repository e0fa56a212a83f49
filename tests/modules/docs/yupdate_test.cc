// The Yjs update functions on known bytes (the differential test against npm yjs is
// tests/modules/docs/yupdate.test.mjs): the update of a client inserting "你好" into a root text,
// its state vector, a diff against what a peer already has, a merge with a second client's
// update, and clean refusals of malformed input.
#include "modules/docs/yupdate.h"

#include <gtest/gtest.h>

#include <string>

#include "core/util/strings.h"

namespace sx::yjs {
namespace {

std::string Hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

// Client 7 inserts "你好" (6 UTF-8 bytes, 2 UTF-16 units) into the root text "t".
const std::string kNiHao =
    Hex("0101070004010174"
        "06e4bda0e5a5bd"
        "00");

TEST(YUpdate, StateVectorCountsUtf16Units) {
  EXPECT_EQ(util::ToHex(EncodeStateVectorFromUpdate(kNiHao)), "010702");
  EXPECT_EQ(util::ToHex(EncodeStateVectorFromUpdate(Hex("0000"))), "00");
}

TEST(YUpdate, DiffAgainstWhatAPeerHasSlicesTheString) {
  EXPECT_EQ(DiffUpdate(kNiHao, Hex("00")), kNiHao) << "an empty peer lacks everything";
  // A peer holding clock 0 of client 7 lacks only "好": the item is sliced at one UTF-16 unit
  // and now has an origin (7, 0) instead of a parent.
  std::string rest = DiffUpdate(kNiHao, Hex("010701"));
  EXPECT_EQ(util::ToHex(EncodeStateVectorFromUpdate(rest)), "00") << "clock 1 does not start at 0";
  // The bytes npm yjs 13.6.33 gives for Y.diffUpdate(u, sv): one Item at (7, 1) with origin
  // (7, 0) (info 0x84: origin + String) holding "好".
  EXPECT_EQ(util::ToHex(rest), "0101070184070003e5a5bd00");
  EXPECT_EQ(util::ToHex(DiffUpdate(kNiHao, Hex("010702"))), "0000") << "nothing lacking";
}

TEST(YUpdate, MergeKeepsBothClientsAndIsIdempotent) {
  // Client 9 inserts "a" into the same root text.
  std::string a =
      Hex("01010900040101740161"
          "00");
  std::string merged = MergeUpdates({kNiHao, a});
  // As Y.mergeUpdates gives it: clients in descending order.
  EXPECT_EQ(util::ToHex(merged), "020109000401017401610107000401017406e4bda0e5a5bd00");
  EXPECT_EQ(util::ToHex(EncodeStateVectorFromUpdate(merged)), "0209010702");
  EXPECT_EQ(MergeUpdates({merged, kNiHao}), merged);
  EXPECT_EQ(MergeUpdates({}), Hex("0000"));
}

TEST(YUpdate, MalformedInputIsRefusedNotRead) {
  for (size_t n = 1; n < kNiHao.size(); ++n)
    EXPECT_THROW(DiffUpdate(kNiHao.substr(0, n), Hex("00")), UpdateError) << "truncated at " << n;
  // A struct count far beyond the data must not allocate or loop on it.
  EXPECT_THROW(EncodeStateVectorFromUpdate(Hex("01ffffffff0f07")), UpdateError);
  try {
    DiffUpdate(Hex("01011f"), Hex("00"));
    FAIL() << "an unknown content kind was accepted";
  } catch (const UpdateError& e) {
    EXPECT_NE(e.kind(), UpdateError::Kind::kTooDeep);
  }
}

}  // namespace
}  // namespace sx::yjs
