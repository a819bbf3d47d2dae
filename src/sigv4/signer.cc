#include "sigv4/signer.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace fulcrum::sigv4 {
namespace {

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

void RemoveHeader(HttpRequest& request, std::string_view name) {
  std::erase_if(request.headers,
                [name](const auto& header) { return EqualsIgnoreCase(header.first, name); });
}

// The start of the state: date, scope, payload hash.
SigningState Begin(const HttpRequest& request, std::string_view region, std::string_view service,
                   TimePoint now) {
  SigningState state;
  state.amz_date = FormatAmzDate(now);
  state.credential_scope =
      CredentialScope(std::string_view(state.amz_date).substr(0, 8), region, service);
  state.payload_hash = Sha256Hex(request.body);
  return state;
}

// The last three stages, over the request as it will be sent.
SigningState Finish(const HttpRequest& request, const Credentials& credentials,
                    std::string_view region, std::string_view service, SigningState state) {
  state.canonical_request = CanonicalRequestFor(request, state.signed_headers, state.payload_hash);
  state.string_to_sign =
      StringToSign(state.amz_date, state.credential_scope, state.canonical_request);
  state.signing_key =
      DeriveSigningKey(credentials.secret_access_key, std::string_view(state.amz_date).substr(0, 8),
                       region, service);
  state.signature = ComputeSignature(state.signing_key, state.string_to_sign);
  return state;
}

Error NoHost() { return Error{"InvalidRequest", "the request has no Host header to sign", {}}; }

}  // namespace

Result<SigningState> Sign(HttpRequest& request, const Credentials& credentials,
                          std::string_view region, std::string_view service, TimePoint now,
                          const SignOptions& options) {
  if (!FindHeader(request, "host")) {
    return Fail(NoHost());
  }
  for (const std::string_view name :
       {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}) {
    RemoveHeader(request, name);
  }
  SigningState state = Begin(request, region, service, now);
  request.headers.emplace_back("X-Amz-Date", state.amz_date);
  if (credentials.session_token) {
    request.headers.emplace_back("X-Amz-Security-Token", *credentials.session_token);
  }
  if (options.sign_payload_header) {
    request.headers.emplace_back("X-Amz-Content-Sha256", state.payload_hash);
  }

  for (const auto& [name, value] : request.headers) {
    std::string lower = ToLower(name);
    if (lower == "host" || lower == "content-type" || lower.starts_with("x-amz-")) {
      state.signed_headers.push_back(std::move(lower));
    }
  }
  std::sort(state.signed_headers.begin(), state.signed_headers.end());
  state.signed_headers.erase(std::unique(state.signed_headers.begin(), state.signed_headers.end()),
                             state.signed_headers.end());

  state = Finish(request, credentials, region, service, std::move(state));
  request.headers.emplace_back(
      "Authorization", fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}",
                                   kAlgorithm, credentials.access_key_id, state.credential_scope,
                                   SignedHeadersLine(state.signed_headers), state.signature));
  return state;
}

Result<SigningState> Presign(HttpRequest& request, const Credentials& credentials,
                             std::string_view region, std::string_view service, TimePoint now,
                             std::chrono::seconds expires) {
  if (!FindHeader(request, "host")) {
    return Fail(NoHost());
  }
  if (expires < std::chrono::seconds(1) || expires > std::chrono::days(7)) {
    return Fail("InvalidRequest", "a presigned URL must expire within 1 second to 7 days");
  }
  SigningState state = Begin(request, region, service, now);
  state.signed_headers = {"host"};

  std::string& target = request.target;
  const std::string_view query = SplitTarget(target).query;
  if (target.find('?') == std::string::npos) {
    target += '?';
  } else if (!query.empty() && !query.ends_with('&')) {
    target += '&';
  }
  target += fmt::format(
      "X-Amz-Algorithm={}&X-Amz-Credential={}&X-Amz-Date={}&X-Amz-Expires={}"
      "&X-Amz-SignedHeaders=host",
      kAlgorithm, PercentEncode(credentials.access_key_id + "/" + state.credential_scope),
      state.amz_date, expires.count());
  if (credentials.session_token) {
    target += "&X-Amz-Security-Token=";
    target += PercentEncode(*credentials.session_token);
  }

  state = Finish(request, credentials, region, service, std::move(state));
  target += "&X-Amz-Signature=";
  target += state.signature;
  return state;
}

}  // namespace fulcrum::sigv4
