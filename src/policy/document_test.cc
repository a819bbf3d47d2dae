#include "policy/document.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fulcrum::policy {
namespace {

namespace json = boost::json;

std::filesystem::path DataDir() { return std::filesystem::path(FULCRUM_TESTDATA_DIR) / "policy"; }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::optional<PolicyKind> KindOf(std::string_view text) {
  if (text == "identity") {
    return PolicyKind::kIdentity;
  }
  if (text == "resource") {
    return PolicyKind::kResource;
  }
  if (text == "boundary") {
    return PolicyKind::kPermissionsBoundary;
  }
  if (text == "scp") {
    return PolicyKind::kServiceControl;
  }
  if (text == "session") {
    return PolicyKind::kSession;
  }
  return std::nullopt;
}

std::shared_ptr<const Policy> MustParse(std::string_view text, PolicyKind kind) {
  Result<std::shared_ptr<const Policy>> parsed = ParsePolicy(text, kind);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message) << "\n" << text;
  return parsed ? *parsed : nullptr;
}

// Every file in accepted/ must keep parsing: the corpus may only grow. The file name starts with
// the kind: identity-, resource-, boundary-, scp-, session-.
TEST(PolicyCorpus, AcceptedPoliciesParse) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(DataDir() / "accepted")) {
    if (entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 20u);
  for (const std::filesystem::path& path : files) {
    const std::string name = path.filename().string();
    SCOPED_TRACE(name);
    const std::optional<PolicyKind> kind = KindOf(name.substr(0, name.find('-')));
    ASSERT_TRUE(kind.has_value()) << "file name must start with a policy kind";
    const std::string text = ReadFile(path);
    const std::shared_ptr<const Policy> policy = MustParse(text, *kind);
    ASSERT_NE(policy, nullptr);
    EXPECT_EQ(policy->text, text);
    EXPECT_EQ(policy->kind, *kind);
    EXPECT_FALSE(policy->statements.empty());
  }
}

// validation/rejected.json: {"cases": [{"name", "kind", "document" (text), "message"}]}.
TEST(PolicyCorpus, RejectedPoliciesFailWithTheirMessage) {
  json::error_code error;
  const json::value root = json::parse(ReadFile(DataDir() / "validation" / "rejected.json"), error);
  ASSERT_FALSE(error) << error.message();
  const json::array& cases = root.at("cases").as_array();
  ASSERT_GE(cases.size(), 50u);
  for (const json::value& item : cases) {
    const json::object& c = item.as_object();
    const std::string name(c.at("name").as_string());
    SCOPED_TRACE(name);
    const std::optional<PolicyKind> kind = KindOf(c.at("kind").as_string());
    ASSERT_TRUE(kind.has_value());
    const Result<std::shared_ptr<const Policy>> parsed =
        ParsePolicy(std::string(c.at("document").as_string()), *kind);
    ASSERT_FALSE(parsed.has_value()) << "accepted";
    EXPECT_EQ(parsed.error().code, "MalformedPolicyDocument");
    EXPECT_EQ(parsed.error().message, std::string(c.at("message").as_string()));
  }
}

TEST(ParsePolicy, BuildsTheTypedModel) {
  const std::string text = R"({
    "Version": "2012-10-17", "Id": "p1",
    "Statement": [{
      "Sid": "One", "Effect": "Deny", "NotAction": ["iam:*", "sts:Get*"],
      "NotResource": "arn:aws:iam::123456789012:user/${aws:username}",
      "Condition": {
        "ForAnyValue:StringNotLikeIfExists": {"aws:TagKeys": ["a*", "b"]},
        "NumericLessThan": {"s3:max-keys": 10},
        "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
        "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
        "Bool": {"aws:SecureTransport": true}
      }}]})";
  const std::shared_ptr<const Policy> policy = MustParse(text, PolicyKind::kIdentity);
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->version, PolicyVersion::k2012_10_17);
  EXPECT_TRUE(policy->has_version);
  EXPECT_EQ(policy->id, "p1");
  ASSERT_EQ(policy->statements.size(), 1u);
  const Statement& s = policy->statements[0];
  EXPECT_EQ(s.sid, "One");
  EXPECT_EQ(s.effect, Effect::kDeny);
  EXPECT_TRUE(s.actions.negated);
  EXPECT_EQ(s.actions.patterns, (std::vector<std::string>{"iam:*", "sts:Get*"}));
  ASSERT_TRUE(s.resources.has_value());
  EXPECT_TRUE(s.resources->negated);
  ASSERT_EQ(s.resources->patterns.size(), 1u);
  EXPECT_TRUE(s.resources->patterns[0].has_variables);
  EXPECT_FALSE(s.principals.has_value());
  ASSERT_EQ(s.conditions.size(), 5u);

  const Condition& tags = s.conditions[0];
  EXPECT_EQ(tags.operator_name, "ForAnyValue:StringNotLikeIfExists");
  EXPECT_EQ(tags.op, ConditionOperator::kStringNotLike);
  EXPECT_EQ(tags.set_operator, SetOperator::kForAnyValue);
  EXPECT_TRUE(tags.if_exists);
  EXPECT_EQ(tags.key, "aws:TagKeys");
  ASSERT_EQ(tags.values.size(), 2u);
  EXPECT_EQ(tags.values[0].text.text, "a*");

  const Condition& keys = s.conditions[1];
  EXPECT_EQ(keys.op, ConditionOperator::kNumericLessThan);
  ASSERT_EQ(keys.values.size(), 1u);
  EXPECT_EQ(keys.values[0].text.text, "10");
  EXPECT_EQ(keys.values[0].number, 10.0);

  const Condition& time = s.conditions[2];
  ASSERT_EQ(time.values.size(), 1u);
  EXPECT_EQ(time.values[0].epoch_ms, 1577836800000);

  const Condition& ip = s.conditions[3];
  ASSERT_EQ(ip.values.size(), 1u);
  ASSERT_TRUE(ip.values[0].network.has_value());
  EXPECT_FALSE(ip.values[0].network->v6);
  EXPECT_EQ(ip.values[0].network->prefix_length, 8);

  EXPECT_EQ(s.conditions[4].values[0].text.text, "true");
}

TEST(ParsePolicy, WithoutVersionVariablesAreText) {
  const std::shared_ptr<const Policy> policy = MustParse(
      R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}"}})",
      PolicyKind::kIdentity);
  ASSERT_NE(policy, nullptr);
  EXPECT_FALSE(policy->has_version);
  EXPECT_EQ(policy->version, PolicyVersion::k2008_10_17);
  EXPECT_FALSE(policy->statements[0].resources->patterns[0].has_variables);
}

TEST(ParsePolicy, TrustPolicyPrincipals) {
  const std::shared_ptr<const Policy> policy = MustParse(
      R"({"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": ["123456789012", "arn:aws:iam::210987654321:role/r"],
           "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
          {"Effect": "Deny", "NotPrincipal": "*", "Action": "sts:AssumeRole"}]})",
      PolicyKind::kResource);
  ASSERT_NE(policy, nullptr);
  ASSERT_EQ(policy->statements.size(), 2u);
  const PrincipalSet& allow = *policy->statements[0].principals;
  EXPECT_FALSE(allow.negated);
  EXPECT_FALSE(allow.wildcard);
  EXPECT_EQ(allow.aws, (std::vector<std::string>{"arn:aws:iam::123456789012:root",
                                                 "arn:aws:iam::210987654321:role/r"}));
  EXPECT_EQ(allow.service, (std::vector<std::string>{"ec2.amazonaws.com"}));
  EXPECT_FALSE(policy->statements[0].resources.has_value());
  const PrincipalSet& deny = *policy->statements[1].principals;
  EXPECT_TRUE(deny.negated);
  EXPECT_TRUE(deny.wildcard);
}

TEST(ParsePolicy, UnknownOperatorWithEmptyBlockIsIgnored) {
  const std::shared_ptr<const Policy> policy = MustParse(
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
          "Resource": "*", "Condition": {"NotAnOperator": {}}}]})",
      PolicyKind::kIdentity);
  ASSERT_NE(policy, nullptr);
  EXPECT_TRUE(policy->statements[0].conditions.empty());
}

TEST(ParsePolicy, EffectIsCheckedOnEveryStatement) {
  const Result<std::shared_ptr<const Policy>> parsed = ParsePolicy(
      R"({"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
          {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
          {"Effect": "deny", "Action": "s3:*", "Resource": "*"}]})",
      PolicyKind::kIdentity);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("Statement[2]"), std::string::npos)
      << parsed.error().message;
}

}  // namespace
}  // namespace fulcrum::policy
