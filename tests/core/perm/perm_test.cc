#include "core/perm/perm.h"

#include <gtest/gtest.h>

namespace sx::perm {

TEST(Perm, LevelsFollowTheCodeStructure) {
  EXPECT_EQ(LevelOf("500000000000"), Level::kProvince);
  EXPECT_EQ(LevelOf("500200000000"), Level::kCity);
  EXPECT_EQ(LevelOf("500238000000"), Level::kCounty);
  EXPECT_EQ(LevelOf("500238101000"), Level::kTown);
  EXPECT_EQ(LevelOf("500238101201"), Level::kVillage);
  EXPECT_EQ(LevelOf("5002381012"), Level::kInvalid);
  EXPECT_EQ(LevelOf("50023810120x"), Level::kInvalid);
}

TEST(Perm, ScopeContainsOnlyItsSubtree) {
  EXPECT_TRUE(Within("500238000000", "500238101201"));
  EXPECT_TRUE(Within("500238101000", "500238101201"));
  EXPECT_FALSE(Within("500238101000", "500238102201"));
  EXPECT_FALSE(Within("500238101201", "500238101202"));
  EXPECT_TRUE(Within("500238101201", "500238101201"));
  EXPECT_FALSE(Within("500238000000", "500237101201"));
  EXPECT_FALSE(Within("garbage", "500238101201"));
}

TEST(Perm, DenyByDefaultAndScoped) {
  Principal p;
  EXPECT_FALSE(p.Has(Perm::kRegionRead));
  p.grants.push_back({Role::kVillageCadre, "500238101201", "", "", ""});
  EXPECT_TRUE(p.Can(Perm::kPersonReveal, "500238101201"));
  EXPECT_FALSE(p.Can(Perm::kPersonReveal, "500238101202"));
  EXPECT_FALSE(p.Can(Perm::kUnitWrite, "500238101201"));
  EXPECT_FALSE(p.Has(Perm::kAuditRead));
}

TEST(Perm, AncestorAt) {
  EXPECT_EQ(AncestorAt("500238101201", Level::kTown), "500238101000");
  EXPECT_EQ(AncestorAt("500238101201", Level::kCounty), "500238000000");
}

}  // namespace sx::perm
