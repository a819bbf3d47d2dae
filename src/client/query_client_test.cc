#include "client/query_client.h"

#include <gtest/gtest.h>

#include "client/client_test_support.h"
#include "common/time_format.h"
#include "sigv4/auth_params.h"

namespace fulcrum::client {
namespace {

using testing::CannedResponse;
using testing::FakeTransport;
using testing::XmlResponse;

const TimePoint kNow = *ParseIso8601("2024-05-01T12:00:00Z");
const sigv4::Credentials kCredentials{"AKIAIOSFODNN7EXAMPLE",
                                      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", std::nullopt};

ServiceEndpoint LocalEndpoint(Service service, std::string url = "http://127.0.0.1:4566") {
  return ServiceEndpoint{.service = service,
                         .url = *ParseEndpointUrl(url),
                         .signing_region = "eu-west-1",
                         .signing_name = std::string(SigningName(service)),
                         .source = "test"};
}

TEST(EncodeQueryBodyTest, EncodesAsBotocoreDoes) {
  const struct {
    const char* action;
    QueryParams params;
    const char* body;
  } cases[] = {
      {"GetCallerIdentity", {}, "Action=GetCallerIdentity&Version=2010-05-08"},
      {"AttachUserPolicy",
       {{"UserName", "bootstrap-admin"},
        {"PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"}},
       "Action=AttachUserPolicy&Version=2010-05-08&UserName=bootstrap-admin&"
       "PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAdministratorAccess"},
      {"CreateLoginProfile",
       {{"Password", "Sup3r$ecret-Pass"}, {"Note", "a b+c~d_e.f*"}},
       "Action=CreateLoginProfile&Version=2010-05-08&Password=Sup3r%24ecret-Pass&"
       "Note=a%20b%2Bc~d_e.f%2A"},
      {"CreateUser",
       {{"Tags.member.1.Key", "caf\xC3\xA9"}, {"Tags.member.1.Value", ""}},
       "Action=CreateUser&Version=2010-05-08&Tags.member.1.Key=caf%C3%A9&Tags.member.1.Value="},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(EncodeQueryBody(c.action, kIamApiVersion, c.params), c.body);
  }
}

TEST(ParseQueryResponseTest, ReturnsTheResultElement) {
  const auto canned = CannedResponse("sts/GetCallerIdentity.xml");
  const auto result = ParseQueryResponse("GetCallerIdentity", 200, canned.body, "http://h/");
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->get<std::string>("Account"), "123456789012");
  EXPECT_EQ(result->get<std::string>("Arn"), "arn:aws:iam::123456789012:user/admin");

  const auto empty = ParseQueryResponse("AttachUserPolicy", 200,
                                        CannedResponse("iam/AttachUserPolicy.xml").body, "u");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());

  const auto not_xml = ParseQueryResponse("GetUser", 200, "<html>oops", "http://h/");
  ASSERT_FALSE(not_xml.has_value());
  EXPECT_EQ(not_xml.error().code, "ResponseParserError");
  EXPECT_EQ(not_xml.error().message,
            "the response of GetUser from http://h/ is not XML: <html>oops");
}

TEST(ParseQueryErrorTest, ReadsAwsErrorDocuments) {
  const struct {
    const char* file;
    const char* code;
    const char* message;
    std::vector<std::pair<std::string, std::string>> fields;
  } cases[] = {
      {"errors/iam-NoSuchEntity.txt",
       "NoSuchEntity",
       "The user with name nobody cannot be found.",
       {{"Type", "Sender"},
        {"RequestId", "c0ffee00-0000-4000-8000-000000000001"},
        {"HttpStatus", "404"}}},
      {"errors/sts-SignatureDoesNotMatch.txt",
       "SignatureDoesNotMatch",
       "The request signature we calculated does not match the signature you provided. Check "
       "your AWS Secret Access Key and signing method. Consult the service documentation for "
       "details.",
       {{"Type", "Sender"},
        {"RequestId", "c0ffee00-0000-4000-8000-000000000001"},
        {"HttpStatus", "403"}}},
      {"errors/iam-Throttling.txt",
       "Throttling",
       "Rate exceeded",
       {{"Type", "Sender"},
        {"RequestId", "c0ffee00-0000-4000-8000-000000000001"},
        {"HttpStatus", "400"}}},
      {"variants/iam-error-no-type.txt",
       "ValidationError",
       "bad input",
       {{"RequestId", "c0ffee00-0000-4000-8000-000000000001"}, {"HttpStatus", "400"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const auto response = CannedResponse(c.file);
    const Error error = ParseQueryError(response.status, response.body, "http://h/");
    EXPECT_EQ(error.code, c.code);
    EXPECT_EQ(error.message, c.message);
    EXPECT_EQ(error.fields, c.fields);
  }
}

TEST(ParseQueryErrorTest, ReportsNonAwsBodiesByStatus) {
  const struct {
    long status;
    std::string body;
    std::string code;
    std::string message;
  } cases[] = {
      {502, "<html><body>\n  Bad   gateway\n</body></html>", "502",
       "HTTP 502 from http://h/: <html><body> Bad gateway </body></html>"},
      {404, "", "404", "HTTP 404 from http://h/"},
      {500, "<Oops/>", "500", "HTTP 500 from http://h/: <Oops/>"},
      {400, std::string(300, 'x'), "400",
       "HTTP 400 from http://h/: " + std::string(200, 'x') + "..."},
      {403, std::string("bin\x01\xff"), "403", "HTTP 403 from http://h/: bin??"},
  };
  for (const auto& c : cases) {
    const Error error = ParseQueryError(c.status, c.body, "http://h/");
    EXPECT_EQ(error.code, c.code);
    EXPECT_EQ(error.message, c.message);
  }
}

TEST(QueryClientTest, SignsAndPostsAFormRequest) {
  FakeTransport transport;
  transport.Push("sts/GetCallerIdentity.xml");
  const FixedClock clock(kNow);
  QueryClient client(transport, kCredentials, clock);
  const auto result = client.Call(LocalEndpoint(Service::kSts, "http://127.0.0.1:4566/prefix"),
                                  kStsApiVersion, "GetCallerIdentity", {});
  ASSERT_TRUE(result.has_value()) << result.error().message;

  ASSERT_EQ(transport.requests.size(), 1u);
  const auto& request = transport.requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/prefix");
  EXPECT_EQ(request.body, "Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(sigv4::FindHeader(request, "host"), std::optional<std::string_view>("127.0.0.1:4566"));
  EXPECT_EQ(sigv4::FindHeader(request, "content-type"),
            std::optional<std::string_view>("application/x-www-form-urlencoded; charset=utf-8"));
  EXPECT_EQ(sigv4::FindHeader(request, "x-amz-date"),
            std::optional<std::string_view>("20240501T120000Z"));
  const auto params = sigv4::ParseAuthentication(request);
  ASSERT_TRUE(params.has_value()) << params.error().message;
  EXPECT_EQ(params->access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(params->region, "eu-west-1");
  EXPECT_EQ(params->service, "sts");
  EXPECT_EQ(params->signed_headers,
            (std::vector<std::string>{"content-type", "host", "x-amz-date"}));
  EXPECT_EQ(transport.endpoints[0].authority, "127.0.0.1:4566");
}

TEST(QueryClientTest, RetriesTransientFailuresWithBackoff) {
  const struct {
    std::string name;
    std::vector<Result<HttpResponse>> script;
    bool succeeds;
    std::string code;
    size_t attempts;
  } cases[] = {
      {"503 then success",
       {XmlResponse(503, "Service Unavailable"), CannedResponse("sts/GetCallerIdentity.xml")},
       true,
       "",
       2},
      {"throttled twice then success",
       {CannedResponse("errors/iam-Throttling.txt"), CannedResponse("errors/iam-Throttling.txt"),
        CannedResponse("sts/GetCallerIdentity.xml")},
       true,
       "",
       3},
      {"connection refused then success",
       {Fail("EndpointConnectionError", "could not reach http://127.0.0.1:4566/: refused"),
        CannedResponse("sts/GetCallerIdentity.xml")},
       true,
       "",
       2},
      {"three 500s give up",
       {XmlResponse(500, ""), XmlResponse(500, ""), XmlResponse(500, ""),
        CannedResponse("sts/GetCallerIdentity.xml")},
       false,
       "500",
       3},
      {"client errors are final",
       {CannedResponse("errors/sts-InvalidClientTokenId.txt"),
        CannedResponse("sts/GetCallerIdentity.xml")},
       false,
       "InvalidClientTokenId",
       1},
      {"TLS failures are final",
       {Fail("SSLError", "TLS failed"), CannedResponse("sts/GetCallerIdentity.xml")},
       false,
       "SSLError",
       1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    FakeTransport transport;
    for (const auto& step : c.script) {
      transport.Push(step);
    }
    FixedClock clock(kNow);
    std::vector<std::chrono::milliseconds> waits;
    QueryClient client(transport, kCredentials, clock,
                       RetryPolicy{.sleep = [&](std::chrono::milliseconds delay) {
                         waits.push_back(delay);
                         clock.Advance(delay);
                       }});
    const auto result =
        client.Call(LocalEndpoint(Service::kSts), kStsApiVersion, "GetCallerIdentity", {});
    EXPECT_EQ(result.has_value(), c.succeeds);
    if (!c.succeeds) {
      EXPECT_EQ(result.error().code, c.code);
    }
    EXPECT_EQ(transport.requests.size(), c.attempts);
    ASSERT_EQ(waits.size(), c.attempts - 1);
    for (size_t i = 0; i < waits.size(); ++i) {
      EXPECT_EQ(waits[i], std::chrono::milliseconds(200 << i));
    }
  }
}

}  // namespace
}  // namespace fulcrum::client
