#include "cli/bootstrap.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <utility>

#include "cli/access_key_csv.h"

namespace fulcrum::cli {
namespace {

std::string UserName() { return std::string(kBootstrapUserName); }

// `error` with the IAM call and what a next run does prefixed to its message.
Error Named(std::string_view call, Error error) {
  error.message = fmt::format("IAM {} failed: {}: {}", call, error.code, error.message);
  return error;
}

}  // namespace

Result<std::map<std::string, int>> ClientBootstrapIam::GetAccountSummary() {
  return iam_.GetAccountSummary();
}
Result<client::User> ClientBootstrapIam::GetUser(const std::string& user_name) {
  return iam_.GetUser(user_name);
}
Result<client::User> ClientBootstrapIam::CreateUser(const std::string& user_name) {
  return iam_.CreateUser(user_name);
}
Result<void> ClientBootstrapIam::AttachUserPolicy(const std::string& user_name,
                                                  const std::string& policy_arn) {
  return iam_.AttachUserPolicy(user_name, policy_arn);
}
Result<std::vector<client::AttachedPolicy>> ClientBootstrapIam::ListAttachedUserPolicies(
    const std::string& user_name) {
  return iam_.ListAttachedUserPolicies(user_name);
}
Result<std::vector<client::Group>> ClientBootstrapIam::ListGroupsForUser(
    const std::string& user_name) {
  return iam_.ListGroupsForUser(user_name);
}
Result<std::optional<client::LoginProfile>> ClientBootstrapIam::GetLoginProfile(
    const std::string& user_name) {
  return iam_.GetLoginProfile(user_name);
}
Result<void> ClientBootstrapIam::DeleteLoginProfile(const std::string& user_name) {
  return iam_.DeleteLoginProfile(user_name);
}
Result<client::AccessKey> ClientBootstrapIam::CreateAccessKey(const std::string& user_name) {
  return iam_.CreateAccessKey(user_name);
}
Result<std::vector<client::AccessKeyMetadata>> ClientBootstrapIam::ListAccessKeys(
    const std::string& user_name) {
  return iam_.ListAccessKeys(user_name);
}
Result<void> ClientBootstrapIam::DeleteAccessKey(const std::string& access_key_id,
                                                 const std::string& user_name) {
  return iam_.DeleteAccessKey(access_key_id, user_name);
}

Result<BootstrapState> ReadBootstrapState(BootstrapIam& iam, const std::filesystem::path& csv,
                                          std::set<std::string> held_key_ids) {
  BootstrapState state;
  auto summary = iam.GetAccountSummary();
  if (!summary) return Fail(Named("GetAccountSummary", summary.error()));
  const auto mfa = summary->find("AccountMFAEnabled");
  state.root_mfa_enabled = mfa != summary->end() && mfa->second > 0;

  if (auto key = ReadAccessKeyCsv(csv)) held_key_ids.insert(key->access_key_id);
  state.held_key_ids = std::move(held_key_ids);

  auto user = iam.GetUser(UserName());
  if (!user) {
    if (user.error().code == "NoSuchEntity") return state;
    return Fail(Named("GetUser", user.error()));
  }
  state.user_exists = true;
  auto policies = iam.ListAttachedUserPolicies(UserName());
  if (!policies) return Fail(Named("ListAttachedUserPolicies", policies.error()));
  state.administrator_access_attached =
      std::any_of(policies->begin(), policies->end(), [](const client::AttachedPolicy& policy) {
        return policy.policy_arn == kAdministratorAccessArn;
      });
  auto groups = iam.ListGroupsForUser(UserName());
  if (!groups) return Fail(Named("ListGroupsForUser", groups.error()));
  for (const client::Group& group : *groups) state.groups.push_back(group.group_name);
  auto login = iam.GetLoginProfile(UserName());
  if (!login) return Fail(Named("GetLoginProfile", login.error()));
  state.has_login_profile = login->has_value();
  auto keys = iam.ListAccessKeys(UserName());
  if (!keys) return Fail(Named("ListAccessKeys", keys.error()));
  for (const client::AccessKeyMetadata& key : *keys) {
    state.access_key_ids.push_back(key.access_key_id);
  }
  return state;
}

std::string_view ActionName(BootstrapAction action) {
  switch (action) {
    case BootstrapAction::kEnableRootMfa:
      return "root-mfa";
    case BootstrapAction::kCreateUser:
      return "create-user";
    case BootstrapAction::kAttachAdministratorAccess:
      return "attach-policy";
    case BootstrapAction::kDeleteLoginProfile:
      return "delete-login-profile";
    case BootstrapAction::kCreateAccessKey:
      return "create-access-key";
    case BootstrapAction::kRotateAccessKey:
      return "rotate-access-key";
  }
  return "unknown";
}

BootstrapPlan PlanBootstrap(const BootstrapState& state, const BootstrapPlanOptions& options) {
  using enum BootstrapAction;
  BootstrapPlan plan;
  auto satisfied = [&plan](BootstrapAction action, std::string description) {
    plan.satisfied.push_back({std::string(ActionName(action)), std::move(description)});
  };

  if (state.root_mfa_enabled) {
    satisfied(kEnableRootMfa, "Root MFA is enabled");
  } else {
    plan.steps.push_back({kEnableRootMfa, "Enable MFA for the root user"});
  }

  if (state.user_exists) {
    satisfied(kCreateUser, fmt::format("IAM user {} exists", UserName()));
  } else {
    plan.steps.push_back({kCreateUser, fmt::format("Create IAM user {}", UserName())});
  }
  if (state.administrator_access_attached) {
    satisfied(kAttachAdministratorAccess, "AdministratorAccess is attached");
  } else {
    plan.steps.push_back(
        {kAttachAdministratorAccess, fmt::format("Attach AdministratorAccess to {}", UserName())});
  }
  if (state.has_login_profile) {
    plan.steps.push_back(
        {kDeleteLoginProfile, fmt::format("Delete the console password of {}", UserName())});
  } else {
    satisfied(kDeleteLoginProfile, "No console password");
  }
  if (!state.groups.empty()) {
    std::string names;
    for (const std::string& group : state.groups) {
      names += (names.empty() ? "" : ", ") + group;
    }
    plan.warnings.push_back(
        fmt::format("{} is in group(s) {}; the page wants no group: remove it with `aws iam "
                    "remove-user-from-group --user-name {} --group-name <group>`",
                    UserName(), names, UserName()));
  }

  const std::string csv = options.csv.string();
  const bool held =
      std::any_of(state.access_key_ids.begin(), state.access_key_ids.end(),
                  [&state](const std::string& id) { return state.held_key_ids.contains(id); });
  if (state.access_key_ids.empty()) {
    plan.steps.push_back({kCreateAccessKey, fmt::format("Create an access key for {} and write {}",
                                                        UserName(), csv)});
  } else if (held && !options.rotate_key) {
    satisfied(kCreateAccessKey,
              fmt::format("{} has an access key whose secret is kept", UserName()));
  } else if (!options.rotate_key) {
    plan.blocker = fmt::format(
        "{} has access key(s) {} but {} is missing and no configured profile holds the key: "
        "its secret is lost (IAM shows a secret only once). Run again with --rotate-key to create "
        "a new key, write the CSV and delete the old one, or put the CSV back.",
        UserName(), fmt::join(state.access_key_ids, ", "), csv);
  } else if (state.access_key_ids.size() >= kMaxAccessKeysPerUser) {
    plan.blocker = fmt::format(
        "{} already has {} access keys, IAM's limit, so none can be created to rotate: delete "
        "the one you do not use (`aws iam delete-access-key --user-name {} --access-key-id ID`) "
        "and run again with --rotate-key.",
        UserName(), state.access_key_ids.size(), UserName());
  } else {
    plan.steps.push_back(
        {kRotateAccessKey, fmt::format("Replace access key(s) {} of {}: create a new key, write "
                                       "{}, delete the old one",
                                       fmt::join(state.access_key_ids, ", "), UserName(), csv)});
  }
  if (plan.blocker) plan.steps.clear();
  return plan;
}

Result<BootstrapOutcome> ApplyBootstrap(BootstrapIam& iam, const BootstrapPlan& plan,
                                        const BootstrapState& state,
                                        const std::filesystem::path& csv,
                                        const std::function<Result<void>()>& enable_root_mfa) {
  BootstrapOutcome outcome;
  auto new_key = [&](std::string_view call) -> Result<void> {
    auto key = iam.CreateAccessKey(UserName());
    if (!key) return Fail(Named(call, key.error()));
    if (auto written = WriteAccessKeyCsv(csv, key->access_key_id, key->secret_access_key);
        !written) {
      Error error = written.error();
      error.message = fmt::format(
          "{} (access key {} was created but its secret could not be saved: run again with "
          "--rotate-key)",
          error.message, key->access_key_id);
      return Fail(std::move(error));
    }
    return {};
  };
  for (const BootstrapStep& step : plan.steps) {
    switch (step.action) {
      case BootstrapAction::kEnableRootMfa: {
        if (auto enabled = enable_root_mfa(); !enabled) return Fail(enabled.error());
        auto summary = iam.GetAccountSummary();
        if (!summary) return Fail(Named("GetAccountSummary", summary.error()));
        const auto mfa = summary->find("AccountMFAEnabled");
        if (mfa == summary->end() || mfa->second == 0) {
          return Fail("RootMfaNotEnabled",
                      "IAM GetAccountSummary still reports AccountMFAEnabled = 0: enable MFA for "
                      "the root user, then run again");
        }
        break;
      }
      case BootstrapAction::kCreateUser:
        if (auto user = iam.CreateUser(UserName()); !user) {
          return Fail(Named("CreateUser", user.error()));
        }
        break;
      case BootstrapAction::kAttachAdministratorAccess:
        if (auto attached = iam.AttachUserPolicy(UserName(), std::string(kAdministratorAccessArn));
            !attached) {
          return Fail(Named("AttachUserPolicy", attached.error()));
        }
        break;
      case BootstrapAction::kDeleteLoginProfile:
        if (auto deleted = iam.DeleteLoginProfile(UserName()); !deleted) {
          return Fail(Named("DeleteLoginProfile", deleted.error()));
        }
        break;
      case BootstrapAction::kCreateAccessKey:
        if (auto created = new_key("CreateAccessKey"); !created) return Fail(created.error());
        break;
      case BootstrapAction::kRotateAccessKey:
        if (auto created = new_key("CreateAccessKey"); !created) return Fail(created.error());
        for (const std::string& old_key : state.access_key_ids) {
          if (auto deleted = iam.DeleteAccessKey(old_key, UserName()); !deleted) {
            return Fail(Named("DeleteAccessKey", deleted.error()));
          }
        }
        break;
    }
    outcome.done.push_back(step);
  }
  return outcome;
}

std::vector<std::string> BillingReviewChecklist() {
  return {
      "Set the alternate contacts (billing, operations, security): console > Account > "
      "Alternate contacts",
      "Activate IAM user and role access to billing information: console > Account > IAM user "
      "and role access to Billing information > Edit",
      "Review the payment method, currency and tax settings: "
      "https://console.aws.amazon.com/billing/home?#/account",
  };
}

}  // namespace fulcrum::cli
