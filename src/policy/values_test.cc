#include "policy/values.h"

#include <gtest/gtest.h>

#include <optional>

#include "policy/context_keys.h"
#include "policy/variables.h"

namespace fulcrum::policy {
namespace {

TEST(ParseNumber, Table) {
  const struct {
    const char* text;
    std::optional<double> value;
  } cases[] = {
      {"10", 10},           {"-2.5", -2.5},       {"1e3", 1000},        {"0", 0},
      {"", std::nullopt},   {"+1", std::nullopt}, {"1x", std::nullopt}, {"ten", std::nullopt},
      {" 1", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseNumber(c.text), c.value) << c.text;
  }
}

TEST(ParseDate, Table) {
  const struct {
    const char* text;
    std::optional<std::int64_t> millis;
  } cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2020-01-01T00:00:00Z", 1577836800000},
      {"2020-01-01", 1577836800000},
      {"2020-01", 1577836800000},
      {"2020", 2020000},  // All digits: epoch seconds.
      {"1577836800", 1577836800000},
      {"2020-01-01T00:00Z", 1577836800000},
      {"2020-01-01T01:00:00+01:00", 1577836800000},
      {"2019-12-31T19:00:00-05:00", 1577836800000},
      {"2020-01-01T01:00:00+0100", 1577836800000},
      {"2020-01-01T00:00:00.5Z", 1577836800500},
      {"2020-01-01T00:00:00.123456789Z", 1577836800123},
      {"2020-01-01t00:00:00z", 1577836800000},
      {"2020-01-01T00:00:00", 1577836800000},
      {"2020-02-29", 1582934400000},
      {"1969-12-31T23:59:59Z", -1000},
      {"2019-02-29", std::nullopt},
      {"2020-13-01", std::nullopt},
      {"2020-01-32", std::nullopt},
      {"2020-01-01T24:00:00Z", std::nullopt},
      {"2020-01-01T00:60:00Z", std::nullopt},
      {"2020-01-01T00:00:00ZZ", std::nullopt},
      {"2020-01-01T00", 1577836800000},
      {"2020-01-01T01Z", 1577840400000},
      {"2020-1-2", 1577923200000},
      {"2020-01-01T1:2:3Z", 1577840523000},
      {"2020-01-01T00:00:00.Z", std::nullopt},
      {"2020-01-01T", std::nullopt},
      {"2020-001-01", std::nullopt},
      {"yesterday", std::nullopt},
      {"", std::nullopt},
      {"99999999999999999999", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseDate(c.text), c.millis) << c.text;
  }
}

TEST(ParseIpNetwork, ReadsBothFamilies) {
  const std::optional<IpNetwork> v4 = ParseIpNetwork("192.0.2.0/24");
  ASSERT_TRUE(v4.has_value());
  EXPECT_FALSE(v4->v6);
  EXPECT_EQ(v4->prefix_length, 24);
  EXPECT_EQ(v4->address[0], 192);

  const std::optional<IpNetwork> v6 = ParseIpNetwork("2001:DB8::/32");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(v6->v6);
  EXPECT_EQ(v6->prefix_length, 32);
  EXPECT_EQ(v6->address[0], 0x20);
  EXPECT_EQ(v6->address[1], 0x01);

  EXPECT_EQ(ParseIpNetwork("10.0.0.1")->prefix_length, 32);
  EXPECT_EQ(ParseIpNetwork("::1")->prefix_length, 128);
  for (const char* bad : {"", "10.0.0.1/33", "::/129", "10.0.0/8", "10.0.0.1/", "10.0.0.1/-1",
                          "10.0.0.1/8/8", "host", "10.0.0.1/ 8", "1.2.3.4.5"}) {
    EXPECT_FALSE(ParseIpNetwork(bad).has_value()) << bad;
  }
}

TEST(NetworkContains, Table) {
  const struct {
    const char* network;
    const char* address;
    bool contains;
  } cases[] = {
      {"10.0.0.0/8", "10.1.2.3", true},
      {"10.0.0.0/8", "11.0.0.0", false},
      {"172.16.16.0/20", "172.16.31.255", true},
      {"172.16.16.0/20", "172.16.32.0", false},
      {"0.0.0.0/0", "8.8.8.8", true},
      {"203.0.113.7", "203.0.113.7", true},
      {"203.0.113.7", "203.0.113.6", false},
      {"2001:db8::/32", "2001:db8:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"2001:db8::/33", "2001:db8:8000::", false},
      {"::/0", "::1", true},
      {"0.0.0.0/0", "::1", false},
      {"::/0", "10.0.0.1", false},
  };
  for (const auto& c : cases) {
    const std::optional<IpNetwork> network = ParseIpNetwork(c.network);
    const std::optional<IpNetwork> address = ParseIpNetwork(c.address);
    ASSERT_TRUE(network && address) << c.network << " " << c.address;
    EXPECT_EQ(NetworkContains(*network, *address), c.contains) << c.network << " " << c.address;
  }
}

TEST(ExpandVariables, Table) {
  const ContextKeys::KeyMap map = {
      {"aws:username", {"alice"}},
      {"aws:PrincipalTag/team", {"a*b"}},
      {"aws:TagKeys", {"x", "y"}},
      {"aws:empty", {}},
  };
  const ContextKeys keys(map);
  const struct {
    const char* text;
    PatternSyntax output;
    std::optional<std::string> result;
  } cases[] = {
      {"user/${aws:username}", PatternSyntax::kPlain, "user/alice"},
      {"user/${ aws:UserName }", PatternSyntax::kPlain, "user/alice"},
      {"${aws:PrincipalTag/team}", PatternSyntax::kPlain, "a*b"},
      {"${aws:PrincipalTag/team}", PatternSyntax::kEscaped, "a\\*b"},
      {"x*${aws:username}", PatternSyntax::kEscaped, "x*alice"},
      {"a\\b${aws:username}", PatternSyntax::kEscaped, "a\\\\balice"},
      {"${*}${?}${$}", PatternSyntax::kPlain, "*?$"},
      {"${*}${?}${$}", PatternSyntax::kEscaped, "\\*\\?$"},
      {"${aws:missing}", PatternSyntax::kPlain, std::nullopt},
      {"${aws:empty}", PatternSyntax::kPlain, std::nullopt},
      {"${aws:TagKeys}", PatternSyntax::kPlain, std::nullopt},
      {"${aws:missing, 'dflt'}", PatternSyntax::kPlain, "dflt"},
      {"${aws:missing,'d*'}", PatternSyntax::kEscaped, "d\\*"},
      {"${aws:username, 'dflt'}", PatternSyntax::kPlain, "alice"},
      {"${aws:missing, 'it''s'}", PatternSyntax::kPlain, "it's"},
      {"${aws:missing, '}'}", PatternSyntax::kPlain, "}"},
      {"${aws:missing, ''}", PatternSyntax::kPlain, ""},
      {"no variables", PatternSyntax::kPlain, "no variables"},
      {"${unclosed", PatternSyntax::kPlain, "${unclosed"},
      {"${}", PatternSyntax::kPlain, "${}"},
      {"${a, dflt}", PatternSyntax::kPlain, "${a, dflt}"},
      {"$${aws:username}$", PatternSyntax::kPlain, "$alice$"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ExpandVariables(c.text, keys, c.output), c.result) << c.text;
  }
}

TEST(ContextKeys, FindsKeysInAnyCase) {
  const ContextKeys::KeyMap map = {{"aws:SourceIp", {"10.0.0.1"}}, {"s3:prefix", {}}};
  const ContextKeys keys(map);
  ASSERT_NE(keys.Find("AWS:SOURCEIP"), nullptr);
  EXPECT_EQ(keys.Find("aws:sourceip")->front(), "10.0.0.1");
  EXPECT_EQ(keys.Find("s3:prefix"), nullptr);
  EXPECT_EQ(keys.Find("aws:SourceIpv6"), nullptr);
  EXPECT_EQ(keys.Find(""), nullptr);
}

}  // namespace
}  // namespace fulcrum::policy
