#include "cli/audit.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>

#include <algorithm>
#include <system_error>

namespace fulcrum::cli {
namespace {

constexpr std::string_view kReadPermissionsFix =
    "audit with a profile that may call iam:Get* and iam:List* (e.g. --profile <short>-bootstrap)";

CheckResult Pass(std::string_view id, std::string_view title, std::string detail) {
  return CheckResult{std::string(id), std::string(title), CheckStatus::kPass, std::move(detail),
                     ""};
}

CheckResult NotPass(CheckStatus status, std::string_view id, std::string_view title,
                    std::string detail, std::string fix) {
  return CheckResult{std::string(id), std::string(title), status, std::move(detail),
                     std::move(fix)};
}

CheckResult CallFailed(std::string_view id, std::string_view title, std::string_view call,
                       const Error& error) {
  return NotPass(CheckStatus::kFail, id, title,
                 fmt::format("IAM {} failed: {}: {}", call, error.code, error.message),
                 std::string(kReadPermissionsFix));
}

int Days(TimePoint from, TimePoint to) {
  return static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(to - from).count() / 24);
}

std::string Octal(mode_t mode) { return fmt::format("{:04o}", mode & 07777); }

void RootChecks(const AuditInputs& inputs, std::vector<CheckResult>& checks) {
  constexpr std::string_view kMfaTitle = "Root user has MFA";
  constexpr std::string_view kKeysTitle = "Root user has no access keys";
  if (!inputs.account_summary) {
    checks.push_back(
        CallFailed("root-mfa", kMfaTitle, "GetAccountSummary", inputs.account_summary.error()));
    checks.push_back(CallFailed("root-access-keys", kKeysTitle, "GetAccountSummary",
                                inputs.account_summary.error()));
    return;
  }
  const auto& summary = *inputs.account_summary;
  const auto value = [&summary](const char* key) {
    const auto it = summary.find(key);
    return it == summary.end() ? 0 : it->second;
  };
  if (value("AccountMFAEnabled") == 1) {
    checks.push_back(Pass("root-mfa", kMfaTitle, "AccountMFAEnabled is 1"));
  } else {
    checks.push_back(NotPass(CheckStatus::kFail, "root-mfa", kMfaTitle,
                             "AccountMFAEnabled is 0: the root user has no MFA",
                             "enable the root user's virtual MFA device: `fulcrum management "
                             "bootstrap` (console on AWS)"));
  }
  if (const int present = value("AccountAccessKeysPresent"); present == 0) {
    checks.push_back(Pass("root-access-keys", kKeysTitle, "AccountAccessKeysPresent is 0"));
  } else {
    checks.push_back(NotPass(CheckStatus::kFail, "root-access-keys", kKeysTitle,
                             fmt::format("AccountAccessKeysPresent is {}", present),
                             "as root, list and delete the keys: `aws iam list-access-keys`, then "
                             "`aws iam delete-access-key --access-key-id <id>`"));
  }
}

void KeyChecks(const AuditInputs& inputs, std::vector<CheckResult>& checks) {
  constexpr std::string_view kAgeTitle = "mgmt-org-admin's access keys are recent";
  constexpr std::string_view kUseTitle = "mgmt-org-admin's access keys are in use";
  if (!inputs.admin_keys) {
    checks.push_back(
        CallFailed("admin-key-age", kAgeTitle, "ListAccessKeys", inputs.admin_keys.error()));
    checks.push_back(
        CallFailed("admin-key-last-used", kUseTitle, "ListAccessKeys", inputs.admin_keys.error()));
    return;
  }
  if (inputs.admin_keys->empty()) {
    checks.push_back(
        NotPass(CheckStatus::kWarn, "admin-key-age", kAgeTitle, "mgmt-org-admin has no access key",
                "create one with `fulcrum management bootstrap` if you still need it"));
    return;
  }
  const auto stale_days = static_cast<int>(kStaleKeyAge.count() / 24);
  CheckStatus age_status = CheckStatus::kPass;
  CheckStatus use_status = CheckStatus::kPass;
  std::vector<std::string> ages;
  std::vector<std::string> uses;
  std::optional<Error> use_error;
  for (const AccessKeyInputs& key : *inputs.admin_keys) {
    const std::string& id = key.metadata.access_key_id;
    if (!key.metadata.create_date) {
      ages.push_back(fmt::format("{}: no creation date", id));
    } else {
      const int days = Days(*key.metadata.create_date, inputs.now);
      ages.push_back(fmt::format("{}: {} days old", id, days));
      if (inputs.now - *key.metadata.create_date > kStaleKeyAge) age_status = CheckStatus::kWarn;
    }
    if (!key.last_used) {
      use_error = key.last_used.error();
      continue;
    }
    if (!key.last_used->last_used_date) {
      uses.push_back(fmt::format("{}: never used", id));
      use_status = CheckStatus::kWarn;
    } else {
      const int days = Days(*key.last_used->last_used_date, inputs.now);
      uses.push_back(fmt::format("{}: last used {} days ago", id, days));
      if (inputs.now - *key.last_used->last_used_date > kStaleKeyAge) {
        use_status = CheckStatus::kWarn;
      }
    }
  }
  const auto join = [](const std::vector<std::string>& parts) {
    return fmt::format("{}", fmt::join(parts, "; "));
  };
  checks.push_back(
      age_status == CheckStatus::kPass
          ? Pass("admin-key-age", kAgeTitle, join(ages))
          : NotPass(age_status, "admin-key-age", kAgeTitle,
                    fmt::format("{} (older than {} days)", join(ages), stale_days),
                    "rotate: create a new key, `fulcrum credentials configure --type bootstrap "
                    "--overwrite-existing-credentials`, then delete the old key"));
  if (use_error) {
    checks.push_back(
        CallFailed("admin-key-last-used", kUseTitle, "GetAccessKeyLastUsed", *use_error));
  } else if (use_status == CheckStatus::kPass) {
    checks.push_back(Pass("admin-key-last-used", kUseTitle, join(uses)));
  } else {
    checks.push_back(NotPass(use_status, "admin-key-last-used", kUseTitle, join(uses),
                             "delete keys that are not used: `aws iam delete-access-key "
                             "--user-name mgmt-org-admin --access-key-id <id>`"));
  }
}

void AdminChecks(const AuditInputs& inputs, std::vector<CheckResult>& checks) {
  constexpr std::string_view kUserTitle = "mgmt-org-admin exists";
  if (!inputs.admin_user) {
    checks.push_back(CallFailed("admin-user", kUserTitle, "GetUser", inputs.admin_user.error()));
    return;
  }
  if (!inputs.admin_user->has_value()) {
    checks.push_back(NotPass(CheckStatus::kFail, "admin-user", kUserTitle,
                             "no IAM user mgmt-org-admin in the account",
                             "create it with `fulcrum management bootstrap`"));
    return;
  }
  checks.push_back(Pass("admin-user", kUserTitle, (*inputs.admin_user)->arn));

  constexpr std::string_view kPolicyTitle = "AdministratorAccess is attached to mgmt-org-admin";
  if (!inputs.admin_policies) {
    checks.push_back(CallFailed("admin-policy", kPolicyTitle, "ListAttachedUserPolicies",
                                inputs.admin_policies.error()));
  } else if (std::any_of(inputs.admin_policies->begin(), inputs.admin_policies->end(),
                         [](const client::AttachedPolicy& policy) {
                           return policy.policy_arn == kAdministratorAccessArn;
                         })) {
    checks.push_back(Pass("admin-policy", kPolicyTitle, "attached directly"));
  } else {
    checks.push_back(NotPass(CheckStatus::kFail, "admin-policy", kPolicyTitle,
                             "AdministratorAccess is not attached to the user",
                             fmt::format("aws iam attach-user-policy --user-name mgmt-org-admin "
                                         "--policy-arn {}",
                                         kAdministratorAccessArn)));
  }

  constexpr std::string_view kPasswordTitle = "mgmt-org-admin has no console password";
  if (!inputs.admin_login_profile) {
    checks.push_back(CallFailed("admin-console-password", kPasswordTitle, "GetLoginProfile",
                                inputs.admin_login_profile.error()));
  } else if (inputs.admin_login_profile->has_value()) {
    checks.push_back(NotPass(CheckStatus::kFail, "admin-console-password", kPasswordTitle,
                             "the user has a login profile (a console password)",
                             "aws iam delete-login-profile --user-name mgmt-org-admin"));
  } else {
    checks.push_back(Pass("admin-console-password", kPasswordTitle, "no login profile"));
  }

  constexpr std::string_view kGroupsTitle = "mgmt-org-admin is in no group";
  if (!inputs.admin_groups) {
    checks.push_back(
        CallFailed("admin-groups", kGroupsTitle, "ListGroupsForUser", inputs.admin_groups.error()));
  } else if (!inputs.admin_groups->empty()) {
    std::vector<std::string> names;
    for (const client::Group& group : *inputs.admin_groups) names.push_back(group.group_name);
    checks.push_back(NotPass(CheckStatus::kFail, "admin-groups", kGroupsTitle,
                             fmt::format("member of {}", fmt::join(names, ", ")),
                             "aws iam remove-user-from-group --user-name mgmt-org-admin "
                             "--group-name <group>"));
  } else {
    checks.push_back(Pass("admin-groups", kGroupsTitle, "no group"));
  }
  KeyChecks(inputs, checks);
}

void PasswordPolicyCheck(const AuditInputs& inputs, std::vector<CheckResult>& checks) {
  constexpr std::string_view kTitle = "The account has a password policy";
  if (!inputs.password_policy) {
    checks.push_back(CallFailed("password-policy", kTitle, "GetAccountPasswordPolicy",
                                inputs.password_policy.error()));
  } else if (!inputs.password_policy->has_value()) {
    checks.push_back(NotPass(CheckStatus::kWarn, "password-policy", kTitle,
                             "no account password policy is set",
                             "set one (Leverage: length 30, max age 30, reuse 12, all classes): "
                             "`aws iam update-account-password-policy ...`"));
  } else {
    const client::PasswordPolicy& policy = **inputs.password_policy;
    checks.push_back(
        Pass("password-policy", kTitle,
             fmt::format("minimum length {}", policy.minimum_password_length.value_or(0))));
  }
}

void FileModeCheck(const AuditInputs& inputs, std::vector<CheckResult>& checks) {
  constexpr std::string_view kTitle = "Credential files are private (0600, directory 0700)";
  const PathMode& directory = inputs.aws_directory;
  if (!directory.mode) {
    checks.push_back(NotPass(CheckStatus::kWarn, "credential-files", kTitle,
                             fmt::format("{} does not exist", directory.path.string()),
                             "`fulcrum credentials configure --type bootstrap` creates it"));
    return;
  }
  std::vector<std::string> loose;
  std::vector<std::string> fixes;
  if ((*directory.mode & 077) != 0) {
    loose.push_back(fmt::format("{} is {}", directory.path.string(), Octal(*directory.mode)));
    fixes.push_back(fmt::format("chmod 700 {}", directory.path.string()));
  }
  for (const PathMode& file : inputs.aws_files) {
    if (file.mode && (*file.mode & 077) != 0) {
      loose.push_back(fmt::format("{} is {}", file.path.string(), Octal(*file.mode)));
      fixes.push_back(fmt::format("chmod 600 {}", file.path.string()));
    }
  }
  if (loose.empty()) {
    checks.push_back(Pass(
        "credential-files", kTitle,
        fmt::format("{} and its {} file(s)", directory.path.string(), inputs.aws_files.size())));
  } else {
    checks.push_back(NotPass(CheckStatus::kFail, "credential-files", kTitle,
                             fmt::format("{}", fmt::join(loose, "; ")),
                             fmt::format("{}", fmt::join(fixes, " && "))));
  }
}

void CsvCheck(const AuditInputs& inputs, std::vector<CheckResult>& checks) {
  constexpr std::string_view kTitle = "No access-key CSV left behind";
  std::vector<std::string> dirs;
  for (const auto& dir : inputs.csv_search_dirs) dirs.push_back(dir.string());
  if (inputs.csv_files.empty()) {
    checks.push_back(
        Pass("leftover-csv", kTitle, fmt::format("none in {}", fmt::join(dirs, ", "))));
    return;
  }
  std::vector<std::string> files;
  for (const auto& file : inputs.csv_files) files.push_back(file.string());
  checks.push_back(NotPass(CheckStatus::kFail, "leftover-csv", kTitle,
                           fmt::format("found {}", fmt::join(files, ", ")),
                           "keep the key in a password manager, then delete the file(s): rm " +
                               fmt::format("{}", fmt::join(files, " "))));
}

}  // namespace

std::string_view CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass:
      return "pass";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kFail:
      return "fail";
  }
  return "fail";
}

std::vector<CheckResult> EvaluateAudit(const AuditInputs& inputs) {
  std::vector<CheckResult> checks;
  RootChecks(inputs, checks);
  AdminChecks(inputs, checks);
  PasswordPolicyCheck(inputs, checks);
  FileModeCheck(inputs, checks);
  CsvCheck(inputs, checks);
  return checks;
}

PathMode ModeOf(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return PathMode{path, std::nullopt};
  return PathMode{path, info.st_mode & 07777};
}

AuditInputs GatherAuditInputs(client::IamClient& iam, TimePoint now,
                              const std::filesystem::path& aws_directory,
                              const std::vector<std::filesystem::path>& csv_search_dirs) {
  AuditInputs inputs;
  inputs.now = now;
  inputs.account_summary = iam.GetAccountSummary();
  const std::string user(kBootstrapUserName);
  if (auto found = iam.GetUser(user)) {
    inputs.admin_user = std::optional<client::User>(std::move(*found));
  } else if (found.error().code == "NoSuchEntity") {
    inputs.admin_user = std::optional<client::User>();
  } else {
    inputs.admin_user = Fail(found.error());
  }
  if (inputs.admin_user && inputs.admin_user->has_value()) {
    inputs.admin_policies = iam.ListAttachedUserPolicies(user);
    inputs.admin_login_profile = iam.GetLoginProfile(user);
    inputs.admin_groups = iam.ListGroupsForUser(user);
    if (auto keys = iam.ListAccessKeys(user)) {
      std::vector<AccessKeyInputs> list;
      for (client::AccessKeyMetadata& metadata : *keys) {
        auto last_used = iam.GetAccessKeyLastUsed(metadata.access_key_id);
        list.push_back(AccessKeyInputs{std::move(metadata), std::move(last_used)});
      }
      inputs.admin_keys = std::move(list);
    } else {
      inputs.admin_keys = Fail(keys.error());
    }
  }
  inputs.password_policy = iam.GetAccountPasswordPolicy();

  inputs.aws_directory = ModeOf(aws_directory);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(aws_directory, error)) {
    if (entry.is_regular_file(error) && !entry.is_symlink(error) &&
        IsCredentialFileName(entry.path().filename().string())) {
      inputs.aws_files.push_back(ModeOf(entry.path()));
    }
  }
  std::sort(inputs.aws_files.begin(), inputs.aws_files.end(),
            [](const PathMode& a, const PathMode& b) { return a.path < b.path; });
  inputs.csv_search_dirs = csv_search_dirs;
  inputs.csv_files = FindAccessKeyCsvs(csv_search_dirs);
  return inputs;
}

bool IsCredentialFileName(std::string_view name) {
  return name == "config" || name == "credentials" || name == "config.bkp" ||
         name == "credentials.bkp" || (name.size() > 4 && name.ends_with(".csv"));
}

bool IsAccessKeyCsvName(std::string_view name) {
  constexpr std::string_view kSuffix = "_accessKeys.csv";
  return name == "accessKeys.csv" || name == "credentials.csv" ||
         (name.size() > kSuffix.size() && name.ends_with(kSuffix));
}

std::vector<std::filesystem::path> FindAccessKeyCsvs(const std::vector<std::filesystem::path>& dirs,
                                                     int max_depth) {
  std::vector<std::filesystem::path> found;
  for (const std::filesystem::path& dir : dirs) {
    std::error_code error;
    std::filesystem::recursive_directory_iterator it(
        dir, std::filesystem::directory_options::skip_permission_denied, error);
    if (error) continue;
    for (; it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (error) break;
      const std::filesystem::directory_entry& entry = *it;
      const std::string name = entry.path().filename().string();
      if (entry.is_symlink(error)) continue;
      if (entry.is_directory(error)) {
        if (name.starts_with(".") || it.depth() + 1 >= max_depth) it.disable_recursion_pending();
        continue;
      }
      if (entry.is_regular_file(error) && IsAccessKeyCsvName(name)) {
        found.push_back(entry.path());
      }
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace fulcrum::cli
