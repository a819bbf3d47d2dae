#pragma once

// Step one of SigV4 verification: find the request's authentication, in the Authorization header
// or in the query string (presigned URLs), and check its form. No secret is needed here; the
// caller looks up the access key next and then calls VerifySignature (verifier.h).
//
// Errors use AWS's codes and messages (AWS answers these before it looks at the key):
//   MissingAuthenticationToken  no Authorization header and no X-Amz-Algorithm query parameter,
//                               or a query algorithm other than AWS4-HMAC-SHA256.
//   IncompleteSignature         an unsupported header algorithm, a parameter that is not
//                               key=value, a missing Credential / SignedHeaders / Signature /
//                               X-Amz-Date, a credential that is not 5 '/'-separated parts, an
//                               X-Amz-Date that is not YYYYMMDDTHHMMSSZ, a bad X-Amz-Expires.
//   SignatureDoesNotMatch       host not signed, a scope terminator other than aws4_request, a
//                               scope date other than X-Amz-Date's day, or authentication in
//                               both the header and the query.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "sigv4/request.h"

namespace fulcrum::sigv4 {

enum class AuthMode {
  kHeader,  // Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...
  kQuery,   // X-Amz-Algorithm, X-Amz-Credential, ... in the query string (presigned URL).
};

struct AuthParams {
  AuthMode mode = AuthMode::kHeader;
  std::string access_key_id;
  // The credential scope: DATE/REGION/SERVICE/TERMINATOR.
  std::string scope_date;  // YYYYMMDD, equal to the first 8 characters of amz_date.
  std::string region;      // Whatever the client signed with; any region is accepted here.
  std::string service;     // The signing name ("iam", "sts", ...); the caller checks it.
  std::string terminator;  // Always "aws4_request" after a successful parse.
  // As sent (lower case, sorted by well-behaved clients); always contains "host".
  std::vector<std::string> signed_headers;
  std::string signature;
  // X-Amz-Date as sent ("20240501T120000Z") and as a time.
  std::string amz_date;
  TimePoint request_time;
  // X-Amz-Expires in seconds (query mode only; 0..604800).
  std::optional<std::int64_t> expires_seconds;
  // From the X-Amz-Security-Token header (header mode) or query parameter (query mode).
  std::optional<std::string> security_token;

  // "DATE/REGION/SERVICE/TERMINATOR", as it appears in the string to sign.
  [[nodiscard]] std::string CredentialScope() const;
};

// On success, the authentication parameters of `request`, in the form described above.
// Thread-safe; allocates only the returned strings when the query string is empty.
[[nodiscard]] Result<AuthParams> ParseAuthentication(const HttpRequest& request);

}  // namespace fulcrum::sigv4
