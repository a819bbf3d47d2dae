#include "auth/authenticator.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "sigv4/signer.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::auth {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kAccountId = "123456789012";
constexpr std::string_view kKeyId = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::Account account{.id = std::string(kAccountId),
                             .name = "myexample-management",
                             .email = "myexample-aws@example.com",
                             .created = clock_.Now(),
                             .root_password_hash = ""};
    storage::AccessKey key{.access_key_id = std::string(kKeyId),
                           .secret_access_key = std::string(kSecret),
                           .account_id = std::string(kAccountId),
                           .user_name = "",
                           .active = true,
                           .created = clock_.Now()};
    ASSERT_TRUE(store_->CreateAccount(account, {key}));
  }

  // A GetCallerIdentity request signed now with `key_id`/`secret` for `service`.
  sigv4::HttpRequest Signed(std::string_view key_id, std::string_view secret,
                            std::string_view service = "sts",
                            std::optional<std::string> token = std::nullopt) {
    sigv4::HttpRequest request{.method = "POST",
                               .target = "/",
                               .headers = {{"Host", "127.0.0.1:4566"},
                                           {"Content-Type", "application/x-www-form-urlencoded"}},
                               .body = "Action=GetCallerIdentity&Version=2011-06-15"};
    const sigv4::Credentials credentials{std::string(key_id), std::string(secret),
                                         std::move(token)};
    EXPECT_TRUE(sigv4::Sign(request, credentials, "us-east-1", service, clock_.Now()));
    return request;
  }

  FixedClock clock_{*ParseIso8601("2026-11-27T17:40:36Z")};
  std::unique_ptr<storage::Database> store_ = storage::MakeMemoryDatabase();
  Authenticator authenticator_{*store_, *store_, clock_};
};

TEST_F(AuthenticatorTest, RootKeyGivesTheRootPrincipal) {
  auto principal = authenticator_.Authenticate(Signed(kKeyId, kSecret), "sts");
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_EQ(principal->kind, services::PrincipalKind::kRoot);
  EXPECT_EQ(principal->account_id, kAccountId);
  EXPECT_EQ(principal->arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(principal->user_id, kAccountId);
  EXPECT_EQ(principal->access_key_id, kKeyId);
}

TEST_F(AuthenticatorTest, ErrorsUseAwsCodes) {
  struct Case {
    std::string name;
    sigv4::HttpRequest request;
    std::string service;
    std::string code;
  };
  sigv4::HttpRequest unsigned_request = Signed(kKeyId, kSecret);
  std::erase_if(unsigned_request.headers,
                [](const auto& header) { return header.first == "Authorization"; });
  sigv4::HttpRequest tampered = Signed(kKeyId, kSecret);
  tampered.body = "Action=GetCallerIdentity&Version=2011-06-16";
  const std::vector<Case> cases = {
      {"wrong secret", Signed(kKeyId, "x" + std::string(kSecret.substr(1))), "sts",
       "SignatureDoesNotMatch"},
      {"unknown key", Signed("AKIAAAAAAAAAAAAAAAAA", kSecret), "sts", "InvalidClientTokenId"},
      {"body changed after signing", tampered, "sts", "SignatureDoesNotMatch"},
      {"no Authorization", unsigned_request, "sts", "MissingAuthenticationToken"},
      {"session token with a long-term key", Signed(kKeyId, kSecret, "sts", "made-up-token"), "sts",
       "InvalidClientTokenId"},
      {"scope names another service", Signed(kKeyId, kSecret, "iam"), "sts",
       "SignatureDoesNotMatch"},
  };
  for (const auto& c : cases) {
    auto principal = authenticator_.Authenticate(c.request, c.service);
    ASSERT_FALSE(principal) << c.name;
    EXPECT_EQ(principal.error().code, c.code) << c.name << ": " << principal.error().message;
  }
}

TEST_F(AuthenticatorTest, RequestOlderThanFifteenMinutesHasExpired) {
  const sigv4::HttpRequest request = Signed(kKeyId, kSecret);
  clock_.Advance(14min);
  EXPECT_TRUE(authenticator_.Authenticate(request, "sts"));
  clock_.Advance(6min);
  auto principal = authenticator_.Authenticate(request, "sts");
  ASSERT_FALSE(principal);
  EXPECT_EQ(principal.error().code, "SignatureDoesNotMatch");
  EXPECT_NE(principal.error().message.find("Signature expired"), std::string::npos);
}

TEST_F(AuthenticatorTest, DeactivatedKeyIsRefusedOnceTheCacheExpires) {
  ASSERT_TRUE(authenticator_.Authenticate(Signed(kKeyId, kSecret), "sts"));
  ASSERT_TRUE(store_->SetAccessKeyActive(kKeyId, false));
  clock_.Advance(3s);
  auto principal = authenticator_.Authenticate(Signed(kKeyId, kSecret), "sts");
  ASSERT_FALSE(principal);
  EXPECT_EQ(principal.error().code, "InvalidClientTokenId");
}

TEST_F(AuthenticatorTest, InvalidateDropsTheCachedKeyAtOnce) {
  ASSERT_TRUE(authenticator_.Authenticate(Signed(kKeyId, kSecret), "sts"));
  ASSERT_TRUE(store_->DeleteAccessKey(kKeyId));
  authenticator_.Invalidate(std::string(kKeyId));
  auto principal = authenticator_.Authenticate(Signed(kKeyId, kSecret), "sts");
  ASSERT_FALSE(principal);
  EXPECT_EQ(principal.error().code, "InvalidClientTokenId");
}

TEST_F(AuthenticatorTest, KeyCreatedElsewhereWorksAtOnce) {
  constexpr std::string_view kNewKey = "AKIANEWKEYNEWKEY2345";
  auto before = authenticator_.Authenticate(Signed(kNewKey, kSecret), "sts");
  ASSERT_FALSE(before);
  ASSERT_TRUE(store_->CreateAccessKey(storage::AccessKey{.access_key_id = std::string(kNewKey),
                                                         .secret_access_key = std::string(kSecret),
                                                         .account_id = std::string(kAccountId),
                                                         .user_name = "",
                                                         .active = true,
                                                         .created = clock_.Now()}));
  EXPECT_TRUE(authenticator_.Authenticate(Signed(kNewKey, kSecret), "sts"));
}

TEST_F(AuthenticatorTest, UserKeyGivesTheUserPrincipal) {
  constexpr std::string_view kUserKey = "AKIAUSERKEYUSERKEY23";
  ASSERT_TRUE(
      store_->CreateUser(storage::User{.account_id = std::string(kAccountId),
                                       .user_id = "AIDAEXAMPLEUSER000001",
                                       .user_name = "mgmt-org-admin",
                                       .path = "/",
                                       .arn = "arn:aws:iam::123456789012:user/mgmt-org-admin",
                                       .created = clock_.Now(),
                                       .permissions_boundary_arn = "",
                                       .tags = {},
                                       .password_last_used = std::nullopt}));
  ASSERT_TRUE(store_->CreateAccessKey(storage::AccessKey{.access_key_id = std::string(kUserKey),
                                                         .secret_access_key = std::string(kSecret),
                                                         .account_id = std::string(kAccountId),
                                                         .user_name = "mgmt-org-admin",
                                                         .active = true,
                                                         .created = clock_.Now()}));
  auto principal = authenticator_.Authenticate(Signed(kUserKey, kSecret), "sts");
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_EQ(principal->kind, services::PrincipalKind::kIamUser);
  EXPECT_EQ(principal->arn, "arn:aws:iam::123456789012:user/mgmt-org-admin");
  EXPECT_EQ(principal->user_id, "AIDAEXAMPLEUSER000001");
  EXPECT_EQ(principal->user_name, "mgmt-org-admin");
}

TEST_F(AuthenticatorTest, UsesAreRecordedAndFlushed) {
  KeyUsageRecorder usage(*store_, clock_, std::chrono::hours(1));
  Authenticator authenticator(*store_, *store_, clock_, &usage);
  ASSERT_TRUE(authenticator.Authenticate(Signed(kKeyId, kSecret), "sts"));
  ASSERT_TRUE(usage.Flush());
  auto used = store_->GetAccessKeyLastUsed(kKeyId);
  ASSERT_TRUE(used && used->has_value());
  EXPECT_EQ((*used)->service_name, "sts");
  EXPECT_EQ((*used)->region, "us-east-1");
  EXPECT_EQ((*used)->time, clock_.Now());
}

}  // namespace
}  // namespace fulcrum::auth
