#include "sigv4/auth_params.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/time_format.h"

namespace fulcrum::sigv4 {
namespace {

constexpr char kGoodAuthorization[] =
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/eu-west-1/iam/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd";

HttpRequest HeaderRequest(std::string authorization, std::string amz_date = "20240501T120000Z") {
  HttpRequest request{"POST", "/", {{"Host", "127.0.0.1:18080"}}, "Action=ListUsers"};
  if (!amz_date.empty()) {
    request.headers.emplace_back("X-Amz-Date", std::move(amz_date));
  }
  request.headers.emplace_back("Authorization", std::move(authorization));
  return request;
}

HttpRequest QueryRequest(const std::string& query) {
  return HttpRequest{"GET", "/?" + query, {{"Host", "127.0.0.1:18080"}}, ""};
}

constexpr char kGoodQuery[] =
    "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240501%2Fus-east-1%2Fsts%2Faws4_request"
    "&X-Amz-Date=20240501T120000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=60"
    "&X-Amz-Signature=feedbeef";

TEST(ParseAuthenticationTest, HeaderMode) {
  HttpRequest request = HeaderRequest(kGoodAuthorization);
  request.headers.emplace_back("x-amz-security-token", "TOKEN==");
  const Result<AuthParams> params = ParseAuthentication(request);
  ASSERT_TRUE(params.has_value()) << params.error().message;
  EXPECT_EQ(params->mode, AuthMode::kHeader);
  EXPECT_EQ(params->access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(params->scope_date, "20240501");
  EXPECT_EQ(params->region, "eu-west-1");
  EXPECT_EQ(params->service, "iam");
  EXPECT_EQ(params->terminator, "aws4_request");
  EXPECT_EQ(params->CredentialScope(), "20240501/eu-west-1/iam/aws4_request");
  EXPECT_EQ(params->signed_headers,
            (std::vector<std::string>{"content-type", "host", "x-amz-date"}));
  EXPECT_EQ(params->signature, "0123abcd");
  EXPECT_EQ(params->amz_date, "20240501T120000Z");
  EXPECT_EQ(params->request_time, ParseAmzDate("20240501T120000Z"));
  EXPECT_FALSE(params->expires_seconds.has_value());
  EXPECT_EQ(params->security_token, std::optional<std::string>("TOKEN=="));
}

TEST(ParseAuthenticationTest, HeaderModeToleratesSpacingAndOrder) {
  for (const std::string authorization :
       {"  AWS4-HMAC-SHA256   Signature=0123abcd ,SignedHeaders=content-type;host;x-amz-date,"
        "Credential=AKIAIOSFODNN7EXAMPLE/20240501/eu-west-1/iam/aws4_request  ",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/eu-west-1/iam/aws4_request,"
        "SignedHeaders=content-type;host;x-amz-date,,Signature=0123abcd"}) {
    const Result<AuthParams> params = ParseAuthentication(HeaderRequest(authorization));
    ASSERT_TRUE(params.has_value()) << authorization << ": " << params.error().message;
    EXPECT_EQ(params->access_key_id, "AKIAIOSFODNN7EXAMPLE");
    EXPECT_EQ(params->signature, "0123abcd");
    EXPECT_EQ(params->signed_headers.size(), 3u);
  }
}

TEST(ParseAuthenticationTest, QueryMode) {
  const Result<AuthParams> params =
      ParseAuthentication(QueryRequest(std::string(kGoodQuery) + "&X-Amz-Security-Token=a%2Bb%3D"));
  ASSERT_TRUE(params.has_value()) << params.error().message;
  EXPECT_EQ(params->mode, AuthMode::kQuery);
  EXPECT_EQ(params->access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(params->CredentialScope(), "20240501/us-east-1/sts/aws4_request");
  EXPECT_EQ(params->signed_headers, std::vector<std::string>{"host"});
  EXPECT_EQ(params->signature, "feedbeef");
  EXPECT_EQ(params->expires_seconds, std::optional<std::int64_t>(60));
  EXPECT_EQ(params->security_token, std::optional<std::string>("a+b="));
}

struct ErrorCase {
  std::string name;
  HttpRequest request;
  std::string code;
  std::string message;
};

TEST(ParseAuthenticationTest, Errors) {
  const std::string scope = "AKIAIOSFODNN7EXAMPLE/20240501/us-east-1/iam/aws4_request";
  const ErrorCase cases[] = {
      {"no authentication",
       HttpRequest{"POST", "/", {{"Host", "h"}, {"X-Amz-Date", "20240501T120000Z"}}, ""},
       "MissingAuthenticationToken", "Request is missing Authentication Token"},
      {"query without X-Amz-Algorithm", QueryRequest("Action=GetCallerIdentity&X-Amz-Date=x"),
       "MissingAuthenticationToken", "Request is missing Authentication Token"},
      {"query with another algorithm", QueryRequest("X-Amz-Algorithm=AWS4-HMAC-SHA512"),
       "MissingAuthenticationToken", "Request is missing Authentication Token"},
      {"header with another algorithm",
       HeaderRequest("AWS4-HMAC-SHA512 Credential=" + scope + ", SignedHeaders=host, Signature=a"),
       "IncompleteSignature", "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."},
      {"signature version 2 header", HeaderRequest("AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl"),
       "IncompleteSignature", "Unsupported AWS 'algorithm': 'AWS'."},
      {"missing signature and signed headers", HeaderRequest("AWS4-HMAC-SHA256 Credential=ABCDEF"),
       "IncompleteSignature",
       "Authorization header requires 'Signature' parameter. Authorization header requires "
       "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF"},
      {"nothing but the algorithm", HeaderRequest("AWS4-HMAC-SHA256", ""), "IncompleteSignature",
       "Authorization header requires 'Credential' parameter. Authorization header requires "
       "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
       "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
       "Authorization=AWS4-HMAC-SHA256"},
      {"missing X-Amz-Date",
       HeaderRequest("AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host, Signature=a",
                     ""),
       "IncompleteSignature",
       "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
       "Authorization=AWS4-HMAC-SHA256 Credential=" +
           scope + ", SignedHeaders=host, Signature=a"},
      {"parameter without '='",
       HeaderRequest("AWS4-HMAC-SHA256 " + scope + ", SignedHeaders=host, Signature=a"),
       "IncompleteSignature",
       "'" + scope +
           "' not a valid key=value pair (missing equal-sign) in Authorization header: "
           "'AWS4-HMAC-SHA256 " +
           scope + ", SignedHeaders=host, Signature=a'"},
      {"credential with 4 parts",
       HeaderRequest("AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/iam, SignedHeaders=host, "
                     "Signature=a"),
       "IncompleteSignature",
       "Credential must have exactly 5 slash-delimited elements, e.g. "
       "keyid/date/region/service/term, got 'AKID/20240501/us-east-1/iam'"},
      {"credential with 6 parts",
       HeaderRequest("AWS4-HMAC-SHA256 Credential=A/B/20240501/us-east-1/iam/aws4_request, "
                     "SignedHeaders=host, Signature=a"),
       "IncompleteSignature",
       "Credential must have exactly 5 slash-delimited elements, e.g. "
       "keyid/date/region/service/term, got 'A/B/20240501/us-east-1/iam/aws4_request'"},
      {"bad X-Amz-Date",
       HeaderRequest("AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host, Signature=a",
                     "2024-05-01T12:00:00Z"),
       "IncompleteSignature",
       "Date must be in ISO-8601 'basic format'. Got '2024-05-01T12:00:00Z'. See "
       "http://en.wikipedia.org/wiki/ISO_8601"},
      {"host not signed",
       HeaderRequest("AWS4-HMAC-SHA256 Credential=" + scope +
                     ", SignedHeaders=content-type;x-amz-date, Signature=a"),
       "SignatureDoesNotMatch",
       "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
      {"wrong terminator",
       HeaderRequest("AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/iam/aws5_request, "
                     "SignedHeaders=host, Signature=a"),
       "SignatureDoesNotMatch",
       "Credential should be scoped with a valid terminator: 'aws4_request', not "
       "'aws5_request'."},
      {"scope date differs from X-Amz-Date",
       HeaderRequest("AWS4-HMAC-SHA256 Credential=AKID/20240502/us-east-1/iam/aws4_request, "
                     "SignedHeaders=host, Signature=a"),
       "SignatureDoesNotMatch",
       "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
       "HTTP: '20240502' != '20240501', from '20240501T120000Z'."},
      {"query missing everything", QueryRequest("X-Amz-Algorithm=AWS4-HMAC-SHA256"),
       "IncompleteSignature",
       "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string "
       "parameters must include 'X-Amz-Signature'. AWS query-string parameters must include "
       "'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. "
       "Re-examine the query-string parameters."},
      {"query with a non-numeric X-Amz-Expires",
       QueryRequest("X-Amz-Expires=soon&" + std::string(kGoodQuery)), "IncompleteSignature",
       "X-Amz-Expires should be a number"},
      {"query with X-Amz-Expires over a week",
       QueryRequest("X-Amz-Expires=604801&" + std::string(kGoodQuery)), "IncompleteSignature",
       "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
      {"both header and query",
       HttpRequest{"GET",
                   "/?" + std::string(kGoodQuery),
                   {{"Host", "h"}, {"Authorization", kGoodAuthorization}},
                   ""},
       "SignatureDoesNotMatch",
       "The request signature we calculated does not match the signature you provided. Check "
       "your AWS Secret Access Key and signing method. Consult the service documentation for "
       "details."},
  };
  for (const auto& c : cases) {
    const Result<AuthParams> params = ParseAuthentication(c.request);
    ASSERT_FALSE(params.has_value()) << c.name;
    EXPECT_EQ(params.error().code, c.code) << c.name;
    EXPECT_EQ(params.error().message, c.message) << c.name;
  }
}

TEST(ParseAuthenticationTest, FirstQueryValueWinsAndLastHeaderParameterWins) {
  const Result<AuthParams> query =
      ParseAuthentication(QueryRequest(std::string(kGoodQuery) + "&X-Amz-Signature=second"));
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(query->signature, "feedbeef");
  const Result<AuthParams> header =
      ParseAuthentication(HeaderRequest(std::string(kGoodAuthorization) + ", Signature=later"));
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->signature, "later");
}

}  // namespace
}  // namespace fulcrum::sigv4
