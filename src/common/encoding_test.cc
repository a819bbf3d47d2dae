#include "common/encoding.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fulcrum {
namespace {

TEST(EncodingTest, Base64Rfc4648Vectors) {
  const struct {
    std::string plain;
    std::string encoded;
  } cases[] = {{"", ""},
               {"f", "Zg=="},
               {"fo", "Zm8="},
               {"foo", "Zm9v"},
               {"foob", "Zm9vYg=="},
               {"fooba", "Zm9vYmE="},
               {"foobar", "Zm9vYmFy"},
               {"\xff\xfe\xfd", "//79"}};
  for (const auto& c : cases) {
    EXPECT_EQ(Base64Encode(c.plain), c.encoded);
    const auto decoded = Base64Decode(c.encoded);
    ASSERT_TRUE(decoded.has_value()) << c.encoded;
    EXPECT_EQ(*decoded, c.plain);
  }
}

TEST(EncodingTest, Base64RejectsMalformedText) {
  for (const std::string bad :
       {"Zg", "Zg=", "Z===", "Zg=a", "Zm9v!A==", "Zh==", "Zm9=", "=Zg=", "Zm 9v"}) {
    EXPECT_FALSE(Base64Decode(bad).has_value()) << bad;
  }
}

TEST(EncodingTest, Base32Rfc4648VectorsWithoutPadding) {
  const struct {
    std::string plain;
    std::string encoded;
  } cases[] = {{"", ""},
               {"f", "MY"},
               {"fo", "MZXQ"},
               {"foo", "MZXW6"},
               {"foob", "MZXW6YQ"},
               {"fooba", "MZXW6YTB"},
               {"foobar", "MZXW6YTBOI"},
               {"Hello!\xde\xad\xbe\xef", "JBSWY3DPEHPK3PXP"}};
  for (const auto& c : cases) {
    EXPECT_EQ(Base32Encode(c.plain), c.encoded);
    const auto decoded = Base32Decode(c.encoded);
    ASSERT_TRUE(decoded.has_value()) << c.encoded;
    EXPECT_EQ(*decoded, c.plain);
  }
}

TEST(EncodingTest, Base32DecodeAcceptsPaddingAndLowerCase) {
  EXPECT_EQ(Base32Decode("MZXW6YTBOI======"), std::optional<std::string>("foobar"));
  EXPECT_EQ(Base32Decode("mzxw6ytboi"), std::optional<std::string>("foobar"));
}

TEST(EncodingTest, Base32DecodeRejectsMalformedText) {
  for (const std::string bad : {"M", "MZX", "MZXW6Y", "MZXW1", "MZ XW", "MZXW8"}) {
    EXPECT_FALSE(Base32Decode(bad).has_value()) << bad;
  }
}

TEST(EncodingTest, PercentEncode) {
  const struct {
    std::string in;
    bool keep_slash;
    std::string out;
  } cases[] = {
      {"AZaz09-_.~", false, "AZaz09-_.~"},
      {"a b", false, "a%20b"},
      {"a+b", false, "a%2Bb"},
      {"a/b", false, "a%2Fb"},
      {"a/b", true, "a/b"},
      {"%", false, "%25"},
      {"\xc3\xa9", false, "%C3%A9"},
      {"*!'()", false, "%2A%21%27%28%29"},
      {std::string("\0\xff", 2), false, "%00%FF"},
      {"", false, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PercentEncode(c.in, c.keep_slash), c.out) << c.in;
  }
}

TEST(EncodingTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b"), std::optional<std::string>("a b"));
  EXPECT_EQ(PercentDecode("a%2fb%2F"), std::optional<std::string>("a/b/"));
  EXPECT_EQ(PercentDecode("a+b"), std::optional<std::string>("a+b"));
  EXPECT_EQ(PercentDecode("a+b", true), std::optional<std::string>("a b"));
  EXPECT_EQ(PercentDecode("%C3%A9"), std::optional<std::string>("\xc3\xa9"));
  EXPECT_EQ(PercentDecode(""), std::optional<std::string>(""));
  for (const std::string bad : {"%", "%2", "a%g0", "%0z", "100%"}) {
    EXPECT_FALSE(PercentDecode(bad).has_value()) << bad;
  }
}

TEST(EncodingTest, PercentRoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) {
    all += static_cast<char>(c);
  }
  EXPECT_EQ(PercentDecode(PercentEncode(all)), std::optional<std::string>(all));
}

TEST(EncodingTest, ParseQueryString) {
  using Params = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(ParseQueryString("Action=ListUsers&Version=2010-05-08"),
            (Params{{"Action", "ListUsers"}, {"Version", "2010-05-08"}}));
  EXPECT_EQ(ParseQueryString("a=1&&b&c=&=d&e=x=y"),
            (Params{{"a", "1"}, {"b", ""}, {"c", ""}, {"", "d"}, {"e", "x=y"}}));
  EXPECT_EQ(ParseQueryString("k=a+b%2Bc", true), (Params{{"k", "a b+c"}}));
  EXPECT_EQ(ParseQueryString("k=a+b%2Bc", false), (Params{{"k", "a+b+c"}}));
  EXPECT_EQ(ParseQueryString("a=1&a=2"), (Params{{"a", "1"}, {"a", "2"}}));
  EXPECT_EQ(ParseQueryString("bad=%zz&ok=%41"), (Params{{"bad", "%zz"}, {"ok", "A"}}));
  EXPECT_EQ(ParseQueryString(""), Params{});
  EXPECT_EQ(ParseQueryString("&&"), Params{});
}

}  // namespace
}  // namespace fulcrum
