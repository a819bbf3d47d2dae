#pragma once

// The management-account bootstrap of Leverage's "Set Up your AWS Management account" page as a
// plan over what the account already holds: root MFA on, the IAM user `mgmt-org-admin` with no
// console password and no group, AdministratorAccess attached directly, and one access key whose
// secret sits in AWS's CSV (`mgmt-org-admin_accessKeys.csv`).
//
// Three stages keep it idempotent: ReadBootstrapState only reads; PlanBootstrap (pure) lists the
// steps still needed; ApplyBootstrap performs them in order. A second run plans nothing. A run cut
// off half-way plans only what is missing. An access key whose secret nobody holds any more (the
// CSV was lost after CreateAccessKey) is never replaced silently: the plan reports it and only
// `rotate_key` replaces it (create the new key, write the CSV, then delete the old keys).
//
// Thread-compatible: one BootstrapIam per thread.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "client/iam_client.h"
#include "common/result.h"

namespace fulcrum::cli {

inline constexpr std::string_view kBootstrapUserName = "mgmt-org-admin";
inline constexpr std::string_view kAdministratorAccessArn =
    "arn:aws:iam::aws:policy/AdministratorAccess";
// IAM's limit of access keys per user.
inline constexpr size_t kMaxAccessKeysPerUser = 2;

// The IAM calls the bootstrap makes: client::IamClient's, behind an interface so tests can use
// canned state. Every method has IamClient's contract.
class BootstrapIam {
 public:
  virtual ~BootstrapIam() = default;
  [[nodiscard]] virtual Result<std::map<std::string, int>> GetAccountSummary() = 0;
  [[nodiscard]] virtual Result<client::User> GetUser(const std::string& user_name) = 0;
  [[nodiscard]] virtual Result<client::User> CreateUser(const std::string& user_name) = 0;
  [[nodiscard]] virtual Result<void> AttachUserPolicy(const std::string& user_name,
                                                      const std::string& policy_arn) = 0;
  [[nodiscard]] virtual Result<std::vector<client::AttachedPolicy>> ListAttachedUserPolicies(
      const std::string& user_name) = 0;
  [[nodiscard]] virtual Result<std::vector<client::Group>> ListGroupsForUser(
      const std::string& user_name) = 0;
  [[nodiscard]] virtual Result<std::optional<client::LoginProfile>> GetLoginProfile(
      const std::string& user_name) = 0;
  [[nodiscard]] virtual Result<void> DeleteLoginProfile(const std::string& user_name) = 0;
  [[nodiscard]] virtual Result<client::AccessKey> CreateAccessKey(const std::string& user_name) = 0;
  [[nodiscard]] virtual Result<std::vector<client::AccessKeyMetadata>> ListAccessKeys(
      const std::string& user_name) = 0;
  [[nodiscard]] virtual Result<void> DeleteAccessKey(const std::string& access_key_id,
                                                     const std::string& user_name) = 0;
};

// BootstrapIam over a real client. `iam` must outlive the object.
class ClientBootstrapIam final : public BootstrapIam {
 public:
  explicit ClientBootstrapIam(client::IamClient& iam) : iam_(iam) {}
  Result<std::map<std::string, int>> GetAccountSummary() override;
  Result<client::User> GetUser(const std::string& user_name) override;
  Result<client::User> CreateUser(const std::string& user_name) override;
  Result<void> AttachUserPolicy(const std::string& user_name,
                                const std::string& policy_arn) override;
  Result<std::vector<client::AttachedPolicy>> ListAttachedUserPolicies(
      const std::string& user_name) override;
  Result<std::vector<client::Group>> ListGroupsForUser(const std::string& user_name) override;
  Result<std::optional<client::LoginProfile>> GetLoginProfile(
      const std::string& user_name) override;
  Result<void> DeleteLoginProfile(const std::string& user_name) override;
  Result<client::AccessKey> CreateAccessKey(const std::string& user_name) override;
  Result<std::vector<client::AccessKeyMetadata>> ListAccessKeys(
      const std::string& user_name) override;
  Result<void> DeleteAccessKey(const std::string& access_key_id,
                               const std::string& user_name) override;

 private:
  client::IamClient& iam_;
};

// What the account and the local files hold, as read before any change.
struct BootstrapState {
  bool root_mfa_enabled = false;
  bool user_exists = false;
  bool administrator_access_attached = false;
  bool has_login_profile = false;
  std::vector<std::string> groups;          // groups the user is a member of
  std::vector<std::string> access_key_ids;  // the user's keys, in IAM's order
  // Key ids whose secret someone holds: the CSV's, the caller's own, the project's profile's.
  std::set<std::string> held_key_ids;
};

// On success, the state of the account seen through `iam`, with `held_key_ids` as given plus the
// key id of the CSV at `csv` when it exists and parses.
[[nodiscard]] Result<BootstrapState> ReadBootstrapState(BootstrapIam& iam,
                                                        const std::filesystem::path& csv,
                                                        std::set<std::string> held_key_ids);

enum class BootstrapAction {
  kEnableRootMfa,
  kCreateUser,
  kAttachAdministratorAccess,
  kDeleteLoginProfile,
  kCreateAccessKey,  // create a key and write the CSV
  kRotateAccessKey,  // create a key, write the CSV, delete every older key of the user
};

// The step's name in JSON output: "root-mfa", "create-user", "attach-policy",
// "delete-login-profile", "create-access-key", "rotate-access-key".
[[nodiscard]] std::string_view ActionName(BootstrapAction action);

struct BootstrapStep {
  BootstrapAction action;
  std::string description;  // what the step does, e.g. "Create IAM user mgmt-org-admin"
};

// One check whose outcome needs no change: shown with a tick.
struct BootstrapCheck {
  std::string name;         // as ActionName, for JSON
  std::string description;  // e.g. "Root MFA is enabled"
};

struct BootstrapPlan {
  std::vector<BootstrapCheck> satisfied;  // already in place
  std::vector<BootstrapStep> steps;       // to do, in order
  std::vector<std::string> warnings;      // worth telling, not changed (e.g. group membership)
  // Set when the plan cannot proceed without the user (a key whose secret is lost and no
  // `rotate_key`, or too many keys to rotate): what is wrong and the fix. No step runs then.
  std::optional<std::string> blocker;

  [[nodiscard]] bool NothingToChange() const { return steps.empty() && !blocker; }
};

struct BootstrapPlanOptions {
  bool rotate_key = false;
  std::filesystem::path csv;  // named in descriptions
};

// The steps that bring `state` to the page's end state. Pure.
[[nodiscard]] BootstrapPlan PlanBootstrap(const BootstrapState& state,
                                          const BootstrapPlanOptions& options);

// What ApplyBootstrap did, one line per step, in order.
struct BootstrapOutcome {
  std::vector<BootstrapStep> done;
};

// Performs `plan.steps` in order through `iam`. kEnableRootMfa calls `enable_root_mfa`, which must
// leave root MFA enabled (ApplyBootstrap then checks AccountMFAEnabled again). New access keys are
// written to `csv` (0600, WriteAccessKeyCsv) before any old key is deleted. Stops at the first
// failure; the error names the IAM call and the state left (a next run completes it).
// REQUIRES: !plan.blocker.
[[nodiscard]] Result<BootstrapOutcome> ApplyBootstrap(
    BootstrapIam& iam, const BootstrapPlan& plan, const BootstrapState& state,
    const std::filesystem::path& csv, const std::function<Result<void>()>& enable_root_mfa);

// The billing review the page asks for, as checklist items (until the Account API is served).
[[nodiscard]] std::vector<std::string> BillingReviewChecklist();

}  // namespace fulcrum::cli
