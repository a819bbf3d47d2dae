#include "common/document.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

namespace fulcrum {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

TimePoint At(std::chrono::nanoseconds since_epoch) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(since_epoch));
}

TEST(DocumentTest, TimestampsAreEpochSeconds) {
  EXPECT_EQ(TimestampToDocument(At(seconds(1714564800))), json::value(1714564800));
  EXPECT_TRUE(TimestampToDocument(At(seconds(1714564800))).is_int64());
  EXPECT_EQ(TimestampToDocument(At(milliseconds(1714564800123))), json::value(1714564800.123));
  // Truncated to milliseconds, toward the past.
  EXPECT_EQ(TimestampToDocument(At(std::chrono::nanoseconds(1714564800'123'999'999))),
            json::value(1714564800.123));
  EXPECT_EQ(TimestampToDocument(At(milliseconds(-500))), json::value(-0.5));
}

TEST(DocumentTest, TimestampsReadBack) {
  const struct {
    json::value value;
    std::optional<TimePoint> time;
  } cases[] = {
      {json::value(1714564800), At(seconds(1714564800))},
      {json::value(std::uint64_t{1714564800}), At(seconds(1714564800))},
      {json::value(1714564800.5), At(milliseconds(1714564800500))},
      {json::value(1714564800.123), At(milliseconds(1714564800123))},
      {json::value("2024-05-01T12:00:00Z"), std::nullopt},
      {json::value(nullptr), std::nullopt},
      {json::value(1e300), std::nullopt},
      {json::value(std::int64_t{9'000'000'000'000'000'000}), std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(TimestampFromDocument(c.value), c.time) << json::serialize(c.value);
  }
}

TEST(DocumentTest, Numbers) {
  EXPECT_EQ(IntegerOf(json::value(5)), 5);
  EXPECT_EQ(IntegerOf(json::value(5.0)), 5);
  EXPECT_EQ(IntegerOf(json::value(5.5)), std::nullopt);
  EXPECT_EQ(IntegerOf(json::value(std::uint64_t{1} << 63)), std::nullopt);
  EXPECT_EQ(IntegerOf(json::value("5")), std::nullopt);
  EXPECT_EQ(NumberOf(json::value(2)), 2.0);
  EXPECT_EQ(NumberOf(json::value(true)), std::nullopt);
}

}  // namespace
}  // namespace fulcrum
