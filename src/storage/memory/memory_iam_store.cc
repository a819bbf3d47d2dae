// The IamStore methods of MemoryDatabase. Lists offer the same entries, in the same order, as the
// SQLite back end scans them, so that pages (and their scan limits) agree between back ends.

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>

#include "storage/iam_support.h"
#include "storage/memory/memory_database.h"
#include "storage/store_errors.h"

namespace fulcrum::storage {
namespace {

std::pair<std::string, std::string> NameKeyOf(std::string_view account_id, std::string_view name) {
  return {std::string(account_id), AsciiLower(name)};
}

std::string KindDigit(PrincipalKind kind) { return std::to_string(static_cast<int>(kind)); }

// Users, groups or roles of one account from a map ordered by (account, lowered name).
template <class Record>
Page<Record> ListByName(const std::map<std::pair<std::string, std::string>, Record>& records,
                        std::string_view list, std::string_view account_id,
                        std::string_view path_prefix, const MarkerKey& marker,
                        const PageRequest& page, size_t scan_limit) {
  PageBuilder<Record> builder(list, page.max_items, scan_limit);
  auto it = marker.empty() ? records.lower_bound({std::string(account_id), ""})
                           : records.upper_bound({std::string(account_id), marker[0]});
  for (; it != records.end() && it->first.first == account_id; ++it) {
    const Record& record = it->second;
    if (!builder.Offer({it->first.second}, PathHasPrefix(record.path, path_prefix),
                       [&] { return record; })) {
      break;
    }
  }
  return std::move(builder).Finish();
}

// Entries sorted by key, with those at or before `marker` removed.
template <class Value>
std::vector<std::pair<MarkerKey, Value>> AfterMarker(
    std::vector<std::pair<MarkerKey, Value>> entries, const MarkerKey& marker) {
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  if (marker.empty()) return entries;
  std::erase_if(entries, [&](const auto& entry) { return entry.first <= marker; });
  return entries;
}

}  // namespace

// ---- Helpers (mutex_ held)

std::optional<MemoryDatabase::PrincipalInfo> MemoryDatabase::FindPrincipalLocked(
    const PrincipalRef& principal) const {
  const auto key = NameKeyOf(principal.account_id, principal.name);
  switch (principal.kind) {
    case PrincipalKind::kUser: {
      auto it = users_.find(key);
      if (it == users_.end()) return std::nullopt;
      const User& user = it->second;
      return PrincipalInfo{user.account_id, user.user_id, user.user_name, user.path};
    }
    case PrincipalKind::kGroup: {
      auto it = groups_.find(key);
      if (it == groups_.end()) return std::nullopt;
      const Group& group = it->second;
      return PrincipalInfo{group.account_id, group.group_id, group.group_name, group.path};
    }
    case PrincipalKind::kRole: {
      auto it = roles_.find(key);
      if (it == roles_.end()) return std::nullopt;
      const Role& role = it->second;
      return PrincipalInfo{role.account_id, role.role_id, role.role_name, role.path};
    }
  }
  return std::nullopt;
}

std::optional<MemoryDatabase::PrincipalInfo> MemoryDatabase::PrincipalByIdLocked(
    PrincipalKind kind, std::string_view unique_id) const {
  const StringMap<NameKey>& index = kind == PrincipalKind::kUser    ? user_by_id_
                                    : kind == PrincipalKind::kGroup ? group_by_id_
                                                                    : role_by_id_;
  auto it = index.find(unique_id);
  if (it == index.end()) return std::nullopt;
  std::string name;
  switch (kind) {
    case PrincipalKind::kUser:
      name = users_.at(it->second).user_name;
      break;
    case PrincipalKind::kGroup:
      name = groups_.at(it->second).group_name;
      break;
    case PrincipalKind::kRole:
      name = roles_.at(it->second).role_name;
      break;
  }
  return FindPrincipalLocked(PrincipalRef{kind, it->second.first, name});
}

const User* MemoryDatabase::FindUserLocked(std::string_view account_id,
                                           std::string_view user_name) const {
  auto it = users_.find(NameKeyOf(account_id, user_name));
  return it == users_.end() ? nullptr : &it->second;
}

User* MemoryDatabase::FindUserLocked(std::string_view account_id, std::string_view user_name) {
  auto it = users_.find(NameKeyOf(account_id, user_name));
  return it == users_.end() ? nullptr : &it->second;
}

const User* MemoryDatabase::UserByIdLocked(std::string_view user_id) const {
  auto it = user_by_id_.find(user_id);
  return it == user_by_id_.end() ? nullptr : &users_.at(it->second);
}

const MemoryDatabase::PolicyState* MemoryDatabase::VisiblePolicyLocked(std::string_view account_id,
                                                                       std::string_view arn) const {
  auto it = policy_by_arn_.find(arn);
  if (it == policy_by_arn_.end()) return nullptr;
  const PolicyState& state = policies_.at(it->second);
  if (!state.policy.account_id.empty() && state.policy.account_id != account_id) return nullptr;
  return &state;
}

MemoryDatabase::PolicyState* MemoryDatabase::OwnedPolicyLocked(std::string_view account_id,
                                                               std::string_view arn) {
  auto it = policy_by_arn_.find(arn);
  if (it == policy_by_arn_.end()) return nullptr;
  PolicyState& state = policies_.at(it->second);
  return state.policy.account_id == account_id ? &state : nullptr;
}

ManagedPolicy MemoryDatabase::PolicyForLocked(const PolicyState& state,
                                              std::string_view account_id) const {
  ManagedPolicy policy = state.policy;
  policy.default_version_id = FormatVersionId(state.default_version);
  auto usage = usage_.find({std::string(account_id), policy.arn});
  policy.attachment_count = usage == usage_.end() ? 0 : usage->second.attachments;
  policy.permissions_boundary_usage_count = usage == usage_.end() ? 0 : usage->second.boundaries;
  return policy;
}

PolicyVersion MemoryDatabase::VersionForLocked(const PolicyState& state, int64_t number) const {
  PolicyVersion version = state.versions.at(number);
  version.version_id = FormatVersionId(number);
  version.is_default = number == state.default_version;
  return version;
}

VirtualMfaDevice MemoryDatabase::MfaDeviceForLocked(const MfaState& state) const {
  VirtualMfaDevice device = state.device;
  const User* user = state.user_id.empty() ? nullptr : UserByIdLocked(state.user_id);
  device.user_name = user == nullptr ? "" : user->user_name;
  return device;
}

Result<void> MemoryDatabase::MoveBoundaryLocked(std::string_view account_id,
                                                std::string_view old_arn,
                                                std::string_view new_arn) {
  if (old_arn == new_arn) return {};
  if (!new_arn.empty() && VisiblePolicyLocked(account_id, new_arn) == nullptr) {
    return Fail(NoSuchPolicyError(new_arn));
  }
  if (!old_arn.empty()) --usage_[{std::string(account_id), std::string(old_arn)}].boundaries;
  if (!new_arn.empty()) ++usage_[{std::string(account_id), std::string(new_arn)}].boundaries;
  return {};
}

bool MemoryDatabase::HasPrincipalChildrenLocked(PrincipalKind kind, std::string_view unique_id,
                                                bool inline_policies) const {
  const PrincipalItemKey start{kind, std::string(unique_id), ""};
  auto matches = [&](const PrincipalItemKey& key) {
    return std::get<0>(key) == kind && std::get<1>(key) == unique_id;
  };
  if (inline_policies) {
    auto it = inline_policies_.lower_bound(start);
    return it != inline_policies_.end() && matches(it->first);
  }
  auto it = attachments_.lower_bound(start);
  return it != attachments_.end() && matches(it->first);
}

Tags* MemoryDatabase::TagsOfLocked(const TagTarget& target) {
  switch (target.kind) {
    case TaggedKind::kUser: {
      User* user = FindUserLocked(target.account_id, target.name);
      return user == nullptr ? nullptr : &user->tags;
    }
    case TaggedKind::kRole: {
      auto it = roles_.find(NameKeyOf(target.account_id, target.name));
      return it == roles_.end() ? nullptr : &it->second.tags;
    }
    case TaggedKind::kPolicy: {
      PolicyState* state = OwnedPolicyLocked(target.account_id, target.name);
      return state == nullptr ? nullptr : &state->policy.tags;
    }
    case TaggedKind::kVirtualMfaDevice: {
      auto it = mfa_devices_.find(target.name);
      if (it == mfa_devices_.end() || it->second.device.account_id != target.account_id) {
        return nullptr;
      }
      return &it->second.device.tags;
    }
  }
  return nullptr;
}

// ---- Users

Result<void> MemoryDatabase::CreateUser(const User& user) {
  std::unique_lock lock(mutex_);
  if (!accounts_.contains(user.account_id)) return Fail(NoSuchAccountError(user.account_id));
  auto key = NameKeyOf(user.account_id, user.user_name);
  if (users_.contains(key)) return Fail(PrincipalExistsError(PrincipalKind::kUser, user.user_name));
  if (user_by_id_.contains(user.user_id)) return Fail(DuplicateUniqueIdError(user.user_id));
  if (auto moved = MoveBoundaryLocked(user.account_id, "", user.permissions_boundary_arn);
      !moved.has_value()) {
    return moved;
  }
  User stored = user;
  stored.password_last_used.reset();
  users_.emplace(key, std::move(stored));
  user_by_id_.emplace(user.user_id, key);
  return {};
}

Result<std::optional<User>> MemoryDatabase::GetUser(std::string_view account_id,
                                                    std::string_view user_name) {
  std::shared_lock lock(mutex_);
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return std::nullopt;
  return *user;
}

Result<std::optional<User>> MemoryDatabase::FindUserById(std::string_view user_id) {
  std::shared_lock lock(mutex_);
  const User* user = UserByIdLocked(user_id);
  if (user == nullptr) return std::nullopt;
  return *user;
}

Result<Page<User>> MemoryDatabase::ListUsers(std::string_view account_id,
                                             std::string_view path_prefix,
                                             const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kUsersList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  return ListByName(users_, kUsersList, account_id, path_prefix, *marker, page, list_scan_limit_);
}

Result<void> MemoryDatabase::UpdateUser(std::string_view account_id, std::string_view user_name,
                                        const EntityRename& rename) {
  std::unique_lock lock(mutex_);
  auto it = users_.find(NameKeyOf(account_id, user_name));
  if (it == users_.end()) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  const auto new_key = NameKeyOf(account_id, rename.name);
  if (new_key != it->first && users_.contains(new_key)) {
    return Fail(PrincipalExistsError(PrincipalKind::kUser, rename.name));
  }
  User user = it->second;
  const std::string old_name = user.user_name;
  user.user_name = rename.name;
  user.path = rename.path;
  user.arn = rename.arn;
  users_.erase(it);
  user_by_id_[user.user_id] = new_key;
  users_.emplace(new_key, std::move(user));
  for (auto& [id, key] : keys_) {
    if (key.account_id == account_id && key.user_name == old_name) key.user_name = rename.name;
  }
  return {};
}

Result<void> MemoryDatabase::DeleteUser(std::string_view account_id, std::string_view user_name) {
  std::unique_lock lock(mutex_);
  auto it = users_.find(NameKeyOf(account_id, user_name));
  if (it == users_.end()) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  const User& user = it->second;
  if (login_profiles_.contains(user.user_id)) {
    return Fail(DeleteConflictError(kMustDeleteLoginProfile));
  }
  for (const auto& [id, key] : keys_) {
    if (key.account_id == account_id && key.user_name == user.user_name) {
      return Fail(DeleteConflictError(kMustDeleteAccessKeys));
    }
  }
  for (const auto& [serial, state] : mfa_devices_) {
    if (state.user_id == user.user_id) return Fail(DeleteConflictError(kMustDeleteMfaDevices));
  }
  for (const auto& [group_id, user_id] : memberships_) {
    if (user_id == user.user_id) return Fail(DeleteConflictError(kMustLeaveGroups));
  }
  if (HasPrincipalChildrenLocked(PrincipalKind::kUser, user.user_id, false)) {
    return Fail(DeleteConflictError(kMustDetachPolicies));
  }
  if (HasPrincipalChildrenLocked(PrincipalKind::kUser, user.user_id, true)) {
    return Fail(DeleteConflictError(kMustDeleteInlinePolicies));
  }
  if (auto moved = MoveBoundaryLocked(account_id, user.permissions_boundary_arn, "");
      !moved.has_value()) {
    return moved;
  }
  user_by_id_.erase(user.user_id);
  users_.erase(it);
  return {};
}

Result<void> MemoryDatabase::RecordPasswordUse(std::string_view account_id,
                                               std::string_view user_name, TimePoint time) {
  std::unique_lock lock(mutex_);
  User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  user->password_last_used = time;
  return {};
}

// ---- Groups

Result<void> MemoryDatabase::CreateGroup(const Group& group) {
  std::unique_lock lock(mutex_);
  if (!accounts_.contains(group.account_id)) return Fail(NoSuchAccountError(group.account_id));
  auto key = NameKeyOf(group.account_id, group.group_name);
  if (groups_.contains(key)) {
    return Fail(PrincipalExistsError(PrincipalKind::kGroup, group.group_name));
  }
  if (group_by_id_.contains(group.group_id)) return Fail(DuplicateUniqueIdError(group.group_id));
  groups_.emplace(key, group);
  group_by_id_.emplace(group.group_id, key);
  return {};
}

Result<std::optional<Group>> MemoryDatabase::GetGroup(std::string_view account_id,
                                                      std::string_view group_name) {
  std::shared_lock lock(mutex_);
  auto it = groups_.find(NameKeyOf(account_id, group_name));
  if (it == groups_.end()) return std::nullopt;
  return it->second;
}

Result<std::optional<Group>> MemoryDatabase::FindGroupById(std::string_view group_id) {
  std::shared_lock lock(mutex_);
  auto it = group_by_id_.find(group_id);
  if (it == group_by_id_.end()) return std::nullopt;
  return groups_.at(it->second);
}

Result<Page<Group>> MemoryDatabase::ListGroups(std::string_view account_id,
                                               std::string_view path_prefix,
                                               const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kGroupsList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  return ListByName(groups_, kGroupsList, account_id, path_prefix, *marker, page, list_scan_limit_);
}

Result<void> MemoryDatabase::UpdateGroup(std::string_view account_id, std::string_view group_name,
                                         const EntityRename& rename) {
  std::unique_lock lock(mutex_);
  auto it = groups_.find(NameKeyOf(account_id, group_name));
  if (it == groups_.end()) return Fail(NoSuchPrincipalError(PrincipalKind::kGroup, group_name));
  const auto new_key = NameKeyOf(account_id, rename.name);
  if (new_key != it->first && groups_.contains(new_key)) {
    return Fail(PrincipalExistsError(PrincipalKind::kGroup, rename.name));
  }
  Group group = it->second;
  group.group_name = rename.name;
  group.path = rename.path;
  group.arn = rename.arn;
  groups_.erase(it);
  group_by_id_[group.group_id] = new_key;
  groups_.emplace(new_key, std::move(group));
  return {};
}

Result<void> MemoryDatabase::DeleteGroup(std::string_view account_id, std::string_view group_name) {
  std::unique_lock lock(mutex_);
  auto it = groups_.find(NameKeyOf(account_id, group_name));
  if (it == groups_.end()) return Fail(NoSuchPrincipalError(PrincipalKind::kGroup, group_name));
  const std::string group_id = it->second.group_id;
  auto member = memberships_.lower_bound({group_id, ""});
  if (member != memberships_.end() && member->first == group_id) {
    return Fail(DeleteConflictError(kMustRemoveMembers));
  }
  if (HasPrincipalChildrenLocked(PrincipalKind::kGroup, group_id, false)) {
    return Fail(DeleteConflictError(kMustDetachPolicies));
  }
  if (HasPrincipalChildrenLocked(PrincipalKind::kGroup, group_id, true)) {
    return Fail(DeleteConflictError(kMustDeleteInlinePolicies));
  }
  group_by_id_.erase(group_id);
  groups_.erase(it);
  return {};
}

Result<void> MemoryDatabase::AddUserToGroup(std::string_view account_id,
                                            std::string_view group_name, std::string_view user_name,
                                            size_t max_groups_per_user) {
  std::unique_lock lock(mutex_);
  auto group = groups_.find(NameKeyOf(account_id, group_name));
  if (group == groups_.end()) {
    return Fail(NoSuchPrincipalError(PrincipalKind::kGroup, group_name));
  }
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  const std::pair<std::string, std::string> membership{group->second.group_id, user->user_id};
  if (memberships_.contains(membership)) return {};
  size_t groups = 0;
  for (const auto& [group_id, user_id] : memberships_) groups += user_id == user->user_id ? 1 : 0;
  if (groups >= max_groups_per_user) return Fail(QuotaError("GroupsPerUser", max_groups_per_user));
  memberships_.insert(membership);
  return {};
}

Result<void> MemoryDatabase::RemoveUserFromGroup(std::string_view account_id,
                                                 std::string_view group_name,
                                                 std::string_view user_name) {
  std::unique_lock lock(mutex_);
  auto group = groups_.find(NameKeyOf(account_id, group_name));
  if (group == groups_.end()) {
    return Fail(NoSuchPrincipalError(PrincipalKind::kGroup, group_name));
  }
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  if (memberships_.erase({group->second.group_id, user->user_id}) == 0) {
    return Fail(UserNotInGroupError(user_name, group_name));
  }
  return {};
}

Result<Page<User>> MemoryDatabase::ListGroupMembers(std::string_view account_id,
                                                    std::string_view group_name,
                                                    const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kMembersList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  auto group = groups_.find(NameKeyOf(account_id, group_name));
  if (group == groups_.end()) {
    return Fail(NoSuchPrincipalError(PrincipalKind::kGroup, group_name));
  }
  const std::string& group_id = group->second.group_id;
  std::vector<std::pair<MarkerKey, const User*>> entries;
  for (auto it = memberships_.lower_bound({group_id, ""});
       it != memberships_.end() && it->first == group_id; ++it) {
    const User* user = UserByIdLocked(it->second);
    entries.push_back({{AsciiLower(user->user_name)}, user});
  }
  PageBuilder<User> builder(kMembersList, page.max_items, list_scan_limit_);
  for (const auto& [key, user] : AfterMarker(std::move(entries), *marker)) {
    if (!builder.Offer(key, true, [found = user] { return *found; })) break;
  }
  return std::move(builder).Finish();
}

Result<Page<Group>> MemoryDatabase::ListGroupsForUser(std::string_view account_id,
                                                      std::string_view user_name,
                                                      const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kUserGroupsList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  std::vector<std::pair<MarkerKey, const Group*>> entries;
  for (const auto& [group_id, user_id] : memberships_) {
    if (user_id != user->user_id) continue;
    const Group& group = groups_.at(group_by_id_.find(group_id)->second);
    entries.push_back({{AsciiLower(group.group_name)}, &group});
  }
  PageBuilder<Group> builder(kUserGroupsList, page.max_items, list_scan_limit_);
  for (const auto& [key, group] : AfterMarker(std::move(entries), *marker)) {
    if (!builder.Offer(key, true, [found = group] { return *found; })) break;
  }
  return std::move(builder).Finish();
}

// ---- Roles

Result<void> MemoryDatabase::CreateRole(const Role& role) {
  std::unique_lock lock(mutex_);
  if (!accounts_.contains(role.account_id)) return Fail(NoSuchAccountError(role.account_id));
  auto key = NameKeyOf(role.account_id, role.role_name);
  if (roles_.contains(key)) return Fail(PrincipalExistsError(PrincipalKind::kRole, role.role_name));
  if (role_by_id_.contains(role.role_id)) return Fail(DuplicateUniqueIdError(role.role_id));
  if (auto moved = MoveBoundaryLocked(role.account_id, "", role.permissions_boundary_arn);
      !moved.has_value()) {
    return moved;
  }
  Role stored = role;
  stored.last_used.reset();
  roles_.emplace(key, std::move(stored));
  role_by_id_.emplace(role.role_id, key);
  return {};
}

Result<std::optional<Role>> MemoryDatabase::GetRole(std::string_view account_id,
                                                    std::string_view role_name) {
  std::shared_lock lock(mutex_);
  auto it = roles_.find(NameKeyOf(account_id, role_name));
  if (it == roles_.end()) return std::nullopt;
  return it->second;
}

Result<std::optional<Role>> MemoryDatabase::FindRoleById(std::string_view role_id) {
  std::shared_lock lock(mutex_);
  auto it = role_by_id_.find(role_id);
  if (it == role_by_id_.end()) return std::nullopt;
  return roles_.at(it->second);
}

Result<Page<Role>> MemoryDatabase::ListRoles(std::string_view account_id,
                                             std::string_view path_prefix,
                                             const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kRolesList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  return ListByName(roles_, kRolesList, account_id, path_prefix, *marker, page, list_scan_limit_);
}

Result<void> MemoryDatabase::UpdateRole(std::string_view account_id, std::string_view role_name,
                                        const RoleUpdate& update) {
  std::unique_lock lock(mutex_);
  auto it = roles_.find(NameKeyOf(account_id, role_name));
  if (it == roles_.end()) return Fail(NoSuchPrincipalError(PrincipalKind::kRole, role_name));
  Role& role = it->second;
  if (update.description.has_value()) role.description = *update.description;
  if (update.max_session_duration.has_value()) {
    role.max_session_duration = *update.max_session_duration;
  }
  if (update.assume_role_policy_document.has_value()) {
    role.assume_role_policy_document = *update.assume_role_policy_document;
  }
  return {};
}

Result<void> MemoryDatabase::DeleteRole(std::string_view account_id, std::string_view role_name) {
  std::unique_lock lock(mutex_);
  auto it = roles_.find(NameKeyOf(account_id, role_name));
  if (it == roles_.end()) return Fail(NoSuchPrincipalError(PrincipalKind::kRole, role_name));
  const Role& role = it->second;
  if (HasPrincipalChildrenLocked(PrincipalKind::kRole, role.role_id, false)) {
    return Fail(DeleteConflictError(kMustDetachPolicies));
  }
  if (HasPrincipalChildrenLocked(PrincipalKind::kRole, role.role_id, true)) {
    return Fail(DeleteConflictError(kMustDeleteInlinePolicies));
  }
  if (auto moved = MoveBoundaryLocked(account_id, role.permissions_boundary_arn, "");
      !moved.has_value()) {
    return moved;
  }
  role_by_id_.erase(role.role_id);
  roles_.erase(it);
  return {};
}

Result<void> MemoryDatabase::RecordRoleUse(std::string_view account_id, std::string_view role_name,
                                           const RoleLastUsed& used) {
  std::unique_lock lock(mutex_);
  auto it = roles_.find(NameKeyOf(account_id, role_name));
  if (it == roles_.end()) return Fail(NoSuchPrincipalError(PrincipalKind::kRole, role_name));
  it->second.last_used = used;
  return {};
}

// ---- Boundaries and tags

Result<void> MemoryDatabase::SetPermissionsBoundary(const PrincipalRef& principal,
                                                    std::string_view policy_arn) {
  if (principal.kind == PrincipalKind::kGroup) {
    return Fail(RequiresError("a group has no permissions boundary"));
  }
  std::unique_lock lock(mutex_);
  const auto key = NameKeyOf(principal.account_id, principal.name);
  std::string* boundary = nullptr;
  if (principal.kind == PrincipalKind::kUser) {
    auto it = users_.find(key);
    if (it != users_.end()) boundary = &it->second.permissions_boundary_arn;
  } else {
    auto it = roles_.find(key);
    if (it != roles_.end()) boundary = &it->second.permissions_boundary_arn;
  }
  if (boundary == nullptr) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  if (auto moved = MoveBoundaryLocked(principal.account_id, *boundary, policy_arn);
      !moved.has_value()) {
    return moved;
  }
  *boundary = std::string(policy_arn);
  return {};
}

Result<void> MemoryDatabase::TagResource(const TagTarget& target, const Tags& tags,
                                         size_t max_tags) {
  std::unique_lock lock(mutex_);
  Tags* current = TagsOfLocked(target);
  if (current == nullptr) return Fail(NoSuchTagTargetError(target));
  auto merged = MergeTags(*current, tags, target.kind, max_tags);
  if (!merged.has_value()) return Fail(merged.error());
  *current = std::move(*merged);
  return {};
}

Result<void> MemoryDatabase::UntagResource(const TagTarget& target,
                                           const std::vector<std::string>& keys) {
  std::unique_lock lock(mutex_);
  Tags* current = TagsOfLocked(target);
  if (current == nullptr) return Fail(NoSuchTagTargetError(target));
  *current = RemoveTags(*current, keys, target.kind);
  return {};
}

// ---- Managed policies

Result<void> MemoryDatabase::CreatePolicy(const ManagedPolicy& policy, std::string_view document) {
  std::unique_lock lock(mutex_);
  if (!policy.account_id.empty() && !accounts_.contains(policy.account_id)) {
    return Fail(NoSuchAccountError(policy.account_id));
  }
  auto key = NameKeyOf(policy.account_id, policy.policy_name);
  if (policies_.contains(key) || policy_by_arn_.contains(policy.arn)) {
    return Fail(PolicyExistsError(policy.policy_name));
  }
  if (policy_by_id_.contains(policy.policy_id)) {
    return Fail(DuplicateUniqueIdError(policy.policy_id));
  }
  PolicyState state{.policy = policy, .default_version = 1, .next_version = 2, .versions = {}};
  state.policy.updated = policy.created;
  state.policy.attachment_count = 0;
  state.policy.permissions_boundary_usage_count = 0;
  state.versions.emplace(1, PolicyVersion{.policy_arn = policy.arn,
                                          .version_id = {},
                                          .document = std::string(document),
                                          .is_default = false,
                                          .created = policy.created});
  policies_.emplace(key, std::move(state));
  policy_by_arn_.emplace(policy.arn, key);
  policy_by_id_.emplace(policy.policy_id, key);
  return {};
}

Result<std::optional<ManagedPolicy>> MemoryDatabase::GetPolicy(std::string_view account_id,
                                                               std::string_view policy_arn) {
  std::shared_lock lock(mutex_);
  const PolicyState* state = VisiblePolicyLocked(account_id, policy_arn);
  if (state == nullptr) return std::nullopt;
  return PolicyForLocked(*state, account_id);
}

Result<Page<ManagedPolicy>> MemoryDatabase::ListPolicies(std::string_view account_id,
                                                         const PolicyFilter& filter,
                                                         const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kPoliciesList, page.marker, 2);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  std::vector<std::string> owners;
  if (filter.scope != PolicyScope::kLocal) owners.emplace_back();
  if (filter.scope != PolicyScope::kAws && !account_id.empty()) owners.emplace_back(account_id);
  std::vector<std::pair<MarkerKey, const PolicyState*>> entries;
  for (const std::string& owner : owners) {
    for (auto it = policies_.lower_bound({owner, ""});
         it != policies_.end() && it->first.first == owner; ++it) {
      entries.push_back({{it->first.second, owner}, &it->second});
    }
  }
  PageBuilder<ManagedPolicy> builder(kPoliciesList, page.max_items, list_scan_limit_);
  for (const auto& [key, state] : AfterMarker(std::move(entries), *marker)) {
    ManagedPolicy policy = PolicyForLocked(*state, account_id);
    const bool used =
        filter.use == PolicyUse::kAny ||
        (filter.use == PolicyUse::kAttached && policy.attachment_count > 0) ||
        (filter.use == PolicyUse::kBoundary && policy.permissions_boundary_usage_count > 0);
    if (!builder.Offer(key, used && PathHasPrefix(policy.path, filter.path_prefix),
                       [&] { return std::move(policy); })) {
      break;
    }
  }
  return std::move(builder).Finish();
}

Result<void> MemoryDatabase::DeletePolicy(std::string_view account_id,
                                          std::string_view policy_arn) {
  std::unique_lock lock(mutex_);
  PolicyState* state = OwnedPolicyLocked(account_id, policy_arn);
  if (state == nullptr) return Fail(NoSuchPolicyError(policy_arn));
  for (const auto& [key, usage] : usage_) {
    if (key.second != policy_arn) continue;
    if (usage.attachments > 0) return Fail(DeleteConflictError(kPolicyIsAttached));
    if (usage.boundaries > 0) return Fail(DeleteConflictError(kPolicyIsBoundary));
  }
  if (state->versions.size() > 1) return Fail(DeleteConflictError(kPolicyHasVersions));
  std::erase_if(usage_, [&](const auto& entry) { return entry.first.second == policy_arn; });
  const NameKey key = policy_by_arn_.find(policy_arn)->second;
  policy_by_id_.erase(state->policy.policy_id);
  policy_by_arn_.erase(std::string(policy_arn));
  policies_.erase(key);
  return {};
}

Result<PolicyVersion> MemoryDatabase::CreatePolicyVersion(std::string_view account_id,
                                                          std::string_view policy_arn,
                                                          std::string_view document,
                                                          bool set_as_default, TimePoint now,
                                                          size_t max_versions) {
  std::unique_lock lock(mutex_);
  PolicyState* state = OwnedPolicyLocked(account_id, policy_arn);
  if (state == nullptr) return Fail(NoSuchPolicyError(policy_arn));
  if (state->versions.size() >= max_versions) {
    return Fail(QuotaError("PolicyVersionsPerPolicy", max_versions));
  }
  const int64_t number = state->next_version++;
  state->versions.emplace(number, PolicyVersion{.policy_arn = std::string(policy_arn),
                                                .version_id = {},
                                                .document = std::string(document),
                                                .is_default = false,
                                                .created = now});
  if (set_as_default) state->default_version = number;
  state->policy.updated = now;
  return VersionForLocked(*state, number);
}

Result<std::optional<PolicyVersion>> MemoryDatabase::GetPolicyVersion(std::string_view account_id,
                                                                      std::string_view policy_arn,
                                                                      std::string_view version_id) {
  std::shared_lock lock(mutex_);
  const PolicyState* state = VisiblePolicyLocked(account_id, policy_arn);
  if (state == nullptr) return Fail(NoSuchPolicyError(policy_arn));
  const std::optional<int64_t> number = ParseVersionId(version_id);
  if (!number.has_value() || !state->versions.contains(*number)) return std::nullopt;
  return VersionForLocked(*state, *number);
}

Result<Page<PolicyVersion>> MemoryDatabase::ListPolicyVersions(std::string_view account_id,
                                                               std::string_view policy_arn,
                                                               const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kVersionsList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::optional<int64_t> before;
  if (!marker->empty()) {
    auto number = MarkerNumber((*marker)[0]);
    if (!number.has_value()) return Fail(number.error());
    before = *number;
  }
  std::shared_lock lock(mutex_);
  const PolicyState* state = VisiblePolicyLocked(account_id, policy_arn);
  if (state == nullptr) return Fail(NoSuchPolicyError(policy_arn));
  PageBuilder<PolicyVersion> builder(kVersionsList, page.max_items, list_scan_limit_);
  for (auto it = state->versions.rbegin(); it != state->versions.rend(); ++it) {
    const int64_t number = it->first;
    if (before.has_value() && number >= *before) continue;
    if (!builder.Offer({std::to_string(number)}, true,
                       [&] { return VersionForLocked(*state, number); })) {
      break;
    }
  }
  return std::move(builder).Finish();
}

Result<void> MemoryDatabase::SetDefaultPolicyVersion(std::string_view account_id,
                                                     std::string_view policy_arn,
                                                     std::string_view version_id) {
  std::unique_lock lock(mutex_);
  PolicyState* state = OwnedPolicyLocked(account_id, policy_arn);
  if (state == nullptr) return Fail(NoSuchPolicyError(policy_arn));
  const std::optional<int64_t> number = ParseVersionId(version_id);
  if (!number.has_value() || !state->versions.contains(*number)) {
    return Fail(NoSuchPolicyVersionError(policy_arn, version_id));
  }
  state->default_version = *number;
  return {};
}

Result<void> MemoryDatabase::DeletePolicyVersion(std::string_view account_id,
                                                 std::string_view policy_arn,
                                                 std::string_view version_id) {
  std::unique_lock lock(mutex_);
  PolicyState* state = OwnedPolicyLocked(account_id, policy_arn);
  if (state == nullptr) return Fail(NoSuchPolicyError(policy_arn));
  const std::optional<int64_t> number = ParseVersionId(version_id);
  if (!number.has_value() || !state->versions.contains(*number)) {
    return Fail(NoSuchPolicyVersionError(policy_arn, version_id));
  }
  if (*number == state->default_version) return Fail(DeleteConflictError(kDefaultVersion));
  state->versions.erase(*number);
  return {};
}

// ---- Attachments

Result<void> MemoryDatabase::AttachPolicy(const PrincipalRef& principal,
                                          std::string_view policy_arn, size_t max_attached) {
  std::unique_lock lock(mutex_);
  const std::optional<PrincipalInfo> info = FindPrincipalLocked(principal);
  if (!info.has_value()) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  const PolicyState* state = VisiblePolicyLocked(principal.account_id, policy_arn);
  if (state == nullptr) return Fail(NoSuchPolicyError(policy_arn));
  if (!state->policy.is_attachable) return Fail(PolicyNotAttachableError(policy_arn));
  const PrincipalItemKey key{principal.kind, info->unique_id, std::string(policy_arn)};
  if (attachments_.contains(key)) return {};
  size_t attached = 0;
  for (auto it = attachments_.lower_bound({principal.kind, info->unique_id, ""});
       it != attachments_.end() && std::get<0>(it->first) == principal.kind &&
       std::get<1>(it->first) == info->unique_id;
       ++it) {
    ++attached;
  }
  if (attached >= max_attached) {
    return Fail(QuotaError(AttachedPoliciesQuota(principal.kind), max_attached));
  }
  attachments_.emplace(key, next_attachment_++);
  ++usage_[{principal.account_id, std::string(policy_arn)}].attachments;
  return {};
}

Result<void> MemoryDatabase::DetachPolicy(const PrincipalRef& principal,
                                          std::string_view policy_arn) {
  std::unique_lock lock(mutex_);
  const std::optional<PrincipalInfo> info = FindPrincipalLocked(principal);
  if (!info.has_value()) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  if (attachments_.erase({principal.kind, info->unique_id, std::string(policy_arn)}) == 0) {
    return Fail(PolicyNotAttachedError(policy_arn));
  }
  --usage_[{principal.account_id, std::string(policy_arn)}].attachments;
  return {};
}

Result<Page<ManagedPolicy>> MemoryDatabase::ListAttachedPolicies(const PrincipalRef& principal,
                                                                 std::string_view path_prefix,
                                                                 const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kAttachedList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  int64_t after = 0;
  if (!marker->empty()) {
    auto number = MarkerNumber((*marker)[0]);
    if (!number.has_value()) return Fail(number.error());
    after = *number;
  }
  std::shared_lock lock(mutex_);
  const std::optional<PrincipalInfo> info = FindPrincipalLocked(principal);
  if (!info.has_value()) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  std::vector<std::pair<int64_t, std::string>> attached;  // (sequence, ARN).
  for (auto it = attachments_.lower_bound({principal.kind, info->unique_id, ""});
       it != attachments_.end() && std::get<0>(it->first) == principal.kind &&
       std::get<1>(it->first) == info->unique_id;
       ++it) {
    if (it->second > after) attached.emplace_back(it->second, std::get<2>(it->first));
  }
  std::sort(attached.begin(), attached.end());
  PageBuilder<ManagedPolicy> builder(kAttachedList, page.max_items, list_scan_limit_);
  for (const auto& [sequence, arn] : attached) {
    const PolicyState& state = policies_.at(policy_by_arn_.find(arn)->second);
    if (!builder.Offer({std::to_string(sequence)}, PathHasPrefix(state.policy.path, path_prefix),
                       [&] { return PolicyForLocked(state, principal.account_id); })) {
      break;
    }
  }
  return std::move(builder).Finish();
}

Result<Page<PolicyEntity>> MemoryDatabase::ListEntitiesForPolicy(std::string_view account_id,
                                                                 std::string_view policy_arn,
                                                                 std::optional<PrincipalKind> kind,
                                                                 std::string_view path_prefix,
                                                                 const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kEntitiesList, page.marker, 2);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  if (VisiblePolicyLocked(account_id, policy_arn) == nullptr) {
    return Fail(NoSuchPolicyError(policy_arn));
  }
  std::vector<std::pair<MarkerKey, PrincipalInfo>> entries;
  for (const auto& [key, sequence] : attachments_) {
    const PrincipalKind entity_kind = std::get<0>(key);
    if (std::get<2>(key) != policy_arn || (kind.has_value() && entity_kind != *kind)) continue;
    std::optional<PrincipalInfo> info = PrincipalByIdLocked(entity_kind, std::get<1>(key));
    if (!info.has_value() || info->account_id != account_id) continue;
    entries.emplace_back(MarkerKey{KindDigit(entity_kind), AsciiLower(info->name)},
                         std::move(*info));
  }
  PageBuilder<PolicyEntity> builder(kEntitiesList, page.max_items, list_scan_limit_);
  for (const auto& [key, info] : AfterMarker(std::move(entries), *marker)) {
    const auto entity_kind = static_cast<PrincipalKind>(key[0][0] - '0');
    if (!builder.Offer(key, PathHasPrefix(info.path, path_prefix), [&found = info, entity_kind] {
          return PolicyEntity{
              .kind = entity_kind, .name = found.name, .unique_id = found.unique_id};
        })) {
      break;
    }
  }
  return std::move(builder).Finish();
}

// ---- Inline policies

Result<void> MemoryDatabase::PutInlinePolicy(const PrincipalRef& principal,
                                             std::string_view policy_name,
                                             std::string_view document) {
  std::unique_lock lock(mutex_);
  const std::optional<PrincipalInfo> info = FindPrincipalLocked(principal);
  if (!info.has_value()) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  inline_policies_[{principal.kind, info->unique_id, std::string(policy_name)}] =
      std::string(document);
  return {};
}

Result<std::optional<std::string>> MemoryDatabase::GetInlinePolicy(const PrincipalRef& principal,
                                                                   std::string_view policy_name) {
  std::shared_lock lock(mutex_);
  const std::optional<PrincipalInfo> info = FindPrincipalLocked(principal);
  if (!info.has_value()) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  auto it = inline_policies_.find({principal.kind, info->unique_id, std::string(policy_name)});
  if (it == inline_policies_.end()) return std::nullopt;
  return it->second;
}

Result<void> MemoryDatabase::DeleteInlinePolicy(const PrincipalRef& principal,
                                                std::string_view policy_name) {
  std::unique_lock lock(mutex_);
  const std::optional<PrincipalInfo> info = FindPrincipalLocked(principal);
  if (!info.has_value()) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  if (inline_policies_.erase({principal.kind, info->unique_id, std::string(policy_name)}) == 0) {
    return Fail(NoSuchInlinePolicyError(principal.kind, policy_name));
  }
  return {};
}

Result<Page<InlinePolicy>> MemoryDatabase::ListInlinePolicies(const PrincipalRef& principal,
                                                              const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kInlineList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  const std::optional<PrincipalInfo> info = FindPrincipalLocked(principal);
  if (!info.has_value()) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  const PrincipalItemKey start{principal.kind, info->unique_id,
                               marker->empty() ? std::string() : (*marker)[0]};
  auto it =
      marker->empty() ? inline_policies_.lower_bound(start) : inline_policies_.upper_bound(start);
  PageBuilder<InlinePolicy> builder(kInlineList, page.max_items, list_scan_limit_);
  for (; it != inline_policies_.end() && std::get<0>(it->first) == principal.kind &&
         std::get<1>(it->first) == info->unique_id;
       ++it) {
    const std::string& name = std::get<2>(it->first);
    if (!builder.Offer({name}, true, [&] { return InlinePolicy{name, it->second}; })) break;
  }
  return std::move(builder).Finish();
}

// ---- Login profiles

Result<void> MemoryDatabase::CreateLoginProfile(const LoginProfile& profile) {
  std::unique_lock lock(mutex_);
  const User* user = FindUserLocked(profile.account_id, profile.user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, profile.user_name));
  if (login_profiles_.contains(user->user_id)) {
    return Fail(LoginProfileExistsError(user->user_name));
  }
  login_profiles_.emplace(user->user_id, profile);
  return {};
}

Result<std::optional<LoginProfile>> MemoryDatabase::GetLoginProfile(std::string_view account_id,
                                                                    std::string_view user_name) {
  std::shared_lock lock(mutex_);
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  auto it = login_profiles_.find(user->user_id);
  if (it == login_profiles_.end()) return std::nullopt;
  LoginProfile profile = it->second;
  profile.account_id = user->account_id;
  profile.user_name = user->user_name;
  return profile;
}

Result<void> MemoryDatabase::UpdateLoginProfile(std::string_view account_id,
                                                std::string_view user_name,
                                                const LoginProfileUpdate& update) {
  std::unique_lock lock(mutex_);
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  auto it = login_profiles_.find(user->user_id);
  if (it == login_profiles_.end()) return Fail(NoSuchLoginProfileError(user_name));
  if (update.password_hash.has_value()) it->second.password_hash = *update.password_hash;
  if (update.password_reset_required.has_value()) {
    it->second.password_reset_required = *update.password_reset_required;
  }
  return {};
}

Result<void> MemoryDatabase::DeleteLoginProfile(std::string_view account_id,
                                                std::string_view user_name) {
  std::unique_lock lock(mutex_);
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  if (login_profiles_.erase(user->user_id) == 0) return Fail(NoSuchLoginProfileError(user_name));
  return {};
}

// ---- Virtual MFA devices

Result<void> MemoryDatabase::CreateVirtualMfaDevice(const VirtualMfaDevice& device) {
  std::unique_lock lock(mutex_);
  if (!accounts_.contains(device.account_id)) return Fail(NoSuchAccountError(device.account_id));
  if (mfa_devices_.contains(device.serial_number)) {
    return Fail(MfaDeviceExistsError(device.serial_number));
  }
  MfaState state{.device = device, .user_id = {}};
  state.device.user_name.clear();
  state.device.enable_date.reset();
  state.device.last_time_step.reset();
  mfa_devices_.emplace(device.serial_number, std::move(state));
  return {};
}

Result<std::optional<VirtualMfaDevice>> MemoryDatabase::GetVirtualMfaDevice(
    std::string_view account_id, std::string_view serial_number) {
  std::shared_lock lock(mutex_);
  auto it = mfa_devices_.find(serial_number);
  if (it == mfa_devices_.end() || it->second.device.account_id != account_id) return std::nullopt;
  return MfaDeviceForLocked(it->second);
}

Result<Page<VirtualMfaDevice>> MemoryDatabase::ListVirtualMfaDevices(std::string_view account_id,
                                                                     MfaAssignment assignment,
                                                                     const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kMfaList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  auto it = marker->empty() ? mfa_devices_.begin() : mfa_devices_.upper_bound((*marker)[0]);
  PageBuilder<VirtualMfaDevice> builder(kMfaList, page.max_items, list_scan_limit_);
  for (; it != mfa_devices_.end(); ++it) {
    const MfaState& state = it->second;
    if (state.device.account_id != account_id) continue;
    const bool assigned = !state.user_id.empty();
    const bool matches =
        assignment == MfaAssignment::kAny || (assignment == MfaAssignment::kAssigned) == assigned;
    if (!builder.Offer({it->first}, matches, [&] { return MfaDeviceForLocked(state); })) break;
  }
  return std::move(builder).Finish();
}

Result<Page<VirtualMfaDevice>> MemoryDatabase::ListMfaDevicesForUser(std::string_view account_id,
                                                                     std::string_view user_name,
                                                                     const PageRequest& page) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  auto marker = DecodeMarker(kUserMfaList, page.marker, 1);
  if (!marker.has_value()) return Fail(marker.error());
  std::shared_lock lock(mutex_);
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  auto it = marker->empty() ? mfa_devices_.begin() : mfa_devices_.upper_bound((*marker)[0]);
  PageBuilder<VirtualMfaDevice> builder(kUserMfaList, page.max_items, list_scan_limit_);
  for (; it != mfa_devices_.end(); ++it) {
    const MfaState& state = it->second;
    if (state.user_id != user->user_id) continue;
    if (!builder.Offer({it->first}, true, [&] { return MfaDeviceForLocked(state); })) break;
  }
  return std::move(builder).Finish();
}

Result<void> MemoryDatabase::EnableMfaDevice(std::string_view account_id,
                                             std::string_view user_name,
                                             std::string_view serial_number, TimePoint enable_date,
                                             int64_t time_step, size_t max_devices_per_user) {
  std::unique_lock lock(mutex_);
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  auto it = mfa_devices_.find(serial_number);
  if (it == mfa_devices_.end() || it->second.device.account_id != account_id) {
    return Fail(NoSuchMfaDeviceError(serial_number));
  }
  if (!it->second.user_id.empty()) return Fail(MfaDeviceInUseError(serial_number));
  size_t devices = 0;
  for (const auto& [serial, state] : mfa_devices_) devices += state.user_id == user->user_id;
  if (devices >= max_devices_per_user) {
    return Fail(QuotaError("MFADevicesPerUser", max_devices_per_user));
  }
  it->second.user_id = user->user_id;
  it->second.device.enable_date = enable_date;
  it->second.device.last_time_step = time_step;
  return {};
}

Result<void> MemoryDatabase::DeactivateMfaDevice(std::string_view account_id,
                                                 std::string_view user_name,
                                                 std::string_view serial_number) {
  std::unique_lock lock(mutex_);
  const User* user = FindUserLocked(account_id, user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
  auto it = mfa_devices_.find(serial_number);
  if (it == mfa_devices_.end() || it->second.device.account_id != account_id) {
    return Fail(NoSuchMfaDeviceError(serial_number));
  }
  if (it->second.user_id != user->user_id) {
    return Fail(MfaDeviceNotAssignedError(serial_number, user_name));
  }
  it->second.user_id.clear();
  it->second.device.enable_date.reset();
  return {};
}

Result<void> MemoryDatabase::DeleteVirtualMfaDevice(std::string_view account_id,
                                                    std::string_view serial_number) {
  std::unique_lock lock(mutex_);
  auto it = mfa_devices_.find(serial_number);
  if (it == mfa_devices_.end() || it->second.device.account_id != account_id) {
    return Fail(NoSuchMfaDeviceError(serial_number));
  }
  if (!it->second.user_id.empty()) return Fail(DeleteConflictError(kMfaDeviceAssigned));
  mfa_devices_.erase(it);
  return {};
}

Result<bool> MemoryDatabase::AcceptMfaTimeStep(std::string_view account_id,
                                               std::string_view serial_number, int64_t time_step) {
  std::unique_lock lock(mutex_);
  auto it = mfa_devices_.find(serial_number);
  if (it == mfa_devices_.end() || it->second.device.account_id != account_id) {
    return Fail(NoSuchMfaDeviceError(serial_number));
  }
  std::optional<int64_t>& last = it->second.device.last_time_step;
  if (last.has_value() && time_step <= *last) return false;
  last = time_step;
  return true;
}

// ---- Account alias and password policy

Result<void> MemoryDatabase::SetAccountAlias(std::string_view account_id, std::string_view alias) {
  std::unique_lock lock(mutex_);
  if (!accounts_.contains(account_id)) return Fail(NoSuchAccountError(account_id));
  auto owner = account_by_alias_.find(alias);
  if (owner != account_by_alias_.end() && owner->second != account_id) {
    return Fail(AliasTakenError(alias));
  }
  auto current = alias_by_account_.find(account_id);
  if (current != alias_by_account_.end()) account_by_alias_.erase(current->second);
  alias_by_account_[std::string(account_id)] = std::string(alias);
  account_by_alias_[std::string(alias)] = std::string(account_id);
  return {};
}

Result<std::optional<std::string>> MemoryDatabase::GetAccountAlias(std::string_view account_id) {
  std::shared_lock lock(mutex_);
  auto it = alias_by_account_.find(account_id);
  if (it == alias_by_account_.end()) return std::nullopt;
  return it->second;
}

Result<std::optional<std::string>> MemoryDatabase::FindAccountIdByAlias(std::string_view alias) {
  std::shared_lock lock(mutex_);
  auto it = account_by_alias_.find(alias);
  if (it == account_by_alias_.end()) return std::nullopt;
  return it->second;
}

Result<void> MemoryDatabase::DeleteAccountAlias(std::string_view account_id,
                                                std::string_view alias) {
  std::unique_lock lock(mutex_);
  auto it = alias_by_account_.find(account_id);
  if (it == alias_by_account_.end() || it->second != alias) return Fail(NoSuchAliasError(alias));
  account_by_alias_.erase(it->second);
  alias_by_account_.erase(it);
  return {};
}

Result<void> MemoryDatabase::PutPasswordPolicy(std::string_view account_id,
                                               const PasswordPolicy& policy) {
  std::unique_lock lock(mutex_);
  if (!accounts_.contains(account_id)) return Fail(NoSuchAccountError(account_id));
  password_policies_[std::string(account_id)] = policy;
  return {};
}

Result<std::optional<PasswordPolicy>> MemoryDatabase::GetPasswordPolicy(
    std::string_view account_id) {
  std::shared_lock lock(mutex_);
  auto it = password_policies_.find(account_id);
  if (it == password_policies_.end()) return std::nullopt;
  return it->second;
}

Result<void> MemoryDatabase::DeletePasswordPolicy(std::string_view account_id) {
  std::unique_lock lock(mutex_);
  auto it = password_policies_.find(account_id);
  if (it == password_policies_.end()) return Fail(NoSuchPasswordPolicyError(account_id));
  password_policies_.erase(it);
  return {};
}

// ---- Access keys of IAM users

Result<void> MemoryDatabase::CreateUserAccessKey(const AccessKey& key, size_t max_keys_per_user) {
  if (key.user_name.empty()) return Fail(RequiresError("an IAM user's key needs a user name"));
  std::unique_lock lock(mutex_);
  const User* user = FindUserLocked(key.account_id, key.user_name);
  if (user == nullptr) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, key.user_name));
  size_t keys = 0;
  for (const auto& [id, existing] : keys_) {
    keys += existing.account_id == key.account_id && existing.user_name == user->user_name;
  }
  if (keys >= max_keys_per_user) return Fail(QuotaError("AccessKeysPerUser", max_keys_per_user));
  if (keys_.contains(key.access_key_id)) {
    return Fail(DuplicateAccessKeyIdError(key.access_key_id));
  }
  AccessKey stored = key;
  stored.user_name = user->user_name;
  keys_.emplace(key.access_key_id, std::move(stored));
  return {};
}

Result<void> MemoryDatabase::RecordAccessKeyUses(const std::vector<AccessKeyUse>& uses) {
  std::unique_lock lock(mutex_);
  for (const AccessKeyUse& use : uses) {
    if (!keys_.contains(use.access_key_id)) continue;
    auto it = key_last_used_.find(use.access_key_id);
    if (it == key_last_used_.end()) {
      key_last_used_.emplace(use.access_key_id, use.used);
    } else if (use.used.time > it->second.time) {
      it->second = use.used;
    }
  }
  return {};
}

Result<std::optional<AccessKeyLastUsed>> MemoryDatabase::GetAccessKeyLastUsed(
    std::string_view access_key_id) {
  std::shared_lock lock(mutex_);
  if (!keys_.contains(access_key_id)) return Fail(NoSuchAccessKeyError(access_key_id));
  auto it = key_last_used_.find(access_key_id);
  if (it == key_last_used_.end()) return std::nullopt;
  return it->second;
}

}  // namespace fulcrum::storage
