#include "arn/arn.h"

#include <gtest/gtest.h>

#include <string>

namespace fulcrum::arn {
namespace {

TEST(ArnTest, ParsesAndPrints) {
  const struct {
    std::string text;
    Arn arn;
  } cases[] = {
      {"arn:aws:iam::123456789012:root", {"aws", "iam", "", "123456789012", "root"}},
      {"arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
       {"aws", "iam", "", "123456789012", "user/division_abc/subdivision_xyz/Bob"}},
      {"arn:aws:iam::aws:policy/AdministratorAccess",
       {"aws", "iam", "", "aws", "policy/AdministratorAccess"}},
      {"arn:aws:sts::123456789012:assumed-role/Admin/session",
       {"aws", "sts", "", "123456789012", "assumed-role/Admin/session"}},
      {"arn:aws:organizations::111111111111:ou/o-exampleorgid/ou-examplerootid111-exampleouid111",
       {"aws", "organizations", "", "111111111111",
        "ou/o-exampleorgid/ou-examplerootid111-exampleouid111"}},
      {"arn:aws:s3:::my-bucket/*", {"aws", "s3", "", "", "my-bucket/*"}},
      {"arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-1",
       {"aws-cn", "ec2", "cn-north-1", "123456789012", "instance/i-1"}},
      {"arn:aws:logs:us-east-1:123456789012:log-group:my:group:*",
       {"aws", "logs", "us-east-1", "123456789012", "log-group:my:group:*"}},
      {"arn:aws:iam::*:role/*", {"aws", "iam", "", "*", "role/*"}},
  };
  for (const auto& c : cases) {
    const Result<Arn> parsed = Parse(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_EQ(*parsed, c.arn) << c.text;
    EXPECT_EQ(parsed->ToString(), c.text);
  }
}

TEST(ArnTest, RejectsInvalidArns) {
  for (const std::string bad :
       {"", "arn", "arn:aws", "arn:aws:iam::123456789012",
        "arn:aws:iam::123456789012:", "arn::iam::123456789012:root", "arn:aws:::123456789012:root",
        "urn:aws:iam::123456789012:root", "ARN:aws:iam::123456789012:root", "*"}) {
    const Result<Arn> parsed = Parse(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code, "InvalidInput");
    EXPECT_EQ(parsed.error().message, "ARN " + bad + " is not valid.");
  }
}

TEST(ArnTest, IamHelpers) {
  EXPECT_EQ(RootArn("123456789012"), "arn:aws:iam::123456789012:root");
  EXPECT_EQ(UserArn("123456789012", "/", "mgmt-org-admin"),
            "arn:aws:iam::123456789012:user/mgmt-org-admin");
  EXPECT_EQ(UserArn("123456789012", "", "alice"), "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(UserArn("123456789012", "/division_abc/subdivision_xyz/", "Bob"),
            "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob");
  EXPECT_EQ(RoleArn("123456789012", "/", "OrganizationAccountAccessRole"),
            "arn:aws:iam::123456789012:role/OrganizationAccountAccessRole");
  EXPECT_EQ(RoleArn("123456789012", "/service-role/", "r"),
            "arn:aws:iam::123456789012:role/service-role/r");
  EXPECT_EQ(GroupArn("123456789012", "/", "admins"), "arn:aws:iam::123456789012:group/admins");
  EXPECT_EQ(PolicyArn("aws", "/", "AdministratorAccess"),
            "arn:aws:iam::aws:policy/AdministratorAccess");
  EXPECT_EQ(AssumedRoleArn("123456789012", "Admin", "cli-session"),
            "arn:aws:sts::123456789012:assumed-role/Admin/cli-session");
  const Result<Arn> parsed = Parse(UserArn("123456789012", "/a/", "b"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->resource, "user/a/b");
}

}  // namespace
}  // namespace fulcrum::arn
