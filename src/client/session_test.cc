#include "client/session.h"

#include <gtest/gtest.h>

#include "client/client_test_support.h"

namespace fulcrum::client {
namespace {

TEST(SessionTest, ResolvesTheProfileAndEachServiceEndpointOnFirstUse) {
  testing::TempDir home;
  home.Write(".aws/config",
             "[profile le-management]\n"
             "region = us-east-2\n"
             "output = json\n"
             "endpoint_url = http://127.0.0.1:4566\n");
  home.Write(".aws/credentials",
             "[le-management]\n"
             "aws_access_key_id = AKIAMGMT000000000001\n"
             "aws_secret_access_key = secret\n");
  const SystemClock clock;
  auto session = Session::Open(ClientOverrides{.profile = "le-management"},
                               Environment{{"HOME", home.path().string()}}, clock);
  ASSERT_TRUE(session.has_value()) << session.error().message;
  EXPECT_EQ((*session)->profile().name, "le-management");
  EXPECT_EQ((*session)->profile().output, "json");
  EXPECT_EQ((*session)->credentials().credentials.access_key_id, "AKIAMGMT000000000001");
  EXPECT_EQ((*session)->credentials().source, CredentialSource::kCredentialsFile);

  const auto iam = (*session)->Iam();
  ASSERT_TRUE(iam.has_value()) << iam.error().message;
  EXPECT_EQ((*iam)->endpoint().url.ToString(), "http://127.0.0.1:4566/");
  EXPECT_EQ((*iam)->endpoint().signing_region, "us-east-2");
  EXPECT_EQ((*iam)->endpoint().signing_name, "iam");
  const auto sts = (*session)->Sts();
  ASSERT_TRUE(sts.has_value()) << sts.error().message;
  EXPECT_EQ((*sts)->endpoint().signing_name, "sts");
  EXPECT_EQ(*(*session)->Iam(), *iam);  // Created once.
}

TEST(SessionTest, ReportsResolutionErrors) {
  testing::TempDir home;
  const SystemClock clock;
  const Environment environment{{"HOME", home.path().string()}};
  const auto no_credentials = Session::Open({}, environment, clock);
  ASSERT_FALSE(no_credentials.has_value());
  EXPECT_EQ(no_credentials.error().code, "NoCredentials");

  auto session = Session::Open(
      ClientOverrides{.credentials = sigv4::Credentials{"AKIAEXAMPLE", "secret", std::nullopt}},
      environment, clock);
  ASSERT_TRUE(session.has_value()) << session.error().message;
  EXPECT_TRUE((*session)->Iam().has_value());  // IAM is global: no region needed.
  const auto sts = (*session)->Sts();
  ASSERT_FALSE(sts.has_value());
  EXPECT_EQ(sts.error().code, "NoRegion");
}

}  // namespace
}  // namespace fulcrum::client
