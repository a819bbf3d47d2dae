#include "services/iam/account_settings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/random.h"
#include "common/time_format.h"
#include "services/iam/credential_report.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kOtherAccount = "210987654321";
constexpr std::string_view kTrustPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
constexpr std::string_view kAdminDocument =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

TimePoint At(std::string_view iso) {
  auto time = ParseIso8601(iso);
  EXPECT_TRUE(time.has_value()) << iso;
  return time.value_or(TimePoint{});
}

storage::Account MakeAccount(std::string_view id, std::string_view name) {
  storage::Account account;
  account.id = std::string(id);
  account.name = std::string(name);
  account.email = std::string(name) + "@example.com";
  account.created = At("2024-05-01T11:00:00Z");
  account.root_password_hash = "stored-hash";
  return account;
}

storage::User MakeUser(std::string_view name, std::string_view user_id) {
  storage::User user;
  user.account_id = std::string(kAccount);
  user.user_id = std::string(user_id);
  user.user_name = std::string(name);
  user.path = "/";
  user.arn = "arn:aws:iam::" + std::string(kAccount) + ":user/" + std::string(name);
  user.created = At("2024-05-01T12:00:00Z");
  return user;
}

storage::AccessKey MakeKey(std::string_view id, std::string_view user_name, TimePoint created) {
  storage::AccessKey key;
  key.access_key_id = std::string(id);
  key.secret_access_key = std::string(40, 's');
  key.account_id = std::string(kAccount);
  key.user_name = std::string(user_name);
  key.created = created;
  return key;
}

storage::VirtualMfaDevice MakeDevice(std::string_view name) {
  storage::VirtualMfaDevice device;
  device.serial_number = "arn:aws:iam::" + std::string(kAccount) + ":mfa/" + std::string(name);
  device.account_id = std::string(kAccount);
  device.path = "/";
  device.name = std::string(name);
  device.seed = "JBSWY3DPEHPK3PXP";
  device.created = At("2024-05-01T12:00:00Z");
  return device;
}

storage::PrincipalRef Ref(storage::PrincipalKind kind, std::string_view name) {
  return storage::PrincipalRef{kind, std::string(kAccount), std::string(name)};
}

class AccountSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_->CreateAccount(MakeAccount(kAccount, "acme-management"), {}));
    ASSERT_TRUE(db_->CreateAccount(MakeAccount(kOtherAccount, "acme-other"), {}));
  }

  void CreateUser(std::string_view name, std::string_view user_id) {
    ASSERT_TRUE(db_->CreateUser(MakeUser(name, user_id)));
  }

  // A customer managed policy "<name>" of kAccount.
  std::string CreatePolicy(std::string_view name, std::string_view policy_id) {
    storage::ManagedPolicy policy;
    policy.arn = "arn:aws:iam::" + std::string(kAccount) + ":policy/" + std::string(name);
    policy.policy_id = std::string(policy_id);
    policy.policy_name = std::string(name);
    policy.path = "/";
    policy.account_id = std::string(kAccount);
    policy.created = At("2024-05-01T12:00:00Z");
    EXPECT_TRUE(db_->CreatePolicy(policy, kAdminDocument));
    return policy.arn;
  }

  // The AWS managed AdministratorAccess, as the catalogue installs it.
  std::string CreateAwsPolicy() {
    storage::ManagedPolicy policy;
    policy.arn = "arn:aws:iam::aws:policy/AdministratorAccess";
    policy.policy_id = "ANPAIWMBCKSKIEE64ZLYK";
    policy.policy_name = "AdministratorAccess";
    policy.path = "/";
    policy.created = At("2015-02-06T18:39:46Z");
    EXPECT_TRUE(db_->CreatePolicy(policy, kAdminDocument));
    return policy.arn;
  }

  void CreateRole(std::string_view name, std::string_view role_id) {
    storage::Role role;
    role.account_id = std::string(kAccount);
    role.role_id = std::string(role_id);
    role.role_name = std::string(name);
    role.path = "/";
    role.arn = "arn:aws:iam::" + std::string(kAccount) + ":role/" + std::string(name);
    role.created = At("2024-05-01T12:00:00Z");
    role.assume_role_policy_document = std::string(kTrustPolicy);
    ASSERT_TRUE(db_->CreateRole(role));
  }

  void CreateGroup(std::string_view name, std::string_view group_id) {
    storage::Group group;
    group.account_id = std::string(kAccount);
    group.group_id = std::string(group_id);
    group.group_name = std::string(name);
    group.path = "/";
    group.arn = "arn:aws:iam::" + std::string(kAccount) + ":group/" + std::string(name);
    group.created = At("2024-05-01T12:00:00Z");
    ASSERT_TRUE(db_->CreateGroup(group));
  }

  // Enables the root user's virtual MFA device the way the MFA area records it.
  void EnableRootMfa() {
    ASSERT_TRUE(db_->CreateVirtualMfaDevice(MakeDevice("root-account-mfa-device")));
    auto accepted = db_->AcceptMfaTimeStep(
        kAccount, "arn:aws:iam::123456789012:mfa/root-account-mfa-device", 57'000'000);
    ASSERT_TRUE(accepted && *accepted);
  }

  // The row named `name` of the table built by AddAccountOperations.
  const OperationRow& Row(std::string_view name) {
    if (rows_.empty()) AddAccountOperations(service_, rows_);
    auto it = std::find_if(rows_.begin(), rows_.end(),
                           [&](const OperationRow& row) { return row.name == name; });
    EXPECT_NE(it, rows_.end()) << name;
    return *it;
  }

  Result<json::value> Call(std::string_view name, const json::object& input = {}) {
    const RequestContext request{principal_, "us-east-1", "req-1", clock_.Now()};
    return Row(name).handler(request, input);
  }

  FixedClock clock_{At("2024-05-01T12:05:00Z")};
  SeededRandom random_{7};
  std::unique_ptr<storage::Database> db_ = storage::MakeMemoryDatabase();
  IamContext context_{*db_, *db_, random_, clock_, {}};
  AccountSettingsService service_{context_};
  std::vector<OperationRow> rows_;
  Principal principal_{PrincipalKind::kRoot,
                       std::string(kAccount),
                       "arn:aws:iam::123456789012:root",
                       std::string(kAccount),
                       "",
                       "AKIAROOT"};
};

// ---- Account alias

TEST_F(AccountSettingsTest, AliasIsCreatedListedReplacedAndDeleted) {
  auto empty = service_.ListAccountAliases(kAccount);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());

  ASSERT_TRUE(service_.CreateAccountAlias(kAccount, "acme-management"));
  EXPECT_EQ(service_.ListAccountAliases(kAccount), std::vector<std::string>{"acme-management"});
  // The same alias again is no conflict.
  ASSERT_TRUE(service_.CreateAccountAlias(kAccount, "acme-management"));

  // An account has one alias: a new one replaces it, and the old one is free again.
  ASSERT_TRUE(service_.CreateAccountAlias(kAccount, "acme-mgmt"));
  EXPECT_EQ(service_.ListAccountAliases(kAccount), std::vector<std::string>{"acme-mgmt"});
  ASSERT_TRUE(service_.CreateAccountAlias(kOtherAccount, "acme-management"));

  auto wrong = service_.DeleteAccountAlias(kAccount, "acme-management");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "NoSuchEntity");
  EXPECT_EQ(wrong.error().message, "The account alias acme-management cannot be found.");

  ASSERT_TRUE(service_.DeleteAccountAlias(kAccount, "acme-mgmt"));
  auto after = service_.ListAccountAliases(kAccount);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
  auto again = service_.DeleteAccountAlias(kAccount, "acme-mgmt");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "NoSuchEntity");
}

TEST_F(AccountSettingsTest, AliasIsUniqueAcrossAccounts) {
  ASSERT_TRUE(service_.CreateAccountAlias(kOtherAccount, "acme"));
  auto taken = service_.CreateAccountAlias(kAccount, "acme");
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, "EntityAlreadyExists");
  EXPECT_EQ(taken.error().message, "The account alias acme already exists.");
  auto mine = service_.ListAccountAliases(kAccount);
  ASSERT_TRUE(mine);
  EXPECT_TRUE(mine->empty());
}

TEST_F(AccountSettingsTest, AliasRules) {
  struct Case {
    std::string alias;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"abc", true},          {"a-b-c", true},
      {"123456789012", true}, {std::string(63, 'a'), true},
      {"ab", false},          {std::string(64, 'a'), false},
      {"-abc", false},        {"abc-", false},
      {"a--b", false},        {"Abc", false},
      {"a_b", false},         {"a.b", false},
  };
  for (const Case& c : cases) {
    auto created = service_.CreateAccountAlias(kAccount, c.alias);
    EXPECT_EQ(created.has_value(), c.valid) << c.alias;
    if (!c.valid) {
      ASSERT_FALSE(created);
      EXPECT_EQ(created.error().code, "ValidationError") << c.alias;
      EXPECT_TRUE(created.error().message.starts_with("1 validation error detected: Value '" +
                                                      c.alias + "' at 'accountAlias'"))
          << created.error().message;
    }
  }
}

// ---- Password policy

TEST_F(AccountSettingsTest, PasswordPolicyLifecycle) {
  auto missing = service_.GetAccountPasswordPolicy(kAccount);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "NoSuchEntity");
  EXPECT_EQ(missing.error().message,
            "The Password Policy with domain name 123456789012 cannot be found.");

  AccountPasswordPolicyUpdate update;
  update.minimum_password_length = 14;
  update.require_symbols = true;
  update.max_password_age = 90;
  update.password_reuse_prevention = 24;
  ASSERT_TRUE(service_.UpdateAccountPasswordPolicy(kAccount, update));
  auto policy = service_.GetAccountPasswordPolicy(kAccount);
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->minimum_password_length, 14);
  EXPECT_TRUE(policy->require_symbols);
  EXPECT_FALSE(policy->require_numbers);
  EXPECT_EQ(policy->max_password_age, 90);
  EXPECT_EQ(policy->password_reuse_prevention, 24);
  EXPECT_FALSE(policy->hard_expiry.has_value());

  // Fields left out take AWS's defaults again, not the previous values.
  ASSERT_TRUE(service_.UpdateAccountPasswordPolicy(kAccount, AccountPasswordPolicyUpdate{}));
  policy = service_.GetAccountPasswordPolicy(kAccount);
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->minimum_password_length, 6);
  EXPECT_FALSE(policy->require_symbols);
  EXPECT_FALSE(policy->allow_users_to_change_password);
  EXPECT_FALSE(policy->max_password_age.has_value());
  EXPECT_FALSE(policy->password_reuse_prevention.has_value());

  ASSERT_TRUE(service_.DeleteAccountPasswordPolicy(kAccount));
  auto deleted = service_.DeleteAccountPasswordPolicy(kAccount);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, "NoSuchEntity");
  EXPECT_EQ(deleted.error().message,
            "The Password Policy with domain name 123456789012 cannot be found.");
}

TEST(CheckPasswordTest, AgainstPolicies) {
  storage::PasswordPolicy strict;
  strict.minimum_password_length = 12;
  strict.require_symbols = true;
  strict.require_numbers = true;
  strict.require_uppercase_characters = true;
  strict.require_lowercase_characters = true;
  storage::PasswordPolicy lax;
  lax.minimum_password_length = 6;

  struct Case {
    std::optional<storage::PasswordPolicy> policy;
    std::string password;
    bool conforms;
  };
  const std::vector<Case> cases = {
      // AWS's default policy: 8 characters, 3 of the 4 kinds.
      {std::nullopt, "Abcdefg1", true},
      {std::nullopt, "abcdef1!", true},
      {std::nullopt, "Abc1!", false},
      {std::nullopt, "abcdefgh1", false},
      {std::nullopt, "ABCDEFGH", false},
      {strict, "Correct-Horse-9", true},
      {strict, "Correct-Horse", false},
      {strict, "correct-horse-9", false},
      {strict, "CORRECT-HORSE-9", false},
      {strict, "CorrectHorse99", false},
      {strict, "C0rrect-H.", false},
      {lax, "abcdef", true},
      {lax, "abcde", false},
      // Lengths count characters, not bytes.
      {lax, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", false},
  };
  for (const Case& c : cases) {
    auto checked = CheckPassword(c.policy, c.password);
    EXPECT_EQ(checked.has_value(), c.conforms) << c.password;
    if (!checked) {
      EXPECT_EQ(checked.error().code, "PasswordPolicyViolation");
      EXPECT_EQ(checked.error().message,
                "Password does not conform to the account password policy.");
    }
  }
}

// ---- Account summary

TEST_F(AccountSettingsTest, SummaryHasEveryKeyInAwsOrder) {
  auto summary = service_.GetAccountSummary(kAccount);
  ASSERT_TRUE(summary) << summary.error().message;
  std::vector<std::string> keys;
  for (const auto& [key, value] : summary->entries) keys.push_back(key);
  const std::vector<std::string> expected = {"Users",
                                             "UsersQuota",
                                             "Groups",
                                             "GroupsQuota",
                                             "ServerCertificates",
                                             "ServerCertificatesQuota",
                                             "UserPolicySizeQuota",
                                             "GroupPolicySizeQuota",
                                             "GroupsPerUserQuota",
                                             "SigningCertificatesPerUserQuota",
                                             "AccessKeysPerUserQuota",
                                             "MFADevices",
                                             "MFADevicesInUse",
                                             "AccountMFAEnabled",
                                             "AccountAccessKeysPresent",
                                             "AccountPasswordPresent",
                                             "AccountSigningCertificatesPresent",
                                             "AttachedPoliciesPerGroupQuota",
                                             "AttachedPoliciesPerRoleQuota",
                                             "AttachedPoliciesPerUserQuota",
                                             "Policies",
                                             "PoliciesQuota",
                                             "PolicySizeQuota",
                                             "PolicyVersionsInUse",
                                             "PolicyVersionsInUseQuota",
                                             "VersionsPerPolicyQuota",
                                             "GlobalEndpointTokenVersion",
                                             "AssumeRolePolicySizeQuota",
                                             "Roles",
                                             "RolesQuota",
                                             "RolePolicySizeQuota",
                                             "InstanceProfiles",
                                             "InstanceProfilesQuota",
                                             "Providers"};
  EXPECT_EQ(keys, expected);

  // The quotas of the reference response (responses/iam/GetAccountSummary.xml).
  const std::vector<std::pair<std::string, int64_t>> quotas = {
      {"UsersQuota", 5000},
      {"GroupsQuota", 300},
      {"ServerCertificatesQuota", 20},
      {"UserPolicySizeQuota", 2048},
      {"GroupPolicySizeQuota", 5120},
      {"GroupsPerUserQuota", 10},
      {"SigningCertificatesPerUserQuota", 2},
      {"AccessKeysPerUserQuota", 2},
      {"AttachedPoliciesPerGroupQuota", 10},
      {"AttachedPoliciesPerRoleQuota", 10},
      {"AttachedPoliciesPerUserQuota", 10},
      {"PoliciesQuota", 1500},
      {"PolicySizeQuota", 6144},
      {"PolicyVersionsInUseQuota", 10000},
      {"VersionsPerPolicyQuota", 5},
      {"GlobalEndpointTokenVersion", 1},
      {"AssumeRolePolicySizeQuota", 2048},
      {"RolesQuota", 1000},
      {"RolePolicySizeQuota", 10240},
      {"InstanceProfilesQuota", 1000},
  };
  for (const auto& [key, value] : quotas) EXPECT_EQ(summary->Find(key), value) << key;
  // A fresh account: nothing counted; the root user has a password.
  for (std::string_view key : {"Users", "Groups", "Roles", "Policies", "PolicyVersionsInUse",
                               "MFADevices", "MFADevicesInUse", "AccountMFAEnabled",
                               "AccountAccessKeysPresent", "InstanceProfiles", "Providers"}) {
    EXPECT_EQ(summary->Find(key), 0) << key;
  }
  EXPECT_EQ(summary->Find("AccountPasswordPresent"), 1);
  EXPECT_EQ(summary->Find("NoSuchKey"), std::nullopt);
}

TEST_F(AccountSettingsTest, SummaryCountsTheAccountsEntities) {
  CreateUser("alice", "AIDAALICE0000000000001");
  CreateUser("bob", "AIDABOB00000000000002");
  CreateGroup("admins", "AGPAADMINS00000000001");
  CreateRole("ec2", "AROAEC2000000000000001");
  const std::string local = CreatePolicy("local", "ANPALOCAL000000000001");
  CreatePolicy("unused", "ANPAUNUSED00000000001");
  const std::string admin = CreateAwsPolicy();
  ASSERT_TRUE(db_->AttachPolicy(Ref(storage::PrincipalKind::kUser, "alice"), admin, 10));
  ASSERT_TRUE(db_->AttachPolicy(Ref(storage::PrincipalKind::kRole, "ec2"), admin, 10));
  ASSERT_TRUE(db_->AttachPolicy(Ref(storage::PrincipalKind::kGroup, "admins"), local, 10));
  ASSERT_TRUE(db_->CreateVirtualMfaDevice(MakeDevice("alice")));
  ASSERT_TRUE(db_->CreateVirtualMfaDevice(MakeDevice("spare")));
  ASSERT_TRUE(db_->EnableMfaDevice(kAccount, "alice", "arn:aws:iam::123456789012:mfa/alice",
                                   clock_.Now(), 1, 8));
  // Another account's entities are not counted.
  storage::User stranger = MakeUser("stranger", "AIDASTRANGER000000001");
  stranger.account_id = std::string(kOtherAccount);
  ASSERT_TRUE(db_->CreateUser(stranger));

  auto summary = service_.GetAccountSummary(kAccount);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->Find("Users"), 2);
  EXPECT_EQ(summary->Find("Groups"), 1);
  EXPECT_EQ(summary->Find("Roles"), 1);
  EXPECT_EQ(summary->Find("Policies"), 2);
  EXPECT_EQ(summary->Find("PolicyVersionsInUse"), 3);
  EXPECT_EQ(summary->Find("MFADevices"), 2);
  EXPECT_EQ(summary->Find("MFADevicesInUse"), 1);
  EXPECT_EQ(summary->Find("AccountMFAEnabled"), 0);
  EXPECT_EQ(summary->Find("AccountAccessKeysPresent"), 0);
}

TEST_F(AccountSettingsTest, SummaryReflectsRootMfaAndRootKeys) {
  // A created but not yet enabled root device does not count.
  ASSERT_TRUE(db_->CreateVirtualMfaDevice(MakeDevice("root-account-mfa-device")));
  auto before = service_.GetAccountSummary(kAccount);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->Find("AccountMFAEnabled"), 0);
  EXPECT_EQ(before->Find("MFADevicesInUse"), 0);

  auto accepted = db_->AcceptMfaTimeStep(
      kAccount, "arn:aws:iam::123456789012:mfa/root-account-mfa-device", 57'000'000);
  ASSERT_TRUE(accepted && *accepted);
  ASSERT_TRUE(db_->CreateAccessKey(MakeKey("AKIAROOT000000000001", "", clock_.Now())));

  auto after = service_.GetAccountSummary(kAccount);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->Find("AccountMFAEnabled"), 1);
  EXPECT_EQ(after->Find("MFADevices"), 1);
  EXPECT_EQ(after->Find("MFADevicesInUse"), 1);
  EXPECT_EQ(after->Find("AccountAccessKeysPresent"), 1);
  auto root_mfa = RootUserHasMfa(*db_, kAccount);
  ASSERT_TRUE(root_mfa);
  EXPECT_TRUE(*root_mfa);
  auto other = RootUserHasMfa(*db_, kOtherAccount);
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
}

// ---- Credential report

TEST_F(AccountSettingsTest, CredentialReportLifecycle) {
  auto absent = service_.GetCredentialReport(kAccount);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, "ReportNotPresent");

  auto started = service_.GenerateCredentialReport(kAccount);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->state, "STARTED");
  EXPECT_EQ(started->description, "No report exists. Starting a new report generation task");

  clock_.Advance(std::chrono::minutes(10));
  auto complete = service_.GenerateCredentialReport(kAccount);
  ASSERT_TRUE(complete);
  EXPECT_EQ(complete->state, "COMPLETE");
  EXPECT_FALSE(complete->description.has_value());

  auto report = service_.GetCredentialReport(kAccount);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->generated, At("2024-05-01T12:05:00Z"));
  EXPECT_EQ(report->content,
            std::string(kCredentialReportHeader) +
                "\n<root_account>,arn:aws:iam::123456789012:root,2024-05-01T11:00:00+00:00,"
                "not_supported,no_information,not_supported,not_supported,false,false,N/A,N/A,"
                "N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A");
  // Reports are per account.
  auto other = service_.GetCredentialReport(kOtherAccount);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "ReportNotPresent");

  // Four hours after generation the report has expired; generating replaces it.
  clock_.Set(At("2024-05-01T16:05:00Z"));
  auto expired = service_.GetCredentialReport(kAccount);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, "ReportExpired");
  auto restarted = service_.GenerateCredentialReport(kAccount);
  ASSERT_TRUE(restarted);
  EXPECT_EQ(restarted->state, "STARTED");
  EXPECT_FALSE(restarted->description.has_value());
  auto fresh = service_.GetCredentialReport(kAccount);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->generated, At("2024-05-01T16:05:00Z"));
}

TEST_F(AccountSettingsTest, CredentialReportShowsRootAndUsers) {
  EnableRootMfa();
  ASSERT_TRUE(
      db_->CreateAccessKey(MakeKey("AKIAROOT000000000001", "", At("2024-05-01T11:01:00Z"))));
  CreateUser("bootstrap-admin", "AIDABOOTSTRAP00000001");
  CreateUser("ci", "AIDACI000000000000001");
  storage::PasswordPolicy policy;
  policy.max_password_age = 90;
  ASSERT_TRUE(db_->PutPasswordPolicy(kAccount, policy));
  storage::LoginProfile profile;
  profile.account_id = std::string(kAccount);
  profile.user_name = "bootstrap-admin";
  profile.password_hash = "hash";
  profile.created = At("2024-05-01T12:02:00Z");
  ASSERT_TRUE(db_->CreateLoginProfile(profile));
  ASSERT_TRUE(db_->CreateVirtualMfaDevice(MakeDevice("bootstrap-admin")));
  ASSERT_TRUE(db_->EnableMfaDevice(kAccount, "bootstrap-admin",
                                   "arn:aws:iam::123456789012:mfa/bootstrap-admin", clock_.Now(), 1,
                                   8));
  ASSERT_TRUE(db_->CreateUserAccessKey(
      MakeKey("AKIACI00000000000001", "ci", At("2024-05-01T12:00:05Z")), 2));
  storage::AccessKey second = MakeKey("AKIACI00000000000002", "ci", At("2024-05-01T12:00:06Z"));
  second.active = false;
  ASSERT_TRUE(db_->CreateUserAccessKey(second, 2));
  ASSERT_TRUE(db_->RecordAccessKeyUses({storage::AccessKeyUse{
      "AKIACI00000000000001",
      storage::AccessKeyLastUsed{At("2024-05-01T12:03:00Z"), "sts", "us-east-1"}}}));

  auto started = service_.GenerateCredentialReport(kAccount);
  ASSERT_TRUE(started) << started.error().message;
  auto report = service_.GetCredentialReport(kAccount);
  ASSERT_TRUE(report);
  const std::string expected =
      std::string(kCredentialReportHeader) +
      "\n<root_account>,arn:aws:iam::123456789012:root,2024-05-01T11:00:00+00:00,not_supported,"
      "no_information,not_supported,not_supported,true,true,2024-05-01T11:01:00+00:00,N/A,N/A,"
      "N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
      "\nbootstrap-admin,arn:aws:iam::123456789012:user/bootstrap-admin,"
      "2024-05-01T12:00:00+00:00,true,no_information,2024-05-01T12:02:00+00:00,"
      "2024-07-30T12:02:00+00:00,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,"
      "false,N/A"
      "\nci,arn:aws:iam::123456789012:user/ci,2024-05-01T12:00:00+00:00,false,N/A,N/A,N/A,false,"
      "true,2024-05-01T12:00:05+00:00,2024-05-01T12:03:00+00:00,us-east-1,sts,false,"
      "2024-05-01T12:00:06+00:00,N/A,N/A,N/A,false,N/A,false,N/A";
  EXPECT_EQ(report->content, expected);
}

// ---- Authorization details

class AuthorizationDetailsTest : public AccountSettingsTest {
 protected:
  void SetUp() override {
    AccountSettingsTest::SetUp();
    CreateUser("alice", "AIDAALICE0000000000001");
    CreateUser("bob", "AIDABOB00000000000002");
    CreateGroup("admins", "AGPAADMINS00000000001");
    CreateRole("ec2", "AROAEC2000000000000001");
    local_ = CreatePolicy("local", "ANPALOCAL000000000001");
    admin_ = CreateAwsPolicy();
    storage::ManagedPolicy unattached;
    unattached.arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    unattached.policy_id = "ANPAILL3HVNFSB6DCOWYQ";
    unattached.policy_name = "ReadOnlyAccess";
    unattached.path = "/";
    unattached.created = At("2015-02-06T18:39:48Z");
    ASSERT_TRUE(db_->CreatePolicy(unattached, kAdminDocument));
    ASSERT_TRUE(db_->AddUserToGroup(kAccount, "admins", "alice", 10));
    ASSERT_TRUE(db_->AttachPolicy(Ref(storage::PrincipalKind::kUser, "alice"), admin_, 10));
    ASSERT_TRUE(db_->AttachPolicy(Ref(storage::PrincipalKind::kGroup, "admins"), local_, 10));
    ASSERT_TRUE(db_->PutInlinePolicy(Ref(storage::PrincipalKind::kUser, "alice"), "inline",
                                     kAdminDocument));
    ASSERT_TRUE(db_->PutInlinePolicy(Ref(storage::PrincipalKind::kRole, "ec2"), "role-inline",
                                     kAdminDocument));
    ASSERT_TRUE(db_->CreatePolicyVersion(kAccount, local_, kAdminDocument, true,
                                         At("2024-05-02T00:00:00Z"), 5));
  }

  std::string local_;
  std::string admin_;
};

TEST_F(AuthorizationDetailsTest, ListsEverythingWithRelations) {
  auto details = service_.GetAccountAuthorizationDetails(kAccount, {});
  ASSERT_TRUE(details) << details.error().message;
  EXPECT_TRUE(details->next_marker.empty());
  ASSERT_EQ(details->users.size(), 2U);
  const AuthorizationDetails::User& alice = details->users[0];
  EXPECT_EQ(alice.user.user_name, "alice");
  EXPECT_EQ(alice.group_names, std::vector<std::string>{"admins"});
  ASSERT_EQ(alice.inline_policies.size(), 1U);
  EXPECT_EQ(alice.inline_policies[0].policy_name, "inline");
  ASSERT_EQ(alice.attached_policies.size(), 1U);
  EXPECT_EQ(alice.attached_policies[0].policy_name, "AdministratorAccess");
  EXPECT_EQ(alice.attached_policies[0].policy_arn, admin_);
  EXPECT_TRUE(details->users[1].group_names.empty());

  ASSERT_EQ(details->groups.size(), 1U);
  ASSERT_EQ(details->groups[0].attached_policies.size(), 1U);
  EXPECT_EQ(details->groups[0].attached_policies[0].policy_arn, local_);
  ASSERT_EQ(details->roles.size(), 1U);
  ASSERT_EQ(details->roles[0].inline_policies.size(), 1U);
  EXPECT_EQ(details->roles[0].inline_policies[0].policy_name, "role-inline");

  // The account's own policies, then only the AWS managed policies in use.
  ASSERT_EQ(details->policies.size(), 2U);
  EXPECT_EQ(details->policies[0].policy.arn, local_);
  ASSERT_EQ(details->policies[0].versions.size(), 2U);
  EXPECT_EQ(details->policies[0].versions[0].version_id, "v2");
  EXPECT_EQ(details->policies[1].policy.arn, admin_);
  EXPECT_EQ(details->policies[1].policy.attachment_count, 1);
}

TEST_F(AuthorizationDetailsTest, FilterSelectsSections) {
  struct Case {
    std::vector<std::string> filter;
    size_t users, groups, roles, policies;
  };
  const std::vector<Case> cases = {
      {{"User"}, 2, 0, 0, 0},
      {{"Group"}, 0, 1, 0, 0},
      {{"Role"}, 0, 0, 1, 0},
      {{"LocalManagedPolicy"}, 0, 0, 0, 1},
      {{"AWSManagedPolicy"}, 0, 0, 0, 1},
      {{"User", "Role"}, 2, 0, 1, 0},
  };
  for (const Case& c : cases) {
    AuthorizationDetailsRequest request;
    request.filter = c.filter;
    auto details = service_.GetAccountAuthorizationDetails(kAccount, request);
    ASSERT_TRUE(details);
    EXPECT_EQ(details->users.size(), c.users) << c.filter[0];
    EXPECT_EQ(details->groups.size(), c.groups) << c.filter[0];
    EXPECT_EQ(details->roles.size(), c.roles) << c.filter[0];
    EXPECT_EQ(details->policies.size(), c.policies) << c.filter[0];
  }
}

TEST_F(AuthorizationDetailsTest, PagesWalkEveryEntityOnce) {
  for (size_t max_items : {1U, 2U, 3U, 100U}) {
    AuthorizationDetailsRequest request;
    request.page.max_items = max_items;
    std::vector<std::string> seen;
    size_t pages = 0;
    do {
      auto details = service_.GetAccountAuthorizationDetails(kAccount, request);
      ASSERT_TRUE(details) << details.error().message;
      const size_t items = details->users.size() + details->groups.size() + details->roles.size() +
                           details->policies.size();
      EXPECT_LE(items, max_items);
      for (const auto& user : details->users) seen.push_back(user.user.user_name);
      for (const auto& group : details->groups) seen.push_back(group.group.group_name);
      for (const auto& role : details->roles) seen.push_back(role.role.role_name);
      for (const auto& policy : details->policies) seen.push_back(policy.policy.policy_name);
      request.page.marker = details->next_marker;
      ASSERT_LT(++pages, 20U);
    } while (!request.page.marker.empty());
    EXPECT_EQ(seen, (std::vector<std::string>{"alice", "bob", "admins", "ec2", "local",
                                              "AdministratorAccess"}))
        << max_items;
  }
}

TEST_F(AuthorizationDetailsTest, RejectsForeignMarkers) {
  for (std::string marker : {"x", "9abc", "0!!notbase64"}) {
    AuthorizationDetailsRequest request;
    request.page.marker = marker;
    auto details = service_.GetAccountAuthorizationDetails(kAccount, request);
    ASSERT_FALSE(details) << marker;
    EXPECT_EQ(details.error().code, "InvalidInput") << marker;
  }
}

// ---- Operation rows

TEST_F(AccountSettingsTest, RowsNameTheirActionsAndResources) {
  std::vector<OperationRow> rows;
  AddAccountOperations(service_, rows);
  std::set<std::string> names;
  for (const OperationRow& row : rows) {
    names.insert(std::string(row.name));
    EXPECT_EQ(row.iam_action, "iam:" + std::string(row.name));
    EXPECT_FALSE(row.skip_authorization) << row.name;
    const RequestContext request{principal_, "us-east-1", "req", clock_.Now()};
    EXPECT_EQ(row.resource(request, {}), "*") << row.name;
  }
  EXPECT_EQ(names,
            (std::set<std::string>{"CreateAccountAlias", "DeleteAccountAlias", "ListAccountAliases",
                                   "GetAccountPasswordPolicy", "UpdateAccountPasswordPolicy",
                                   "DeleteAccountPasswordPolicy", "GetAccountSummary",
                                   "GenerateCredentialReport", "GetCredentialReport",
                                   "GetAccountAuthorizationDetails"}));
}

TEST_F(AccountSettingsTest, AliasRowsBindDocuments) {
  auto created = Call("CreateAccountAlias", {{"AccountAlias", "acme-management"}});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(*created, json::value(json::object()));
  auto listed = Call("ListAccountAliases");
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, json::parse(R"({"AccountAliases":["acme-management"],"IsTruncated":false})"));
  auto wrong = Call("DeleteAccountAlias", {{"AccountAlias", "nope-alias"}});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "NoSuchEntity");
  ASSERT_TRUE(Call("DeleteAccountAlias", {{"AccountAlias", "acme-management"}}));
  EXPECT_EQ(*Call("ListAccountAliases"),
            json::parse(R"({"AccountAliases":[],"IsTruncated":false})"));
}

TEST_F(AccountSettingsTest, PasswordPolicyRowsBindDocuments) {
  auto missing = Call("GetAccountPasswordPolicy");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "NoSuchEntity");
  ASSERT_TRUE(Call("UpdateAccountPasswordPolicy", {{"MinimumPasswordLength", 12},
                                                   {"RequireNumbers", true},
                                                   {"MaxPasswordAge", 90},
                                                   {"HardExpiry", false}}));
  auto got = Call("GetAccountPasswordPolicy");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, json::parse(R"({"PasswordPolicy":{
      "MinimumPasswordLength":12,"RequireSymbols":false,"RequireNumbers":true,
      "RequireUppercaseCharacters":false,"RequireLowercaseCharacters":false,
      "AllowUsersToChangePassword":false,"ExpirePasswords":true,"MaxPasswordAge":90,
      "HardExpiry":false}})"));
  ASSERT_TRUE(Call("UpdateAccountPasswordPolicy", {}));
  EXPECT_EQ(*Call("GetAccountPasswordPolicy"), json::parse(R"({"PasswordPolicy":{
      "MinimumPasswordLength":6,"RequireSymbols":false,"RequireNumbers":false,
      "RequireUppercaseCharacters":false,"RequireLowercaseCharacters":false,
      "AllowUsersToChangePassword":false,"ExpirePasswords":false}})"));
  ASSERT_TRUE(Call("DeleteAccountPasswordPolicy"));
  auto deleted = Call("DeleteAccountPasswordPolicy");
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, "NoSuchEntity");
}

TEST_F(AccountSettingsTest, SummaryRowIsAMapOfIntegers) {
  auto summary = Call("GetAccountSummary");
  ASSERT_TRUE(summary) << summary.error().message;
  const json::object& map = summary->as_object().at("SummaryMap").as_object();
  EXPECT_EQ(map.size(), 34U);
  EXPECT_EQ(map.at("UsersQuota"), json::value(5000));
  EXPECT_EQ(map.at("AccountMFAEnabled"), json::value(0));
  for (const auto& entry : map) EXPECT_TRUE(entry.value().is_int64()) << entry.key();
}

TEST_F(AccountSettingsTest, CredentialReportRowsBindDocuments) {
  auto absent = Call("GetCredentialReport");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, "ReportNotPresent");
  auto started = Call("GenerateCredentialReport");
  ASSERT_TRUE(started);
  EXPECT_EQ(*started, json::parse(R"({"State":"STARTED",
      "Description":"No report exists. Starting a new report generation task"})"));
  EXPECT_EQ(*Call("GenerateCredentialReport"), json::parse(R"({"State":"COMPLETE"})"));
  auto report = Call("GetCredentialReport");
  ASSERT_TRUE(report);
  const json::object& out = report->as_object();
  EXPECT_EQ(out.size(), 3U);
  // The blob is the raw CSV; the codec base64-encodes it.
  EXPECT_TRUE(std::string_view(out.at("Content").as_string()).starts_with("user,arn,"));
  EXPECT_EQ(out.at("ReportFormat"), json::value("text/csv"));
  EXPECT_EQ(out.at("GeneratedTime"), json::value(1714565100));
}

TEST_F(AuthorizationDetailsTest, RowBindsDocumentsUrlEncoded) {
  auto details = Call("GetAccountAuthorizationDetails", {{"Filter", json::array{"User", "Role"}}});
  ASSERT_TRUE(details) << details.error().message;
  const json::object& out = details->as_object();
  EXPECT_EQ(out.at("IsTruncated"), json::value(false));
  EXPECT_FALSE(out.contains("Marker"));
  EXPECT_TRUE(out.at("GroupDetailList").as_array().empty());
  EXPECT_TRUE(out.at("Policies").as_array().empty());

  const json::object& alice = out.at("UserDetailList").as_array().at(0).as_object();
  EXPECT_EQ(alice.at("UserName"), json::value("alice"));
  EXPECT_EQ(alice.at("UserId"), json::value("AIDAALICE0000000000001"));
  EXPECT_EQ(alice.at("CreateDate"), json::value(1714564800));
  EXPECT_EQ(alice.at("GroupList"), json::parse(R"(["admins"])"));
  EXPECT_EQ(alice.at("AttachedManagedPolicies"),
            json::parse(R"([{"PolicyName":"AdministratorAccess",
                "PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}])"));
  const json::object& inline_policy = alice.at("UserPolicyList").as_array().at(0).as_object();
  EXPECT_EQ(inline_policy.at("PolicyName"), json::value("inline"));
  EXPECT_EQ(inline_policy.at("PolicyDocument"),
            json::value("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect"
                        "%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22"
                        "%7D%5D%7D"));
  EXPECT_FALSE(alice.contains("PermissionsBoundary"));
  EXPECT_FALSE(alice.contains("Tags"));

  const json::object& role = out.at("RoleDetailList").as_array().at(0).as_object();
  EXPECT_EQ(role.at("RoleName"), json::value("ec2"));
  EXPECT_TRUE(std::string_view(role.at("AssumeRolePolicyDocument").as_string())
                  .starts_with("%7B%22Version%22"));
  EXPECT_TRUE(role.at("InstanceProfileList").as_array().empty());
  EXPECT_TRUE(role.at("AttachedManagedPolicies").as_array().empty());
  EXPECT_EQ(role.at("RolePolicyList").as_array().size(), 1U);
  EXPECT_EQ(role.at("RoleLastUsed"), json::value(json::object()));

  auto policies = Call("GetAccountAuthorizationDetails",
                       {{"Filter", json::array{"LocalManagedPolicy"}}, {"MaxItems", 1}});
  ASSERT_TRUE(policies);
  const json::object& local = policies->as_object().at("Policies").as_array().at(0).as_object();
  EXPECT_EQ(local.at("PolicyName"), json::value("local"));
  EXPECT_EQ(local.at("DefaultVersionId"), json::value("v2"));
  EXPECT_EQ(local.at("AttachmentCount"), json::value(1));
  EXPECT_EQ(local.at("IsAttachable"), json::value(true));
  const json::array& versions = local.at("PolicyVersionList").as_array();
  ASSERT_EQ(versions.size(), 2U);
  EXPECT_EQ(versions[0].as_object().at("VersionId"), json::value("v2"));
  EXPECT_EQ(versions[0].as_object().at("IsDefaultVersion"), json::value(true));
  EXPECT_TRUE(
      std::string_view(versions[1].as_object().at("Document").as_string()).starts_with("%7B"));

  auto paged = Call("GetAccountAuthorizationDetails", {{"MaxItems", 1}});
  ASSERT_TRUE(paged);
  EXPECT_EQ(paged->as_object().at("IsTruncated"), json::value(true));
  const json::value& marker = paged->as_object().at("Marker");
  auto next = Call("GetAccountAuthorizationDetails", {{"MaxItems", 1}, {"Marker", marker}});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->as_object().at("UserDetailList").as_array().at(0).as_object().at("UserName"),
            json::value("bob"));
}

}  // namespace
}  // namespace fulcrum::services::iam
