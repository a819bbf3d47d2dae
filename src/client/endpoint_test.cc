#include "client/endpoint.h"

#include <gtest/gtest.h>

#include "client/client_test_support.h"

namespace fulcrum::client {
namespace {

TEST(EndpointUrlTest, SplitsHttpUrls) {
  const struct {
    const char* url;
    const char* scheme;
    const char* authority;
    const char* path;
    const char* text;
  } cases[] = {
      {"http://127.0.0.1:4566", "http", "127.0.0.1:4566", "", "http://127.0.0.1:4566/"},
      {"http://127.0.0.1:4566/", "http", "127.0.0.1:4566", "", "http://127.0.0.1:4566/"},
      {"HTTPS://iam.amazonaws.com", "https", "iam.amazonaws.com", "", "https://iam.amazonaws.com/"},
      {"http://[::1]:8080/aws", "http", "[::1]:8080", "/aws", "http://[::1]:8080/aws"},
      {"https://h.example:443/", "https", "h.example:443", "", "https://h.example:443/"},
  };
  for (const auto& c : cases) {
    const auto url = ParseEndpointUrl(c.url);
    ASSERT_TRUE(url.has_value()) << c.url << ": " << url.error().message;
    EXPECT_EQ(url->scheme, c.scheme);
    EXPECT_EQ(url->authority, c.authority);
    EXPECT_EQ(url->path, c.path);
    EXPECT_EQ(url->ToString(), c.text);
  }
  for (const char* bad : {"127.0.0.1:4566", "ftp://h", "http://", "http://u:p@h/", "http://h:port",
                          "http://h:1/?x=1", "http://[::1", "http://:80"}) {
    const auto url = ParseEndpointUrl(bad);
    ASSERT_FALSE(url.has_value()) << bad;
    EXPECT_EQ(url.error().code, "InvalidEndpoint");
  }
}

struct Case {
  std::string name{};
  Service service = Service::kIam;
  Environment environment{};
  ClientOverrides overrides{};
  std::string config{};  // ~/.aws/config
  std::string error_code{};
  std::string url{};
  std::string region{};
  std::string source{};
};

TEST(EndpointTest, ResolvesInTheConfiguredEndpointOrder) {
  const std::string all_config =
      "[default]\n"
      "region = eu-west-1\n"
      "endpoint_url = http://127.0.0.1:5005\n"
      "services = local\n"
      "[services local]\n"
      "iam =\n"
      "  endpoint_url = http://127.0.0.1:4004\n";
  const Environment all_env{{"AWS_ENDPOINT_URL", "http://127.0.0.1:3003"},
                            {"AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:2002"}};
  const Case cases[] = {
      {.name = "--endpoint-url first",
       .environment = all_env,
       .overrides = {.endpoint_url = "http://127.0.0.1:1001"},
       .config = all_config,
       .url = "http://127.0.0.1:1001/",
       .region = "eu-west-1",
       .source = "--endpoint-url"},
      {.name = "then AWS_ENDPOINT_URL_IAM",
       .environment = all_env,
       .config = all_config,
       .url = "http://127.0.0.1:2002/",
       .region = "eu-west-1",
       .source = "AWS_ENDPOINT_URL_IAM"},
      {.name = "AWS_ENDPOINT_URL_IAM does not apply to STS",
       .service = Service::kSts,
       .environment = all_env,
       .config = all_config,
       .url = "http://127.0.0.1:3003/",
       .region = "eu-west-1",
       .source = "AWS_ENDPOINT_URL"},
      {.name = "then the services section",
       .config = all_config,
       .url = "http://127.0.0.1:4004/",
       .region = "eu-west-1"},
      {.name = "then the profile's endpoint_url",
       .service = Service::kSts,
       .config = all_config,
       .url = "http://127.0.0.1:5005/",
       .region = "eu-west-1",
       .source = "profile default"},
      {.name = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS keeps only the flag",
       .environment =
           [&] {
             Environment e = all_env;
             e["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
             return e;
           }(),
       .config = all_config,
       .url = "https://iam.amazonaws.com/",
       .region = "us-east-1",
       .source = "AWS default"},
      {.name = "ignore_configured_endpoint_urls in the profile",
       .environment = all_env,
       .config = "[default]\nregion = eu-west-1\nignore_configured_endpoint_urls = true\n"
                 "endpoint_url = http://127.0.0.1:5005\n",
       .url = "https://iam.amazonaws.com/",
       .region = "us-east-1"},
      {.name = "an overridden endpoint needs a region",
       .overrides = {.endpoint_url = "http://127.0.0.1:1001"},
       .error_code = "NoRegion"},
      {.name = "a bad override",
       .overrides = {.region = "us-east-1", .endpoint_url = "localhost:4566"},
       .error_code = "InvalidEndpoint"},
      {.name = "IAM is global and signed in us-east-1",
       .overrides = {.region = "eu-west-1"},
       .url = "https://iam.amazonaws.com/",
       .region = "us-east-1",
       .source = "AWS default"},
      {.name = "IAM needs no region", .url = "https://iam.amazonaws.com/", .region = "us-east-1"},
      {.name = "IAM in China",
       .overrides = {.region = "cn-northwest-1"},
       .url = "https://iam.cn-north-1.amazonaws.com.cn/",
       .region = "cn-north-1"},
      {.name = "IAM in GovCloud",
       .overrides = {.region = "us-gov-east-1"},
       .url = "https://iam.us-gov.amazonaws.com/",
       .region = "us-gov-west-1"},
      {.name = "STS is regional",
       .service = Service::kSts,
       .overrides = {.region = "eu-west-1"},
       .url = "https://sts.eu-west-1.amazonaws.com/",
       .region = "eu-west-1"},
      {.name = "STS global",
       .service = Service::kSts,
       .overrides = {.region = "aws-global"},
       .url = "https://sts.amazonaws.com/",
       .region = "us-east-1"},
      {.name = "STS in China",
       .service = Service::kSts,
       .overrides = {.region = "cn-north-1"},
       .url = "https://sts.cn-north-1.amazonaws.com.cn/",
       .region = "cn-north-1"},
      {.name = "STS needs a region", .service = Service::kSts, .error_code = "NoRegion"},
      {.name = "Organizations is global",
       .service = Service::kOrganizations,
       .overrides = {.region = "eu-west-1"},
       .url = "https://organizations.us-east-1.amazonaws.com/",
       .region = "us-east-1"},
      {.name = "Account is global",
       .service = Service::kAccount,
       .overrides = {.region = "eu-west-1"},
       .url = "https://account.us-east-1.amazonaws.com/",
       .region = "us-east-1"},
      {.name = "AWS_ENDPOINT_URL_ORGANIZATIONS",
       .service = Service::kOrganizations,
       .environment = {{"AWS_ENDPOINT_URL_ORGANIZATIONS", "http://127.0.0.1:7007/"},
                       {"AWS_REGION", "eu-west-1"}},
       .url = "http://127.0.0.1:7007/",
       .region = "eu-west-1"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    testing::TempDir home;
    home.Write(".aws/config", c.config);
    Environment environment = c.environment;
    environment["HOME"] = home.path().string();
    const auto profile = ResolveProfile(c.overrides, environment);
    ASSERT_TRUE(profile.has_value()) << profile.error().message;
    const auto endpoint = ResolveEndpoint(c.service, c.overrides, *profile, environment);
    if (!c.error_code.empty()) {
      ASSERT_FALSE(endpoint.has_value());
      EXPECT_EQ(endpoint.error().code, c.error_code) << endpoint.error().message;
      continue;
    }
    ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
    EXPECT_EQ(endpoint->url.ToString(), c.url);
    EXPECT_EQ(endpoint->signing_region, c.region);
    EXPECT_EQ(endpoint->signing_name, SigningName(c.service));
    if (!c.source.empty()) {
      EXPECT_EQ(endpoint->source, c.source);
    }
  }
}

}  // namespace
}  // namespace fulcrum::client
