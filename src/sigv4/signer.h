#pragma once

// The client side of SigV4, for the CLI and for tests: signs a request the way botocore does,
// with the same canonicalizer the verifier uses (canonical.h).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "sigv4/canonical.h"
#include "sigv4/request.h"

namespace fulcrum::sigv4 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::optional<std::string> session_token;  // For temporary (ASIA...) credentials.
};

struct SignOptions {
  // Also send and sign x-amz-content-sha256 with the body's hash (as the JS SDK v3 does).
  bool sign_payload_header = false;
};

// Every intermediate of a signature, so tests can check each stage. `signing_key` is as secret
// as the secret access key: never log it.
struct SigningState {
  std::string amz_date;
  std::string credential_scope;
  std::vector<std::string> signed_headers;
  std::string payload_hash;
  std::string canonical_request;
  std::string string_to_sign;
  SigningKey signing_key{};
  std::string signature;
};

// Signs `request` in header mode at time `now`. Existing Authorization, X-Amz-Date,
// X-Amz-Security-Token and X-Amz-Content-Sha256 headers are replaced; X-Amz-Date,
// X-Amz-Security-Token (with a session token), X-Amz-Content-Sha256 (with
// options.sign_payload_header) and Authorization are appended. The signed headers are host,
// content-type when present and every x-amz-* header, lower case and sorted.
// On success, the intermediates. Fails with InvalidRequest when `request` has no Host header.
[[nodiscard]] Result<SigningState> Sign(HttpRequest& request, const Credentials& credentials,
                                        std::string_view region, std::string_view service,
                                        TimePoint now, const SignOptions& options = {});

// Presigns `request` in query mode (a presigned URL, usually for GET): appends X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders=host, X-Amz-Security-Token
// (with a session token) and finally X-Amz-Signature to the target's query. The payload hash is
// that of the body (empty for GET). On success, the intermediates. Fails with InvalidRequest when
// `request` has no Host header or `expires` is outside 1 s .. 7 days.
[[nodiscard]] Result<SigningState> Presign(HttpRequest& request, const Credentials& credentials,
                                           std::string_view region, std::string_view service,
                                           TimePoint now, std::chrono::seconds expires);

}  // namespace fulcrum::sigv4
