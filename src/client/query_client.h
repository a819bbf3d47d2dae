#pragma once

// QueryClient: calls an AWS query-protocol API (IAM, STS): form-encodes Action, Version and the
// parameters, signs with SigV4 (sigv4::Sign, as botocore signs: content-type, host, x-amz-date),
// POSTs, and returns the `<ActionResult>` element or the AWS error.
// https://docs.aws.amazon.com/IAM/latest/APIReference/iam-api.pdf (Making query requests)
//
// Failed attempts are re-signed and retried per RetryPolicy when IsRetryable says so.
//
// Thread-safety: not thread-safe (it drives one Transport); use one per thread.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/endpoint.h"
#include "client/http_transport.h"
#include "client/query_xml.h"
#include "common/clock.h"
#include "common/result.h"
#include "sigv4/signer.h"

namespace fulcrum::client {

inline constexpr std::string_view kIamApiVersion = "2010-05-08";
inline constexpr std::string_view kStsApiVersion = "2011-06-15";

// Parameters in the query protocol's flattened form, in order: ("UserName", "alice"),
// ("Tags.member.1.Key", "team"), ...
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "Action=<action>&Version=<version>&k=v...", every key and value percent-encoded outside the
// RFC 3986 unreserved set, as botocore encodes query bodies.
[[nodiscard]] std::string EncodeQueryBody(std::string_view action, std::string_view version,
                                          const QueryParams& params);

class QueryClient {
 public:
  // `transport` and `clock` must outlive the client.
  QueryClient(Transport& transport, sigv4::Credentials credentials, const Clock& clock,
              RetryPolicy retry = {});

  // Calls `action` of `endpoint`'s service. On success, the `<{action}Result>` element (empty for
  // operations without output). Fails with the AWS error (code and message from the response), or
  // with the Transport's error when the endpoint cannot be reached after the retries.
  [[nodiscard]] Result<XmlNode> Call(const ServiceEndpoint& endpoint, std::string_view version,
                                     std::string_view action, const QueryParams& params);

  // "fulcrum/<version>": the User-Agent sent (not signed).
  static constexpr std::string_view kUserAgent = "fulcrum/0.1.0";

 private:
  Transport& transport_;
  sigv4::Credentials credentials_;
  const Clock& clock_;
  RetryPolicy retry_;
};

}  // namespace fulcrum::client
