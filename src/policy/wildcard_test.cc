#include "policy/wildcard.h"

#include <gtest/gtest.h>

#include <string>

namespace fulcrum::policy {
namespace {

struct WildcardCase {
  const char* pattern;
  const char* text;
  CaseSensitivity case_sensitivity;
  PatternSyntax syntax;
  bool match;
};

TEST(MatchWildcard, Table) {
  constexpr auto kS = CaseSensitivity::kSensitive;
  constexpr auto kI = CaseSensitivity::kInsensitive;
  constexpr auto kP = PatternSyntax::kPlain;
  constexpr auto kE = PatternSyntax::kEscaped;
  const WildcardCase cases[] = {
      {"", "", kS, kP, true},
      {"", "a", kS, kP, false},
      {"*", "", kS, kP, true},
      {"*", "anything at all", kS, kP, true},
      {"**", "x", kS, kP, true},
      {"?", "", kS, kP, false},
      {"?", "x", kS, kP, true},
      {"?", "xy", kS, kP, false},
      {"a*b", "ab", kS, kP, true},
      {"a*b", "axxb", kS, kP, true},
      {"a*b", "axxbc", kS, kP, false},
      {"a*b*c", "abcbc", kS, kP, true},
      {"a*bc", "abcbc", kS, kP, true},
      {"*a*a*a*", "aaa", kS, kP, true},
      {"*a*a*a*", "aa", kS, kP, false},
      {"a?c", "abc", kS, kP, true},
      {"a?c", "ac", kS, kP, false},
      {"*?", "", kS, kP, false},
      {"*?", "z", kS, kP, true},
      {"iam:Get*", "IAM:GETUSER", kI, kP, true},
      {"iam:Get*", "IAM:GETUSER", kS, kP, false},
      {"abc", "abd", kS, kP, false},
      {"abc", "ab", kS, kP, false},
      {"ab", "abc", kS, kP, false},
      {".*", "x", kS, kP, false},
      {"a.c", "abc", kS, kP, false},
      {"[ab]", "a", kS, kP, false},
      {"[ab]", "[ab]", kS, kP, true},
      {"a\\*", "a\\bc", kS, kP, true},
      {"a\\*", "a*", kS, kE, true},
      {"a\\*", "ab", kS, kE, false},
      {"a\\?", "a?", kS, kE, true},
      {"a\\?", "ab", kS, kE, false},
      {"a\\\\b", "a\\b", kS, kE, true},
      {"\\**", "*abc", kS, kE, true},
      {"\\**", "abc", kS, kE, false},
      {"caf?", "caf\xC3\xA9", kS, kP, true},
      {"caf??", "caf\xC3\xA9", kS, kP, false},
      {"*\xC3\xA9", "caf\xC3\xA9", kS, kP, true},
      {"a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", kS, kP, false},
  };
  for (const WildcardCase& c : cases) {
    EXPECT_EQ(MatchWildcard(c.pattern, c.text, c.case_sensitivity, c.syntax), c.match)
        << "pattern " << c.pattern << " text " << c.text;
  }
}

struct ArnCase {
  const char* pattern;
  const char* arn;
  bool match;
};

TEST(MatchArn, Table) {
  const ArnCase cases[] = {
      {"*", "arn:aws:iam::123456789012:user/alice", true},
      {"*", "anything", true},
      {"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice", true},
      {"arn:aws:iam::123456789012:user/*", "arn:aws:iam::123456789012:user/a/b/c", true},
      {"arn:aws:iam::*:user/*", "arn:aws:iam::123456789012:user/alice", true},
      {"arn:aws:iam::*:user/*", "arn:aws:iam::123456789012:role/alice", false},
      {"arn:aws:iam::1*:user/bob", "arn:aws:iam::123:x:user/bob", false},
      {"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b:c", true},
      {"arn:aws:s3:::*", "*", false},
      {"arn:aws:s3:::bucket", "arn:aws:s3:::Bucket", false},
      {"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true},
      {"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:volume/v-1", false},
      {"arn:aws:ec2:us-*-1:*:*", "arn:aws:ec2:us-east-1:1:x", true},
      {"arn:aws:ec2:us-*-1:*:*", "arn:aws:ec2:eu-west-1:1:x", false},
      {"arn:aws:s3", "arn:aws:s3:::bucket", true},
      {"arn:aws:sns:*", "arn:aws:sns:us-east-1:1:topic", true},
      {"arn:aws:sns:*", "arn:aws:sqs:us-east-1:1:queue", false},
      {"arn:aws:iam::*:user/*", "arn:aws:iam::1", false},
      {"arn:*:iam::*:*", "arn:aws:iam::1:root", true},
      {"arn:aws:iam::123456789012:user/\\*", "arn:aws:iam::123456789012:user/alice", false},
  };
  for (const ArnCase& c : cases) {
    EXPECT_EQ(MatchArn(c.pattern, c.arn), c.match) << "pattern " << c.pattern << " arn " << c.arn;
  }
  EXPECT_TRUE(
      MatchArn("arn:aws:iam::1:user/a\\*", "arn:aws:iam::1:user/a*", PatternSyntax::kEscaped));
  EXPECT_FALSE(
      MatchArn("arn:aws:iam::1:user/a\\*", "arn:aws:iam::1:user/ab", PatternSyntax::kEscaped));
  // An escaped ':' does not split components.
  EXPECT_TRUE(MatchArn("arn:aws:s3:::b/x\\:y", "arn:aws:s3:::b/x:y", PatternSyntax::kEscaped));
}

}  // namespace
}  // namespace fulcrum::policy
