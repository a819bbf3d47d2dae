#pragma once

// IamStore: durable IAM state of accounts: users, groups, roles, managed policies and their
// versions, attachments, inline policies, login profiles, virtual MFA devices, the account alias,
// the password policy, and the last use of access keys.
//
// The store checks no AWS rule on names, paths or documents (the IAM service does); it enforces
// uniqueness, referential integrity and atomicity, and reports them with the codes below.
//
// Every method is one transaction: it applies completely or not at all, and once it returns
// success the change is visible to every later call (from any thread, and for back ends that share
// a database, from any process); durable back ends keep it through a crash of the process.
//
// Names of users, groups, roles and managed policies are unique in their account ignoring ASCII
// case, and every lookup by such a name ignores ASCII case; records keep the case they were created
// with. A missing parent (account, user, group, role, policy) is an error (kNoSuchEntity); a
// missing leaf looked up with Get* is nullopt.
//
// Lists are pages in a stable order, resumed with the opaque next_marker of the previous page:
// https://docs.aws.amazon.com/IAM/latest/APIReference/Query-Requests.html (Marker, MaxItems).
// A page holds at most max_items items. To keep the cost of a call bounded by
// O(log n + list_scan_limit) whatever the filters, a back end examines at most list_scan_limit
// entries (kDefaultListScanLimit unless the back end was configured otherwise) after the marker;
// so, as AWS allows, a page may hold fewer items, even none, while next_marker is not empty. The
// list ends when next_marker is empty.
//
// Thread safety: implementations are safe to call from any number of threads at once.
//
// Errors: a method's Error::code is one of the constants below or in account_store.h; messages are
// written as AWS writes them where AWS has a message, and never hold a secret.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/account_store.h"
#include "storage/iam_records.h"

namespace fulcrum::storage {

// An entity with the same name (ignoring ASCII case) exists, or the alias or MFA serial is taken.
inline constexpr std::string_view kEntityAlreadyExists = "EntityAlreadyExists";
// The entity still has dependents (the message says which); nothing was deleted.
inline constexpr std::string_view kDeleteConflict = "DeleteConflict";
// The change would exceed a limit the caller passed (the message names it).
inline constexpr std::string_view kLimitExceeded = "LimitExceeded";
// The managed policy is not attachable.
inline constexpr std::string_view kPolicyNotAttachable = "PolicyNotAttachable";
// A marker that no list of this store returned.
inline constexpr std::string_view kInvalidInput = "InvalidInput";
// A user, group, role or policy id is already used; the caller retries with a fresh id.
inline constexpr std::string_view kDuplicateUniqueId = "DuplicateUniqueId";

// Entries a list call examines at most, unless the back end is configured otherwise.
inline constexpr size_t kDefaultListScanLimit = 1000;

struct PageRequest {
  std::string marker;      // Empty = from the start; else a next_marker of the same list.
  size_t max_items = 100;  // REQUIRES: >= 1 (else kInternalFailure).
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_marker;  // Empty when the list is done.

  bool operator==(const Page&) const = default;
};

// The new name, path and ARN of a renamed or moved user or group (UpdateUser, UpdateGroup). The
// caller passes the current value of what does not change.
struct EntityRename {
  std::string name;
  std::string path;
  std::string arn;
};

// The fields UpdateRole changes; nullopt keeps the current value.
struct RoleUpdate {
  std::optional<std::string> description;
  std::optional<int64_t> max_session_duration;
  std::optional<std::string> assume_role_policy_document;
};

// The fields UpdateLoginProfile changes; nullopt keeps the current value.
struct LoginProfileUpdate {
  std::optional<std::string> password_hash;
  std::optional<bool> password_reset_required;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
enum class PolicyScope { kAll, kAws, kLocal };
enum class PolicyUse {
  kAny,       // Every policy.
  kAttached,  // attachment_count > 0 in the viewing account.
  kBoundary,  // permissions_boundary_usage_count > 0 in the viewing account.
};
struct PolicyFilter {
  PolicyScope scope = PolicyScope::kAll;
  PolicyUse use = PolicyUse::kAny;
  std::string path_prefix;  // Byte prefix of the policy path; empty = any.
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListVirtualMFADevices.html
enum class MfaAssignment { kAny, kAssigned, kUnassigned };

// What TagResource and UntagResource act on.
enum class TaggedKind {
  kUser,              // Tag keys match ignoring ASCII case (the key's new spelling is kept).
  kRole,              // Tag keys match ignoring ASCII case.
  kPolicy,            // Tag keys match exactly.
  kVirtualMfaDevice,  // Tag keys match exactly.
};
struct TagTarget {
  TaggedKind kind = TaggedKind::kUser;
  std::string account_id;
  // User or role name; policy ARN (a policy of account_id itself); MFA serial number.
  std::string name;
};

class IamStore {
 public:
  virtual ~IamStore() = default;

  // ---- Users: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users.html

  // Stores `user` (password_last_used is ignored: a new user never signed in). If
  // user.permissions_boundary_arn is set, it must name a managed policy visible
  // to the account (its own or an AWS managed one), whose boundary usage count goes up.
  // Fails, storing nothing, with kNoSuchEntity (no such account or boundary policy),
  // kEntityAlreadyExists (name taken ignoring ASCII case) or kDuplicateUniqueId (user_id taken).
  [[nodiscard]] virtual Result<void> CreateUser(const User& user) = 0;
  // On success, the user, or nullopt if there is none.
  [[nodiscard]] virtual Result<std::optional<User>> GetUser(std::string_view account_id,
                                                            std::string_view user_name) = 0;
  // On success, the user with this unique id ("AIDA..."), or nullopt if there is none.
  [[nodiscard]] virtual Result<std::optional<User>> FindUserById(std::string_view user_id) = 0;
  // Users of the account whose path starts with path_prefix, ordered by name ignoring ASCII case.
  [[nodiscard]] virtual Result<Page<User>> ListUsers(std::string_view account_id,
                                                     std::string_view path_prefix,
                                                     const PageRequest& page) = 0;
  // Renames or moves the user; its access keys, groups, policies, login profile and MFA devices
  // follow it. Fails with kNoSuchEntity, or kEntityAlreadyExists if another user has the new name.
  [[nodiscard]] virtual Result<void> UpdateUser(std::string_view account_id,
                                                std::string_view user_name,
                                                const EntityRename& rename) = 0;
  // Deletes the user, and its boundary usage. Fails with kNoSuchEntity, or with kDeleteConflict
  // while it has a login profile, access keys, an MFA device, group memberships, attached
  // policies or inline policies (checked in that order; the message says which).
  [[nodiscard]] virtual Result<void> DeleteUser(std::string_view account_id,
                                                std::string_view user_name) = 0;
  // Records a console sign-in with the user's password (PasswordLastUsed). Fails with
  // kNoSuchEntity.
  [[nodiscard]] virtual Result<void> RecordPasswordUse(std::string_view account_id,
                                                       std::string_view user_name,
                                                       TimePoint time) = 0;

  // ---- Groups: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html

  // Stores `group`. Fails, storing nothing, with kNoSuchEntity (account), kEntityAlreadyExists or
  // kDuplicateUniqueId.
  [[nodiscard]] virtual Result<void> CreateGroup(const Group& group) = 0;
  [[nodiscard]] virtual Result<std::optional<Group>> GetGroup(std::string_view account_id,
                                                              std::string_view group_name) = 0;
  [[nodiscard]] virtual Result<std::optional<Group>> FindGroupById(std::string_view group_id) = 0;
  // Groups of the account whose path starts with path_prefix, ordered by name ignoring case.
  [[nodiscard]] virtual Result<Page<Group>> ListGroups(std::string_view account_id,
                                                       std::string_view path_prefix,
                                                       const PageRequest& page) = 0;
  // Renames or moves the group; members and policies follow it. Fails with kNoSuchEntity or
  // kEntityAlreadyExists.
  [[nodiscard]] virtual Result<void> UpdateGroup(std::string_view account_id,
                                                 std::string_view group_name,
                                                 const EntityRename& rename) = 0;
  // Fails with kNoSuchEntity, or with kDeleteConflict while the group has members, attached
  // policies or inline policies (in that order).
  [[nodiscard]] virtual Result<void> DeleteGroup(std::string_view account_id,
                                                 std::string_view group_name) = 0;
  // Makes the user a member of the group; a member already is one (success, no change). Fails with
  // kNoSuchEntity (group or user), or kLimitExceeded if the user is already in
  // max_groups_per_user groups.
  [[nodiscard]] virtual Result<void> AddUserToGroup(std::string_view account_id,
                                                    std::string_view group_name,
                                                    std::string_view user_name,
                                                    size_t max_groups_per_user) = 0;
  // Fails with kNoSuchEntity if the group or user is missing or the user is not a member.
  [[nodiscard]] virtual Result<void> RemoveUserFromGroup(std::string_view account_id,
                                                         std::string_view group_name,
                                                         std::string_view user_name) = 0;
  // Members of the group, ordered by user name ignoring case. Fails with kNoSuchEntity.
  [[nodiscard]] virtual Result<Page<User>> ListGroupMembers(std::string_view account_id,
                                                            std::string_view group_name,
                                                            const PageRequest& page) = 0;
  // Groups the user is in, ordered by group name ignoring case. Fails with kNoSuchEntity.
  [[nodiscard]] virtual Result<Page<Group>> ListGroupsForUser(std::string_view account_id,
                                                              std::string_view user_name,
                                                              const PageRequest& page) = 0;

  // ---- Roles: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html

  // Stores `role` (last_used is ignored: a new role was never used). Boundary as in CreateUser.
  // Fails, storing nothing, with kNoSuchEntity, kEntityAlreadyExists or kDuplicateUniqueId.
  [[nodiscard]] virtual Result<void> CreateRole(const Role& role) = 0;
  [[nodiscard]] virtual Result<std::optional<Role>> GetRole(std::string_view account_id,
                                                            std::string_view role_name) = 0;
  [[nodiscard]] virtual Result<std::optional<Role>> FindRoleById(std::string_view role_id) = 0;
  // Roles of the account whose path starts with path_prefix, ordered by name ignoring case.
  [[nodiscard]] virtual Result<Page<Role>> ListRoles(std::string_view account_id,
                                                     std::string_view path_prefix,
                                                     const PageRequest& page) = 0;
  // Changes the fields `update` sets. Fails with kNoSuchEntity.
  [[nodiscard]] virtual Result<void> UpdateRole(std::string_view account_id,
                                                std::string_view role_name,
                                                const RoleUpdate& update) = 0;
  // Deletes the role, and its boundary usage. Fails with kNoSuchEntity, or with kDeleteConflict
  // while it has attached or inline policies (in that order).
  [[nodiscard]] virtual Result<void> DeleteRole(std::string_view account_id,
                                                std::string_view role_name) = 0;
  // Records that the role was assumed (RoleLastUsed). Fails with kNoSuchEntity.
  [[nodiscard]] virtual Result<void> RecordRoleUse(std::string_view account_id,
                                                   std::string_view role_name,
                                                   const RoleLastUsed& used) = 0;

  // ---- Permissions boundaries and tags

  // Sets (or, with an empty policy_arn, removes) the permissions boundary of a user or role,
  // moving the boundary usage count from the old policy to the new one. The policy must be visible
  // to the account. Fails with kNoSuchEntity (principal or policy).
  // REQUIRES: principal.kind is kUser or kRole (else kInternalFailure).
  [[nodiscard]] virtual Result<void> SetPermissionsBoundary(const PrincipalRef& principal,
                                                            std::string_view policy_arn) = 0;
  // Adds `tags` to the target in order: a tag whose key matches an existing key (see TaggedKind)
  // replaces that tag in place, others are appended. Fails with kNoSuchEntity, or kLimitExceeded
  // (changing nothing) if the result would hold more than max_tags tags.
  [[nodiscard]] virtual Result<void> TagResource(const TagTarget& target, const Tags& tags,
                                                 size_t max_tags) = 0;
  // Removes the tags with these keys (see TaggedKind); absent keys are ignored. Fails with
  // kNoSuchEntity.
  [[nodiscard]] virtual Result<void> UntagResource(const TagTarget& target,
                                                   const std::vector<std::string>& keys) = 0;

  // ---- Managed policies:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html A
  // policy is visible to account A when its account_id is A or empty (AWS managed). Methods that
  // change a policy act only on policies whose account_id equals the account_id they are given
  // (empty for AWS managed policies): other policies are reported as missing (kNoSuchEntity).

  // Stores `policy` with `document` as its version v1, the default. The stored policy has
  // default_version_id "v1", updated == created and zero counts, whatever `policy` holds there.
  // Fails, storing nothing, with kNoSuchEntity (account, unless policy.account_id is empty),
  // kEntityAlreadyExists (the name ignoring ASCII case, or the ARN, is taken) or
  // kDuplicateUniqueId (policy_id taken).
  [[nodiscard]] virtual Result<void> CreatePolicy(const ManagedPolicy& policy,
                                                  std::string_view document) = 0;
  // On success, the policy with this ARN visible to account_id, with the counts of account_id, or
  // nullopt.
  [[nodiscard]] virtual Result<std::optional<ManagedPolicy>> GetPolicy(
      std::string_view account_id, std::string_view policy_arn) = 0;
  // Policies visible to account_id that pass `filter`, ordered by name ignoring ASCII case and then
  // AWS managed before the account's own.
  [[nodiscard]] virtual Result<Page<ManagedPolicy>> ListPolicies(std::string_view account_id,
                                                                 const PolicyFilter& filter,
                                                                 const PageRequest& page) = 0;
  // Deletes the policy of account_id with its versions. Fails with kNoSuchEntity, or with
  // kDeleteConflict while it is attached to any principal or is any principal's permissions
  // boundary, or while it has versions other than the default one.
  [[nodiscard]] virtual Result<void> DeletePolicy(std::string_view account_id,
                                                  std::string_view policy_arn) = 0;
  // Adds a version "v<N>" (N one more than the highest ever used by the policy) created at `now`,
  // and makes it the default if set_as_default; the policy's `updated` becomes `now`. On success,
  // the new version. Fails with kNoSuchEntity, or kLimitExceeded (storing nothing) if the policy
  // already has max_versions versions.
  [[nodiscard]] virtual Result<PolicyVersion> CreatePolicyVersion(
      std::string_view account_id, std::string_view policy_arn, std::string_view document,
      bool set_as_default, TimePoint now, size_t max_versions) = 0;
  // On success, the version of a policy visible to account_id, or nullopt if the policy has no
  // such version. Fails with kNoSuchEntity if there is no such policy.
  [[nodiscard]] virtual Result<std::optional<PolicyVersion>> GetPolicyVersion(
      std::string_view account_id, std::string_view policy_arn, std::string_view version_id) = 0;
  // Versions of a policy visible to account_id, newest first. Fails with kNoSuchEntity.
  [[nodiscard]] virtual Result<Page<PolicyVersion>> ListPolicyVersions(std::string_view account_id,
                                                                       std::string_view policy_arn,
                                                                       const PageRequest& page) = 0;
  // Makes the version the default (a no-op if it already is). Fails with kNoSuchEntity (policy or
  // version).
  [[nodiscard]] virtual Result<void> SetDefaultPolicyVersion(std::string_view account_id,
                                                             std::string_view policy_arn,
                                                             std::string_view version_id) = 0;
  // Deletes a version that is not the default. Fails with kNoSuchEntity, or kDeleteConflict for
  // the default version.
  [[nodiscard]] virtual Result<void> DeletePolicyVersion(std::string_view account_id,
                                                         std::string_view policy_arn,
                                                         std::string_view version_id) = 0;

  // ---- Attachments of managed policies

  // Attaches a policy visible to the principal's account; attaching it again is a no-op success.
  // Fails with kNoSuchEntity (principal or policy), kPolicyNotAttachable, or kLimitExceeded if the
  // principal already has max_attached attached policies.
  [[nodiscard]] virtual Result<void> AttachPolicy(const PrincipalRef& principal,
                                                  std::string_view policy_arn,
                                                  size_t max_attached) = 0;
  // Fails with kNoSuchEntity (principal, or the policy is not attached to it).
  [[nodiscard]] virtual Result<void> DetachPolicy(const PrincipalRef& principal,
                                                  std::string_view policy_arn) = 0;
  // Policies attached to the principal whose path starts with path_prefix, in the order they were
  // attached, with the counts of the principal's account. Fails with kNoSuchEntity.
  [[nodiscard]] virtual Result<Page<ManagedPolicy>> ListAttachedPolicies(
      const PrincipalRef& principal, std::string_view path_prefix, const PageRequest& page) = 0;
  // Principals of account_id the policy is attached to, of `kind` only if set, whose path starts
  // with path_prefix; ordered users, groups, roles, each by name ignoring ASCII case. Fails with
  // kNoSuchEntity if no policy with this ARN is visible to account_id.
  [[nodiscard]] virtual Result<Page<PolicyEntity>> ListEntitiesForPolicy(
      std::string_view account_id, std::string_view policy_arn, std::optional<PrincipalKind> kind,
      std::string_view path_prefix, const PageRequest& page) = 0;

  // ---- Inline policies

  // Creates or replaces the principal's inline policy with this exact name. Fails with
  // kNoSuchEntity (principal).
  [[nodiscard]] virtual Result<void> PutInlinePolicy(const PrincipalRef& principal,
                                                     std::string_view policy_name,
                                                     std::string_view document) = 0;
  // On success, the document, or nullopt if the principal has no such policy. Fails with
  // kNoSuchEntity (principal).
  [[nodiscard]] virtual Result<std::optional<std::string>> GetInlinePolicy(
      const PrincipalRef& principal, std::string_view policy_name) = 0;
  // Fails with kNoSuchEntity (principal or policy).
  [[nodiscard]] virtual Result<void> DeleteInlinePolicy(const PrincipalRef& principal,
                                                        std::string_view policy_name) = 0;
  // The principal's inline policies, ordered by name (bytewise). Fails with kNoSuchEntity.
  [[nodiscard]] virtual Result<Page<InlinePolicy>> ListInlinePolicies(const PrincipalRef& principal,
                                                                      const PageRequest& page) = 0;

  // ---- Login profiles:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html

  // Stores the profile of profile.user_name (the stored profile carries the user's stored name).
  // Fails with kNoSuchEntity (user) or kEntityAlreadyExists.
  [[nodiscard]] virtual Result<void> CreateLoginProfile(const LoginProfile& profile) = 0;
  // On success, the profile or nullopt. Fails with kNoSuchEntity (user).
  [[nodiscard]] virtual Result<std::optional<LoginProfile>> GetLoginProfile(
      std::string_view account_id, std::string_view user_name) = 0;
  // Fails with kNoSuchEntity (user or profile).
  [[nodiscard]] virtual Result<void> UpdateLoginProfile(std::string_view account_id,
                                                        std::string_view user_name,
                                                        const LoginProfileUpdate& update) = 0;
  // Fails with kNoSuchEntity (user or profile).
  [[nodiscard]] virtual Result<void> DeleteLoginProfile(std::string_view account_id,
                                                        std::string_view user_name) = 0;

  // ---- Virtual MFA devices:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html Devices
  // are found by serial number within their account: another account's device is missing.

  // Stores an unassigned device (user_name, enable_date and last_time_step are ignored). Fails
  // with kNoSuchEntity (account) or kEntityAlreadyExists (serial number taken).
  [[nodiscard]] virtual Result<void> CreateVirtualMfaDevice(const VirtualMfaDevice& device) = 0;
  // On success, the device (seed in plaintext) or nullopt.
  [[nodiscard]] virtual Result<std::optional<VirtualMfaDevice>> GetVirtualMfaDevice(
      std::string_view account_id, std::string_view serial_number) = 0;
  // Devices of the account with this assignment, ordered by serial number (bytewise).
  [[nodiscard]] virtual Result<Page<VirtualMfaDevice>> ListVirtualMfaDevices(
      std::string_view account_id, MfaAssignment assignment, const PageRequest& page) = 0;
  // Devices enabled for the user, ordered by serial number. Fails with kNoSuchEntity (user).
  [[nodiscard]] virtual Result<Page<VirtualMfaDevice>> ListMfaDevicesForUser(
      std::string_view account_id, std::string_view user_name, const PageRequest& page) = 0;
  // Assigns the device to the user with enable_date and the accepted time step, together. Fails
  // with kNoSuchEntity (user or device), kEntityAlreadyExists if the device is assigned already,
  // or kLimitExceeded if the user already has max_devices_per_user devices.
  [[nodiscard]] virtual Result<void> EnableMfaDevice(std::string_view account_id,
                                                     std::string_view user_name,
                                                     std::string_view serial_number,
                                                     TimePoint enable_date, int64_t time_step,
                                                     size_t max_devices_per_user) = 0;
  // Unassigns the device from the user, clearing enable_date. The last accepted time step is
  // kept, so that codes used before cannot enable the device again (replay). Fails with
  // kNoSuchEntity if the user or device is missing or the device is not assigned to that user.
  [[nodiscard]] virtual Result<void> DeactivateMfaDevice(std::string_view account_id,
                                                         std::string_view user_name,
                                                         std::string_view serial_number) = 0;
  // Fails with kNoSuchEntity, or kDeleteConflict while the device is assigned.
  [[nodiscard]] virtual Result<void> DeleteVirtualMfaDevice(std::string_view account_id,
                                                            std::string_view serial_number) = 0;
  // Replay protection for TOTP codes: records time_step and returns true if it is newer than the
  // device's last accepted step (or there is none); else changes nothing and returns false. One
  // atomic compare-and-set, so a code is accepted once even when checked concurrently. Fails with
  // kNoSuchEntity.
  [[nodiscard]] virtual Result<bool> AcceptMfaTimeStep(std::string_view account_id,
                                                       std::string_view serial_number,
                                                       int64_t time_step) = 0;

  // ---- Account alias and password policy
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/console_account-alias.html
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html

  // Sets the account's one alias, replacing any it had. Fails with kNoSuchEntity (account) or
  // kEntityAlreadyExists if another account has this alias (aliases are unique, exact match).
  [[nodiscard]] virtual Result<void> SetAccountAlias(std::string_view account_id,
                                                     std::string_view alias) = 0;
  [[nodiscard]] virtual Result<std::optional<std::string>> GetAccountAlias(
      std::string_view account_id) = 0;
  // On success, the id of the account with this alias, or nullopt.
  [[nodiscard]] virtual Result<std::optional<std::string>> FindAccountIdByAlias(
      std::string_view alias) = 0;
  // Fails with kNoSuchEntity unless the account's alias is `alias`.
  [[nodiscard]] virtual Result<void> DeleteAccountAlias(std::string_view account_id,
                                                        std::string_view alias) = 0;
  // Creates or replaces the account's password policy. Fails with kNoSuchEntity (account).
  [[nodiscard]] virtual Result<void> PutPasswordPolicy(std::string_view account_id,
                                                       const PasswordPolicy& policy) = 0;
  [[nodiscard]] virtual Result<std::optional<PasswordPolicy>> GetPasswordPolicy(
      std::string_view account_id) = 0;
  // Fails with kNoSuchEntity if the account has none.
  [[nodiscard]] virtual Result<void> DeletePasswordPolicy(std::string_view account_id) = 0;

  // ---- Access keys of IAM users (the keys themselves live in AccountStore)

  // Stores an access key of the IAM user key.user_name (stored under the user's stored name).
  // Fails, storing nothing, with kNoSuchEntity (user), kLimitExceeded if the user already has
  // max_keys_per_user keys, or kDuplicateAccessKeyId.
  // REQUIRES: key.user_name is not empty (else kInternalFailure).
  [[nodiscard]] virtual Result<void> CreateUserAccessKey(const AccessKey& key,
                                                         size_t max_keys_per_user) = 0;
  // Records uses of access keys, in one transaction: each key keeps the newest use it was given;
  // keys that do not exist (any more) are skipped. Each key costs one indexed single-row update, so
  // callers on the authentication path may batch uses and record them now and then.
  [[nodiscard]] virtual Result<void> RecordAccessKeyUses(const std::vector<AccessKeyUse>& uses) = 0;
  // On success, the last recorded use of the key, or nullopt if it was never used. Fails with
  // kNoSuchEntity if there is no such key.
  [[nodiscard]] virtual Result<std::optional<AccessKeyLastUsed>> GetAccessKeyLastUsed(
      std::string_view access_key_id) = 0;
};

}  // namespace fulcrum::storage
