#include "services/iam/condition_keys.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "services/iam/operations.h"
#include "services/iam/roles.h"
#include "services/iam/users.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kReadOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
constexpr std::string_view kTrustEc2 =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";

class ConditionKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_->CreateAccount(storage::Account{.id = std::string(kAccount),
                                                    .name = "myexample-management",
                                                    .email = "myexample-aws@example.com",
                                                    .created = clock_.Now(),
                                                    .root_password_hash = {}},
                                   {}));
    ASSERT_TRUE(service_.InstallAwsManagedPolicies());
    ASSERT_TRUE(
        users_.CreateUser(root_, CreateUserRequest{.user_name = "bob",
                                                   .path = "/",
                                                   .permissions_boundary = std::string(kReadOnly),
                                                   .tags = {{"env", "prod"}}}));
    ASSERT_TRUE(users_.CreateUser(
        root_, CreateUserRequest{
                   .user_name = "carol", .path = "/", .permissions_boundary = {}, .tags = {}}));
    ASSERT_TRUE(roles_.CreateRole(
        root_, CreateRoleRequest{.role_name = "deployer",
                                 .path = "/",
                                 .assume_role_policy_document = std::string(kTrustEc2),
                                 .description = {},
                                 .max_session_duration = std::nullopt,
                                 .permissions_boundary = {},
                                 .tags = {{"owner", "ops"}}}));
  }

  ConditionKeys KeysOf(std::string_view action, std::string_view input, std::string_view resource) {
    const RequestContext request{.principal = root_,
                                 .region = "us-east-1",
                                 .request_id = "r",
                                 .now = clock_.Now(),
                                 .source_ip = "127.0.0.1",
                                 .iam_action = action};
    // As the authorizer applies them: the resource's keys, then the request's.
    ConditionKeys keys = IamResourceKeys(context_)(request, resource);
    for (auto& [name, values] : IamRequestKeys()(request, json::parse(input).as_object())) {
      keys[name] = std::move(values);
    }
    return keys;
  }

  FixedClock clock_{TimePoint(std::chrono::seconds(1'800'000'000))};
  SeededRandom random_{7};
  std::unique_ptr<storage::Database> db_ = storage::MakeMemoryDatabase();
  IamContext context_{*db_, *db_, random_, clock_, {}};
  IamService service_{context_};
  UsersService users_{context_};
  RolesService roles_{context_};
  Principal root_{.kind = PrincipalKind::kRoot,
                  .account_id = std::string(kAccount),
                  .arn = "arn:aws:iam::123456789012:root",
                  .user_id = std::string(kAccount),
                  .user_name = {},
                  .access_key_id = "AKIAROOTROOTROOTROOT"};
};

TEST_F(ConditionKeysTest, KeysComeFromTheRequestAndItsResource) {
  struct Case {
    std::string name;
    std::string action;
    std::string input;
    std::string resource;
    ConditionKeys expected;
  };
  const std::string bob = "arn:aws:iam::123456789012:user/bob";
  const std::string carol = "arn:aws:iam::123456789012:user/carol";
  const std::string deployer = "arn:aws:iam::123456789012:role/deployer";
  const std::vector<Case> cases = {
      {"request tags",
       "iam:CreateUser",
       R"({"UserName":"dave","Tags":[{"Key":"team","Value":"a"},{"Key":"cost","Value":"b"}]})",
       "arn:aws:iam::123456789012:user/dave",
       {{"aws:RequestTag/team", {"a"}},
        {"aws:RequestTag/cost", {"b"}},
        {"aws:TagKeys", {"team", "cost"}}}},
      {"requested boundary",
       "iam:CreateUser",
       R"({"UserName":"dave","PermissionsBoundary":"arn:aws:iam::aws:policy/ReadOnlyAccess"})",
       "arn:aws:iam::123456789012:user/dave",
       {{"iam:PermissionsBoundary", {std::string(kReadOnly)}}}},
      {"untag keys and resource tags",
       "iam:UntagUser",
       R"({"UserName":"bob","TagKeys":["env"]})",
       bob,
       {{"aws:TagKeys", {"env"}},
        {"aws:ResourceTag/env", {"prod"}},
        {"iam:ResourceTag/env", {"prod"}}}},
      {"policy ARN and the target's boundary",
       "iam:AttachUserPolicy",
       R"({"UserName":"bob","PolicyArn":"arn:aws:iam::aws:policy/IAMReadOnlyAccess"})",
       bob,
       {{"iam:PolicyARN", {"arn:aws:iam::aws:policy/IAMReadOnlyAccess"}},
        {"iam:PermissionsBoundary", {std::string(kReadOnly)}},
        {"aws:ResourceTag/env", {"prod"}},
        {"iam:ResourceTag/env", {"prod"}}}},
      {"the target's boundary does not apply to GetUser",
       "iam:GetUser",
       R"({"UserName":"bob"})",
       bob,
       {{"aws:ResourceTag/env", {"prod"}}, {"iam:ResourceTag/env", {"prod"}}}},
      {"a user without tags or boundary",
       "iam:DeleteUserPolicy",
       R"({"UserName":"carol","PolicyName":"p"})",
       carol,
       {}},
      {"role tags",
       "iam:GetRole",
       R"({"RoleName":"deployer"})",
       deployer,
       {{"aws:ResourceTag/owner", {"ops"}}, {"iam:ResourceTag/owner", {"ops"}}}},
      {"a missing user has no resource keys",
       "iam:GetUser",
       R"({"UserName":"ghost"})",
       "arn:aws:iam::123456789012:user/ghost",
       {}},
      {"another account's user is not looked up",
       "iam:GetUser",
       R"({"UserName":"bob"})",
       "arn:aws:iam::210987654321:user/bob",
       {}},
      {"service-linked role",
       "iam:CreateServiceLinkedRole",
       R"({"AWSServiceName":"organizations.amazonaws.com"})",
       "*",
       {{"iam:AWSServiceName", {"organizations.amazonaws.com"}}}},
      {"no keys", "iam:ListUsers", "{}", "*", {}},
  };
  for (const Case& one : cases) {
    EXPECT_EQ(KeysOf(one.action, one.input, one.resource), one.expected) << one.name;
  }
}

TEST_F(ConditionKeysTest, EveryIamRowHasTheResolvers) {
  const OperationTable table = service_.MakeOperationTable();
  for (const OperationRow& row : table.rows()) {
    EXPECT_TRUE(static_cast<bool>(row.condition_keys)) << row.name;
    EXPECT_TRUE(static_cast<bool>(row.resource_keys)) << row.name;
  }
}

}  // namespace
}  // namespace fulcrum::services::iam
