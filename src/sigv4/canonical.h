#pragma once

// The steps of AWS Signature Version 4, as free functions named after the spec's steps:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// (wire notes: shared reference, "SigV4 server-side verification", section 4.1).
//
// The signer (signer.h) and the verifier (verifier.h) both build their canonical request with
// CanonicalRequestFor, so a request signed here verifies here by construction, and both agree
// with AWS's clients on the test vectors.
//
// All functions are pure and thread-safe.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sigv4/request.h"

namespace fulcrum::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kTerminator = "aws4_request";
// Hex SHA-256 of the empty string: the payload hash of a request without a body.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

using SigningKey = std::array<std::uint8_t, 32>;

// Step 1a, CanonicalURI, for every service but S3: `raw_path` is the request's path exactly as
// received (still percent-encoded). Empty and "." segments are dropped, ".." removes the segment
// before it, a trailing '/' is kept, and an empty path becomes "/". The result is then
// percent-encoded again: every byte outside A-Za-z0-9-_.~/ becomes %XX (upper-case hex), so
// "/a%20b" becomes "/a%2520b".
[[nodiscard]] std::string CanonicalUri(std::string_view raw_path);

// Step 1b, CanonicalQueryString: `raw_query` (without '?') is split on '&' and each piece on its
// first '='; both sides are percent-decoded ('+' stays '+') and re-encoded with the unreserved
// set, then sorted by key and value bytewise and joined as "k=v&k=v". X-Amz-Signature is left
// out. A malformed escape is kept as literal text.
[[nodiscard]] std::string CanonicalQueryString(std::string_view raw_query);

// Step 1c, CanonicalHeaders: for each name of `signed_headers` in order, "name:value\n", where
// value joins with ',' the values of every header line of that name (ASCII case-insensitive),
// each trimmed and with runs of spaces and tabs collapsed to one space. A signed name absent
// from the request contributes nothing.
[[nodiscard]] std::string CanonicalHeaders(const HttpRequest& request,
                                           std::span<const std::string> signed_headers);

// Step 1d, SignedHeaders: the names joined with ';'.
[[nodiscard]] std::string SignedHeadersLine(std::span<const std::string> signed_headers);

// Step 1, CanonicalRequest: the six parts joined with '\n'. `canonical_headers` already ends
// with '\n', so an empty line follows it.
[[nodiscard]] std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                                           std::string_view canonical_query,
                                           std::string_view canonical_headers,
                                           std::string_view signed_headers_line,
                                           std::string_view payload_hash);

// Step 1 over a whole request: method, CanonicalUri and CanonicalQueryString of the request's
// target, CanonicalHeaders and SignedHeaders of `signed_headers`, and `payload_hash`.
[[nodiscard]] std::string CanonicalRequestFor(const HttpRequest& request,
                                              std::span<const std::string> signed_headers,
                                              std::string_view payload_hash);

// "DATE/REGION/SERVICE/aws4_request".
[[nodiscard]] std::string CredentialScope(std::string_view date, std::string_view region,
                                          std::string_view service);

// Step 2, StringToSign: "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" +
// hex(SHA-256(canonical_request)).
[[nodiscard]] std::string StringToSign(std::string_view amz_date, std::string_view scope,
                                       std::string_view canonical_request);

// Step 3, the signing key: kDate = HMAC("AWS4" + secret, date), kRegion = HMAC(kDate, region),
// kService = HMAC(kRegion, service), kSigning = HMAC(kService, "aws4_request").
// The result is as secret as `secret`: never log it.
[[nodiscard]] SigningKey DeriveSigningKey(std::string_view secret, std::string_view date,
                                          std::string_view region, std::string_view service);

// Step 4, the signature: lower-case hex of HMAC-SHA-256(key, string_to_sign).
[[nodiscard]] std::string ComputeSignature(const SigningKey& key, std::string_view string_to_sign);

}  // namespace fulcrum::sigv4
