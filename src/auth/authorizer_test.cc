#include "auth/authorizer.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::auth {
namespace {

constexpr std::string_view kAccountId = "123456789012";

// An identity policy with one Allow of iam:GetUser on every resource under `condition`.
std::string AllowGetUserWhen(std::string_view condition) {
  return std::string(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)") +
         R"("Action":"iam:GetUser","Resource":"*","Condition":)" + std::string(condition) + "}]}";
}

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::Account account{.id = std::string(kAccountId),
                             .name = "myexample-management",
                             .email = "myexample-aws@example.com",
                             .created = clock_.Now(),
                             .root_password_hash = ""};
    ASSERT_TRUE(store_->CreateAccount(account, {}));
    storage::User user{.account_id = std::string(kAccountId),
                       .user_id = "AIDAEXAMPLEALICE00001",
                       .user_name = "alice",
                       .path = "/",
                       .arn = "arn:aws:iam::123456789012:user/alice",
                       .created = clock_.Now(),
                       .permissions_boundary_arn = "",
                       .tags = {{"team", "platform"}},
                       .password_last_used = std::nullopt};
    ASSERT_TRUE(store_->CreateUser(user));
    alice_ = services::Principal{.kind = services::PrincipalKind::kIamUser,
                                 .account_id = std::string(kAccountId),
                                 .arn = user.arn,
                                 .user_id = user.user_id,
                                 .user_name = "alice",
                                 .access_key_id = "AKIAEXAMPLEALICE0001"};
  }

  void PutPolicy(std::string_view document) {
    ASSERT_TRUE(store_->PutInlinePolicy(storage::PrincipalRef{.kind = storage::PrincipalKind::kUser,
                                                              .account_id = std::string(kAccountId),
                                                              .name = "alice"},
                                        "p", document));
    authorizer_.InvalidateAll();
  }

  // The error code of authorizing iam:GetUser with `request_keys`, or "" when allowed.
  std::string Decide(std::string_view source_ip = "127.0.0.1",
                     std::function<policy::RequestContext::KeyMap()> request_keys = {},
                     std::function<policy::RequestContext::KeyMap()> resource_keys = {}) {
    AuthorizationRequest request{.action = "iam:GetUser",
                                 .resource = "arn:aws:iam::123456789012:user/bob",
                                 .region = "eu-west-1",
                                 .source_ip = source_ip,
                                 .request_keys = std::move(request_keys),
                                 .resource_keys = std::move(resource_keys)};
    auto decided = authorizer_.Authorize(alice_, request);
    return decided ? "" : decided.error().code;
  }

  FixedClock clock_{*ParseIso8601("2026-11-27T17:40:36Z")};
  std::unique_ptr<storage::Database> store_ = storage::MakeMemoryDatabase();
  Authorizer authorizer_{*store_, clock_};
  services::Principal alice_;
};

TEST_F(AuthorizerTest, PrincipalAndGlobalKeysAreInTheContext) {
  const AuthorizationRequest request{.action = "iam:GetUser",
                                     .resource = "*",
                                     .region = "eu-west-1",
                                     .source_ip = "192.0.2.10",
                                     .request_keys = {}};
  auto keys = authorizer_.PrincipalKeys(alice_, request);
  ASSERT_TRUE(keys) << keys.error().message;
  const policy::RequestContext::KeyMap expected{
      {"aws:PrincipalArn", {"arn:aws:iam::123456789012:user/alice"}},
      {"aws:PrincipalAccount", {"123456789012"}},
      {"aws:PrincipalType", {"User"}},
      {"aws:userid", {"AIDAEXAMPLEALICE00001"}},
      {"aws:username", {"alice"}},
      {"aws:PrincipalTag/team", {"platform"}},
      {"aws:CurrentTime", {"2026-11-27T17:40:36Z"}},
      {"aws:EpochTime", {"1795801236"}},
      {"aws:RequestedRegion", {"eu-west-1"}},
      {"aws:SecureTransport", {"false"}},
      {"aws:SourceIp", {"192.0.2.10"}}};
  EXPECT_EQ(*keys, expected);
}

TEST_F(AuthorizerTest, RootHasNoUserNameAndTheAccountType) {
  const services::Principal root{.kind = services::PrincipalKind::kRoot,
                                 .account_id = std::string(kAccountId),
                                 .arn = "arn:aws:iam::123456789012:root",
                                 .user_id = std::string(kAccountId),
                                 .user_name = "",
                                 .access_key_id = "AKIAEXAMPLEROOT00001"};
  auto keys = authorizer_.PrincipalKeys(root, AuthorizationRequest{.action = "iam:GetUser",
                                                                   .resource = "*",
                                                                   .region = "us-east-1",
                                                                   .source_ip = "",
                                                                   .request_keys = {}});
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->count("aws:username"), 0U);
  EXPECT_EQ(keys->count("aws:SourceIp"), 0U);
  EXPECT_EQ(keys->at("aws:PrincipalType"), std::vector<std::string>{"Account"});
}

TEST_F(AuthorizerTest, ConditionsSeeSourceIpPrincipalTagsAndRegion) {
  struct Case {
    std::string condition;
    std::string source_ip;
    std::string code;
  };
  const std::vector<Case> cases = {
      {R"({"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}})", "127.0.0.1", ""},
      {R"({"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}})", "192.0.2.1", "AccessDenied"},
      {R"({"IpAddress":{"aws:SourceIp":"::1/128"}})", "::1", ""},
      {R"({"StringEquals":{"aws:PrincipalTag/team":"platform"}})", "127.0.0.1", ""},
      {R"({"StringEquals":{"aws:PrincipalTag/team":"finance"}})", "127.0.0.1", "AccessDenied"},
      {R"({"StringEquals":{"aws:RequestedRegion":"eu-west-1"}})", "127.0.0.1", ""},
      {R"({"Bool":{"aws:SecureTransport":"true"}})", "127.0.0.1", "AccessDenied"},
      // Long-term access keys carry no MFA key at all, as on AWS.
      {R"({"Null":{"aws:MultiFactorAuthPresent":"true"}})", "127.0.0.1", ""},
  };
  for (const Case& one : cases) {
    PutPolicy(AllowGetUserWhen(one.condition));
    EXPECT_EQ(Decide(one.source_ip), one.code) << one.condition << " from " << one.source_ip;
  }
}

TEST_F(AuthorizerTest, RequestKeysAreComputedOnlyWhenACoveringStatementReadsOne) {
  int calls = 0;
  auto keys = [&calls]() {
    ++calls;
    return policy::RequestContext::KeyMap{{"aws:ResourceTag/env", {"prod"}}};
  };
  PutPolicy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*",)"
            R"("Resource":"*"}]})");
  EXPECT_EQ(Decide("127.0.0.1", keys), "");
  EXPECT_EQ(calls, 0);
  // Conditions on the caller's and global keys only need no request keys.
  PutPolicy(AllowGetUserWhen(
      R"({"IpAddress":{"aws:SourceIp":"127.0.0.0/8"},"StringEquals":{"aws:PrincipalTag/team":"platform"}})"));
  EXPECT_EQ(Decide("127.0.0.1", keys), "");
  EXPECT_EQ(calls, 0);
  // A statement for another action does not count, whatever it reads.
  PutPolicy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser",)"
            R"("Resource":"*"},{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*",)"
            R"("Condition":{"StringEquals":{"aws:RequestTag/team":"x"}}}]})");
  EXPECT_EQ(Decide("127.0.0.1", keys), "");
  EXPECT_EQ(calls, 0);

  PutPolicy(AllowGetUserWhen(R"({"StringEquals":{"aws:ResourceTag/env":"prod"}})"));
  EXPECT_EQ(Decide("127.0.0.1", keys), "");
  EXPECT_EQ(calls, 1);
  PutPolicy(AllowGetUserWhen(R"({"StringEquals":{"aws:ResourceTag/env":"dev"}})"));
  EXPECT_EQ(Decide("127.0.0.1", keys), "AccessDenied");
  // Without the request's keys, the condition key is absent and the Allow does not apply.
  PutPolicy(AllowGetUserWhen(R"({"StringEquals":{"aws:ResourceTag/env":"prod"}})"));
  EXPECT_EQ(Decide("127.0.0.1"), "AccessDenied");
}

TEST_F(AuthorizerTest, ResourceKeysAreReadOncePerResourceUntilAnIamWrite) {
  int reads = 0;
  std::string env = "prod";
  auto resource_keys = [&]() {
    ++reads;
    return policy::RequestContext::KeyMap{{"aws:ResourceTag/env", {env}}};
  };
  PutPolicy(AllowGetUserWhen(R"({"StringEquals":{"aws:ResourceTag/env":"prod"}})"));
  EXPECT_EQ(Decide("127.0.0.1", {}, resource_keys), "");
  EXPECT_EQ(Decide("127.0.0.1", {}, resource_keys), "");
  EXPECT_EQ(reads, 1);
  // The tag changes through an IAM write: the next decision reads it again.
  env = "dev";
  authorizer_.InvalidateAll();
  EXPECT_EQ(Decide("127.0.0.1", {}, resource_keys), "AccessDenied");
  EXPECT_EQ(reads, 2);
  // Another account's caller asking about the same resource gets its own answer, and does not
  // change this account's.
  const std::string other_account = "210987654321";
  ASSERT_TRUE(store_->CreateAccount(storage::Account{.id = other_account,
                                                     .name = "other",
                                                     .email = "other@example.com",
                                                     .created = clock_.Now(),
                                                     .root_password_hash = ""},
                                    {}));
  ASSERT_TRUE(store_->CreateUser(storage::User{.account_id = other_account,
                                               .user_id = "AIDAEXAMPLEOTHER00001",
                                               .user_name = "alice",
                                               .path = "/",
                                               .arn = "arn:aws:iam::210987654321:user/alice",
                                               .created = clock_.Now(),
                                               .permissions_boundary_arn = "",
                                               .tags = {},
                                               .password_last_used = std::nullopt}));
  ASSERT_TRUE(store_->PutInlinePolicy(
      storage::PrincipalRef{
          .kind = storage::PrincipalKind::kUser, .account_id = other_account, .name = "alice"},
      "p", AllowGetUserWhen(R"({"StringEquals":{"aws:ResourceTag/env":"prod"}})")));
  services::Principal stranger = alice_;
  stranger.account_id = other_account;
  stranger.arn = "arn:aws:iam::210987654321:user/alice";
  stranger.user_id = "AIDAEXAMPLEOTHER00001";
  int stranger_reads = 0;
  auto stranger_keys = [&]() {
    ++stranger_reads;
    return policy::RequestContext::KeyMap{{"aws:ResourceTag/env", {"prod"}}};
  };
  EXPECT_TRUE(authorizer_.Authorize(
      stranger, AuthorizationRequest{.action = "iam:GetUser",
                                     .resource = "arn:aws:iam::123456789012:user/bob",
                                     .region = "eu-west-1",
                                     .source_ip = "127.0.0.1",
                                     .request_keys = {},
                                     .resource_keys = stranger_keys}));
  EXPECT_EQ(stranger_reads, 1);
  EXPECT_EQ(Decide("127.0.0.1", {}, resource_keys), "AccessDenied");
  EXPECT_EQ(reads, 2);
  // The request's keys come after the resource's and win.
  auto request_keys = [] {
    return policy::RequestContext::KeyMap{{"aws:ResourceTag/env", {"prod"}}};
  };
  EXPECT_EQ(Decide("127.0.0.1", request_keys, resource_keys), "");
}

}  // namespace
}  // namespace fulcrum::auth
