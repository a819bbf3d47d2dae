#include "http/service_resolver.h"

#include <gtest/gtest.h>

namespace fulcrum::http {
namespace {

using protocol::ServiceId;

sigv4::HttpRequest Form(std::string body, std::string target = "/") {
  return sigv4::HttpRequest{
      .method = "POST",
      .target = std::move(target),
      .headers = {{"Host", "127.0.0.1:4566"},
                  {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
      .body = std::move(body)};
}

TEST(ResolveServiceTest, EachServiceFromTheRequestAlone) {
  struct Case {
    std::string name;
    sigv4::HttpRequest request;
    std::optional<ServiceId> expected;
  };
  const std::vector<Case> cases = {
      {"IAM by Version", Form("Action=GetUser&Version=2010-05-08"), ServiceId::kIam},
      {"STS by Version", Form("Action=GetCallerIdentity&Version=2011-06-15"), ServiceId::kSts},
      {"Go SDK sorts the keys", Form("Action=DeleteUser&UserName=a&Version=2010-05-08"),
       ServiceId::kIam},
      {"absolute-form target",
       Form("Action=GetCallerIdentity&Version=2011-06-15", "http://127.0.0.1:4566/"),
       ServiceId::kSts},
      {"Organizations by X-Amz-Target",
       sigv4::HttpRequest{
           .method = "POST",
           .target = "/",
           .headers = {{"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", "AWSOrganizationsV20161128.DescribeOrganization"}},
           .body = "{}"},
       ServiceId::kOrganizations},
      {"Account by path",
       sigv4::HttpRequest{.method = "POST",
                          .target = "/getAlternateContact",
                          .headers = {{"Content-Type", "application/json"}},
                          .body = R"({"AlternateContactType":"SECURITY"})"},
       ServiceId::kAccount},
      {"presigned GET",
       sigv4::HttpRequest{.method = "GET",
                          .target = "/?Action=GetCallerIdentity&Version=2011-06-15"
                                    "&X-Amz-Algorithm=AWS4-HMAC-SHA256",
                          .headers = {},
                          .body = ""},
       ServiceId::kSts},
      {"unknown Version", Form("Action=GetUser&Version=2099-01-01"), std::nullopt},
      {"another X-Amz-Target",
       sigv4::HttpRequest{.method = "POST",
                          .target = "/",
                          .headers = {{"X-Amz-Target", "DynamoDB_20120810.ListTables"}},
                          .body = "{}"},
       std::nullopt},
      {"a prefix of the target is not enough",
       sigv4::HttpRequest{.method = "POST",
                          .target = "/",
                          .headers = {{"X-Amz-Target", "AWSOrganizationsV20161128"}},
                          .body = "{}"},
       std::nullopt},
      {"unknown path",
       sigv4::HttpRequest{.method = "POST", .target = "/nothing", .headers = {}, .body = ""},
       std::nullopt},
      {"form without Version", Form("Action=GetUser"), std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ResolveService(c.request, QueryProtocolParams(c.request)), c.expected) << c.name;
  }
}

TEST(QueryProtocolParamsTest, PlusDecodesAsSpace) {
  const auto params =
      QueryProtocolParams(Form("Action=CreateUser&Version=2010-05-08&Path=%2Fa+b%2F"));
  const std::string* path = FindParam(params, "Path");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(*path, "/a b/");
}

TEST(QueryProtocolParamsTest, OnlyFormBodiesCarryParameters) {
  sigv4::HttpRequest json = Form("Action=GetUser&Version=2010-05-08");
  json.headers[1].second = "application/json";
  EXPECT_TRUE(QueryProtocolParams(json).empty());
}

TEST(ServiceBySigningNameTest, KnowsTheFourServices) {
  EXPECT_EQ(ServiceBySigningName("iam"), ServiceId::kIam);
  EXPECT_EQ(ServiceBySigningName("sts"), ServiceId::kSts);
  EXPECT_EQ(ServiceBySigningName("organizations"), ServiceId::kOrganizations);
  EXPECT_EQ(ServiceBySigningName("account"), ServiceId::kAccount);
  EXPECT_EQ(ServiceBySigningName("s3"), std::nullopt);
}

}  // namespace
}  // namespace fulcrum::http
