#include "core/auth/pii.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "core/util/error.h"

namespace sx::auth {

TEST(Pii, MasksPhoneAndIdNumber) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskIdNumber("500238199001011234"), "500238********1234");
}

TEST(Pii, ValidatesGb11643Checksum) {
  EXPECT_TRUE(ValidIdNumber("11010519491231002X"));
  EXPECT_TRUE(ValidIdNumber("11010519491231002x"));
  EXPECT_FALSE(ValidIdNumber("110105194912310021"));  // wrong check digit
  EXPECT_FALSE(ValidIdNumber("11010519491331002X"));  // month 13
  EXPECT_FALSE(ValidIdNumber("1101051949123100"));    // too short
}

TEST(Pii, SealsAndOpensOnlyWithTheSameKey) {
  ASSERT_GE(sodium_init(), 0);
  Protector a(std::string(32, 'a')), b(std::string(32, 'b'));
  std::string sealed = a.Seal("13812345678");
  EXPECT_EQ(sealed.find("13812345678"), std::string::npos);
  EXPECT_NE(a.Seal("13812345678"), sealed);  // random nonce
  EXPECT_EQ(a.Open(sealed), "13812345678");
  EXPECT_THROW(b.Open(sealed), Error);
  EXPECT_EQ(a.BlindIndex("phone", "1"), a.BlindIndex("phone", "1"));
  EXPECT_NE(a.BlindIndex("phone", "1"), b.BlindIndex("phone", "1"));
  EXPECT_NE(a.BlindIndex("phone", "1"), a.BlindIndex("idno", "1"));
}

TEST(Pii, PhoneShape) {
  EXPECT_TRUE(ValidPhone("13812345678"));
  EXPECT_FALSE(ValidPhone("12812345678"));
  EXPECT_FALSE(ValidPhone("1381234567"));
  EXPECT_FALSE(ValidPhone("1381234567a"));
}

}  // namespace sx::auth
