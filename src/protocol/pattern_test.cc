#include "protocol/pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace fulcrum::protocol {
namespace {

TEST(PatternTest, MatchesWholeValues) {
  const struct {
    const char* pattern;
    const char* value;
    bool matches;
  } cases[] = {
      {R"([\w+=,.@-]+)", "bootstrap-admin", true},
      {R"([\w+=,.@-]+)", "bob smith", false},
      {R"([\w+=,.@-]+)", "", false},
      {R"([\w+=,.@-]*)", "", true},
      {R"([\w+=,.@-]{1,64})", "abc", true},
      {R"(^\d{12}$)", "123456789012", true},
      {R"(^\d{12}$)", "12345678901", false},
      {R"(^\d{12}$)", "1234567890123", false},
      {R"([\u0009\u000A\u000D\u0020-\u00FF]+)", "Sup3r$ecret-Pass", true},
      {R"([\u0009\u000A\u000D\u0020-\u00FF]+)", "caf\xc3\xa9", true},    // U+00E9
      {R"([\u0009\u000A\u000D\u0020-\u00FF]+)", "\xe2\x82\xac", false},  // U+20AC
      {R"([\u0009\u000A\u000D\u0020-\u00FF]+)",
       "a\x01"
       "b",
       false},
      {R"(((/[A-Za-z0-9\.,\+@=_-]+)*)/)", "/", true},
      {R"(((/[A-Za-z0-9\.,\+@=_-]+)*)/)", "/division_abc/subdivision_xyz/", true},
      {R"(((/[A-Za-z0-9\.,\+@=_-]+)*)/)", "no-slash", false},
      {R"(^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$)", "example-mgmt", true},
      {R"(^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$)", "double--dash", false},
      {R"(^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$)", "r-ab12", true},
      {R"(^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$)", "ou-ab12-abcd1234", true},
      {R"(^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$)", "x-ab12", false},
      {R"([\s\S]*)", "anything\nat all", true},
  };
  for (const auto& c : cases) {
    const auto matcher = PatternMatcher::Compile(c.pattern);
    ASSERT_TRUE(matcher.has_value()) << c.pattern;
    EXPECT_EQ(matcher->Matches(c.value), c.matches) << c.pattern << " on " << c.value;
  }
}

TEST(PatternTest, SkipsUnicodePropertyClasses) {
  EXPECT_FALSE(PatternMatcher::Compile(R"([\p{L}\p{Z}\p{N}_.:/=+\-@]+)").has_value());
  EXPECT_FALSE(PatternMatcher::Compile("([unclosed").has_value());
}

TEST(PatternTest, LongValuesOfSingleClassPatternsNeedNoRecursion) {
  const auto matcher = PatternMatcher::Compile(R"([\u0009\u000A\u000D\u0020-\u00FF]+)");
  ASSERT_TRUE(matcher.has_value());
  EXPECT_TRUE(matcher->Matches(std::string(2'000'000, 'x')));
  const auto general = PatternMatcher::Compile(R"(^arn:aws:organizations::.+:.+)");
  ASSERT_TRUE(general.has_value());
  EXPECT_TRUE(general->Matches("arn:aws:organizations::123456789012:x"));
  EXPECT_FALSE(general->Matches("arn:aws:organizations::1:" + std::string(10'000, 'x')));
}

TEST(PatternTest, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("caf\xc3\xa9"), 4u);
  EXPECT_EQ(CountCodePoints("\xf0\x9f\x98\x80"), 1u);
  EXPECT_EQ(CountCodePoints("\xff\xfe"), 2u);
  EXPECT_EQ(DecodeUtf8("\xc3\xa9"), std::wstring(1, L'\u00e9'));
}

}  // namespace
}  // namespace fulcrum::protocol
