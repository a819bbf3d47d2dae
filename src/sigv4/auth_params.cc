#include "sigv4/auth_params.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <string_view>

#include "common/encoding.h"
#include "common/time_format.h"
#include "sigv4/canonical.h"

namespace fulcrum::sigv4 {
namespace {

// AWS's messages, word for word.
constexpr std::string_view kMissingToken = "Request is missing Authentication Token";
constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr std::string_view kHostMustBeSigned =
    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
// X-Amz-Expires may not exceed a week, as for every SigV4 presigned URL.
constexpr std::int64_t kMaxExpiresSeconds = 604800;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsBlank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::vector<std::string> SplitSignedHeaders(std::string_view line) {
  std::vector<std::string> names;
  for (;;) {
    const std::size_t semicolon = line.find(';');
    names.emplace_back(line.substr(0, semicolon));
    if (semicolon == std::string_view::npos) {
      return names;
    }
    line.remove_prefix(semicolon + 1);
  }
}

// The form checks shared by both modes, then the parsed parameters.
Result<AuthParams> Finish(AuthMode mode, std::string_view credential,
                          std::string_view signed_headers, std::string_view signature,
                          std::string_view amz_date) {
  AuthParams params;
  params.mode = mode;

  // Credential: AKID/DATE/REGION/SERVICE/TERMINATOR.
  std::array<std::string_view, 5> parts;
  std::size_t count = 0;
  std::string_view rest = credential;
  for (;;) {
    const std::size_t slash = rest.find('/');
    if (count < 5) {
      parts[count] = rest.substr(0, slash);
    }
    ++count;
    if (slash == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(slash + 1);
  }
  if (count != 5) {
    return Fail("IncompleteSignature",
                fmt::format("Credential must have exactly 5 slash-delimited elements, e.g. "
                            "keyid/date/region/service/term, got '{}'",
                            credential));
  }

  const std::optional<TimePoint> time = ParseAmzDate(amz_date);
  if (!time) {
    return Fail("IncompleteSignature",
                fmt::format("Date must be in ISO-8601 'basic format'. Got '{}'. See "
                            "http://en.wikipedia.org/wiki/ISO_8601",
                            amz_date));
  }

  params.signed_headers = SplitSignedHeaders(signed_headers);
  bool host_signed = false;
  for (const std::string& name : params.signed_headers) {
    host_signed = host_signed || name == "host";
  }
  if (!host_signed) {
    return Fail("SignatureDoesNotMatch", std::string(kHostMustBeSigned));
  }

  std::string scope_errors;
  if (parts[4] != kTerminator) {
    scope_errors += fmt::format(
        "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.", parts[4]);
  }
  const std::string_view request_day = amz_date.substr(0, 8);
  if (parts[1] != request_day) {
    if (!scope_errors.empty()) {
      scope_errors += ' ';
    }
    scope_errors += fmt::format(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '{}' != '{}', from '{}'.",
        parts[1], request_day, amz_date);
  }
  if (!scope_errors.empty()) {
    return Fail("SignatureDoesNotMatch", std::move(scope_errors));
  }

  params.access_key_id = parts[0];
  params.scope_date = parts[1];
  params.region = parts[2];
  params.service = parts[3];
  params.terminator = parts[4];
  params.signature = signature;
  params.amz_date = amz_date;
  params.request_time = *time;
  return params;
}

Result<AuthParams> ParseHeader(const HttpRequest& request, std::string_view authorization) {
  const std::string_view header = Trim(authorization);
  const std::size_t space = header.find_first_of(" \t");
  const std::string_view algorithm = header.substr(0, space);
  if (algorithm != kAlgorithm) {
    return Fail("IncompleteSignature",
                fmt::format("Unsupported AWS 'algorithm': '{}'.", algorithm));
  }

  std::optional<std::string_view> credential;
  std::optional<std::string_view> signed_headers;
  std::optional<std::string_view> signature;
  std::string_view rest =
      space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view parameter = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (parameter.empty()) {
      continue;
    }
    const std::size_t eq = parameter.find('=');
    if (eq == std::string_view::npos) {
      return Fail("IncompleteSignature",
                  fmt::format("'{}' not a valid key=value pair (missing equal-sign) in "
                              "Authorization header: '{}'",
                              parameter, header));
    }
    const std::string_view key = parameter.substr(0, eq);
    const std::string_view value = parameter.substr(eq + 1);
    // A repeated key keeps its last value, as AWS does.
    if (key == "Credential") {
      credential = value;
    } else if (key == "SignedHeaders") {
      signed_headers = value;
    } else if (key == "Signature") {
      signature = value;
    }
  }
  const std::optional<std::string_view> amz_date = FindHeader(request, "x-amz-date");

  std::string missing;
  auto require = [&missing](bool present, std::string_view message) {
    if (!present) {
      missing += message;
      missing += ' ';
    }
  };
  require(credential.has_value(), "Authorization header requires 'Credential' parameter.");
  require(signature.has_value(), "Authorization header requires 'Signature' parameter.");
  require(signed_headers.has_value(), "Authorization header requires 'SignedHeaders' parameter.");
  require(amz_date.has_value(),
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!missing.empty()) {
    return Fail("IncompleteSignature", fmt::format("{}Authorization={}", missing, header));
  }

  Result<AuthParams> params =
      Finish(AuthMode::kHeader, *credential, *signed_headers, *signature, Trim(*amz_date));
  if (params) {
    if (const auto token = FindHeader(request, "x-amz-security-token")) {
      params->security_token = std::string(Trim(*token));
    }
  }
  return params;
}

// The first value of `name` among the decoded query parameters.
const std::string* QueryValue(const std::vector<std::pair<std::string, std::string>>& query,
                              std::string_view name) {
  for (const auto& [key, value] : query) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

Result<AuthParams> ParseQuery(const std::vector<std::pair<std::string, std::string>>& query,
                              const std::string& algorithm) {
  if (algorithm != kAlgorithm) {
    return Fail("MissingAuthenticationToken", std::string(kMissingToken));
  }
  const std::string* credential = QueryValue(query, "X-Amz-Credential");
  const std::string* signature = QueryValue(query, "X-Amz-Signature");
  const std::string* signed_headers = QueryValue(query, "X-Amz-SignedHeaders");
  const std::string* amz_date = QueryValue(query, "X-Amz-Date");

  std::string missing;
  auto require = [&missing](const std::string* value, std::string_view message) {
    if (value == nullptr) {
      missing += message;
      missing += ' ';
    }
  };
  require(credential, "AWS query-string parameters must include 'X-Amz-Credential'.");
  require(signature, "AWS query-string parameters must include 'X-Amz-Signature'.");
  require(signed_headers, "AWS query-string parameters must include 'X-Amz-SignedHeaders'.");
  require(amz_date, "AWS query-string parameters must include 'X-Amz-Date'.");
  if (!missing.empty()) {
    return Fail("IncompleteSignature", missing + "Re-examine the query-string parameters.");
  }

  std::optional<std::int64_t> expires;
  if (const std::string* text = QueryValue(query, "X-Amz-Expires")) {
    std::int64_t seconds = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (error != std::errc() || end != text->data() + text->size() || text->empty()) {
      return Fail("IncompleteSignature", "X-Amz-Expires should be a number");
    }
    if (seconds < 0) {
      return Fail("IncompleteSignature", "X-Amz-Expires must be non-negative");
    }
    if (seconds > kMaxExpiresSeconds) {
      return Fail("IncompleteSignature",
                  "X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    expires = seconds;
  }

  Result<AuthParams> params =
      Finish(AuthMode::kQuery, *credential, *signed_headers, *signature, *amz_date);
  if (params) {
    params->expires_seconds = expires;
    if (const std::string* token = QueryValue(query, "X-Amz-Security-Token")) {
      params->security_token = *token;
    }
  }
  return params;
}

}  // namespace

std::string AuthParams::CredentialScope() const {
  std::string scope;
  scope.reserve(scope_date.size() + region.size() + service.size() + terminator.size() + 3);
  scope += scope_date;
  scope += '/';
  scope += region;
  scope += '/';
  scope += service;
  scope += '/';
  scope += terminator;
  return scope;
}

Result<AuthParams> ParseAuthentication(const HttpRequest& request) {
  const std::optional<std::string_view> authorization = FindHeader(request, "authorization");
  const std::string_view raw_query = SplitTarget(request.target).query;

  // Requests that carry their parameters in the body (every POST a client sends) have no query,
  // and cost no decoding.
  std::vector<std::pair<std::string, std::string>> query;
  const std::string* algorithm = nullptr;
  if (!raw_query.empty()) {
    query = ParseQueryString(raw_query, /*plus_as_space=*/false);
    algorithm = QueryValue(query, "X-Amz-Algorithm");
  }

  if (authorization && algorithm != nullptr) {
    return Fail("SignatureDoesNotMatch", std::string(kMismatch));
  }
  if (authorization) {
    return ParseHeader(request, *authorization);
  }
  if (algorithm != nullptr) {
    return ParseQuery(query, *algorithm);
  }
  return Fail("MissingAuthenticationToken", std::string(kMissingToken));
}

}  // namespace fulcrum::sigv4
