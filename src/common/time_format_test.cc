#include "common/time_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace fulcrum {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 2024-05-01T12:00:00Z.
constexpr TimePoint kMay1{seconds(1714564800)};

TEST(TimeFormatTest, Formats) {
  const TimePoint t = kMay1 + milliseconds(123) + std::chrono::microseconds(999);
  EXPECT_EQ(FormatIso8601(t), "2024-05-01T12:00:00Z");
  EXPECT_EQ(FormatIso8601Millis(t), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(FormatAmzDate(t), "20240501T120000Z");
  EXPECT_EQ(FormatHttpDate(t), "Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_DOUBLE_EQ(EpochSeconds(kMay1 + milliseconds(500)), 1714564800.5);
}

TEST(TimeFormatTest, FormatsOtherDates) {
  EXPECT_EQ(FormatIso8601(TimePoint()), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatHttpDate(TimePoint()), "Thu, 01 Jan 1970 00:00:00 GMT");
  // 2024-02-29T23:59:59Z, a leap day.
  const TimePoint leap = TimePoint(seconds(1709251199));
  EXPECT_EQ(FormatIso8601(leap), "2024-02-29T23:59:59Z");
  EXPECT_EQ(FormatHttpDate(leap), "Thu, 29 Feb 2024 23:59:59 GMT");
  EXPECT_EQ(FormatAmzDate(TimePoint(seconds(1795801236))), "20261127T174036Z");
  // Before the epoch, the fields still count forward from midnight.
  EXPECT_EQ(FormatIso8601Millis(TimePoint() - milliseconds(1)), "1969-12-31T23:59:59.999Z");
}

TEST(TimeFormatTest, ParsesIso8601) {
  const struct {
    std::string text;
    TimePoint expected;
  } cases[] = {
      {"2024-05-01T12:00:00Z", kMay1},
      {"2024-05-01t12:00:00z", kMay1},
      {"2024-05-01T12:00:00.123Z", kMay1 + milliseconds(123)},
      {"2024-05-01T12:00:00.5Z", kMay1 + milliseconds(500)},
      {"2024-05-01T12:00:00.123456Z", kMay1 + std::chrono::microseconds(123456)},
      {"2024-05-01T12:00:00+00:00", kMay1},
      {"2024-05-01T14:30:00+02:30", kMay1},
      {"2024-05-01T09:00:00-0300", kMay1},
  };
  for (const auto& c : cases) {
    const auto parsed = ParseIso8601(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_EQ(*parsed, c.expected) << c.text;
  }
}

TEST(TimeFormatTest, RejectsBadIso8601) {
  for (const std::string bad :
       {"", "2024-05-01", "2024-05-01T12:00:00", "2024-05-01 12:00:00Z", "2024-13-01T12:00:00Z",
        "2023-02-29T12:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:00:00.Z",
        "2024-05-01T12:00:00+2", "2024-05-01T12:00:00+25:00", "2024-05-01T12:00:00ZZ",
        "20240501T120000Z", "2024-0a-01T12:00:00Z"}) {
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
  }
}

TEST(TimeFormatTest, AmzDateRoundTrip) {
  const auto parsed = ParseAmzDate("20240501T120000Z");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, kMay1);
  EXPECT_EQ(FormatAmzDate(*parsed), "20240501T120000Z");
  for (const std::string bad :
       {"", "20240501T120000", "20240501 120000Z", "2024-05-01T12:00:00Z", "20240532T120000Z",
        "20240501T126000Z", "20240501T120060Z", "2024050XT120000Z", "20240501T120000Z "}) {
    EXPECT_FALSE(ParseAmzDate(bad).has_value()) << bad;
  }
}

TEST(TimeFormatTest, IsoRoundTrip) {
  const TimePoint t = kMay1 + milliseconds(987);
  EXPECT_EQ(ParseIso8601(FormatIso8601Millis(t)), std::optional<TimePoint>(t));
  EXPECT_EQ(ParseIso8601(FormatIso8601(t)), std::optional<TimePoint>(kMay1));
}

}  // namespace
}  // namespace fulcrum
