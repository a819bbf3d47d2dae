#include "sigv4/verifier.h"

#include <fmt/format.h>

#include <chrono>

#include "common/crypto.h"
#include "common/time_format.h"

namespace fulcrum::sigv4 {
namespace {

constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr std::string_view kPayloadHashMismatch =
    "The provided 'x-amz-content-sha256' header does not match what was computed.";

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// "15 min." or "90 sec.", as AWS words a window.
std::string DescribeWindow(std::chrono::seconds window) {
  if (window.count() % 60 == 0) {
    return fmt::format("{} min.", window.count() / 60);
  }
  return fmt::format("{} sec.", window.count());
}

VerificationTrace Trace(const HttpRequest& request, const AuthParams& params, const SigningKey& key,
                        std::string_view payload_hash) {
  VerificationTrace trace;
  trace.canonical_request = CanonicalRequestFor(request, params.signed_headers, payload_hash);
  trace.string_to_sign =
      StringToSign(params.amz_date, params.CredentialScope(), trace.canonical_request);
  trace.signature = ComputeSignature(key, trace.string_to_sign);
  return trace;
}

}  // namespace

Result<void> CheckRequestTime(const AuthParams& params, TimePoint now) {
  const TimePoint request_time = params.request_time;
  const TimePoint earliest = now - kAllowedSkew;
  const TimePoint latest = now + kAllowedSkew;
  if (request_time < earliest) {
    return Fail(
        "SignatureDoesNotMatch",
        fmt::format("Signature expired: {} is now earlier than {} ({} - {})", params.amz_date,
                    FormatAmzDate(earliest), FormatAmzDate(now), DescribeWindow(kAllowedSkew)));
  }
  if (request_time > latest) {
    return Fail("SignatureDoesNotMatch",
                fmt::format("Signature not yet current: {} is still later than {} ({} + {})",
                            params.amz_date, FormatAmzDate(latest), FormatAmzDate(now),
                            DescribeWindow(kAllowedSkew)));
  }
  if (params.expires_seconds) {
    const std::chrono::seconds expires(*params.expires_seconds);
    if (now > request_time + expires) {
      return Fail(
          "SignatureDoesNotMatch",
          fmt::format("Signature expired: {} is now earlier than {} ({} - {})", params.amz_date,
                      FormatAmzDate(now - expires), FormatAmzDate(now), DescribeWindow(expires)));
    }
  }
  return {};
}

VerificationTrace TraceSignature(const HttpRequest& request, const AuthParams& params,
                                 const SigningKey& key) {
  return Trace(request, params, key, Sha256Hex(request.body));
}

Result<void> VerifySignature(const HttpRequest& request, const AuthParams& params,
                             std::string_view secret, TimePoint now, SigningKeyCache& keys) {
  if (auto in_time = CheckRequestTime(params, now); !in_time) {
    return in_time;
  }
  const std::string payload_hash = Sha256Hex(request.body);
  if (const auto declared = FindHeader(request, "x-amz-content-sha256");
      declared && TrimBlanks(*declared) != payload_hash) {
    return Fail("SignatureDoesNotMatch", std::string(kPayloadHashMismatch));
  }
  const SigningKey key =
      keys.Get(params.access_key_id, secret, params.scope_date, params.region, params.service);
  const VerificationTrace trace = Trace(request, params, key, payload_hash);
  if (!ConstantTimeEquals(trace.signature, params.signature)) {
    return Fail("SignatureDoesNotMatch", std::string(kMismatch));
  }
  return {};
}

}  // namespace fulcrum::sigv4
