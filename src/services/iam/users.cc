#include "services/iam/users.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "common/ids.h"
#include "services/iam/errors.h"
#include "storage/account_store.h"

namespace fulcrum::services::iam {
namespace {

// How many fresh ids a create tries before it gives up on a (vanishingly rare) id collision.
constexpr int kIdAttempts = 5;

constexpr std::string_view kUserIdPrefix = "AIDA";
constexpr std::string_view kGroupIdPrefix = "AGPA";
constexpr std::string_view kAccessKeyIdPrefix = "AKIA";

// The characters IAM counts as symbols in passwords:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
constexpr std::string_view kPasswordSymbols = "!@#$%^&*()_+-=[]{}|'";

// AWS's default password policy, applied while the account has none.
constexpr size_t kDefaultMinimumPasswordLength = 8;
constexpr int kDefaultRequiredCharacterTypes = 3;

constexpr std::string_view kNeedsUppercase = "Password should have at least one uppercase letter";
constexpr std::string_view kNeedsLowercase = "Password should have at least one lowercase letter";
constexpr std::string_view kNeedsNumber = "Password should have at least one number";
constexpr std::string_view kNeedsSymbol = "Password should have at least one symbol";

Error NoSuchUser(std::string_view user_name) {
  return NoSuchEntity(fmt::format("The user with name {} cannot be found.", user_name));
}

Error NoSuchGroup(std::string_view group_name) {
  return NoSuchEntity(fmt::format("The group with name {} cannot be found.", group_name));
}

Error NoSuchAccessKey(std::string_view access_key_id) {
  return NoSuchEntity(fmt::format("The Access Key with id {} cannot be found.", access_key_id));
}

Error NoSuchLoginProfile(std::string_view user_name) {
  return NoSuchEntity(fmt::format("Login Profile for User {} cannot be found.", user_name));
}

Error AccessKeyQuota() {
  return LimitExceeded(
      fmt::format("Cannot exceed quota for AccessKeysPerUser: {}", kMaxAccessKeysPerUser));
}

std::string AsciiLower(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

// IAM user tag keys are case-insensitive; AWS refuses a request that names one key twice.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
Result<void> CheckTags(const storage::Tags& tags) {
  std::set<std::string> keys;
  for (const auto& [key, value] : tags) {
    if (!keys.insert(AsciiLower(key)).second) {
      return Fail(InvalidInput(
          "Duplicate tag keys found. Please note that Tag keys are case insensitive."));
    }
  }
  if (tags.size() > kMaxTagsPerUser) {
    return Fail(
        LimitExceeded(fmt::format("Cannot exceed quota for TagsPerUser: {}", kMaxTagsPerUser)));
  }
  return {};
}

// A managed policy ARN: arn:aws:iam::<account or "aws">:policy/<path><name>.
bool IsPolicyArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (!arn.starts_with(kPrefix)) return false;
  const std::string_view rest = arn.substr(kPrefix.size());
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view resource = rest.substr(colon + 1);
  return resource.starts_with("policy/") && resource.size() > std::string_view("policy/").size() &&
         !resource.ends_with("/");
}

// Characters of a UTF-8 string (bytes that do not continue a multi-byte sequence).
size_t CharacterCount(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

struct CharacterTypes {
  bool uppercase = false;
  bool lowercase = false;
  bool number = false;
  bool symbol = false;
};

CharacterTypes TypesOf(std::string_view password) {
  CharacterTypes types;
  for (const char c : password) {
    types.uppercase = types.uppercase || (c >= 'A' && c <= 'Z');
    types.lowercase = types.lowercase || (c >= 'a' && c <= 'z');
    types.number = types.number || (c >= '0' && c <= '9');
    types.symbol = types.symbol || kPasswordSymbols.find(c) != std::string_view::npos;
  }
  return types;
}

template <class Parts>
std::string Join(const Parts& parts, std::string_view separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

std::string MinimumLengthRule(int64_t length) {
  return fmt::format("Password should have a minimum length of {}", length);
}

// A page of `items` from an offset marker (the decimal index of the first item); for the short
// lists that IAM keeps per user (access keys, tags).
template <class Item>
Result<storage::Page<Item>> SlicePage(std::vector<Item> items, const storage::PageRequest& page) {
  size_t start = 0;
  if (!page.marker.empty()) {
    const char* begin = page.marker.data();
    const char* end = begin + page.marker.size();
    const auto [next, error] = std::from_chars(begin, end, start);
    if (error != std::errc() || next != end || start > items.size()) {
      return Fail(InvalidInput("Invalid Marker."));
    }
  }
  const size_t count = std::min(items.size() - start, std::max<size_t>(page.max_items, 1));
  storage::Page<Item> out;
  out.items.assign(
      std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(start)),
      std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(start + count)));
  if (start + count < items.size()) out.next_marker = std::to_string(start + count);
  return out;
}

AccessKeyMetadata MetadataOf(const storage::AccessKey& key) {
  return AccessKeyMetadata{.user_name = key.user_name,
                           .access_key_id = key.access_key_id,
                           .active = key.active,
                           .created = key.created};
}

Result<void> Stored(const Result<void>& result) {
  if (!result) return Fail(FromStorage(result.error()));
  return {};
}

}  // namespace

std::string UserArn(std::string_view account_id, std::string_view path,
                    std::string_view user_name) {
  return fmt::format("arn:aws:iam::{}:user{}{}", account_id, path, user_name);
}

std::string GroupArn(std::string_view account_id, std::string_view path,
                     std::string_view group_name) {
  return fmt::format("arn:aws:iam::{}:group{}{}", account_id, path, group_name);
}

Result<void> CheckPasswordPolicy(std::string_view password,
                                 const std::optional<storage::PasswordPolicy>& policy,
                                 std::string_view account_name, std::string_view account_email) {
  const CharacterTypes types = TypesOf(password);
  const size_t length = CharacterCount(password);
  std::vector<std::string> unmet;
  if (policy.has_value()) {
    if (length < static_cast<size_t>(std::max<int64_t>(policy->minimum_password_length, 0))) {
      unmet.push_back(MinimumLengthRule(policy->minimum_password_length));
    }
    if (policy->require_uppercase_characters && !types.uppercase) {
      unmet.emplace_back(kNeedsUppercase);
    }
    if (policy->require_lowercase_characters && !types.lowercase) {
      unmet.emplace_back(kNeedsLowercase);
    }
    if (policy->require_numbers && !types.number) unmet.emplace_back(kNeedsNumber);
    if (policy->require_symbols && !types.symbol) unmet.emplace_back(kNeedsSymbol);
  } else {
    if (length < kDefaultMinimumPasswordLength) {
      unmet.push_back(MinimumLengthRule(kDefaultMinimumPasswordLength));
    }
    std::vector<std::string_view> missing;
    if (!types.uppercase) missing.push_back(kNeedsUppercase);
    if (!types.lowercase) missing.push_back(kNeedsLowercase);
    if (!types.number) missing.push_back(kNeedsNumber);
    if (!types.symbol) missing.push_back(kNeedsSymbol);
    const int present = 4 - static_cast<int>(missing.size());
    if (present < kDefaultRequiredCharacterTypes) {
      unmet.push_back(fmt::format("Password should meet {} more of the following requirements: {}",
                                  kDefaultRequiredCharacterTypes - present, Join(missing, ", ")));
    }
    if ((!account_name.empty() && password == account_name) ||
        (!account_email.empty() && AsciiLower(password) == AsciiLower(account_email))) {
      unmet.emplace_back("Password should not be identical to the account name or email address");
    }
  }
  if (unmet.empty()) return {};
  return Fail(PasswordPolicyViolation(Join(unmet, ", ")));
}

UsersService::UsersService(const IamContext& context, ScryptCost password_cost)
    : context_(context), password_cost_(password_cost) {}

Result<void> UsersService::CheckBoundary(const Principal& caller,
                                         std::string_view policy_arn) const {
  if (!IsPolicyArn(policy_arn)) {
    return Fail(InvalidInput(fmt::format("ARN {} is not valid.", policy_arn)));
  }
  auto policy = context_.iam.GetPolicy(caller.account_id, policy_arn);
  if (!policy) return Fail(FromStorage(policy.error()));
  if (!policy->has_value()) {
    return Fail(NoSuchEntity(
        fmt::format("Scope ARN: {} does not exist or is not attachable.", policy_arn)));
  }
  return {};
}

Result<void> UsersService::PutUserPermissionsBoundary(const Principal& caller,
                                                      std::string_view user_name,
                                                      std::string_view policy_arn) {
  if (!policy_arn.empty()) {
    if (auto checked = CheckBoundary(caller, policy_arn); !checked) return checked;
  }
  const storage::PrincipalRef ref{.kind = storage::PrincipalKind::kUser,
                                  .account_id = caller.account_id,
                                  .name = std::string(user_name)};
  auto set = context_.iam.SetPermissionsBoundary(ref, policy_arn);
  if (!set) return Fail(FromStorage(set.error()));
  return {};
}

Result<void> UsersService::DeleteUserPermissionsBoundary(const Principal& caller,
                                                         std::string_view user_name) {
  return PutUserPermissionsBoundary(caller, user_name, "");
}

// ---- Users

Result<storage::User> UsersService::CreateUser(const Principal& caller,
                                               const CreateUserRequest& request) {
  if (auto checked = CheckTags(request.tags); !checked) return Fail(checked.error());
  if (!request.permissions_boundary.empty()) {
    if (auto checked = CheckBoundary(caller, request.permissions_boundary); !checked) {
      return Fail(checked.error());
    }
  }
  storage::User user{.account_id = caller.account_id,
                     .user_id = {},
                     .user_name = request.user_name,
                     .path = request.path,
                     .arn = UserArn(caller.account_id, request.path, request.user_name),
                     .created = context_.clock.Now(),
                     .permissions_boundary_arn = request.permissions_boundary,
                     .tags = request.tags,
                     .password_last_used = std::nullopt};
  for (int attempt = 1;; ++attempt) {
    user.user_id = NewUniqueId(context_.random, kUserIdPrefix);
    auto created = context_.iam.CreateUser(user);
    if (created) return user;
    if (created.error().code != storage::kDuplicateUniqueId || attempt == kIdAttempts) {
      return Fail(FromStorage(created.error()));
    }
  }
}

Result<storage::User> UsersService::GetUser(const Principal& caller,
                                            std::optional<std::string_view> user_name) {
  if (user_name.has_value()) return FindUser(caller, *user_name);
  if (caller.kind == PrincipalKind::kIamUser) return FindUser(caller, caller.user_name);
  // The root user: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html
  auto account = context_.accounts.FindAccountById(caller.account_id);
  if (!account) return Fail(FromStorage(account.error()));
  if (!account->has_value()) {
    return Fail(
        NoSuchEntity(fmt::format("The account with id {} cannot be found.", caller.account_id)));
  }
  return storage::User{.account_id = caller.account_id,
                       .user_id = caller.account_id,
                       .user_name = {},
                       .path = {},
                       .arn = fmt::format("arn:aws:iam::{}:root", caller.account_id),
                       .created = (*account)->created,
                       .permissions_boundary_arn = {},
                       .tags = {},
                       .password_last_used = std::nullopt};
}

Result<storage::Page<storage::User>> UsersService::ListUsers(const Principal& caller,
                                                             std::string_view path_prefix,
                                                             const storage::PageRequest& page) {
  auto users = context_.iam.ListUsers(caller.account_id, path_prefix, page);
  if (!users) return Fail(FromStorage(users.error()));
  return std::move(*users);
}

Result<void> UsersService::UpdateUser(const Principal& caller, std::string_view user_name,
                                      std::optional<std::string_view> new_user_name,
                                      std::optional<std::string_view> new_path) {
  auto user = FindUser(caller, user_name);
  if (!user) return Fail(user.error());
  storage::EntityRename rename{.name = std::string(new_user_name.value_or(user->user_name)),
                               .path = std::string(new_path.value_or(user->path)),
                               .arn = {}};
  rename.arn = UserArn(caller.account_id, rename.path, rename.name);
  if (auto updated = Stored(context_.iam.UpdateUser(caller.account_id, user_name, rename));
      !updated) {
    return updated;
  }
  // Credential caches hold the user's name and ARN with each of its keys.
  if (context_.access_key_changed) {
    auto keys = context_.accounts.ListAccessKeys(caller.account_id, rename.name);
    if (keys) {
      for (const storage::AccessKey& key : *keys) KeyChanged(key.access_key_id);
    }
  }
  return {};
}

Result<void> UsersService::DeleteUser(const Principal& caller, std::string_view user_name) {
  return Stored(context_.iam.DeleteUser(caller.account_id, user_name));
}

Result<void> UsersService::TagUser(const Principal& caller, std::string_view user_name,
                                   const storage::Tags& tags) {
  if (auto checked = CheckTags(tags); !checked) return checked;
  const storage::TagTarget target{.kind = storage::TaggedKind::kUser,
                                  .account_id = caller.account_id,
                                  .name = std::string(user_name)};
  return Stored(context_.iam.TagResource(target, tags, kMaxTagsPerUser));
}

Result<void> UsersService::UntagUser(const Principal& caller, std::string_view user_name,
                                     const std::vector<std::string>& keys) {
  const storage::TagTarget target{.kind = storage::TaggedKind::kUser,
                                  .account_id = caller.account_id,
                                  .name = std::string(user_name)};
  return Stored(context_.iam.UntagResource(target, keys));
}

Result<storage::Page<storage::Tags::value_type>> UsersService::ListUserTags(
    const Principal& caller, std::string_view user_name, const storage::PageRequest& page) {
  auto user = FindUser(caller, user_name);
  if (!user) return Fail(user.error());
  return SlicePage(std::move(user->tags), page);
}

// ---- Groups

Result<storage::Group> UsersService::CreateGroup(const Principal& caller,
                                                 std::string_view group_name,
                                                 std::string_view path) {
  storage::Group group{.account_id = caller.account_id,
                       .group_id = {},
                       .group_name = std::string(group_name),
                       .path = std::string(path),
                       .arn = GroupArn(caller.account_id, path, group_name),
                       .created = context_.clock.Now()};
  for (int attempt = 1;; ++attempt) {
    group.group_id = NewUniqueId(context_.random, kGroupIdPrefix);
    auto created = context_.iam.CreateGroup(group);
    if (created) return group;
    if (created.error().code != storage::kDuplicateUniqueId || attempt == kIdAttempts) {
      return Fail(FromStorage(created.error()));
    }
  }
}

Result<GroupWithMembers> UsersService::GetGroup(const Principal& caller,
                                                std::string_view group_name,
                                                const storage::PageRequest& page) {
  auto group = FindGroup(caller, group_name);
  if (!group) return Fail(group.error());
  auto members = context_.iam.ListGroupMembers(caller.account_id, group_name, page);
  if (!members) return Fail(FromStorage(members.error()));
  return GroupWithMembers{.group = std::move(*group), .users = std::move(*members)};
}

Result<storage::Page<storage::Group>> UsersService::ListGroups(const Principal& caller,
                                                               std::string_view path_prefix,
                                                               const storage::PageRequest& page) {
  auto groups = context_.iam.ListGroups(caller.account_id, path_prefix, page);
  if (!groups) return Fail(FromStorage(groups.error()));
  return std::move(*groups);
}

Result<void> UsersService::UpdateGroup(const Principal& caller, std::string_view group_name,
                                       std::optional<std::string_view> new_group_name,
                                       std::optional<std::string_view> new_path) {
  auto group = FindGroup(caller, group_name);
  if (!group) return Fail(group.error());
  storage::EntityRename rename{.name = std::string(new_group_name.value_or(group->group_name)),
                               .path = std::string(new_path.value_or(group->path)),
                               .arn = {}};
  rename.arn = GroupArn(caller.account_id, rename.path, rename.name);
  return Stored(context_.iam.UpdateGroup(caller.account_id, group_name, rename));
}

Result<void> UsersService::DeleteGroup(const Principal& caller, std::string_view group_name) {
  return Stored(context_.iam.DeleteGroup(caller.account_id, group_name));
}

Result<void> UsersService::AddUserToGroup(const Principal& caller, std::string_view group_name,
                                          std::string_view user_name) {
  return Stored(
      context_.iam.AddUserToGroup(caller.account_id, group_name, user_name, kMaxGroupsPerUser));
}

Result<void> UsersService::RemoveUserFromGroup(const Principal& caller, std::string_view group_name,
                                               std::string_view user_name) {
  return Stored(context_.iam.RemoveUserFromGroup(caller.account_id, group_name, user_name));
}

Result<storage::Page<storage::Group>> UsersService::ListGroupsForUser(
    const Principal& caller, std::string_view user_name, const storage::PageRequest& page) {
  auto groups = context_.iam.ListGroupsForUser(caller.account_id, user_name, page);
  if (!groups) return Fail(FromStorage(groups.error()));
  return std::move(*groups);
}

// ---- Access keys

Result<NewAccessKey> UsersService::CreateAccessKey(const Principal& caller,
                                                   std::optional<std::string_view> user_name) {
  auto owner = KeyOwner(caller, user_name);
  if (!owner) return Fail(owner.error());
  if (owner->empty()) {
    // Root keys live in AccountStore, which keeps no quota of its own.
    auto existing = context_.accounts.ListAccessKeys(caller.account_id, "");
    if (!existing) return Fail(FromStorage(existing.error()));
    if (existing->size() >= kMaxAccessKeysPerUser) return Fail(AccessKeyQuota());
  }
  storage::AccessKey key{.access_key_id = {},
                         .secret_access_key = NewSecretAccessKey(context_.random),
                         .account_id = caller.account_id,
                         .user_name = *owner,
                         .active = true,
                         .created = context_.clock.Now()};
  for (int attempt = 1;; ++attempt) {
    key.access_key_id = NewAccessKeyId(context_.random, kAccessKeyIdPrefix);
    auto created = owner->empty() ? context_.accounts.CreateAccessKey(key)
                                  : context_.iam.CreateUserAccessKey(key, kMaxAccessKeysPerUser);
    if (created) break;
    if (created.error().code != storage::kDuplicateAccessKeyId || attempt == kIdAttempts) {
      return Fail(FromStorage(created.error()));
    }
  }
  KeyChanged(key.access_key_id);
  return NewAccessKey{.metadata = MetadataOf(key),
                      .secret_access_key = std::move(key.secret_access_key)};
}

Result<storage::Page<AccessKeyMetadata>> UsersService::ListAccessKeys(
    const Principal& caller, std::optional<std::string_view> user_name,
    const storage::PageRequest& page) {
  auto owner = KeyOwner(caller, user_name);
  if (!owner) return Fail(owner.error());
  auto keys = context_.accounts.ListAccessKeys(caller.account_id, *owner);
  if (!keys) return Fail(FromStorage(keys.error()));
  std::vector<AccessKeyMetadata> metadata;
  metadata.reserve(keys->size());
  for (const storage::AccessKey& key : *keys) metadata.push_back(MetadataOf(key));
  return SlicePage(std::move(metadata), page);
}

Result<void> UsersService::UpdateAccessKey(const Principal& caller,
                                           std::optional<std::string_view> user_name,
                                           std::string_view access_key_id, bool active) {
  auto owner = KeyOwner(caller, user_name);
  if (!owner) return Fail(owner.error());
  auto key = OwnedKey(caller, *owner, access_key_id);
  if (!key) return Fail(key.error());
  if (auto updated = Stored(context_.accounts.SetAccessKeyActive(access_key_id, active));
      !updated) {
    return updated;
  }
  KeyChanged(key->access_key_id);
  return {};
}

Result<void> UsersService::DeleteAccessKey(const Principal& caller,
                                           std::optional<std::string_view> user_name,
                                           std::string_view access_key_id) {
  auto owner = KeyOwner(caller, user_name);
  if (!owner) return Fail(owner.error());
  auto key = OwnedKey(caller, *owner, access_key_id);
  if (!key) return Fail(key.error());
  if (auto deleted = Stored(context_.accounts.DeleteAccessKey(access_key_id)); !deleted) {
    return deleted;
  }
  KeyChanged(key->access_key_id);
  return {};
}

Result<AccessKeyLastUse> UsersService::GetAccessKeyLastUsed(const Principal& caller,
                                                            std::string_view access_key_id) {
  auto key = context_.accounts.FindAccessKey(access_key_id);
  if (!key) return Fail(FromStorage(key.error()));
  if (!key->has_value() || (*key)->account_id != caller.account_id) {
    return Fail(NoSuchAccessKey(access_key_id));
  }
  auto used = context_.iam.GetAccessKeyLastUsed(access_key_id);
  if (!used) return Fail(FromStorage(used.error()));
  return AccessKeyLastUse{.user_name = (*key)->user_name, .last_used = std::move(*used)};
}

// ---- Login profiles

Result<storage::LoginProfile> UsersService::CreateLoginProfile(const Principal& caller,
                                                               std::string_view user_name,
                                                               std::string_view password,
                                                               bool password_reset_required) {
  auto user = FindUser(caller, user_name);
  if (!user) return Fail(user.error());
  // Refuse before hashing: scrypt is deliberately slow.
  auto existing = context_.iam.GetLoginProfile(caller.account_id, user->user_name);
  if (!existing) return Fail(FromStorage(existing.error()));
  if (existing->has_value()) {
    return Fail(EntityAlreadyExists(
        fmt::format("Login Profile for user {} already exists.", user->user_name)));
  }
  if (auto checked = CheckPassword(caller, password); !checked) return Fail(checked.error());
  storage::LoginProfile profile{.account_id = caller.account_id,
                                .user_name = user->user_name,
                                .password_hash = HashPassword(password, password_cost_),
                                .created = context_.clock.Now(),
                                .password_reset_required = password_reset_required};
  if (auto created = Stored(context_.iam.CreateLoginProfile(profile)); !created) {
    return Fail(created.error());
  }
  return profile;
}

Result<storage::LoginProfile> UsersService::GetLoginProfile(const Principal& caller,
                                                            std::string_view user_name) {
  auto profile = context_.iam.GetLoginProfile(caller.account_id, user_name);
  if (!profile) return Fail(FromStorage(profile.error()));
  if (!profile->has_value()) return Fail(NoSuchLoginProfile(user_name));
  return std::move(**profile);
}

Result<void> UsersService::UpdateLoginProfile(const Principal& caller, std::string_view user_name,
                                              std::optional<std::string_view> password,
                                              std::optional<bool> password_reset_required) {
  // Refuse a missing user or profile before hashing.
  if (auto profile = GetLoginProfile(caller, user_name); !profile) return Fail(profile.error());
  storage::LoginProfileUpdate update{.password_hash = std::nullopt,
                                     .password_reset_required = password_reset_required};
  if (password.has_value()) {
    if (auto checked = CheckPassword(caller, *password); !checked) return checked;
    update.password_hash = HashPassword(*password, password_cost_);
  }
  return Stored(context_.iam.UpdateLoginProfile(caller.account_id, user_name, update));
}

Result<void> UsersService::DeleteLoginProfile(const Principal& caller, std::string_view user_name) {
  return Stored(context_.iam.DeleteLoginProfile(caller.account_id, user_name));
}

// ---- Resources

std::string UsersService::UserResource(const Principal& caller,
                                       std::optional<std::string_view> user_name) const {
  if (!user_name.has_value()) return caller.arn;
  auto user = context_.iam.GetUser(caller.account_id, *user_name);
  if (user && user->has_value()) return (*user)->arn;
  return UserArn(caller.account_id, "/", *user_name);
}

std::string UsersService::GroupResource(const Principal& caller,
                                        std::string_view group_name) const {
  auto group = context_.iam.GetGroup(caller.account_id, group_name);
  if (group && group->has_value()) return (*group)->arn;
  return GroupArn(caller.account_id, "/", group_name);
}

std::string UsersService::AccessKeyResource(const Principal& caller,
                                            std::string_view access_key_id) const {
  auto key = context_.accounts.FindAccessKey(access_key_id);
  if (!key || !key->has_value() || (*key)->account_id != caller.account_id) return "*";
  if ((*key)->user_name.empty()) return fmt::format("arn:aws:iam::{}:root", caller.account_id);
  return UserResource(caller, (*key)->user_name);
}

// ---- Private helpers

Result<storage::User> UsersService::FindUser(const Principal& caller,
                                             std::string_view user_name) const {
  auto user = context_.iam.GetUser(caller.account_id, user_name);
  if (!user) return Fail(FromStorage(user.error()));
  if (!user->has_value()) return Fail(NoSuchUser(user_name));
  return std::move(**user);
}

Result<storage::Group> UsersService::FindGroup(const Principal& caller,
                                               std::string_view group_name) const {
  auto group = context_.iam.GetGroup(caller.account_id, group_name);
  if (!group) return Fail(FromStorage(group.error()));
  if (!group->has_value()) return Fail(NoSuchGroup(group_name));
  return std::move(**group);
}

Result<std::string> UsersService::KeyOwner(const Principal& caller,
                                           std::optional<std::string_view> user_name) const {
  if (!user_name.has_value() && caller.kind == PrincipalKind::kRoot) return std::string();
  auto user = FindUser(caller, user_name.value_or(caller.user_name));
  if (!user) return Fail(user.error());
  return std::move(user->user_name);
}

Result<storage::AccessKey> UsersService::OwnedKey(const Principal& caller, const std::string& owner,
                                                  std::string_view access_key_id) const {
  auto key = context_.accounts.FindAccessKey(access_key_id);
  if (!key) return Fail(FromStorage(key.error()));
  if (!key->has_value() || (*key)->account_id != caller.account_id || (*key)->user_name != owner) {
    return Fail(NoSuchAccessKey(access_key_id));
  }
  return std::move(**key);
}

Result<void> UsersService::CheckPassword(const Principal& caller, std::string_view password) const {
  auto policy = context_.iam.GetPasswordPolicy(caller.account_id);
  if (!policy) return Fail(FromStorage(policy.error()));
  if (policy->has_value()) return CheckPasswordPolicy(password, *policy, {}, {});
  auto account = context_.accounts.FindAccountById(caller.account_id);
  if (!account) return Fail(FromStorage(account.error()));
  if (!account->has_value()) return CheckPasswordPolicy(password, std::nullopt, {}, {});
  return CheckPasswordPolicy(password, std::nullopt, (*account)->name, (*account)->email);
}

void UsersService::KeyChanged(const std::string& access_key_id) const {
  if (context_.access_key_changed) context_.access_key_changed(access_key_id);
}

}  // namespace fulcrum::services::iam
