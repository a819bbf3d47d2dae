#pragma once

// The in-memory Database behind MakeMemoryStore and MakeMemoryDatabase. Internal to storage/memory:
// the account methods live in memory_store.cc, the IAM methods in memory_iam_store.cc.
//
// Thread safety: one shared_mutex guards all state; reads share it, writes hold it alone.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "storage/database.h"

namespace fulcrum::storage {

class MemoryDatabase final : public Database {
 public:
  explicit MemoryDatabase(size_t list_scan_limit) : list_scan_limit_(list_scan_limit) {}

  // AccountStore.
  Result<void> CreateAccount(const Account& account,
                             const std::vector<AccessKey>& root_keys) override;
  Result<std::optional<Account>> FindAccountById(std::string_view id) override;
  Result<std::optional<Account>> FindAccountByEmail(std::string_view email) override;
  Result<std::optional<Account>> FindAccountByName(std::string_view name) override;
  Result<std::vector<Account>> ListAccounts() override;
  Result<std::optional<AccessKey>> FindAccessKey(std::string_view access_key_id) override;
  Result<void> CreateAccessKey(const AccessKey& key) override;
  Result<void> DeleteAccessKey(std::string_view access_key_id) override;
  Result<void> SetAccessKeyActive(std::string_view access_key_id, bool active) override;
  Result<std::vector<AccessKey>> ListAccessKeys(std::string_view account_id,
                                                std::string_view user_name) override;

  // IamStore.
  Result<void> CreateUser(const User& user) override;
  Result<std::optional<User>> GetUser(std::string_view account_id,
                                      std::string_view user_name) override;
  Result<std::optional<User>> FindUserById(std::string_view user_id) override;
  Result<Page<User>> ListUsers(std::string_view account_id, std::string_view path_prefix,
                               const PageRequest& page) override;
  Result<void> UpdateUser(std::string_view account_id, std::string_view user_name,
                          const EntityRename& rename) override;
  Result<void> DeleteUser(std::string_view account_id, std::string_view user_name) override;
  Result<void> RecordPasswordUse(std::string_view account_id, std::string_view user_name,
                                 TimePoint time) override;
  Result<void> CreateGroup(const Group& group) override;
  Result<std::optional<Group>> GetGroup(std::string_view account_id,
                                        std::string_view group_name) override;
  Result<std::optional<Group>> FindGroupById(std::string_view group_id) override;
  Result<Page<Group>> ListGroups(std::string_view account_id, std::string_view path_prefix,
                                 const PageRequest& page) override;
  Result<void> UpdateGroup(std::string_view account_id, std::string_view group_name,
                           const EntityRename& rename) override;
  Result<void> DeleteGroup(std::string_view account_id, std::string_view group_name) override;
  Result<void> AddUserToGroup(std::string_view account_id, std::string_view group_name,
                              std::string_view user_name, size_t max_groups_per_user) override;
  Result<void> RemoveUserFromGroup(std::string_view account_id, std::string_view group_name,
                                   std::string_view user_name) override;
  Result<Page<User>> ListGroupMembers(std::string_view account_id, std::string_view group_name,
                                      const PageRequest& page) override;
  Result<Page<Group>> ListGroupsForUser(std::string_view account_id, std::string_view user_name,
                                        const PageRequest& page) override;
  Result<void> CreateRole(const Role& role) override;
  Result<std::optional<Role>> GetRole(std::string_view account_id,
                                      std::string_view role_name) override;
  Result<std::optional<Role>> FindRoleById(std::string_view role_id) override;
  Result<Page<Role>> ListRoles(std::string_view account_id, std::string_view path_prefix,
                               const PageRequest& page) override;
  Result<void> UpdateRole(std::string_view account_id, std::string_view role_name,
                          const RoleUpdate& update) override;
  Result<void> DeleteRole(std::string_view account_id, std::string_view role_name) override;
  Result<void> RecordRoleUse(std::string_view account_id, std::string_view role_name,
                             const RoleLastUsed& used) override;
  Result<void> SetPermissionsBoundary(const PrincipalRef& principal,
                                      std::string_view policy_arn) override;
  Result<void> TagResource(const TagTarget& target, const Tags& tags, size_t max_tags) override;
  Result<void> UntagResource(const TagTarget& target,
                             const std::vector<std::string>& keys) override;
  Result<void> CreatePolicy(const ManagedPolicy& policy, std::string_view document) override;
  Result<std::optional<ManagedPolicy>> GetPolicy(std::string_view account_id,
                                                 std::string_view policy_arn) override;
  Result<Page<ManagedPolicy>> ListPolicies(std::string_view account_id, const PolicyFilter& filter,
                                           const PageRequest& page) override;
  Result<void> DeletePolicy(std::string_view account_id, std::string_view policy_arn) override;
  Result<PolicyVersion> CreatePolicyVersion(std::string_view account_id,
                                            std::string_view policy_arn, std::string_view document,
                                            bool set_as_default, TimePoint now,
                                            size_t max_versions) override;
  Result<std::optional<PolicyVersion>> GetPolicyVersion(std::string_view account_id,
                                                        std::string_view policy_arn,
                                                        std::string_view version_id) override;
  Result<Page<PolicyVersion>> ListPolicyVersions(std::string_view account_id,
                                                 std::string_view policy_arn,
                                                 const PageRequest& page) override;
  Result<void> SetDefaultPolicyVersion(std::string_view account_id, std::string_view policy_arn,
                                       std::string_view version_id) override;
  Result<void> DeletePolicyVersion(std::string_view account_id, std::string_view policy_arn,
                                   std::string_view version_id) override;
  Result<void> AttachPolicy(const PrincipalRef& principal, std::string_view policy_arn,
                            size_t max_attached) override;
  Result<void> DetachPolicy(const PrincipalRef& principal, std::string_view policy_arn) override;
  Result<Page<ManagedPolicy>> ListAttachedPolicies(const PrincipalRef& principal,
                                                   std::string_view path_prefix,
                                                   const PageRequest& page) override;
  Result<Page<PolicyEntity>> ListEntitiesForPolicy(std::string_view account_id,
                                                   std::string_view policy_arn,
                                                   std::optional<PrincipalKind> kind,
                                                   std::string_view path_prefix,
                                                   const PageRequest& page) override;
  Result<void> PutInlinePolicy(const PrincipalRef& principal, std::string_view policy_name,
                               std::string_view document) override;
  Result<std::optional<std::string>> GetInlinePolicy(const PrincipalRef& principal,
                                                     std::string_view policy_name) override;
  Result<void> DeleteInlinePolicy(const PrincipalRef& principal,
                                  std::string_view policy_name) override;
  Result<Page<InlinePolicy>> ListInlinePolicies(const PrincipalRef& principal,
                                                const PageRequest& page) override;
  Result<void> CreateLoginProfile(const LoginProfile& profile) override;
  Result<std::optional<LoginProfile>> GetLoginProfile(std::string_view account_id,
                                                      std::string_view user_name) override;
  Result<void> UpdateLoginProfile(std::string_view account_id, std::string_view user_name,
                                  const LoginProfileUpdate& update) override;
  Result<void> DeleteLoginProfile(std::string_view account_id, std::string_view user_name) override;
  Result<void> CreateVirtualMfaDevice(const VirtualMfaDevice& device) override;
  Result<std::optional<VirtualMfaDevice>> GetVirtualMfaDevice(
      std::string_view account_id, std::string_view serial_number) override;
  Result<Page<VirtualMfaDevice>> ListVirtualMfaDevices(std::string_view account_id,
                                                       MfaAssignment assignment,
                                                       const PageRequest& page) override;
  Result<Page<VirtualMfaDevice>> ListMfaDevicesForUser(std::string_view account_id,
                                                       std::string_view user_name,
                                                       const PageRequest& page) override;
  Result<void> EnableMfaDevice(std::string_view account_id, std::string_view user_name,
                               std::string_view serial_number, TimePoint enable_date,
                               int64_t time_step, size_t max_devices_per_user) override;
  Result<void> DeactivateMfaDevice(std::string_view account_id, std::string_view user_name,
                                   std::string_view serial_number) override;
  Result<void> DeleteVirtualMfaDevice(std::string_view account_id,
                                      std::string_view serial_number) override;
  Result<bool> AcceptMfaTimeStep(std::string_view account_id, std::string_view serial_number,
                                 int64_t time_step) override;
  Result<void> SetAccountAlias(std::string_view account_id, std::string_view alias) override;
  Result<std::optional<std::string>> GetAccountAlias(std::string_view account_id) override;
  Result<std::optional<std::string>> FindAccountIdByAlias(std::string_view alias) override;
  Result<void> DeleteAccountAlias(std::string_view account_id, std::string_view alias) override;
  Result<void> PutPasswordPolicy(std::string_view account_id,
                                 const PasswordPolicy& policy) override;
  Result<std::optional<PasswordPolicy>> GetPasswordPolicy(std::string_view account_id) override;
  Result<void> DeletePasswordPolicy(std::string_view account_id) override;
  Result<void> CreateUserAccessKey(const AccessKey& key, size_t max_keys_per_user) override;
  Result<void> RecordAccessKeyUses(const std::vector<AccessKeyUse>& uses) override;
  Result<std::optional<AccessKeyLastUsed>> GetAccessKeyLastUsed(
      std::string_view access_key_id) override;

 private:
  template <class Value>
  using StringMap = std::map<std::string, Value, std::less<>>;
  // (account id, name with ASCII letters lowered); AWS managed policies have an empty account id.
  using NameKey = std::pair<std::string, std::string>;
  // (principal kind, principal unique id, policy ARN or inline policy name).
  using PrincipalItemKey = std::tuple<PrincipalKind, std::string, std::string>;

  struct PolicyState {
    ManagedPolicy policy;  // Counts are kept in usage_, not here.
    int64_t default_version = 1;
    int64_t next_version = 2;
    std::map<int64_t, PolicyVersion> versions;  // is_default is derived from default_version.
  };
  struct Usage {
    int64_t attachments = 0;
    int64_t boundaries = 0;
  };
  struct MfaState {
    VirtualMfaDevice device;  // user_name is derived from user_id.
    std::string user_id;      // Empty while unassigned.
  };
  // What identifies a principal to the maps of its policies and memberships.
  struct PrincipalInfo {
    std::string account_id;
    std::string unique_id;
    std::string name;
    std::string path;
  };

  // Every helper below REQUIRES mutex_ held (shared for const ones, exclusive otherwise).
  std::optional<Account> FindLocked(std::string_view id) const;
  std::optional<PrincipalInfo> FindPrincipalLocked(const PrincipalRef& principal) const;
  std::optional<PrincipalInfo> PrincipalByIdLocked(PrincipalKind kind,
                                                   std::string_view unique_id) const;
  const User* FindUserLocked(std::string_view account_id, std::string_view user_name) const;
  User* FindUserLocked(std::string_view account_id, std::string_view user_name);
  const User* UserByIdLocked(std::string_view user_id) const;
  const PolicyState* VisiblePolicyLocked(std::string_view account_id, std::string_view arn) const;
  PolicyState* OwnedPolicyLocked(std::string_view account_id, std::string_view arn);
  ManagedPolicy PolicyForLocked(const PolicyState& state, std::string_view account_id) const;
  PolicyVersion VersionForLocked(const PolicyState& state, int64_t number) const;
  VirtualMfaDevice MfaDeviceForLocked(const MfaState& state) const;
  // Checks that a new boundary policy is visible, then moves the usage count.
  Result<void> MoveBoundaryLocked(std::string_view account_id, std::string_view old_arn,
                                  std::string_view new_arn);
  bool HasPrincipalChildrenLocked(PrincipalKind kind, std::string_view unique_id,
                                  bool inline_policies) const;
  Tags* TagsOfLocked(const TagTarget& target);

  const size_t list_scan_limit_;
  mutable std::shared_mutex mutex_;
  StringMap<Account> accounts_;                 // By id.
  StringMap<std::string> account_by_email_;     // Lowered email -> id.
  StringMap<std::string> account_by_name_;      // Name -> id.
  StringMap<AccessKey> keys_;                   // By access key id.
  StringMap<AccessKeyLastUsed> key_last_used_;  // By access key id.

  std::map<NameKey, User> users_;
  StringMap<NameKey> user_by_id_;
  std::map<NameKey, Group> groups_;
  StringMap<NameKey> group_by_id_;
  std::map<NameKey, Role> roles_;
  StringMap<NameKey> role_by_id_;
  std::set<std::pair<std::string, std::string>> memberships_;  // (group id, user id).
  std::map<NameKey, PolicyState> policies_;
  StringMap<NameKey> policy_by_arn_;
  StringMap<NameKey> policy_by_id_;
  std::map<std::pair<std::string, std::string>, Usage> usage_;  // (account id, policy ARN).
  std::map<PrincipalItemKey, int64_t> attachments_;             // -> attach sequence number.
  int64_t next_attachment_ = 1;
  std::map<PrincipalItemKey, std::string> inline_policies_;  // -> document.
  StringMap<LoginProfile> login_profiles_;                   // By user id; user_name is derived.
  StringMap<MfaState> mfa_devices_;                          // By serial number.
  StringMap<std::string> alias_by_account_;
  StringMap<std::string> account_by_alias_;
  StringMap<PasswordPolicy> password_policies_;
};

}  // namespace fulcrum::storage
