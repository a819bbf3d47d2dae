#include "services/iam/users.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/password_hash.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kOtherAccount = "210987654321";
constexpr std::string_view kAdminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess";
constexpr std::string_view kPolicyDocument =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

// "" on success, else the error code.
template <class T>
std::string CodeOf(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().code;
}

template <class T>
std::string MessageOf(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().message;
}

template <class T>
::testing::AssertionResult Ok(const Result<T>& result) {
  if (result.has_value()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.error().code << ": " << result.error().message;
}

Principal RootOf(std::string_view account_id) {
  return Principal{.kind = PrincipalKind::kRoot,
                   .account_id = std::string(account_id),
                   .arn = "arn:aws:iam::" + std::string(account_id) + ":root",
                   .user_id = std::string(account_id),
                   .user_name = {},
                   .access_key_id = "AKIAROOTROOTROOTROOT"};
}

CreateUserRequest UserRequest(std::string name, storage::Tags tags = {},
                              std::string permissions_boundary = {}, std::string path = "/") {
  CreateUserRequest request;
  request.user_name = std::move(name);
  request.path = std::move(path);
  request.permissions_boundary = std::move(permissions_boundary);
  request.tags = std::move(tags);
  return request;
}

class UsersServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::string_view id : {kAccount, kOtherAccount}) {
      ASSERT_TRUE(Ok(
          db_->CreateAccount(storage::Account{.id = std::string(id),
                                              .name = "acct-" + std::string(id),
                                              .email = "owner-" + std::string(id) + "@example.com",
                                              .created = kAccountCreated,
                                              .root_password_hash = {}},
                             {})));
    }
    storage::ManagedPolicy admin;
    admin.arn = kAdminPolicy;
    admin.policy_id = "ANPAADMINADMINADMIN01";
    admin.policy_name = "AdministratorAccess";
    admin.path = "/";
    admin.created = kAccountCreated;
    admin.updated = kAccountCreated;
    admin.default_version_id = "v1";
    ASSERT_TRUE(Ok(db_->CreatePolicy(admin, kPolicyDocument)));
  }

  storage::User MakeUser(std::string_view name, std::string_view path = "/") {
    auto user =
        service_.CreateUser(root_, UserRequest(std::string(name), {}, {}, std::string(path)));
    EXPECT_TRUE(Ok(user));
    return user.value_or(storage::User{});
  }

  Principal UserPrincipal(const storage::User& user) const {
    return Principal{.kind = PrincipalKind::kIamUser,
                     .account_id = user.account_id,
                     .arn = user.arn,
                     .user_id = user.user_id,
                     .user_name = user.user_name,
                     .access_key_id = "AKIAUSERUSERUSERUSER"};
  }

  static constexpr TimePoint kAccountCreated = TimePoint(std::chrono::seconds(1'700'000'000));
  static constexpr TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

  FixedClock clock_{kNow};
  SeededRandom random_{7};
  std::unique_ptr<storage::Database> db_ = storage::MakeMemoryDatabase();
  std::vector<std::string> changed_keys_;
  IamContext context_{*db_, *db_, random_, clock_,
                      [this](const std::string& id) { changed_keys_.push_back(id); }};
  UsersService service_{context_, ScryptCost{.log2_n = 4, .r = 1, .p = 1}};
  Principal root_ = RootOf(kAccount);
};

// ---- Users

TEST_F(UsersServiceTest, CreateUserStoresWhatAwsReturns) {
  auto user = service_.CreateUser(
      root_, UserRequest("mgmt-org-admin", {{"team", "platform"}, {"env", "mgmt"}},
                         std::string(kAdminPolicy), "/admins/"));
  ASSERT_TRUE(Ok(user));
  EXPECT_EQ(user->account_id, kAccount);
  EXPECT_TRUE(user->user_id.starts_with("AIDA"));
  EXPECT_EQ(user->user_id.size(), 21U);
  EXPECT_EQ(user->arn, "arn:aws:iam::123456789012:user/admins/mgmt-org-admin");
  EXPECT_EQ(user->path, "/admins/");
  EXPECT_EQ(user->created, kNow);

  auto stored = service_.GetUser(root_, "MGMT-ORG-ADMIN");
  ASSERT_TRUE(Ok(stored));
  EXPECT_EQ(stored->user_name, "mgmt-org-admin");
  EXPECT_EQ(stored->user_id, user->user_id);
  EXPECT_EQ(stored->permissions_boundary_arn, kAdminPolicy);
  EXPECT_EQ(stored->tags, (storage::Tags{{"team", "platform"}, {"env", "mgmt"}}));
}

TEST_F(UsersServiceTest, CreateUserRefusals) {
  MakeUser("taken");
  struct Case {
    std::string name;
    CreateUserRequest request;
    std::string code;
    std::string message;  // Checked when not empty.
  };
  storage::Tags too_many;
  for (int i = 0; i <= 50; ++i) too_many.emplace_back("k" + std::to_string(i), "v");
  const std::vector<Case> cases = {
      {"name taken ignoring case", UserRequest("TAKEN"), "EntityAlreadyExists",
       "User with name TAKEN already exists."},
      {"duplicate tag keys", UserRequest("a", {{"Team", "x"}, {"team", "y"}}), "InvalidInput",
       "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
      {"51 tags", UserRequest("b", too_many), "LimitExceeded",
       "Cannot exceed quota for TagsPerUser: 50"},
      {"boundary is not a policy ARN", UserRequest("c", {}, "arn:aws:iam::123456789012:user/x"),
       "InvalidInput", "ARN arn:aws:iam::123456789012:user/x is not valid."},
      {"no such boundary policy", UserRequest("d", {}, "arn:aws:iam::aws:policy/NoSuchPolicy"),
       "NoSuchEntity",
       "Scope ARN: arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto result = service_.CreateUser(root_, c.request);
    EXPECT_EQ(CodeOf(result), c.code);
    if (!c.message.empty()) {
      EXPECT_EQ(MessageOf(result), c.message);
    }
  }
  auto users = service_.ListUsers(root_, "", {});
  ASSERT_TRUE(Ok(users));
  EXPECT_EQ(users->items.size(), 1U);
}

TEST_F(UsersServiceTest, GetUserWithoutNameIsTheCaller) {
  auto root = service_.GetUser(root_, std::nullopt);
  ASSERT_TRUE(Ok(root));
  EXPECT_EQ(root->user_id, kAccount);
  EXPECT_EQ(root->arn, "arn:aws:iam::123456789012:root");
  EXPECT_TRUE(root->user_name.empty());
  EXPECT_TRUE(root->path.empty());
  EXPECT_EQ(root->created, kAccountCreated);

  const storage::User alice = MakeUser("alice", "/dev/");
  auto self = service_.GetUser(UserPrincipal(alice), std::nullopt);
  ASSERT_TRUE(Ok(self));
  EXPECT_EQ(*self, alice);
}

TEST_F(UsersServiceTest, LookupsStayInTheCallersAccount) {
  MakeUser("alice");
  const Principal other = RootOf(kOtherAccount);
  auto missing = service_.GetUser(other, "alice");
  EXPECT_EQ(CodeOf(missing), "NoSuchEntity");
  EXPECT_EQ(MessageOf(missing), "The user with name alice cannot be found.");
  EXPECT_EQ(CodeOf(service_.DeleteUser(other, "alice")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.CreateAccessKey(other, "alice")), "NoSuchEntity");
  // The same name is free in the other account.
  EXPECT_TRUE(Ok(service_.CreateUser(other, UserRequest("alice"))));
  auto mine = service_.ListUsers(root_, "", {});
  ASSERT_TRUE(Ok(mine));
  ASSERT_EQ(mine->items.size(), 1U);
  EXPECT_EQ(mine->items[0].account_id, kAccount);
}

TEST_F(UsersServiceTest, ListUsersPaginatesAndFiltersByPath) {
  for (const char* name : {"erin", "alice", "dave", "bob", "carol"}) MakeUser(name, "/team/");
  MakeUser("zed", "/other/");

  std::vector<std::string> names;
  std::vector<size_t> page_sizes;
  storage::PageRequest page{.marker = {}, .max_items = 2};
  for (int guard = 0; guard < 10; ++guard) {
    auto users = service_.ListUsers(root_, "/team/", page);
    ASSERT_TRUE(Ok(users));
    page_sizes.push_back(users->items.size());
    for (const auto& user : users->items) names.push_back(user.user_name);
    if (users->next_marker.empty()) break;
    page.marker = users->next_marker;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"alice", "bob", "carol", "dave", "erin"}));
  EXPECT_EQ(page_sizes, (std::vector<size_t>{2, 2, 1}));

  auto all = service_.ListUsers(root_, "", {});
  ASSERT_TRUE(Ok(all));
  EXPECT_EQ(all->items.size(), 6U);
  EXPECT_TRUE(all->next_marker.empty());

  EXPECT_EQ(CodeOf(service_.ListUsers(root_, "", {.marker = "bogus", .max_items = 2})),
            "InvalidInput");
}

TEST_F(UsersServiceTest, UpdateUserRenamesMovesAndKeepsKeys) {
  MakeUser("alice");
  MakeUser("bob");
  auto key = service_.CreateAccessKey(root_, "alice");
  ASSERT_TRUE(Ok(key));
  changed_keys_.clear();

  ASSERT_TRUE(Ok(service_.UpdateUser(root_, "alice", "alicia", "/ops/")));
  auto renamed = service_.GetUser(root_, "alicia");
  ASSERT_TRUE(Ok(renamed));
  EXPECT_EQ(renamed->path, "/ops/");
  EXPECT_EQ(renamed->arn, "arn:aws:iam::123456789012:user/ops/alicia");
  EXPECT_EQ(CodeOf(service_.GetUser(root_, "alice")), "NoSuchEntity");
  auto keys = service_.ListAccessKeys(root_, "alicia", {});
  ASSERT_TRUE(Ok(keys));
  ASSERT_EQ(keys->items.size(), 1U);
  EXPECT_EQ(keys->items[0].user_name, "alicia");
  // The renamed user's keys are dropped from credential caches.
  EXPECT_EQ(changed_keys_, std::vector<std::string>{key->metadata.access_key_id});

  ASSERT_TRUE(Ok(service_.UpdateUser(root_, "alicia", std::nullopt, "/")));
  auto moved = service_.GetUser(root_, "alicia");
  ASSERT_TRUE(Ok(moved));
  EXPECT_EQ(moved->arn, "arn:aws:iam::123456789012:user/alicia");

  EXPECT_EQ(CodeOf(service_.UpdateUser(root_, "alicia", "BOB", std::nullopt)),
            "EntityAlreadyExists");
  EXPECT_EQ(CodeOf(service_.UpdateUser(root_, "nobody", "x", std::nullopt)), "NoSuchEntity");
}

TEST_F(UsersServiceTest, DeleteUserRefusesWhileDependentsRemain) {
  struct Case {
    std::string dependent;
    std::function<void(const storage::User&)> add;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"access key",
       [&](const storage::User& user) {
         ASSERT_TRUE(Ok(service_.CreateAccessKey(root_, user.user_name)));
       },
       "Cannot delete entity, must delete access keys first."},
      {"login profile",
       [&](const storage::User& user) {
         ASSERT_TRUE(Ok(service_.CreateLoginProfile(root_, user.user_name, "Str0ng-Pass!", false)));
       },
       "Cannot delete entity, must delete login profile first."},
      {"group membership",
       [&](const storage::User& user) {
         ASSERT_TRUE(Ok(service_.CreateGroup(root_, "g-" + user.user_name, "/")));
         ASSERT_TRUE(Ok(service_.AddUserToGroup(root_, "g-" + user.user_name, user.user_name)));
       },
       "Cannot delete entity, must remove user from all groups first."},
      {"attached policy",
       [&](const storage::User& user) {
         ASSERT_TRUE(
             Ok(db_->AttachPolicy(storage::PrincipalRef{.kind = storage::PrincipalKind::kUser,
                                                        .account_id = std::string(kAccount),
                                                        .name = user.user_name},
                                  kAdminPolicy, 10)));
       },
       "Cannot delete entity, must detach all policies first."},
      {"inline policy",
       [&](const storage::User& user) {
         ASSERT_TRUE(
             Ok(db_->PutInlinePolicy(storage::PrincipalRef{.kind = storage::PrincipalKind::kUser,
                                                           .account_id = std::string(kAccount),
                                                           .name = user.user_name},
                                     "inline", kPolicyDocument)));
       },
       "Cannot delete entity, must delete policies first."},
      {"MFA device",
       [&](const storage::User& user) {
         const std::string serial = "arn:aws:iam::123456789012:mfa/" + user.user_name;
         storage::VirtualMfaDevice device;
         device.serial_number = serial;
         device.account_id = kAccount;
         device.path = "/";
         device.name = user.user_name;
         device.seed = "JBSWY3DPEHPK3PXP";
         device.created = kNow;
         ASSERT_TRUE(Ok(db_->CreateVirtualMfaDevice(device)));
         ASSERT_TRUE(
             Ok(db_->EnableMfaDevice(std::string(kAccount), user.user_name, serial, kNow, 1, 8)));
       },
       "Cannot delete entity, must delete MFA device first."},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.dependent);
    const storage::User user = MakeUser("user" + std::to_string(n++));
    c.add(user);
    auto refused = service_.DeleteUser(root_, user.user_name);
    EXPECT_EQ(CodeOf(refused), "DeleteConflict");
    EXPECT_EQ(MessageOf(refused), c.message);
    EXPECT_TRUE(Ok(service_.GetUser(root_, user.user_name)));
  }

  MakeUser("free");
  EXPECT_TRUE(Ok(service_.DeleteUser(root_, "free")));
  EXPECT_EQ(CodeOf(service_.GetUser(root_, "free")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.DeleteUser(root_, "free")), "NoSuchEntity");
}

TEST_F(UsersServiceTest, TagsAddReplaceRemoveAndPaginate) {
  MakeUser("alice");
  ASSERT_TRUE(Ok(service_.TagUser(root_, "alice", {{"Team", "a"}, {"env", "dev"}})));
  // Keys match ignoring case: the new spelling and value replace the old tag in place.
  ASSERT_TRUE(Ok(service_.TagUser(root_, "alice", {{"team", "b"}, {"cost", "1"}})));
  auto tags = service_.ListUserTags(root_, "alice", {});
  ASSERT_TRUE(Ok(tags));
  EXPECT_EQ(tags->items, (storage::Tags{{"team", "b"}, {"env", "dev"}, {"cost", "1"}}));
  EXPECT_TRUE(tags->next_marker.empty());

  auto first = service_.ListUserTags(root_, "alice", {.marker = {}, .max_items = 2});
  ASSERT_TRUE(Ok(first));
  EXPECT_EQ(first->items.size(), 2U);
  ASSERT_FALSE(first->next_marker.empty());
  auto second =
      service_.ListUserTags(root_, "alice", {.marker = first->next_marker, .max_items = 2});
  ASSERT_TRUE(Ok(second));
  EXPECT_EQ(second->items, (storage::Tags{{"cost", "1"}}));
  EXPECT_TRUE(second->next_marker.empty());
  EXPECT_EQ(CodeOf(service_.ListUserTags(root_, "alice", {.marker = "99", .max_items = 2})),
            "InvalidInput");

  ASSERT_TRUE(Ok(service_.UntagUser(root_, "alice", {"ENV", "absent"})));
  tags = service_.ListUserTags(root_, "alice", {});
  ASSERT_TRUE(Ok(tags));
  EXPECT_EQ(tags->items, (storage::Tags{{"team", "b"}, {"cost", "1"}}));

  EXPECT_EQ(CodeOf(service_.TagUser(root_, "alice", {{"x", "1"}, {"X", "2"}})), "InvalidInput");
  storage::Tags many;
  for (int i = 0; i < 49; ++i) many.emplace_back("k" + std::to_string(i), "v");
  auto over = service_.TagUser(root_, "alice", many);  // 2 + 49 = 51.
  EXPECT_EQ(CodeOf(over), "LimitExceeded");
  EXPECT_EQ(MessageOf(over), "Cannot exceed quota for TagsPerUser: 50");
  many.pop_back();
  EXPECT_TRUE(Ok(service_.TagUser(root_, "alice", many)));  // Exactly 50.

  EXPECT_EQ(CodeOf(service_.TagUser(root_, "nobody", {{"a", "b"}})), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.UntagUser(root_, "nobody", {"a"})), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.ListUserTags(root_, "nobody", {})), "NoSuchEntity");
}

// ---- Groups

TEST_F(UsersServiceTest, GroupLifecycle) {
  auto group = service_.CreateGroup(root_, "Admins", "/ops/");
  ASSERT_TRUE(Ok(group));
  EXPECT_TRUE(group->group_id.starts_with("AGPA"));
  EXPECT_EQ(group->group_id.size(), 21U);
  EXPECT_EQ(group->arn, "arn:aws:iam::123456789012:group/ops/Admins");
  EXPECT_EQ(group->created, kNow);
  auto duplicate = service_.CreateGroup(root_, "admins", "/");
  EXPECT_EQ(CodeOf(duplicate), "EntityAlreadyExists");
  EXPECT_EQ(MessageOf(duplicate), "Group with name admins already exists.");

  for (const char* name : {"carol", "alice", "bob"}) {
    MakeUser(name);
    ASSERT_TRUE(Ok(service_.AddUserToGroup(root_, "admins", name)));
  }
  ASSERT_TRUE(Ok(service_.AddUserToGroup(root_, "Admins", "alice")));  // Again: no change.

  auto first = service_.GetGroup(root_, "Admins", {.marker = {}, .max_items = 2});
  ASSERT_TRUE(Ok(first));
  EXPECT_EQ(first->group, *group);
  ASSERT_EQ(first->users.items.size(), 2U);
  EXPECT_EQ(first->users.items[0].user_name, "alice");
  EXPECT_EQ(first->users.items[1].user_name, "bob");
  ASSERT_FALSE(first->users.next_marker.empty());
  auto second =
      service_.GetGroup(root_, "Admins", {.marker = first->users.next_marker, .max_items = 2});
  ASSERT_TRUE(Ok(second));
  ASSERT_EQ(second->users.items.size(), 1U);
  EXPECT_EQ(second->users.items[0].user_name, "carol");
  EXPECT_TRUE(second->users.next_marker.empty());

  auto groups_of_alice = service_.ListGroupsForUser(root_, "alice", {});
  ASSERT_TRUE(Ok(groups_of_alice));
  ASSERT_EQ(groups_of_alice->items.size(), 1U);
  EXPECT_EQ(groups_of_alice->items[0].group_name, "Admins");

  auto refused = service_.DeleteGroup(root_, "Admins");
  EXPECT_EQ(CodeOf(refused), "DeleteConflict");
  EXPECT_EQ(MessageOf(refused), "Cannot delete entity, must remove users from group first.");

  ASSERT_TRUE(Ok(service_.UpdateGroup(root_, "Admins", "Operators", "/")));
  auto renamed = service_.GetGroup(root_, "operators", {});
  ASSERT_TRUE(Ok(renamed));
  EXPECT_EQ(renamed->group.arn, "arn:aws:iam::123456789012:group/Operators");
  EXPECT_EQ(renamed->users.items.size(), 3U);
  EXPECT_EQ(CodeOf(service_.GetGroup(root_, "Admins", {})), "NoSuchEntity");

  for (const char* name : {"alice", "bob", "carol"}) {
    ASSERT_TRUE(Ok(service_.RemoveUserFromGroup(root_, "Operators", name)));
  }
  EXPECT_EQ(CodeOf(service_.RemoveUserFromGroup(root_, "Operators", "alice")), "NoSuchEntity");
  EXPECT_TRUE(Ok(service_.DeleteGroup(root_, "Operators")));
  EXPECT_EQ(CodeOf(service_.DeleteGroup(root_, "Operators")), "NoSuchEntity");
  auto listed = service_.ListGroups(root_, "", {});
  ASSERT_TRUE(Ok(listed));
  EXPECT_TRUE(listed->items.empty());
}

TEST_F(UsersServiceTest, GroupRefusals) {
  MakeUser("alice");
  for (int i = 0; i < 11; ++i) {
    ASSERT_TRUE(Ok(service_.CreateGroup(root_, "g" + std::to_string(i), "/")));
  }
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Ok(service_.AddUserToGroup(root_, "g" + std::to_string(i), "alice")));
  }
  auto eleventh = service_.AddUserToGroup(root_, "g10", "alice");
  EXPECT_EQ(CodeOf(eleventh), "LimitExceeded");
  EXPECT_EQ(MessageOf(eleventh), "Cannot exceed quota for GroupsPerUser: 10");

  EXPECT_EQ(CodeOf(service_.AddUserToGroup(root_, "nogroup", "alice")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.AddUserToGroup(root_, "g0", "nobody")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.ListGroupsForUser(root_, "nobody", {})), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.UpdateGroup(root_, "g0", "G1", std::nullopt)), "EntityAlreadyExists");
  auto missing = service_.GetGroup(root_, "nogroup", {});
  EXPECT_EQ(MessageOf(missing), "The group with name nogroup cannot be found.");

  ASSERT_TRUE(Ok(db_->AttachPolicy(storage::PrincipalRef{.kind = storage::PrincipalKind::kGroup,
                                                         .account_id = std::string(kAccount),
                                                         .name = "g10"},
                                   kAdminPolicy, 10)));
  auto attached = service_.DeleteGroup(root_, "g10");
  EXPECT_EQ(CodeOf(attached), "DeleteConflict");
  EXPECT_EQ(MessageOf(attached), "Cannot delete entity, must detach all policies first.");

  std::vector<std::string> names;
  storage::PageRequest page{.marker = {}, .max_items = 4};
  for (int guard = 0; guard < 10; ++guard) {
    auto groups = service_.ListGroups(root_, "/", page);
    ASSERT_TRUE(Ok(groups));
    for (const auto& group : groups->items) names.push_back(group.group_name);
    if (groups->next_marker.empty()) break;
    page.marker = groups->next_marker;
  }
  EXPECT_EQ(names.size(), 11U);
}

// ---- Access keys

TEST_F(UsersServiceTest, UserAccessKeys) {
  MakeUser("alice");
  auto first = service_.CreateAccessKey(root_, "ALICE");
  ASSERT_TRUE(Ok(first));
  EXPECT_TRUE(first->metadata.access_key_id.starts_with("AKIA"));
  EXPECT_EQ(first->metadata.access_key_id.size(), 20U);
  EXPECT_EQ(first->secret_access_key.size(), 40U);
  EXPECT_EQ(first->metadata.user_name, "alice");
  EXPECT_TRUE(first->metadata.active);
  EXPECT_EQ(first->metadata.created, kNow);
  auto stored = db_->FindAccessKey(first->metadata.access_key_id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->secret_access_key, first->secret_access_key);

  clock_.Advance(std::chrono::seconds(5));
  auto second = service_.CreateAccessKey(root_, "alice");
  ASSERT_TRUE(Ok(second));
  auto third = service_.CreateAccessKey(root_, "alice");
  EXPECT_EQ(CodeOf(third), "LimitExceeded");
  EXPECT_EQ(MessageOf(third), "Cannot exceed quota for AccessKeysPerUser: 2");

  auto keys = service_.ListAccessKeys(root_, "alice", {});
  ASSERT_TRUE(Ok(keys));
  EXPECT_EQ(keys->items, (std::vector<AccessKeyMetadata>{first->metadata, second->metadata}));
  auto page = service_.ListAccessKeys(root_, "alice", {.marker = {}, .max_items = 1});
  ASSERT_TRUE(Ok(page));
  EXPECT_EQ(page->items, std::vector<AccessKeyMetadata>{first->metadata});
  page = service_.ListAccessKeys(root_, "alice", {.marker = page->next_marker, .max_items = 1});
  ASSERT_TRUE(Ok(page));
  EXPECT_EQ(page->items, std::vector<AccessKeyMetadata>{second->metadata});
  EXPECT_TRUE(page->next_marker.empty());

  const std::string id = first->metadata.access_key_id;
  ASSERT_TRUE(Ok(service_.UpdateAccessKey(root_, "alice", id, false)));
  stored = db_->FindAccessKey(id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_FALSE((*stored)->active);
  ASSERT_TRUE(Ok(service_.DeleteAccessKey(root_, "alice", id)));
  stored = db_->FindAccessKey(id);
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->has_value());
  EXPECT_EQ(changed_keys_, (std::vector<std::string>{id, second->metadata.access_key_id, id, id}));

  auto gone = service_.DeleteAccessKey(root_, "alice", id);
  EXPECT_EQ(CodeOf(gone), "NoSuchEntity");
  EXPECT_EQ(MessageOf(gone), "The Access Key with id " + id + " cannot be found.");
}

TEST_F(UsersServiceTest, AccessKeysOfAnotherOwnerAreMissing) {
  MakeUser("alice");
  MakeUser("bob");
  auto key = service_.CreateAccessKey(root_, "alice");
  ASSERT_TRUE(Ok(key));
  const std::string id = key->metadata.access_key_id;
  struct Case {
    std::string name;
    Principal caller;
    std::optional<std::string_view> user_name;
  };
  const std::vector<Case> cases = {
      {"another user", root_, "bob"},
      {"the root user", root_, std::nullopt},
      {"another account", RootOf(kOtherAccount), std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(CodeOf(service_.UpdateAccessKey(c.caller, c.user_name, id, false)), "NoSuchEntity");
    EXPECT_EQ(CodeOf(service_.DeleteAccessKey(c.caller, c.user_name, id)), "NoSuchEntity");
  }
  EXPECT_EQ(CodeOf(service_.GetAccessKeyLastUsed(RootOf(kOtherAccount), id)), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.CreateAccessKey(root_, "nobody")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.ListAccessKeys(root_, "nobody", {})), "NoSuchEntity");
  auto stored = db_->FindAccessKey(id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_TRUE((*stored)->active);
}

TEST_F(UsersServiceTest, RootAccessKeysWithoutUserName) {
  MakeUser("alice");
  ASSERT_TRUE(Ok(service_.CreateAccessKey(root_, "alice")));
  auto first = service_.CreateAccessKey(root_, std::nullopt);
  ASSERT_TRUE(Ok(first));
  EXPECT_TRUE(first->metadata.user_name.empty());
  auto stored = db_->FindAccessKey(first->metadata.access_key_id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->account_id, kAccount);
  EXPECT_TRUE((*stored)->user_name.empty());
  ASSERT_TRUE(Ok(service_.CreateAccessKey(root_, std::nullopt)));
  EXPECT_EQ(CodeOf(service_.CreateAccessKey(root_, std::nullopt)), "LimitExceeded");

  auto keys = service_.ListAccessKeys(root_, std::nullopt, {});
  ASSERT_TRUE(Ok(keys));
  ASSERT_EQ(keys->items.size(), 2U);
  for (const auto& key : keys->items) EXPECT_TRUE(key.user_name.empty());
  auto last_used = service_.GetAccessKeyLastUsed(root_, first->metadata.access_key_id);
  ASSERT_TRUE(Ok(last_used));
  EXPECT_TRUE(last_used->user_name.empty());
  EXPECT_FALSE(last_used->last_used.has_value());
  ASSERT_TRUE(Ok(service_.DeleteAccessKey(root_, std::nullopt, first->metadata.access_key_id)));
}

TEST_F(UsersServiceTest, IamUserManagesItsOwnKeys) {
  const Principal alice = UserPrincipal(MakeUser("alice"));
  auto key = service_.CreateAccessKey(alice, std::nullopt);
  ASSERT_TRUE(Ok(key));
  EXPECT_EQ(key->metadata.user_name, "alice");
  auto keys = service_.ListAccessKeys(alice, std::nullopt, {});
  ASSERT_TRUE(Ok(keys));
  EXPECT_EQ(keys->items, std::vector<AccessKeyMetadata>{key->metadata});
  auto root_keys = service_.ListAccessKeys(root_, std::nullopt, {});
  ASSERT_TRUE(Ok(root_keys));
  EXPECT_TRUE(root_keys->items.empty());
  EXPECT_TRUE(
      Ok(service_.UpdateAccessKey(alice, std::nullopt, key->metadata.access_key_id, false)));
  EXPECT_TRUE(Ok(service_.DeleteAccessKey(alice, std::nullopt, key->metadata.access_key_id)));
}

TEST_F(UsersServiceTest, AccessKeyLastUsed) {
  MakeUser("alice");
  auto key = service_.CreateAccessKey(root_, "alice");
  ASSERT_TRUE(Ok(key));
  const std::string id = key->metadata.access_key_id;
  auto never = service_.GetAccessKeyLastUsed(root_, id);
  ASSERT_TRUE(Ok(never));
  EXPECT_EQ(never->user_name, "alice");
  EXPECT_FALSE(never->last_used.has_value());

  const storage::AccessKeyLastUsed use{.time = kNow, .service_name = "sts", .region = "eu-west-1"};
  ASSERT_TRUE(Ok(db_->RecordAccessKeyUses({{.access_key_id = id, .used = use}})));
  auto used = service_.GetAccessKeyLastUsed(root_, id);
  ASSERT_TRUE(Ok(used));
  EXPECT_EQ(used->last_used, use);

  auto missing = service_.GetAccessKeyLastUsed(root_, "AKIANOSUCHKEY0000000");
  EXPECT_EQ(CodeOf(missing), "NoSuchEntity");
  EXPECT_EQ(MessageOf(missing), "The Access Key with id AKIANOSUCHKEY0000000 cannot be found.");
}

// ---- Passwords

TEST(CheckPasswordPolicyTest, DefaultPolicy) {
  struct Case {
    std::string password;
    std::string message;  // Empty = accepted.
  };
  const std::vector<Case> cases = {
      {"Abcdefg1", ""},
      {"abcdef1!", ""},
      {"ABCDEF1!", ""},
      {"Ab1!", "Password should have a minimum length of 8"},
      {"abcdefgh1",
       "Password should meet 1 more of the following requirements: Password should have at least "
       "one uppercase letter, Password should have at least one symbol"},
      {"abcdefghij",
       "Password should meet 2 more of the following requirements: Password should have at least "
       "one uppercase letter, Password should have at least one number, Password should have at "
       "least one symbol"},
      {"Acme-Mgmt1", "Password should not be identical to the account name or email address"},
      {"OWNER@Example.COM1", ""},
      {"Owner@example.com",
       "Password should not be identical to the account name or email address"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.password);
    auto result = CheckPasswordPolicy(c.password, std::nullopt, "Acme-Mgmt1", "owner@example.com");
    if (c.message.empty()) {
      EXPECT_TRUE(Ok(result));
    } else {
      EXPECT_EQ(CodeOf(result), "PasswordPolicyViolation");
      EXPECT_EQ(MessageOf(result), c.message);
    }
  }
}

TEST(CheckPasswordPolicyTest, AccountPolicy) {
  storage::PasswordPolicy policy;
  policy.minimum_password_length = 12;
  policy.require_symbols = true;
  policy.require_numbers = true;
  policy.require_uppercase_characters = true;
  policy.require_lowercase_characters = true;
  struct Case {
    std::string password;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"Corr3ct-Horse", ""},
      {"Sh0rt-Pass", "Password should have a minimum length of 12"},
      {"alllowercase",
       "Password should have at least one uppercase letter, Password should have "
       "at least one number, Password should have at least one symbol"},
      {"ALLUPPERCASE1!", "Password should have at least one lowercase letter"},
      // Characters, not bytes: eleven characters in thirteen bytes are too short, twelve are not.
      {"Passw\xc3\xb6rd-\xc3\xa9"
       "1",
       "Password should have a minimum length of 12"},
      {"Passw\xc3\xb6rd-\xc3\xa9"
       "1x",
       ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.password);
    auto result = CheckPasswordPolicy(c.password, policy, "", "");
    if (c.message.empty()) {
      EXPECT_TRUE(Ok(result));
    } else {
      EXPECT_EQ(CodeOf(result), "PasswordPolicyViolation");
      EXPECT_EQ(MessageOf(result), c.message);
    }
  }
  // Without the policy's demands, an account policy asks only for its length.
  EXPECT_TRUE(Ok(CheckPasswordPolicy("password", storage::PasswordPolicy{}, "", "")));
}

TEST_F(UsersServiceTest, LoginProfileLifecycle) {
  MakeUser("alice");
  auto missing = service_.GetLoginProfile(root_, "alice");
  EXPECT_EQ(CodeOf(missing), "NoSuchEntity");
  EXPECT_EQ(MessageOf(missing), "Login Profile for User alice cannot be found.");

  auto weak = service_.CreateLoginProfile(root_, "alice", "password", false);
  EXPECT_EQ(CodeOf(weak), "PasswordPolicyViolation");

  auto profile = service_.CreateLoginProfile(root_, "ALICE", "Sup3r$ecret-Pass", true);
  ASSERT_TRUE(Ok(profile));
  EXPECT_EQ(profile->user_name, "alice");
  EXPECT_EQ(profile->created, kNow);
  EXPECT_TRUE(profile->password_reset_required);
  EXPECT_TRUE(VerifyPassword("Sup3r$ecret-Pass", profile->password_hash));
  EXPECT_EQ(profile->password_hash.find("Sup3r$ecret-Pass"), std::string::npos);

  auto again = service_.CreateLoginProfile(root_, "alice", "Sup3r$ecret-Pass", false);
  EXPECT_EQ(CodeOf(again), "EntityAlreadyExists");
  EXPECT_EQ(MessageOf(again), "Login Profile for user alice already exists.");

  auto got = service_.GetLoginProfile(root_, "alice");
  ASSERT_TRUE(Ok(got));
  EXPECT_EQ(got->password_hash, profile->password_hash);

  ASSERT_TRUE(Ok(service_.UpdateLoginProfile(root_, "alice", std::nullopt, false)));
  got = service_.GetLoginProfile(root_, "alice");
  ASSERT_TRUE(Ok(got));
  EXPECT_FALSE(got->password_reset_required);
  EXPECT_EQ(got->password_hash, profile->password_hash);

  EXPECT_EQ(CodeOf(service_.UpdateLoginProfile(root_, "alice", "weak", std::nullopt)),
            "PasswordPolicyViolation");
  ASSERT_TRUE(Ok(service_.UpdateLoginProfile(root_, "alice", "N3w-Passw0rd", std::nullopt)));
  got = service_.GetLoginProfile(root_, "alice");
  ASSERT_TRUE(Ok(got));
  EXPECT_TRUE(VerifyPassword("N3w-Passw0rd", got->password_hash));
  EXPECT_FALSE(got->password_reset_required);

  ASSERT_TRUE(Ok(service_.DeleteLoginProfile(root_, "alice")));
  EXPECT_EQ(CodeOf(service_.DeleteLoginProfile(root_, "alice")), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.UpdateLoginProfile(root_, "alice", std::nullopt, true)),
            "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.CreateLoginProfile(root_, "nobody", "Sup3r$ecret-Pass", false)),
            "NoSuchEntity");
}

TEST_F(UsersServiceTest, LoginProfileFollowsTheAccountPasswordPolicy) {
  MakeUser("alice");
  storage::PasswordPolicy policy;
  policy.minimum_password_length = 14;
  policy.require_symbols = true;
  ASSERT_TRUE(Ok(db_->PutPasswordPolicy(std::string(kAccount), policy)));
  auto refused = service_.CreateLoginProfile(root_, "alice", "Sup3r$ecret", false);
  EXPECT_EQ(CodeOf(refused), "PasswordPolicyViolation");
  EXPECT_EQ(MessageOf(refused), "Password should have a minimum length of 14");
  // The account policy replaces the default one: no mix of character types is required.
  EXPECT_TRUE(Ok(service_.CreateLoginProfile(root_, "alice", "all-lowercase-words", false)));
}

// ---- Operation rows: binding of input and output documents

class UsersOperationsTest : public UsersServiceTest {
 protected:
  void SetUp() override {
    UsersServiceTest::SetUp();
    AddUsersOperations(service_, rows_);
  }

  const OperationRow& Row(std::string_view name) const {
    auto it = std::find_if(rows_.begin(), rows_.end(),
                           [&](const OperationRow& row) { return row.name == name; });
    EXPECT_NE(it, rows_.end()) << name;
    return *it;
  }

  Result<json::value> Run(std::string_view name, const json::object& input,
                          const Principal& caller) const {
    const RequestContext context{
        .principal = caller, .region = "us-east-1", .request_id = "req", .now = kNow};
    return Row(name).handler(context, input);
  }

  Result<json::value> Run(std::string_view name, const json::object& input) const {
    return Run(name, input, root_);
  }

  std::string Resource(std::string_view name, const json::object& input,
                       const Principal& caller) const {
    const RequestContext context{
        .principal = caller, .region = "us-east-1", .request_id = "req", .now = kNow};
    return Row(name).resource(context, input);
  }

  std::vector<OperationRow> rows_;
};

TEST_F(UsersOperationsTest, RowsCoverTheAreaOnce) {
  const std::set<std::string> expected = {"CreateUser",
                                          "GetUser",
                                          "ListUsers",
                                          "UpdateUser",
                                          "DeleteUser",
                                          "TagUser",
                                          "UntagUser",
                                          "ListUserTags",
                                          "CreateGroup",
                                          "GetGroup",
                                          "ListGroups",
                                          "UpdateGroup",
                                          "DeleteGroup",
                                          "AddUserToGroup",
                                          "RemoveUserFromGroup",
                                          "ListGroupsForUser",
                                          "CreateAccessKey",
                                          "ListAccessKeys",
                                          "UpdateAccessKey",
                                          "DeleteAccessKey",
                                          "GetAccessKeyLastUsed",
                                          "CreateLoginProfile",
                                          "GetLoginProfile",
                                          "UpdateLoginProfile",
                                          "DeleteLoginProfile",
                                          "PutUserPermissionsBoundary",
                                          "DeleteUserPermissionsBoundary"};
  std::set<std::string> names;
  for (const OperationRow& row : rows_) {
    EXPECT_TRUE(names.insert(std::string(row.name)).second) << row.name;
    EXPECT_EQ(row.iam_action, "iam:" + std::string(row.name));
    EXPECT_FALSE(row.skip_authorization) << row.name;
    EXPECT_TRUE(row.resource) << row.name;
    EXPECT_TRUE(row.handler) << row.name;
  }
  EXPECT_EQ(names, expected);
}

TEST_F(UsersOperationsTest, CreateUserAndGetUserShapes) {
  auto created =
      Run("CreateUser",
          json::object{{"UserName", "mgmt-org-admin"},
                       {"PermissionsBoundary", kAdminPolicy},
                       {"Tags", json::array{json::object{{"Key", "team"}, {"Value", "a"}}}}});
  ASSERT_TRUE(Ok(created));
  const json::object& user = created->as_object().at("User").as_object();
  EXPECT_EQ(user.at("Path"), "/");
  EXPECT_EQ(user.at("UserName"), "mgmt-org-admin");
  EXPECT_TRUE(user.at("UserId").as_string().starts_with("AIDA"));
  EXPECT_EQ(user.at("Arn"), "arn:aws:iam::123456789012:user/mgmt-org-admin");
  EXPECT_EQ(user.at("CreateDate"), json::value(1'800'000'000));
  EXPECT_EQ(user.at("PermissionsBoundary"),
            (json::object{{"PermissionsBoundaryType", "PermissionsBoundaryPolicy"},
                          {"PermissionsBoundaryArn", kAdminPolicy}}));
  EXPECT_EQ(user.at("Tags"), (json::array{json::object{{"Key", "team"}, {"Value", "a"}}}));
  EXPECT_FALSE(user.contains("PasswordLastUsed"));

  // Lists leave out PermissionsBoundary and Tags, as AWS does.
  auto listed = Run("ListUsers", json::object{});
  ASSERT_TRUE(Ok(listed));
  const json::object& list = listed->as_object();
  EXPECT_EQ(list.at("IsTruncated"), false);
  EXPECT_FALSE(list.contains("Marker"));
  ASSERT_EQ(list.at("Users").as_array().size(), 1U);
  const json::object& member = list.at("Users").as_array()[0].as_object();
  EXPECT_FALSE(member.contains("Tags"));
  EXPECT_FALSE(member.contains("PermissionsBoundary"));
  EXPECT_EQ(member.at("UserName"), "mgmt-org-admin");

  // The root user has no Path or UserName.
  auto root = Run("GetUser", json::object{});
  ASSERT_TRUE(Ok(root));
  EXPECT_EQ(root->as_object().at("User"), (json::object{{"UserId", "123456789012"},
                                                        {"Arn", "arn:aws:iam::123456789012:root"},
                                                        {"CreateDate", 1'700'000'000}}));
}

TEST_F(UsersOperationsTest, ListsAreTruncatedWithAMarker) {
  for (const char* name : {"a", "b", "c"}) MakeUser(name);
  auto first = Run("ListUsers", json::object{{"MaxItems", 2}});
  ASSERT_TRUE(Ok(first));
  EXPECT_EQ(first->as_object().at("IsTruncated"), true);
  ASSERT_TRUE(first->as_object().contains("Marker"));
  auto second =
      Run("ListUsers", json::object{{"MaxItems", 2}, {"Marker", first->as_object().at("Marker")}});
  ASSERT_TRUE(Ok(second));
  EXPECT_EQ(second->as_object().at("IsTruncated"), false);
  EXPECT_EQ(second->as_object().at("Users").as_array().size(), 1U);
}

TEST_F(UsersOperationsTest, AccessKeyShapes) {
  MakeUser("alice");
  auto empty = Run("ListAccessKeys", json::object{{"UserName", "alice"}});
  ASSERT_TRUE(Ok(empty));
  EXPECT_EQ(*empty, (json::object{{"AccessKeyMetadata", json::array{}}, {"IsTruncated", false}}));

  auto created = Run("CreateAccessKey", json::object{{"UserName", "alice"}});
  ASSERT_TRUE(Ok(created));
  const json::object& key = created->as_object().at("AccessKey").as_object();
  EXPECT_EQ(key.at("UserName"), "alice");
  EXPECT_EQ(key.at("Status"), "Active");
  EXPECT_EQ(key.at("SecretAccessKey").as_string().size(), 40U);
  EXPECT_EQ(key.at("CreateDate"), json::value(1'800'000'000));
  const json::string id = key.at("AccessKeyId").as_string();

  auto listed = Run("ListAccessKeys", json::object{{"UserName", "alice"}});
  ASSERT_TRUE(Ok(listed));
  EXPECT_EQ(
      *listed,
      (json::object{{"AccessKeyMetadata", json::array{json::object{{"UserName", "alice"},
                                                                   {"AccessKeyId", id},
                                                                   {"Status", "Active"},
                                                                   {"CreateDate", 1'800'000'000}}}},
                    {"IsTruncated", false}}));
  EXPECT_EQ(json::serialize(*listed).find("Secret"), std::string::npos);

  ASSERT_TRUE(
      Ok(Run("UpdateAccessKey",
             json::object{{"UserName", "alice"}, {"AccessKeyId", id}, {"Status", "Inactive"}})));
  listed = Run("ListAccessKeys", json::object{{"UserName", "alice"}});
  ASSERT_TRUE(Ok(listed));
  EXPECT_EQ(listed->as_object().at("AccessKeyMetadata").as_array()[0].as_object().at("Status"),
            "Inactive");

  auto last_used = Run("GetAccessKeyLastUsed", json::object{{"AccessKeyId", id}});
  ASSERT_TRUE(Ok(last_used));
  EXPECT_EQ(*last_used, (json::object{{"UserName", "alice"},
                                      {"AccessKeyLastUsed",
                                       json::object{{"ServiceName", "N/A"}, {"Region", "N/A"}}}}));

  auto deleted = Run("DeleteAccessKey", json::object{{"UserName", "alice"}, {"AccessKeyId", id}});
  ASSERT_TRUE(Ok(deleted));
  EXPECT_EQ(*deleted, json::object{});

  // A root key carries no UserName.
  auto root_key = Run("CreateAccessKey", json::object{});
  ASSERT_TRUE(Ok(root_key));
  EXPECT_FALSE(root_key->as_object().at("AccessKey").as_object().contains("UserName"));
}

TEST_F(UsersOperationsTest, GroupAndLoginProfileShapes) {
  MakeUser("alice");
  auto group = Run("CreateGroup", json::object{{"GroupName", "admins"}});
  ASSERT_TRUE(Ok(group));
  const json::object& created = group->as_object().at("Group").as_object();
  EXPECT_EQ(created.at("Path"), "/");
  EXPECT_EQ(created.at("GroupName"), "admins");
  EXPECT_TRUE(created.at("GroupId").as_string().starts_with("AGPA"));
  EXPECT_EQ(created.at("Arn"), "arn:aws:iam::123456789012:group/admins");
  ASSERT_TRUE(
      Ok(Run("AddUserToGroup", json::object{{"GroupName", "admins"}, {"UserName", "alice"}})));

  auto got = Run("GetGroup", json::object{{"GroupName", "admins"}});
  ASSERT_TRUE(Ok(got));
  EXPECT_EQ(got->as_object().at("Group"), created);
  EXPECT_EQ(got->as_object().at("Users").as_array().size(), 1U);
  EXPECT_EQ(got->as_object().at("IsTruncated"), false);

  auto for_user = Run("ListGroupsForUser", json::object{{"UserName", "alice"}});
  ASSERT_TRUE(Ok(for_user));
  EXPECT_EQ(*for_user, (json::object{{"Groups", json::array{created}}, {"IsTruncated", false}}));

  auto profile = Run("CreateLoginProfile", json::object{{"UserName", "alice"},
                                                        {"Password", "Sup3r$ecret-Pass"},
                                                        {"PasswordResetRequired", true}});
  ASSERT_TRUE(Ok(profile));
  EXPECT_EQ(*profile,
            (json::object{{"LoginProfile", json::object{{"UserName", "alice"},
                                                        {"CreateDate", 1'800'000'000},
                                                        {"PasswordResetRequired", true}}}}));
  auto missing = Run("GetLoginProfile", json::object{{"UserName", "nobody"}});
  EXPECT_EQ(CodeOf(missing), "NoSuchEntity");

  auto tags = Run("ListUserTags", json::object{{"UserName", "alice"}});
  ASSERT_TRUE(Ok(tags));
  EXPECT_EQ(*tags, (json::object{{"Tags", json::array{}}, {"IsTruncated", false}}));
}

TEST_F(UsersOperationsTest, ResourcesAreTheArnsActedOn) {
  const storage::User alice = MakeUser("alice", "/dev/");
  ASSERT_TRUE(Ok(service_.CreateGroup(root_, "admins", "/ops/")));
  auto key = service_.CreateAccessKey(root_, "alice");
  ASSERT_TRUE(Ok(key));
  const Principal as_alice = UserPrincipal(alice);
  struct Case {
    std::string operation;
    json::object input;
    Principal caller;
    std::string resource;
  };
  const std::vector<Case> cases = {
      {"CreateUser",
       {{"UserName", "bob"}, {"Path", "/x/"}},
       root_,
       "arn:aws:iam::123456789012:user/x/bob"},
      {"GetUser", {{"UserName", "ALICE"}}, root_, "arn:aws:iam::123456789012:user/dev/alice"},
      {"GetUser", {}, root_, "arn:aws:iam::123456789012:root"},
      {"GetUser", {}, as_alice, "arn:aws:iam::123456789012:user/dev/alice"},
      {"DeleteUser", {{"UserName", "nobody"}}, root_, "arn:aws:iam::123456789012:user/nobody"},
      {"CreateAccessKey", {}, as_alice, "arn:aws:iam::123456789012:user/dev/alice"},
      {"ListAccessKeys",
       {{"UserName", "alice"}},
       root_,
       "arn:aws:iam::123456789012:user/dev/alice"},
      {"GetAccessKeyLastUsed",
       {{"AccessKeyId", key->metadata.access_key_id}},
       root_,
       "arn:aws:iam::123456789012:user/dev/alice"},
      {"GetAccessKeyLastUsed", {{"AccessKeyId", "AKIANOSUCHKEY0000000"}}, root_, "*"},
      {"ListUsers", {}, root_, "arn:aws:iam::123456789012:user/"},
      {"ListUsers", {{"PathPrefix", "/ops/"}}, root_, "arn:aws:iam::123456789012:user/ops/"},
      {"ListGroups", {}, root_, "arn:aws:iam::123456789012:group/"},
      {"CreateGroup", {{"GroupName", "devs"}}, root_, "arn:aws:iam::123456789012:group/devs"},
      {"GetGroup", {{"GroupName", "admins"}}, root_, "arn:aws:iam::123456789012:group/ops/admins"},
      {"AddUserToGroup",
       {{"GroupName", "admins"}, {"UserName", "alice"}},
       root_,
       "arn:aws:iam::123456789012:group/ops/admins"},
      {"CreateLoginProfile",
       {{"UserName", "alice"}},
       root_,
       "arn:aws:iam::123456789012:user/dev/alice"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.operation + " " + json::serialize(c.input));
    EXPECT_EQ(Resource(c.operation, c.input, c.caller), c.resource);
  }
}

TEST_F(UsersOperationsTest, ErrorsPassThroughHandlers) {
  struct Case {
    std::string operation;
    json::object input;
    std::string code;
  };
  MakeUser("alice");
  const std::vector<Case> cases = {
      {"GetUser", {{"UserName", "nobody"}}, "NoSuchEntity"},
      {"CreateUser", {{"UserName", "alice"}}, "EntityAlreadyExists"},
      {"TagUser",
       {{"UserName", "alice"},
        {"Tags", json::array{json::object{{"Key", "a"}, {"Value", "1"}},
                             json::object{{"Key", "A"}, {"Value", "2"}}}}},
       "InvalidInput"},
      {"ListUsers", {{"Marker", "not-a-marker"}}, "InvalidInput"},
      {"CreateLoginProfile",
       {{"UserName", "alice"}, {"Password", "short"}},
       "PasswordPolicyViolation"},
      {"DeleteGroup", {{"GroupName", "nogroup"}}, "NoSuchEntity"},
      {"UpdateAccessKey",
       {{"UserName", "alice"}, {"AccessKeyId", "AKIANOSUCHKEY0000000"}, {"Status", "Active"}},
       "NoSuchEntity"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.operation);
    EXPECT_EQ(CodeOf(Run(c.operation, c.input)), c.code);
  }
}

}  // namespace
}  // namespace fulcrum::services::iam
