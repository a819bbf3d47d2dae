#include "services/iam/policies.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/encoding.h"
#include "common/secret_box.h"
#include "common/time_format.h"
#include "services/iam/managed_catalogue.h"
#include "services/iam/roles.h"
#include "storage/memory/memory_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kOtherAccount = "210987654321";
constexpr std::string_view kAdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";
constexpr std::string_view kReadOnlyAccess = "arn:aws:iam::aws:policy/ReadOnlyAccess";
constexpr std::string_view kAllowAll =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
constexpr std::string_view kAllowS3 =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
constexpr std::string_view kTrustEc2 =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";

// "" on success, else the error code.
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

// An identity policy of about `size` characters (not counting white space).
std::string PolicyOfSize(size_t size) {
  const std::string head = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")";
  const std::string tail = R"(","Resource":"*"}]})";
  std::string action = "s3:Get";
  action.append(size - head.size() - tail.size() - action.size(), 'X');
  return head + action + tail;
}

ListPoliciesRequest Listing(storage::PolicyScope scope, bool only_attached = false,
                            std::string path_prefix = "") {
  return ListPoliciesRequest{.scope = scope,
                             .only_attached = only_attached,
                             .path_prefix = std::move(path_prefix),
                             .usage = std::nullopt};
}

PrincipalName User(std::string name) {
  return PrincipalName{.kind = storage::PrincipalKind::kUser, .name = std::move(name)};
}
PrincipalName Group(std::string name) {
  return PrincipalName{.kind = storage::PrincipalKind::kGroup, .name = std::move(name)};
}
PrincipalName Role(std::string name) {
  return PrincipalName{.kind = storage::PrincipalKind::kRole, .name = std::move(name)};
}

class PoliciesServiceTest : public ::testing::Test {
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
    ASSERT_TRUE(Ok(service_.InstallAwsManagedPolicies()));
    AddUser(kAccount, "alice", "/staff/");
    AddUser(kAccount, "bob", "/");
    AddUser(kOtherAccount, "carol", "/");
    ASSERT_TRUE(Ok(db_->CreateGroup(storage::Group{.account_id = std::string(kAccount),
                                                   .group_id = "AGPAGROUPGROUPGROUP01",
                                                   .group_name = "devs",
                                                   .path = "/",
                                                   .arn = "arn:aws:iam::123456789012:group/devs",
                                                   .created = kNow})));
    ASSERT_TRUE(Ok(roles_.CreateRole(
        root_, CreateRoleRequest{.role_name = "app",
                                 .path = "/apps/",
                                 .assume_role_policy_document = std::string(kTrustEc2),
                                 .description = {},
                                 .max_session_duration = std::nullopt,
                                 .permissions_boundary = {},
                                 .tags = {}})));
  }

  void AddUser(std::string_view account_id, std::string name, std::string path) {
    storage::User user{.account_id = std::string(account_id),
                       .user_id = "AIDA" + std::string(17 - name.size(), 'X') + name,
                       .user_name = name,
                       .path = path,
                       .arn = "arn:aws:iam::" + std::string(account_id) + ":user" + path + name,
                       .created = kNow,
                       .permissions_boundary_arn = {},
                       .tags = {},
                       .password_last_used = std::nullopt};
    ASSERT_TRUE(Ok(db_->CreateUser(user)));
  }

  storage::ManagedPolicy MakePolicy(std::string name, std::string path = "/",
                                    std::string_view document = kAllowS3) {
    auto policy =
        service_.CreatePolicy(root_, CreatePolicyRequest{.policy_name = std::move(name),
                                                         .path = std::move(path),
                                                         .policy_document = std::string(document),
                                                         .description = {},
                                                         .tags = {}});
    EXPECT_TRUE(Ok(policy));
    return policy.value_or(storage::ManagedPolicy{});
  }

  int64_t AttachmentCount(std::string_view policy_arn, const Principal& caller) {
    auto policy = service_.GetPolicy(caller, policy_arn);
    EXPECT_TRUE(Ok(policy));
    return policy ? policy->attachment_count : -1;
  }

  static constexpr TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

  FixedClock clock_{kNow};
  SeededRandom random_{7};
  std::unique_ptr<storage::Database> db_ = storage::MakeMemoryDatabase();
  IamContext context_{*db_, *db_, random_, clock_, {}};
  PoliciesService service_{context_};
  RolesService roles_{context_};
  Principal root_ = RootOf(kAccount);
  Principal other_root_ = RootOf(kOtherAccount);
};

// ---- The AWS managed catalogue

TEST(ManagedCatalogueTest, HoldsTheRequiredPoliciesWithTheirRealDocuments) {
  const auto& catalogue = AwsManagedPolicies();
  ASSERT_TRUE(Ok(catalogue));
  const std::vector<std::string> required = {
      "arn:aws:iam::aws:policy/AdministratorAccess",
      "arn:aws:iam::aws:policy/PowerUserAccess",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
      "arn:aws:iam::aws:policy/IAMFullAccess",
      "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
      "arn:aws:iam::aws:policy/SecurityAudit",
      "arn:aws:iam::aws:policy/job-function/Billing",
      "arn:aws:iam::aws:policy/AWSOrganizationsFullAccess",
      "arn:aws:iam::aws:policy/AWSOrganizationsReadOnlyAccess",
      "arn:aws:iam::aws:policy/job-function/SupportUser",
  };
  for (const std::string& arn : required) {
    EXPECT_NE(FindAwsManagedPolicy(arn), nullptr) << arn;
  }
  const AwsManagedPolicy* admin = FindAwsManagedPolicy(kAdministratorAccess);
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(
      admin->document,
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})");
  EXPECT_EQ(admin->policy_id, "ANPAIWMBCKSKIEE64ZLYK");
  EXPECT_EQ(admin->version_id, "v1");
  EXPECT_EQ(admin->path, "/");
  EXPECT_EQ(FormatIso8601(admin->created), "2015-02-06T18:39:46Z");
  EXPECT_EQ(admin->description, "Provides full access to AWS services and resources.");

  const AwsManagedPolicy* billing =
      FindAwsManagedPolicy("arn:aws:iam::aws:policy/job-function/Billing");
  ASSERT_NE(billing, nullptr);
  EXPECT_EQ(billing->path, "/job-function/");
  EXPECT_EQ(billing->policy_name, "Billing");
  // The big ones are there whole.
  const AwsManagedPolicy* read_only = FindAwsManagedPolicy(kReadOnlyAccess);
  ASSERT_NE(read_only, nullptr);
  EXPECT_GT(read_only->document.size(), 50'000U);
  EXPECT_NE(read_only->document.find("\"iam:Get*\""), std::string::npos);
  EXPECT_EQ(FindAwsManagedPolicy("arn:aws:iam::aws:policy/NoSuchPolicy"), nullptr);
}

TEST(ManagedCatalogueTest, EveryDocumentIsAValidIdentityPolicy) {
  const auto& catalogue = AwsManagedPolicies();
  ASSERT_TRUE(Ok(catalogue));
  std::set<std::string> ids;
  for (const AwsManagedPolicy& policy : *catalogue) {
    EXPECT_TRUE(Ok(policy::ParsePolicy(policy.document, policy::PolicyKind::kIdentity)))
        << policy.arn;
    EXPECT_TRUE(policy.policy_id.starts_with("ANPA")) << policy.arn;
    EXPECT_EQ(policy.policy_id.size(), 21U) << policy.arn;
    EXPECT_TRUE(ids.insert(policy.policy_id).second) << policy.arn;
    EXPECT_LE(policy.created, policy.updated) << policy.arn;
  }
}

TEST(ManagedCatalogueTest, ParseRefusesMalformedFiles) {
  const std::vector<std::string> bad = {
      "not json",
      R"({"PolicyName":"X"})",
      R"({"PolicyName":"X","PolicyId":"ANPAXXXXXXXXXXXXXXXXX","Arn":"arn:aws:iam::aws:policy/Y","Path":"/","DefaultVersionId":"v1","CreateDate":"2015-02-06T18:39:46Z","UpdateDate":"2015-02-06T18:39:46Z","Document":{}})",
      R"({"PolicyName":"X","PolicyId":"ANPAXXXXXXXXXXXXXXXXX","Arn":"arn:aws:iam::aws:policy/X","Path":"/","DefaultVersionId":"v1","CreateDate":"yesterday","UpdateDate":"2015-02-06T18:39:46Z","Document":{}})",
      R"({"PolicyName":"X","PolicyId":"ANPAXXXXXXXXXXXXXXXXX","Arn":"arn:aws:iam::aws:policy/X","Path":"/","DefaultVersionId":"v1","CreateDate":"2015-02-06T18:39:46Z","UpdateDate":"2015-02-06T18:39:46Z","Document":"{}"})",
  };
  for (const std::string& text : bad) {
    EXPECT_EQ(CodeOf(ParseAwsManagedPolicy(text)), "InvalidInput") << text;
  }
  auto good = ParseAwsManagedPolicy(
      R"({"PolicyName":"X","PolicyId":"ANPAXXXXXXXXXXXXXXXXX","Arn":"arn:aws:iam::aws:policy/a/X","Path":"/a/","DefaultVersionId":"v3","CreateDate":"2015-02-06T18:39:46Z","UpdateDate":"2016-02-06T18:39:46Z","Document":{"Version": "2012-10-17", "Statement": []}})");
  ASSERT_TRUE(Ok(good));
  EXPECT_EQ(good->document, R"({"Version":"2012-10-17","Statement":[]})");
  EXPECT_EQ(good->version_id, "v3");
  EXPECT_TRUE(good->is_attachable);
}

TEST_F(PoliciesServiceTest, AwsManagedPoliciesReadAsAwsHasThem) {
  // Installing again changes nothing.
  ASSERT_TRUE(Ok(service_.InstallAwsManagedPolicies()));

  auto admin = service_.GetPolicy(root_, kAdministratorAccess);
  ASSERT_TRUE(Ok(admin));
  EXPECT_EQ(admin->policy_id, "ANPAIWMBCKSKIEE64ZLYK");
  EXPECT_EQ(admin->default_version_id, "v1");
  EXPECT_EQ(admin->description, "Provides full access to AWS services and resources.");
  EXPECT_TRUE(admin->account_id.empty());

  const AwsManagedPolicy* entry = FindAwsManagedPolicy(kReadOnlyAccess);
  ASSERT_NE(entry, nullptr);
  auto read_only = service_.GetPolicy(root_, kReadOnlyAccess);
  ASSERT_TRUE(Ok(read_only));
  EXPECT_EQ(read_only->default_version_id, entry->version_id);
  EXPECT_NE(read_only->default_version_id, "v1");
  EXPECT_EQ(read_only->created, entry->created);
  EXPECT_EQ(read_only->updated, entry->updated);

  auto version = service_.GetPolicyVersion(root_, kReadOnlyAccess, entry->version_id);
  ASSERT_TRUE(Ok(version));
  EXPECT_EQ(version->document, entry->document);
  EXPECT_EQ(version->version_id, entry->version_id);
  EXPECT_TRUE(version->is_default);
  EXPECT_EQ(version->created, entry->updated);
  EXPECT_EQ(CodeOf(service_.GetPolicyVersion(root_, kReadOnlyAccess, "v1")), "NoSuchEntity");

  auto versions = service_.ListPolicyVersions(root_, kReadOnlyAccess, {});
  ASSERT_TRUE(Ok(versions));
  ASSERT_EQ(versions->items.size(), 1U);
  EXPECT_EQ(versions->items[0].version_id, entry->version_id);

  // AWS managed policies cannot be changed by an account.
  EXPECT_EQ(CodeOf(service_.DeletePolicy(root_, kAdministratorAccess)), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.CreatePolicyVersion(root_, kAdministratorAccess, kAllowS3, true)),
            "NoSuchEntity");
}

TEST_F(PoliciesServiceTest, InstallReplacesAnOutdatedDocument) {
  auto db = storage::MakeMemoryDatabase();
  const AwsManagedPolicy* entry = FindAwsManagedPolicy(kReadOnlyAccess);
  ASSERT_NE(entry, nullptr);
  storage::ManagedPolicy old{.arn = entry->arn,
                             .policy_id = entry->policy_id,
                             .policy_name = entry->policy_name,
                             .path = entry->path,
                             .account_id = "",
                             .description = "",
                             .created = entry->created,
                             .updated = entry->created,
                             .default_version_id = "v1",
                             .attachment_count = 0,
                             .permissions_boundary_usage_count = 0,
                             .is_attachable = true,
                             .tags = {}};
  ASSERT_TRUE(Ok(db->CreatePolicy(old, kAllowS3)));
  ASSERT_TRUE(Ok(InstallAwsManagedPolicies(*db)));
  auto stored = db->GetPolicy("", entry->arn);
  ASSERT_TRUE(Ok(stored));
  ASSERT_TRUE(stored->has_value());
  auto versions = db->ListPolicyVersions("", entry->arn, {});
  ASSERT_TRUE(Ok(versions));
  ASSERT_EQ(versions->items.size(), 1U);
  EXPECT_EQ(versions->items[0].version_id, (*stored)->default_version_id);
  EXPECT_EQ(versions->items[0].document, entry->document);
}

TEST(ManagedCatalogueSqliteTest, InstallsOnceIntoADurableStore) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("fulcrum-catalogue-" +
       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  ASSERT_TRUE(std::filesystem::create_directories(dir));
  {
    auto db = storage::OpenSqliteDatabase(dir / "fulcrum.db",
                                          SecretBox(std::string(SecretBox::kKeySize, 'k')));
    ASSERT_TRUE(Ok(db));
    const auto first_start = std::chrono::steady_clock::now();
    ASSERT_TRUE(Ok(InstallAwsManagedPolicies(**db)));
    const auto later_start = std::chrono::steady_clock::now();
    ASSERT_TRUE(Ok(InstallAwsManagedPolicies(**db)));
    const auto done = std::chrono::steady_clock::now();
    RecordProperty("first_install_ms",
                   static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        later_start - first_start)
                                        .count()));
    RecordProperty(
        "later_install_ms",
        static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(done - later_start).count()));

    FixedClock clock{TimePoint(std::chrono::seconds(1'800'000'000))};
    SeededRandom random{3};
    IamContext context{**db, **db, random, clock, {}};
    PoliciesService service(context);
    const AwsManagedPolicy* entry = FindAwsManagedPolicy(kReadOnlyAccess);
    ASSERT_NE(entry, nullptr);
    auto policy = service.GetPolicy(RootOf(kAccount), kReadOnlyAccess);
    ASSERT_TRUE(Ok(policy));
    EXPECT_EQ(policy->default_version_id, entry->version_id);
    auto version = service.GetPolicyVersion(RootOf(kAccount), kReadOnlyAccess, entry->version_id);
    ASSERT_TRUE(Ok(version));
    EXPECT_EQ(version->document, entry->document);
  }
  std::filesystem::remove_all(dir);
}

TEST_F(PoliciesServiceTest, ListPoliciesByScopeWithEachAccountsCounts) {
  const storage::ManagedPolicy local = MakePolicy("LocalPolicy");
  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, User("alice"), kAdministratorAccess)));
  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, Group("devs"), kAdministratorAccess)));

  auto all_aws = [&](const Principal& caller, const ListPoliciesRequest& request) {
    std::vector<storage::ManagedPolicy> policies;
    storage::PageRequest page{.marker = "", .max_items = 7};
    do {
      auto listed = service_.ListPolicies(caller, request, page);
      EXPECT_TRUE(Ok(listed));
      if (!listed) break;
      EXPECT_LE(listed->items.size(), 7U);
      policies.insert(policies.end(), listed->items.begin(), listed->items.end());
      page.marker = listed->next_marker;
    } while (!page.marker.empty());
    return policies;
  };

  const auto aws = all_aws(root_, Listing(storage::PolicyScope::kAws));
  ASSERT_TRUE(Ok(AwsManagedPolicies()));
  EXPECT_EQ(aws.size(), AwsManagedPolicies()->size());
  std::set<std::string> seen;
  for (const auto& policy : aws) {
    EXPECT_TRUE(seen.insert(policy.arn).second) << policy.arn;
    EXPECT_TRUE(policy.account_id.empty());
    const int64_t expected = policy.arn == kAdministratorAccess ? 2 : 0;
    EXPECT_EQ(policy.attachment_count, expected) << policy.arn;
    if (policy.arn == kReadOnlyAccess) {
      EXPECT_EQ(policy.default_version_id, FindAwsManagedPolicy(kReadOnlyAccess)->version_id);
    }
  }
  // The other account sees the same policies with its own counts.
  for (const auto& policy : all_aws(other_root_, Listing(storage::PolicyScope::kAws))) {
    EXPECT_EQ(policy.attachment_count, 0) << policy.arn;
  }

  const auto mine = all_aws(root_, Listing(storage::PolicyScope::kLocal));
  ASSERT_EQ(mine.size(), 1U);
  EXPECT_EQ(mine[0].arn, local.arn);
  EXPECT_TRUE(all_aws(other_root_, Listing(storage::PolicyScope::kLocal)).empty());

  const auto attached = all_aws(root_, Listing(storage::PolicyScope::kAll, true));
  ASSERT_EQ(attached.size(), 1U);
  EXPECT_EQ(attached[0].arn, kAdministratorAccess);

  const auto job_functions =
      all_aws(root_, Listing(storage::PolicyScope::kAll, false, "/job-function/"));
  std::set<std::string> names;
  for (const auto& policy : job_functions) names.insert(policy.policy_name);
  EXPECT_TRUE(names.contains("Billing"));
  EXPECT_TRUE(names.contains("ViewOnlyAccess"));
  EXPECT_FALSE(names.contains("AdministratorAccess"));

  EXPECT_EQ(CodeOf(service_.ListPolicies(root_, {}, {.marker = "bogus", .max_items = 10})),
            "InvalidInput");
}

// ---- Customer managed policies

TEST_F(PoliciesServiceTest, CreatePolicyReturnsWhatAwsReturns) {
  auto policy =
      service_.CreatePolicy(root_, CreatePolicyRequest{.policy_name = "S3Reader",
                                                       .path = "/team/",
                                                       .policy_document = std::string(kAllowS3),
                                                       .description = "Reads S3",
                                                       .tags = {{"team", "data"}}});
  ASSERT_TRUE(Ok(policy));
  EXPECT_EQ(policy->arn, "arn:aws:iam::123456789012:policy/team/S3Reader");
  EXPECT_TRUE(policy->policy_id.starts_with("ANPA"));
  EXPECT_EQ(policy->policy_id.size(), 21U);
  EXPECT_EQ(policy->default_version_id, "v1");
  EXPECT_EQ(policy->created, kNow);
  EXPECT_EQ(policy->updated, kNow);

  auto stored = service_.GetPolicy(root_, policy->arn);
  ASSERT_TRUE(Ok(stored));
  EXPECT_EQ(stored->description, "Reads S3");
  EXPECT_EQ(stored->tags, (storage::Tags{{"team", "data"}}));
  auto version = service_.GetPolicyVersion(root_, policy->arn, "v1");
  ASSERT_TRUE(Ok(version));
  EXPECT_EQ(version->document, kAllowS3);
  EXPECT_TRUE(version->is_default);
}

TEST_F(PoliciesServiceTest, CreatePolicyRefusals) {
  MakePolicy("Taken");
  storage::Tags many_tags;
  for (int i = 0; i < 51; ++i) many_tags.emplace_back("k" + std::to_string(i), "v");
  // White space does not count against the quota.
  std::string spaced = PolicyOfSize(6000);
  spaced.insert(1, 1000, ' ');
  ASSERT_TRUE(Ok(service_.CreatePolicy(root_, {.policy_name = "Spacious",
                                               .path = "/",
                                               .policy_document = spaced,
                                               .description = {},
                                               .tags = {}})));
  ASSERT_TRUE(Ok(service_.CreatePolicy(root_, {.policy_name = "Exact",
                                               .path = "/",
                                               .policy_document = PolicyOfSize(6144),
                                               .description = {},
                                               .tags = {}})));
  struct Case {
    std::string name;
    std::string document;
    storage::Tags tags;
    std::string code;
    std::string message;  // Empty = not checked.
  };
  const std::vector<Case> cases = {
      {"Taken",
       std::string(kAllowS3),
       {},
       "EntityAlreadyExists",
       "A policy called Taken already exists. Duplicate names are not allowed."},
      {"TAKEN", std::string(kAllowS3), {}, "EntityAlreadyExists", ""},
      {"Broken", "{not json", {}, "MalformedPolicyDocument", ""},
      {"NoVersion",
       R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
       {},
       "MalformedPolicyDocument",
       std::string(policy::kManagedPolicyVersionMessage)},
      {"OldVersion",
       R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
       {},
       "MalformedPolicyDocument",
       std::string(policy::kManagedPolicyVersionMessage)},
      {"WithPrincipal",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})",
       {},
       "MalformedPolicyDocument",
       ""},
      {"NoEffect",
       R"({"Version":"2012-10-17","Statement":[{"Action":"*","Resource":"*"}]})",
       {},
       "MalformedPolicyDocument",
       ""},
      {"TooBig",
       PolicyOfSize(6145),
       {},
       "LimitExceeded",
       "Cannot exceed quota for PolicySize: 6144"},
      {"DuplicateTags", std::string(kAllowS3), {{"a", "1"}, {"a", "2"}}, "InvalidInput", ""},
      {"ManyTags", std::string(kAllowS3), many_tags, "LimitExceeded",
       "Cannot exceed quota for TagsPerPolicy: 50"},
  };
  for (const Case& c : cases) {
    auto created = service_.CreatePolicy(root_, {.policy_name = c.name,
                                                 .path = "/",
                                                 .policy_document = c.document,
                                                 .description = {},
                                                 .tags = c.tags});
    EXPECT_EQ(CodeOf(created), c.code) << c.name << ": " << MessageOf(created);
    if (!c.message.empty()) {
      EXPECT_EQ(MessageOf(created), c.message) << c.name;
    }
  }
  // Another account may use the name.
  EXPECT_TRUE(Ok(service_.CreatePolicy(other_root_, {.policy_name = "Taken",
                                                     .path = "/",
                                                     .policy_document = std::string(kAllowS3),
                                                     .description = {},
                                                     .tags = {}})));
}

TEST_F(PoliciesServiceTest, GetPolicyRefusals) {
  const storage::ManagedPolicy mine = MakePolicy("Mine");
  EXPECT_EQ(CodeOf(service_.GetPolicy(root_, "not-an-arn")), "InvalidInput");
  EXPECT_EQ(MessageOf(service_.GetPolicy(root_, "not-an-arn")), "ARN not-an-arn is not valid.");
  const std::string missing = "arn:aws:iam::123456789012:policy/Missing";
  EXPECT_EQ(CodeOf(service_.GetPolicy(root_, missing)), "NoSuchEntity");
  EXPECT_EQ(MessageOf(service_.GetPolicy(root_, missing)),
            "Policy arn:aws:iam::123456789012:policy/Missing was not found.");
  // Another account's policy is not visible.
  EXPECT_EQ(CodeOf(service_.GetPolicy(other_root_, mine.arn)), "NoSuchEntity");
}

TEST_F(PoliciesServiceTest, VersionRules) {
  const storage::ManagedPolicy policy = MakePolicy("Versioned");
  clock_.Advance(std::chrono::hours(1));
  auto v2 = service_.CreatePolicyVersion(root_, policy.arn, kAllowAll, false);
  ASSERT_TRUE(Ok(v2));
  EXPECT_EQ(v2->version_id, "v2");
  EXPECT_FALSE(v2->is_default);
  EXPECT_EQ(v2->created, kNow + std::chrono::hours(1));
  auto v3 = service_.CreatePolicyVersion(root_, policy.arn, kAllowAll, true);
  ASSERT_TRUE(Ok(v3));
  EXPECT_TRUE(v3->is_default);
  auto stored = service_.GetPolicy(root_, policy.arn);
  ASSERT_TRUE(Ok(stored));
  EXPECT_EQ(stored->default_version_id, "v3");
  EXPECT_EQ(stored->updated, kNow + std::chrono::hours(1));
  ASSERT_TRUE(Ok(service_.CreatePolicyVersion(root_, policy.arn, kAllowS3, false)));
  ASSERT_TRUE(Ok(service_.CreatePolicyVersion(root_, policy.arn, kAllowS3, false)));

  // At most five versions.
  auto sixth = service_.CreatePolicyVersion(root_, policy.arn, kAllowS3, false);
  EXPECT_EQ(CodeOf(sixth), "LimitExceeded");
  EXPECT_EQ(MessageOf(sixth),
            "A managed policy can have up to 5 versions. Before you create a new version, you "
            "must delete an existing version.");
  EXPECT_EQ(CodeOf(service_.CreatePolicyVersion(root_, policy.arn, "{", false)),
            "MalformedPolicyDocument");
  EXPECT_EQ(CodeOf(service_.CreatePolicyVersion(root_, policy.arn, PolicyOfSize(7000), false)),
            "LimitExceeded");
  EXPECT_EQ(CodeOf(service_.CreatePolicyVersion(root_, "arn:aws:iam::123456789012:policy/Nope",
                                                kAllowS3, false)),
            "NoSuchEntity");

  // Newest first, with pages.
  std::vector<std::string> ids;
  storage::PageRequest page{.marker = "", .max_items = 2};
  do {
    auto listed = service_.ListPolicyVersions(root_, policy.arn, page);
    ASSERT_TRUE(Ok(listed));
    for (const auto& version : listed->items) ids.push_back(version.version_id);
    page.marker = listed->next_marker;
  } while (!page.marker.empty());
  EXPECT_EQ(ids, (std::vector<std::string>{"v5", "v4", "v3", "v2", "v1"}));

  // The default version cannot be deleted; the policy not while it has other versions.
  auto delete_default = service_.DeletePolicyVersion(root_, policy.arn, "v3");
  EXPECT_EQ(CodeOf(delete_default), "DeleteConflict");
  EXPECT_EQ(MessageOf(delete_default), "Cannot delete the default version of a policy.");
  auto delete_policy = service_.DeletePolicy(root_, policy.arn);
  EXPECT_EQ(CodeOf(delete_policy), "DeleteConflict");
  EXPECT_EQ(MessageOf(delete_policy),
            "This policy has more than one version. Before you delete a policy, you must delete "
            "the policy's versions. The default version is deleted with the policy.");
  EXPECT_EQ(CodeOf(service_.DeletePolicyVersion(root_, policy.arn, "v9")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.GetPolicyVersion(root_, policy.arn, "v9")), "NoSuchEntity");

  ASSERT_TRUE(Ok(service_.SetDefaultPolicyVersion(root_, policy.arn, "v5")));
  EXPECT_EQ(CodeOf(service_.SetDefaultPolicyVersion(root_, policy.arn, "v9")), "NoSuchEntity");
  auto v5 = service_.GetPolicyVersion(root_, policy.arn, "v5");
  ASSERT_TRUE(Ok(v5));
  EXPECT_TRUE(v5->is_default);
  for (std::string_view id : {"v1", "v2", "v3", "v4"}) {
    ASSERT_TRUE(Ok(service_.DeletePolicyVersion(root_, policy.arn, id))) << id;
  }
  // A sixth version fits again, numbered after the highest ever used.
  auto v6 = service_.CreatePolicyVersion(root_, policy.arn, kAllowS3, false);
  ASSERT_TRUE(Ok(v6));
  EXPECT_EQ(v6->version_id, "v6");
  ASSERT_TRUE(Ok(service_.DeletePolicyVersion(root_, policy.arn, "v6")));
  ASSERT_TRUE(Ok(service_.DeletePolicy(root_, policy.arn)));
  EXPECT_EQ(CodeOf(service_.GetPolicy(root_, policy.arn)), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.DeletePolicy(root_, policy.arn)), "NoSuchEntity");
}

TEST_F(PoliciesServiceTest, PolicyTags) {
  const storage::ManagedPolicy policy = MakePolicy("Tagged");
  ASSERT_TRUE(Ok(service_.TagPolicy(root_, policy.arn, {{"a", "1"}, {"b", "2"}, {"c", "3"}})));
  ASSERT_TRUE(Ok(service_.TagPolicy(root_, policy.arn, {{"a", "one"}})));
  auto first = service_.ListPolicyTags(root_, policy.arn, {.marker = "", .max_items = 2});
  ASSERT_TRUE(Ok(first));
  EXPECT_EQ(first->items, (std::vector<Tag>{{"a", "one"}, {"b", "2"}}));
  ASSERT_FALSE(first->next_marker.empty());
  auto second =
      service_.ListPolicyTags(root_, policy.arn, {.marker = first->next_marker, .max_items = 2});
  ASSERT_TRUE(Ok(second));
  EXPECT_EQ(second->items, (std::vector<Tag>{{"c", "3"}}));
  EXPECT_TRUE(second->next_marker.empty());
  EXPECT_EQ(CodeOf(service_.ListPolicyTags(root_, policy.arn, {.marker = "x", .max_items = 2})),
            "InvalidInput");
  ASSERT_TRUE(Ok(service_.UntagPolicy(root_, policy.arn, {"b", "absent"})));
  auto rest = service_.ListPolicyTags(root_, policy.arn, {});
  ASSERT_TRUE(Ok(rest));
  EXPECT_EQ(rest->items, (std::vector<Tag>{{"a", "one"}, {"c", "3"}}));
  EXPECT_EQ(CodeOf(service_.TagPolicy(root_, policy.arn, {{"d", "1"}, {"d", "2"}})),
            "InvalidInput");
  storage::Tags many;
  for (int i = 0; i < 49; ++i) many.emplace_back("k" + std::to_string(i), "v");
  EXPECT_EQ(CodeOf(service_.TagPolicy(root_, policy.arn, many)), "LimitExceeded");
  EXPECT_EQ(CodeOf(service_.TagPolicy(root_, "arn:aws:iam::123456789012:policy/Nope", {{"a", ""}})),
            "NoSuchEntity");
}

// ---- Attachments

TEST_F(PoliciesServiceTest, AttachmentCountFollowsAttachAndDetach) {
  const storage::ManagedPolicy policy = MakePolicy("Shared");
  EXPECT_EQ(AttachmentCount(policy.arn, root_), 0);
  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, User("alice"), policy.arn)));
  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, User("bob"), policy.arn)));
  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, Group("devs"), policy.arn)));
  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, Role("app"), policy.arn)));
  // Attaching again is a no-op.
  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, User("ALICE"), policy.arn)));
  EXPECT_EQ(AttachmentCount(policy.arn, root_), 4);

  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, User("alice"), kAdministratorAccess)));
  ASSERT_TRUE(Ok(service_.AttachPolicy(root_, Role("app"), kAdministratorAccess)));
  ASSERT_TRUE(Ok(service_.AttachPolicy(other_root_, User("carol"), kAdministratorAccess)));
  EXPECT_EQ(AttachmentCount(kAdministratorAccess, root_), 2);
  EXPECT_EQ(AttachmentCount(kAdministratorAccess, other_root_), 1);

  auto entities = service_.ListEntitiesForPolicy(root_, policy.arn, std::nullopt, "", false, {});
  ASSERT_TRUE(Ok(entities));
  std::vector<std::string> names;
  for (const auto& entity : entities->items) names.push_back(entity.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alice", "bob", "devs", "app"}));
  auto roles_only = service_.ListEntitiesForPolicy(root_, policy.arn, storage::PrincipalKind::kRole,
                                                   "", false, {});
  ASSERT_TRUE(Ok(roles_only));
  ASSERT_EQ(roles_only->items.size(), 1U);
  EXPECT_EQ(roles_only->items[0].name, "app");
  EXPECT_TRUE(roles_only->items[0].unique_id.starts_with("AROA"));
  auto staff =
      service_.ListEntitiesForPolicy(root_, policy.arn, std::nullopt, "/staff/", false, {});
  ASSERT_TRUE(Ok(staff));
  ASSERT_EQ(staff->items.size(), 1U);
  EXPECT_EQ(staff->items[0].name, "alice");
  auto paged = service_.ListEntitiesForPolicy(root_, policy.arn, std::nullopt, "", false,
                                              {.marker = "", .max_items = 3});
  ASSERT_TRUE(Ok(paged));
  EXPECT_EQ(paged->items.size(), 3U);
  EXPECT_FALSE(paged->next_marker.empty());
  auto boundaries = service_.ListEntitiesForPolicy(root_, policy.arn, std::nullopt, "", true, {});
  ASSERT_TRUE(Ok(boundaries));
  EXPECT_TRUE(boundaries->items.empty());
  EXPECT_EQ(CodeOf(service_.ListEntitiesForPolicy(root_, "arn:aws:iam::123456789012:policy/No",
                                                  std::nullopt, "", false, {})),
            "NoSuchEntity");

  auto attached = service_.ListAttachedPolicies(root_, User("alice"), "", {});
  ASSERT_TRUE(Ok(attached));
  ASSERT_EQ(attached->items.size(), 2U);
  EXPECT_EQ(attached->items[0].arn, policy.arn);
  EXPECT_EQ(attached->items[1].arn, kAdministratorAccess);

  ASSERT_TRUE(Ok(service_.DetachPolicy(root_, User("bob"), policy.arn)));
  ASSERT_TRUE(Ok(service_.DetachPolicy(root_, Group("devs"), policy.arn)));
  EXPECT_EQ(AttachmentCount(policy.arn, root_), 2);
  EXPECT_EQ(CodeOf(service_.DetachPolicy(root_, User("bob"), policy.arn)), "NoSuchEntity");
  auto still_attached = service_.DeletePolicy(root_, policy.arn);
  EXPECT_EQ(CodeOf(still_attached), "DeleteConflict");
  EXPECT_EQ(MessageOf(still_attached), "Cannot delete a policy attached to entities.");
  ASSERT_TRUE(Ok(service_.DetachPolicy(root_, User("alice"), policy.arn)));
  ASSERT_TRUE(Ok(service_.DetachPolicy(root_, Role("app"), policy.arn)));
  EXPECT_EQ(AttachmentCount(policy.arn, root_), 0);
  EXPECT_TRUE(Ok(service_.DeletePolicy(root_, policy.arn)));
}

TEST_F(PoliciesServiceTest, AttachRefusals) {
  storage::ManagedPolicy not_attachable{.arn = "arn:aws:iam::aws:policy/NotAttachable",
                                        .policy_id = "ANPANOTATTACHABLE0001",
                                        .policy_name = "NotAttachable",
                                        .path = "/",
                                        .account_id = "",
                                        .description = "",
                                        .created = kNow,
                                        .updated = kNow,
                                        .default_version_id = "v1",
                                        .attachment_count = 0,
                                        .permissions_boundary_usage_count = 0,
                                        .is_attachable = false,
                                        .tags = {}};
  ASSERT_TRUE(Ok(db_->CreatePolicy(not_attachable, kAllowAll)));
  const storage::ManagedPolicy theirs = [&] {
    auto policy = service_.CreatePolicy(other_root_, {.policy_name = "Theirs",
                                                      .path = "/",
                                                      .policy_document = std::string(kAllowS3),
                                                      .description = {},
                                                      .tags = {}});
    EXPECT_TRUE(Ok(policy));
    return policy.value_or(storage::ManagedPolicy{});
  }();
  struct Case {
    PrincipalName principal;
    std::string policy_arn;
    std::string code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {User("nobody"), std::string(kAdministratorAccess), "NoSuchEntity",
       "The user with name nobody cannot be found."},
      {Group("nobody"), std::string(kAdministratorAccess), "NoSuchEntity", ""},
      {Role("nobody"), std::string(kAdministratorAccess), "NoSuchEntity",
       "The role with name nobody cannot be found."},
      {User("alice"), "arn:aws:iam::aws:policy/NoSuchPolicy", "NoSuchEntity",
       "Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable."},
      {User("alice"), theirs.arn, "NoSuchEntity", ""},
      {User("alice"), "AdministratorAccess", "InvalidInput", ""},
      {User("alice"), not_attachable.arn, "PolicyNotAttachable", ""},
  };
  for (const Case& c : cases) {
    auto attached = service_.AttachPolicy(root_, c.principal, c.policy_arn);
    EXPECT_EQ(CodeOf(attached), c.code) << c.principal.name << " " << c.policy_arn;
    if (!c.message.empty()) {
      EXPECT_EQ(MessageOf(attached), c.message);
    }
  }
}

TEST_F(PoliciesServiceTest, AtMostTenManagedPoliciesPerPrincipal) {
  struct Case {
    PrincipalName principal;
    std::string quota;
  };
  std::vector<std::string> arns;
  for (int i = 0; i < 11; ++i) arns.push_back(MakePolicy("P" + std::to_string(i)).arn);
  for (const Case& c :
       {Case{User("bob"), "PoliciesPerUser"}, Case{Group("devs"), "PoliciesPerGroup"},
        Case{Role("app"), "PoliciesPerRole"}}) {
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(Ok(service_.AttachPolicy(root_, c.principal, arns[static_cast<size_t>(i)])));
    }
    auto eleventh = service_.AttachPolicy(root_, c.principal, arns[10]);
    EXPECT_EQ(CodeOf(eleventh), "LimitExceeded");
    EXPECT_EQ(MessageOf(eleventh), "Cannot exceed quota for " + c.quota + ": 10");
  }
  EXPECT_EQ(AttachmentCount(arns[0], root_), 3);
  EXPECT_EQ(AttachmentCount(arns[10], root_), 0);
}

// ---- Inline policies

TEST_F(PoliciesServiceTest, InlinePoliciesOfEachKind) {
  for (const PrincipalName& principal : {User("alice"), Group("devs"), Role("app")}) {
    ASSERT_TRUE(Ok(service_.PutInlinePolicy(root_, principal, "b-policy", kAllowS3)));
    ASSERT_TRUE(Ok(service_.PutInlinePolicy(root_, principal, "a-policy", kAllowAll)));
    ASSERT_TRUE(Ok(service_.PutInlinePolicy(root_, principal, "a-policy", kAllowS3)));
    auto got = service_.GetInlinePolicy(root_, principal, "a-policy");
    ASSERT_TRUE(Ok(got));
    EXPECT_EQ(got->document, kAllowS3);
    EXPECT_EQ(got->principal_name, principal.name);
    EXPECT_EQ(got->policy_name, "a-policy");
    auto first = service_.ListInlinePolicies(root_, principal, {.marker = "", .max_items = 1});
    ASSERT_TRUE(Ok(first));
    EXPECT_EQ(first->items, std::vector<std::string>{"a-policy"});
    ASSERT_FALSE(first->next_marker.empty());
    auto second = service_.ListInlinePolicies(root_, principal,
                                              {.marker = first->next_marker, .max_items = 1});
    ASSERT_TRUE(Ok(second));
    EXPECT_EQ(second->items, std::vector<std::string>{"b-policy"});
    ASSERT_TRUE(Ok(service_.DeleteInlinePolicy(root_, principal, "a-policy")));
    auto missing = service_.GetInlinePolicy(root_, principal, "a-policy");
    EXPECT_EQ(CodeOf(missing), "NoSuchEntity");
    const std::string kind = principal.kind == storage::PrincipalKind::kUser    ? "user"
                             : principal.kind == storage::PrincipalKind::kGroup ? "group"
                                                                                : "role";
    EXPECT_EQ(MessageOf(missing), "The " + kind + " policy with name a-policy cannot be found.");
    EXPECT_EQ(CodeOf(service_.DeleteInlinePolicy(root_, principal, "a-policy")), "NoSuchEntity");
  }
  EXPECT_EQ(CodeOf(service_.PutInlinePolicy(root_, User("nobody"), "p", kAllowS3)), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.ListInlinePolicies(root_, Role("nobody"), {})), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.PutInlinePolicy(root_, User("alice"), "p", "[]")),
            "MalformedPolicyDocument");
  EXPECT_EQ(
      CodeOf(service_.PutInlinePolicy(
          root_, User("alice"), "p",
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}]})")),
      "MalformedPolicyDocument");
  // Inline policies may keep the 2008 grammar.
  EXPECT_TRUE(Ok(service_.PutInlinePolicy(
      root_, User("alice"), "old",
      R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})")));
}

TEST_F(PoliciesServiceTest, InlinePolicySizeQuotasCoverAllOfAPrincipalsPolicies) {
  struct Case {
    PrincipalName principal;
    size_t quota;
    std::string word;
  };
  for (const Case& c : {Case{User("bob"), 2048, "user"}, Case{Group("devs"), 5120, "group"},
                        Case{Role("app"), 10240, "role"}}) {
    ASSERT_TRUE(
        Ok(service_.PutInlinePolicy(root_, c.principal, "half", PolicyOfSize(c.quota / 2))));
    // Replacing a policy counts its new size only.
    ASSERT_TRUE(
        Ok(service_.PutInlinePolicy(root_, c.principal, "half", PolicyOfSize(c.quota / 2))));
    ASSERT_TRUE(
        Ok(service_.PutInlinePolicy(root_, c.principal, "other", PolicyOfSize(c.quota / 2))));
    auto over = service_.PutInlinePolicy(root_, c.principal, "third", PolicyOfSize(100));
    EXPECT_EQ(CodeOf(over), "LimitExceeded") << c.word;
    EXPECT_EQ(MessageOf(over), "Maximum policy size of " + std::to_string(c.quota) +
                                   " bytes exceeded for " + c.word + " " + c.principal.name);
  }
}

// ---- Binding of rows to documents

class PoliciesOperationsTest : public PoliciesServiceTest {
 protected:
  void SetUp() override {
    PoliciesServiceTest::SetUp();
    AddPoliciesOperations(service_, rows_);
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

TEST_F(PoliciesOperationsTest, RowsNameTheirIamActions) {
  std::set<std::string> names;
  for (const OperationRow& row : rows_) {
    EXPECT_EQ(row.iam_action, "iam:" + std::string(row.name));
    EXPECT_FALSE(row.skip_authorization) << row.name;
    EXPECT_TRUE(names.insert(std::string(row.name)).second) << row.name;
  }
  for (std::string_view name : {"CreatePolicy",
                                "GetPolicy",
                                "ListPolicies",
                                "DeletePolicy",
                                "CreatePolicyVersion",
                                "GetPolicyVersion",
                                "ListPolicyVersions",
                                "DeletePolicyVersion",
                                "SetDefaultPolicyVersion",
                                "AttachUserPolicy",
                                "AttachGroupPolicy",
                                "AttachRolePolicy",
                                "DetachUserPolicy",
                                "DetachGroupPolicy",
                                "DetachRolePolicy",
                                "ListAttachedUserPolicies",
                                "ListAttachedGroupPolicies",
                                "ListAttachedRolePolicies",
                                "ListEntitiesForPolicy",
                                "PutUserPolicy",
                                "GetUserPolicy",
                                "ListUserPolicies",
                                "DeleteUserPolicy",
                                "PutGroupPolicy",
                                "GetGroupPolicy",
                                "ListGroupPolicies",
                                "DeleteGroupPolicy",
                                "PutRolePolicy",
                                "GetRolePolicy",
                                "ListRolePolicies",
                                "DeleteRolePolicy",
                                "TagPolicy",
                                "UntagPolicy",
                                "ListPolicyTags"}) {
    EXPECT_TRUE(names.contains(std::string(name))) << name;
  }
}

TEST_F(PoliciesOperationsTest, ManagedPolicyDocuments) {
  auto created = Run("CreatePolicy", {{"PolicyName", "Docs"},
                                      {"Path", "/d/"},
                                      {"PolicyDocument", kAllowS3},
                                      {"Description", "doc"}});
  ASSERT_TRUE(Ok(created));
  const json::object& policy = created->at("Policy").as_object();
  EXPECT_EQ(policy.at("PolicyName").as_string(), "Docs");
  EXPECT_EQ(policy.at("Arn").as_string(), "arn:aws:iam::123456789012:policy/d/Docs");
  EXPECT_EQ(policy.at("Path").as_string(), "/d/");
  EXPECT_EQ(policy.at("DefaultVersionId").as_string(), "v1");
  EXPECT_EQ(policy.at("AttachmentCount").as_int64(), 0);
  EXPECT_EQ(policy.at("PermissionsBoundaryUsageCount").as_int64(), 0);
  EXPECT_EQ(policy.at("IsAttachable").as_bool(), true);
  EXPECT_EQ(policy.at("Description").as_string(), "doc");
  EXPECT_EQ(policy.at("CreateDate").as_int64(), 1'800'000'000);
  EXPECT_EQ(policy.at("UpdateDate").as_int64(), 1'800'000'000);
  EXPECT_FALSE(policy.contains("Tags"));
  EXPECT_EQ(Resource("CreatePolicy", {{"PolicyName", "Docs"}, {"Path", "/d/"}}),
            "arn:aws:iam::123456789012:policy/d/Docs");

  // GetPolicyVersion percent-encodes the document, as AWS does.
  auto version =
      Run("GetPolicyVersion", {{"PolicyArn", kAdministratorAccess}, {"VersionId", "v1"}});
  ASSERT_TRUE(Ok(version));
  const json::object& body = version->at("PolicyVersion").as_object();
  EXPECT_EQ(body.at("Document").as_string(),
            "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%"
            "22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D");
  EXPECT_EQ(
      PercentDecode(std::string(body.at("Document").as_string())).value_or(""),
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})");
  EXPECT_EQ(body.at("VersionId").as_string(), "v1");
  EXPECT_EQ(body.at("IsDefaultVersion").as_bool(), true);
  EXPECT_EQ(Resource("GetPolicyVersion", {{"PolicyArn", kAdministratorAccess}}),
            kAdministratorAccess);

  auto versions =
      Run("ListPolicyVersions", {{"PolicyArn", "arn:aws:iam::123456789012:policy/d/Docs"}});
  ASSERT_TRUE(Ok(versions));
  ASSERT_EQ(versions->at("Versions").as_array().size(), 1U);
  EXPECT_FALSE(versions->at("Versions").as_array()[0].as_object().contains("Document"));
  EXPECT_EQ(versions->at("IsTruncated").as_bool(), false);
  EXPECT_FALSE(versions->contains("Marker"));

  auto listed = Run("ListPolicies", {{"Scope", "AWS"}, {"MaxItems", 2}});
  ASSERT_TRUE(Ok(listed));
  ASSERT_EQ(listed->at("Policies").as_array().size(), 2U);
  EXPECT_FALSE(listed->at("Policies").as_array()[0].as_object().contains("Description"));
  EXPECT_EQ(listed->at("IsTruncated").as_bool(), true);
  EXPECT_TRUE(listed->at("Marker").is_string());

  auto missing = Run("GetPolicy", {{"PolicyArn", "arn:aws:iam::123456789012:policy/Nope"}});
  EXPECT_EQ(CodeOf(missing), "NoSuchEntity");
}

TEST_F(PoliciesOperationsTest, AttachmentDocuments) {
  ASSERT_TRUE(
      Ok(Run("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", kAdministratorAccess}})));
  EXPECT_EQ(Resource("AttachUserPolicy", {{"UserName", "alice"}}),
            "arn:aws:iam::123456789012:user/staff/alice");
  EXPECT_EQ(Resource("AttachRolePolicy", {{"RoleName", "app"}}),
            "arn:aws:iam::123456789012:role/apps/app");
  EXPECT_EQ(Resource("AttachGroupPolicy", {{"GroupName", "devs"}}),
            "arn:aws:iam::123456789012:group/devs");

  auto attached = Run("ListAttachedUserPolicies", {{"UserName", "alice"}});
  ASSERT_TRUE(Ok(attached));
  EXPECT_EQ(
      json::serialize(attached->at("AttachedPolicies")),
      R"([{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}])");
  EXPECT_EQ(attached->at("IsTruncated").as_bool(), false);

  auto entities = Run("ListEntitiesForPolicy", {{"PolicyArn", kAdministratorAccess}});
  ASSERT_TRUE(Ok(entities));
  EXPECT_EQ(entities->at("PolicyGroups").as_array().size(), 0U);
  EXPECT_EQ(entities->at("PolicyRoles").as_array().size(), 0U);
  ASSERT_EQ(entities->at("PolicyUsers").as_array().size(), 1U);
  EXPECT_EQ(entities->at("PolicyUsers").as_array()[0].as_object().at("UserName").as_string(),
            "alice");
  EXPECT_TRUE(entities->at("PolicyUsers").as_array()[0].as_object().contains("UserId"));
  auto policy_filter = Run("ListEntitiesForPolicy", {{"PolicyArn", kAdministratorAccess},
                                                     {"EntityFilter", "AWSManagedPolicy"}});
  ASSERT_TRUE(Ok(policy_filter));
  EXPECT_EQ(policy_filter->at("PolicyUsers").as_array().size(), 0U);

  ASSERT_TRUE(
      Ok(Run("DetachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", kAdministratorAccess}})));
  auto detached_again =
      Run("DetachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", kAdministratorAccess}});
  EXPECT_EQ(CodeOf(detached_again), "NoSuchEntity");
}

TEST_F(PoliciesOperationsTest, InlinePolicyDocuments) {
  ASSERT_TRUE(
      Ok(Run("PutRolePolicy",
             {{"RoleName", "app"}, {"PolicyName", "inline"}, {"PolicyDocument", kAllowS3}})));
  auto got = Run("GetRolePolicy", {{"RoleName", "app"}, {"PolicyName", "inline"}});
  ASSERT_TRUE(Ok(got));
  EXPECT_EQ(got->at("RoleName").as_string(), "app");
  EXPECT_EQ(got->at("PolicyName").as_string(), "inline");
  EXPECT_EQ(got->at("PolicyDocument").as_string(), PercentEncode(kAllowS3));
  auto names = Run("ListRolePolicies", {{"RoleName", "app"}});
  ASSERT_TRUE(Ok(names));
  EXPECT_EQ(json::serialize(names->at("PolicyNames")), R"(["inline"])");
  EXPECT_EQ(names->at("IsTruncated").as_bool(), false);
  auto none = Run("ListUserPolicies", {{"UserName", "bob"}});
  ASSERT_TRUE(Ok(none));
  EXPECT_TRUE(none->at("PolicyNames").as_array().empty());
  ASSERT_TRUE(Ok(Run("DeleteRolePolicy", {{"RoleName", "app"}, {"PolicyName", "inline"}})));
}

}  // namespace
}  // namespace fulcrum::services::iam
