#pragma once

// RolesService: the IAM roles of the caller's account, their trust policies, tags and permissions
// boundaries, and the service-linked roles that AWS services own, as AWS IAM has them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
//
// Every method acts in the caller's account (caller.account_id): other accounts' roles are
// reported as missing. Trust policies are checked on write: policy::ParsePolicy with
// PolicyKind::kResource (MalformedPolicyDocument), and IAM's size quota (LimitExceeded, "Cannot
// exceed quota for ACLSizePerRole: 2048"). Service-linked roles (path
// /aws-service-role/<service>/) are changed only through the service-linked role operations;
// other changes fail with UnmodifiableEntity.
//
// Thread safety: safe to call from any number of threads at once (the deletion tasks of
// service-linked roles are guarded by a mutex; the stores and Random are thread-safe).

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "services/iam/context.h"
#include "services/iam/policies.h"
#include "services/operation.h"
#include "services/principal.h"
#include "storage/iam_records.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

// IAM quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
inline constexpr size_t kMaxTagsPerRole = 50;
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (MaxSessionDuration).
inline constexpr int64_t kMinMaxSessionDuration = 3600;
inline constexpr int64_t kMaxMaxSessionDuration = 43200;
inline constexpr int64_t kDefaultMaxSessionDuration = 3600;

// The path prefix of service-linked roles.
inline constexpr std::string_view kServiceLinkedRolePathPrefix = "/aws-service-role/";

// NoSuchEntity, "The role with name X cannot be found."
[[nodiscard]] Error NoSuchRole(std::string_view role_name);
// UnmodifiableEntity, "Cannot perform the operation on the protected role 'X' - this role is only
// modifiable by AWS".
[[nodiscard]] Error ProtectedRole(std::string_view role_name);
// True for roles whose path starts with kServiceLinkedRolePathPrefix.
[[nodiscard]] bool IsServiceLinkedRole(const storage::Role& role);

// An AWS service that has a service-linked role Fulcrum can create.
struct ServiceLinkedRoleType {
  std::string_view service_name;  // "organizations.amazonaws.com"
  std::string_view role_name;     // "AWSServiceRoleForOrganizations"
  std::string_view policy_arn;    // The AWS managed policy attached to the role.
  std::string_view description;   // The role's description when the request gives none.
};

// The services above, or nullptr.
[[nodiscard]] const ServiceLinkedRoleType* FindServiceLinkedRoleType(std::string_view service_name);

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
struct CreateRoleRequest {
  std::string role_name;
  std::string path = "/";
  std::string assume_role_policy_document;
  std::string description;
  std::optional<int64_t> max_session_duration;  // nullopt = kDefaultMaxSessionDuration.
  std::string permissions_boundary;             // A managed policy ARN; empty = none.
  storage::Tags tags;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLinkedRoleDeletionStatus.html
enum class DeletionStatus { kSucceeded, kInProgress, kFailed, kNotStarted };
[[nodiscard]] std::string_view DeletionStatusName(DeletionStatus status);

class RolesService {
 public:
  // The service keeps a copy of `context`. REQUIRES: the context's references outlive the
  // service.
  explicit RolesService(const IamContext& context);

  // On success, the new role ("AROA..." id, ARN from path and name, created now). Fails with
  // MalformedPolicyDocument, LimitExceeded (trust policy size, more than kMaxTagsPerRole tags),
  // InvalidInput (duplicate tag keys, a boundary that is not an ARN), ValidationError
  // (MaxSessionDuration out of range), NoSuchEntity (no such boundary policy) or
  // EntityAlreadyExists ("Role with name X already exists.").
  [[nodiscard]] Result<storage::Role> CreateRole(const Principal& caller,
                                                 const CreateRoleRequest& request);
  // Fails with NoSuchEntity.
  [[nodiscard]] Result<storage::Role> GetRole(const Principal& caller, std::string_view role_name);
  // Roles whose path starts with path_prefix (empty = all), by name. Fails with InvalidInput
  // (marker).
  [[nodiscard]] Result<storage::Page<storage::Role>> ListRoles(const Principal& caller,
                                                               std::string_view path_prefix,
                                                               const storage::PageRequest& page);
  // Changes what is given. Fails with NoSuchEntity or ValidationError (MaxSessionDuration).
  [[nodiscard]] Result<void> UpdateRole(const Principal& caller, std::string_view role_name,
                                        std::optional<std::string_view> description,
                                        std::optional<int64_t> max_session_duration);
  // On success, the updated role. Fails with NoSuchEntity.
  [[nodiscard]] Result<storage::Role> UpdateRoleDescription(const Principal& caller,
                                                            std::string_view role_name,
                                                            std::string_view description);
  // Fails with NoSuchEntity, UnmodifiableEntity (service-linked role), or DeleteConflict while
  // the role has attached or inline policies.
  [[nodiscard]] Result<void> DeleteRole(const Principal& caller, std::string_view role_name);
  // Replaces the trust policy. Fails with NoSuchEntity, UnmodifiableEntity,
  // MalformedPolicyDocument or LimitExceeded.
  [[nodiscard]] Result<void> UpdateAssumeRolePolicy(const Principal& caller,
                                                    std::string_view role_name,
                                                    std::string_view document);
  // Sets (or with an empty ARN removes) the role's permissions boundary. Fails with InvalidInput
  // (not an ARN), NoSuchEntity (role or policy) or UnmodifiableEntity.
  [[nodiscard]] Result<void> PutRolePermissionsBoundary(const Principal& caller,
                                                        std::string_view role_name,
                                                        std::string_view policy_arn);
  [[nodiscard]] Result<void> DeleteRolePermissionsBoundary(const Principal& caller,
                                                           std::string_view role_name);

  // Adds or replaces tags (keys match ignoring case). Fails with NoSuchEntity, InvalidInput
  // (duplicate keys) or LimitExceeded (more than kMaxTagsPerRole).
  [[nodiscard]] Result<void> TagRole(const Principal& caller, std::string_view role_name,
                                     const storage::Tags& tags);
  // Removes the tags with these keys; absent keys are ignored. Fails with NoSuchEntity.
  [[nodiscard]] Result<void> UntagRole(const Principal& caller, std::string_view role_name,
                                       const std::vector<std::string>& keys);
  // In the order they were added. Fails with NoSuchEntity or InvalidInput (marker).
  [[nodiscard]] Result<storage::Page<Tag>> ListRoleTags(const Principal& caller,
                                                        std::string_view role_name,
                                                        const storage::PageRequest& page);

  // ---- Service-linked roles

  // Creates the service's role ("AWSServiceRoleFor..." at /aws-service-role/<service>/, trusting
  // the service, with the service's AWS managed policy attached). Fails with InvalidInput (a
  // service without a service-linked role here; a custom suffix, which these services do not
  // allow; "Service role name X has been taken in this account, please try a different
  // suffix.") or NoSuchEntity (the AWS managed policies are not installed).
  [[nodiscard]] Result<storage::Role> CreateServiceLinkedRole(
      const Principal& caller, std::string_view service_name,
      std::optional<std::string_view> description, std::optional<std::string_view> custom_suffix);
  // Detaches the role's policies and deletes it at once; on success, the id of the deletion
  // task, "task/aws-service-role/<service>/<role>/<uuid>". Fails with NoSuchEntity (no such
  // role, or not a service-linked role).
  [[nodiscard]] Result<std::string> DeleteServiceLinkedRole(const Principal& caller,
                                                            std::string_view role_name);
  // kSucceeded for a task DeleteServiceLinkedRole gave the caller's account. Fails with
  // InvalidInput (not a deletion task id) or NoSuchEntity (no such task). Tasks are kept in
  // memory: they are forgotten when the process ends.
  [[nodiscard]] Result<DeletionStatus> GetServiceLinkedRoleDeletionStatus(
      const Principal& caller, std::string_view deletion_task_id);

  // ---- Resources for authorization (OperationRow::resource)

  // The ARN of the named role in the caller's account (its stored path, "/" when it does not
  // exist).
  [[nodiscard]] std::string RoleResource(const Principal& caller, std::string_view role_name) const;

 private:
  // The role, or NoSuchEntity.
  [[nodiscard]] Result<storage::Role> FindRole(const Principal& caller,
                                               std::string_view role_name) const;
  // The role unless it is service-linked (UnmodifiableEntity) or missing (NoSuchEntity).
  [[nodiscard]] Result<storage::Role> FindModifiableRole(const Principal& caller,
                                                         std::string_view role_name) const;
  // Creates `role` with a fresh "AROA..." id.
  [[nodiscard]] Result<storage::Role> StoreNewRole(storage::Role role);
  [[nodiscard]] std::string NewTaskUuid();

  IamContext context_;
  std::mutex tasks_mutex_;
  // Deletion task id -> account id, of the tasks given out.
  std::map<std::string, std::string, std::less<>> deletion_tasks_;
};

// Appends the rows of the role operations (CreateRole ... GetServiceLinkedRoleDeletionStatus).
// REQUIRES: `service` outlives the rows.
void AddRolesOperations(RolesService& service, std::vector<OperationRow>& rows);

}  // namespace fulcrum::services::iam
