#include "client/iam_client.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "client/client_test_support.h"
#include "client/sts_client.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace fulcrum::client {
namespace {

using testing::CannedResponse;
using testing::FakeTransport;
using testing::XmlResponse;

TimePoint At(std::string_view iso) { return *ParseIso8601(iso); }

// An IamClient and an StsClient over a scripted transport.
class ClientsTest : public ::testing::Test {
 protected:
  ServiceEndpoint Endpoint(Service service) {
    return ServiceEndpoint{.service = service,
                           .url = *ParseEndpointUrl("http://127.0.0.1:4566"),
                           .signing_region = "us-east-1",
                           .signing_name = std::string(SigningName(service)),
                           .source = "test"};
  }

  // The form parameters of request `index`.
  std::vector<std::pair<std::string, std::string>> Sent(size_t index) {
    return ParseQueryString(transport_.requests.at(index).body);
  }

  FakeTransport transport_;
  FixedClock clock_{At("2024-05-01T12:00:00Z")};
  QueryClient query_{transport_, sigv4::Credentials{"AKIAEXAMPLE", "secret", std::nullopt}, clock_,
                     RetryPolicy{.sleep = [](std::chrono::milliseconds) {}}};
  IamClient iam_{query_, Endpoint(Service::kIam)};
  StsClient sts_{query_, Endpoint(Service::kSts)};
};

using Params = std::vector<std::pair<std::string, std::string>>;

TEST_F(ClientsTest, GetCallerIdentity) {
  transport_.Push("sts/GetCallerIdentity.xml");
  const auto identity = sts_.GetCallerIdentity();
  ASSERT_TRUE(identity.has_value()) << identity.error().message;
  EXPECT_EQ(identity->account, "123456789012");
  EXPECT_EQ(identity->arn, "arn:aws:iam::123456789012:user/admin");
  EXPECT_EQ(identity->user_id, "AIDAEXAMPLEADMIN00001");
  EXPECT_EQ(Sent(0), (Params{{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}}));

  transport_.Push(XmlResponse(200,
                              "<GetCallerIdentityResponse><GetCallerIdentityResult>"
                              "<Arn>a</Arn></GetCallerIdentityResult>"
                              "</GetCallerIdentityResponse>"));
  const auto partial = sts_.GetCallerIdentity();
  ASSERT_FALSE(partial.has_value());
  EXPECT_EQ(partial.error().code, "ResponseParserError");
  EXPECT_EQ(partial.error().message, "the response has no GetCallerIdentityResult.Account");
}

TEST_F(ClientsTest, GetAccountSummary) {
  transport_.Push("iam/GetAccountSummary.xml");
  const auto summary = iam_.GetAccountSummary();
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  EXPECT_EQ(summary->size(), 32u);
  EXPECT_EQ(summary->at("Users"), 1);
  EXPECT_EQ(summary->at("UsersQuota"), 5000);
  EXPECT_EQ(summary->at("AccountMFAEnabled"), 0);
}

TEST_F(ClientsTest, CreateAndGetUser) {
  transport_.Push("iam/CreateUser.xml");
  const auto created = iam_.CreateUser("bootstrap-admin", "/", {{"purpose", "bootstrap"}});
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(Sent(0), (Params{{"Action", "CreateUser"},
                             {"Version", "2010-05-08"},
                             {"UserName", "bootstrap-admin"},
                             {"Path", "/"},
                             {"Tags.member.1.Key", "purpose"},
                             {"Tags.member.1.Value", "bootstrap"}}));
  EXPECT_EQ(created->user_name, "bootstrap-admin");
  EXPECT_EQ(created->user_id, "AIDAEXAMPLEUSER000001");
  EXPECT_EQ(created->arn, "arn:aws:iam::123456789012:user/bootstrap-admin");
  EXPECT_EQ(created->path, "/");
  EXPECT_EQ(created->create_date, At("2024-05-01T12:00:00Z"));
  EXPECT_EQ(created->tags, (std::vector<Tag>{{"purpose", "bootstrap"}}));

  transport_.Push("iam/GetUser.xml");
  const auto user = iam_.GetUser("bootstrap-admin");
  ASSERT_TRUE(user.has_value()) << user.error().message;
  EXPECT_EQ(user->password_last_used, At("2024-05-02T08:30:00Z"));

  transport_.Push("iam/GetUser.xml");
  ASSERT_TRUE(iam_.GetUser().has_value());
  EXPECT_EQ(Sent(2), (Params{{"Action", "GetUser"}, {"Version", "2010-05-08"}}));
}

TEST_F(ClientsTest, ToleratesTheVariantsRealClientsAccept) {
  const struct {
    const char* file;
    const char* path;
    const char* create_date;
  } cases[] = {
      {"variants/iam-GetUser-escaped.txt", "/a&b/", "2024-05-01T12:00:00Z"},
      {"variants/iam-GetUser-fractional-ts.txt", "/", "2024-05-01T12:00:00.123Z"},
      {"variants/iam-GetUser-offset-ts.txt", "/", "2024-05-01T12:00:00Z"},
      {"variants/iam-GetUser-minimal.txt", "/", "2024-05-01T12:00:00Z"},
      {"variants/iam-GetUser-wrong-root.txt", "/", "2024-05-01T12:00:00Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    transport_.Push(c.file);
    const auto user = iam_.GetUser("bootstrap-admin");
    ASSERT_TRUE(user.has_value()) << user.error().message;
    EXPECT_EQ(user->path, c.path);
    EXPECT_EQ(user->create_date, At(c.create_date));
  }
  transport_.Push("variants/iam-GetUser-escaped.txt");
  const auto escaped = iam_.GetUser("bootstrap-admin");
  ASSERT_TRUE(escaped.has_value());
  EXPECT_EQ(escaped->tags, (std::vector<Tag>{{"k<>", "caf\xC3\xA9 \"q\" 'a'"}}));

  // Without <GetUserResult> the required User is missing, as botocore reports (KeyError).
  transport_.Push("variants/iam-GetUser-no-result-wrapper.txt");
  const auto unwrapped = iam_.GetUser("bootstrap-admin");
  ASSERT_FALSE(unwrapped.has_value());
  EXPECT_EQ(unwrapped.error().code, "ResponseParserError");
  EXPECT_EQ(unwrapped.error().message, "the response has no GetUserResult.User");

  for (const char* empty : {"variants/iam-ListAccessKeys-empty-list.txt",
                            "variants/iam-ListAccessKeys-omitted-list.txt"}) {
    transport_.Push(empty);
    const auto keys = iam_.ListAccessKeys("bootstrap-admin");
    ASSERT_TRUE(keys.has_value()) << empty;
    EXPECT_TRUE(keys->empty());
  }
}

TEST_F(ClientsTest, ErrorsCarryTheAwsCodeAndMessage) {
  transport_.Push("errors/iam-NoSuchEntity.txt");
  const auto user = iam_.GetUser("nobody");
  ASSERT_FALSE(user.has_value());
  EXPECT_EQ(user.error().code, "NoSuchEntity");
  EXPECT_EQ(user.error().message, "The user with name nobody cannot be found.");

  transport_.Push("errors/iam-AccessDenied.txt");
  const auto denied = iam_.CreateUser("x");
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code, "AccessDenied");
}

TEST_F(ClientsTest, AttachAndListPolicies) {
  transport_.Push("iam/AttachUserPolicy.xml");
  ASSERT_TRUE(
      iam_.AttachUserPolicy("bootstrap-admin", "arn:aws:iam::aws:policy/AdministratorAccess"));
  EXPECT_EQ(Sent(0), (Params{{"Action", "AttachUserPolicy"},
                             {"Version", "2010-05-08"},
                             {"UserName", "bootstrap-admin"},
                             {"PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"}}));

  transport_.Push("iam/ListAttachedUserPolicies.xml");
  const auto policies = iam_.ListAttachedUserPolicies("bootstrap-admin");
  ASSERT_TRUE(policies.has_value()) << policies.error().message;
  ASSERT_EQ(policies->size(), 1u);
  EXPECT_EQ((*policies)[0].policy_name, "AdministratorAccess");
  EXPECT_EQ((*policies)[0].policy_arn, "arn:aws:iam::aws:policy/AdministratorAccess");
}

TEST_F(ClientsTest, ListsFollowMarkersToTheLastPage) {
  const auto page = [](std::string_view names, std::string_view tail) {
    std::string members;
    for (const char c : names) {
      members += fmt::format(
          "<member><Path>/</Path><GroupName>g{0}</GroupName><GroupId>AGPA{0}</GroupId>"
          "<Arn>arn:aws:iam::123456789012:group/g{0}</Arn>"
          "<CreateDate>2024-05-01T12:00:00Z</CreateDate></member>",
          c);
    }
    return XmlResponse(200, fmt::format("<ListGroupsForUserResponse><ListGroupsForUserResult>"
                                        "<Groups>{}</Groups>{}</ListGroupsForUserResult>"
                                        "</ListGroupsForUserResponse>",
                                        members, tail));
  };
  transport_.Push(page("ab", "<IsTruncated>true</IsTruncated><Marker>m1</Marker>"));
  transport_.Push(page("c", "<IsTruncated>true</IsTruncated><Marker>m2</Marker>"));
  transport_.Push(page("", "<IsTruncated>false</IsTruncated>"));
  const auto groups = iam_.ListGroupsForUser("alice");
  ASSERT_TRUE(groups.has_value()) << groups.error().message;
  ASSERT_EQ(groups->size(), 3u);
  EXPECT_EQ((*groups)[2].group_name, "gc");
  EXPECT_EQ((*groups)[2].arn, "arn:aws:iam::123456789012:group/gc");
  EXPECT_EQ(
      Sent(0),
      (Params{{"Action", "ListGroupsForUser"}, {"Version", "2010-05-08"}, {"UserName", "alice"}}));
  EXPECT_EQ(Sent(1), (Params{{"Action", "ListGroupsForUser"},
                             {"Version", "2010-05-08"},
                             {"UserName", "alice"},
                             {"Marker", "m1"}}));
  EXPECT_EQ(Sent(2), (Params{{"Action", "ListGroupsForUser"},
                             {"Version", "2010-05-08"},
                             {"UserName", "alice"},
                             {"Marker", "m2"}}));

  // A server that repeats its marker would loop forever; the client stops.
  transport_.Push(page("a", "<IsTruncated>true</IsTruncated><Marker>m1</Marker>"));
  transport_.Push(page("a", "<IsTruncated>true</IsTruncated><Marker>m1</Marker>"));
  const auto looping = iam_.ListGroupsForUser("alice");
  ASSERT_FALSE(looping.has_value());
  EXPECT_EQ(looping.error().code, "ResponseParserError");
}

TEST_F(ClientsTest, LoginProfileAndPasswordPolicyMayBeAbsent) {
  transport_.Push("errors/iam-NoSuchEntity.txt");
  const auto none = iam_.GetLoginProfile("bootstrap-admin");
  ASSERT_TRUE(none.has_value()) << none.error().message;
  EXPECT_FALSE(none->has_value());

  transport_.Push(XmlResponse(
      200,
      "<GetLoginProfileResponse><GetLoginProfileResult><LoginProfile>"
      "<UserName>bootstrap-admin</UserName><CreateDate>2024-05-01T12:02:00Z</CreateDate>"
      "<PasswordResetRequired>true</PasswordResetRequired></LoginProfile>"
      "</GetLoginProfileResult></GetLoginProfileResponse>"));
  const auto present = iam_.GetLoginProfile("bootstrap-admin");
  ASSERT_TRUE(present.has_value() && present->has_value());
  EXPECT_EQ((*present)->create_date, At("2024-05-01T12:02:00Z"));
  EXPECT_TRUE((*present)->password_reset_required);

  transport_.Push("iam/DeleteAccessKey.xml");  // Any metadata-only answer.
  EXPECT_TRUE(iam_.DeleteLoginProfile("bootstrap-admin"));

  transport_.Push("errors/iam-NoSuchEntity.txt");
  const auto no_policy = iam_.GetAccountPasswordPolicy();
  ASSERT_TRUE(no_policy.has_value());
  EXPECT_FALSE(no_policy->has_value());

  transport_.Push(XmlResponse(
      200,
      "<R><GetAccountPasswordPolicyResult><PasswordPolicy>"
      "<MinimumPasswordLength>14</MinimumPasswordLength><RequireSymbols>true</RequireSymbols>"
      "<ExpirePasswords>false</ExpirePasswords><PasswordReusePrevention>24"
      "</PasswordReusePrevention></PasswordPolicy></GetAccountPasswordPolicyResult></R>"));
  const auto policy = iam_.GetAccountPasswordPolicy();
  ASSERT_TRUE(policy.has_value() && policy->has_value());
  EXPECT_EQ((*policy)->minimum_password_length, 14);
  EXPECT_TRUE((*policy)->require_symbols);
  EXPECT_FALSE((*policy)->require_numbers);
  EXPECT_EQ((*policy)->password_reuse_prevention, 24);
  EXPECT_EQ((*policy)->max_password_age, std::nullopt);

  transport_.Push("errors/iam-AccessDenied.txt");
  EXPECT_FALSE(iam_.GetAccountPasswordPolicy().has_value());
}

TEST_F(ClientsTest, AccessKeys) {
  transport_.Push("iam/CreateAccessKey.xml");
  const auto key = iam_.CreateAccessKey("bootstrap-admin");
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(key->access_key_id, "AKIAEXAMPLEACCESS001");
  EXPECT_EQ(key->secret_access_key, "nEwSeCrEtAcCeSsKeYeXaMpLe0123456789ABCDE");
  EXPECT_EQ(key->status, "Active");
  EXPECT_EQ(key->create_date, At("2024-05-01T12:00:05Z"));

  transport_.Push("iam/ListAccessKeys.xml");
  const auto keys = iam_.ListAccessKeys("bootstrap-admin");
  ASSERT_TRUE(keys.has_value()) << keys.error().message;
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].access_key_id, "AKIAEXAMPLEACCESS001");
  EXPECT_EQ((*keys)[0].user_name, "bootstrap-admin");

  transport_.Push(
      XmlResponse(200,
                  "<R><GetAccessKeyLastUsedResult><UserName>bootstrap-admin</UserName>"
                  "<AccessKeyLastUsed><LastUsedDate>2024-05-02T00:00:00Z</LastUsedDate>"
                  "<ServiceName>iam</ServiceName><Region>us-east-1</Region></AccessKeyLastUsed>"
                  "</GetAccessKeyLastUsedResult></R>"));
  const auto last_used = iam_.GetAccessKeyLastUsed("AKIAEXAMPLEACCESS001");
  ASSERT_TRUE(last_used.has_value()) << last_used.error().message;
  EXPECT_EQ(last_used->last_used_date, At("2024-05-02T00:00:00Z"));
  EXPECT_EQ(last_used->service_name, "iam");

  transport_.Push("iam/DeleteAccessKey.xml");
  EXPECT_TRUE(iam_.DeleteAccessKey("AKIAEXAMPLEACCESS001", "bootstrap-admin"));
  EXPECT_EQ(Sent(3), (Params{{"Action", "DeleteAccessKey"},
                             {"Version", "2010-05-08"},
                             {"AccessKeyId", "AKIAEXAMPLEACCESS001"},
                             {"UserName", "bootstrap-admin"}}));
}

TEST_F(ClientsTest, VirtualMfaDevices) {
  transport_.Push("iam/CreateVirtualMFADevice.xml");
  const auto device = iam_.CreateVirtualMfaDevice("bootstrap-admin");
  ASSERT_TRUE(device.has_value()) << device.error().message;
  EXPECT_EQ(device->serial_number, "arn:aws:iam::123456789012:mfa/bootstrap-admin");
  // The XML holds the base64 of the base32 text; the client gives the text.
  EXPECT_EQ(device->base32_seed,
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
  EXPECT_TRUE(Base32Decode(device->base32_seed).has_value());
  EXPECT_TRUE(device->qr_code_png.starts_with("\x89PNG\r\n\x1a\n"));

  transport_.Push("iam/EnableMFADevice.xml");
  EXPECT_TRUE(iam_.EnableMfaDevice("bootstrap-admin", device->serial_number, "123456", "654321"));

  transport_.Push("iam/ListMFADevices.xml");
  const auto devices = iam_.ListMfaDevices("bootstrap-admin");
  ASSERT_TRUE(devices.has_value()) << devices.error().message;
  ASSERT_EQ(devices->size(), 1u);
  EXPECT_EQ((*devices)[0].enable_date, At("2024-05-01T12:01:00Z"));

  transport_.Push(XmlResponse(
      200,
      "<R><ListVirtualMFADevicesResult><VirtualMFADevices><member>"
      "<SerialNumber>arn:aws:iam::123456789012:mfa/root-account-mfa-device</SerialNumber>"
      "<User><Path>/</Path><UserName>root</UserName><UserId>123456789012</UserId>"
      "<Arn>arn:aws:iam::123456789012:root</Arn>"
      "<CreateDate>2024-05-01T11:00:00Z</CreateDate></User>"
      "<EnableDate>2024-05-01T11:05:00Z</EnableDate></member></VirtualMFADevices>"
      "<IsTruncated>false</IsTruncated></ListVirtualMFADevicesResult></R>"));
  const auto virtual_devices = iam_.ListVirtualMfaDevices(MfaAssignment::kAssigned);
  ASSERT_TRUE(virtual_devices.has_value()) << virtual_devices.error().message;
  ASSERT_EQ(virtual_devices->size(), 1u);
  ASSERT_TRUE((*virtual_devices)[0].user.has_value());
  EXPECT_EQ((*virtual_devices)[0].user->arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(Sent(3), (Params{{"Action", "ListVirtualMFADevices"},
                             {"Version", "2010-05-08"},
                             {"AssignmentStatus", "Assigned"}}));

  transport_.Push("iam/DeleteAccessKey.xml");
  EXPECT_TRUE(iam_.DeleteVirtualMfaDevice(device->serial_number));
  EXPECT_EQ(Sent(4)[0], (std::pair<std::string, std::string>{"Action", "DeleteVirtualMFADevice"}));
}

}  // namespace
}  // namespace fulcrum::client
