#include "services/signup/signup_service.h"

#include <gtest/gtest.h>

#include "common/password_hash.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::services::signup {
namespace {

class SignupServiceTest : public ::testing::Test {
 protected:
  FixedClock clock_{TimePoint(std::chrono::seconds(1'800'000'000))};
  SeededRandom random_{42};
  std::unique_ptr<storage::AccountStore> store_ = storage::MakeMemoryStore();
  SignupService service_{*store_, random_, clock_};
};

TEST_F(SignupServiceTest, CreatesTheAccountWithAGeneratedPassword) {
  auto result = service_.SignUp({.name = "myexample-management",
                                 .email = "myexample-aws@example.com",
                                 .password = std::nullopt,
                                 .create_root_access_key = false});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->account.id.size(), 12U);
  EXPECT_EQ(result->root_arn, "arn:aws:iam::" + result->account.id + ":root");
  ASSERT_TRUE(result->generated_password);
  EXPECT_TRUE(ValidateRootPassword(*result->generated_password));
  EXPECT_FALSE(result->root_access_key);

  auto stored = store_->FindAccountByEmail("myexample-aws@example.com");
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->id, result->account.id);
  EXPECT_NE((*stored)->root_password_hash, *result->generated_password);
  EXPECT_TRUE(VerifyPassword(*result->generated_password, (*stored)->root_password_hash));
  auto keys = store_->ListAccessKeys(result->account.id, "");
  ASSERT_TRUE(keys);
  EXPECT_TRUE(keys->empty());
}

TEST_F(SignupServiceTest, RootAccessKeyOnlyWhenAskedFor) {
  auto result = service_.SignUp({.name = "acme-management",
                                 .email = "acme-aws@example.com",
                                 .password = "Corr3ct-Horse-Battery",
                                 .create_root_access_key = true});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(result->generated_password);
  ASSERT_TRUE(result->root_access_key);
  EXPECT_TRUE(result->root_access_key->access_key_id.starts_with("AKIA"));
  EXPECT_EQ(result->root_access_key->access_key_id.size(), 20U);
  EXPECT_EQ(result->root_access_key->secret_access_key.size(), 40U);
  auto stored = store_->FindAccessKey(result->root_access_key->access_key_id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->account_id, result->account.id);
  EXPECT_TRUE((*stored)->user_name.empty());
}

TEST_F(SignupServiceTest, BadInputChangesNothing) {
  struct Case {
    SignUpRequest request;
    std::string code;
  };
  ASSERT_TRUE(service_.SignUp({.name = "taken-name",
                               .email = "taken@example.com",
                               .password = std::nullopt,
                               .create_root_access_key = false}));
  const std::vector<Case> cases = {
      {{.name = "", .email = "a@example.com", .password = {}, .create_root_access_key = false},
       "InvalidInput"},
      {{.name = std::string(51, 'a'),
        .email = "a@example.com",
        .password = {},
        .create_root_access_key = false},
       "InvalidInput"},
      {{.name = "ok", .email = "not-an-email", .password = {}, .create_root_access_key = false},
       "InvalidInput"},
      {{.name = "ok", .email = "a@@example.com", .password = {}, .create_root_access_key = false},
       "InvalidInput"},
      {{.name = "ok", .email = "a b@example.com", .password = {}, .create_root_access_key = false},
       "InvalidInput"},
      {{.name = "ok", .email = "a@example", .password = {}, .create_root_access_key = false},
       "InvalidInput"},
      {{.name = "ok",
        .email = "a@example.com",
        .password = "short",
        .create_root_access_key = false},
       "InvalidInput"},
      {{.name = "ok",
        .email = "a@example.com",
        .password = "alllowercaseletters",
        .create_root_access_key = false},
       "InvalidInput"},
      {{.name = "taken-name",
        .email = "new@example.com",
        .password = {},
        .create_root_access_key = true},
       "EntityAlreadyExists"},
      {{.name = "new-name",
        .email = "TAKEN@example.com",
        .password = {},
        .create_root_access_key = true},
       "EntityAlreadyExists"},
  };
  for (const auto& c : cases) {
    auto result = service_.SignUp(c.request);
    ASSERT_FALSE(result) << c.request.name << " " << c.request.email;
    EXPECT_EQ(result.error().code, c.code) << result.error().message;
  }
  auto accounts = store_->ListAccounts();
  ASSERT_TRUE(accounts);
  EXPECT_EQ(accounts->size(), 1U);
}

TEST(GeneratePasswordTest, EveryPasswordPassesTheRules) {
  SeededRandom random(7);
  for (int i = 0; i < 200; ++i) {
    const std::string password = GeneratePassword(random);
    EXPECT_TRUE(ValidateRootPassword(password)) << password;
  }
}

}  // namespace
}  // namespace fulcrum::services::signup
