#include "cli/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fulcrum::cli {
namespace {

using std::chrono::hours;
using ::testing::HasSubstr;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));
constexpr hours kDay{24};

// Inputs of an account that follows every piece of advice.
AuditInputs HealthyInputs() {
  AuditInputs inputs;
  inputs.now = kNow;
  inputs.account_summary =
      std::map<std::string, int>{{"AccountMFAEnabled", 1}, {"AccountAccessKeysPresent", 0}};
  client::User user;
  user.user_name = "mgmt-org-admin";
  user.arn = "arn:aws:iam::123456789012:user/mgmt-org-admin";
  inputs.admin_user = std::optional<client::User>(user);
  inputs.admin_policies = std::vector<client::AttachedPolicy>{
      {"AdministratorAccess", std::string(kAdministratorAccessArn)}};
  inputs.admin_login_profile = std::optional<client::LoginProfile>();
  inputs.admin_groups = std::vector<client::Group>();
  client::AccessKeyMetadata key{"mgmt-org-admin", "AKIAEXAMPLE0000000001", "Active",
                                kNow - 10 * kDay};
  client::AccessKeyLastUsed used{"mgmt-org-admin", kNow - 1 * kDay, "iam", "us-east-1"};
  inputs.admin_keys = std::vector<AccessKeyInputs>{{key, used}};
  inputs.password_policy = std::optional<client::PasswordPolicy>(client::PasswordPolicy{});
  inputs.aws_directory = PathMode{"/home/u/.aws/me", 0700};
  inputs.aws_files = {PathMode{"/home/u/.aws/me/config", 0600},
                      PathMode{"/home/u/.aws/me/credentials", 0600}};
  inputs.csv_search_dirs = {"/home/u/project"};
  return inputs;
}

const CheckResult& Find(const std::vector<CheckResult>& checks, const std::string& id) {
  for (const CheckResult& check : checks) {
    if (check.id == id) return check;
  }
  static const CheckResult kMissing{"missing", "", CheckStatus::kFail, "", ""};
  ADD_FAILURE() << "no check " << id;
  return kMissing;
}

TEST(AuditTest, HealthyAccountPassesEveryCheckInOrder) {
  const std::vector<CheckResult> checks = EvaluateAudit(HealthyInputs());
  std::vector<std::string> ids;
  for (const CheckResult& check : checks) {
    ids.push_back(check.id);
    EXPECT_EQ(check.status, CheckStatus::kPass) << check.id << ": " << check.detail;
    EXPECT_TRUE(check.fix.empty()) << check.id;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"root-mfa", "root-access-keys", "admin-user",
                                           "admin-policy", "admin-console-password", "admin-groups",
                                           "admin-key-age", "admin-key-last-used",
                                           "password-policy", "credential-files", "leftover-csv"}));
}

// Each case changes one input and expects one check's status.
struct Case {
  const char* name;
  void (*change)(AuditInputs&);
  const char* check;
  CheckStatus status;
  const char* detail;
};

const Case kCases[] = {
    {"root MFA off", [](AuditInputs& in) { (*in.account_summary)["AccountMFAEnabled"] = 0; },
     "root-mfa", CheckStatus::kFail, "AccountMFAEnabled is 0"},
    {"root MFA missing from the summary",
     [](AuditInputs& in) { in.account_summary->erase("AccountMFAEnabled"); }, "root-mfa",
     CheckStatus::kFail, "AccountMFAEnabled is 0"},
    {"root keys present",
     [](AuditInputs& in) { (*in.account_summary)["AccountAccessKeysPresent"] = 1; },
     "root-access-keys", CheckStatus::kFail, "AccountAccessKeysPresent is 1"},
    {"summary denied",
     [](AuditInputs& in) { in.account_summary = Fail("AccessDenied", "not allowed"); }, "root-mfa",
     CheckStatus::kFail, "IAM GetAccountSummary failed: AccessDenied"},
    {"no admin user", [](AuditInputs& in) { in.admin_user = std::optional<client::User>(); },
     "admin-user", CheckStatus::kFail, "no IAM user mgmt-org-admin"},
    {"policy not attached", [](AuditInputs& in) { in.admin_policies->clear(); }, "admin-policy",
     CheckStatus::kFail, "not attached"},
    {"console password",
     [](AuditInputs& in) {
       in.admin_login_profile = std::optional<client::LoginProfile>(client::LoginProfile{});
     },
     "admin-console-password", CheckStatus::kFail, "login profile"},
    {"in a group",
     [](AuditInputs& in) {
       in.admin_groups->push_back(client::Group{"/", "admins", "", "", {}});
     },
     "admin-groups", CheckStatus::kFail, "member of admins"},
    {"old key",
     [](AuditInputs& in) { (*in.admin_keys)[0].metadata.create_date = kNow - 91 * kDay; },
     "admin-key-age", CheckStatus::kWarn, "91 days old"},
    {"key 90 days old is fine",
     [](AuditInputs& in) { (*in.admin_keys)[0].metadata.create_date = kNow - 90 * kDay; },
     "admin-key-age", CheckStatus::kPass, "90 days old"},
    {"no key", [](AuditInputs& in) { in.admin_keys->clear(); }, "admin-key-age", CheckStatus::kWarn,
     "no access key"},
    {"key never used",
     [](AuditInputs& in) { (*in.admin_keys)[0].last_used->last_used_date.reset(); },
     "admin-key-last-used", CheckStatus::kWarn, "never used"},
    {"key unused for long",
     [](AuditInputs& in) { (*in.admin_keys)[0].last_used->last_used_date = kNow - 100 * kDay; },
     "admin-key-last-used", CheckStatus::kWarn, "last used 100 days ago"},
    {"no password policy",
     [](AuditInputs& in) { in.password_policy = std::optional<client::PasswordPolicy>(); },
     "password-policy", CheckStatus::kWarn, "no account password policy"},
    {"credentials readable by others", [](AuditInputs& in) { in.aws_files[1].mode = 0644; },
     "credential-files", CheckStatus::kFail, "/home/u/.aws/me/credentials is 0644"},
    {"directory open", [](AuditInputs& in) { in.aws_directory.mode = 0755; }, "credential-files",
     CheckStatus::kFail, "/home/u/.aws/me is 0755"},
    {"no directory", [](AuditInputs& in) { in.aws_directory.mode.reset(); }, "credential-files",
     CheckStatus::kWarn, "does not exist"},
    {"csv left",
     [](AuditInputs& in) { in.csv_files = {"/home/u/project/mgmt-org-admin_accessKeys.csv"}; },
     "leftover-csv", CheckStatus::kFail, "mgmt-org-admin_accessKeys.csv"},
};

TEST(AuditTest, EachFindingSetsItsCheck) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    AuditInputs inputs = HealthyInputs();
    c.change(inputs);
    const std::vector<CheckResult> checks = EvaluateAudit(inputs);
    const CheckResult& check = Find(checks, c.check);
    EXPECT_EQ(check.status, c.status) << check.detail;
    EXPECT_THAT(check.detail, HasSubstr(c.detail));
    EXPECT_EQ(check.fix.empty(), c.status == CheckStatus::kPass) << check.fix;
    // Nothing else changes.
    for (const CheckResult& other : checks) {
      if (other.id != c.check && std::string(c.check) != "root-mfa") {
        EXPECT_EQ(other.status, CheckStatus::kPass) << other.id << ": " << other.detail;
      }
    }
  }
}

TEST(AuditTest, NoAdminUserSkipsItsDependentChecks) {
  AuditInputs inputs = HealthyInputs();
  inputs.admin_user = std::optional<client::User>();
  std::vector<std::string> ids;
  for (const CheckResult& check : EvaluateAudit(inputs)) ids.push_back(check.id);
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains("admin-policy")));
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains("admin-key-age")));
}

TEST(AuditTest, AccessKeyCsvNames) {
  EXPECT_TRUE(IsAccessKeyCsvName("mgmt-org-admin_accessKeys.csv"));
  EXPECT_TRUE(IsAccessKeyCsvName("accessKeys.csv"));
  EXPECT_TRUE(IsAccessKeyCsvName("credentials.csv"));
  EXPECT_FALSE(IsAccessKeyCsvName("_accessKeys.csv.bak"));
  EXPECT_FALSE(IsAccessKeyCsvName("report.csv"));
  EXPECT_FALSE(IsAccessKeyCsvName("credentials"));
}

TEST(AuditTest, CredentialFileNames) {
  for (const char* name : {"config", "credentials", "config.bkp", "credentials.bkp",
                           "mgmt-org-admin_accessKeys.csv"}) {
    EXPECT_TRUE(IsCredentialFileName(name)) << name;
  }
  for (const char* name : {"root-account-mfa.png", "cache", "config.txt", ".csv"}) {
    EXPECT_FALSE(IsCredentialFileName(name)) << name;
  }
}

TEST(AuditTest, FindsCsvsButNotInHiddenOrDeepDirectories) {
  const auto root = std::filesystem::path(::testing::TempDir()) / "audit_find";
  std::filesystem::remove_all(root);
  for (const char* dir : {"a/b", ".git", "a/b/c/d"})
    std::filesystem::create_directories(root / dir);
  for (const char* file : {"accessKeys.csv", "a/b/alice_accessKeys.csv", ".git/credentials.csv",
                           "a/b/c/d/credentials.csv", "a/notes.csv"}) {
    std::ofstream(root / file) << "x";
  }
  EXPECT_EQ(FindAccessKeyCsvs({root, root / "missing"}),
            (std::vector<std::filesystem::path>{root / "a/b/alice_accessKeys.csv",
                                                root / "accessKeys.csv"}));
}

TEST(AuditTest, ModeOfReportsPermissionBits) {
  const auto file = std::filesystem::path(::testing::TempDir()) / "audit_mode";
  std::ofstream(file) << "x";
  std::filesystem::permissions(file, std::filesystem::perms(0640));
  EXPECT_EQ(ModeOf(file).mode, std::optional<mode_t>(0640));
  EXPECT_FALSE(ModeOf(file.string() + "-missing").mode.has_value());
}

}  // namespace
}  // namespace fulcrum::cli
