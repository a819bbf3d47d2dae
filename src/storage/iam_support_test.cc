#include "storage/iam_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/encoding.h"

namespace fulcrum::storage {
namespace {

using ::testing::ElementsAre;

TEST(MarkerTest, RoundTripsKeysWithAnyBytes) {
  const MarkerKey keys[] = {
      {}, {""}, {"alice"}, {"name:with:colons", std::string("nul\0byte", 8)}, {"12", "3"},
  };
  for (const MarkerKey& key : keys) {
    const std::string marker = EncodeMarker("users", key);
    EXPECT_NE(marker, "");
    auto decoded = DecodeMarker("users", marker, key.size());
    ASSERT_TRUE(decoded.has_value()) << marker;
    EXPECT_EQ(*decoded, key);
  }
  EXPECT_THAT(DecodeMarker("users", "", 1).value(), ElementsAre());
}

TEST(MarkerTest, RefusesMarkersOfOtherListsAndDamagedOnes) {
  const std::string good = EncodeMarker("users", {"alice"});
  const std::string bad[] = {
      "not base64!",
      EncodeMarker("groups", {"alice"}),
      EncodeMarker("users", {"alice", "extra"}),
      Base64Encode("users9:alice"),
      Base64Encode("users5alice"),
      Base64Encode("users-1:alice"),
      Base64Encode("usersx:"),
      good.substr(0, good.size() - 4),
  };
  for (const std::string& marker : bad) {
    auto decoded = DecodeMarker("users", marker, 1);
    ASSERT_FALSE(decoded.has_value()) << marker;
    EXPECT_EQ(decoded.error().code, kInvalidInput);
  }
  EXPECT_EQ(MarkerNumber("42").value(), 42);
  EXPECT_FALSE(MarkerNumber("4x").has_value());
  EXPECT_FALSE(MarkerNumber("").has_value());
}

TEST(PageBuilderTest, StopsAtMaxItemsOrScanLimit) {
  // Entries 0..9; even ones match.
  const struct {
    size_t max_items;
    size_t scan_limit;
    std::vector<int> items;
    std::string last_key;  // Of next_marker; empty when done.
  } cases[] = {
      {10, 100, {0, 2, 4, 6, 8}, ""}, {2, 100, {0, 2}, "3"}, {5, 100, {0, 2, 4, 6, 8}, ""},
      {4, 100, {0, 2, 4, 6}, "7"},    {10, 3, {0, 2}, "2"},  {1, 1, {0}, "0"},
      {10, 10, {0, 2, 4, 6, 8}, ""},
  };
  for (const auto& c : cases) {
    PageBuilder<int> builder("list", c.max_items, c.scan_limit);
    for (int i = 0; i < 10; ++i) {
      if (!builder.Offer({std::to_string(i)}, i % 2 == 0, [i] { return i; })) break;
    }
    const Page<int> page = std::move(builder).Finish();
    EXPECT_EQ(page.items, c.items) << c.max_items << "/" << c.scan_limit;
    EXPECT_EQ(page.next_marker, c.last_key.empty() ? "" : EncodeMarker("list", {c.last_key}))
        << c.max_items << "/" << c.scan_limit;
  }
}

TEST(TagsTest, MergeAndRemoveFollowTheKindsCaseRules) {
  const Tags current = {{"Team", "a"}, {"Env", "dev"}};
  EXPECT_EQ(MergeTags(current, {{"team", "b"}, {"New", "x"}}, TaggedKind::kUser, 3).value(),
            (Tags{{"team", "b"}, {"Env", "dev"}, {"New", "x"}}));
  EXPECT_EQ(MergeTags(current, {{"team", "b"}}, TaggedKind::kPolicy, 3).value(),
            (Tags{{"Team", "a"}, {"Env", "dev"}, {"team", "b"}}));
  auto limited = MergeTags(current, {{"a", "1"}, {"b", "2"}}, TaggedKind::kRole, 3);
  ASSERT_FALSE(limited.has_value());
  EXPECT_EQ(limited.error().code, kLimitExceeded);
  EXPECT_EQ(RemoveTags(current, {"TEAM"}, TaggedKind::kRole), (Tags{{"Env", "dev"}}));
  EXPECT_EQ(RemoveTags(current, {"TEAM"}, TaggedKind::kVirtualMfaDevice), current);
}

TEST(VersionIdTest, ParsesOnlyCanonicalIds) {
  EXPECT_EQ(FormatVersionId(12), "v12");
  EXPECT_EQ(ParseVersionId("v1"), 1);
  EXPECT_EQ(ParseVersionId("v12"), 12);
  for (const char* bad : {"", "v", "v0", "v01", "V1", "1", "v1x", "v-1", "v99999999999999999999"}) {
    EXPECT_EQ(ParseVersionId(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace fulcrum::storage
