// Name patterns shared by Select CHOP, CHOP/Parameter Execute and op().
#include <gtest/gtest.h>

#include "netcook/core/pattern.h"

namespace netcook {
namespace {

TEST(NamePatterns, FnmatchRules) {
  EXPECT_TRUE(name_matches("chan*", "chan12"));
  EXPECT_TRUE(name_matches("*", ""));
  EXPECT_TRUE(name_matches("t?", "tx"));
  EXPECT_FALSE(name_matches("t?", "t"));
  EXPECT_TRUE(name_matches("t[xyz]", "ty"));
  EXPECT_FALSE(name_matches("t[!xyz]", "ty"));
  EXPECT_TRUE(name_matches("c[0-9]", "c7"));
  EXPECT_FALSE(name_matches("Chan1", "chan1"));  // case-sensitive, as TouchDesigner
  EXPECT_TRUE(name_matches("[", "["));           // no closing bracket: a literal
}

TEST(NamePatterns, SpaceSeparatedLists) {
  EXPECT_TRUE(matches_any("colorr", "alpha color?"));
  EXPECT_FALSE(matches_any("colorr", "alpha"));
  EXPECT_FALSE(matches_any("x", ""));
  EXPECT_EQ(split_words("  a b\tc "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(has_wildcard("noise*"));
  EXPECT_FALSE(has_wildcard("noise1"));
}

}  // namespace
}  // namespace netcook
