#include "services/iam/policies.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "arn/arn.h"
#include "common/encoding.h"
#include "common/ids.h"
#include "services/iam/errors.h"
#include "services/iam/managed_catalogue.h"
#include "services/iam/roles.h"
#include "storage/account_store.h"

namespace fulcrum::services::iam {
namespace {

// How many fresh ids a create tries before it gives up on a (vanishingly rare) id collision.
constexpr int kIdAttempts = 5;
constexpr std::string_view kPolicyIdPrefix = "ANPA";

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html
constexpr std::string_view kTooManyVersions =
    "A managed policy can have up to 5 versions. Before you create a new version, you must delete "
    "an existing version.";

// Inline policies are read a page at a time when their sizes are added up.
constexpr size_t kInlinePageSize = 100;

std::string_view KindWord(storage::PrincipalKind kind) {
  switch (kind) {
    case storage::PrincipalKind::kUser:
      return "user";
    case storage::PrincipalKind::kGroup:
      return "group";
    case storage::PrincipalKind::kRole:
      return "role";
  }
  return "user";
}

size_t InlineQuota(storage::PrincipalKind kind) {
  switch (kind) {
    case storage::PrincipalKind::kUser:
      return kMaxUserInlinePoliciesSize;
    case storage::PrincipalKind::kGroup:
      return kMaxGroupInlinePoliciesSize;
    case storage::PrincipalKind::kRole:
      return kMaxRoleInlinePoliciesSize;
  }
  return kMaxUserInlinePoliciesSize;
}

Error PolicyNotFound(std::string_view policy_arn) {
  return NoSuchEntity(fmt::format("Policy {} was not found.", policy_arn));
}

Error NoSuchVersion(std::string_view policy_arn, std::string_view version_id) {
  return NoSuchEntity(fmt::format("Policy {} version {} does not exist or is not attachable.",
                                  policy_arn, version_id));
}

Error ManagedPolicyTooLarge() {
  return LimitExceeded(
      fmt::format("Cannot exceed quota for PolicySize: {}", kMaxManagedPolicySize));
}

// InvalidInput ("ARN X is not valid.") unless `policy_arn` is an ARN.
Result<void> CheckArn(std::string_view policy_arn) {
  auto parsed = arn::Parse(policy_arn);
  if (!parsed) return Fail(InvalidInput(parsed.error().message));
  return {};
}

// A managed policy's document: within IAM's size quota, grammatical, and of version 2012-10-17.
Result<void> CheckManagedDocument(std::string_view document) {
  if (PolicySize(document) > kMaxManagedPolicySize) return Fail(ManagedPolicyTooLarge());
  auto parsed = policy::ParsePolicy(document, policy::PolicyKind::kIdentity);
  if (!parsed) return Fail(parsed.error());
  if (!(*parsed)->has_version || (*parsed)->version != policy::PolicyVersion::k2012_10_17) {
    return Fail(MalformedPolicyDocument(std::string(policy::kManagedPolicyVersionMessage)));
  }
  return {};
}

// Policy tag keys match exactly (storage::TaggedKind::kPolicy).
Result<void> CheckPolicyTags(const storage::Tags& tags) {
  std::set<std::string_view> keys;
  for (const auto& [key, value] : tags) {
    if (!keys.insert(key).second) {
      return Fail(
          InvalidInput("Duplicate tag keys found. Please note that Tag keys are case "
                       "insensitive."));
    }
  }
  if (tags.size() > kMaxTagsPerPolicy) {
    return Fail(
        LimitExceeded(fmt::format("Cannot exceed quota for TagsPerPolicy: {}", kMaxTagsPerPolicy)));
  }
  return {};
}

}  // namespace

size_t PolicySize(std::string_view document) {
  return static_cast<size_t>(std::count_if(document.begin(), document.end(), [](char c) {
    const bool continuation = (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    return !continuation && !space;
  }));
}

Result<void> CheckPolicyGrammar(std::string_view document, policy::PolicyKind kind) {
  auto parsed = policy::ParsePolicy(document, kind);
  if (!parsed) return Fail(parsed.error());
  return {};
}

std::string UrlEncodedDocument(std::string_view document) { return PercentEncode(document); }

std::string CustomerPolicyArn(std::string_view account_id, std::string_view path,
                              std::string_view policy_name) {
  return arn::PolicyArn(account_id, path, policy_name);
}

Result<storage::Page<Tag>> TagPage(storage::Tags tags, const storage::PageRequest& page) {
  size_t start = 0;
  if (!page.marker.empty()) {
    const char* begin = page.marker.data();
    const char* end = begin + page.marker.size();
    const auto [next, error] = std::from_chars(begin, end, start);
    if (error != std::errc() || next != end || start > tags.size()) {
      return Fail(InvalidInput("Invalid Marker."));
    }
  }
  const size_t count = std::min(tags.size() - start, std::max<size_t>(page.max_items, 1));
  storage::Page<Tag> out;
  const auto first = tags.begin() + static_cast<std::ptrdiff_t>(start);
  out.items.assign(std::make_move_iterator(first),
                   std::make_move_iterator(first + static_cast<std::ptrdiff_t>(count)));
  if (start + count < tags.size()) out.next_marker = std::to_string(start + count);
  return out;
}

PoliciesService::PoliciesService(const IamContext& context) : context_(context) {}

Result<void> PoliciesService::InstallAwsManagedPolicies() {
  return iam::InstallAwsManagedPolicies(context_.iam);
}

// ---- Managed policies

Result<storage::ManagedPolicy> PoliciesService::CreatePolicy(const Principal& caller,
                                                             const CreatePolicyRequest& request) {
  if (auto checked = CheckManagedDocument(request.policy_document); !checked) {
    return Fail(checked.error());
  }
  if (auto checked = CheckPolicyTags(request.tags); !checked) return Fail(checked.error());
  const TimePoint now = context_.clock.Now();
  storage::ManagedPolicy policy{
      .arn = CustomerPolicyArn(caller.account_id, request.path, request.policy_name),
      .policy_id = {},
      .policy_name = request.policy_name,
      .path = request.path,
      .account_id = caller.account_id,
      .description = request.description,
      .created = now,
      .updated = now,
      .default_version_id = "v1",
      .attachment_count = 0,
      .permissions_boundary_usage_count = 0,
      .is_attachable = true,
      .tags = request.tags};
  for (int attempt = 1;; ++attempt) {
    policy.policy_id = NewUniqueId(context_.random, kPolicyIdPrefix);
    auto created = context_.iam.CreatePolicy(policy, request.policy_document);
    if (created) return policy;
    if (created.error().code != storage::kDuplicateUniqueId || attempt == kIdAttempts) {
      return Fail(FromStorage(created.error()));
    }
  }
}

Result<storage::ManagedPolicy> PoliciesService::FindPolicy(const Principal& caller,
                                                           std::string_view policy_arn) const {
  if (auto checked = CheckArn(policy_arn); !checked) return Fail(checked.error());
  auto policy = context_.iam.GetPolicy(caller.account_id, policy_arn);
  if (!policy) return Fail(FromStorage(policy.error()));
  if (!policy->has_value()) return Fail(PolicyNotFound(policy_arn));
  return AsAwsHasIt(std::move(**policy));
}

Result<storage::ManagedPolicy> PoliciesService::GetPolicy(const Principal& caller,
                                                          std::string_view policy_arn) {
  return FindPolicy(caller, policy_arn);
}

Result<storage::Page<storage::ManagedPolicy>> PoliciesService::ListPolicies(
    const Principal& caller, const ListPoliciesRequest& request, const storage::PageRequest& page) {
  storage::PolicyFilter filter{
      .scope = request.scope, .use = storage::PolicyUse::kAny, .path_prefix = request.path_prefix};
  if (request.usage == storage::PolicyUse::kBoundary) {
    filter.use = storage::PolicyUse::kBoundary;
  } else if (request.only_attached) {
    filter.use = storage::PolicyUse::kAttached;
  }
  auto policies = context_.iam.ListPolicies(caller.account_id, filter, page);
  if (!policies) return Fail(FromStorage(policies.error()));
  for (storage::ManagedPolicy& policy : policies->items) policy = AsAwsHasIt(std::move(policy));
  return std::move(*policies);
}

Result<void> PoliciesService::DeletePolicy(const Principal& caller, std::string_view policy_arn) {
  if (auto checked = CheckArn(policy_arn); !checked) return checked;
  auto deleted = context_.iam.DeletePolicy(caller.account_id, policy_arn);
  if (!deleted) return Fail(FromStorage(deleted.error()));
  return {};
}

// ---- Versions

Result<storage::PolicyVersion> PoliciesService::CreatePolicyVersion(const Principal& caller,
                                                                    std::string_view policy_arn,
                                                                    std::string_view document,
                                                                    bool set_as_default) {
  if (auto checked = CheckArn(policy_arn); !checked) return Fail(checked.error());
  if (auto checked = CheckManagedDocument(document); !checked) return Fail(checked.error());
  auto version =
      context_.iam.CreatePolicyVersion(caller.account_id, policy_arn, document, set_as_default,
                                       context_.clock.Now(), kMaxPolicyVersions);
  if (!version) {
    if (version.error().code == storage::kLimitExceeded) {
      return Fail(LimitExceeded(std::string(kTooManyVersions)));
    }
    return Fail(FromStorage(version.error()));
  }
  return std::move(*version);
}

Result<storage::PolicyVersion> PoliciesService::GetPolicyVersion(const Principal& caller,
                                                                 std::string_view policy_arn,
                                                                 std::string_view version_id) {
  if (auto checked = CheckArn(policy_arn); !checked) return Fail(checked.error());
  auto stored = context_.iam.GetPolicy(caller.account_id, policy_arn);
  if (!stored) return Fail(FromStorage(stored.error()));
  if (!stored->has_value()) return Fail(NoSuchVersion(policy_arn, version_id));
  std::string stored_version_id(version_id);
  if (const AwsManagedPolicy* entry = FindAwsManagedPolicy(policy_arn)) {
    // The catalogue's default version is the store's; AWS managed policies show no other.
    if (version_id != entry->version_id) return Fail(NoSuchVersion(policy_arn, version_id));
    stored_version_id = (*stored)->default_version_id;
  }
  auto version = context_.iam.GetPolicyVersion(caller.account_id, policy_arn, stored_version_id);
  if (!version) return Fail(FromStorage(version.error()));
  if (!version->has_value()) return Fail(NoSuchVersion(policy_arn, version_id));
  return AsAwsHasIt(std::move(**version));
}

Result<storage::Page<storage::PolicyVersion>> PoliciesService::ListPolicyVersions(
    const Principal& caller, std::string_view policy_arn, const storage::PageRequest& page) {
  if (auto checked = CheckArn(policy_arn); !checked) return Fail(checked.error());
  if (const AwsManagedPolicy* entry = FindAwsManagedPolicy(policy_arn)) {
    auto version = GetPolicyVersion(caller, policy_arn, entry->version_id);
    if (!version) return Fail(version.error());
    if (!page.marker.empty()) return Fail(InvalidInput("Invalid Marker."));
    return storage::Page<storage::PolicyVersion>{{std::move(*version)}, ""};
  }
  auto versions = context_.iam.ListPolicyVersions(caller.account_id, policy_arn, page);
  if (!versions) return Fail(FromStorage(versions.error()));
  return std::move(*versions);
}

Result<void> PoliciesService::DeletePolicyVersion(const Principal& caller,
                                                  std::string_view policy_arn,
                                                  std::string_view version_id) {
  if (auto checked = CheckArn(policy_arn); !checked) return checked;
  auto deleted = context_.iam.DeletePolicyVersion(caller.account_id, policy_arn, version_id);
  if (!deleted) return Fail(FromStorage(deleted.error()));
  return {};
}

Result<void> PoliciesService::SetDefaultPolicyVersion(const Principal& caller,
                                                      std::string_view policy_arn,
                                                      std::string_view version_id) {
  if (auto checked = CheckArn(policy_arn); !checked) return checked;
  auto set = context_.iam.SetDefaultPolicyVersion(caller.account_id, policy_arn, version_id);
  if (!set) return Fail(FromStorage(set.error()));
  return {};
}

// ---- Tags

Result<void> PoliciesService::TagPolicy(const Principal& caller, std::string_view policy_arn,
                                        const storage::Tags& tags) {
  if (auto checked = CheckArn(policy_arn); !checked) return checked;
  if (auto checked = CheckPolicyTags(tags); !checked) return checked;
  storage::TagTarget target{.kind = storage::TaggedKind::kPolicy,
                            .account_id = caller.account_id,
                            .name = std::string(policy_arn)};
  auto tagged = context_.iam.TagResource(target, tags, kMaxTagsPerPolicy);
  if (!tagged) return Fail(FromStorage(tagged.error()));
  return {};
}

Result<void> PoliciesService::UntagPolicy(const Principal& caller, std::string_view policy_arn,
                                          const std::vector<std::string>& keys) {
  if (auto checked = CheckArn(policy_arn); !checked) return checked;
  storage::TagTarget target{.kind = storage::TaggedKind::kPolicy,
                            .account_id = caller.account_id,
                            .name = std::string(policy_arn)};
  auto untagged = context_.iam.UntagResource(target, keys);
  if (!untagged) return Fail(FromStorage(untagged.error()));
  return {};
}

Result<storage::Page<Tag>> PoliciesService::ListPolicyTags(const Principal& caller,
                                                           std::string_view policy_arn,
                                                           const storage::PageRequest& page) {
  auto policy = FindPolicy(caller, policy_arn);
  if (!policy) return Fail(policy.error());
  return TagPage(std::move(policy->tags), page);
}

// ---- Attachments

storage::PrincipalRef PoliciesService::RefOf(const Principal& caller,
                                             const PrincipalName& principal) const {
  return storage::PrincipalRef{
      .kind = principal.kind, .account_id = caller.account_id, .name = principal.name};
}

Result<void> PoliciesService::CheckPrincipal(const Principal& caller,
                                             const PrincipalName& principal, bool changing) const {
  if (principal.kind != storage::PrincipalKind::kRole || !changing) return {};
  auto role = context_.iam.GetRole(caller.account_id, principal.name);
  if (!role) return Fail(FromStorage(role.error()));
  if (!role->has_value()) return Fail(NoSuchRole(principal.name));
  if (IsServiceLinkedRole(**role)) return Fail(ProtectedRole((*role)->role_name));
  return {};
}

Result<void> PoliciesService::AttachPolicy(const Principal& caller, const PrincipalName& principal,
                                           std::string_view policy_arn) {
  if (auto checked = CheckArn(policy_arn); !checked) return checked;
  if (auto checked = CheckPrincipal(caller, principal, /*changing=*/true); !checked) {
    return checked;
  }
  auto attached = context_.iam.AttachPolicy(RefOf(caller, principal), policy_arn,
                                            kMaxManagedPoliciesPerPrincipal);
  if (!attached) return Fail(FromStorage(attached.error()));
  return {};
}

Result<void> PoliciesService::DetachPolicy(const Principal& caller, const PrincipalName& principal,
                                           std::string_view policy_arn) {
  if (auto checked = CheckArn(policy_arn); !checked) return checked;
  if (auto checked = CheckPrincipal(caller, principal, /*changing=*/true); !checked) {
    return checked;
  }
  auto detached = context_.iam.DetachPolicy(RefOf(caller, principal), policy_arn);
  if (!detached) return Fail(FromStorage(detached.error()));
  return {};
}

Result<storage::Page<storage::ManagedPolicy>> PoliciesService::ListAttachedPolicies(
    const Principal& caller, const PrincipalName& principal, std::string_view path_prefix,
    const storage::PageRequest& page) {
  auto policies = context_.iam.ListAttachedPolicies(RefOf(caller, principal), path_prefix, page);
  if (!policies) return Fail(FromStorage(policies.error()));
  for (storage::ManagedPolicy& policy : policies->items) policy = AsAwsHasIt(std::move(policy));
  return std::move(*policies);
}

Result<storage::Page<storage::PolicyEntity>> PoliciesService::ListEntitiesForPolicy(
    const Principal& caller, std::string_view policy_arn,
    std::optional<storage::PrincipalKind> kind, std::string_view path_prefix, bool boundaries,
    const storage::PageRequest& page) {
  if (auto checked = CheckArn(policy_arn); !checked) return Fail(checked.error());
  if (boundaries) {
    auto policy = FindPolicy(caller, policy_arn);
    if (!policy) return Fail(policy.error());
    return storage::Page<storage::PolicyEntity>{};
  }
  auto entities =
      context_.iam.ListEntitiesForPolicy(caller.account_id, policy_arn, kind, path_prefix, page);
  if (!entities) return Fail(FromStorage(entities.error()));
  return std::move(*entities);
}

// ---- Inline policies

Result<void> PoliciesService::PutInlinePolicy(const Principal& caller,
                                              const PrincipalName& principal,
                                              std::string_view policy_name,
                                              std::string_view document) {
  if (auto checked = CheckPrincipal(caller, principal, /*changing=*/true); !checked) {
    return checked;
  }
  // The quota covers all of the principal's inline policies together.
  const storage::PrincipalRef ref = RefOf(caller, principal);
  const size_t quota = InlineQuota(principal.kind);
  size_t total = PolicySize(document);
  storage::PageRequest page{.marker = "", .max_items = kInlinePageSize};
  do {
    auto others = context_.iam.ListInlinePolicies(ref, page);
    if (!others) return Fail(FromStorage(others.error()));
    for (const storage::InlinePolicy& other : others->items) {
      if (other.policy_name != policy_name) total += PolicySize(other.document);
    }
    page.marker = std::move(others->next_marker);
  } while (!page.marker.empty() && total <= quota);
  if (total > quota) {
    return Fail(LimitExceeded(fmt::format("Maximum policy size of {} bytes exceeded for {} {}",
                                          quota, KindWord(principal.kind), principal.name)));
  }
  if (auto checked = CheckPolicyGrammar(document, policy::PolicyKind::kIdentity); !checked) {
    return checked;
  }
  auto put = context_.iam.PutInlinePolicy(ref, policy_name, document);
  if (!put) return Fail(FromStorage(put.error()));
  return {};
}

Result<InlinePolicyDocument> PoliciesService::GetInlinePolicy(const Principal& caller,
                                                              const PrincipalName& principal,
                                                              std::string_view policy_name) {
  auto document = context_.iam.GetInlinePolicy(RefOf(caller, principal), policy_name);
  if (!document) return Fail(FromStorage(document.error()));
  if (!document->has_value()) {
    return Fail(NoSuchEntity(fmt::format("The {} policy with name {} cannot be found.",
                                         KindWord(principal.kind), policy_name)));
  }
  return InlinePolicyDocument{.principal_name = principal.name,
                              .policy_name = std::string(policy_name),
                              .document = std::move(**document)};
}

Result<storage::Page<std::string>> PoliciesService::ListInlinePolicies(
    const Principal& caller, const PrincipalName& principal, const storage::PageRequest& page) {
  auto policies = context_.iam.ListInlinePolicies(RefOf(caller, principal), page);
  if (!policies) return Fail(FromStorage(policies.error()));
  storage::Page<std::string> names;
  names.next_marker = std::move(policies->next_marker);
  for (storage::InlinePolicy& policy : policies->items) {
    names.items.push_back(std::move(policy.policy_name));
  }
  return names;
}

Result<void> PoliciesService::DeleteInlinePolicy(const Principal& caller,
                                                 const PrincipalName& principal,
                                                 std::string_view policy_name) {
  if (auto checked = CheckPrincipal(caller, principal, /*changing=*/true); !checked) {
    return checked;
  }
  auto deleted = context_.iam.DeleteInlinePolicy(RefOf(caller, principal), policy_name);
  if (!deleted) return Fail(FromStorage(deleted.error()));
  return {};
}

// ---- Resources

std::string PoliciesService::PrincipalResource(const Principal& caller,
                                               const PrincipalName& principal) const {
  std::string path = "/";
  switch (principal.kind) {
    case storage::PrincipalKind::kUser: {
      auto user = context_.iam.GetUser(caller.account_id, principal.name);
      if (user && user->has_value()) path = (*user)->path;
      return arn::UserArn(caller.account_id, path, principal.name);
    }
    case storage::PrincipalKind::kGroup: {
      auto group = context_.iam.GetGroup(caller.account_id, principal.name);
      if (group && group->has_value()) path = (*group)->path;
      return arn::GroupArn(caller.account_id, path, principal.name);
    }
    case storage::PrincipalKind::kRole: {
      auto role = context_.iam.GetRole(caller.account_id, principal.name);
      if (role && role->has_value()) path = (*role)->path;
      return arn::RoleArn(caller.account_id, path, principal.name);
    }
  }
  return "*";
}

}  // namespace fulcrum::services::iam
