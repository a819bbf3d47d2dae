#include "services/iam/account_settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <utility>

#include "arn/arn.h"
#include "services/iam/credential_report.h"
#include "services/iam/errors.h"
#include "services/iam/managed_catalogue.h"
#include "services/iam/mfa.h"
#include "storage/account_store.h"

namespace fulcrum::services::iam {
namespace {

// Items per store call when a method reads a whole list.
constexpr size_t kReadPageSize = 1000;

// Quotas as GetAccountSummary reports them (AWS's defaults):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
constexpr int64_t kUsersQuota = 5000;
constexpr int64_t kGroupsQuota = 300;
constexpr int64_t kServerCertificatesQuota = 20;
constexpr int64_t kUserPolicySizeQuota = 2048;
constexpr int64_t kGroupPolicySizeQuota = 5120;
constexpr int64_t kGroupsPerUserQuota = 10;
constexpr int64_t kSigningCertificatesPerUserQuota = 2;
constexpr int64_t kAccessKeysPerUserQuota = 2;
constexpr int64_t kAttachedPoliciesPerGroupQuota = 10;
constexpr int64_t kAttachedPoliciesPerRoleQuota = 10;
constexpr int64_t kAttachedPoliciesPerUserQuota = 10;
constexpr int64_t kPoliciesQuota = 1500;
constexpr int64_t kPolicySizeQuota = 6144;
constexpr int64_t kPolicyVersionsInUseQuota = 10000;
constexpr int64_t kVersionsPerPolicyQuota = 5;
constexpr int64_t kGlobalEndpointTokenVersion = 1;
constexpr int64_t kAssumeRolePolicySizeQuota = 2048;
constexpr int64_t kRolesQuota = 1000;
constexpr int64_t kRolePolicySizeQuota = 10240;
constexpr int64_t kInstanceProfilesQuota = 1000;

// UpdateAccountPasswordPolicy's default MinimumPasswordLength.
constexpr int64_t kDefaultMinimumPasswordLength = 6;
// AWS's default password policy, which applies while the account has none.
constexpr size_t kDefaultPolicyMinimumLength = 8;
constexpr int kDefaultPolicyCharacterKinds = 3;
constexpr std::string_view kPasswordSymbols = "!@#$%^&*()_+-=[]{}|'";

constexpr std::string_view kAliasPattern = "^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$";
constexpr size_t kAliasMinLength = 3;
constexpr size_t kAliasMaxLength = 63;

constexpr std::string_view kReportStarted = "STARTED";
constexpr std::string_view kReportComplete = "COMPLETE";
constexpr std::string_view kNoReportDescription =
    "No report exists. Starting a new report generation task";

// The sections of GetAccountAuthorizationDetails, in the order pages walk through them, named by
// their Filter value.
constexpr std::array<std::string_view, 5> kDetailSections = {
    "User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy"};
enum DetailSection : size_t { kUsers, kGroups, kRoles, kLocalPolicies, kAwsPolicies };

// Hands every item of a paged store list to `each`, page by page.
template <class List, class Each>
Result<void> ForEachItem(List&& list, Each&& each) {
  storage::PageRequest page{.marker = "", .max_items = kReadPageSize};
  do {
    auto got = list(page);
    if (!got) return Fail(FromStorage(got.error()));
    for (auto& item : got->items) each(std::move(item));
    page.marker = std::move(got->next_marker);
  } while (!page.marker.empty());
  return {};
}

// Every item of a paged store list.
template <class T, class List>
Result<std::vector<T>> AllItems(List&& list) {
  std::vector<T> items;
  auto read =
      ForEachItem(std::forward<List>(list), [&](T item) { items.push_back(std::move(item)); });
  if (!read) return Fail(read.error());
  return items;
}

// The number of items of a paged store list.
template <class List>
Result<int64_t> CountItems(List&& list) {
  int64_t count = 0;
  auto read = ForEachItem(std::forward<List>(list), [&](auto&&) { ++count; });
  if (!read) return Fail(read.error());
  return count;
}

storage::PolicyFilter PolicyFilterOf(storage::PolicyScope scope, storage::PolicyUse use) {
  storage::PolicyFilter filter;
  filter.scope = scope;
  filter.use = use;
  return filter;
}

Error InvalidAlias(std::string_view alias, std::string_view constraint) {
  return ValidationError(fmt::format(
      "1 validation error detected: Value '{}' at 'accountAlias' failed to satisfy constraint: {}",
      alias, constraint));
}

Result<void> CheckAlias(std::string_view alias) {
  if (alias.size() < kAliasMinLength) {
    return Fail(InvalidAlias(
        alias,
        fmt::format("Member must have length greater than or equal to {}", kAliasMinLength)));
  }
  if (alias.size() > kAliasMaxLength) {
    return Fail(InvalidAlias(
        alias, fmt::format("Member must have length less than or equal to {}", kAliasMaxLength)));
  }
  const bool allowed = std::all_of(alias.begin(), alias.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!allowed || alias.front() == '-' || alias.back() == '-' ||
      alias.find("--") != std::string_view::npos) {
    return Fail(InvalidAlias(
        alias, fmt::format("Member must satisfy regular expression pattern: {}", kAliasPattern)));
  }
  return {};
}

size_t CountCodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

Error ReportExpired() {
  return Error{"ReportExpired",
               "The request was rejected because the most recent credential report has expired. "
               "To generate a new credential report, use GenerateCredentialReport.",
               {}};
}

// A GetAccountAuthorizationDetails marker: the section's index, then the store's marker within
// that section's list.
std::string DetailsMarker(size_t section, std::string_view store_marker) {
  return std::to_string(section) + std::string(store_marker);
}

struct DetailsPosition {
  size_t section = 0;
  std::string store_marker;
};

Result<DetailsPosition> ParseDetailsMarker(std::string_view marker) {
  if (marker.empty()) return DetailsPosition{};
  const char first = marker.front();
  if (first < '0' || first >= static_cast<char>('0' + kDetailSections.size())) {
    return Fail(InvalidInput("Invalid Marker."));
  }
  return DetailsPosition{static_cast<size_t>(first - '0'), std::string(marker.substr(1))};
}

}  // namespace

std::optional<int64_t> AccountSummary::Find(std::string_view key) const {
  for (const auto& [name, value] : entries) {
    if (name == key) return value;
  }
  return std::nullopt;
}

Result<void> CheckPassword(const std::optional<storage::PasswordPolicy>& policy,
                           std::string_view password) {
  bool upper = false;
  bool lower = false;
  bool digit = false;
  bool symbol = false;
  for (char c : password) {
    upper = upper || (c >= 'A' && c <= 'Z');
    lower = lower || (c >= 'a' && c <= 'z');
    digit = digit || (c >= '0' && c <= '9');
    symbol = symbol || kPasswordSymbols.find(c) != std::string_view::npos;
  }
  const size_t length = CountCodePoints(password);
  bool conforms = false;
  if (!policy) {
    const int kinds = int{upper} + int{lower} + int{digit} + int{symbol};
    conforms = length >= kDefaultPolicyMinimumLength && kinds >= kDefaultPolicyCharacterKinds;
  } else {
    conforms = static_cast<int64_t>(length) >= policy->minimum_password_length &&
               (!policy->require_uppercase_characters || upper) &&
               (!policy->require_lowercase_characters || lower) &&
               (!policy->require_numbers || digit) && (!policy->require_symbols || symbol);
  }
  if (!conforms) {
    return Fail(
        PasswordPolicyViolation("Password does not conform to the account password policy."));
  }
  return {};
}

Result<bool> RootUserHasMfa(storage::IamStore& iam, std::string_view account_id) {
  auto device = iam.GetVirtualMfaDevice(account_id, RootMfaSerialNumber(account_id));
  if (!device) return Fail(FromStorage(device.error()));
  if (!device->has_value()) return false;
  const storage::VirtualMfaDevice& found = **device;
  return found.user_name.empty() &&
         (found.enable_date.has_value() || found.last_time_step.has_value());
}

// ---- Account alias

Result<void> AccountSettingsService::CreateAccountAlias(std::string_view account_id,
                                                        std::string_view alias) {
  if (auto checked = CheckAlias(alias); !checked) return checked;
  if (auto set = context_.iam.SetAccountAlias(account_id, alias); !set) {
    return Fail(FromStorage(set.error()));
  }
  return {};
}

Result<void> AccountSettingsService::DeleteAccountAlias(std::string_view account_id,
                                                        std::string_view alias) {
  if (auto deleted = context_.iam.DeleteAccountAlias(account_id, alias); !deleted) {
    return Fail(FromStorage(deleted.error()));
  }
  return {};
}

Result<std::vector<std::string>> AccountSettingsService::ListAccountAliases(
    std::string_view account_id) {
  auto alias = context_.iam.GetAccountAlias(account_id);
  if (!alias) return Fail(FromStorage(alias.error()));
  std::vector<std::string> aliases;
  if (alias->has_value()) aliases.push_back(std::move(**alias));
  return aliases;
}

// ---- Password policy

Result<storage::PasswordPolicy> AccountSettingsService::GetAccountPasswordPolicy(
    std::string_view account_id) {
  auto policy = context_.iam.GetPasswordPolicy(account_id);
  if (!policy) return Fail(FromStorage(policy.error()));
  if (!policy->has_value()) {
    return Fail(NoSuchEntity(
        fmt::format("The Password Policy with domain name {} cannot be found.", account_id)));
  }
  return **policy;
}

Result<void> AccountSettingsService::UpdateAccountPasswordPolicy(
    std::string_view account_id, const AccountPasswordPolicyUpdate& update) {
  storage::PasswordPolicy policy;
  policy.minimum_password_length =
      update.minimum_password_length.value_or(kDefaultMinimumPasswordLength);
  policy.require_symbols = update.require_symbols.value_or(false);
  policy.require_numbers = update.require_numbers.value_or(false);
  policy.require_uppercase_characters = update.require_uppercase_characters.value_or(false);
  policy.require_lowercase_characters = update.require_lowercase_characters.value_or(false);
  policy.allow_users_to_change_password = update.allow_users_to_change_password.value_or(false);
  // 0 means "never expire" / "no reuse prevention", as when the field is absent.
  if (update.max_password_age && *update.max_password_age > 0) {
    policy.max_password_age = update.max_password_age;
  }
  if (update.password_reuse_prevention && *update.password_reuse_prevention > 0) {
    policy.password_reuse_prevention = update.password_reuse_prevention;
  }
  policy.hard_expiry = update.hard_expiry;
  if (auto put = context_.iam.PutPasswordPolicy(account_id, policy); !put) {
    return Fail(FromStorage(put.error()));
  }
  return {};
}

Result<void> AccountSettingsService::DeleteAccountPasswordPolicy(std::string_view account_id) {
  if (auto deleted = context_.iam.DeletePasswordPolicy(account_id); !deleted) {
    return Fail(FromStorage(deleted.error()));
  }
  return {};
}

// ---- Account summary

Result<AccountSummary> AccountSettingsService::GetAccountSummary(std::string_view account_id) {
  storage::IamStore& iam = context_.iam;
  auto users = CountItems(
      [&](const storage::PageRequest& page) { return iam.ListUsers(account_id, "", page); });
  if (!users) return Fail(users.error());
  auto groups = CountItems(
      [&](const storage::PageRequest& page) { return iam.ListGroups(account_id, "", page); });
  if (!groups) return Fail(groups.error());
  auto roles = CountItems(
      [&](const storage::PageRequest& page) { return iam.ListRoles(account_id, "", page); });
  if (!roles) return Fail(roles.error());
  auto policies = CountItems([&](const storage::PageRequest& page) {
    return iam.ListPolicies(
        account_id, PolicyFilterOf(storage::PolicyScope::kLocal, storage::PolicyUse::kAny), page);
  });
  if (!policies) return Fail(policies.error());
  // Each attachment of a managed policy (customer or AWS managed) to a user, group or role of
  // the account puts its default version in use.
  int64_t versions_in_use = 0;
  auto attached = ForEachItem(
      [&](const storage::PageRequest& page) {
        return iam.ListPolicies(
            account_id, PolicyFilterOf(storage::PolicyScope::kAll, storage::PolicyUse::kAttached),
            page);
      },
      [&](const storage::ManagedPolicy& policy) { versions_in_use += policy.attachment_count; });
  if (!attached) return Fail(attached.error());
  auto mfa_devices = CountItems([&](const storage::PageRequest& page) {
    return iam.ListVirtualMfaDevices(account_id, storage::MfaAssignment::kAny, page);
  });
  if (!mfa_devices) return Fail(mfa_devices.error());
  auto mfa_assigned = CountItems([&](const storage::PageRequest& page) {
    return iam.ListVirtualMfaDevices(account_id, storage::MfaAssignment::kAssigned, page);
  });
  if (!mfa_assigned) return Fail(mfa_assigned.error());
  auto root_mfa = RootUserHasMfa(iam, account_id);
  if (!root_mfa) return Fail(root_mfa.error());
  auto root_keys = context_.accounts.ListAccessKeys(account_id, "");
  if (!root_keys) return Fail(FromStorage(root_keys.error()));
  auto account = context_.accounts.FindAccountById(account_id);
  if (!account) return Fail(FromStorage(account.error()));
  const bool root_password = account->has_value() && !(*account)->root_password_hash.empty();

  AccountSummary summary;
  summary.entries = {
      {"Users", *users},
      {"UsersQuota", kUsersQuota},
      {"Groups", *groups},
      {"GroupsQuota", kGroupsQuota},
      {"ServerCertificates", 0},
      {"ServerCertificatesQuota", kServerCertificatesQuota},
      {"UserPolicySizeQuota", kUserPolicySizeQuota},
      {"GroupPolicySizeQuota", kGroupPolicySizeQuota},
      {"GroupsPerUserQuota", kGroupsPerUserQuota},
      {"SigningCertificatesPerUserQuota", kSigningCertificatesPerUserQuota},
      {"AccessKeysPerUserQuota", kAccessKeysPerUserQuota},
      {"MFADevices", *mfa_devices},
      // The root user's device is enabled without being assigned to an IAM user.
      {"MFADevicesInUse", *mfa_assigned + (*root_mfa ? 1 : 0)},
      {"AccountMFAEnabled", *root_mfa ? 1 : 0},
      {"AccountAccessKeysPresent", root_keys->empty() ? 0 : 1},
      {"AccountPasswordPresent", root_password ? 1 : 0},
      {"AccountSigningCertificatesPresent", 0},
      {"AttachedPoliciesPerGroupQuota", kAttachedPoliciesPerGroupQuota},
      {"AttachedPoliciesPerRoleQuota", kAttachedPoliciesPerRoleQuota},
      {"AttachedPoliciesPerUserQuota", kAttachedPoliciesPerUserQuota},
      {"Policies", *policies},
      {"PoliciesQuota", kPoliciesQuota},
      {"PolicySizeQuota", kPolicySizeQuota},
      {"PolicyVersionsInUse", versions_in_use},
      {"PolicyVersionsInUseQuota", kPolicyVersionsInUseQuota},
      {"VersionsPerPolicyQuota", kVersionsPerPolicyQuota},
      {"GlobalEndpointTokenVersion", kGlobalEndpointTokenVersion},
      {"AssumeRolePolicySizeQuota", kAssumeRolePolicySizeQuota},
      {"Roles", *roles},
      {"RolesQuota", kRolesQuota},
      {"RolePolicySizeQuota", kRolePolicySizeQuota},
      {"InstanceProfiles", 0},
      {"InstanceProfilesQuota", kInstanceProfilesQuota},
      {"Providers", 0},
  };
  return summary;
}

// ---- Credential report

Result<std::string> AccountSettingsService::BuildCredentialReport(std::string_view account_id) {
  storage::IamStore& iam = context_.iam;
  storage::AccountStore& accounts = context_.accounts;

  auto account = accounts.FindAccountById(account_id);
  if (!account) return Fail(FromStorage(account.error()));
  if (!account->has_value()) {
    return Fail(NoSuchEntity(fmt::format("The account {} cannot be found.", account_id)));
  }
  auto policy = iam.GetPasswordPolicy(account_id);
  if (!policy) return Fail(FromStorage(policy.error()));

  // The keys of `user_name` (empty = root) with their last use.
  auto keys_of = [&](std::string_view user_name) -> Result<std::vector<CredentialReportKey>> {
    auto keys = accounts.ListAccessKeys(account_id, user_name);
    if (!keys) return Fail(FromStorage(keys.error()));
    std::vector<CredentialReportKey> shown;
    for (const storage::AccessKey& key : *keys) {
      auto used = iam.GetAccessKeyLastUsed(key.access_key_id);
      if (!used && used.error().code != storage::kNoSuchEntity) {
        return Fail(FromStorage(used.error()));
      }
      shown.push_back(CredentialReportKey{
          .active = key.active, .created = key.created, .last_used = used ? *used : std::nullopt});
    }
    return shown;
  };

  std::vector<CredentialReportEntry> entries;
  CredentialReportEntry root;
  root.is_root = true;
  root.arn = arn::RootArn(account_id);
  root.created = (*account)->created;
  auto root_mfa = RootUserHasMfa(iam, account_id);
  if (!root_mfa) return Fail(root_mfa.error());
  root.mfa_active = *root_mfa;
  auto root_keys = keys_of("");
  if (!root_keys) return Fail(root_keys.error());
  root.access_keys = std::move(*root_keys);
  entries.push_back(std::move(root));

  auto users = AllItems<storage::User>(
      [&](const storage::PageRequest& page) { return iam.ListUsers(account_id, "", page); });
  if (!users) return Fail(users.error());
  for (storage::User& user : *users) {
    CredentialReportEntry entry;
    entry.user_name = user.user_name;
    entry.arn = user.arn;
    entry.created = user.created;
    entry.password_last_used = user.password_last_used;
    auto profile = iam.GetLoginProfile(account_id, user.user_name);
    if (!profile) return Fail(FromStorage(profile.error()));
    if (profile->has_value()) {
      entry.password_enabled = true;
      // The store keeps when the profile was created, not when its password last changed.
      entry.password_last_changed = (*profile)->created;
      if (*policy && (**policy).max_password_age) {
        entry.password_next_rotation =
            (*profile)->created + std::chrono::days(*(**policy).max_password_age);
      }
    }
    auto mfa = iam.ListMfaDevicesForUser(account_id, user.user_name,
                                         storage::PageRequest{.marker = "", .max_items = 1});
    if (!mfa) return Fail(FromStorage(mfa.error()));
    entry.mfa_active = !mfa->items.empty();
    auto keys = keys_of(user.user_name);
    if (!keys) return Fail(keys.error());
    entry.access_keys = std::move(*keys);
    entries.push_back(std::move(entry));
  }
  return RenderCredentialReport(entries);
}

Result<CredentialReportGeneration> AccountSettingsService::GenerateCredentialReport(
    std::string_view account_id) {
  const TimePoint now = context_.clock.Now();
  bool existed = false;
  {
    std::lock_guard lock(reports_mutex_);
    auto it = reports_.find(account_id);
    if (it != reports_.end()) {
      if (now - it->second.generated < kCredentialReportLifetime) {
        return CredentialReportGeneration{std::string(kReportComplete), std::nullopt};
      }
      existed = true;
    }
  }
  auto content = BuildCredentialReport(account_id);
  if (!content) return Fail(content.error());
  {
    std::lock_guard lock(reports_mutex_);
    reports_[std::string(account_id)] = GeneratedCredentialReport{std::move(*content), now};
  }
  CredentialReportGeneration generation{std::string(kReportStarted), std::nullopt};
  if (!existed) generation.description = std::string(kNoReportDescription);
  return generation;
}

Result<GeneratedCredentialReport> AccountSettingsService::GetCredentialReport(
    std::string_view account_id) {
  const TimePoint now = context_.clock.Now();
  std::lock_guard lock(reports_mutex_);
  auto it = reports_.find(account_id);
  if (it == reports_.end()) {
    return Fail(ReportNotPresent(
        "The request was rejected because the credential report does not exist. To generate a "
        "credential report, use GenerateCredentialReport."));
  }
  if (now - it->second.generated >= kCredentialReportLifetime) return Fail(ReportExpired());
  return it->second;
}

// ---- Authorization details

Result<AuthorizationDetails> AccountSettingsService::GetAccountAuthorizationDetails(
    std::string_view account_id, const AuthorizationDetailsRequest& request) {
  storage::IamStore& iam = context_.iam;
  auto position = ParseDetailsMarker(request.page.marker);
  if (!position) return Fail(position.error());
  auto included = [&](size_t section) {
    return request.filter.empty() || std::find(request.filter.begin(), request.filter.end(),
                                               kDetailSections[section]) != request.filter.end();
  };
  auto attached_of = [&](const storage::PrincipalRef& principal)
      -> Result<std::vector<AuthorizationDetails::AttachedPolicy>> {
    std::vector<AuthorizationDetails::AttachedPolicy> attached;
    auto read = ForEachItem(
        [&](const storage::PageRequest& page) {
          return iam.ListAttachedPolicies(principal, "", page);
        },
        [&](storage::ManagedPolicy policy) {
          attached.push_back({std::move(policy.policy_name), std::move(policy.arn)});
        });
    if (!read) return Fail(read.error());
    return attached;
  };
  auto inline_of = [&](const storage::PrincipalRef& principal) {
    return AllItems<storage::InlinePolicy>(
        [&](const storage::PageRequest& page) { return iam.ListInlinePolicies(principal, page); });
  };

  AuthorizationDetails details;
  size_t remaining = std::max<size_t>(request.page.max_items, 1);

  // Adds one listed entity to `details`, with what it holds.
  auto add_user = [&](storage::User user) -> Result<void> {
    const storage::PrincipalRef ref{storage::PrincipalKind::kUser, std::string(account_id),
                                    user.user_name};
    auto policies = inline_of(ref);
    if (!policies) return Fail(policies.error());
    auto attached = attached_of(ref);
    if (!attached) return Fail(attached.error());
    AuthorizationDetails::User detail{.user = std::move(user),
                                      .inline_policies = std::move(*policies),
                                      .group_names = {},
                                      .attached_policies = std::move(*attached)};
    auto read = ForEachItem(
        [&](const storage::PageRequest& page) {
          return iam.ListGroupsForUser(account_id, detail.user.user_name, page);
        },
        [&](storage::Group group) { detail.group_names.push_back(std::move(group.group_name)); });
    if (!read) return Fail(read.error());
    details.users.push_back(std::move(detail));
    return {};
  };
  auto add_group = [&](storage::Group group) -> Result<void> {
    const storage::PrincipalRef ref{storage::PrincipalKind::kGroup, std::string(account_id),
                                    group.group_name};
    auto policies = inline_of(ref);
    if (!policies) return Fail(policies.error());
    auto attached = attached_of(ref);
    if (!attached) return Fail(attached.error());
    details.groups.push_back({std::move(group), std::move(*policies), std::move(*attached)});
    return {};
  };
  auto add_role = [&](storage::Role role) -> Result<void> {
    const storage::PrincipalRef ref{storage::PrincipalKind::kRole, std::string(account_id),
                                    role.role_name};
    auto policies = inline_of(ref);
    if (!policies) return Fail(policies.error());
    auto attached = attached_of(ref);
    if (!attached) return Fail(attached.error());
    details.roles.push_back({std::move(role), std::move(*policies), std::move(*attached)});
    return {};
  };
  auto add_policy = [&](storage::ManagedPolicy policy) -> Result<void> {
    auto versions = AllItems<storage::PolicyVersion>([&](const storage::PageRequest& page) {
      return iam.ListPolicyVersions(account_id, policy.arn, page);
    });
    if (!versions) return Fail(versions.error());
    // AWS managed policies are reported with the catalogue's version id and dates.
    for (storage::PolicyVersion& version : *versions) {
      if (version.is_default) version = AsAwsHasIt(std::move(version));
    }
    details.policies.push_back({AsAwsHasIt(std::move(policy)), std::move(*versions)});
    return {};
  };

  // Reads one page of `section` from the store marker on; returns the store's next marker.
  auto read_section = [&](size_t section, const storage::PageRequest& page) -> Result<std::string> {
    auto take = [&](auto listed, auto add) -> Result<std::string> {
      if (!listed) return Fail(FromStorage(listed.error()));
      for (auto& item : listed->items) {
        if (auto added = add(std::move(item)); !added) return Fail(added.error());
        --remaining;
      }
      return std::move(listed->next_marker);
    };
    switch (section) {
      case kUsers:
        return take(iam.ListUsers(account_id, "", page), add_user);
      case kGroups:
        return take(iam.ListGroups(account_id, "", page), add_group);
      case kRoles:
        return take(iam.ListRoles(account_id, "", page), add_role);
      case kLocalPolicies:
        return take(
            iam.ListPolicies(account_id,
                             PolicyFilterOf(storage::PolicyScope::kLocal, storage::PolicyUse::kAny),
                             page),
            add_policy);
      default:
        return take(
            iam.ListPolicies(
                account_id,
                PolicyFilterOf(storage::PolicyScope::kAws, storage::PolicyUse::kAttached), page),
            add_policy);
    }
  };

  std::string store_marker = std::move(position->store_marker);
  for (size_t section = position->section; section < kDetailSections.size(); ++section) {
    if (!included(section)) {
      store_marker.clear();
      continue;
    }
    if (remaining == 0) {
      details.next_marker = DetailsMarker(section, "");
      return details;
    }
    do {
      auto next = read_section(section, {.marker = store_marker, .max_items = remaining});
      if (!next) return Fail(next.error());
      store_marker = std::move(*next);
      if (!store_marker.empty() && remaining == 0) {
        details.next_marker = DetailsMarker(section, store_marker);
        return details;
      }
    } while (!store_marker.empty());
  }
  return details;
}

}  // namespace fulcrum::services::iam
