#pragma once

// UsersService: the IAM users, groups, access keys and login profiles of the caller's account, as
// AWS IAM has them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html
//
// Every method acts in the caller's account (caller.account_id): another account's users, groups
// and keys are reported as missing. Where AWS lets a user name be left out, nullopt means the
// caller itself: the root user (whose access keys are kept with an empty user name) or the IAM
// user that signed the request.
//
// The codec has checked lengths, patterns and enums against the IAM model before a method is
// called; the methods check the rules the model cannot express, and fail with the IAM errors of
// errors.h worded as AWS words them.
//
// Thread safety: safe to call from any number of threads at once (the service keeps no state of
// its own; the stores and the Random of the context are thread-safe).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/password_hash.h"
#include "common/result.h"
#include "services/iam/context.h"
#include "services/operation.h"
#include "services/principal.h"
#include "storage/iam_records.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

// IAM quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
inline constexpr size_t kMaxAccessKeysPerUser = 2;
inline constexpr size_t kMaxTagsPerUser = 50;
inline constexpr size_t kMaxGroupsPerUser = 10;

// "arn:aws:iam::<account_id>:user<path><user_name>".
[[nodiscard]] std::string UserArn(std::string_view account_id, std::string_view path,
                                  std::string_view user_name);
// "arn:aws:iam::<account_id>:group<path><group_name>".
[[nodiscard]] std::string GroupArn(std::string_view account_id, std::string_view path,
                                   std::string_view group_name);

// Checks a new IAM user password against the account's password policy, or, when the account has
// none (nullopt), against AWS's default policy: at least 8 characters, at least three of the four
// character types (uppercase, lowercase, number, symbol), and not the account's name or email.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
// account_name and account_email are used by the default policy only. Fails with
// PasswordPolicyViolation, whose message lists the unmet rules.
[[nodiscard]] Result<void> CheckPasswordPolicy(std::string_view password,
                                               const std::optional<storage::PasswordPolicy>& policy,
                                               std::string_view account_name,
                                               std::string_view account_email);

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
struct CreateUserRequest {
  std::string user_name;
  std::string path = "/";
  // A managed policy ARN; empty = none.
  std::string permissions_boundary;
  storage::Tags tags;
};

// An access key without its secret:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyMetadata.html
struct AccessKeyMetadata {
  std::string user_name;  // Empty for a key of the root user.
  std::string access_key_id;
  bool active = true;
  TimePoint created;

  bool operator==(const AccessKeyMetadata&) const = default;
};

// A new access key; the only time its secret is shown.
struct NewAccessKey {
  AccessKeyMetadata metadata;
  std::string secret_access_key;  // SECRET.
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html
struct AccessKeyLastUse {
  std::string user_name;  // Empty for a key of the root user.
  // nullopt while the key was never used (AWS then reports ServiceName and Region "N/A").
  std::optional<storage::AccessKeyLastUsed> last_used;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroup.html
struct GroupWithMembers {
  storage::Group group;
  storage::Page<storage::User> users;
};

class UsersService {
 public:
  // The service keeps a copy of `context`. REQUIRES: the context's references outlive the
  // service. password_cost is the scrypt cost of stored passwords (tests pass a cheaper one).
  explicit UsersService(const IamContext& context, ScryptCost password_cost = kDefaultScryptCost);

  // ---- Users

  // On success, the new user ("AIDA..." id, ARN from path and name, created now). Fails with
  // EntityAlreadyExists (name taken, ignoring case), InvalidInput (duplicate tag keys, or a
  // permissions boundary that is not a policy ARN), NoSuchEntity (no such boundary policy) or
  // LimitExceeded (more than kMaxTagsPerUser tags).
  [[nodiscard]] Result<storage::User> CreateUser(const Principal& caller,
                                                 const CreateUserRequest& request);
  // The named user, or the caller. For the root user, AWS's answer: UserId = the account id,
  // Arn = arn:aws:iam::<id>:root, CreateDate = the account's, and no UserName or Path (empty).
  // Fails with NoSuchEntity.
  [[nodiscard]] Result<storage::User> GetUser(const Principal& caller,
                                              std::optional<std::string_view> user_name);
  // Users whose path starts with path_prefix (empty = all), by name. Fails with InvalidInput for
  // a marker this list did not return.
  [[nodiscard]] Result<storage::Page<storage::User>> ListUsers(const Principal& caller,
                                                               std::string_view path_prefix,
                                                               const storage::PageRequest& page);
  // Renames and/or moves the user; its keys, groups and policies follow it. Fails with
  // NoSuchEntity or EntityAlreadyExists.
  [[nodiscard]] Result<void> UpdateUser(const Principal& caller, std::string_view user_name,
                                        std::optional<std::string_view> new_user_name,
                                        std::optional<std::string_view> new_path);
  // Fails with NoSuchEntity, or DeleteConflict while the user has a login profile, access keys,
  // MFA devices, group memberships, attached or inline policies.
  [[nodiscard]] Result<void> DeleteUser(const Principal& caller, std::string_view user_name);
  // Sets the user's permissions boundary to a managed policy visible to the account (an empty
  // `policy_arn` removes it). Fails with NoSuchEntity (user, or "Scope ARN: X does not exist or is
  // not attachable.") or InvalidInput (not a policy ARN).
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html
  [[nodiscard]] Result<void> PutUserPermissionsBoundary(const Principal& caller,
                                                        std::string_view user_name,
                                                        std::string_view policy_arn);
  [[nodiscard]] Result<void> DeleteUserPermissionsBoundary(const Principal& caller,
                                                           std::string_view user_name);
  // Adds or replaces tags (keys match ignoring case). Fails with NoSuchEntity, InvalidInput
  // (duplicate keys in `tags`) or LimitExceeded (the user would have more than kMaxTagsPerUser).
  [[nodiscard]] Result<void> TagUser(const Principal& caller, std::string_view user_name,
                                     const storage::Tags& tags);
  // Removes the tags with these keys; absent keys are ignored. Fails with NoSuchEntity.
  [[nodiscard]] Result<void> UntagUser(const Principal& caller, std::string_view user_name,
                                       const std::vector<std::string>& keys);
  // The user's tags in the order they were added. Fails with NoSuchEntity or InvalidInput (marker).
  [[nodiscard]] Result<storage::Page<storage::Tags::value_type>> ListUserTags(
      const Principal& caller, std::string_view user_name, const storage::PageRequest& page);

  // ---- Groups

  // On success, the new group ("AGPA..." id). Fails with EntityAlreadyExists.
  [[nodiscard]] Result<storage::Group> CreateGroup(const Principal& caller,
                                                   std::string_view group_name,
                                                   std::string_view path);
  // The group and a page of its members. Fails with NoSuchEntity or InvalidInput (marker).
  [[nodiscard]] Result<GroupWithMembers> GetGroup(const Principal& caller,
                                                  std::string_view group_name,
                                                  const storage::PageRequest& page);
  [[nodiscard]] Result<storage::Page<storage::Group>> ListGroups(const Principal& caller,
                                                                 std::string_view path_prefix,
                                                                 const storage::PageRequest& page);
  // Fails with NoSuchEntity or EntityAlreadyExists.
  [[nodiscard]] Result<void> UpdateGroup(const Principal& caller, std::string_view group_name,
                                         std::optional<std::string_view> new_group_name,
                                         std::optional<std::string_view> new_path);
  // Fails with NoSuchEntity, or DeleteConflict while the group has members or policies.
  [[nodiscard]] Result<void> DeleteGroup(const Principal& caller, std::string_view group_name);
  // Adding a member again succeeds. Fails with NoSuchEntity, or LimitExceeded when the user is
  // already in kMaxGroupsPerUser groups.
  [[nodiscard]] Result<void> AddUserToGroup(const Principal& caller, std::string_view group_name,
                                            std::string_view user_name);
  // Fails with NoSuchEntity (group, user, or the user is not a member).
  [[nodiscard]] Result<void> RemoveUserFromGroup(const Principal& caller,
                                                 std::string_view group_name,
                                                 std::string_view user_name);
  [[nodiscard]] Result<storage::Page<storage::Group>> ListGroupsForUser(
      const Principal& caller, std::string_view user_name, const storage::PageRequest& page);

  // ---- Access keys: each change is reported to context.access_key_changed.

  // A new active key ("AKIA...", 40-character secret) of the user, or of the caller (for the root
  // user, a root access key). Fails with NoSuchEntity, or LimitExceeded ("Cannot exceed quota for
  // AccessKeysPerUser: 2").
  [[nodiscard]] Result<NewAccessKey> CreateAccessKey(const Principal& caller,
                                                     std::optional<std::string_view> user_name);
  // The keys of the user or of the caller, oldest first. Fails with NoSuchEntity or InvalidInput
  // (marker).
  [[nodiscard]] Result<storage::Page<AccessKeyMetadata>> ListAccessKeys(
      const Principal& caller, std::optional<std::string_view> user_name,
      const storage::PageRequest& page);
  // Activates or deactivates a key of the user or of the caller. Fails with NoSuchEntity (user, or
  // the key is not one of theirs).
  [[nodiscard]] Result<void> UpdateAccessKey(const Principal& caller,
                                             std::optional<std::string_view> user_name,
                                             std::string_view access_key_id, bool active);
  // Deletes a key of the user or of the caller. Fails with NoSuchEntity.
  [[nodiscard]] Result<void> DeleteAccessKey(const Principal& caller,
                                             std::optional<std::string_view> user_name,
                                             std::string_view access_key_id);
  // Who owns a key of the caller's account and when it was last used. Fails with NoSuchEntity.
  [[nodiscard]] Result<AccessKeyLastUse> GetAccessKeyLastUsed(const Principal& caller,
                                                              std::string_view access_key_id);

  // ---- Login profiles (console passwords)

  // Checks the password against the account's password policy (CheckPasswordPolicy), then stores
  // its hash. Fails with NoSuchEntity (user), EntityAlreadyExists or PasswordPolicyViolation.
  [[nodiscard]] Result<storage::LoginProfile> CreateLoginProfile(const Principal& caller,
                                                                 std::string_view user_name,
                                                                 std::string_view password,
                                                                 bool password_reset_required);
  // Fails with NoSuchEntity ("Login Profile for User X cannot be found.").
  [[nodiscard]] Result<storage::LoginProfile> GetLoginProfile(const Principal& caller,
                                                              std::string_view user_name);
  // Changes what is given. Fails with NoSuchEntity or PasswordPolicyViolation.
  [[nodiscard]] Result<void> UpdateLoginProfile(const Principal& caller, std::string_view user_name,
                                                std::optional<std::string_view> password,
                                                std::optional<bool> password_reset_required);
  // Fails with NoSuchEntity.
  [[nodiscard]] Result<void> DeleteLoginProfile(const Principal& caller,
                                                std::string_view user_name);

  // ---- Resources for authorization (OperationRow::resource)

  // The ARN of the named user in the caller's account (with its stored path, "/" if the user does
  // not exist), or the caller's own ARN for nullopt.
  [[nodiscard]] std::string UserResource(const Principal& caller,
                                         std::optional<std::string_view> user_name) const;
  // The ARN of the named group in the caller's account (path "/" if it does not exist).
  [[nodiscard]] std::string GroupResource(const Principal& caller,
                                          std::string_view group_name) const;
  // The ARN of the user (or root user) that owns the key, if it is a key of the caller's account;
  // else "*".
  [[nodiscard]] std::string AccessKeyResource(const Principal& caller,
                                              std::string_view access_key_id) const;

 private:
  // InvalidInput unless `policy_arn` is a policy ARN; NoSuchEntity unless the policy is visible
  // to the caller's account.
  [[nodiscard]] Result<void> CheckBoundary(const Principal& caller,
                                           std::string_view policy_arn) const;

  // The user, or NoSuchEntity.
  [[nodiscard]] Result<storage::User> FindUser(const Principal& caller,
                                               std::string_view user_name) const;
  [[nodiscard]] Result<storage::Group> FindGroup(const Principal& caller,
                                                 std::string_view group_name) const;
  // The stored user name whose keys a key operation acts on: the named user's, the IAM user
  // caller's, or "" for the root caller. Fails with NoSuchEntity.
  [[nodiscard]] Result<std::string> KeyOwner(const Principal& caller,
                                             std::optional<std::string_view> user_name) const;
  // The key if it belongs to `owner` in the caller's account, else NoSuchEntity.
  [[nodiscard]] Result<storage::AccessKey> OwnedKey(const Principal& caller,
                                                    const std::string& owner,
                                                    std::string_view access_key_id) const;
  [[nodiscard]] Result<void> CheckPassword(const Principal& caller,
                                           std::string_view password) const;
  void KeyChanged(const std::string& access_key_id) const;

  IamContext context_;
  const ScryptCost password_cost_;
};

// Appends the rows of every operation above (CreateUser ... DeleteLoginProfile).
// REQUIRES: `service` outlives the rows.
void AddUsersOperations(UsersService& service, std::vector<OperationRow>& rows);

}  // namespace fulcrum::services::iam
