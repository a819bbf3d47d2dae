#pragma once

// The management account's security checks (leverage.md §6, the seed page's advice), as data:
// each check has an id, a title, a status (pass / warn / fail), a detail and a one-line fix.
//
// The audit runs in two halves so that its decisions are tested without a network:
//  1. Gather: read-only IAM calls (GetAccountSummary, GetUser, ListAttachedUserPolicies,
//     GetLoginProfile, ListGroupsForUser, ListAccessKeys, GetAccessKeyLastUsed,
//     GetAccountPasswordPolicy) and local file inspection fill AuditInputs. A failed call is kept
//     as its error, never thrown away.
//  2. Evaluate: EvaluateAudit turns AuditInputs into CheckResults; a pure function.
//
// Checks, in order:
//   root-mfa                 fail unless AccountMFAEnabled = 1
//   root-access-keys         fail unless AccountAccessKeysPresent = 0
//   admin-user               fail when mgmt-org-admin does not exist (the checks below then skip)
//   admin-policy             fail unless AdministratorAccess is attached directly
//   admin-console-password   fail when the user has a login profile
//   admin-groups             fail when the user is in a group
//   admin-key-age            warn when a key is older than 90 days (or the user has no key)
//   admin-key-last-used      warn when a key was never used or not in 90 days
//   password-policy          warn when the account has none
//   credential-files         fail when ~/.aws/<short>/ is not 0700 or a file in it is not 0600
//   leftover-csv             fail when an access-key CSV lies in a searched directory
// A check whose API call failed fails, with the call and the error as its detail.
//
// Thread-compatible; the functions touch only what their arguments name.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/iam_client.h"
#include "common/clock.h"
#include "common/result.h"

namespace fulcrum::cli {

inline constexpr std::string_view kBootstrapUserName = "mgmt-org-admin";
inline constexpr std::string_view kAdministratorAccessArn =
    "arn:aws:iam::aws:policy/AdministratorAccess";
inline constexpr std::chrono::hours kStaleKeyAge{24 * 90};

enum class CheckStatus { kPass, kWarn, kFail };

// "pass", "warn", "fail".
[[nodiscard]] std::string_view CheckStatusName(CheckStatus status);

struct CheckResult {
  std::string id;
  std::string title;
  CheckStatus status = CheckStatus::kPass;
  std::string detail;  // what was found
  std::string fix;     // one line; empty when the check passes

  bool operator==(const CheckResult&) const = default;
};

struct AccessKeyInputs {
  client::AccessKeyMetadata metadata;
  Result<client::AccessKeyLastUsed> last_used;
};

// A path and its permission bits, or nullopt when it does not exist.
struct PathMode {
  std::filesystem::path path;
  std::optional<mode_t> mode;
};

struct AuditInputs {
  TimePoint now;
  Result<std::map<std::string, int>> account_summary;
  // The bootstrap user; nullopt when it does not exist. The fields after it matter only when it
  // does.
  Result<std::optional<client::User>> admin_user;
  Result<std::vector<client::AttachedPolicy>> admin_policies;
  Result<std::optional<client::LoginProfile>> admin_login_profile;
  Result<std::vector<client::Group>> admin_groups;
  Result<std::vector<AccessKeyInputs>> admin_keys;
  Result<std::optional<client::PasswordPolicy>> password_policy;
  PathMode aws_directory;           // ~/.aws/<short>
  std::vector<PathMode> aws_files;  // its files that hold keys (IsCredentialFileName), existing
  std::vector<std::filesystem::path> csv_files;        // access-key CSVs found
  std::vector<std::filesystem::path> csv_search_dirs;  // where they were looked for
};

// The checks of `inputs`, in the order listed above.
[[nodiscard]] std::vector<CheckResult> EvaluateAudit(const AuditInputs& inputs);

// Gathers every input: the IAM calls with `iam` (read-only), the modes of `aws_directory` and of
// its credential files (IsCredentialFileName), and the access-key CSVs in `csv_search_dirs`
// (FindAccessKeyCsvs).
[[nodiscard]] AuditInputs GatherAuditInputs(
    client::IamClient& iam, TimePoint now, const std::filesystem::path& aws_directory,
    const std::vector<std::filesystem::path>& csv_search_dirs);

// Whether a file of ~/.aws/<short>/ named `name` holds keys: config, credentials, their ".bkp"
// copies, and access-key CSVs ("*.csv"). Other files there (e.g. a saved QR code) are not checked.
[[nodiscard]] bool IsCredentialFileName(std::string_view name);

// The permission bits of `path` (symlinks not followed), or nullopt when it does not exist.
[[nodiscard]] PathMode ModeOf(const std::filesystem::path& path);

// Whether `name` is one of the console's access-key downloads: "*_accessKeys.csv",
// "accessKeys.csv" or "credentials.csv" (the older layout).
[[nodiscard]] bool IsAccessKeyCsvName(std::string_view name);

// The access-key CSVs in `dirs` and their subdirectories up to `max_depth` levels down, skipping
// hidden directories and symlinks. Missing directories are skipped.
[[nodiscard]] std::vector<std::filesystem::path> FindAccessKeyCsvs(
    const std::vector<std::filesystem::path>& dirs, int max_depth = 3);

}  // namespace fulcrum::cli
