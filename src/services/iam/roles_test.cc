#include "services/iam/roles.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "common/encoding.h"
#include "services/iam/policies.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kOtherAccount = "210987654321";
constexpr std::string_view kAdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";
constexpr std::string_view kOrganizationsTrustPolicy =
    "arn:aws:iam::aws:policy/aws-service-role/AWSOrganizationsServiceTrustPolicy";
constexpr std::string_view kTrustEc2 =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
constexpr std::string_view kTrustAccount =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]})";
constexpr std::string_view kAllowS3 =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";

template <class T>
std::string CodeOf(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().code;
}

template <class T>
std::string MessageOf(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().message;
}

template <class T>
::testing::AssertionResult Ok(const Result<T>& result) {
  if (result.has_value()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.error().code << ": " << result.error().message;
}

Principal RootOf(std::string_view account_id) {
  return Principal{.kind = PrincipalKind::kRoot,
                   .account_id = std::string(account_id),
                   .arn = "arn:aws:iam::" + std::string(account_id) + ":root",
                   .user_id = std::string(account_id),
                   .user_name = {},
                   .access_key_id = "AKIAROOTROOTROOTROOT"};
}

CreateRoleRequest RoleRequest(std::string name, std::string path = "/",
                              std::string_view trust = kTrustEc2) {
  return CreateRoleRequest{.role_name = std::move(name),
                           .path = std::move(path),
                           .assume_role_policy_document = std::string(trust),
                           .description = {},
                           .max_session_duration = std::nullopt,
                           .permissions_boundary = {},
                           .tags = {}};
}

// A trust policy of `size` characters (not counting white space).
std::string TrustPolicyOfSize(size_t size) {
  const std::string head =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Sid":")";
  const std::string tail = R"("}]})";
  return head + std::string(size - head.size() - tail.size(), 'S') + tail;
}

class RolesServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::string_view id : {kAccount, kOtherAccount}) {
      ASSERT_TRUE(Ok(
          db_->CreateAccount(storage::Account{.id = std::string(id),
                                              .name = "acct-" + std::string(id),
                                              .email = "owner-" + std::string(id) + "@example.com",
                                              .created = kNow,
                                              .root_password_hash = {}},
                             {})));
    }
    ASSERT_TRUE(Ok(policies_.InstallAwsManagedPolicies()));
  }

  storage::Role MakeRole(std::string name, std::string path = "/") {
    auto role = service_.CreateRole(root_, RoleRequest(std::move(name), std::move(path)));
    EXPECT_TRUE(Ok(role));
    return role.value_or(storage::Role{});
  }

  static constexpr TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

  FixedClock clock_{kNow};
  SeededRandom random_{11};
  std::unique_ptr<storage::Database> db_ = storage::MakeMemoryDatabase();
  IamContext context_{*db_, *db_, random_, clock_, {}};
  RolesService service_{context_};
  PoliciesService policies_{context_};
  Principal root_ = RootOf(kAccount);
  Principal other_root_ = RootOf(kOtherAccount);
};

TEST_F(RolesServiceTest, CreateRoleReturnsWhatAwsReturns) {
  CreateRoleRequest request = RoleRequest("deployer", "/ci/", kTrustAccount);
  request.description = "Deploys things";
  request.max_session_duration = 7200;
  request.permissions_boundary = std::string(kAdministratorAccess);
  request.tags = {{"team", "platform"}};
  auto role = service_.CreateRole(root_, request);
  ASSERT_TRUE(Ok(role));
  EXPECT_TRUE(role->role_id.starts_with("AROA"));
  EXPECT_EQ(role->role_id.size(), 21U);
  EXPECT_EQ(role->arn, "arn:aws:iam::123456789012:role/ci/deployer");
  EXPECT_EQ(role->created, kNow);

  auto stored = service_.GetRole(root_, "DEPLOYER");
  ASSERT_TRUE(Ok(stored));
  EXPECT_EQ(stored->role_name, "deployer");
  EXPECT_EQ(stored->assume_role_policy_document, kTrustAccount);
  EXPECT_EQ(stored->description, "Deploys things");
  EXPECT_EQ(stored->max_session_duration, 7200);
  EXPECT_EQ(stored->permissions_boundary_arn, kAdministratorAccess);
  EXPECT_EQ(stored->tags, (storage::Tags{{"team", "platform"}}));
  auto boundary = policies_.GetPolicy(root_, kAdministratorAccess);
  ASSERT_TRUE(Ok(boundary));
  EXPECT_EQ(boundary->permissions_boundary_usage_count, 1);

  auto plain = service_.CreateRole(root_, RoleRequest("plain"));
  ASSERT_TRUE(Ok(plain));
  EXPECT_EQ(plain->max_session_duration, kDefaultMaxSessionDuration);
  EXPECT_EQ(plain->path, "/");
}

TEST_F(RolesServiceTest, CreateRoleRefusals) {
  MakeRole("taken");
  storage::Tags many_tags;
  for (int i = 0; i < 51; ++i) many_tags.emplace_back("k" + std::to_string(i), "v");
  ASSERT_TRUE(Ok(service_.CreateRole(root_, RoleRequest("exact", "/", TrustPolicyOfSize(2048)))));
  struct Case {
    std::string label;
    CreateRoleRequest request;
    std::string code;
    std::string message;  // Empty = not checked.
  };
  auto with = [](auto change) {
    CreateRoleRequest request = RoleRequest("fresh");
    change(request);
    return request;
  };
  const std::vector<Case> cases = {
      {"taken", RoleRequest("taken"), "EntityAlreadyExists",
       "Role with name taken already exists."},
      {"taken ignoring case", RoleRequest("TAKEN"), "EntityAlreadyExists", ""},
      {"identity policy as trust policy", RoleRequest("fresh", "/", kAllowS3),
       "MalformedPolicyDocument", ""},
      {"not json", RoleRequest("fresh", "/", "{"), "MalformedPolicyDocument", ""},
      {"trust policy too big", RoleRequest("fresh", "/", TrustPolicyOfSize(2049)), "LimitExceeded",
       "Cannot exceed quota for ACLSizePerRole: 2048"},
      {"session too short", with([](CreateRoleRequest& r) { r.max_session_duration = 3599; }),
       "ValidationError", ""},
      {"session too long", with([](CreateRoleRequest& r) { r.max_session_duration = 43201; }),
       "ValidationError", ""},
      {"duplicate tag keys", with([](CreateRoleRequest& r) {
         r.tags = {{"Team", "a"}, {"team", "b"}};
       }),
       "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
      {"too many tags", with([&](CreateRoleRequest& r) { r.tags = many_tags; }), "LimitExceeded",
       "Cannot exceed quota for TagsPerRole: 50"},
      {"boundary not an ARN", with([](CreateRoleRequest& r) { r.permissions_boundary = "admin"; }),
       "InvalidInput", "ARN admin is not valid."},
      {"no such boundary", with([](CreateRoleRequest& r) {
         r.permissions_boundary = "arn:aws:iam::123456789012:policy/Missing";
       }),
       "NoSuchEntity", ""},
  };
  for (const Case& c : cases) {
    auto created = service_.CreateRole(root_, c.request);
    EXPECT_EQ(CodeOf(created), c.code) << c.label << ": " << MessageOf(created);
    if (!c.message.empty()) {
      EXPECT_EQ(MessageOf(created), c.message) << c.label;
    }
  }
  EXPECT_EQ(CodeOf(service_.GetRole(root_, "fresh")), "NoSuchEntity");
  // Another account may use the name.
  EXPECT_TRUE(Ok(service_.CreateRole(other_root_, RoleRequest("taken"))));
}

TEST_F(RolesServiceTest, GetListUpdateAndDelete) {
  auto missing = service_.GetRole(root_, "ghost");
  EXPECT_EQ(CodeOf(missing), "NoSuchEntity");
  EXPECT_EQ(MessageOf(missing), "The role with name ghost cannot be found.");
  for (std::string name : {"e", "d", "c", "b", "a"}) MakeRole(name, name < "c" ? "/x/" : "/");
  MakeRole("z-other", "/y/");

  std::vector<std::string> names;
  storage::PageRequest page{.marker = "", .max_items = 2};
  do {
    auto listed = service_.ListRoles(root_, "", page);
    ASSERT_TRUE(Ok(listed));
    EXPECT_LE(listed->items.size(), 2U);
    for (const auto& role : listed->items) names.push_back(role.role_name);
    page.marker = listed->next_marker;
  } while (!page.marker.empty());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e", "z-other"}));
  auto under_x = service_.ListRoles(root_, "/x/", {});
  ASSERT_TRUE(Ok(under_x));
  ASSERT_EQ(under_x->items.size(), 2U);
  EXPECT_EQ(under_x->items[0].role_name, "a");
  auto others = service_.ListRoles(other_root_, "", {});
  ASSERT_TRUE(Ok(others));
  EXPECT_TRUE(others->items.empty());
  EXPECT_EQ(CodeOf(service_.ListRoles(root_, "", {.marker = "junk", .max_items = 2})),
            "InvalidInput");

  ASSERT_TRUE(Ok(service_.UpdateRole(root_, "a", "first", 10800)));
  auto updated = service_.GetRole(root_, "a");
  ASSERT_TRUE(Ok(updated));
  EXPECT_EQ(updated->description, "first");
  EXPECT_EQ(updated->max_session_duration, 10800);
  ASSERT_TRUE(Ok(service_.UpdateRole(root_, "a", std::nullopt, std::nullopt)));
  auto unchanged = service_.GetRole(root_, "a");
  ASSERT_TRUE(Ok(unchanged));
  EXPECT_EQ(unchanged->description, "first");
  EXPECT_EQ(CodeOf(service_.UpdateRole(root_, "a", std::nullopt, 50000)), "ValidationError");
  EXPECT_EQ(CodeOf(service_.UpdateRole(root_, "ghost", "x", std::nullopt)), "NoSuchEntity");
  auto described = service_.UpdateRoleDescription(root_, "a", "second");
  ASSERT_TRUE(Ok(described));
  EXPECT_EQ(described->description, "second");
  EXPECT_EQ(described->max_session_duration, 10800);
  EXPECT_EQ(CodeOf(service_.UpdateRoleDescription(root_, "ghost", "x")), "NoSuchEntity");

  ASSERT_TRUE(Ok(service_.UpdateAssumeRolePolicy(root_, "a", kTrustAccount)));
  auto trusted = service_.GetRole(root_, "a");
  ASSERT_TRUE(Ok(trusted));
  EXPECT_EQ(trusted->assume_role_policy_document, kTrustAccount);
  EXPECT_EQ(CodeOf(service_.UpdateAssumeRolePolicy(root_, "a", kAllowS3)),
            "MalformedPolicyDocument");
  EXPECT_EQ(CodeOf(service_.UpdateAssumeRolePolicy(root_, "a", TrustPolicyOfSize(3000))),
            "LimitExceeded");
  EXPECT_EQ(CodeOf(service_.UpdateAssumeRolePolicy(root_, "ghost", kTrustEc2)), "NoSuchEntity");

  // DeleteRole refuses while policies remain.
  ASSERT_TRUE(Ok(policies_.AttachPolicy(
      root_, PrincipalName{.kind = storage::PrincipalKind::kRole, .name = "b"},
      kAdministratorAccess)));
  auto attached = service_.DeleteRole(root_, "b");
  EXPECT_EQ(CodeOf(attached), "DeleteConflict");
  EXPECT_EQ(MessageOf(attached), "Cannot delete entity, must detach all policies first.");
  ASSERT_TRUE(Ok(policies_.DetachPolicy(
      root_, PrincipalName{.kind = storage::PrincipalKind::kRole, .name = "b"},
      kAdministratorAccess)));
  ASSERT_TRUE(Ok(policies_.PutInlinePolicy(
      root_, PrincipalName{.kind = storage::PrincipalKind::kRole, .name = "b"}, "inline",
      kAllowS3)));
  auto inline_left = service_.DeleteRole(root_, "b");
  EXPECT_EQ(CodeOf(inline_left), "DeleteConflict");
  EXPECT_EQ(MessageOf(inline_left), "Cannot delete entity, must delete policies first.");
  ASSERT_TRUE(Ok(policies_.DeleteInlinePolicy(
      root_, PrincipalName{.kind = storage::PrincipalKind::kRole, .name = "b"}, "inline")));
  ASSERT_TRUE(Ok(service_.DeleteRole(root_, "b")));
  EXPECT_EQ(CodeOf(service_.GetRole(root_, "b")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.DeleteRole(root_, "b")), "NoSuchEntity");
}

TEST_F(RolesServiceTest, PermissionsBoundary) {
  MakeRole("bounded");
  ASSERT_TRUE(Ok(service_.PutRolePermissionsBoundary(root_, "bounded", kAdministratorAccess)));
  auto role = service_.GetRole(root_, "bounded");
  ASSERT_TRUE(Ok(role));
  EXPECT_EQ(role->permissions_boundary_arn, kAdministratorAccess);
  EXPECT_EQ(CodeOf(service_.PutRolePermissionsBoundary(root_, "bounded", "nope")), "InvalidInput");
  EXPECT_EQ(CodeOf(service_.PutRolePermissionsBoundary(root_, "bounded",
                                                       "arn:aws:iam::aws:policy/Missing")),
            "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.PutRolePermissionsBoundary(root_, "ghost", kAdministratorAccess)),
            "NoSuchEntity");
  ASSERT_TRUE(Ok(service_.DeleteRolePermissionsBoundary(root_, "bounded")));
  auto cleared = service_.GetRole(root_, "bounded");
  ASSERT_TRUE(Ok(cleared));
  EXPECT_TRUE(cleared->permissions_boundary_arn.empty());
}

TEST_F(RolesServiceTest, RoleTags) {
  MakeRole("tagged");
  ASSERT_TRUE(Ok(service_.TagRole(root_, "tagged", {{"Team", "a"}, {"env", "dev"}})));
  // Keys match ignoring case: the new spelling replaces the old tag in place.
  ASSERT_TRUE(Ok(service_.TagRole(root_, "tagged", {{"team", "b"}})));
  auto first = service_.ListRoleTags(root_, "tagged", {.marker = "", .max_items = 1});
  ASSERT_TRUE(Ok(first));
  EXPECT_EQ(first->items, (std::vector<Tag>{{"team", "b"}}));
  auto second =
      service_.ListRoleTags(root_, "tagged", {.marker = first->next_marker, .max_items = 1});
  ASSERT_TRUE(Ok(second));
  EXPECT_EQ(second->items, (std::vector<Tag>{{"env", "dev"}}));
  EXPECT_TRUE(second->next_marker.empty());
  ASSERT_TRUE(Ok(service_.UntagRole(root_, "tagged", {"ENV"})));
  auto rest = service_.ListRoleTags(root_, "tagged", {});
  ASSERT_TRUE(Ok(rest));
  EXPECT_EQ(rest->items, (std::vector<Tag>{{"team", "b"}}));
  storage::Tags many;
  for (int i = 0; i < 50; ++i) many.emplace_back("k" + std::to_string(i), "v");
  auto over = service_.TagRole(root_, "tagged", many);
  EXPECT_EQ(CodeOf(over), "LimitExceeded");
  EXPECT_EQ(CodeOf(service_.TagRole(root_, "tagged", {{"a", "1"}, {"A", "2"}})), "InvalidInput");
  EXPECT_EQ(CodeOf(service_.TagRole(root_, "ghost", {{"a", "1"}})), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.UntagRole(root_, "ghost", {"a"})), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.ListRoleTags(root_, "ghost", {})), "NoSuchEntity");
}

// ---- Service-linked roles

TEST_F(RolesServiceTest, ServiceLinkedRoleLifeCycle) {
  auto role = service_.CreateServiceLinkedRole(root_, "organizations.amazonaws.com", std::nullopt,
                                               std::nullopt);
  ASSERT_TRUE(Ok(role));
  EXPECT_EQ(role->role_name, "AWSServiceRoleForOrganizations");
  EXPECT_EQ(role->path, "/aws-service-role/organizations.amazonaws.com/");
  EXPECT_EQ(role->arn,
            "arn:aws:iam::123456789012:role/aws-service-role/organizations.amazonaws.com/"
            "AWSServiceRoleForOrganizations");
  EXPECT_TRUE(role->role_id.starts_with("AROA"));
  EXPECT_EQ(
      role->assume_role_policy_document,
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"organizations.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
  EXPECT_TRUE(
      Ok(policy::ParsePolicy(role->assume_role_policy_document, policy::PolicyKind::kResource)));
  EXPECT_FALSE(role->description.empty());
  const PrincipalName slr{.kind = storage::PrincipalKind::kRole, .name = role->role_name};
  auto attached = policies_.ListAttachedPolicies(root_, slr, "", {});
  ASSERT_TRUE(Ok(attached));
  ASSERT_EQ(attached->items.size(), 1U);
  EXPECT_EQ(attached->items[0].arn, kOrganizationsTrustPolicy);
  auto policy = policies_.GetPolicy(root_, kOrganizationsTrustPolicy);
  ASSERT_TRUE(Ok(policy));
  EXPECT_EQ(policy->attachment_count, 1);

  // Only the service-linked role operations change it.
  auto taken =
      service_.CreateServiceLinkedRole(root_, "organizations.amazonaws.com", "again", std::nullopt);
  EXPECT_EQ(CodeOf(taken), "InvalidInput");
  EXPECT_EQ(MessageOf(taken),
            "Service role name AWSServiceRoleForOrganizations has been taken in this account, "
            "please try a different suffix.");
  const std::string protected_message =
      "Cannot perform the operation on the protected role 'AWSServiceRoleForOrganizations' - "
      "this role is only modifiable by AWS";
  auto deleted = service_.DeleteRole(root_, role->role_name);
  EXPECT_EQ(CodeOf(deleted), "UnmodifiableEntity");
  EXPECT_EQ(MessageOf(deleted), protected_message);
  EXPECT_EQ(CodeOf(service_.UpdateAssumeRolePolicy(root_, role->role_name, kTrustEc2)),
            "UnmodifiableEntity");
  EXPECT_EQ(
      CodeOf(service_.PutRolePermissionsBoundary(root_, role->role_name, kAdministratorAccess)),
      "UnmodifiableEntity");
  EXPECT_EQ(CodeOf(policies_.AttachPolicy(root_, slr, kAdministratorAccess)), "UnmodifiableEntity");
  EXPECT_EQ(CodeOf(policies_.DetachPolicy(root_, slr, kOrganizationsTrustPolicy)),
            "UnmodifiableEntity");
  EXPECT_EQ(CodeOf(policies_.PutInlinePolicy(root_, slr, "p", kAllowS3)), "UnmodifiableEntity");
  // Another account has its own.
  ASSERT_TRUE(Ok(service_.CreateServiceLinkedRole(other_root_, "organizations.amazonaws.com",
                                                  std::nullopt, std::nullopt)));

  auto task = service_.DeleteServiceLinkedRole(root_, "AWSServiceRoleForOrganizations");
  ASSERT_TRUE(Ok(task));
  EXPECT_TRUE(std::regex_match(
      *task, std::regex("task/aws-service-role/organizations\\.amazonaws\\.com/"
                        "AWSServiceRoleForOrganizations/"
                        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << *task;
  EXPECT_EQ(CodeOf(service_.GetRole(root_, "AWSServiceRoleForOrganizations")), "NoSuchEntity");
  auto status = service_.GetServiceLinkedRoleDeletionStatus(root_, *task);
  ASSERT_TRUE(Ok(status));
  EXPECT_EQ(*status, DeletionStatus::kSucceeded);
  EXPECT_EQ(DeletionStatusName(*status), "SUCCEEDED");
  EXPECT_EQ(CodeOf(service_.GetServiceLinkedRoleDeletionStatus(other_root_, *task)),
            "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.GetServiceLinkedRoleDeletionStatus(root_, "not-a-task")),
            "InvalidInput");
  auto after = policies_.GetPolicy(root_, kOrganizationsTrustPolicy);
  ASSERT_TRUE(Ok(after));
  EXPECT_EQ(after->attachment_count, 0);
  auto others = policies_.GetPolicy(other_root_, kOrganizationsTrustPolicy);
  ASSERT_TRUE(Ok(others));
  EXPECT_EQ(others->attachment_count, 1);
  // It can be created again.
  EXPECT_TRUE(Ok(service_.CreateServiceLinkedRole(root_, "organizations.amazonaws.com",
                                                  std::nullopt, std::nullopt)));
}

TEST_F(RolesServiceTest, ServiceLinkedRoleRefusals) {
  EXPECT_EQ(CodeOf(service_.CreateServiceLinkedRole(root_, "nosuch.amazonaws.com", std::nullopt,
                                                    std::nullopt)),
            "InvalidInput");
  auto suffix =
      service_.CreateServiceLinkedRole(root_, "organizations.amazonaws.com", std::nullopt, "mine");
  EXPECT_EQ(CodeOf(suffix), "InvalidInput");
  EXPECT_EQ(MessageOf(suffix), "Custom suffix is not allowed for organizations.amazonaws.com");
  MakeRole("ordinary");
  EXPECT_EQ(CodeOf(service_.DeleteServiceLinkedRole(root_, "ordinary")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.DeleteServiceLinkedRole(root_, "ghost")), "NoSuchEntity");
  for (std::string_view service_name :
       {"sso.amazonaws.com", "cloudtrail.amazonaws.com", "access-analyzer.amazonaws.com",
        "guardduty.amazonaws.com", "securityhub.amazonaws.com", "trustedadvisor.amazonaws.com"}) {
    auto role = service_.CreateServiceLinkedRole(root_, service_name, std::nullopt, std::nullopt);
    EXPECT_TRUE(Ok(role)) << service_name;
  }
  // Without the AWS managed policies installed, nothing is left behind.
  auto bare_db = storage::MakeMemoryDatabase();
  ASSERT_TRUE(Ok(bare_db->CreateAccount(storage::Account{.id = std::string(kAccount),
                                                         .name = "bare",
                                                         .email = "bare@example.com",
                                                         .created = kNow,
                                                         .root_password_hash = {}},
                                        {})));
  IamContext bare_context{*bare_db, *bare_db, random_, clock_, {}};
  RolesService bare(bare_context);
  EXPECT_EQ(CodeOf(bare.CreateServiceLinkedRole(root_, "organizations.amazonaws.com", std::nullopt,
                                                std::nullopt)),
            "NoSuchEntity");
  EXPECT_EQ(CodeOf(bare.GetRole(root_, "AWSServiceRoleForOrganizations")), "NoSuchEntity");
}

// ---- Binding of rows to documents

class RolesOperationsTest : public RolesServiceTest {
 protected:
  void SetUp() override {
    RolesServiceTest::SetUp();
    AddRolesOperations(service_, rows_);
  }

  const OperationRow& Row(std::string_view name) {
    for (const OperationRow& row : rows_) {
      if (row.name == name) return row;
    }
    ADD_FAILURE() << "no row " << name;
    return rows_.front();
  }

  Result<json::object> Run(std::string_view name, const json::object& input) {
    RequestContext context{
        .principal = root_, .region = "us-east-1", .request_id = "r", .now = kNow};
    auto output = Row(name).handler(context, input);
    if (!output) return Fail(output.error());
    if (!output->is_object()) return Fail("Test", "output is not an object");
    return output->get_object();
  }

  std::string Resource(std::string_view name, const json::object& input) {
    RequestContext context{
        .principal = root_, .region = "us-east-1", .request_id = "r", .now = kNow};
    return Row(name).resource(context, input);
  }

  std::vector<OperationRow> rows_;
};

TEST_F(RolesOperationsTest, RowsNameTheirIamActions) {
  std::set<std::string> names;
  for (const OperationRow& row : rows_) {
    EXPECT_EQ(row.iam_action, "iam:" + std::string(row.name));
    EXPECT_TRUE(names.insert(std::string(row.name)).second) << row.name;
  }
  for (std::string_view name :
       {"CreateRole", "GetRole", "ListRoles", "UpdateRole", "UpdateRoleDescription", "DeleteRole",
        "UpdateAssumeRolePolicy", "TagRole", "UntagRole", "ListRoleTags", "CreateServiceLinkedRole",
        "DeleteServiceLinkedRole", "GetServiceLinkedRoleDeletionStatus",
        "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary"}) {
    EXPECT_TRUE(names.contains(std::string(name))) << name;
  }
}

TEST_F(RolesOperationsTest, RoleDocuments) {
  auto created =
      Run("CreateRole", {{"RoleName", "web"},
                         {"Path", "/svc/"},
                         {"AssumeRolePolicyDocument", kTrustEc2},
                         {"Description", "web tier"},
                         {"MaxSessionDuration", 7200},
                         {"Tags", json::array{json::object{{"Key", "k"}, {"Value", "v"}}}}});
  ASSERT_TRUE(Ok(created));
  const json::object& role = created->at("Role").as_object();
  EXPECT_EQ(role.at("RoleName").as_string(), "web");
  EXPECT_EQ(role.at("Path").as_string(), "/svc/");
  EXPECT_EQ(role.at("Arn").as_string(), "arn:aws:iam::123456789012:role/svc/web");
  EXPECT_TRUE(role.at("RoleId").as_string().starts_with("AROA"));
  EXPECT_EQ(role.at("CreateDate").as_int64(), 1'800'000'000);
  EXPECT_EQ(role.at("AssumeRolePolicyDocument").as_string(), PercentEncode(kTrustEc2));
  EXPECT_EQ(role.at("Description").as_string(), "web tier");
  EXPECT_EQ(role.at("MaxSessionDuration").as_int64(), 7200);
  EXPECT_EQ(json::serialize(role.at("Tags")), R"([{"Key":"k","Value":"v"}])");
  EXPECT_FALSE(role.contains("RoleLastUsed"));
  EXPECT_EQ(Resource("CreateRole", {{"RoleName", "web"}, {"Path", "/svc/"}}),
            "arn:aws:iam::123456789012:role/svc/web");

  auto got = Run("GetRole", {{"RoleName", "web"}});
  ASSERT_TRUE(Ok(got));
  EXPECT_TRUE(got->at("Role").as_object().at("RoleLastUsed").as_object().empty());
  EXPECT_EQ(Resource("GetRole", {{"RoleName", "web"}}), "arn:aws:iam::123456789012:role/svc/web");
  EXPECT_EQ(Resource("GetRole", {{"RoleName", "ghost"}}), "arn:aws:iam::123456789012:role/ghost");
  EXPECT_EQ(Resource("ListRoles", {}), "arn:aws:iam::123456789012:role/");

  auto listed = Run("ListRoles", {{"MaxItems", 10}});
  ASSERT_TRUE(Ok(listed));
  ASSERT_EQ(listed->at("Roles").as_array().size(), 1U);
  const json::object& item = listed->at("Roles").as_array()[0].as_object();
  EXPECT_FALSE(item.contains("Tags"));
  EXPECT_FALSE(item.contains("RoleLastUsed"));
  EXPECT_EQ(item.at("MaxSessionDuration").as_int64(), 7200);
  EXPECT_EQ(listed->at("IsTruncated").as_bool(), false);

  auto described = Run("UpdateRoleDescription", {{"RoleName", "web"}, {"Description", "new"}});
  ASSERT_TRUE(Ok(described));
  EXPECT_EQ(described->at("Role").as_object().at("Description").as_string(), "new");
  auto updated = Run("UpdateRole", {{"RoleName", "web"}, {"MaxSessionDuration", 3600}});
  ASSERT_TRUE(Ok(updated));
  EXPECT_TRUE(updated->empty());
  auto tags = Run("ListRoleTags", {{"RoleName", "web"}});
  ASSERT_TRUE(Ok(tags));
  EXPECT_EQ(json::serialize(tags->at("Tags")), R"([{"Key":"k","Value":"v"}])");
  EXPECT_EQ(tags->at("IsTruncated").as_bool(), false);
  EXPECT_EQ(CodeOf(Run("GetRole", {{"RoleName", "ghost"}})), "NoSuchEntity");
}

TEST_F(RolesOperationsTest, ServiceLinkedRoleDocuments) {
  EXPECT_EQ(
      Resource("CreateServiceLinkedRole", {{"AWSServiceName", "organizations.amazonaws.com"}}),
      "arn:aws:iam::123456789012:role/aws-service-role/organizations.amazonaws.com/"
      "AWSServiceRoleForOrganizations");
  EXPECT_EQ(Resource("CreateServiceLinkedRole", {{"AWSServiceName", "nosuch.amazonaws.com"}}), "*");
  auto created =
      Run("CreateServiceLinkedRole", {{"AWSServiceName", "organizations.amazonaws.com"}});
  ASSERT_TRUE(Ok(created));
  EXPECT_EQ(created->at("Role").as_object().at("RoleName").as_string(),
            "AWSServiceRoleForOrganizations");
  auto deleted = Run("DeleteServiceLinkedRole", {{"RoleName", "AWSServiceRoleForOrganizations"}});
  ASSERT_TRUE(Ok(deleted));
  const std::string task(deleted->at("DeletionTaskId").as_string());
  EXPECT_TRUE(task.starts_with(
      "task/aws-service-role/organizations.amazonaws.com/AWSServiceRoleForOrganizations/"));
  EXPECT_EQ(Resource("GetServiceLinkedRoleDeletionStatus", {{"DeletionTaskId", task}}),
            "arn:aws:iam::123456789012:role/aws-service-role/organizations.amazonaws.com/"
            "AWSServiceRoleForOrganizations");
  auto status = Run("GetServiceLinkedRoleDeletionStatus", {{"DeletionTaskId", task}});
  ASSERT_TRUE(Ok(status));
  EXPECT_EQ(json::serialize(*status), R"({"Status":"SUCCEEDED"})");
}

}  // namespace
}  // namespace fulcrum::services::iam
