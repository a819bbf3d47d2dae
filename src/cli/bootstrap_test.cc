#include "cli/bootstrap.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/access_key_csv.h"

namespace fulcrum::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

client::User MakeUser(const std::string& name) {
  client::User user;
  user.user_name = name;
  return user;
}

// An account held in memory; records every write call.
class FakeIam final : public BootstrapIam {
 public:
  bool root_mfa = false;
  bool user = false;
  bool admin = false;
  bool login_profile = false;
  std::vector<std::string> groups;
  std::vector<std::string> keys;
  std::vector<std::string> writes;
  int next_key = 1;

  Result<std::map<std::string, int>> GetAccountSummary() override {
    return std::map<std::string, int>{{"AccountMFAEnabled", root_mfa ? 1 : 0}};
  }
  Result<client::User> GetUser(const std::string& name) override {
    if (!user) return Fail("NoSuchEntity", "no user " + name);
    return MakeUser(name);
  }
  Result<client::User> CreateUser(const std::string& name) override {
    writes.push_back("CreateUser");
    user = true;
    return MakeUser(name);
  }
  Result<void> AttachUserPolicy(const std::string&, const std::string& arn) override {
    writes.push_back("AttachUserPolicy");
    admin = arn == kAdministratorAccessArn;
    return {};
  }
  Result<std::vector<client::AttachedPolicy>> ListAttachedUserPolicies(
      const std::string&) override {
    if (!admin) return std::vector<client::AttachedPolicy>{};
    return std::vector<client::AttachedPolicy>{
        {"AdministratorAccess", std::string(kAdministratorAccessArn)}};
  }
  Result<std::vector<client::Group>> ListGroupsForUser(const std::string&) override {
    std::vector<client::Group> out;
    for (const std::string& name : groups) {
      client::Group group;
      group.group_name = name;
      out.push_back(group);
    }
    return out;
  }
  Result<std::optional<client::LoginProfile>> GetLoginProfile(const std::string& name) override {
    if (!login_profile) return std::optional<client::LoginProfile>();
    client::LoginProfile profile;
    profile.user_name = name;
    return std::optional<client::LoginProfile>(profile);
  }
  Result<void> DeleteLoginProfile(const std::string&) override {
    writes.push_back("DeleteLoginProfile");
    login_profile = false;
    return {};
  }
  Result<client::AccessKey> CreateAccessKey(const std::string& name) override {
    writes.push_back("CreateAccessKey");
    const std::string id = "AKIAFAKE0000000000" + std::to_string(next_key++);
    keys.push_back(id);
    client::AccessKey key;
    key.user_name = name;
    key.access_key_id = id;
    key.status = "Active";
    key.secret_access_key = "secret-" + id;
    return key;
  }
  Result<std::vector<client::AccessKeyMetadata>> ListAccessKeys(const std::string& name) override {
    std::vector<client::AccessKeyMetadata> out;
    for (const std::string& id : keys) {
      client::AccessKeyMetadata key;
      key.user_name = name;
      key.access_key_id = id;
      out.push_back(key);
    }
    return out;
  }
  Result<void> DeleteAccessKey(const std::string& id, const std::string&) override {
    writes.push_back("DeleteAccessKey");
    std::erase(keys, id);
    return {};
  }
};

class BootstrapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    csv_ = dir_ / "mgmt-org-admin_accessKeys.csv";
  }

  // One run: read, plan, apply. The plan of the run.
  BootstrapPlan Run(bool rotate_key = false) {
    auto state = ReadBootstrapState(iam_, csv_, {});
    EXPECT_TRUE(state.has_value());
    BootstrapPlan plan = PlanBootstrap(*state, {.rotate_key = rotate_key, .csv = csv_});
    if (plan.blocker) return plan;
    auto outcome = ApplyBootstrap(iam_, plan, *state, csv_, [this]() -> Result<void> {
      iam_.root_mfa = true;
      return {};
    });
    EXPECT_TRUE(outcome.has_value()) << outcome.error().message;
    return plan;
  }

  FakeIam iam_;
  std::filesystem::path dir_;
  std::filesystem::path csv_;
};

std::vector<BootstrapAction> Actions(const BootstrapPlan& plan) {
  std::vector<BootstrapAction> out;
  for (const BootstrapStep& step : plan.steps) out.push_back(step.action);
  return out;
}

TEST_F(BootstrapTest, FreshAccountGetsEveryStepInThePagesOrder) {
  const BootstrapPlan plan = Run();
  using enum BootstrapAction;
  EXPECT_THAT(Actions(plan), ElementsAre(kEnableRootMfa, kCreateUser, kAttachAdministratorAccess,
                                         kCreateAccessKey));
  EXPECT_THAT(iam_.writes, ElementsAre("CreateUser", "AttachUserPolicy", "CreateAccessKey"));
  EXPECT_TRUE(iam_.root_mfa);
  auto csv = ReadAccessKeyCsv(csv_);
  ASSERT_TRUE(csv.has_value());
  EXPECT_EQ(csv->access_key_id, iam_.keys.at(0));
  struct stat info {};
  ASSERT_EQ(::stat(csv_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(BootstrapTest, SecondRunChangesNothing) {
  Run();
  iam_.writes.clear();
  const BootstrapPlan plan = Run();
  EXPECT_TRUE(plan.NothingToChange());
  EXPECT_THAT(iam_.writes, IsEmpty());
  EXPECT_EQ(plan.satisfied.size(), 5u);
}

TEST_F(BootstrapTest, RunCutOffAfterCreateUserIsCompleted) {
  iam_.root_mfa = true;
  iam_.user = true;
  const BootstrapPlan plan = Run();
  using enum BootstrapAction;
  EXPECT_THAT(Actions(plan), ElementsAre(kAttachAdministratorAccess, kCreateAccessKey));
  EXPECT_THAT(iam_.writes, ElementsAre("AttachUserPolicy", "CreateAccessKey"));
  EXPECT_EQ(iam_.keys.size(), 1u);
}

TEST_F(BootstrapTest, LostSecretBlocksUntilRotateKey) {
  Run();
  std::filesystem::remove(csv_);
  iam_.writes.clear();
  const BootstrapPlan blocked = Run();
  ASSERT_TRUE(blocked.blocker.has_value());
  EXPECT_THAT(*blocked.blocker, HasSubstr("--rotate-key"));
  EXPECT_THAT(blocked.steps, IsEmpty());
  EXPECT_THAT(iam_.writes, IsEmpty());

  const std::string old_key = iam_.keys.at(0);
  const BootstrapPlan rotated = Run(/*rotate_key=*/true);
  EXPECT_THAT(Actions(rotated), ElementsAre(BootstrapAction::kRotateAccessKey));
  EXPECT_THAT(iam_.writes, ElementsAre("CreateAccessKey", "DeleteAccessKey"));
  ASSERT_EQ(iam_.keys.size(), 1u);
  EXPECT_NE(iam_.keys[0], old_key);
  EXPECT_EQ(ReadAccessKeyCsv(csv_)->access_key_id, iam_.keys[0]);
}

TEST_F(BootstrapTest, KeyHeldByTheCallerCountsAsKept) {
  iam_.root_mfa = iam_.user = iam_.admin = true;
  iam_.keys = {"AKIAHELD"};
  auto state = ReadBootstrapState(iam_, csv_, {"AKIAHELD"});
  ASSERT_TRUE(state.has_value());
  EXPECT_TRUE(PlanBootstrap(*state, {.rotate_key = false, .csv = csv_}).NothingToChange());
}

TEST(PlanBootstrapTest, TwoUnknownKeysCannotBeRotated) {
  BootstrapState state;
  state.root_mfa_enabled = state.user_exists = state.administrator_access_attached = true;
  state.access_key_ids = {"AKIA1", "AKIA2"};
  const BootstrapPlan plan = PlanBootstrap(state, {.rotate_key = true, .csv = "x.csv"});
  ASSERT_TRUE(plan.blocker.has_value());
  EXPECT_THAT(*plan.blocker, HasSubstr("limit"));
}

TEST(PlanBootstrapTest, LoginProfileIsDeletedAndGroupsOnlyWarned) {
  BootstrapState state;
  state.root_mfa_enabled = state.user_exists = state.administrator_access_attached = true;
  state.has_login_profile = true;
  state.groups = {"admins"};
  state.access_key_ids = {"AKIA1"};
  state.held_key_ids = {"AKIA1"};
  const BootstrapPlan plan = PlanBootstrap(state, {.rotate_key = false, .csv = "x.csv"});
  EXPECT_THAT(Actions(plan), ElementsAre(BootstrapAction::kDeleteLoginProfile));
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_THAT(plan.warnings[0], HasSubstr("admins"));
}

TEST(BillingReviewTest, NamesAlternateContactsAndIamAccessToBilling) {
  const std::vector<std::string> items = BillingReviewChecklist();
  ASSERT_GE(items.size(), 2u);
  EXPECT_THAT(items[0], HasSubstr("alternate contacts"));
  EXPECT_THAT(items[1], HasSubstr("billing information"));
}

}  // namespace
}  // namespace fulcrum::cli
