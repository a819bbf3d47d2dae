// The IamStore conformance suite; each back end instantiates it in its own *_test.cc.

#include "storage/iam_store_conformance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "storage/store_errors.h"

namespace fulcrum::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

constexpr char kAcct[] = "111111111111";
constexpr char kOther[] = "222222222222";
constexpr char kMissingAccount[] = "999999999999";

PrincipalRef UserRef(std::string name, std::string account_id = kAcct) {
  return PrincipalRef{PrincipalKind::kUser, std::move(account_id), std::move(name)};
}
PrincipalRef GroupRef(std::string name, std::string account_id = kAcct) {
  return PrincipalRef{PrincipalKind::kGroup, std::move(account_id), std::move(name)};
}
PrincipalRef RoleRef(std::string name, std::string account_id = kAcct) {
  return PrincipalRef{PrincipalKind::kRole, std::move(account_id), std::move(name)};
}

template <class T, class Name>
std::vector<std::string> Names(const std::vector<T>& items, Name name) {
  std::vector<std::string> names;
  for (const T& item : items) names.push_back(name(item));
  return names;
}
std::vector<std::string> UserNames(const std::vector<User>& users) {
  return Names(users, [](const User& user) { return user.user_name; });
}
std::vector<std::string> GroupNames(const std::vector<Group>& groups) {
  return Names(groups, [](const Group& group) { return group.group_name; });
}
std::vector<std::string> RoleNames(const std::vector<Role>& roles) {
  return Names(roles, [](const Role& role) { return role.role_name; });
}
std::vector<std::string> PolicyArns(const std::vector<ManagedPolicy>& policies) {
  return Names(policies, [](const ManagedPolicy& policy) { return policy.arn; });
}

constexpr size_t kMany = 1000;

// ---- Users

TEST_P(IamStoreConformanceTest, KeepsEveryUserFieldAndFindsByNameIgnoringCaseAndById) {
  User user = TestUser(kAcct, "Mgmt-Org-Admin", "/admins/", TestTime(9));
  user.tags = {{"Team", "platform"}, {"CostCenter", "42"}, {"a", ""}};
  user.password_last_used = TestTime(100);  // Ignored: a new user never signed in.
  Create(user);
  user.password_last_used.reset();
  for (const char* name : {"Mgmt-Org-Admin", "mgmt-org-admin", "MGMT-ORG-ADMIN"}) {
    EXPECT_THAT(db_->GetUser(kAcct, name).value(), Optional(user)) << name;
  }
  EXPECT_THAT(db_->FindUserById(user.user_id).value(), Optional(user));
  EXPECT_EQ(db_->FindUserById(AsciiLower(user.user_id)).value(), std::nullopt);
  EXPECT_EQ(db_->GetUser(kOther, "Mgmt-Org-Admin").value(), std::nullopt);
  EXPECT_EQ(db_->GetUser(kAcct, "Mgmt-Org-Admi").value(), std::nullopt);
  EXPECT_EQ(db_->GetUser(kAcct, "").value(), std::nullopt);
}

TEST_P(IamStoreConformanceTest, UserNamesAreUniqueIgnoringCasePerAccount) {
  const User original = TestUser(kAcct, "alice");
  Create(original);
  User other_case = TestUser(kAcct, "ALICE");
  auto created = db_->CreateUser(other_case);
  EXPECT_EQ(ErrorCode(created), kEntityAlreadyExists);
  EXPECT_THAT(created.error().message, HasSubstr("User with name ALICE already exists."));
  EXPECT_EQ(db_->FindUserById(other_case.user_id).value(), std::nullopt);

  User same_id = TestUser(kAcct, "bob");
  same_id.user_id = original.user_id;
  EXPECT_EQ(ErrorCode(db_->CreateUser(same_id)), kDuplicateUniqueId);
  EXPECT_EQ(db_->GetUser(kAcct, "bob").value(), std::nullopt);

  EXPECT_EQ(ErrorCode(db_->CreateUser(TestUser(kMissingAccount, "alice"))), kNoSuchEntity);
  Create(TestUser(kOther, "Alice"));
  EXPECT_THAT(db_->GetUser(kAcct, "alice").value(), Optional(original));
}

TEST_P(IamStoreConformanceTest, ListsUsersByNameIgnoringCaseAcrossPages) {
  for (const char* name : {"delta", "Bravo", "alpha", "Charlie", "echo", "_under", "Zulu"}) {
    Create(TestUser(kAcct, name));
  }
  Create(TestUser(kOther, "aardvark"));
  const std::vector<std::string> expected = {"_under", "alpha", "Bravo", "Charlie",
                                             "delta",  "echo",  "Zulu"};
  for (size_t max_items : {1u, 2u, 3u, 7u, 100u}) {
    SCOPED_TRACE(max_items);
    std::vector<Page<User>> pages;
    auto users =
        AllPages<User>([&](const PageRequest& page) { return db_->ListUsers(kAcct, "", page); },
                       max_items, &pages);
    EXPECT_EQ(UserNames(users), expected);
    EXPECT_EQ(pages.size(), (expected.size() + max_items - 1) / max_items);
  }
  EXPECT_THAT(db_->ListUsers(kMissingAccount, "/", {}).value().items, IsEmpty());
  EXPECT_EQ(db_->ListUsers(kMissingAccount, "/", {}).value().next_marker, "");
}

TEST_P(IamStoreConformanceTest, ListsUsersUnderAPathPrefix) {
  Create(TestUser(kAcct, "root-level"));
  Create(TestUser(kAcct, "eng1", "/eng/"));
  Create(TestUser(kAcct, "eng2", "/eng/backend/"));
  Create(TestUser(kAcct, "engineer", "/engineering/"));
  Create(TestUser(kAcct, "ops", "/ops/"));
  const struct {
    std::string prefix;
    std::vector<std::string> expected;
  } cases[] = {
      {"", {"eng1", "eng2", "engineer", "ops", "root-level"}},
      {"/", {"eng1", "eng2", "engineer", "ops", "root-level"}},
      {"/eng/", {"eng1", "eng2"}},
      {"/eng", {"eng1", "eng2", "engineer"}},
      {"/eng/backend/", {"eng2"}},
      {"/ENG/", {}},
      {"/nothing/", {}},
  };
  for (const auto& c : cases) {
    auto users = AllPages<User>(
        [&](const PageRequest& page) { return db_->ListUsers(kAcct, c.prefix, page); }, 1);
    EXPECT_EQ(UserNames(users), c.expected) << c.prefix;
  }
}

TEST_P(IamStoreConformanceTest, ScanLimitBoundsEveryListCall) {
  ScopedTempDir other_dir;
  ASSERT_FALSE(other_dir.path().empty());
  auto small = GetParam().make(other_dir.path(), 3);
  ASSERT_NE(small, nullptr);
  ASSERT_TRUE(Succeeded(small->CreateAccount(TestAccount(kAcct, "a", "a@example.com"), {})));
  for (int i = 0; i < 10; ++i) {
    const std::string path = (i == 7 || i == 9) ? "/match/" : "/";
    ASSERT_TRUE(Succeeded(small->CreateUser(TestUser(kAcct, "u" + std::to_string(i), path))));
  }
  std::vector<Page<User>> pages;
  auto users = AllPages<User>(
      [&](const PageRequest& page) { return small->ListUsers(kAcct, "/match/", page); }, 5, &pages);
  EXPECT_THAT(UserNames(users), ElementsAre("u7", "u9"));
  // Three entries per call: u0-u2, u3-u5, u6-u8, u9.
  ASSERT_EQ(pages.size(), 4u);
  EXPECT_THAT(pages[0].items, IsEmpty());
  EXPECT_NE(pages[0].next_marker, "");
  EXPECT_THAT(pages[1].items, IsEmpty());
  EXPECT_THAT(UserNames(pages[2].items), ElementsAre("u7"));
  EXPECT_THAT(UserNames(pages[3].items), ElementsAre("u9"));
  EXPECT_EQ(pages[3].next_marker, "");
}

TEST_P(IamStoreConformanceTest, RefusesMarkersItDidNotIssue) {
  Create(TestUser(kAcct, "a"));
  Create(TestUser(kAcct, "b"));
  Create(TestGroup(kAcct, "g1"));
  Create(TestGroup(kAcct, "g2"));
  auto users = db_->ListUsers(kAcct, "", PageRequest{.marker = {}, .max_items = 1});
  ASSERT_TRUE(Succeeded(users));
  ASSERT_NE(users->next_marker, "");
  for (const std::string& marker :
       {std::string("garbage!"), std::string("Zm9v"), users->next_marker}) {
    EXPECT_EQ(ErrorCode(db_->ListGroups(kAcct, "", PageRequest{.marker = marker, .max_items = 1})),
              kInvalidInput)
        << marker;
  }
  EXPECT_EQ(ErrorCode(db_->ListUsers(kAcct, "", PageRequest{.marker = {}, .max_items = 0})),
            kInternalFailure);
}

TEST_P(IamStoreConformanceTest, UpdateUserRenamesAndMovesEverythingWithIt) {
  Create(TestUser(kAcct, "alice"));
  Create(TestUser(kAcct, "bob"));
  Create(TestGroup(kAcct, "admins"));
  Create(TestPolicy(kAcct, "p"));
  Create(TestMfaDevice(kAcct, "alice-phone"));
  const std::string policy_arn = TestPolicy(kAcct, "p").arn;
  const std::string serial = TestMfaDevice(kAcct, "alice-phone").serial_number;
  ASSERT_TRUE(
      Succeeded(db_->CreateUserAccessKey(TestKey("AKIAALICE00000000001", kAcct, "ALICE"), 2)));
  ASSERT_TRUE(Succeeded(db_->AddUserToGroup(kAcct, "admins", "alice", 10)));
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(UserRef("alice"), policy_arn, 10)));
  ASSERT_TRUE(Succeeded(db_->PutInlinePolicy(UserRef("alice"), "inline", TestDocument("iam:*"))));
  ASSERT_TRUE(Succeeded(db_->CreateLoginProfile(LoginProfile{.account_id = kAcct,
                                                             .user_name = "alice",
                                                             .password_hash = "h",
                                                             .created = TestTime(),
                                                             .password_reset_required = false})));
  ASSERT_TRUE(Succeeded(db_->EnableMfaDevice(kAcct, "alice", serial, TestTime(5), 7, 8)));

  // Another user's name, in any case, is taken; nothing changes.
  auto taken = db_->UpdateUser(kAcct, "alice", EntityRename{"BOB", "/", "arn:bob"});
  EXPECT_EQ(ErrorCode(taken), kEntityAlreadyExists);
  EXPECT_NE(db_->GetUser(kAcct, "alice").value(), std::nullopt);
  EXPECT_EQ(db_->ListAccessKeys(kAcct, "alice").value().size(), 1u);

  const EntityRename rename{"Alicia", "/staff/", "arn:aws:iam::111111111111:user/staff/Alicia"};
  ASSERT_TRUE(Succeeded(db_->UpdateUser(kAcct, "ALICE", rename)));
  EXPECT_EQ(db_->GetUser(kAcct, "alice").value(), std::nullopt);
  auto user = db_->GetUser(kAcct, "alicia").value();
  ASSERT_NE(user, std::nullopt);
  EXPECT_EQ(user->user_name, "Alicia");
  EXPECT_EQ(user->path, "/staff/");
  EXPECT_EQ(user->arn, rename.arn);
  EXPECT_EQ(user->user_id, TestUser(kAcct, "alice").user_id);

  EXPECT_THAT(db_->ListAccessKeys(kAcct, "alice").value(), IsEmpty());
  EXPECT_EQ(db_->ListAccessKeys(kAcct, "Alicia").value().size(), 1u);
  EXPECT_EQ(db_->FindAccessKey("AKIAALICE00000000001").value()->user_name, "Alicia");
  EXPECT_THAT(UserNames(db_->ListGroupMembers(kAcct, "admins", {}).value().items),
              ElementsAre("Alicia"));
  EXPECT_THAT(GroupNames(db_->ListGroupsForUser(kAcct, "alicia", {}).value().items),
              ElementsAre("admins"));
  EXPECT_THAT(PolicyArns(db_->ListAttachedPolicies(UserRef("alicia"), "", {}).value().items),
              ElementsAre(policy_arn));
  auto entities = db_->ListEntitiesForPolicy(kAcct, policy_arn, std::nullopt, "", {}).value();
  ASSERT_EQ(entities.items.size(), 1u);
  EXPECT_EQ(entities.items[0].name, "Alicia");
  EXPECT_THAT(db_->GetInlinePolicy(UserRef("alicia"), "inline").value(),
              Optional(TestDocument("iam:*")));
  EXPECT_EQ(db_->GetLoginProfile(kAcct, "alicia").value()->user_name, "Alicia");
  EXPECT_EQ(db_->GetVirtualMfaDevice(kAcct, serial).value()->user_name, "Alicia");

  // A user may change the case of its own name.
  ASSERT_TRUE(Succeeded(db_->UpdateUser(kAcct, "alicia", EntityRename{"ALICIA", "/", "arn:x"})));
  EXPECT_EQ(db_->GetUser(kAcct, "alicia").value()->user_name, "ALICIA");
  EXPECT_EQ(ErrorCode(db_->UpdateUser(kAcct, "nobody", rename)), kNoSuchEntity);
}

TEST_P(IamStoreConformanceTest, DeleteUserIsRefusedWhileAnythingRefersToIt) {
  Create(TestUser(kAcct, "alice"));
  Create(TestGroup(kAcct, "admins"));
  Create(TestPolicy(kAcct, "p"));
  Create(TestMfaDevice(kAcct, "phone"));
  const std::string policy_arn = TestPolicy(kAcct, "p").arn;
  const std::string serial = TestMfaDevice(kAcct, "phone").serial_number;
  const struct {
    const char* label;
    std::function<Result<void>()> add;
    std::function<Result<void>()> remove;
    const char* message;
  } dependents[] = {
      {"login profile",
       [&] {
         return db_->CreateLoginProfile(LoginProfile{.account_id = kAcct,
                                                     .user_name = "alice",
                                                     .password_hash = "h",
                                                     .created = TestTime(),
                                                     .password_reset_required = false});
       },
       [&] { return db_->DeleteLoginProfile(kAcct, "alice"); }, "must delete login profile first"},
      {"access key",
       [&] { return db_->CreateUserAccessKey(TestKey("AKIADELETEME00000001", kAcct, "alice"), 2); },
       [&] { return db_->DeleteAccessKey("AKIADELETEME00000001"); },
       "must delete access keys first"},
      {"mfa device", [&] { return db_->EnableMfaDevice(kAcct, "alice", serial, TestTime(), 1, 8); },
       [&] { return db_->DeactivateMfaDevice(kAcct, "alice", serial); },
       "must delete MFA device first"},
      {"group", [&] { return db_->AddUserToGroup(kAcct, "admins", "alice", 10); },
       [&] { return db_->RemoveUserFromGroup(kAcct, "admins", "alice"); },
       "must remove user from all groups first"},
      {"attached policy", [&] { return db_->AttachPolicy(UserRef("alice"), policy_arn, 10); },
       [&] { return db_->DetachPolicy(UserRef("alice"), policy_arn); },
       "must detach all policies first"},
      {"inline policy", [&] { return db_->PutInlinePolicy(UserRef("alice"), "x", "{}"); },
       [&] { return db_->DeleteInlinePolicy(UserRef("alice"), "x"); },
       "must delete policies first"},
  };
  for (const auto& dependent : dependents) {
    SCOPED_TRACE(dependent.label);
    ASSERT_TRUE(Succeeded(dependent.add()));
    auto deleted = db_->DeleteUser(kAcct, "alice");
    EXPECT_EQ(ErrorCode(deleted), kDeleteConflict);
    EXPECT_THAT(deleted.error().message, HasSubstr(dependent.message));
    EXPECT_NE(db_->GetUser(kAcct, "alice").value(), std::nullopt);
    ASSERT_TRUE(Succeeded(dependent.remove()));
  }
  ASSERT_TRUE(Succeeded(db_->DeleteUser(kAcct, "ALICE")));
  EXPECT_EQ(db_->GetUser(kAcct, "alice").value(), std::nullopt);
  EXPECT_EQ(db_->FindUserById(TestUser(kAcct, "alice").user_id).value(), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->DeleteUser(kAcct, "alice")), kNoSuchEntity);
  // The name is free again.
  Create(TestUser(kAcct, "alice"));
}

TEST_P(IamStoreConformanceTest, DeleteUserReportsDependentsInOrder) {
  Create(TestUser(kAcct, "alice"));
  ASSERT_TRUE(Succeeded(db_->PutInlinePolicy(UserRef("alice"), "x", "{}")));
  ASSERT_TRUE(
      Succeeded(db_->CreateUserAccessKey(TestKey("AKIAORDER00000000001", kAcct, "alice"), 2)));
  ASSERT_TRUE(Succeeded(db_->CreateLoginProfile(LoginProfile{.account_id = kAcct,
                                                             .user_name = "alice",
                                                             .password_hash = "h",
                                                             .created = TestTime(),
                                                             .password_reset_required = true})));
  EXPECT_THAT(db_->DeleteUser(kAcct, "alice").error().message,
              HasSubstr("must delete login profile first"));
  ASSERT_TRUE(Succeeded(db_->DeleteLoginProfile(kAcct, "alice")));
  EXPECT_THAT(db_->DeleteUser(kAcct, "alice").error().message,
              HasSubstr("must delete access keys first"));
}

TEST_P(IamStoreConformanceTest, RecordsPasswordUse) {
  Create(TestUser(kAcct, "alice"));
  ASSERT_TRUE(Succeeded(db_->RecordPasswordUse(kAcct, "Alice", TestTime(50))));
  EXPECT_THAT(db_->GetUser(kAcct, "alice").value()->password_last_used, Optional(TestTime(50)));
  EXPECT_EQ(ErrorCode(db_->RecordPasswordUse(kAcct, "bob", TestTime(50))), kNoSuchEntity);
}

// ---- Groups

TEST_P(IamStoreConformanceTest, CreatesFindsListsAndRenamesGroups) {
  const Group admins = TestGroup(kAcct, "Admins", "/org/");
  Create(admins);
  Create(TestGroup(kAcct, "billing"));
  Create(TestGroup(kOther, "other"));
  EXPECT_THAT(db_->GetGroup(kAcct, "ADMINS").value(), Optional(admins));
  EXPECT_THAT(db_->FindGroupById(admins.group_id).value(), Optional(admins));
  EXPECT_EQ(db_->GetGroup(kOther, "admins").value(), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->CreateGroup(TestGroup(kAcct, "admins"))), kEntityAlreadyExists);
  Group same_id = TestGroup(kAcct, "x");
  same_id.group_id = admins.group_id;
  EXPECT_EQ(ErrorCode(db_->CreateGroup(same_id)), kDuplicateUniqueId);
  EXPECT_EQ(ErrorCode(db_->CreateGroup(TestGroup(kMissingAccount, "x"))), kNoSuchEntity);

  auto all =
      AllPages<Group>([&](const PageRequest& page) { return db_->ListGroups(kAcct, "", page); }, 1);
  EXPECT_THAT(GroupNames(all), ElementsAre("Admins", "billing"));
  EXPECT_THAT(GroupNames(db_->ListGroups(kAcct, "/org/", {}).value().items), ElementsAre("Admins"));

  EXPECT_EQ(ErrorCode(db_->UpdateGroup(kAcct, "admins", EntityRename{"Billing", "/", "arn"})),
            kEntityAlreadyExists);
  ASSERT_TRUE(Succeeded(db_->UpdateGroup(kAcct, "admins", EntityRename{"ops", "/", "arn:ops"})));
  EXPECT_EQ(db_->GetGroup(kAcct, "admins").value(), std::nullopt);
  auto ops = db_->GetGroup(kAcct, "ops").value();
  ASSERT_NE(ops, std::nullopt);
  EXPECT_EQ(ops->group_id, admins.group_id);
  EXPECT_EQ(ops->arn, "arn:ops");
  EXPECT_EQ(ErrorCode(db_->UpdateGroup(kAcct, "nobody", EntityRename{"x", "/", "x"})),
            kNoSuchEntity);
}

TEST_P(IamStoreConformanceTest, ManagesGroupMembership) {
  Create(TestGroup(kAcct, "admins"));
  Create(TestGroup(kAcct, "Billing"));
  Create(TestGroup(kAcct, "ops"));
  for (const char* name : {"carol", "Alice", "bob", "dave"}) Create(TestUser(kAcct, name));
  for (const char* name : {"carol", "alice", "BOB"}) {
    ASSERT_TRUE(Succeeded(db_->AddUserToGroup(kAcct, "admins", name, 2)));
  }
  // Adding a member again changes nothing, even at the limit.
  ASSERT_TRUE(Succeeded(db_->AddUserToGroup(kAcct, "ADMINS", "alice", 1)));
  ASSERT_TRUE(Succeeded(db_->AddUserToGroup(kAcct, "billing", "alice", 2)));
  auto limited = db_->AddUserToGroup(kAcct, "ops", "alice", 2);
  EXPECT_EQ(ErrorCode(limited), kLimitExceeded);
  EXPECT_THAT(limited.error().message, HasSubstr("GroupsPerUser: 2"));
  EXPECT_EQ(ErrorCode(db_->AddUserToGroup(kAcct, "nogroup", "alice", 10)), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->AddUserToGroup(kAcct, "ops", "nouser", 10)), kNoSuchEntity);

  auto members = AllPages<User>(
      [&](const PageRequest& page) { return db_->ListGroupMembers(kAcct, "admins", page); }, 2);
  EXPECT_THAT(UserNames(members), ElementsAre("Alice", "bob", "carol"));
  EXPECT_EQ(members[0], db_->GetUser(kAcct, "alice").value());
  auto groups = AllPages<Group>(
      [&](const PageRequest& page) { return db_->ListGroupsForUser(kAcct, "ALICE", page); }, 1);
  EXPECT_THAT(GroupNames(groups), ElementsAre("admins", "Billing"));
  EXPECT_THAT(db_->ListGroupsForUser(kAcct, "dave", {}).value().items, IsEmpty());
  EXPECT_EQ(ErrorCode(db_->ListGroupMembers(kAcct, "nogroup", {})), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->ListGroupsForUser(kAcct, "nouser", {})), kNoSuchEntity);

  ASSERT_TRUE(Succeeded(db_->RemoveUserFromGroup(kAcct, "admins", "Bob")));
  EXPECT_EQ(ErrorCode(db_->RemoveUserFromGroup(kAcct, "admins", "bob")), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->RemoveUserFromGroup(kAcct, "admins", "dave")), kNoSuchEntity);
  EXPECT_THAT(UserNames(db_->ListGroupMembers(kAcct, "admins", {}).value().items),
              ElementsAre("Alice", "carol"));
}

TEST_P(IamStoreConformanceTest, DeleteGroupIsRefusedWhileItHasMembersOrPolicies) {
  Create(TestGroup(kAcct, "admins"));
  Create(TestUser(kAcct, "alice"));
  Create(TestPolicy(kAcct, "p"));
  const std::string arn = TestPolicy(kAcct, "p").arn;
  ASSERT_TRUE(Succeeded(db_->AddUserToGroup(kAcct, "admins", "alice", 10)));
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(GroupRef("admins"), arn, 10)));
  ASSERT_TRUE(Succeeded(db_->PutInlinePolicy(GroupRef("admins"), "x", "{}")));
  EXPECT_THAT(db_->DeleteGroup(kAcct, "admins").error().message,
              HasSubstr("must remove users from group first"));
  ASSERT_TRUE(Succeeded(db_->RemoveUserFromGroup(kAcct, "admins", "alice")));
  EXPECT_THAT(db_->DeleteGroup(kAcct, "admins").error().message,
              HasSubstr("must detach all policies first"));
  ASSERT_TRUE(Succeeded(db_->DetachPolicy(GroupRef("admins"), arn)));
  auto refused = db_->DeleteGroup(kAcct, "admins");
  EXPECT_EQ(ErrorCode(refused), kDeleteConflict);
  EXPECT_THAT(refused.error().message, HasSubstr("must delete policies first"));
  ASSERT_TRUE(Succeeded(db_->DeleteInlinePolicy(GroupRef("admins"), "x")));
  ASSERT_TRUE(Succeeded(db_->DeleteGroup(kAcct, "Admins")));
  EXPECT_EQ(db_->GetGroup(kAcct, "admins").value(), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->DeleteGroup(kAcct, "admins")), kNoSuchEntity);
}

// ---- Roles

TEST_P(IamStoreConformanceTest, CreatesUpdatesAndListsRoles) {
  Role role = TestRole(kAcct, "OrganizationAccountAccessRole", "/service/");
  role.tags = {{"k", "v"}};
  role.max_session_duration = 43200;
  role.last_used = RoleLastUsed{TestTime(), "us-east-1"};  // Ignored: never used yet.
  Create(role);
  role.last_used.reset();
  EXPECT_THAT(db_->GetRole(kAcct, "organizationaccountaccessrole").value(), Optional(role));
  EXPECT_THAT(db_->FindRoleById(role.role_id).value(), Optional(role));
  EXPECT_EQ(ErrorCode(db_->CreateRole(TestRole(kAcct, "ORGANIZATIONACCOUNTACCESSROLE"))),
            kEntityAlreadyExists);
  Role same_id = TestRole(kAcct, "x");
  same_id.role_id = role.role_id;
  EXPECT_EQ(ErrorCode(db_->CreateRole(same_id)), kDuplicateUniqueId);

  ASSERT_TRUE(Succeeded(db_->UpdateRole(kAcct, role.role_name,
                                        RoleUpdate{.description = "new",
                                                   .max_session_duration = std::nullopt,
                                                   .assume_role_policy_document = std::nullopt})));
  role.description = "new";
  EXPECT_THAT(db_->GetRole(kAcct, role.role_name).value(), Optional(role));
  ASSERT_TRUE(
      Succeeded(db_->UpdateRole(kAcct, role.role_name,
                                RoleUpdate{.description = std::nullopt,
                                           .max_session_duration = 7200,
                                           .assume_role_policy_document = "{\"trust\":2}"})));
  role.max_session_duration = 7200;
  role.assume_role_policy_document = "{\"trust\":2}";
  EXPECT_THAT(db_->GetRole(kAcct, role.role_name).value(), Optional(role));
  EXPECT_EQ(ErrorCode(db_->UpdateRole(kAcct, "nobody", RoleUpdate{})), kNoSuchEntity);

  ASSERT_TRUE(
      Succeeded(db_->RecordRoleUse(kAcct, role.role_name, RoleLastUsed{TestTime(9), "eu-west-1"})));
  EXPECT_THAT(db_->GetRole(kAcct, role.role_name).value()->last_used,
              Optional(RoleLastUsed{TestTime(9), "eu-west-1"}));
  EXPECT_EQ(ErrorCode(db_->RecordRoleUse(kAcct, "nobody", RoleLastUsed{})), kNoSuchEntity);

  Create(TestRole(kAcct, "admin"));
  Create(TestRole(kOther, "admin2"));
  auto roles =
      AllPages<Role>([&](const PageRequest& page) { return db_->ListRoles(kAcct, "", page); }, 1);
  EXPECT_THAT(RoleNames(roles), ElementsAre("admin", "OrganizationAccountAccessRole"));
  EXPECT_THAT(RoleNames(db_->ListRoles(kAcct, "/service/", {}).value().items),
              ElementsAre("OrganizationAccountAccessRole"));
}

TEST_P(IamStoreConformanceTest, DeleteRoleIsRefusedWhileItHasPolicies) {
  Create(TestRole(kAcct, "r"));
  Create(TestPolicy("", "AdministratorAccess"));
  const std::string arn = TestPolicy("", "AdministratorAccess").arn;
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(RoleRef("r"), arn, 10)));
  ASSERT_TRUE(Succeeded(db_->PutInlinePolicy(RoleRef("r"), "x", "{}")));
  EXPECT_THAT(db_->DeleteRole(kAcct, "r").error().message,
              HasSubstr("must detach all policies first"));
  ASSERT_TRUE(Succeeded(db_->DetachPolicy(RoleRef("r"), arn)));
  EXPECT_THAT(db_->DeleteRole(kAcct, "r").error().message, HasSubstr("must delete policies first"));
  ASSERT_TRUE(Succeeded(db_->DeleteInlinePolicy(RoleRef("r"), "x")));
  ASSERT_TRUE(Succeeded(db_->DeleteRole(kAcct, "R")));
  EXPECT_EQ(db_->GetRole(kAcct, "r").value(), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->DeleteRole(kAcct, "r")), kNoSuchEntity);
}

// ---- Permissions boundaries

TEST_P(IamStoreConformanceTest, KeepsPermissionsBoundaryUsageCounts) {
  Create(TestPolicy("", "PowerUserAccess"));
  Create(TestPolicy(kAcct, "Boundary"));
  Create(TestPolicy(kOther, "Foreign"));
  const std::string aws = TestPolicy("", "PowerUserAccess").arn;
  const std::string local = TestPolicy(kAcct, "Boundary").arn;
  const std::string foreign = TestPolicy(kOther, "Foreign").arn;

  User bounded = TestUser(kAcct, "bounded");
  bounded.permissions_boundary_arn = aws;
  Create(bounded);
  Role role = TestRole(kAcct, "r");
  role.permissions_boundary_arn = local;
  Create(role);
  EXPECT_EQ(Policy(kAcct, aws)->permissions_boundary_usage_count, 1);
  EXPECT_EQ(Policy(kOther, aws)->permissions_boundary_usage_count, 0);
  EXPECT_EQ(Policy(kAcct, local)->permissions_boundary_usage_count, 1);

  // A boundary must be visible to the account; a failed create stores nothing.
  User bad = TestUser(kAcct, "bad");
  bad.permissions_boundary_arn = foreign;
  EXPECT_EQ(ErrorCode(db_->CreateUser(bad)), kNoSuchEntity);
  EXPECT_EQ(db_->GetUser(kAcct, "bad").value(), std::nullopt);
  EXPECT_EQ(Policy(kOther, foreign)->permissions_boundary_usage_count, 0);

  ASSERT_TRUE(Succeeded(db_->SetPermissionsBoundary(UserRef("BOUNDED"), local)));
  EXPECT_EQ(db_->GetUser(kAcct, "bounded").value()->permissions_boundary_arn, local);
  EXPECT_EQ(Policy(kAcct, aws)->permissions_boundary_usage_count, 0);
  EXPECT_EQ(Policy(kAcct, local)->permissions_boundary_usage_count, 2);
  ASSERT_TRUE(Succeeded(db_->SetPermissionsBoundary(UserRef("bounded"), local)));
  EXPECT_EQ(Policy(kAcct, local)->permissions_boundary_usage_count, 2);

  EXPECT_EQ(ErrorCode(db_->SetPermissionsBoundary(RoleRef("r"), foreign)), kNoSuchEntity);
  EXPECT_EQ(db_->GetRole(kAcct, "r").value()->permissions_boundary_arn, local);
  EXPECT_EQ(ErrorCode(db_->SetPermissionsBoundary(RoleRef("nobody"), local)), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->SetPermissionsBoundary(GroupRef("g"), local)), kInternalFailure);

  auto refused = db_->DeletePolicy(kAcct, local);
  EXPECT_EQ(ErrorCode(refused), kDeleteConflict);
  EXPECT_THAT(refused.error().message, HasSubstr("permissions boundary"));

  ASSERT_TRUE(Succeeded(db_->SetPermissionsBoundary(RoleRef("r"), "")));
  EXPECT_EQ(db_->GetRole(kAcct, "r").value()->permissions_boundary_arn, "");
  EXPECT_EQ(Policy(kAcct, local)->permissions_boundary_usage_count, 1);
  ASSERT_TRUE(Succeeded(db_->DeleteUser(kAcct, "bounded")));
  EXPECT_EQ(Policy(kAcct, local)->permissions_boundary_usage_count, 0);
  ASSERT_TRUE(Succeeded(db_->DeletePolicy(kAcct, local)));
}

// ---- Tags

TEST_P(IamStoreConformanceTest, TagsMergeInOrderWithTheKindsCaseRules) {
  Create(TestUser(kAcct, "alice"));
  Create(TestPolicy(kAcct, "p"));
  Create(TestMfaDevice(kAcct, "phone"));
  const TagTarget user{TaggedKind::kUser, kAcct, "ALICE"};
  ASSERT_TRUE(Succeeded(db_->TagResource(user, {{"Dept", "eng"}, {"Env", "dev"}}, 3)));
  ASSERT_TRUE(Succeeded(db_->TagResource(user, {{"dept", "ops"}, {"Owner", "me"}}, 3)));
  EXPECT_EQ(db_->GetUser(kAcct, "alice").value()->tags,
            (Tags{{"dept", "ops"}, {"Env", "dev"}, {"Owner", "me"}}));
  auto limited = db_->TagResource(user, {{"Extra", "x"}}, 3);
  EXPECT_EQ(ErrorCode(limited), kLimitExceeded);
  EXPECT_EQ(db_->GetUser(kAcct, "alice").value()->tags.size(), 3u);
  ASSERT_TRUE(Succeeded(db_->UntagResource(user, {"ENV", "absent"})));
  EXPECT_EQ(db_->GetUser(kAcct, "alice").value()->tags, (Tags{{"dept", "ops"}, {"Owner", "me"}}));

  const std::string arn = TestPolicy(kAcct, "p").arn;
  const TagTarget policy{TaggedKind::kPolicy, kAcct, arn};
  ASSERT_TRUE(Succeeded(db_->TagResource(policy, {{"Dept", "eng"}, {"dept", "ops"}}, 50)));
  EXPECT_EQ(Policy(kAcct, arn)->tags, (Tags{{"Dept", "eng"}, {"dept", "ops"}}));
  ASSERT_TRUE(Succeeded(db_->UntagResource(policy, {"DEPT", "dept"})));
  EXPECT_EQ(Policy(kAcct, arn)->tags, (Tags{{"Dept", "eng"}}));

  const std::string serial = TestMfaDevice(kAcct, "phone").serial_number;
  const TagTarget device{TaggedKind::kVirtualMfaDevice, kAcct, serial};
  ASSERT_TRUE(Succeeded(db_->TagResource(device, {{"a", "1"}}, 50)));
  EXPECT_EQ(db_->GetVirtualMfaDevice(kAcct, serial).value()->tags, (Tags{{"a", "1"}}));

  Create(TestRole(kAcct, "r"));
  ASSERT_TRUE(Succeeded(
      db_->TagResource(TagTarget{TaggedKind::kRole, kAcct, "r"}, {{"A", "1"}, {"a", "2"}}, 50)));
  EXPECT_EQ(db_->GetRole(kAcct, "r").value()->tags, (Tags{{"a", "2"}}));

  for (const TagTarget& missing :
       {TagTarget{TaggedKind::kUser, kOther, "alice"}, TagTarget{TaggedKind::kRole, kAcct, "x"},
        TagTarget{TaggedKind::kPolicy, kOther, arn},
        TagTarget{TaggedKind::kVirtualMfaDevice, kOther, serial}}) {
    EXPECT_EQ(ErrorCode(db_->TagResource(missing, {{"k", "v"}}, 50)), kNoSuchEntity)
        << missing.name;
    EXPECT_EQ(ErrorCode(db_->UntagResource(missing, {"k"})), kNoSuchEntity) << missing.name;
  }
}

// ---- Managed policies and versions

TEST_P(IamStoreConformanceTest, CreatesPoliciesWithAFirstDefaultVersion) {
  ManagedPolicy policy = TestPolicy(kAcct, "ReadOnly", "/team/");
  policy.tags = {{"k", "v"}};
  policy.updated = TestTime(99);
  policy.default_version_id = "v7";
  policy.attachment_count = 5;
  Create(policy, TestDocument("s3:Get*"));
  ManagedPolicy expected = policy;
  expected.updated = policy.created;
  expected.default_version_id = "v1";
  expected.attachment_count = 0;
  EXPECT_THAT(Policy(kAcct, policy.arn), Optional(expected));
  EXPECT_EQ(Policy(kOther, policy.arn), std::nullopt);
  EXPECT_THAT(
      db_->GetPolicyVersion(kAcct, policy.arn, "v1").value(),
      Optional(PolicyVersion{policy.arn, "v1", TestDocument("s3:Get*"), true, policy.created}));

  // Names are unique per owner ignoring case; AWS managed and each account are separate owners.
  EXPECT_EQ(ErrorCode(db_->CreatePolicy(TestPolicy(kAcct, "READONLY", "/other/"), "{}")),
            kEntityAlreadyExists);
  ManagedPolicy same_id = TestPolicy(kAcct, "Another");
  same_id.policy_id = policy.policy_id;
  EXPECT_EQ(ErrorCode(db_->CreatePolicy(same_id, "{}")), kDuplicateUniqueId);
  EXPECT_EQ(ErrorCode(db_->CreatePolicy(TestPolicy(kMissingAccount, "x"), "{}")), kNoSuchEntity);
  Create(TestPolicy(kOther, "ReadOnly"));
  Create(TestPolicy("", "ReadOnly"));
  EXPECT_EQ(Policy(kAcct, "arn:aws:iam::aws:policy/ReadOnly")->account_id, "");
  EXPECT_NE(Policy(kOther, "arn:aws:iam::aws:policy/ReadOnly"), std::nullopt);
}

TEST_P(IamStoreConformanceTest, ListsPoliciesByScopePathAndUse) {
  for (const char* name : {"AdministratorAccess", "ReadOnlyAccess", "billing"}) {
    Create(TestPolicy("", name, "/"));
  }
  Create(TestPolicy("", "ServiceRole", "/service-role/"));
  Create(TestPolicy(kAcct, "administratoraccess", "/mine/"));
  Create(TestPolicy(kAcct, "Zeta", "/"));
  Create(TestPolicy(kOther, "Alpha", "/"));
  const std::string aws = "arn:aws:iam::aws:policy/";
  const std::string local = "arn:aws:iam::111111111111:policy/";
  Create(TestUser(kAcct, "u"));
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(UserRef("u"), aws + "billing", 10)));
  ASSERT_TRUE(Succeeded(db_->SetPermissionsBoundary(UserRef("u"), local + "Zeta")));

  const struct {
    const char* label;
    PolicyFilter filter;
    std::vector<std::string> expected;
  } cases[] = {
      {"all",
       {PolicyScope::kAll, PolicyUse::kAny, ""},
       {aws + "AdministratorAccess", local + "mine/administratoraccess", aws + "billing",
        aws + "ReadOnlyAccess", aws + "service-role/ServiceRole", local + "Zeta"}},
      {"aws",
       {PolicyScope::kAws, PolicyUse::kAny, ""},
       {aws + "AdministratorAccess", aws + "billing", aws + "ReadOnlyAccess",
        aws + "service-role/ServiceRole"}},
      {"local",
       {PolicyScope::kLocal, PolicyUse::kAny, ""},
       {local + "mine/administratoraccess", local + "Zeta"}},
      {"path",
       {PolicyScope::kAll, PolicyUse::kAny, "/service-role/"},
       {aws + "service-role/ServiceRole"}},
      {"attached", {PolicyScope::kAll, PolicyUse::kAttached, ""}, {aws + "billing"}},
      {"boundary", {PolicyScope::kAll, PolicyUse::kBoundary, ""}, {local + "Zeta"}},
      {"local attached", {PolicyScope::kLocal, PolicyUse::kAttached, ""}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    for (size_t max_items : {1u, 2u, 100u}) {
      auto policies = AllPages<ManagedPolicy>(
          [&](const PageRequest& page) { return db_->ListPolicies(kAcct, c.filter, page); },
          max_items);
      EXPECT_EQ(PolicyArns(policies), c.expected) << max_items;
    }
  }
  auto attached = db_->ListPolicies(kAcct, {PolicyScope::kAll, PolicyUse::kAttached, ""}, {});
  ASSERT_EQ(attached.value().items.size(), 1u);
  EXPECT_EQ(attached.value().items[0].attachment_count, 1);
  // Another account sees its own policies and counts.
  auto other = AllPages<ManagedPolicy>(
      [&](const PageRequest& page) {
        return db_->ListPolicies(kOther, {PolicyScope::kLocal, PolicyUse::kAny, ""}, page);
      },
      10);
  EXPECT_THAT(PolicyArns(other), ElementsAre("arn:aws:iam::222222222222:policy/Alpha"));
  EXPECT_THAT(
      db_->ListPolicies(kOther, {PolicyScope::kAll, PolicyUse::kAttached, ""}, {}).value().items,
      IsEmpty());
}

TEST_P(IamStoreConformanceTest, ManagesPolicyVersions) {
  const ManagedPolicy policy = TestPolicy(kAcct, "p");
  Create(policy, "doc1");
  const std::string& arn = policy.arn;
  auto v2 = db_->CreatePolicyVersion(kAcct, arn, "doc2", false, TestTime(10), 5);
  ASSERT_TRUE(Succeeded(v2));
  EXPECT_EQ(*v2, (PolicyVersion{arn, "v2", "doc2", false, TestTime(10)}));
  EXPECT_EQ(Policy(kAcct, arn)->default_version_id, "v1");
  EXPECT_EQ(Policy(kAcct, arn)->updated, TestTime(10));
  auto v3 = db_->CreatePolicyVersion(kAcct, arn, "doc3", true, TestTime(11), 5);
  ASSERT_TRUE(Succeeded(v3));
  EXPECT_EQ(*v3, (PolicyVersion{arn, "v3", "doc3", true, TestTime(11)}));
  EXPECT_EQ(Policy(kAcct, arn)->default_version_id, "v3");
  EXPECT_EQ(db_->GetPolicyVersion(kAcct, arn, "v1").value()->is_default, false);

  // At the limit nothing is stored, and no version id is used up.
  auto limited = db_->CreatePolicyVersion(kAcct, arn, "doc4", true, TestTime(12), 3);
  EXPECT_EQ(ErrorCode(limited), kLimitExceeded);
  EXPECT_THAT(limited.error().message, HasSubstr("PolicyVersionsPerPolicy: 3"));
  EXPECT_EQ(Policy(kAcct, arn)->default_version_id, "v3");
  EXPECT_EQ(Policy(kAcct, arn)->updated, TestTime(11));

  auto versions = AllPages<PolicyVersion>(
      [&](const PageRequest& page) { return db_->ListPolicyVersions(kAcct, arn, page); }, 2);
  EXPECT_THAT(Names(versions, [](const PolicyVersion& v) { return v.version_id; }),
              ElementsAre("v3", "v2", "v1"));
  EXPECT_EQ(versions[0].document, "doc3");
  EXPECT_TRUE(versions[0].is_default);

  auto conflict = db_->DeletePolicyVersion(kAcct, arn, "v3");
  EXPECT_EQ(ErrorCode(conflict), kDeleteConflict);
  ASSERT_TRUE(Succeeded(db_->SetDefaultPolicyVersion(kAcct, arn, "v1")));
  ASSERT_TRUE(Succeeded(db_->SetDefaultPolicyVersion(kAcct, arn, "v1")));
  EXPECT_EQ(Policy(kAcct, arn)->default_version_id, "v1");
  ASSERT_TRUE(Succeeded(db_->DeletePolicyVersion(kAcct, arn, "v3")));
  EXPECT_EQ(db_->GetPolicyVersion(kAcct, arn, "v3").value(), std::nullopt);
  // Version ids are never reused.
  auto v4 = db_->CreatePolicyVersion(kAcct, arn, "doc4", false, TestTime(13), 5);
  ASSERT_TRUE(Succeeded(v4));
  EXPECT_EQ(v4->version_id, "v4");

  for (const char* bad : {"v9", "v0", "v01", "1", "V1", "", "v-1", "vx"}) {
    EXPECT_EQ(db_->GetPolicyVersion(kAcct, arn, bad).value(), std::nullopt) << bad;
    EXPECT_EQ(ErrorCode(db_->SetDefaultPolicyVersion(kAcct, arn, bad)), kNoSuchEntity) << bad;
    EXPECT_EQ(ErrorCode(db_->DeletePolicyVersion(kAcct, arn, bad)), kNoSuchEntity) << bad;
  }
  const std::string missing = "arn:aws:iam::111111111111:policy/missing";
  EXPECT_EQ(ErrorCode(db_->GetPolicyVersion(kAcct, missing, "v1")), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->ListPolicyVersions(kAcct, missing, {})), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->CreatePolicyVersion(kAcct, missing, "d", true, TestTime(), 5)),
            kNoSuchEntity);
  // Another account can neither see nor change the policy.
  EXPECT_EQ(ErrorCode(db_->GetPolicyVersion(kOther, arn, "v1")), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->CreatePolicyVersion(kOther, arn, "d", true, TestTime(), 5)),
            kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->SetDefaultPolicyVersion(kOther, arn, "v2")), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->DeletePolicy(kOther, arn)), kNoSuchEntity);
}

TEST_P(IamStoreConformanceTest, AwsManagedPoliciesChangeOnlyAsAws) {
  const ManagedPolicy aws = TestPolicy("", "AdministratorAccess");
  Create(aws);
  EXPECT_THAT(db_->GetPolicyVersion(kAcct, aws.arn, "v1").value(), Optional(::testing::_));
  EXPECT_EQ(ErrorCode(db_->CreatePolicyVersion(kAcct, aws.arn, "d", true, TestTime(), 5)),
            kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->DeletePolicy(kAcct, aws.arn)), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->TagResource(TagTarget{TaggedKind::kPolicy, kAcct, aws.arn}, {}, 50)),
            kNoSuchEntity);
  ASSERT_TRUE(Succeeded(db_->CreatePolicyVersion("", aws.arn, "d", true, TestTime(), 5)));
  EXPECT_EQ(Policy(kAcct, aws.arn)->default_version_id, "v2");
}

TEST_P(IamStoreConformanceTest, DeletePolicyIsRefusedWhileAttachedOrVersioned) {
  const ManagedPolicy policy = TestPolicy(kAcct, "p");
  Create(policy);
  Create(TestUser(kAcct, "u"));
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(UserRef("u"), policy.arn, 10)));
  ASSERT_TRUE(Succeeded(db_->CreatePolicyVersion(kAcct, policy.arn, "d2", true, TestTime(), 5)));
  auto attached = db_->DeletePolicy(kAcct, policy.arn);
  EXPECT_EQ(ErrorCode(attached), kDeleteConflict);
  EXPECT_THAT(attached.error().message, HasSubstr("attached to entities"));
  ASSERT_TRUE(Succeeded(db_->DetachPolicy(UserRef("u"), policy.arn)));
  auto versioned = db_->DeletePolicy(kAcct, policy.arn);
  EXPECT_EQ(ErrorCode(versioned), kDeleteConflict);
  EXPECT_THAT(versioned.error().message, HasSubstr("more than one version"));
  ASSERT_TRUE(Succeeded(db_->DeletePolicyVersion(kAcct, policy.arn, "v1")));
  ASSERT_TRUE(Succeeded(db_->DeletePolicy(kAcct, policy.arn)));
  EXPECT_EQ(Policy(kAcct, policy.arn), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->DeletePolicy(kAcct, policy.arn)), kNoSuchEntity);
  // Name and id are free again, with fresh versions and counts.
  Create(policy, "again");
  EXPECT_EQ(Policy(kAcct, policy.arn)->default_version_id, "v1");
  EXPECT_EQ(Policy(kAcct, policy.arn)->attachment_count, 0);
  EXPECT_EQ(db_->GetPolicyVersion(kAcct, policy.arn, "v1").value()->document, "again");
}

// ---- Attachments

TEST_P(IamStoreConformanceTest, AttachmentsKeepCountsPerAccount) {
  const ManagedPolicy aws = TestPolicy("", "AdministratorAccess");
  const ManagedPolicy local = TestPolicy(kAcct, "Local");
  const ManagedPolicy foreign = TestPolicy(kOther, "Foreign");
  Create(aws);
  Create(local);
  Create(foreign);
  ManagedPolicy fixed = TestPolicy("", "ServiceLinked");
  fixed.is_attachable = false;
  Create(fixed);
  Create(TestUser(kAcct, "u"));
  Create(TestGroup(kAcct, "g"));
  Create(TestRole(kAcct, "r"));
  Create(TestUser(kOther, "u"));

  for (const PrincipalRef& principal : {UserRef("u"), GroupRef("G"), RoleRef("r")}) {
    ASSERT_TRUE(Succeeded(db_->AttachPolicy(principal, aws.arn, 10)));
  }
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(UserRef("U"), aws.arn, 10)));  // Again: no change.
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(UserRef("u", kOther), aws.arn, 10)));
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(UserRef("u"), local.arn, 10)));
  EXPECT_EQ(Policy(kAcct, aws.arn)->attachment_count, 3);
  EXPECT_EQ(Policy(kOther, aws.arn)->attachment_count, 1);
  EXPECT_EQ(Policy(kAcct, local.arn)->attachment_count, 1);

  EXPECT_EQ(ErrorCode(db_->AttachPolicy(UserRef("u"), foreign.arn, 10)), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->AttachPolicy(UserRef("u"), fixed.arn, 10)), kPolicyNotAttachable);
  EXPECT_EQ(ErrorCode(db_->AttachPolicy(UserRef("nobody"), aws.arn, 10)), kNoSuchEntity);
  auto limited = db_->AttachPolicy(RoleRef("r"), local.arn, 1);
  EXPECT_EQ(ErrorCode(limited), kLimitExceeded);
  EXPECT_THAT(limited.error().message, HasSubstr("PoliciesPerRole: 1"));
  EXPECT_EQ(Policy(kAcct, local.arn)->attachment_count, 1);

  ASSERT_TRUE(Succeeded(db_->DetachPolicy(GroupRef("g"), aws.arn)));
  EXPECT_EQ(ErrorCode(db_->DetachPolicy(GroupRef("g"), aws.arn)), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->DetachPolicy(GroupRef("g"), "arn:aws:iam::aws:policy/none")),
            kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->DetachPolicy(GroupRef("nobody"), aws.arn)), kNoSuchEntity);
  EXPECT_EQ(Policy(kAcct, aws.arn)->attachment_count, 2);
  EXPECT_EQ(Policy(kOther, aws.arn)->attachment_count, 1);
}

TEST_P(IamStoreConformanceTest, ListsAttachedPoliciesInAttachOrder) {
  Create(TestUser(kAcct, "u"));
  const std::vector<ManagedPolicy> policies = {
      TestPolicy("", "Zeta"), TestPolicy(kAcct, "alpha", "/team/"), TestPolicy("", "Mid"),
      TestPolicy(kAcct, "beta", "/team/")};
  for (const ManagedPolicy& policy : policies) {
    Create(policy);
    ASSERT_TRUE(Succeeded(db_->AttachPolicy(UserRef("u"), policy.arn, 10)));
  }
  ASSERT_TRUE(Succeeded(db_->DetachPolicy(UserRef("u"), policies[0].arn)));
  ASSERT_TRUE(Succeeded(db_->AttachPolicy(UserRef("u"), policies[0].arn, 10)));
  auto attached = AllPages<ManagedPolicy>(
      [&](const PageRequest& page) { return db_->ListAttachedPolicies(UserRef("U"), "", page); },
      1);
  EXPECT_THAT(PolicyArns(attached),
              ElementsAre(policies[1].arn, policies[2].arn, policies[3].arn, policies[0].arn));
  EXPECT_EQ(attached[0].attachment_count, 1);
  EXPECT_EQ(attached[0].description, "policy alpha");
  EXPECT_THAT(PolicyArns(db_->ListAttachedPolicies(UserRef("u"), "/team/", {}).value().items),
              ElementsAre(policies[1].arn, policies[3].arn));
  EXPECT_EQ(ErrorCode(db_->ListAttachedPolicies(UserRef("nobody"), "", {})), kNoSuchEntity);
  Create(TestGroup(kAcct, "g"));
  EXPECT_THAT(db_->ListAttachedPolicies(GroupRef("g"), "", {}).value().items, IsEmpty());
}

TEST_P(IamStoreConformanceTest, ListsEntitiesForAPolicyByKindAndName) {
  const ManagedPolicy aws = TestPolicy("", "ReadOnlyAccess");
  Create(aws);
  for (const char* name : {"carol", "Alice", "bob"}) Create(TestUser(kAcct, name, "/people/"));
  Create(TestUser(kAcct, "robot", "/machines/"));
  Create(TestGroup(kAcct, "readers"));
  Create(TestRole(kAcct, "Auditor"));
  Create(TestRole(kAcct, "unattached"));
  Create(TestUser(kOther, "stranger"));
  for (const PrincipalRef& principal :
       {UserRef("carol"), RoleRef("auditor"), UserRef("alice"), GroupRef("readers"), UserRef("bob"),
        UserRef("robot"), UserRef("stranger", kOther)}) {
    ASSERT_TRUE(Succeeded(db_->AttachPolicy(principal, aws.arn, 10)));
  }
  auto names = [](const std::vector<PolicyEntity>& entities) {
    std::vector<std::string> out;
    for (const PolicyEntity& entity : entities) {
      out.push_back(std::string(KindWord(entity.kind)) + ":" + entity.name);
    }
    return out;
  };
  const struct {
    std::optional<PrincipalKind> kind;
    std::string prefix;
    std::vector<std::string> expected;
  } cases[] = {
      {std::nullopt,
       "",
       {"user:Alice", "user:bob", "user:carol", "user:robot", "group:readers", "role:Auditor"}},
      {PrincipalKind::kUser, "", {"user:Alice", "user:bob", "user:carol", "user:robot"}},
      {PrincipalKind::kGroup, "", {"group:readers"}},
      {PrincipalKind::kRole, "", {"role:Auditor"}},
      {std::nullopt, "/people/", {"user:Alice", "user:bob", "user:carol"}},
      {PrincipalKind::kRole, "/people/", {}},
  };
  for (const auto& c : cases) {
    for (size_t max_items : {1u, 2u, 100u}) {
      auto entities = AllPages<PolicyEntity>(
          [&](const PageRequest& page) {
            return db_->ListEntitiesForPolicy(kAcct, aws.arn, c.kind, c.prefix, page);
          },
          max_items);
      EXPECT_EQ(names(entities), c.expected) << c.prefix << " " << max_items;
    }
  }
  auto users = db_->ListEntitiesForPolicy(kAcct, aws.arn, PrincipalKind::kUser, "", {}).value();
  EXPECT_EQ(users.items[0],
            (PolicyEntity{PrincipalKind::kUser, "Alice", TestUser(kAcct, "Alice").user_id}));
  EXPECT_THAT(
      names(db_->ListEntitiesForPolicy(kOther, aws.arn, std::nullopt, "", {}).value().items),
      ElementsAre("user:stranger"));
  EXPECT_EQ(ErrorCode(db_->ListEntitiesForPolicy(kAcct, "arn:none", std::nullopt, "", {})),
            kNoSuchEntity);
}

// ---- Inline policies

TEST_P(IamStoreConformanceTest, InlinePoliciesAreUpsertedAndListedByName) {
  Create(TestUser(kAcct, "u"));
  Create(TestGroup(kAcct, "u"));
  const PrincipalRef user = UserRef("u");
  for (const char* name : {"b", "a", "B", "c"}) {
    ASSERT_TRUE(Succeeded(db_->PutInlinePolicy(user, name, std::string("doc-") + name)));
  }
  ASSERT_TRUE(Succeeded(db_->PutInlinePolicy(UserRef("U"), "a", "doc-a2")));
  EXPECT_THAT(db_->GetInlinePolicy(user, "a").value(), Optional(std::string("doc-a2")));
  EXPECT_THAT(db_->GetInlinePolicy(user, "B").value(), Optional(std::string("doc-B")));
  EXPECT_EQ(db_->GetInlinePolicy(user, "A").value(), std::nullopt);
  // A group with the same name has its own policies.
  EXPECT_EQ(db_->GetInlinePolicy(GroupRef("u"), "a").value(), std::nullopt);

  auto listed = AllPages<InlinePolicy>(
      [&](const PageRequest& page) { return db_->ListInlinePolicies(user, page); }, 3);
  EXPECT_THAT(listed, ElementsAre(InlinePolicy{"B", "doc-B"}, InlinePolicy{"a", "doc-a2"},
                                  InlinePolicy{"b", "doc-b"}, InlinePolicy{"c", "doc-c"}));

  ASSERT_TRUE(Succeeded(db_->DeleteInlinePolicy(user, "b")));
  EXPECT_EQ(ErrorCode(db_->DeleteInlinePolicy(user, "b")), kNoSuchEntity);
  EXPECT_EQ(db_->ListInlinePolicies(user, {}).value().items.size(), 3u);
  for (const PrincipalRef& missing : {UserRef("x"), GroupRef("x"), RoleRef("u")}) {
    EXPECT_EQ(ErrorCode(db_->PutInlinePolicy(missing, "a", "d")), kNoSuchEntity);
    EXPECT_EQ(ErrorCode(db_->GetInlinePolicy(missing, "a")), kNoSuchEntity);
    EXPECT_EQ(ErrorCode(db_->DeleteInlinePolicy(missing, "a")), kNoSuchEntity);
    EXPECT_EQ(ErrorCode(db_->ListInlinePolicies(missing, {})), kNoSuchEntity);
  }
}

// ---- Login profiles

TEST_P(IamStoreConformanceTest, ManagesLoginProfiles) {
  Create(TestUser(kAcct, "Alice"));
  const LoginProfile profile{.account_id = kAcct,
                             .user_name = "alice",
                             .password_hash = "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA",
                             .created = TestTime(20),
                             .password_reset_required = true};
  EXPECT_EQ(db_->GetLoginProfile(kAcct, "alice").value(), std::nullopt);
  ASSERT_TRUE(Succeeded(db_->CreateLoginProfile(profile)));
  LoginProfile expected = profile;
  expected.user_name = "Alice";
  EXPECT_THAT(db_->GetLoginProfile(kAcct, "ALICE").value(), Optional(expected));
  EXPECT_EQ(ErrorCode(db_->CreateLoginProfile(profile)), kEntityAlreadyExists);

  ASSERT_TRUE(Succeeded(db_->UpdateLoginProfile(
      kAcct, "alice",
      LoginProfileUpdate{.password_hash = std::nullopt, .password_reset_required = false})));
  expected.password_reset_required = false;
  EXPECT_THAT(db_->GetLoginProfile(kAcct, "alice").value(), Optional(expected));
  ASSERT_TRUE(Succeeded(db_->UpdateLoginProfile(
      kAcct, "alice",
      LoginProfileUpdate{.password_hash = "new", .password_reset_required = std::nullopt})));
  expected.password_hash = "new";
  EXPECT_THAT(db_->GetLoginProfile(kAcct, "alice").value(), Optional(expected));

  ASSERT_TRUE(Succeeded(db_->DeleteLoginProfile(kAcct, "alice")));
  EXPECT_EQ(db_->GetLoginProfile(kAcct, "alice").value(), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->DeleteLoginProfile(kAcct, "alice")), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->UpdateLoginProfile(kAcct, "alice", {})), kNoSuchEntity);
  LoginProfile orphan = profile;
  orphan.user_name = "nobody";
  EXPECT_EQ(ErrorCode(db_->CreateLoginProfile(orphan)), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->GetLoginProfile(kAcct, "nobody")), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->GetLoginProfile(kOther, "alice")), kNoSuchEntity);
}

// ---- Virtual MFA devices

TEST_P(IamStoreConformanceTest, CreatesEnablesAndDeletesVirtualMfaDevices) {
  VirtualMfaDevice device = TestMfaDevice(kAcct, "alice-phone");
  device.tags = {{"k", "v"}};
  device.user_name = "ignored";
  device.last_time_step = 5;
  Create(device);
  device.user_name.clear();
  device.last_time_step.reset();
  EXPECT_THAT(db_->GetVirtualMfaDevice(kAcct, device.serial_number).value(), Optional(device));
  EXPECT_EQ(db_->GetVirtualMfaDevice(kOther, device.serial_number).value(), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->CreateVirtualMfaDevice(device)), kEntityAlreadyExists);
  EXPECT_EQ(ErrorCode(db_->CreateVirtualMfaDevice(TestMfaDevice(kMissingAccount, "x"))),
            kNoSuchEntity);

  Create(TestUser(kAcct, "Alice"));
  Create(TestUser(kAcct, "bob"));
  ASSERT_TRUE(
      Succeeded(db_->EnableMfaDevice(kAcct, "alice", device.serial_number, TestTime(30), 1000, 8)));
  device.user_name = "Alice";
  device.enable_date = TestTime(30);
  device.last_time_step = 1000;
  EXPECT_THAT(db_->GetVirtualMfaDevice(kAcct, device.serial_number).value(), Optional(device));
  EXPECT_EQ(ErrorCode(db_->EnableMfaDevice(kAcct, "bob", device.serial_number, TestTime(), 1, 8)),
            kEntityAlreadyExists);
  EXPECT_EQ(ErrorCode(db_->EnableMfaDevice(kOther, "bob", device.serial_number, TestTime(), 1, 8)),
            kNoSuchEntity);
  Create(TestMfaDevice(kAcct, "alice-backup"));
  const std::string backup = TestMfaDevice(kAcct, "alice-backup").serial_number;
  EXPECT_EQ(ErrorCode(db_->EnableMfaDevice(kAcct, "alice", backup, TestTime(), 1, 1)),
            kLimitExceeded);
  EXPECT_EQ(ErrorCode(db_->EnableMfaDevice(kAcct, "nobody", backup, TestTime(), 1, 8)),
            kNoSuchEntity);
  EXPECT_THAT(db_->ListMfaDevicesForUser(kAcct, "alice", {}).value().items, ElementsAre(device));
  EXPECT_THAT(db_->ListMfaDevicesForUser(kAcct, "bob", {}).value().items, IsEmpty());

  EXPECT_EQ(ErrorCode(db_->DeleteVirtualMfaDevice(kAcct, device.serial_number)), kDeleteConflict);
  EXPECT_EQ(ErrorCode(db_->DeactivateMfaDevice(kAcct, "bob", device.serial_number)), kNoSuchEntity);
  ASSERT_TRUE(Succeeded(db_->DeactivateMfaDevice(kAcct, "ALICE", device.serial_number)));
  device.user_name.clear();
  device.enable_date.reset();
  // The last accepted time step survives deactivation: old codes stay used up.
  EXPECT_THAT(db_->GetVirtualMfaDevice(kAcct, device.serial_number).value(), Optional(device));
  EXPECT_EQ(ErrorCode(db_->DeactivateMfaDevice(kAcct, "alice", device.serial_number)),
            kNoSuchEntity);
  ASSERT_TRUE(Succeeded(db_->DeleteVirtualMfaDevice(kAcct, device.serial_number)));
  EXPECT_EQ(db_->GetVirtualMfaDevice(kAcct, device.serial_number).value(), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->DeleteVirtualMfaDevice(kAcct, device.serial_number)), kNoSuchEntity);
}

TEST_P(IamStoreConformanceTest, ListsVirtualMfaDevicesByAssignment) {
  Create(TestUser(kAcct, "u"));
  for (const char* name : {"d", "a", "c", "b"}) Create(TestMfaDevice(kAcct, name));
  Create(TestMfaDevice(kOther, "a"));
  const std::string prefix = "arn:aws:iam::111111111111:mfa/";
  ASSERT_TRUE(Succeeded(db_->EnableMfaDevice(kAcct, "u", prefix + "c", TestTime(), 1, 8)));
  ASSERT_TRUE(Succeeded(db_->EnableMfaDevice(kAcct, "u", prefix + "a", TestTime(), 1, 8)));
  auto serials = [](const std::vector<VirtualMfaDevice>& devices) {
    return Names(devices, [](const VirtualMfaDevice& d) { return d.name; });
  };
  const struct {
    MfaAssignment assignment;
    std::vector<std::string> expected;
  } cases[] = {
      {MfaAssignment::kAny, {"a", "b", "c", "d"}},
      {MfaAssignment::kAssigned, {"a", "c"}},
      {MfaAssignment::kUnassigned, {"b", "d"}},
  };
  for (const auto& c : cases) {
    auto devices = AllPages<VirtualMfaDevice>(
        [&](const PageRequest& page) {
          return db_->ListVirtualMfaDevices(kAcct, c.assignment, page);
        },
        1);
    EXPECT_EQ(serials(devices), c.expected);
  }
  auto for_user = AllPages<VirtualMfaDevice>(
      [&](const PageRequest& page) { return db_->ListMfaDevicesForUser(kAcct, "u", page); }, 1);
  EXPECT_THAT(serials(for_user), ElementsAre("a", "c"));
  EXPECT_EQ(ErrorCode(db_->ListMfaDevicesForUser(kAcct, "nobody", {})), kNoSuchEntity);
}

TEST_P(IamStoreConformanceTest, AcceptsEachMfaTimeStepOnce) {
  const VirtualMfaDevice device = TestMfaDevice(kAcct, "phone");
  Create(device);
  const std::string& serial = device.serial_number;
  const struct {
    int64_t step;
    bool accepted;
  } steps[] = {{100, true}, {100, false}, {99, false}, {101, true}, {150, true}, {120, false}};
  for (const auto& step : steps) {
    EXPECT_THAT(db_->AcceptMfaTimeStep(kAcct, serial, step.step), ::testing::Eq(step.accepted))
        << step.step;
  }
  EXPECT_THAT(db_->GetVirtualMfaDevice(kAcct, serial).value()->last_time_step, Optional(150));
  EXPECT_EQ(ErrorCode(db_->AcceptMfaTimeStep(kOther, serial, 200)), kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->AcceptMfaTimeStep(kAcct, serial + "x", 200)), kNoSuchEntity);

  // Concurrent checks of one code accept it exactly once.
  constexpr int kThreads = 8;
  std::atomic<int> accepted = 0;
  std::atomic<int> failed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto result = db_->AcceptMfaTimeStep(kAcct, serial, 500);
      if (!result.has_value()) {
        ++failed;
      } else if (*result) {
        ++accepted;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(accepted.load(), 1);
}

// ---- Account alias and password policy

TEST_P(IamStoreConformanceTest, AliasesAreUniqueAcrossAccounts) {
  EXPECT_EQ(db_->GetAccountAlias(kAcct).value(), std::nullopt);
  ASSERT_TRUE(Succeeded(db_->SetAccountAlias(kAcct, "acme-management")));
  EXPECT_THAT(db_->GetAccountAlias(kAcct).value(), Optional(std::string("acme-management")));
  EXPECT_THAT(db_->FindAccountIdByAlias("acme-management").value(), Optional(std::string(kAcct)));
  auto taken = db_->SetAccountAlias(kOther, "acme-management");
  EXPECT_EQ(ErrorCode(taken), kEntityAlreadyExists);
  EXPECT_EQ(db_->GetAccountAlias(kOther).value(), std::nullopt);
  ASSERT_TRUE(Succeeded(db_->SetAccountAlias(kAcct, "acme-management")));
  EXPECT_EQ(ErrorCode(db_->SetAccountAlias(kMissingAccount, "x")), kNoSuchEntity);

  // Replacing an alias frees the old one.
  ASSERT_TRUE(Succeeded(db_->SetAccountAlias(kAcct, "acme-mgmt")));
  EXPECT_EQ(db_->FindAccountIdByAlias("acme-management").value(), std::nullopt);
  ASSERT_TRUE(Succeeded(db_->SetAccountAlias(kOther, "acme-management")));
  EXPECT_THAT(db_->FindAccountIdByAlias("acme-management").value(), Optional(std::string(kOther)));

  EXPECT_EQ(ErrorCode(db_->DeleteAccountAlias(kAcct, "acme-management")), kNoSuchEntity);
  ASSERT_TRUE(Succeeded(db_->DeleteAccountAlias(kAcct, "acme-mgmt")));
  EXPECT_EQ(db_->GetAccountAlias(kAcct).value(), std::nullopt);
  EXPECT_EQ(db_->FindAccountIdByAlias("acme-mgmt").value(), std::nullopt);
  EXPECT_EQ(ErrorCode(db_->DeleteAccountAlias(kAcct, "acme-mgmt")), kNoSuchEntity);
}

TEST_P(IamStoreConformanceTest, ManagesPasswordPolicies) {
  EXPECT_EQ(db_->GetPasswordPolicy(kAcct).value(), std::nullopt);
  const PasswordPolicy full{.minimum_password_length = 14,
                            .require_symbols = true,
                            .require_numbers = true,
                            .require_uppercase_characters = true,
                            .require_lowercase_characters = true,
                            .allow_users_to_change_password = true,
                            .max_password_age = 90,
                            .password_reuse_prevention = 24,
                            .hard_expiry = false};
  ASSERT_TRUE(Succeeded(db_->PutPasswordPolicy(kAcct, full)));
  EXPECT_THAT(db_->GetPasswordPolicy(kAcct).value(), Optional(full));
  EXPECT_EQ(db_->GetPasswordPolicy(kOther).value(), std::nullopt);
  const PasswordPolicy minimal{};
  ASSERT_TRUE(Succeeded(db_->PutPasswordPolicy(kAcct, minimal)));
  EXPECT_THAT(db_->GetPasswordPolicy(kAcct).value(), Optional(minimal));
  ASSERT_TRUE(Succeeded(db_->DeletePasswordPolicy(kAcct)));
  EXPECT_EQ(db_->GetPasswordPolicy(kAcct).value(), std::nullopt);
  auto missing = db_->DeletePasswordPolicy(kAcct);
  EXPECT_EQ(ErrorCode(missing), kNoSuchEntity);
  EXPECT_THAT(missing.error().message, HasSubstr(kAcct));
  EXPECT_EQ(ErrorCode(db_->PutPasswordPolicy(kMissingAccount, full)), kNoSuchEntity);
}

// ---- Access keys of IAM users

TEST_P(IamStoreConformanceTest, CreatesUserAccessKeysWithinTheLimit) {
  Create(TestUser(kAcct, "Alice"));
  AccessKey first = TestKey("AKIAUSERKEY000000001", kAcct, "alice", TestTime(1));
  ASSERT_TRUE(Succeeded(db_->CreateUserAccessKey(first, 2)));
  first.user_name = "Alice";
  EXPECT_THAT(db_->FindAccessKey(first.access_key_id).value(), Optional(first));
  ASSERT_TRUE(
      Succeeded(db_->CreateUserAccessKey(TestKey("AKIAUSERKEY000000002", kAcct, "ALICE"), 2)));
  auto limited = db_->CreateUserAccessKey(TestKey("AKIAUSERKEY000000003", kAcct, "Alice"), 2);
  EXPECT_EQ(ErrorCode(limited), kLimitExceeded);
  EXPECT_THAT(limited.error().message, HasSubstr("Cannot exceed quota for AccessKeysPerUser: 2"));
  EXPECT_EQ(db_->FindAccessKey("AKIAUSERKEY000000003").value(), std::nullopt);
  EXPECT_EQ(db_->ListAccessKeys(kAcct, "Alice").value().size(), 2u);

  Create(TestUser(kAcct, "bob"));
  EXPECT_EQ(ErrorCode(db_->CreateUserAccessKey(TestKey(first.access_key_id, kAcct, "bob"), 2)),
            kDuplicateAccessKeyId);
  EXPECT_EQ(ErrorCode(db_->CreateUserAccessKey(TestKey("AKIAUSERKEY000000004", kAcct, "x"), 2)),
            kNoSuchEntity);
  EXPECT_EQ(ErrorCode(db_->CreateUserAccessKey(TestKey("AKIAUSERKEY000000005", kAcct, ""), 2)),
            kInternalFailure);
}

TEST_P(IamStoreConformanceTest, RecordsTheNewestUseOfEachAccessKey) {
  Create(TestUser(kAcct, "alice"));
  const std::string first = "AKIALASTUSED00000001";
  const std::string second = "AKIALASTUSED00000002";
  ASSERT_TRUE(Succeeded(db_->CreateUserAccessKey(TestKey(first, kAcct, "alice"), 2)));
  ASSERT_TRUE(Succeeded(db_->CreateUserAccessKey(TestKey(second, kAcct, "alice"), 2)));
  EXPECT_EQ(db_->GetAccessKeyLastUsed(first).value(), std::nullopt);
  ASSERT_TRUE(Succeeded(db_->RecordAccessKeyUses({})));

  const AccessKeyLastUsed early{TestTime(10), "iam", "us-east-1"};
  const AccessKeyLastUsed late{TestTime(20), "sts", "eu-west-1"};
  ASSERT_TRUE(Succeeded(db_->RecordAccessKeyUses(
      {{first, late}, {second, early}, {first, early}, {"AKIAGONE000000000001", late}})));
  EXPECT_THAT(db_->GetAccessKeyLastUsed(first).value(), Optional(late));
  EXPECT_THAT(db_->GetAccessKeyLastUsed(second).value(), Optional(early));
  ASSERT_TRUE(Succeeded(db_->RecordAccessKeyUses({{second, late}})));
  EXPECT_THAT(db_->GetAccessKeyLastUsed(second).value(), Optional(late));
  EXPECT_EQ(ErrorCode(db_->GetAccessKeyLastUsed("AKIAGONE000000000001")), kNoSuchEntity);

  ASSERT_TRUE(Succeeded(db_->DeleteAccessKey(first)));
  EXPECT_EQ(ErrorCode(db_->GetAccessKeyLastUsed(first)), kNoSuchEntity);
  // The key itself is unchanged by its uses.
  EXPECT_THAT(db_->FindAccessKey(second).value(), Optional(TestKey(second, kAcct, "alice")));
}

// ---- Concurrency

TEST_P(IamStoreConformanceTest, ConcurrentWritersKeepCountsAndUniqueness) {
  const ManagedPolicy policy = TestPolicy("", "Shared");
  Create(policy);
  constexpr int kThreads = 4;
  constexpr int kUsersPerThread = 10;
  std::vector<int> failures(kThreads, 0);
  std::atomic<int> created_same = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUsersPerThread; ++i) {
        const std::string name = "t" + std::to_string(t) + "u" + std::to_string(i);
        if (!db_->CreateUser(TestUser(kAcct, name)).has_value() ||
            !db_->AttachPolicy(UserRef(name), policy.arn, 10).has_value()) {
          ++failures[static_cast<size_t>(t)];
        }
      }
      User contested = TestUser(kAcct, "contested");
      contested.user_id += std::to_string(t);
      if (db_->CreateUser(contested).has_value()) ++created_same;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[static_cast<size_t>(t)], 0) << t;
  EXPECT_EQ(created_same.load(), 1);
  EXPECT_EQ(Policy(kAcct, policy.arn)->attachment_count, kThreads * kUsersPerThread);
  auto users = AllPages<User>(
      [&](const PageRequest& page) { return db_->ListUsers(kAcct, "", page); }, kMany);
  EXPECT_EQ(users.size(), static_cast<size_t>(kThreads * kUsersPerThread + 1));
}

}  // namespace
}  // namespace fulcrum::storage
