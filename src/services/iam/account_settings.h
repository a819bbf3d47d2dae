#pragma once

// AccountSettingsService: the account-level IAM operations — the account alias, the password
// policy, the account summary, the credential report and the authorization details:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html
//
// Every method acts on the account `account_id` (the caller's account); the operation rows in
// account_operations.cc pass RequestContext::principal.account_id.
//
// Thread safety: safe to call from any number of threads at once (the stores are; the credential
// reports kept in memory are guarded by a mutex).

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "services/iam/context.h"
#include "services/operation.h"
#include "storage/iam_records.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

// The input of UpdateAccountPasswordPolicy; an absent field takes AWS's default (not the value
// of the current policy):
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html
struct AccountPasswordPolicyUpdate {
  std::optional<int64_t> minimum_password_length;  // Default 6.
  std::optional<bool> require_symbols;             // Default false (as the four below).
  std::optional<bool> require_numbers;
  std::optional<bool> require_uppercase_characters;
  std::optional<bool> require_lowercase_characters;
  std::optional<bool> allow_users_to_change_password;
  std::optional<int64_t> max_password_age;           // Days; default: never expire.
  std::optional<int64_t> password_reuse_prevention;  // Default: reuse allowed.
  std::optional<bool> hard_expiry;                   // Default: not set (false).
};

// GetAccountSummary's SummaryMap, in the order AWS sends its keys.
struct AccountSummary {
  std::vector<std::pair<std::string, int64_t>> entries;

  // The value of `key`, or nullopt if the map has no such key.
  [[nodiscard]] std::optional<int64_t> Find(std::string_view key) const;
};

// The answer of GenerateCredentialReport.
struct CredentialReportGeneration {
  std::string state;                       // "STARTED" or "COMPLETE".
  std::optional<std::string> description;  // Set with STARTED when no report existed.
};

// A generated credential report (GetCredentialReport).
struct GeneratedCredentialReport {
  std::string content;  // The CSV document (see credential_report.h).
  TimePoint generated;
};

// The input of GetAccountAuthorizationDetails.
struct AuthorizationDetailsRequest {
  // Entity types to include: "User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy".
  // Empty = all of them.
  std::vector<std::string> filter;
  storage::PageRequest page;
};

// The output of GetAccountAuthorizationDetails, with documents as stored (not URL-encoded).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
struct AuthorizationDetails {
  struct AttachedPolicy {
    std::string policy_name;
    std::string policy_arn;
  };
  struct User {
    storage::User user;
    std::vector<storage::InlinePolicy> inline_policies;
    std::vector<std::string> group_names;
    std::vector<AttachedPolicy> attached_policies;
  };
  struct Group {
    storage::Group group;
    std::vector<storage::InlinePolicy> inline_policies;
    std::vector<AttachedPolicy> attached_policies;
  };
  struct Role {
    storage::Role role;
    std::vector<storage::InlinePolicy> inline_policies;
    std::vector<AttachedPolicy> attached_policies;
  };
  struct Policy {
    storage::ManagedPolicy policy;
    std::vector<storage::PolicyVersion> versions;  // Newest first.
  };

  std::vector<User> users;
  std::vector<Group> groups;
  std::vector<Role> roles;
  std::vector<Policy> policies;
  std::string next_marker;  // Empty when the listing is complete.
};

// The PasswordPolicyViolation check of a new password against the account's password policy
// (nullopt = the account has none, and AWS's default policy applies: at least 8 characters of at
// least three of the kinds uppercase, lowercase, digits and symbols).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
// Symbols are ! @ # $ % ^ & * ( ) _ + - = [ ] { } | ' as AWS lists them. Lengths count Unicode
// code points. Not checked here: PasswordReusePrevention (needs the user's history) and the
// default policy's "not the account name or email".
// On failure: PasswordPolicyViolation "Password does not conform to the account password policy."
[[nodiscard]] Result<void> CheckPassword(const std::optional<storage::PasswordPolicy>& policy,
                                         std::string_view password);

// Whether the account's root user has an enabled virtual MFA device, by the rule of mfa.h: the
// root user's device is RootMfaSerialNumber(account_id)
// ("arn:aws:iam::<account>:mfa/root-account-mfa-device"); as IamStore assigns devices to IAM users
// only, it counts as enabled when it exists, is assigned to no IAM user, and has an accepted TOTP
// time step or an enable date.
[[nodiscard]] Result<bool> RootUserHasMfa(storage::IamStore& iam, std::string_view account_id);

class AccountSettingsService {
 public:
  // REQUIRES: the context's references outlive the service.
  explicit AccountSettingsService(const IamContext& context) : context_(context) {}

  // Sets the account's alias, replacing the one it had (an account has at most one):
  // https://docs.aws.amazon.com/signin/latest/userguide/CreateAccountAlias.html
  // Fails with ValidationError if `alias` breaks the model's rules (3 to 63 of [a-z0-9-], no
  // leading, trailing or double '-'), or EntityAlreadyExists ("The account alias X already
  // exists.") if another account uses it.
  [[nodiscard]] Result<void> CreateAccountAlias(std::string_view account_id,
                                                std::string_view alias);
  // Fails with NoSuchEntity ("The account alias X cannot be found.") unless `alias` is the
  // account's alias.
  [[nodiscard]] Result<void> DeleteAccountAlias(std::string_view account_id,
                                                std::string_view alias);
  // The account's alias, or none.
  [[nodiscard]] Result<std::vector<std::string>> ListAccountAliases(std::string_view account_id);

  // Fails with NoSuchEntity ("The Password Policy with domain name <account> cannot be found.")
  // when the account has none.
  [[nodiscard]] Result<storage::PasswordPolicy> GetAccountPasswordPolicy(
      std::string_view account_id);
  // Replaces the account's password policy with `update` (defaults for absent fields).
  [[nodiscard]] Result<void> UpdateAccountPasswordPolicy(std::string_view account_id,
                                                         const AccountPasswordPolicyUpdate& update);
  // Fails with NoSuchEntity when the account has none.
  [[nodiscard]] Result<void> DeleteAccountPasswordPolicy(std::string_view account_id);

  // Usage counts and quotas. Counts are taken by reading every page of the lists (the stores
  // have no count queries), so the cost grows with the number of entities.
  [[nodiscard]] Result<AccountSummary> GetAccountSummary(std::string_view account_id);

  // Builds the account's credential report unless one younger than kCredentialReportLifetime
  // exists. Reports are built at once: "STARTED" (with AWS's description when there was no
  // report) when this call built one, "COMPLETE" when it reused one. Reports are kept in memory
  // by this service, so they do not survive a restart and are not shared between instances.
  [[nodiscard]] Result<CredentialReportGeneration> GenerateCredentialReport(
      std::string_view account_id);
  // The newest report. Fails with ReportNotPresent before any GenerateCredentialReport, and with
  // ReportExpired once the report is older than kCredentialReportLifetime.
  [[nodiscard]] Result<GeneratedCredentialReport> GetCredentialReport(std::string_view account_id);

  // One page of the account's users, groups, roles, customer managed policies and the AWS
  // managed policies attached in the account (in that order), each with its policies.
  // Fails with InvalidInput on a marker this operation did not return.
  [[nodiscard]] Result<AuthorizationDetails> GetAccountAuthorizationDetails(
      std::string_view account_id, const AuthorizationDetailsRequest& request);

 private:
  // The rows of the credential report of the account, as of now.
  [[nodiscard]] Result<std::string> BuildCredentialReport(std::string_view account_id);

  IamContext context_;
  std::mutex reports_mutex_;
  std::map<std::string, GeneratedCredentialReport, std::less<>> reports_;
};

// Appends the rows of CreateAccountAlias, DeleteAccountAlias, ListAccountAliases,
// Get/Update/DeleteAccountPasswordPolicy, GetAccountSummary, GenerateCredentialReport,
// GetCredentialReport and GetAccountAuthorizationDetails.
// REQUIRES: `service` outlives the rows.
void AddAccountOperations(AccountSettingsService& service, std::vector<OperationRow>& rows);

}  // namespace fulcrum::services::iam
