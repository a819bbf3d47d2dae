#include "client/query_client.h"

#include <thread>

#include "common/encoding.h"

namespace fulcrum::client {

std::string EncodeQueryBody(std::string_view action, std::string_view version,
                            const QueryParams& params) {
  std::string body = "Action=" + PercentEncode(action) + "&Version=" + PercentEncode(version);
  for (const auto& [key, value] : params) {
    body += '&';
    body += PercentEncode(key);
    body += '=';
    body += PercentEncode(value);
  }
  return body;
}

QueryClient::QueryClient(Transport& transport, sigv4::Credentials credentials, const Clock& clock,
                         RetryPolicy retry)
    : transport_(transport),
      credentials_(std::move(credentials)),
      clock_(clock),
      retry_(std::move(retry)) {
  if (!retry_.sleep) {
    retry_.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  }
  if (retry_.max_attempts < 1) {
    retry_.max_attempts = 1;
  }
}

Result<XmlNode> QueryClient::Call(const ServiceEndpoint& endpoint, std::string_view version,
                                  std::string_view action, const QueryParams& params) {
  const std::string body = EncodeQueryBody(action, version, params);
  const std::string url = endpoint.url.ToString();
  for (int attempt = 1;; ++attempt) {
    sigv4::HttpRequest request{
        .method = "POST",
        .target = endpoint.url.path.empty() ? "/" : endpoint.url.path,
        .headers = {{"Host", endpoint.url.authority},
                    {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                    {"User-Agent", std::string(kUserAgent)}},
        .body = body};
    auto signed_request = sigv4::Sign(request, credentials_, endpoint.signing_region,
                                      endpoint.signing_name, clock_.Now());
    if (!signed_request) {
      return Fail(signed_request.error());
    }
    auto response = transport_.Send(endpoint.url, request);
    Error error;
    long status = 0;
    if (response) {
      auto result = ParseQueryResponse(action, response->status, response->body, url);
      if (result) {
        return result;
      }
      error = std::move(result.error());
      status = response->status;
    } else {
      error = std::move(response.error());
    }
    if (attempt >= retry_.max_attempts || !IsRetryable(error, status)) {
      return Fail(std::move(error));
    }
    retry_.sleep(retry_.DelayBefore(attempt + 1));
  }
}

}  // namespace fulcrum::client
