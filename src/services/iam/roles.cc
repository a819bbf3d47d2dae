#include "services/iam/roles.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>

#include "arn/arn.h"
#include "common/ids.h"
#include "services/iam/errors.h"

namespace fulcrum::services::iam {
namespace {

// How many fresh ids a create tries before it gives up on a (vanishingly rare) id collision.
constexpr int kIdAttempts = 5;
constexpr std::string_view kRoleIdPrefix = "AROA";
constexpr std::string_view kDeletionTaskPrefix = "task/aws-service-role/";

// The services whose service-linked roles Fulcrum creates, with the role names and policies AWS
// gives them:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html
constexpr std::array kServiceLinkedRoleTypes{
    ServiceLinkedRoleType{
        .service_name = "organizations.amazonaws.com",
        .role_name = "AWSServiceRoleForOrganizations",
        .policy_arn = "arn:aws:iam::aws:policy/aws-service-role/AWSOrganizationsServiceTrustPolicy",
        .description = "Service-linked role used by AWS Organizations to enable integration of "
                       "other AWS services with Organizations."},
    ServiceLinkedRoleType{
        .service_name = "sso.amazonaws.com",
        .role_name = "AWSServiceRoleForSSO",
        .policy_arn = "arn:aws:iam::aws:policy/aws-service-role/AWSSSOServiceRolePolicy",
        .description = ""},
    ServiceLinkedRoleType{
        .service_name = "cloudtrail.amazonaws.com",
        .role_name = "AWSServiceRoleForCloudTrail",
        .policy_arn = "arn:aws:iam::aws:policy/aws-service-role/CloudTrailServiceRolePolicy",
        .description = ""},
    ServiceLinkedRoleType{
        .service_name = "access-analyzer.amazonaws.com",
        .role_name = "AWSServiceRoleForAccessAnalyzer",
        .policy_arn = "arn:aws:iam::aws:policy/aws-service-role/AccessAnalyzerServiceRolePolicy",
        .description = ""},
    ServiceLinkedRoleType{
        .service_name = "guardduty.amazonaws.com",
        .role_name = "AWSServiceRoleForAmazonGuardDuty",
        .policy_arn = "arn:aws:iam::aws:policy/aws-service-role/AmazonGuardDutyServiceRolePolicy",
        .description = ""},
    ServiceLinkedRoleType{
        .service_name = "securityhub.amazonaws.com",
        .role_name = "AWSServiceRoleForSecurityHub",
        .policy_arn = "arn:aws:iam::aws:policy/aws-service-role/AWSSecurityHubServiceRolePolicy",
        .description = ""},
    ServiceLinkedRoleType{
        .service_name = "trustedadvisor.amazonaws.com",
        .role_name = "AWSServiceRoleForTrustedAdvisor",
        .policy_arn = "arn:aws:iam::aws:policy/aws-service-role/AWSTrustedAdvisorServiceRolePolicy",
        .description = ""},
};

std::string AsciiLower(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

// Role tag keys match ignoring case; AWS refuses a request that names one key twice.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
Result<void> CheckRoleTags(const storage::Tags& tags) {
  std::set<std::string> keys;
  for (const auto& [key, value] : tags) {
    if (!keys.insert(AsciiLower(key)).second) {
      return Fail(
          InvalidInput("Duplicate tag keys found. Please note that Tag keys are case "
                       "insensitive."));
    }
  }
  if (tags.size() > kMaxTagsPerRole) {
    return Fail(
        LimitExceeded(fmt::format("Cannot exceed quota for TagsPerRole: {}", kMaxTagsPerRole)));
  }
  return {};
}

Result<void> CheckMaxSessionDuration(int64_t seconds) {
  if (seconds < kMinMaxSessionDuration || seconds > kMaxMaxSessionDuration) {
    return Fail(ValidationError(fmt::format(
        "The requested MaxSessionDuration {} is not in the allowed range of {} to {} seconds.",
        seconds, kMinMaxSessionDuration, kMaxMaxSessionDuration)));
  }
  return {};
}

// A role trust policy: within IAM's size quota and grammatical as a resource policy.
Result<void> CheckTrustPolicy(std::string_view document) {
  if (PolicySize(document) > kMaxTrustPolicySize) {
    return Fail(LimitExceeded(
        fmt::format("Cannot exceed quota for ACLSizePerRole: {}", kMaxTrustPolicySize)));
  }
  return CheckPolicyGrammar(document, policy::PolicyKind::kResource);
}

Result<void> CheckBoundaryArn(std::string_view policy_arn) {
  auto parsed = arn::Parse(policy_arn);
  if (!parsed) return Fail(InvalidInput(parsed.error().message));
  return {};
}

// The trust policy of a service-linked role: the service may assume it.
std::string ServiceTrustPolicy(std::string_view service_name) {
  return fmt::format(
      R"({{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{}"}},"Action":"sts:AssumeRole"}}]}})",
      service_name);
}

}  // namespace

Error NoSuchRole(std::string_view role_name) {
  return NoSuchEntity(fmt::format("The role with name {} cannot be found.", role_name));
}

Error ProtectedRole(std::string_view role_name) {
  return Error{"UnmodifiableEntity",
               fmt::format("Cannot perform the operation on the protected role '{}' - this role "
                           "is only modifiable by AWS",
                           role_name),
               {}};
}

bool IsServiceLinkedRole(const storage::Role& role) {
  return role.path.starts_with(kServiceLinkedRolePathPrefix);
}

const ServiceLinkedRoleType* FindServiceLinkedRoleType(std::string_view service_name) {
  for (const ServiceLinkedRoleType& type : kServiceLinkedRoleTypes) {
    if (type.service_name == service_name) return &type;
  }
  return nullptr;
}

std::string_view DeletionStatusName(DeletionStatus status) {
  switch (status) {
    case DeletionStatus::kSucceeded:
      return "SUCCEEDED";
    case DeletionStatus::kInProgress:
      return "IN_PROGRESS";
    case DeletionStatus::kFailed:
      return "FAILED";
    case DeletionStatus::kNotStarted:
      return "NOT_STARTED";
  }
  return "FAILED";
}

RolesService::RolesService(const IamContext& context) : context_(context) {}

Result<storage::Role> RolesService::FindRole(const Principal& caller,
                                             std::string_view role_name) const {
  auto role = context_.iam.GetRole(caller.account_id, role_name);
  if (!role) return Fail(FromStorage(role.error()));
  if (!role->has_value()) return Fail(NoSuchRole(role_name));
  return std::move(**role);
}

Result<storage::Role> RolesService::FindModifiableRole(const Principal& caller,
                                                       std::string_view role_name) const {
  auto role = FindRole(caller, role_name);
  if (!role) return role;
  if (IsServiceLinkedRole(*role)) return Fail(ProtectedRole(role->role_name));
  return role;
}

Result<storage::Role> RolesService::StoreNewRole(storage::Role role) {
  for (int attempt = 1;; ++attempt) {
    role.role_id = NewUniqueId(context_.random, kRoleIdPrefix);
    auto created = context_.iam.CreateRole(role);
    if (created) return role;
    if (created.error().code != storage::kDuplicateUniqueId || attempt == kIdAttempts) {
      return Fail(FromStorage(created.error()));
    }
  }
}

Result<storage::Role> RolesService::CreateRole(const Principal& caller,
                                               const CreateRoleRequest& request) {
  const int64_t max_session_duration =
      request.max_session_duration.value_or(kDefaultMaxSessionDuration);
  if (auto checked = CheckMaxSessionDuration(max_session_duration); !checked) {
    return Fail(checked.error());
  }
  if (auto checked = CheckTrustPolicy(request.assume_role_policy_document); !checked) {
    return Fail(checked.error());
  }
  if (auto checked = CheckRoleTags(request.tags); !checked) return Fail(checked.error());
  if (!request.permissions_boundary.empty()) {
    if (auto checked = CheckBoundaryArn(request.permissions_boundary); !checked) {
      return Fail(checked.error());
    }
  }
  return StoreNewRole(
      storage::Role{.account_id = caller.account_id,
                    .role_id = {},
                    .role_name = request.role_name,
                    .path = request.path,
                    .arn = arn::RoleArn(caller.account_id, request.path, request.role_name),
                    .created = context_.clock.Now(),
                    .assume_role_policy_document = request.assume_role_policy_document,
                    .description = request.description,
                    .max_session_duration = max_session_duration,
                    .permissions_boundary_arn = request.permissions_boundary,
                    .tags = request.tags,
                    .last_used = std::nullopt});
}

Result<storage::Role> RolesService::GetRole(const Principal& caller, std::string_view role_name) {
  return FindRole(caller, role_name);
}

Result<storage::Page<storage::Role>> RolesService::ListRoles(const Principal& caller,
                                                             std::string_view path_prefix,
                                                             const storage::PageRequest& page) {
  auto roles = context_.iam.ListRoles(caller.account_id, path_prefix, page);
  if (!roles) return Fail(FromStorage(roles.error()));
  return std::move(*roles);
}

Result<void> RolesService::UpdateRole(const Principal& caller, std::string_view role_name,
                                      std::optional<std::string_view> description,
                                      std::optional<int64_t> max_session_duration) {
  if (max_session_duration) {
    if (auto checked = CheckMaxSessionDuration(*max_session_duration); !checked) return checked;
  }
  storage::RoleUpdate update;
  if (description) update.description = std::string(*description);
  update.max_session_duration = max_session_duration;
  auto updated = context_.iam.UpdateRole(caller.account_id, role_name, update);
  if (!updated) return Fail(FromStorage(updated.error()));
  return {};
}

Result<storage::Role> RolesService::UpdateRoleDescription(const Principal& caller,
                                                          std::string_view role_name,
                                                          std::string_view description) {
  if (auto updated = UpdateRole(caller, role_name, description, std::nullopt); !updated) {
    return Fail(updated.error());
  }
  return FindRole(caller, role_name);
}

Result<void> RolesService::DeleteRole(const Principal& caller, std::string_view role_name) {
  auto role = FindModifiableRole(caller, role_name);
  if (!role) return Fail(role.error());
  auto deleted = context_.iam.DeleteRole(caller.account_id, role_name);
  if (!deleted) return Fail(FromStorage(deleted.error()));
  return {};
}

Result<void> RolesService::UpdateAssumeRolePolicy(const Principal& caller,
                                                  std::string_view role_name,
                                                  std::string_view document) {
  auto role = FindModifiableRole(caller, role_name);
  if (!role) return Fail(role.error());
  if (auto checked = CheckTrustPolicy(document); !checked) return checked;
  storage::RoleUpdate update;
  update.assume_role_policy_document = std::string(document);
  auto updated = context_.iam.UpdateRole(caller.account_id, role_name, update);
  if (!updated) return Fail(FromStorage(updated.error()));
  return {};
}

Result<void> RolesService::PutRolePermissionsBoundary(const Principal& caller,
                                                      std::string_view role_name,
                                                      std::string_view policy_arn) {
  if (!policy_arn.empty()) {
    if (auto checked = CheckBoundaryArn(policy_arn); !checked) return checked;
  }
  auto role = FindModifiableRole(caller, role_name);
  if (!role) return Fail(role.error());
  storage::PrincipalRef ref{.kind = storage::PrincipalKind::kRole,
                            .account_id = caller.account_id,
                            .name = std::string(role_name)};
  auto set = context_.iam.SetPermissionsBoundary(ref, policy_arn);
  if (!set) return Fail(FromStorage(set.error()));
  return {};
}

Result<void> RolesService::DeleteRolePermissionsBoundary(const Principal& caller,
                                                         std::string_view role_name) {
  return PutRolePermissionsBoundary(caller, role_name, "");
}

Result<void> RolesService::TagRole(const Principal& caller, std::string_view role_name,
                                   const storage::Tags& tags) {
  if (auto checked = CheckRoleTags(tags); !checked) return checked;
  storage::TagTarget target{.kind = storage::TaggedKind::kRole,
                            .account_id = caller.account_id,
                            .name = std::string(role_name)};
  auto tagged = context_.iam.TagResource(target, tags, kMaxTagsPerRole);
  if (!tagged) return Fail(FromStorage(tagged.error()));
  return {};
}

Result<void> RolesService::UntagRole(const Principal& caller, std::string_view role_name,
                                     const std::vector<std::string>& keys) {
  storage::TagTarget target{.kind = storage::TaggedKind::kRole,
                            .account_id = caller.account_id,
                            .name = std::string(role_name)};
  auto untagged = context_.iam.UntagResource(target, keys);
  if (!untagged) return Fail(FromStorage(untagged.error()));
  return {};
}

Result<storage::Page<Tag>> RolesService::ListRoleTags(const Principal& caller,
                                                      std::string_view role_name,
                                                      const storage::PageRequest& page) {
  auto role = FindRole(caller, role_name);
  if (!role) return Fail(role.error());
  return TagPage(std::move(role->tags), page);
}

// ---- Service-linked roles

Result<storage::Role> RolesService::CreateServiceLinkedRole(
    const Principal& caller, std::string_view service_name,
    std::optional<std::string_view> description, std::optional<std::string_view> custom_suffix) {
  const ServiceLinkedRoleType* type = FindServiceLinkedRoleType(service_name);
  if (type == nullptr) {
    return Fail(InvalidInput(fmt::format(
        "Service {} does not have a service-linked role that can be created.", service_name)));
  }
  if (custom_suffix) {
    return Fail(InvalidInput(fmt::format("Custom suffix is not allowed for {}", service_name)));
  }
  const std::string path = fmt::format("{}{}/", kServiceLinkedRolePathPrefix, service_name);
  auto existing = context_.iam.GetRole(caller.account_id, type->role_name);
  if (!existing) return Fail(FromStorage(existing.error()));
  if (existing->has_value()) {
    return Fail(InvalidInput(fmt::format(
        "Service role name {} has been taken in this account, please try a different suffix.",
        type->role_name)));
  }
  auto role = StoreNewRole(
      storage::Role{.account_id = caller.account_id,
                    .role_id = {},
                    .role_name = std::string(type->role_name),
                    .path = path,
                    .arn = arn::RoleArn(caller.account_id, path, type->role_name),
                    .created = context_.clock.Now(),
                    .assume_role_policy_document = ServiceTrustPolicy(service_name),
                    .description = std::string(description.value_or(type->description)),
                    .max_session_duration = kDefaultMaxSessionDuration,
                    .permissions_boundary_arn = {},
                    .tags = {},
                    .last_used = std::nullopt});
  if (!role) {
    if (role.error().code == storage::kEntityAlreadyExists) {
      return Fail(InvalidInput(fmt::format(
          "Service role name {} has been taken in this account, please try a different suffix.",
          type->role_name)));
    }
    return role;
  }
  storage::PrincipalRef ref{.kind = storage::PrincipalKind::kRole,
                            .account_id = caller.account_id,
                            .name = role->role_name};
  auto attached = context_.iam.AttachPolicy(ref, type->policy_arn, kMaxManagedPoliciesPerPrincipal);
  if (!attached) {
    // Leave no half-made role behind; the attach error is the one to report.
    (void)context_.iam.DeleteRole(caller.account_id, role->role_name);
    return Fail(FromStorage(attached.error()));
  }
  return role;
}

std::string RolesService::NewTaskUuid() {
  std::array<std::uint8_t, 16> bytes{};
  context_.random.Fill(bytes);
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0FU) | 0x40U);  // Version 4.
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3FU) | 0x80U);  // RFC 4122 variant.
  std::string text;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += fmt::format("{:02x}", bytes[i]);
  }
  return text;
}

Result<std::string> RolesService::DeleteServiceLinkedRole(const Principal& caller,
                                                          std::string_view role_name) {
  auto role = FindRole(caller, role_name);
  if (!role) return Fail(role.error());
  if (!IsServiceLinkedRole(*role)) {
    return Fail(NoSuchEntity(
        fmt::format("The role with name {} is not a service-linked role.", role->role_name)));
  }
  storage::PrincipalRef ref{.kind = storage::PrincipalKind::kRole,
                            .account_id = caller.account_id,
                            .name = role->role_name};
  // The role's policies belong to the service: they go with the role.
  std::vector<std::string> attached_arns;
  std::vector<std::string> inline_names;
  storage::PageRequest page;
  do {
    auto attached = context_.iam.ListAttachedPolicies(ref, "", page);
    if (!attached) return Fail(FromStorage(attached.error()));
    for (const storage::ManagedPolicy& policy : attached->items)
      attached_arns.push_back(policy.arn);
    page.marker = std::move(attached->next_marker);
  } while (!page.marker.empty());
  do {
    auto inline_policies = context_.iam.ListInlinePolicies(ref, page);
    if (!inline_policies) return Fail(FromStorage(inline_policies.error()));
    for (const storage::InlinePolicy& policy : inline_policies->items) {
      inline_names.push_back(policy.policy_name);
    }
    page.marker = std::move(inline_policies->next_marker);
  } while (!page.marker.empty());
  for (const std::string& policy_arn : attached_arns) {
    if (auto detached = context_.iam.DetachPolicy(ref, policy_arn); !detached) {
      return Fail(FromStorage(detached.error()));
    }
  }
  for (const std::string& policy_name : inline_names) {
    if (auto deleted = context_.iam.DeleteInlinePolicy(ref, policy_name); !deleted) {
      return Fail(FromStorage(deleted.error()));
    }
  }
  if (auto deleted = context_.iam.DeleteRole(caller.account_id, role->role_name); !deleted) {
    return Fail(FromStorage(deleted.error()));
  }
  const std::string service_name =
      role->path.substr(kServiceLinkedRolePathPrefix.size(),
                        role->path.size() - kServiceLinkedRolePathPrefix.size() - 1);
  std::string task_id =
      fmt::format("{}{}/{}/{}", kDeletionTaskPrefix, service_name, role->role_name, NewTaskUuid());
  std::lock_guard lock(tasks_mutex_);
  deletion_tasks_.emplace(task_id, caller.account_id);
  return task_id;
}

Result<DeletionStatus> RolesService::GetServiceLinkedRoleDeletionStatus(
    const Principal& caller, std::string_view deletion_task_id) {
  // "task/aws-service-role/<service>/<role>/<uuid>"
  const bool well_formed = deletion_task_id.starts_with(kDeletionTaskPrefix) &&
                           std::count(deletion_task_id.begin(), deletion_task_id.end(), '/') == 4 &&
                           !deletion_task_id.ends_with('/');
  if (!well_formed) {
    return Fail(InvalidInput(fmt::format("Invalid deletion task id: {}", deletion_task_id)));
  }
  std::lock_guard lock(tasks_mutex_);
  auto task = deletion_tasks_.find(deletion_task_id);
  if (task == deletion_tasks_.end() || task->second != caller.account_id) {
    return Fail(NoSuchEntity(fmt::format("Deletion task {} cannot be found.", deletion_task_id)));
  }
  return DeletionStatus::kSucceeded;
}

std::string RolesService::RoleResource(const Principal& caller, std::string_view role_name) const {
  std::string path = "/";
  auto role = context_.iam.GetRole(caller.account_id, role_name);
  if (role && role->has_value()) path = (*role)->path;
  return arn::RoleArn(caller.account_id, path, role_name);
}

}  // namespace fulcrum::services::iam
