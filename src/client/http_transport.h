#pragma once

// The HTTP layer of the client: one request out, one response back. `Transport` is the seam that
// tests replace; `CurlTransport` is the real one, over a libcurl easy handle.
//
// CurlTransport keeps one easy handle, so connections to an endpoint are reused between calls.
// It verifies TLS against the system CA store (or `ca_bundle`), and leaves proxies to libcurl's
// environment handling (https_proxy / HTTPS_PROXY, http_proxy, NO_PROXY / no_proxy), adding only
// the upper-case HTTP_PROXY that libcurl ignores and botocore honours. Redirects are not followed.
// It never retries: the caller re-signs and retries (query_client.h).
//
// Thread-safety: a CurlTransport is not thread-safe (one handle); use one per thread.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/endpoint.h"
#include "common/result.h"
#include "sigv4/request.h"

namespace fulcrum::client {

struct HttpResponse {
  long status = 0;
  // Names as received; in order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Receives one line per event: the request line and headers before sending, the status line and
// headers after. Authorization and X-Amz-Security-Token values are replaced by "<redacted>";
// bodies are never passed (they carry secrets such as new access keys and passwords).
using DebugSink = std::function<void(std::string_view line)>;

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends `request` (its target, headers and body as signed) to `endpoint`'s scheme and authority.
  // On success, the response, whatever its status. Fails, naming the URL and the reason, with
  //  * EndpointConnectionError: the endpoint could not be reached (refused, unresolvable, reset);
  //  * ConnectTimeoutError / ReadTimeoutError: no connection, or no full response, in time;
  //  * SSLError: the TLS handshake or certificate check failed.
  [[nodiscard]] virtual Result<HttpResponse> Send(const EndpointUrl& endpoint,
                                                  const sigv4::HttpRequest& request) = 0;
};

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(60)};
  // A PEM bundle to verify servers with instead of the system store (AWS_CA_BUNDLE).
  std::optional<std::string> ca_bundle{};
  // The proxy for http:// endpoints, overriding libcurl's http_proxy lookup (NO_PROXY still
  // applies). Session sets it from HTTP_PROXY when http_proxy is unset.
  std::optional<std::string> http_proxy{};
  DebugSink debug{};
};

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  [[nodiscard]] Result<HttpResponse> Send(const EndpointUrl& endpoint,
                                          const sigv4::HttpRequest& request) override;

 private:
  struct Handle;
  TransportOptions options_;
  std::unique_ptr<Handle> handle_;
};

// The header value shown in debug output: "<redacted>" for Authorization and
// X-Amz-Security-Token (any case), `value` otherwise.
[[nodiscard]] std::string_view RedactedHeaderValue(std::string_view name, std::string_view value);

// When and how long to wait before trying a call again. The defaults follow botocore's "standard"
// retry mode (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html):
// 3 attempts, exponential backoff from `base_delay`, capped at `max_delay`. The delay has no
// jitter: one CLI process does not need to spread a herd.
struct RetryPolicy {
  int max_attempts = 3;
  std::chrono::milliseconds base_delay{std::chrono::milliseconds(200)};
  std::chrono::milliseconds max_delay{std::chrono::seconds(5)};
  // Waits between attempts; tests replace it. Default: std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep{};

  // The wait before attempt `next_attempt` (2, 3, ...).
  [[nodiscard]] std::chrono::milliseconds DelayBefore(int next_attempt) const;
};

// True for failures worth another attempt: transport errors (connection, timeouts; not TLS),
// HTTP 429 and 5xx, and the throttling and transient error codes botocore retries
// (Throttling, ThrottlingException, TooManyRequestsException, RequestLimitExceeded, ...).
[[nodiscard]] bool IsRetryable(const Error& error, long http_status);

}  // namespace fulcrum::client
