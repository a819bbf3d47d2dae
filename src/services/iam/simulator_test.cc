#include "services/iam/simulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/iam/policies.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kUserArn = "arn:aws:iam::123456789012:user/team/alice";
constexpr std::string_view kGroupArn = "arn:aws:iam::123456789012:group/devs";
constexpr std::string_view kRoleArn = "arn:aws:iam::123456789012:role/deployer";
constexpr std::string_view kAllowS3 =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
constexpr std::string_view kAllowGetObject =
    R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})";
constexpr std::string_view kDenyDeleteBucket =
    R"({"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]})";

template <class T>
std::string CodeOf(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().code;
}

template <class T>
::testing::AssertionResult Ok(const Result<T>& result) {
  if (result.has_value()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.error().code << ": " << result.error().message;
}

Principal Root() {
  return Principal{.kind = PrincipalKind::kRoot,
                   .account_id = std::string(kAccount),
                   .arn = "arn:aws:iam::123456789012:root",
                   .user_id = std::string(kAccount),
                   .user_name = {},
                   .access_key_id = "AKIAROOTROOTROOTROOT"};
}

SimulationRequest Request(std::vector<std::string> policies, std::vector<std::string> actions,
                          std::vector<std::string> resources = {}) {
  SimulationRequest request;
  request.policy_input_list = std::move(policies);
  request.action_names = std::move(actions);
  request.resource_arns = std::move(resources);
  return request;
}

class SimulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Ok(db_->CreateAccount(storage::Account{.id = std::string(kAccount),
                                                       .name = "acct",
                                                       .email = "owner@example.com",
                                                       .created = kNow,
                                                       .root_password_hash = {}},
                                      {})));
    ASSERT_TRUE(Ok(policies_.InstallAwsManagedPolicies()));
  }

  void MakeUser() {
    storage::User user;
    user.account_id = std::string(kAccount);
    user.user_id = "AIDAALICEALICEALICE1";
    user.user_name = "alice";
    user.path = "/team/";
    user.arn = std::string(kUserArn);
    user.created = kNow;
    ASSERT_TRUE(Ok(db_->CreateUser(user)));
  }

  void MakeGroup() {
    storage::Group group;
    group.account_id = std::string(kAccount);
    group.group_id = "AGPADEVSDEVSDEVSDEVS";
    group.group_name = "devs";
    group.path = "/";
    group.arn = std::string(kGroupArn);
    group.created = kNow;
    ASSERT_TRUE(Ok(db_->CreateGroup(group)));
  }

  void MakeRole() {
    storage::Role role;
    role.account_id = std::string(kAccount);
    role.role_id = "AROADEPLOYERDEPLOYER";
    role.role_name = "deployer";
    role.path = "/";
    role.arn = std::string(kRoleArn);
    role.created = kNow;
    role.assume_role_policy_document =
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
    ASSERT_TRUE(Ok(db_->CreateRole(role)));
  }

  std::string MakeManaged(std::string name, std::string_view document) {
    storage::ManagedPolicy managed;
    managed.arn = "arn:aws:iam::123456789012:policy/" + name;
    managed.policy_id = "ANPA" + std::string(16 - std::min<size_t>(name.size(), 16), 'X') +
                        name.substr(0, std::min<size_t>(name.size(), 16));
    managed.policy_name = name;
    managed.path = "/";
    managed.account_id = std::string(kAccount);
    managed.created = kNow;
    managed.updated = kNow;
    EXPECT_TRUE(Ok(db_->CreatePolicy(managed, document)));
    return managed.arn;
  }

  static storage::PrincipalRef Ref(storage::PrincipalKind kind, std::string name) {
    return storage::PrincipalRef{
        .kind = kind, .account_id = std::string(kAccount), .name = std::move(name)};
  }

  static constexpr TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

  FixedClock clock_{kNow};
  SeededRandom random_{5};
  std::unique_ptr<storage::Database> db_ = storage::MakeMemoryDatabase();
  IamContext context_{*db_, *db_, random_, clock_, {}};
  PoliciesService policies_{context_};
  SimulatorService service_{context_};
};

TEST_F(SimulatorTest, CustomPolicyDecisions) {
  struct Case {
    std::string action;
    policy::Decision decision;
    std::string matched_id;  // Empty: no matched statement.
  };
  const std::vector<Case> cases = {
      {"s3:GetObject", policy::Decision::kAllow, "PolicyInputList.1"},
      {"s3:DeleteBucket", policy::Decision::kExplicitDeny, "PolicyInputList.2"},
      {"iam:CreateUser", policy::Decision::kImplicitDeny, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.action);
    auto result = service_.SimulateCustomPolicy(
        Root(), Request({std::string(kAllowS3), std::string(kDenyDeleteBucket)}, {c.action}));
    ASSERT_TRUE(Ok(result));
    ASSERT_EQ(result->results.size(), 1U);
    const EvaluationResult& evaluation = result->results[0];
    EXPECT_EQ(evaluation.action_name, c.action);
    EXPECT_EQ(evaluation.resource_name, "*");
    EXPECT_EQ(evaluation.decision, c.decision);
    if (c.matched_id.empty()) {
      EXPECT_TRUE(evaluation.matched_statements.empty());
    } else {
      ASSERT_EQ(evaluation.matched_statements.size(), 1U);
      EXPECT_EQ(evaluation.matched_statements[0].source_policy_id, c.matched_id);
      EXPECT_EQ(evaluation.matched_statements[0].source_policy_type, "IAM Policy");
    }
    EXPECT_TRUE(evaluation.allowed_by_organizations);
    EXPECT_TRUE(evaluation.allowed_by_permissions_boundary);
  }
}

TEST_F(SimulatorTest, PermissionsBoundaryIsAndedWithIdentityPolicies) {
  struct Case {
    std::string action;
    std::vector<std::string> boundary;
    policy::Decision decision;
    bool allowed_by_boundary;
  };
  const std::vector<Case> cases = {
      {"s3:GetObject", {std::string(kAllowGetObject)}, policy::Decision::kAllow, true},
      {"s3:PutObject", {std::string(kAllowGetObject)}, policy::Decision::kImplicitDeny, false},
      {"s3:DeleteBucket",
       {std::string(kAllowS3), std::string(kDenyDeleteBucket)},
       policy::Decision::kExplicitDeny,
       false},
      {"s3:PutObject", {}, policy::Decision::kAllow, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.action + " boundaries=" + std::to_string(c.boundary.size()));
    SimulationRequest request = Request({std::string(kAllowS3)}, {c.action});
    request.permissions_boundary_policy_input_list = c.boundary;
    auto result = service_.SimulateCustomPolicy(Root(), request);
    ASSERT_TRUE(Ok(result));
    ASSERT_EQ(result->results.size(), 1U);
    EXPECT_EQ(result->results[0].decision, c.decision);
    EXPECT_EQ(result->results[0].allowed_by_permissions_boundary, c.allowed_by_boundary);
  }
  // A boundary alone grants nothing.
  SimulationRequest request = Request({}, {"s3:GetObject"});
  request.permissions_boundary_policy_input_list = {std::string(kAllowS3)};
  auto result = service_.SimulateCustomPolicy(Root(), request);
  ASSERT_TRUE(Ok(result));
  EXPECT_EQ(result->results[0].decision, policy::Decision::kImplicitDeny);
  EXPECT_TRUE(result->results[0].allowed_by_permissions_boundary);
}

TEST_F(SimulatorTest, PrincipalPolicyGathersUserGroupAndManagedPolicies) {
  MakeUser();
  MakeGroup();
  ASSERT_TRUE(Ok(db_->AddUserToGroup(std::string(kAccount), "devs", "alice", 10)));
  ASSERT_TRUE(Ok(db_->PutInlinePolicy(Ref(storage::PrincipalKind::kUser, "alice"), "own-keys",
                                      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
"Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::123456789012:user/team/${aws:username}"}]})")));
  ASSERT_TRUE(Ok(db_->PutInlinePolicy(Ref(storage::PrincipalKind::kGroup, "devs"), "no-delete",
                                      kDenyDeleteBucket)));
  const std::string mine = MakeManaged("s3-reader", kAllowGetObject);
  ASSERT_TRUE(Ok(db_->AttachPolicy(Ref(storage::PrincipalKind::kUser, "alice"), mine, 10)));
  ASSERT_TRUE(Ok(db_->AttachPolicy(Ref(storage::PrincipalKind::kGroup, "devs"),
                                   "arn:aws:iam::aws:policy/IAMReadOnlyAccess", 10)));

  struct Case {
    std::string action;
    std::string resource;
    policy::Decision decision;
    std::string source_id;
    std::string source_type;
  };
  const std::vector<Case> cases = {
      {"s3:GetObject", "*", policy::Decision::kAllow, "s3-reader", "user-managed"},
      {"s3:DeleteBucket", "*", policy::Decision::kExplicitDeny, "no-delete", "group"},
      {"iam:ListUsers", "*", policy::Decision::kAllow, "IAMReadOnlyAccess", "aws-managed"},
      {"iam:CreateAccessKey", std::string(kUserArn), policy::Decision::kAllow, "own-keys", "user"},
      {"iam:CreateAccessKey", "arn:aws:iam::123456789012:user/team/bob",
       policy::Decision::kImplicitDeny, "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.action + " " + c.resource);
    auto result =
        service_.SimulatePrincipalPolicy(Root(), kUserArn, Request({}, {c.action}, {c.resource}));
    ASSERT_TRUE(Ok(result));
    ASSERT_EQ(result->results.size(), 1U);
    const EvaluationResult& evaluation = result->results[0];
    EXPECT_EQ(evaluation.decision, c.decision);
    if (c.source_id.empty()) {
      EXPECT_TRUE(evaluation.matched_statements.empty());
    } else {
      ASSERT_FALSE(evaluation.matched_statements.empty());
      EXPECT_EQ(evaluation.matched_statements[0].source_policy_id, c.source_id);
      EXPECT_EQ(evaluation.matched_statements[0].source_policy_type, c.source_type);
    }
  }

  // The group and a role are policy sources too, each with only its own policies.
  MakeRole();
  auto group = service_.SimulatePrincipalPolicy(Root(), kGroupArn,
                                                Request({}, {"s3:GetObject", "iam:GetUser"}));
  ASSERT_TRUE(Ok(group));
  ASSERT_EQ(group->results.size(), 2U);
  EXPECT_EQ(group->results[0].decision, policy::Decision::kImplicitDeny);
  EXPECT_EQ(group->results[1].decision, policy::Decision::kAllow);
  auto role = service_.SimulatePrincipalPolicy(
      Root(), kRoleArn, Request({std::string(kAllowGetObject)}, {"s3:GetObject"}));
  ASSERT_TRUE(Ok(role));
  EXPECT_EQ(role->results[0].decision, policy::Decision::kAllow);
}

TEST_F(SimulatorTest, PrincipalPermissionsBoundaryCapsItsPolicies) {
  MakeUser();
  ASSERT_TRUE(Ok(db_->AttachPolicy(Ref(storage::PrincipalKind::kUser, "alice"),
                                   "arn:aws:iam::aws:policy/AdministratorAccess", 10)));
  const std::string boundary = MakeManaged("boundary", kAllowGetObject);
  ASSERT_TRUE(
      Ok(db_->SetPermissionsBoundary(Ref(storage::PrincipalKind::kUser, "alice"), boundary)));
  auto result = service_.SimulatePrincipalPolicy(Root(), kUserArn,
                                                 Request({}, {"s3:GetObject", "iam:CreateUser"}));
  ASSERT_TRUE(Ok(result));
  ASSERT_EQ(result->results.size(), 2U);
  EXPECT_EQ(result->results[0].decision, policy::Decision::kAllow);
  EXPECT_TRUE(result->results[0].allowed_by_permissions_boundary);
  EXPECT_EQ(result->results[1].decision, policy::Decision::kImplicitDeny);
  EXPECT_FALSE(result->results[1].allowed_by_permissions_boundary);

  // PermissionsBoundaryPolicyInputList replaces the stored boundary.
  SimulationRequest request = Request({}, {"iam:CreateUser"});
  request.permissions_boundary_policy_input_list = {
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]})"};
  auto replaced = service_.SimulatePrincipalPolicy(Root(), kUserArn, request);
  ASSERT_TRUE(Ok(replaced));
  EXPECT_EQ(replaced->results[0].decision, policy::Decision::kAllow);
}

TEST_F(SimulatorTest, ContextEntriesAndMissingContextValues) {
  const std::string policy = R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",
     "Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"},
                  "IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
    {"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*",
     "Condition":{"NumericLessThan":{"ec2:InstanceCount":"5"}}}]})";
  struct Case {
    std::vector<SimulationContextEntry> entries;
    policy::Decision decision;
    std::vector<std::string> missing;
  };
  const std::vector<Case> cases = {
      {{}, policy::Decision::kImplicitDeny, {"s3:prefix", "aws:SourceIp", "aws:username"}},
      {{{"aws:SourceIp", {"203.0.113.7"}, "ip"}},
       policy::Decision::kImplicitDeny,
       {"s3:prefix", "aws:username"}},
      {{{"aws:sourceip", {"203.0.113.7"}, "ip"},
        {"s3:prefix", {"home/carol/notes"}, "string"},
        {"aws:username", {"carol"}, "string"}},
       policy::Decision::kAllow,
       {}},
      {{{"aws:SourceIp", {"198.51.100.1"}, "ip"},
        {"s3:prefix", {"home/carol/notes"}, "string"},
        {"aws:username", {"carol"}, "string"}},
       policy::Decision::kImplicitDeny,
       {}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    SimulationRequest request = Request({policy}, {"s3:ListBucket"});
    request.context_entries = cases[i].entries;
    auto result = service_.SimulateCustomPolicy(Root(), request);
    ASSERT_TRUE(Ok(result));
    ASSERT_EQ(result->results.size(), 1U);
    EXPECT_EQ(result->results[0].decision, cases[i].decision);
    // Keys of the ec2 statement, whose action does not match, are never missing.
    EXPECT_EQ(result->results[0].missing_context_values, cases[i].missing);
  }

  // Numeric context entries reach numeric conditions.
  SimulationRequest request = Request({policy}, {"ec2:RunInstances"});
  request.context_entries = {{"ec2:InstanceCount", {"3"}, "numeric"}};
  auto result = service_.SimulateCustomPolicy(Root(), request);
  ASSERT_TRUE(Ok(result));
  EXPECT_EQ(result->results[0].decision, policy::Decision::kAllow);
}

TEST_F(SimulatorTest, UserSourceSuppliesItsOwnKeys) {
  MakeUser();
  const std::string policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Action":"s3:ListBucket","Resource":"*",
    "Condition":{"StringEquals":{"aws:username":"alice","aws:PrincipalArn":"arn:aws:iam::123456789012:user/team/alice"}}}]})";
  auto result =
      service_.SimulatePrincipalPolicy(Root(), kUserArn, Request({policy}, {"s3:ListBucket"}));
  ASSERT_TRUE(Ok(result));
  EXPECT_EQ(result->results[0].decision, policy::Decision::kAllow);
  EXPECT_TRUE(result->results[0].missing_context_values.empty());

  // A context entry replaces the automatic value, whatever its letter case.
  SimulationRequest request = Request({policy}, {"s3:ListBucket"});
  request.context_entries = {{"AWS:UserName", {"mallory"}, "string"}};
  auto replaced = service_.SimulatePrincipalPolicy(Root(), kUserArn, request);
  ASSERT_TRUE(Ok(replaced));
  EXPECT_EQ(replaced->results[0].decision, policy::Decision::kImplicitDeny);
}

TEST_F(SimulatorTest, ContextKeysAreDistinctIgnoringCase) {
  const std::string first = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"},
    "Bool":{"aws:SecureTransport":"true"}}}]})";
  const std::string second = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",
    "Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"AWS:REQUESTEDREGION":"eu-west-1",
    "s3:prefix":"${aws:username}/"}}}]})";
  auto keys = service_.GetContextKeysForCustomPolicy({first, second});
  ASSERT_TRUE(Ok(keys));
  EXPECT_EQ(*keys, (std::vector<std::string>{"aws:RequestedRegion", "aws:SecureTransport",
                                             "s3:prefix", "aws:username"}));

  MakeUser();
  ASSERT_TRUE(
      Ok(db_->PutInlinePolicy(Ref(storage::PrincipalKind::kUser, "alice"), "regional", first)));
  auto principal_keys = service_.GetContextKeysForPrincipalPolicy(
      Root(), kUserArn,
      {R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}]})"});
  ASSERT_TRUE(Ok(principal_keys));
  EXPECT_EQ(*principal_keys, (std::vector<std::string>{"aws:RequestedRegion", "aws:SecureTransport",
                                                       "aws:CurrentTime"}));

  auto empty = service_.GetContextKeysForCustomPolicy({std::string(kAllowS3)});
  ASSERT_TRUE(Ok(empty));
  EXPECT_TRUE(empty->empty());
}

TEST_F(SimulatorTest, ResultsArePaged) {
  SimulationRequest request =
      Request({std::string(kAllowGetObject)}, {"s3:GetObject", "s3:PutObject", "s3:ListBucket"},
              {"arn:aws:s3:::a/x", "arn:aws:s3:::b/y"});
  request.page.max_items = 4;
  auto first = service_.SimulateCustomPolicy(Root(), request);
  ASSERT_TRUE(Ok(first));
  ASSERT_EQ(first->results.size(), 4U);
  EXPECT_EQ(first->results[0].action_name, "s3:GetObject");
  EXPECT_EQ(first->results[1].resource_name, "arn:aws:s3:::b/y");
  EXPECT_EQ(first->results[2].action_name, "s3:PutObject");
  EXPECT_EQ(first->results[0].decision, policy::Decision::kAllow);
  EXPECT_EQ(first->results[2].decision, policy::Decision::kImplicitDeny);
  ASSERT_FALSE(first->next_marker.empty());

  request.page.marker = first->next_marker;
  auto second = service_.SimulateCustomPolicy(Root(), request);
  ASSERT_TRUE(Ok(second));
  ASSERT_EQ(second->results.size(), 2U);
  EXPECT_EQ(second->results[0].action_name, "s3:ListBucket");
  EXPECT_EQ(second->results[0].resource_name, "arn:aws:s3:::a/x");
  EXPECT_TRUE(second->next_marker.empty());

  request.page.max_items = 6;
  request.page.marker.clear();
  auto whole = service_.SimulateCustomPolicy(Root(), request);
  ASSERT_TRUE(Ok(whole));
  EXPECT_EQ(whole->results.size(), 6U);
  EXPECT_TRUE(whole->next_marker.empty());

  request.page.marker = "not-a-marker";
  EXPECT_EQ(CodeOf(service_.SimulateCustomPolicy(Root(), request)), "InvalidInput");
}

TEST_F(SimulatorTest, MatchedStatementPositionsPointAtTheStatement) {
  const std::string policy =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"*\"},\n"
      "    {\n"
      "      \"Effect\": \"Allow\",\n"
      "      \"Action\": \"s3:GetObject\",\n"
      "      \"Resource\": \"*\"\n"
      "    }\n"
      "  ]\n"
      "}\n";
  auto result = service_.SimulateCustomPolicy(Root(), Request({policy}, {"s3:GetObject"}));
  ASSERT_TRUE(Ok(result));
  ASSERT_EQ(result->results[0].matched_statements.size(), 1U);
  const MatchedStatement& matched = result->results[0].matched_statements[0];
  EXPECT_EQ(matched.start, (PolicyPosition{.line = 5, .column = 5}));
  EXPECT_EQ(matched.end, (PolicyPosition{.line = 9, .column = 6}));

  const auto spans = StatementSpans(kAllowGetObject);
  ASSERT_EQ(spans.size(), 1U);
  EXPECT_EQ(spans[0].first, (PolicyPosition{.line = 1, .column = 37}));
  EXPECT_EQ(spans[0].second,
            (PolicyPosition{.line = 1, .column = static_cast<int>(kAllowGetObject.size())}));
  EXPECT_TRUE(StatementSpans("not json").empty());
}

TEST_F(SimulatorTest, Errors) {
  MakeUser();
  struct Case {
    std::string name;
    std::function<Result<SimulationResult>()> call;
    std::string code;
  };
  auto with_entry = [&](SimulationContextEntry entry) {
    SimulationRequest request = Request({std::string(kAllowS3)}, {"s3:GetObject"});
    request.context_entries = {std::move(entry)};
    return service_.SimulateCustomPolicy(Root(), request);
  };
  const std::vector<Case> cases = {
      {"malformed policy",
       [&] { return service_.SimulateCustomPolicy(Root(), Request({"{nope"}, {"s3:GetObject"})); },
       "MalformedPolicyDocument"},
      {"policy with a principal",
       [&] {
         return service_.SimulateCustomPolicy(
             Root(),
             Request(
                 {R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})"},
                 {"s3:GetObject"}));
       },
       "MalformedPolicyDocument"},
      {"unknown user",
       [&] {
         return service_.SimulatePrincipalPolicy(Root(), "arn:aws:iam::123456789012:user/nobody",
                                                 Request({}, {"s3:GetObject"}));
       },
       "NoSuchEntity"},
      {"wrong path",
       [&] {
         return service_.SimulatePrincipalPolicy(Root(), "arn:aws:iam::123456789012:user/alice",
                                                 Request({}, {"s3:GetObject"}));
       },
       "NoSuchEntity"},
      {"other account",
       [&] {
         return service_.SimulatePrincipalPolicy(
             Root(), "arn:aws:iam::210987654321:user/team/alice", Request({}, {"s3:GetObject"}));
       },
       "NoSuchEntity"},
      {"unknown role",
       [&] {
         return service_.SimulatePrincipalPolicy(Root(), "arn:aws:iam::123456789012:role/ghost",
                                                 Request({}, {"s3:GetObject"}));
       },
       "NoSuchEntity"},
      {"not a principal",
       [&] {
         return service_.SimulatePrincipalPolicy(Root(), "arn:aws:iam::123456789012:policy/thing",
                                                 Request({}, {"s3:GetObject"}));
       },
       "InvalidInput"},
      {"bad type",
       [&] {
         return with_entry({"aws:SourceIp", {"1.2.3.4"}, "ipv4"});
       },
       "InvalidInput"},
      {"bad number",
       [&] {
         return with_entry({"ec2:Count", {"three"}, "numeric"});
       },
       "InvalidInput"},
      {"bad date",
       [&] {
         return with_entry({"aws:CurrentTime", {"yesterday"}, "date"});
       },
       "InvalidInput"},
      {"bad ip",
       [&] {
         return with_entry({"aws:SourceIp", {"300.1.1.1"}, "ipList"});
       },
       "InvalidInput"},
      {"bad boolean",
       [&] {
         return with_entry({"aws:SecureTransport", {"yes"}, "boolean"});
       },
       "InvalidInput"},
      {"many values, single type",
       [&] {
         return with_entry({"aws:username", {"a", "b"}, "string"});
       },
       "InvalidInput"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(CodeOf(c.call()), c.code);
  }
  EXPECT_TRUE(Ok(with_entry({"aws:TagKeys", {"a", "b"}, "stringList"})));
  EXPECT_EQ(CodeOf(service_.GetContextKeysForCustomPolicy({"[]"})), "MalformedPolicyDocument");
  EXPECT_EQ(CodeOf(service_.GetContextKeysForPrincipalPolicy(
                Root(), "arn:aws:iam::123456789012:group/none", {})),
            "NoSuchEntity");
}

TEST_F(SimulatorTest, RowsBindTheModelShapes) {
  MakeUser();
  std::vector<OperationRow> rows;
  AddSimulatorOperations(service_, rows);
  auto row = [&](std::string_view name) -> const OperationRow& {
    for (const OperationRow& candidate : rows) {
      if (candidate.name == name) return candidate;
    }
    ADD_FAILURE() << "no row " << name;
    return rows.front();
  };
  const Principal root = Root();
  const RequestContext request{
      .principal = root, .region = "us-east-1", .request_id = "req-1", .now = kNow};

  const json::object principal_input =
      json::parse(
          R"({"PolicySourceArn":"arn:aws:iam::123456789012:user/team/alice",
        "PolicyInputList":[")" +
          std::string(
              R"({\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]})") +
          R"("],
        "ActionNames":["s3:GetObject","s3:PutObject"],
        "ContextEntries":[{"ContextKeyName":"aws:SourceIp","ContextKeyValues":["10.0.0.1"],"ContextKeyType":"ip"}],
        "MaxItems":1})")
          .as_object();
  const OperationRow& simulate = row("SimulatePrincipalPolicy");
  EXPECT_EQ(simulate.iam_action, "iam:SimulatePrincipalPolicy");
  EXPECT_EQ(simulate.resource(request, principal_input), kUserArn);
  auto output = simulate.handler(request, principal_input);
  ASSERT_TRUE(Ok(output));
  const json::value expected = json::parse(R"({
    "EvaluationResults":[{"EvalActionName":"s3:GetObject","EvalResourceName":"*",
      "EvalDecision":"allowed",
      "MatchedStatements":[{"SourcePolicyId":"PolicyInputList.1","SourcePolicyType":"IAM Policy",
        "StartPosition":{"Line":1,"Column":38},"EndPosition":{"Line":1,"Column":95}}],
      "MissingContextValues":[],
      "OrganizationsDecisionDetail":{"AllowedByOrganizations":true},
      "PermissionsBoundaryDecisionDetail":{"AllowedByPermissionsBoundary":true}}],
    "IsTruncated":true,"Marker":"1"})");
  EXPECT_EQ(*output, expected) << json::serialize(*output);

  const json::object custom_input =
      json::parse(
          R"({"PolicyInputList":[")" +
          std::string(
              R"({\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]})") +
          R"("],"ActionNames":["s3:GetObject"],"ResourceArns":["arn:aws:s3:::b/k"]})")
          .as_object();
  const OperationRow& custom = row("SimulateCustomPolicy");
  EXPECT_EQ(custom.iam_action, "iam:SimulateCustomPolicy");
  EXPECT_EQ(custom.resource(request, custom_input), "*");
  auto custom_output = custom.handler(request, custom_input);
  ASSERT_TRUE(Ok(custom_output));
  const json::object& custom_result =
      custom_output->at("EvaluationResults").as_array().at(0).as_object();
  EXPECT_EQ(custom_result.at("EvalDecision"), "explicitDeny");
  EXPECT_EQ(custom_result.at("EvalResourceName"), "arn:aws:s3:::b/k");
  EXPECT_EQ(custom_output->at("IsTruncated"), false);
  EXPECT_EQ(custom_output->as_object().if_contains("Marker"), nullptr);

  const json::object keys_input =
      json::parse(
          R"({"PolicyInputList":[")" +
          std::string(
              R"({\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]})") +
          R"("]})")
          .as_object();
  auto keys = row("GetContextKeysForCustomPolicy").handler(request, keys_input);
  ASSERT_TRUE(Ok(keys));
  EXPECT_EQ(*keys, json::parse(R"({"ContextKeyNames":["aws:SecureTransport"]})"));

  json::object principal_keys_input = keys_input;
  principal_keys_input["PolicySourceArn"] = kUserArn;
  const OperationRow& principal_keys = row("GetContextKeysForPrincipalPolicy");
  EXPECT_EQ(principal_keys.iam_action, "iam:GetContextKeysForPrincipalPolicy");
  EXPECT_EQ(principal_keys.resource(request, principal_keys_input), kUserArn);
  auto principal_keys_output = principal_keys.handler(request, principal_keys_input);
  ASSERT_TRUE(Ok(principal_keys_output));
  EXPECT_EQ(*principal_keys_output, json::parse(R"({"ContextKeyNames":["aws:SecureTransport"]})"));

  principal_keys_input["PolicySourceArn"] = "arn:aws:iam::123456789012:user/ghost";
  EXPECT_EQ(CodeOf(principal_keys.handler(request, principal_keys_input)), "NoSuchEntity");
}

}  // namespace
}  // namespace fulcrum::services::iam
