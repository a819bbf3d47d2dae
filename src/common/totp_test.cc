#include "common/totp.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "common/encoding.h"

namespace fulcrum {
namespace {

// The SHA-1 seed of RFC 6238 appendix B: the 20 ASCII bytes "12345678901234567890"
// (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ).
constexpr std::string_view kRfcKey = "12345678901234567890";

TimePoint AtUnixSeconds(int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

TEST(TotpTest, Rfc6238Sha1Vectors) {
  // 8-digit values from RFC 6238 appendix B; 6-digit values from Debian's
  // `oathtool --totp -b GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ -N @<time>`.
  const struct {
    int64_t time;
    int64_t step;
    std::string eight_digits;
    std::string six_digits;
  } cases[] = {
      {59, 1, "94287082", "287082"},
      {1111111109, 37037036, "07081804", "081804"},
      {1111111111, 37037037, "14050471", "050471"},
      {1234567890, 41152263, "89005924", "005924"},
      {2000000000, 66666666, "69279037", "279037"},
      {20000000000, 666666666, "65353130", "353130"},
  };
  // TimePoint counts nanoseconds and ends in 2262, so the year-2603 vector checks the code only.
  constexpr int64_t kLastRepresentableSecond = 9'000'000'000;
  for (const auto& c : cases) {
    if (c.time < kLastRepresentableSecond) {
      EXPECT_EQ(TotpTimeStep(AtUnixSeconds(c.time)), c.step) << c.time;
    }
    EXPECT_EQ(TotpCode(kRfcKey, c.step, 8), c.eight_digits) << c.time;
    EXPECT_EQ(TotpCode(kRfcKey, c.step), c.six_digits) << c.time;
  }
}

TEST(TotpTest, KeyFromBase32Seed) {
  const auto key = Base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(*key, kRfcKey);
  EXPECT_EQ(TotpCode(*key, 1), "287082");
}

TEST(TotpTest, TimeStepBoundaries) {
  const struct {
    int64_t seconds;
    int64_t step;
  } cases[] = {{0, 0}, {29, 0}, {30, 1}, {59, 1}, {60, 2}, {-1, -1}, {-30, -1}, {-31, -2}};
  for (const auto& c : cases) {
    EXPECT_EQ(TotpTimeStep(AtUnixSeconds(c.seconds)), c.step) << c.seconds;
  }
  // A fraction of a second does not move the step.
  EXPECT_EQ(TotpTimeStep(AtUnixSeconds(29) + std::chrono::milliseconds(999)), 0);
}

TEST(TotpTest, DigitsOutOfRangeGiveNoCode) {
  EXPECT_EQ(TotpCode(kRfcKey, 1, 0), "");
  EXPECT_EQ(TotpCode(kRfcKey, 1, 10), "");
  EXPECT_EQ(TotpCode(kRfcKey, 1, 9).size(), 9u);
}

TEST(TotpTest, EmptyKeyStillGivesACode) {
  const std::string code = TotpCode("", 1);
  EXPECT_EQ(code.size(), 6u);
  EXPECT_EQ(code, TotpCode("", 1));
}

TEST(TotpTest, FindTotpStepSearchesTheWindowOnly) {
  const int64_t now = 1000;
  const struct {
    int64_t code_step;
    int64_t before;
    int64_t after;
    std::optional<int64_t> found;
  } cases[] = {
      {1000, 0, 0, 1000},         {999, 1, 1, 999},           {1001, 1, 1, 1001},
      {998, 1, 1, std::nullopt},  {1002, 1, 1, std::nullopt}, {995, 5, 0, 995},
      {1001, 5, 0, std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FindTotpStep(kRfcKey, TotpCode(kRfcKey, c.code_step), now, c.before, c.after),
              c.found)
        << c.code_step;
  }
  EXPECT_EQ(FindTotpStep(kRfcKey, "12345", now, 1, 1), std::nullopt);
  EXPECT_EQ(FindTotpStep(kRfcKey, "", now, 1, 1), std::nullopt);
}

TEST(TotpTest, FindConsecutiveTotpSteps) {
  const int64_t now = 5000;
  auto code = [](int64_t step) { return TotpCode(kRfcKey, step); };
  const struct {
    std::string name;
    std::string code1;
    std::string code2;
    std::optional<int64_t> found;
  } cases[] = {
      {"current pair", code(4999), code(5000), 5000},
      {"pair ending one step ahead", code(5000), code(5001), 5001},
      {"pair from the recent past", code(4996), code(4997), 4997},
      {"pair too old", code(4994), code(4995), std::nullopt},
      {"pair too far ahead", code(5001), code(5002), std::nullopt},
      {"codes swapped", code(5000), code(4999), std::nullopt},
      {"same code twice", code(5000), code(5000), std::nullopt},
      {"gap between codes", code(4998), code(5000), std::nullopt},
      {"wrong second code", code(4999), "000000", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FindConsecutiveTotpSteps(kRfcKey, c.code1, c.code2, now, 3, 1), c.found) << c.name;
  }
}

}  // namespace
}  // namespace fulcrum
