#include "core/files/store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/util/error.h"
#include "support/temp_db.h"

namespace sx::files {
namespace {

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

TEST(Sniff, AcceptsOnlyImagesAndPdfByTheirBytes) {
  EXPECT_EQ(Sniff(kPng), "image/png");
  EXPECT_EQ(Sniff("\xff\xd8\xff\xe0rest"), "image/jpeg");
  EXPECT_EQ(Sniff("GIF89a...."), "image/gif");
  EXPECT_EQ(Sniff(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(Sniff("%PDF-1.7\n"), "application/pdf");
  EXPECT_EQ(Sniff("<html><script>"), "");
  EXPECT_EQ(Sniff("MZ\x90"), "");
  EXPECT_EQ(Sniff(""), "");
}

TEST(CleanName, DropsPathsAndControlCharacters) {
  EXPECT_EQ(CleanName("../../etc/passwd"), "passwd");
  EXPECT_EQ(CleanName("C:\\temp\\通知.pdf"), "通知.pdf");
  EXPECT_EQ(CleanName("a\"b\r\n.png"), "ab.png");
  EXPECT_EQ(CleanName(""), "file");
  EXPECT_EQ(CleanName(".hidden"), "hidden");
  std::string long_name(300, 'x');
  EXPECT_LE(CleanName(long_name).size(), 120u);
  std::string cjk;
  for (int i = 0; i < 60; ++i) cjk += "汉";
  std::string cut = CleanName(cjk);
  EXPECT_EQ(cut.size() % 3, 0u) << "never cut inside a UTF-8 character";
}

class StoreTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  util::FakeClock clock{1000};
  std::string dir = std::filesystem::temp_directory_path() / ("sxfiles-" + util::RandomHex(4));
  Store store{t.db(), dir, clock};
  ~StoreTest() override { std::filesystem::remove_all(dir); }
};

TEST_F(StoreTest, StoresByChecksumAndReadsBack) {
  auto f = store.Put("500238", "acct-1", "图.png", kPng);
  EXPECT_EQ(f.content_type, "image/png");
  EXPECT_EQ(f.size, 16);
  EXPECT_EQ(f.sha256.size(), 64u);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / f.sha256.substr(0, 2) / f.sha256));
  auto g = store.Get("500238", f.id);
  ASSERT_TRUE(g);
  EXPECT_EQ(store.Read(*g), kPng);
  EXPECT_FALSE(store.Get("110101", f.id)) << "another county's id is unknown";
}

TEST_F(StoreTest, RefusesOtherTypesEmptyAndOversized) {
  try {
    store.Put("500238", "a", "x.exe", "MZ\x90\x00");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupportedType);
  }
  EXPECT_THROW(store.Put("500238", "a", "e.png", ""), Error);
  std::string big(Store::kMaxBytes + 1, '\0');
  big.replace(0, 5, "%PDF-");
  try {
    store.Put("500238", "a", "big.pdf", big);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kTooLarge);
  }
}

TEST_F(StoreTest, DetectsADamagedFile) {
  auto f = store.Put("500238", "a", "p.png", kPng);
  auto path = std::filesystem::path(dir) / f.sha256.substr(0, 2) / f.sha256;
  { std::ofstream(path, std::ios::binary | std::ios::trunc) << "tampered"; }
  EXPECT_THROW(store.Read(f), Error);
}

TEST_F(StoreTest, AttachTakesOnlyOwnUnattachedFilesAndReleasesOthers) {
  auto mine = store.Put("500238", "me", "a.png", kPng);
  auto other = store.Put("500238", "you", "b.png", kPng);
  try {
    t.db().Write([&](db::Conn& c) {
      store.Attach(c, "500238", {mine.id, other.id}, "me", "notice", "n1", "attachments");
    });
    FAIL();
  } catch (const Error& e) {
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].field, "attachments[1]");
  }
  t.db().Write([&](db::Conn& c) {
    auto got = store.Attach(c, "500238", {mine.id}, "me", "notice", "n1", "attachments");
    EXPECT_EQ(got.size(), 1u);
  });
  auto second = store.Put("500238", "editor", "c.png", kPng);
  t.db().Write([&](db::Conn& c) {
    // Another manager re-attaches the kept file and replaces the rest.
    store.Attach(c, "500238", {second.id}, "editor", "notice", "n1", "attachments");
    auto now = store.ListFor(c, "500238", "notice", "n1");
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].id, second.id);
  });
}

}  // namespace
}  // namespace sx::files
