#pragma once

// Step two of SigV4 verification, once the caller has found the secret of params.access_key_id:
// check the request time, the payload hash and the signature.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html

#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "sigv4/auth_params.h"
#include "sigv4/canonical.h"
#include "sigv4/request.h"
#include "sigv4/signing_key_cache.h"

namespace fulcrum::sigv4 {

// How far X-Amz-Date may be from the server's clock, either way.
inline constexpr std::chrono::minutes kAllowedSkew{15};

// The intermediates of a verification, for tests and debugging. It holds no secret and no
// signing key; the canonical request can hold a session token, so log it only at debug level.
struct VerificationTrace {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // The signature the server computed.
};

// Succeeds when X-Amz-Date is within kAllowedSkew of `now` and, for a presigned URL, `now` is
// not past X-Amz-Date + X-Amz-Expires. Otherwise SignatureDoesNotMatch with AWS's message:
// "Signature expired: 20261127T170000Z is now earlier than 20261127T172500Z (20261127T174000Z -
// 15 min.)" or "Signature not yet current: 20261127T180000Z is still later than
// 20261127T175500Z (20261127T174000Z + 15 min.)". Thread-safe.
[[nodiscard]] Result<void> CheckRequestTime(const AuthParams& params, TimePoint now);

// The canonical request, string to sign and signature of `request` as the holder of `key`
// computes them, with the payload hashed from the body.
// REQUIRES: `params` was parsed from `request`.
[[nodiscard]] VerificationTrace TraceSignature(const HttpRequest& request, const AuthParams& params,
                                               const SigningKey& key);

// Succeeds when `request` is signed, as `params` describe, with `secret`, at a time `now`
// accepts. In order: CheckRequestTime; an x-amz-content-sha256 header, when present, must be
// the hex SHA-256 of the body (else SignatureDoesNotMatch); the signature must match, compared
// in constant time (else SignatureDoesNotMatch with AWS's message). The signing key comes from
// `keys`. The caller checks the scope's service and the session token.
// REQUIRES: `params` was parsed from `request`. Thread-safe.
[[nodiscard]] Result<void> VerifySignature(const HttpRequest& request, const AuthParams& params,
                                           std::string_view secret, TimePoint now,
                                           SigningKeyCache& keys);

}  // namespace fulcrum::sigv4
