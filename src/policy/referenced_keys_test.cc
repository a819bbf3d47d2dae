#include "policy/referenced_keys.h"

#include <gtest/gtest.h>

namespace fulcrum::policy {
namespace {

std::vector<std::string> KeysOf(std::string_view document) {
  auto policy = ParsePolicy(document, PolicyKind::kIdentity);
  EXPECT_TRUE(policy) << (policy ? "" : policy.error().message);
  std::vector<std::string> names;
  if (policy) {
    for (const Statement& statement : (*policy)->statements) AddReferencedKeys(statement, names);
  }
  return names;
}

TEST(ReferencedKeysTest, ConditionKeysThenVariablesOnceEach) {
  EXPECT_EQ(KeysOf(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*",
      "Resource":"arn:aws:iam::*:user/${aws:username}",
      "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team, 'none'}",
                                   "AWS:RESOURCETAG/TEAM":"x"},
                   "Bool":{"aws:SecureTransport":"true"}}},
      {"Effect":"Deny","Action":"iam:*","Resource":"*",
       "Condition":{"StringLike":{"aws:userid":"${*}AIDA${?}${$}"}}}]})"),
            (std::vector<std::string>{"aws:ResourceTag/team", "aws:SecureTransport",
                                      "aws:PrincipalTag/team", "aws:userid"}));
}

TEST(ReferencedKeysTest, VariablesInText) {
  std::vector<std::string> names;
  AddVariableKeys("arn:aws:s3:::b/${aws:username}/${ aws:userid }/${*}/${unclosed", names);
  EXPECT_EQ(names, (std::vector<std::string>{"aws:username", "aws:userid"}));
  AddKeyOnce("AWS:USERNAME", names);
  EXPECT_EQ(names.size(), 2U);
}

}  // namespace
}  // namespace fulcrum::policy
