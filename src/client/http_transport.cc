#include "client/http_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <system_error>

#include "client/curl_library.h"

namespace fulcrum::client {
namespace {

struct SlistDeleter {
  const CurlLibrary* library;
  void operator()(curl_slist* list) const { library->slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::string_view TrimLine(std::string_view text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  return text;
}

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Collects the headers of the last response (a proxy's "200 Connection established" or a
// "100 Continue" come first and are dropped when the next status line arrives).
size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  const std::string_view line = TrimLine(std::string_view(data, size * count));
  if (line.starts_with("HTTP/")) {
    headers->clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The reason for a failed transfer, as people read it: the OS error when there is one
// ("Connection refused"), else curl's own message.
std::string Reason(const CurlLibrary& lib, CURL* curl, CURLcode code, const char* error_buffer) {
  long os_errno = 0;
  if (lib.easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK && os_errno != 0 &&
      code == CURLE_COULDNT_CONNECT) {
    return std::error_code(static_cast<int>(os_errno), std::generic_category()).message();
  }
  if (error_buffer[0] != '\0') {
    return std::string(TrimLine(error_buffer));
  }
  return lib.easy_strerror(code);
}

}  // namespace

struct CurlTransport::Handle {
  const CurlLibrary* library = nullptr;
  CURL* curl = nullptr;
  // Why `curl` is null: libcurl could not be loaded or a handle could not be made.
  std::string unavailable;
  ~Handle() {
    if (curl != nullptr) {
      library->easy_cleanup(curl);
    }
  }
};

CurlTransport::CurlTransport(TransportOptions options)
    : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
  auto library = LoadCurl();
  if (!library) {
    handle_->unavailable = library.error().message;
    return;
  }
  handle_->library = *library;
  handle_->curl = handle_->library->easy_init();
  if (handle_->curl == nullptr) {
    handle_->unavailable = "libcurl failed to initialise";
  }
}

CurlTransport::~CurlTransport() = default;

Result<HttpResponse> CurlTransport::Send(const EndpointUrl& endpoint,
                                         const sigv4::HttpRequest& request) {
  const std::string url = fmt::format("{}://{}{}", endpoint.scheme, endpoint.authority,
                                      request.target.empty() ? "/" : request.target);
  CURL* curl = handle_->curl;
  if (curl == nullptr) {
    return Fail("EndpointConnectionError",
                fmt::format("could not reach {}: {}", url, handle_->unavailable));
  }
  const CurlLibrary& lib = *handle_->library;
  // Reset drops the previous call's options but keeps the connection cache.
  lib.easy_reset(curl);

  Slist headers(nullptr, SlistDeleter{&lib});
  for (const auto& [name, value] : request.headers) {
    curl_slist* extended =
        lib.slist_append(headers.get(), fmt::format("{}: {}", name, value).c_str());
    if (extended == nullptr) {
      return Fail("EndpointConnectionError", fmt::format("could not reach {}: out of memory", url));
    }
    (void)headers.release();
    headers.reset(extended);
  }
  // No "Expect: 100-continue" round trip for larger bodies; no clients send it (wire README).
  if (curl_slist* extended = lib.slist_append(headers.get(), "Expect:")) {
    (void)headers.release();
    headers.reset(extended);
  }

  HttpResponse response;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  lib.easy_setopt(curl, CURLOPT_URL, url.c_str());
  lib.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  lib.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer.data());
  lib.easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  lib.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                  static_cast<long>(options_.connect_timeout.count()));
  lib.easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  lib.easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteBody);
  lib.easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  lib.easy_setopt(curl, CURLOPT_HEADERFUNCTION, &WriteHeader);
  lib.easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  if (options_.ca_bundle) {
    lib.easy_setopt(curl, CURLOPT_CAINFO, options_.ca_bundle->c_str());
  }
  if (endpoint.scheme == "http" && options_.http_proxy) {
    lib.easy_setopt(curl, CURLOPT_PROXY, options_.http_proxy->c_str());
  }
  if (request.method == "POST") {
    lib.easy_setopt(curl, CURLOPT_POST, 1L);
    lib.easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    lib.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                    static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    lib.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (!request.body.empty()) {
      lib.easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      lib.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                      static_cast<curl_off_t>(request.body.size()));
    }
  }

  if (options_.debug) {
    options_.debug(fmt::format("> {} {}", request.method, url));
    for (const auto& [name, value] : request.headers) {
      options_.debug(fmt::format("> {}: {}", name, RedactedHeaderValue(name, value)));
    }
  }

  const CURLcode code = lib.easy_perform(curl);
  lib.easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  lib.easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  if (code != CURLE_OK) {
    const std::string reason = Reason(lib, curl, code, error_buffer.data());
    if (options_.debug) {
      options_.debug(fmt::format("! {} {}: {}", request.method, url, reason));
    }
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT: {
        double connect_time = 0;
        lib.easy_getinfo(curl, CURLINFO_CONNECT_TIME, &connect_time);
        const bool connected = connect_time > 0;
        return Fail(
            connected ? "ReadTimeoutError" : "ConnectTimeoutError",
            fmt::format("timed out {} {}: {}",
                        connected ? "waiting for a response from" : "connecting to", url, reason));
      }
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CIPHER:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_ISSUER_ERROR:
        return Fail("SSLError", fmt::format("TLS failed with {}: {}", url, reason));
      default:
        return Fail("EndpointConnectionError", fmt::format("could not reach {}: {}", url, reason));
    }
  }
  lib.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (options_.debug) {
    options_.debug(fmt::format("< {} {} {}", response.status, request.method, url));
    for (const auto& [name, value] : response.headers) {
      options_.debug(fmt::format("< {}: {}", name, RedactedHeaderValue(name, value)));
    }
  }
  return response;
}

std::string_view RedactedHeaderValue(std::string_view name, std::string_view value) {
  if (EqualsIgnoreCase(name, "authorization") || EqualsIgnoreCase(name, "x-amz-security-token")) {
    return "<redacted>";
  }
  return value;
}

std::chrono::milliseconds RetryPolicy::DelayBefore(int next_attempt) const {
  auto delay = base_delay;
  for (int attempt = 2; attempt < next_attempt && delay < max_delay; ++attempt) {
    delay *= 2;
  }
  return std::min(delay, max_delay);
}

bool IsRetryable(const Error& error, long http_status) {
  static constexpr std::string_view kTransportCodes[] = {"EndpointConnectionError",
                                                         "ConnectTimeoutError", "ReadTimeoutError"};
  // botocore/data/_retry.json and retries/standard.py: throttling and transient codes.
  static constexpr std::string_view kRetryableCodes[] = {
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "RequestThrottledException",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "LimitExceededException",
      "RequestThrottled",
      "SlowDown",
      "PriorRequestNotComplete",
      "EC2ThrottledException",
      "RequestTimeout",
      "RequestTimeoutException",
      "IDPCommunicationError",
  };
  const auto in = [&error](const auto& codes) {
    return std::find(std::begin(codes), std::end(codes), error.code) != std::end(codes);
  };
  if (http_status == 0) {
    return in(kTransportCodes);
  }
  return http_status == 429 || http_status >= 500 || in(kRetryableCodes);
}

}  // namespace fulcrum::client
