#include "client/http_transport.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fulcrum::client {
namespace {

// A loopback port that nothing listens on: bound, read, then closed.
int ClosedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(CurlTransportTest, NamesTheUrlAndTheReasonWhenTheEndpointIsUnreachable) {
  const int port = ClosedLoopbackPort();
  ASSERT_NE(port, 0);
  std::vector<std::string> lines;
  CurlTransport transport(
      TransportOptions{.debug = [&lines](std::string_view line) { lines.emplace_back(line); }});
  const auto endpoint = ParseEndpointUrl(fmt::format("http://127.0.0.1:{}", port));
  ASSERT_TRUE(endpoint.has_value());
  const sigv4::HttpRequest request{
      "POST",
      "/",
      {{"Host", endpoint->authority},
       {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=abc"},
       {"X-Amz-Security-Token", "token-value"}},
      "Action=GetCallerIdentity&Version=2011-06-15"};
  const auto response = transport.Send(*endpoint, request);
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, "EndpointConnectionError");
  EXPECT_EQ(response.error().message,
            fmt::format("could not reach http://127.0.0.1:{}/: Connection refused", port));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], fmt::format("> POST http://127.0.0.1:{}/", port));
  for (const auto& line : lines) {
    EXPECT_EQ(line.find("Signature=abc"), std::string::npos) << line;
    EXPECT_EQ(line.find("token-value"), std::string::npos) << line;
    EXPECT_EQ(line.find("Action="), std::string::npos) << line;  // No bodies.
  }
}

TEST(CurlTransportTest, RedactsSecretsInDebugOutput) {
  const struct {
    const char* name;
    const char* value;
    const char* shown;
  } cases[] = {
      {"Authorization", "AWS4-HMAC-SHA256 Credential=...", "<redacted>"},
      {"authorization", "x", "<redacted>"},
      {"X-Amz-Security-Token", "token", "<redacted>"},
      {"x-amz-security-token", "token", "<redacted>"},
      {"X-Amz-Date", "20240501T120000Z", "20240501T120000Z"},
      {"Host", "127.0.0.1:4566", "127.0.0.1:4566"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RedactedHeaderValue(c.name, c.value), c.shown) << c.name;
  }
}

TEST(RetryPolicyTest, BacksOffExponentiallyUpToTheCap) {
  const RetryPolicy policy{.max_attempts = 8,
                           .base_delay = std::chrono::milliseconds(100),
                           .max_delay = std::chrono::milliseconds(1000)};
  const std::pair<int, int> cases[] = {{2, 100}, {3, 200},  {4, 400},
                                       {5, 800}, {6, 1000}, {9, 1000}};
  for (const auto& [attempt, millis] : cases) {
    EXPECT_EQ(policy.DelayBefore(attempt), std::chrono::milliseconds(millis)) << attempt;
  }
}

TEST(RetryPolicyTest, RetriesTransientFailuresOnly) {
  const struct {
    const char* code;
    long status;
    bool retryable;
  } cases[] = {
      {"EndpointConnectionError", 0, true},
      {"ConnectTimeoutError", 0, true},
      {"ReadTimeoutError", 0, true},
      {"SSLError", 0, false},
      {"Throttling", 400, true},
      {"ThrottlingException", 400, true},
      {"TooManyRequestsException", 400, true},
      {"RequestLimitExceeded", 503, true},
      {"ServiceFailure", 500, true},
      {"502", 502, true},
      {"429", 429, true},
      {"NoSuchEntity", 404, false},
      {"LimitExceeded", 409, false},  // IAM quotas: botocore does not retry them.
      {"SignatureDoesNotMatch", 403, false},
      {"ValidationError", 400, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IsRetryable(Error{c.code, "", {}}, c.status), c.retryable) << c.code;
  }
}

}  // namespace
}  // namespace fulcrum::client
