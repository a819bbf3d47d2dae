#include "client/profile.h"

#include <gtest/gtest.h>

#include "client/client_test_support.h"

namespace fulcrum::client {
namespace {

constexpr std::string_view kConfig =
    "[default]\n"
    "region = us-west-2\n"
    "output = json\n"
    "[profile mgmt]\n"
    "region = eu-west-1\n"
    "output = table\n"
    "[profile cfgkeys]\n"
    "aws_access_key_id = AKIACONFIGFILE000001\n"
    "aws_secret_access_key = config-secret\n"
    "[profile role]\n"
    "role_arn = arn:aws:iam::123456789012:role/OrganizationAccountAccessRole\n"
    "source_profile = mgmt\n"
    "[profile half]\n"
    "aws_access_key_id = AKIAHALF000000000001\n";

constexpr std::string_view kCredentials =
    "[default]\n"
    "aws_access_key_id = AKIADEFAULT000000001\n"
    "aws_secret_access_key = default-secret\n"
    "[mgmt]\n"
    "aws_access_key_id = AKIAMGMT000000000001\n"
    "aws_secret_access_key = mgmt-secret\n"
    "aws_session_token = mgmt-token\n"
    "[cfgkeys]\n"
    "region = ap-south-1\n";

struct Case {
  std::string name{};
  Environment environment{};  // HOME is added by the test.
  ClientOverrides overrides{};
  // Expectations; an empty error_code means success.
  std::string error_code{};
  std::string profile{};
  std::optional<std::string> region{};
  std::optional<std::string> output{};
  std::string access_key_id{};
  std::optional<std::string> session_token{};
  CredentialSource source = CredentialSource::kCredentialsFile;
};

TEST(ProfileTest, ResolvesProfileRegionAndCredentialsInTheSdkOrder) {
  testing::TempDir home;
  home.Write(".aws/config", kConfig);
  home.Write(".aws/credentials", kCredentials);
  home.Write("elsewhere/creds",
             "[default]\naws_access_key_id=AKIAELSEWHERE0000001\n"
             "aws_secret_access_key=x\n");

  const sigv4::Credentials explicit_keys{"AKIAEXPLICIT00000001", "explicit-secret", std::nullopt};
  const Environment env_keys{{"AWS_ACCESS_KEY_ID", "AKIAENV0000000000001"},
                             {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                             {"AWS_SESSION_TOKEN", "env-token"}};
  const Case cases[] = {
      {.name = "default profile from the files",
       .profile = "default",
       .region = "us-west-2",
       .output = "json",
       .access_key_id = "AKIADEFAULT000000001"},
      {.name = "AWS_PROFILE picks the profile; its token too",
       .environment = {{"AWS_PROFILE", "mgmt"}},
       .profile = "mgmt",
       .region = "eu-west-1",
       .output = "table",
       .access_key_id = "AKIAMGMT000000000001",
       .session_token = "mgmt-token"},
      {.name = "--profile beats AWS_PROFILE",
       .environment = {{"AWS_PROFILE", "nope"}},
       .overrides = {.profile = "mgmt"},
       .profile = "mgmt",
       .region = "eu-west-1",
       .output = "table",
       .access_key_id = "AKIAMGMT000000000001",
       .session_token = "mgmt-token"},
      {.name = "AWS_DEFAULT_PROFILE is the older name",
       .environment = {{"AWS_DEFAULT_PROFILE", "mgmt"}},
       .profile = "mgmt",
       .region = "eu-west-1",
       .output = "table",
       .access_key_id = "AKIAMGMT000000000001",
       .session_token = "mgmt-token"},
      {.name = "environment keys beat the files",
       .environment = env_keys,
       .profile = "default",
       .region = "us-west-2",
       .output = "json",
       .access_key_id = "AKIAENV0000000000001",
       .session_token = "env-token",
       .source = CredentialSource::kEnvironment},
      {.name = "AWS_PROFILE does not hide environment keys",
       .environment =
           [&] {
             Environment e = env_keys;
             e["AWS_PROFILE"] = "mgmt";
             return e;
           }(),
       .profile = "mgmt",
       .region = "eu-west-1",
       .output = "table",
       .access_key_id = "AKIAENV0000000000001",
       .session_token = "env-token",
       .source = CredentialSource::kEnvironment},
      {.name = "--profile hides environment keys, as in botocore",
       .environment = env_keys,
       .overrides = {.profile = "mgmt"},
       .profile = "mgmt",
       .region = "eu-west-1",
       .output = "table",
       .access_key_id = "AKIAMGMT000000000001",
       .session_token = "mgmt-token"},
      {.name = "explicit keys beat everything",
       .environment = env_keys,
       .overrides = {.credentials = explicit_keys},
       .profile = "default",
       .region = "us-west-2",
       .output = "json",
       .access_key_id = "AKIAEXPLICIT00000001",
       .source = CredentialSource::kExplicit},
      {.name = "AWS_REGION beats AWS_DEFAULT_REGION beats the profile",
       .environment = {{"AWS_REGION", "eu-central-1"}, {"AWS_DEFAULT_REGION", "eu-north-1"}},
       .profile = "default",
       .region = "eu-central-1",
       .output = "json",
       .access_key_id = "AKIADEFAULT000000001"},
      {.name = "AWS_DEFAULT_REGION beats the profile",
       .environment = {{"AWS_DEFAULT_REGION", "eu-north-1"}},
       .profile = "default",
       .region = "eu-north-1",
       .output = "json",
       .access_key_id = "AKIADEFAULT000000001"},
      {.name = "--region beats the environment",
       .environment = {{"AWS_REGION", "eu-central-1"}},
       .overrides = {.region = "sa-east-1"},
       .profile = "default",
       .region = "sa-east-1",
       .output = "json",
       .access_key_id = "AKIADEFAULT000000001"},
      {.name = "an empty variable counts as unset",
       .environment = {{"AWS_REGION", ""}, {"AWS_PROFILE", ""}},
       .profile = "default",
       .region = "us-west-2",
       .output = "json",
       .access_key_id = "AKIADEFAULT000000001"},
      {.name = "keys in the config file; region from the credentials file",
       .overrides = {.profile = "cfgkeys"},
       .profile = "cfgkeys",
       .region = "ap-south-1",
       .access_key_id = "AKIACONFIGFILE000001",
       .source = CredentialSource::kConfigFile},
      {.name = "AWS_SHARED_CREDENTIALS_FILE with ~/",
       .environment = {{"AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds"}},
       .profile = "default",
       .region = "us-west-2",
       .output = "json",
       .access_key_id = "AKIAELSEWHERE0000001"},
      {.name = "AWS_CONFIG_FILE elsewhere: no region",
       .environment = {{"AWS_CONFIG_FILE", "~/elsewhere/none"}},
       .profile = "default",
       .access_key_id = "AKIADEFAULT000000001"},
      {.name = "a named profile must exist",
       .overrides = {.profile = "ghost"},
       .error_code = "ProfileNotFound"},
      {.name = "AWS_PROFILE must exist too",
       .environment = {{"AWS_PROFILE", "ghost"}},
       .error_code = "ProfileNotFound"},
      {.name = "a role profile is not supported yet",
       .overrides = {.profile = "role"},
       .error_code = "UnsupportedCredentialSource"},
      {.name = "half a key pair in a file",
       .overrides = {.profile = "half"},
       .error_code = "PartialCredentials"},
      {.name = "half a key pair in the environment",
       .environment = {{"AWS_ACCESS_KEY_ID", "AKIAENV0000000000001"}},
       .error_code = "PartialCredentials"},
      {.name = "no credentials anywhere",
       .environment = {{"AWS_SHARED_CREDENTIALS_FILE", "~/none"}},
       .error_code = "NoCredentials"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Environment environment = c.environment;
    environment["HOME"] = home.path().string();
    auto profile = ResolveProfile(c.overrides, environment);
    Result<ResolvedCredentials> credentials =
        profile ? ResolveCredentials(c.overrides, *profile, environment)
                : Result<ResolvedCredentials>(tl::unexpected(profile.error()));
    if (!c.error_code.empty()) {
      ASSERT_FALSE(credentials.has_value());
      EXPECT_EQ(credentials.error().code, c.error_code) << credentials.error().message;
      continue;
    }
    ASSERT_TRUE(credentials.has_value()) << credentials.error().message;
    EXPECT_EQ(profile->name, c.profile);
    EXPECT_EQ(profile->region, c.region);
    EXPECT_EQ(profile->output, c.output);
    EXPECT_EQ(credentials->credentials.access_key_id, c.access_key_id);
    EXPECT_EQ(credentials->credentials.session_token, c.session_token);
    EXPECT_EQ(credentials->source, c.source);
  }
}

TEST(ProfileTest, MessagesNameTheFilesAndTheProfile) {
  testing::TempDir home;
  const Environment environment{{"HOME", home.path().string()}};
  const auto missing = ResolveProfile(ClientOverrides{.profile = "ghost"}, environment);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("The config profile (ghost) could not be found"),
            std::string::npos);
  EXPECT_NE(missing.error().message.find((home.path() / ".aws/credentials").string()),
            std::string::npos);

  const auto profile = ResolveProfile({}, environment);
  ASSERT_TRUE(profile.has_value());
  EXPECT_FALSE(profile->exists);
  const auto none = ResolveCredentials({}, *profile, environment);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("Unable to locate credentials for profile default"),
            std::string::npos);
}

TEST(ProfileTest, ABadFileIsAnError) {
  testing::TempDir home;
  home.Write(".aws/config", "region = us-east-1\n");
  const auto profile = ResolveProfile({}, Environment{{"HOME", home.path().string()}});
  ASSERT_FALSE(profile.has_value());
  EXPECT_EQ(profile.error().code, "InvalidConfigFile");
}

}  // namespace
}  // namespace fulcrum::client
