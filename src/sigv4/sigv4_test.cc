// SigV4 end to end: the captured and synthetic vectors (tests/data/sigv4-test-vectors.json, from
// the wire reference, section 4.3) checked stage by stage, sign/verify round trips, and the
// time checks.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/time_format.h"
#include "sigv4/auth_params.h"
#include "sigv4/canonical.h"
#include "sigv4/signer.h"
#include "sigv4/verifier.h"

namespace fulcrum::sigv4 {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kAccessKeyId[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

// JSON strings arrive as UTF-8; the vectors hold latin-1 text, one byte per code point.
std::string Latin1(std::string_view utf8) {
  std::string bytes;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80 || i + 1 >= utf8.size()) {
      bytes += static_cast<char>(c);
    } else {
      bytes +=
          static_cast<char>(((c & 0x1f) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3f));
    }
  }
  return bytes;
}

// Parses "METHOD TARGET HTTP/1.1\r\nName: value\r\n...\r\n\r\nbody".
HttpRequest ParseRawRequest(const std::string& raw) {
  HttpRequest request;
  const std::size_t head_end = raw.find("\r\n\r\n");
  const std::string head = raw.substr(0, head_end);
  request.body = head_end == std::string::npos ? "" : raw.substr(head_end + 4);
  std::size_t line_start = 0;
  bool first = true;
  while (line_start <= head.size()) {
    std::size_t line_end = head.find("\r\n", line_start);
    if (line_end == std::string::npos) {
      line_end = head.size();
    }
    const std::string line = head.substr(line_start, line_end - line_start);
    line_start = line_end + 2;
    if (first) {
      const std::size_t space1 = line.find(' ');
      const std::size_t space2 = line.find(' ', space1 + 1);
      request.method = line.substr(0, space1);
      request.target = line.substr(space1 + 1, space2 - space1 - 1);
      first = false;
      continue;
    }
    const std::size_t colon = line.find(':');
    // The value is kept exactly as after the ':', untrimmed, so the canonicalizer's trimming and
    // collapsing are what the vectors test.
    const std::string value = line.substr(colon + 1);
    request.headers.emplace_back(line.substr(0, colon), value);
  }
  return request;
}

struct Vector {
  int id = 0;
  std::string name;
  bool must_match = true;
  HttpRequest request;
  std::string secret;
  std::optional<std::string> access_key_id;
  std::optional<std::string> payload_hash;
  std::optional<std::string> canonical_request;
  std::optional<std::string> string_to_sign;
  std::optional<std::string> signing_key_hex;
  std::string expected_signature;
  std::optional<std::string> client_signature;
};

std::optional<std::string> OptionalString(const boost::json::object& object, std::string_view key) {
  if (const boost::json::value* value = object.if_contains(key)) {
    return Latin1(value->as_string());
  }
  return std::nullopt;
}

std::vector<Vector> LoadVectors() {
  std::ifstream file(std::string(FULCRUM_TESTDATA_DIR) + "/sigv4-test-vectors.json");
  std::stringstream text;
  text << file.rdbuf();
  const boost::json::value root = boost::json::parse(text.str());
  std::vector<Vector> vectors;
  for (const boost::json::value& entry : root.as_array()) {
    const boost::json::object& object = entry.as_object();
    Vector vector;
    vector.id = static_cast<int>(object.at("id").as_int64());
    vector.name = Latin1(object.at("name").as_string());
    vector.must_match = object.at("must_match").as_bool();
    vector.request = ParseRawRequest(Latin1(object.at("raw_request").as_string()));
    vector.secret = Latin1(object.at("secret_access_key").as_string());
    vector.access_key_id = OptionalString(object, "access_key_id");
    vector.payload_hash = OptionalString(object, "payload_hash");
    vector.canonical_request = OptionalString(object, "canonical_request");
    vector.string_to_sign = OptionalString(object, "string_to_sign");
    vector.signing_key_hex = OptionalString(object, "signing_key_hex");
    vector.expected_signature = Latin1(object.at("expected_signature").as_string());
    vector.client_signature = OptionalString(object, "client_signature");
    vectors.push_back(std::move(vector));
  }
  return vectors;
}

TEST(SigV4VectorsTest, EveryStageMatches) {
  const std::vector<Vector> vectors = LoadVectors();
  ASSERT_EQ(vectors.size(), 15u);
  int positive = 0;
  for (const Vector& v : vectors) {
    SCOPED_TRACE(testing::Message() << "vector " << v.id << ": " << v.name);
    const Result<AuthParams> params = ParseAuthentication(v.request);
    ASSERT_TRUE(params.has_value()) << params.error().message;
    if (v.access_key_id) {
      EXPECT_EQ(params->access_key_id, *v.access_key_id);
    }
    if (v.payload_hash) {
      EXPECT_EQ(Sha256Hex(v.request.body), *v.payload_hash);
    }
    if (v.canonical_request) {
      EXPECT_EQ(CanonicalRequestFor(v.request, params->signed_headers, Sha256Hex(v.request.body)),
                *v.canonical_request);
    }
    const SigningKey key =
        DeriveSigningKey(v.secret, params->scope_date, params->region, params->service);
    if (v.signing_key_hex) {
      EXPECT_EQ(HexEncode(key), *v.signing_key_hex);
    }
    const VerificationTrace trace = TraceSignature(v.request, *params, key);
    if (v.canonical_request) {
      EXPECT_EQ(trace.canonical_request, *v.canonical_request);
    }
    if (v.string_to_sign) {
      EXPECT_EQ(trace.string_to_sign, *v.string_to_sign);
    }
    EXPECT_EQ(trace.signature, v.expected_signature);

    SigningKeyCache cache;
    const Result<void> verified =
        VerifySignature(v.request, *params, v.secret, params->request_time + seconds(30), cache);
    if (v.must_match) {
      ++positive;
      EXPECT_EQ(params->signature, v.expected_signature);
      EXPECT_TRUE(verified.has_value()) << verified.error().message;
    } else {
      ASSERT_FALSE(verified.has_value());
      EXPECT_EQ(verified.error().code, "SignatureDoesNotMatch");
      ASSERT_TRUE(v.client_signature.has_value());
      EXPECT_EQ(params->signature, *v.client_signature);
    }
  }
  EXPECT_EQ(positive, 13);
}

// The captured awscli request, re-signed by our signer at the same time, gives awscli's
// signature: signer and verifier share the canonicalizer and agree with botocore.
TEST(SignerTest, ReproducesCapturedSignatures) {
  const std::vector<Vector> vectors = LoadVectors();
  for (const int id : {1, 2, 8}) {
    const Vector& v = vectors[static_cast<std::size_t>(id - 1)];
    SCOPED_TRACE(v.name);
    HttpRequest request = v.request;
    const auto params = ParseAuthentication(request);
    ASSERT_TRUE(params.has_value());
    std::erase_if(request.headers, [](const auto& header) {
      return EqualsIgnoreCase(header.first, "Authorization") ||
             EqualsIgnoreCase(header.first, "X-Amz-Date") ||
             EqualsIgnoreCase(header.first, "X-Amz-Security-Token");
    });
    const Credentials credentials{params->access_key_id, v.secret, params->security_token};
    const auto state =
        Sign(request, credentials, params->region, params->service, params->request_time);
    ASSERT_TRUE(state.has_value()) << state.error().message;
    EXPECT_EQ(state->canonical_request, *v.canonical_request);
    EXPECT_EQ(state->string_to_sign, *v.string_to_sign);
    EXPECT_EQ(HexEncode(state->signing_key), *v.signing_key_hex);
    EXPECT_EQ(state->signature, v.expected_signature);
    std::string_view captured = *FindHeader(v.request, "authorization");
    captured.remove_prefix(captured.find_first_not_of(' '));
    EXPECT_EQ(FindHeader(request, "authorization"), std::optional<std::string_view>(captured));
  }
}

TEST(SignerTest, ReproducesCapturedPresignedUrl) {
  // Vector 10: boto3 generate_presigned_url(..., HttpMethod='GET'), X-Amz-Expires=60.
  HttpRequest request{"GET",
                      "/?Action=GetCallerIdentity&Version=2011-06-15",
                      {{"Host", "127.0.0.1:18080"}, {"User-Agent", "curl/7.88.1"}},
                      ""};
  const auto state = Presign(request, Credentials{kAccessKeyId, kSecret, std::nullopt}, "us-east-1",
                             "sts", *ParseAmzDate("20261127T174214Z"), seconds(60));
  ASSERT_TRUE(state.has_value()) << state.error().message;
  EXPECT_EQ(state->signature, "ca8d15a881dd3d3c1b4ec5c4d8634db4b080ee9e7fb5724e6cfecdb89255f124");
  EXPECT_EQ(request.target,
            "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261127%2Fus-east-1%2Fsts%2Faws4_request"
            "&X-Amz-Date=20261127T174214Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=ca8d15a881dd3d3c1b4ec5c4d8634db4b080ee9e7fb5724e6cfecdb89255f124");
}

// 2024-05-01T12:00:00Z.
constexpr TimePoint kSignedAt{seconds(1714564800)};

HttpRequest PostRequest() {
  return HttpRequest{"POST",
                     "/",
                     {{"Host", "127.0.0.1:18080"},
                      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                      {"X-Amz-Target", "ignored-by-query-but-signed"},
                      {"User-Agent", "fulcrum-test"}},
                     "Action=ListUsers&Version=2010-05-08"};
}

// Signs `request` and verifies it at `now`; returns the verification result.
Result<void> SignAndVerify(HttpRequest request, const Credentials& credentials, TimePoint now,
                           const SignOptions& options = {}) {
  const auto state = Sign(request, credentials, "us-east-1", "iam", kSignedAt, options);
  if (!state) {
    return Fail(state.error());
  }
  const auto params = ParseAuthentication(request);
  if (!params) {
    return Fail(params.error());
  }
  SigningKeyCache cache;
  return VerifySignature(request, *params, credentials.secret_access_key, now, cache);
}

TEST(SignerTest, SignedRequestsVerify) {
  const Credentials long_term{kAccessKeyId, kSecret, std::nullopt};
  const Credentials temporary{"ASIAEXAMPLESESSION01", "sEcReTsEsSiOnKeYeXaMpLe0123456789ABCDEFG",
                              "FwoGZXIvYXdzEXAMPLE=="};
  EXPECT_TRUE(SignAndVerify(PostRequest(), long_term, kSignedAt).has_value());
  EXPECT_TRUE(SignAndVerify(PostRequest(), temporary, kSignedAt).has_value());
  EXPECT_TRUE(
      SignAndVerify(PostRequest(), long_term, kSignedAt, SignOptions{.sign_payload_header = true})
          .has_value());
}

TEST(SignerTest, SignsTheExpectedHeaders) {
  HttpRequest request = PostRequest();
  request.headers.emplace_back("X-Amz-Date", "stale");
  request.headers.emplace_back("Authorization", "stale");
  const auto state = Sign(request, Credentials{kAccessKeyId, kSecret, "TOKEN"}, "eu-west-1", "iam",
                          kSignedAt, SignOptions{.sign_payload_header = true});
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->signed_headers,
            (std::vector<std::string>{"content-type", "host", "x-amz-content-sha256", "x-amz-date",
                                      "x-amz-security-token", "x-amz-target"}));
  EXPECT_EQ(state->amz_date, "20240501T120000Z");
  EXPECT_EQ(state->credential_scope, "20240501/eu-west-1/iam/aws4_request");
  EXPECT_EQ(FindHeader(request, "x-amz-date"), std::optional<std::string_view>("20240501T120000Z"));
  EXPECT_EQ(FindHeader(request, "x-amz-security-token"), std::optional<std::string_view>("TOKEN"));
  EXPECT_EQ(FindHeader(request, "x-amz-content-sha256"),
            std::optional<std::string_view>(Sha256Hex(request.body)));
  EXPECT_EQ(FindHeader(request, "authorization"),
            std::optional<std::string_view>(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/eu-west-1/iam/"
                "aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;"
                "x-amz-security-token;x-amz-target, Signature=" +
                state->signature));
  int authorizations = 0;
  for (const auto& [name, value] : request.headers) {
    authorizations += EqualsIgnoreCase(name, "authorization") ? 1 : 0;
  }
  EXPECT_EQ(authorizations, 1);
}

TEST(SignerTest, RequiresAHost) {
  HttpRequest request{"POST", "/", {}, ""};
  const auto state = Sign(request, Credentials{kAccessKeyId, kSecret, std::nullopt}, "us-east-1",
                          "iam", kSignedAt);
  ASSERT_FALSE(state.has_value());
  EXPECT_EQ(state.error().code, "InvalidRequest");
}

TEST(VerifierTest, TamperedRequestsFail) {
  struct Tamper {
    std::string name;
    void (*apply)(HttpRequest&);
  };
  const Tamper tampers[] = {
      {"body", [](HttpRequest& r) { r.body += "&UserName=x"; }},
      {"method", [](HttpRequest& r) { r.method = "PUT"; }},
      {"path", [](HttpRequest& r) { r.target = "/other"; }},
      {"query", [](HttpRequest& r) { r.target = "/?a=1"; }},
      {"signed header", [](HttpRequest& r) { r.headers[2].second = "changed"; }},
      {"host", [](HttpRequest& r) { r.headers[0].second = "127.0.0.1:18081"; }},
  };
  const Credentials credentials{kAccessKeyId, kSecret, std::nullopt};
  for (const Tamper& tamper : tampers) {
    HttpRequest request = PostRequest();
    ASSERT_TRUE(Sign(request, credentials, "us-east-1", "iam", kSignedAt).has_value());
    tamper.apply(request);
    const auto params = ParseAuthentication(request);
    ASSERT_TRUE(params.has_value()) << tamper.name;
    SigningKeyCache cache;
    const Result<void> verified = VerifySignature(request, *params, kSecret, kSignedAt, cache);
    ASSERT_FALSE(verified.has_value()) << tamper.name;
    EXPECT_EQ(verified.error(),
              (Error{"SignatureDoesNotMatch",
                     "The request signature we calculated does not match the signature you "
                     "provided. Check your AWS Secret Access Key and signing method. Consult the "
                     "service documentation for details.",
                     {}}))
        << tamper.name;
  }
}

TEST(VerifierTest, UnsignedHeadersMayChange) {
  HttpRequest request = PostRequest();
  const Credentials credentials{kAccessKeyId, kSecret, std::nullopt};
  ASSERT_TRUE(Sign(request, credentials, "us-east-1", "iam", kSignedAt).has_value());
  request.headers[3].second = "another-agent";
  request.headers.emplace_back("Accept-Encoding", "gzip");
  const auto params = ParseAuthentication(request);
  ASSERT_TRUE(params.has_value());
  SigningKeyCache cache;
  EXPECT_TRUE(VerifySignature(request, *params, kSecret, kSignedAt, cache).has_value());
}

TEST(VerifierTest, WrongSecretFails) {
  HttpRequest request = PostRequest();
  ASSERT_TRUE(
      Sign(request, Credentials{kAccessKeyId, kSecret, std::nullopt}, "us-east-1", "iam", kSignedAt)
          .has_value());
  const auto params = ParseAuthentication(request);
  ASSERT_TRUE(params.has_value());
  SigningKeyCache cache;
  const auto verified = VerifySignature(request, *params, "not-the-secret", kSignedAt, cache);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, "SignatureDoesNotMatch");
}

TEST(VerifierTest, ContentShaMustMatchTheBody) {
  HttpRequest request = PostRequest();
  ASSERT_TRUE(Sign(request, Credentials{kAccessKeyId, kSecret, std::nullopt}, "us-east-1", "iam",
                   kSignedAt, SignOptions{.sign_payload_header = true})
                  .has_value());
  for (auto& [name, value] : request.headers) {
    if (EqualsIgnoreCase(name, "x-amz-content-sha256")) {
      value = Sha256Hex("something else");
    }
  }
  const auto params = ParseAuthentication(request);
  ASSERT_TRUE(params.has_value());
  SigningKeyCache cache;
  const auto verified = VerifySignature(request, *params, kSecret, kSignedAt, cache);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error(),
            (Error{"SignatureDoesNotMatch",
                   "The provided 'x-amz-content-sha256' header does not match what was computed.",
                   {}}));
}

TEST(VerifierTest, UnsignedPayloadIsNotAccepted) {
  // UNSIGNED-PAYLOAD is an S3 feature; for these services the body is always signed.
  HttpRequest request = PostRequest();
  ASSERT_TRUE(
      Sign(request, Credentials{kAccessKeyId, kSecret, std::nullopt}, "us-east-1", "iam", kSignedAt)
          .has_value());
  request.headers.emplace_back("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
  const auto params = ParseAuthentication(request);
  ASSERT_TRUE(params.has_value());
  SigningKeyCache cache;
  const auto verified = VerifySignature(request, *params, kSecret, kSignedAt, cache);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, "SignatureDoesNotMatch");
}

TEST(VerifierTest, ClockSkewBothWays) {
  HttpRequest request = PostRequest();
  ASSERT_TRUE(
      Sign(request, Credentials{kAccessKeyId, kSecret, std::nullopt}, "us-east-1", "iam", kSignedAt)
          .has_value());
  const auto params = ParseAuthentication(request);
  ASSERT_TRUE(params.has_value());
  SigningKeyCache cache;
  FixedClock clock(kSignedAt);

  const struct {
    TimePoint::duration server_ahead;
    std::optional<std::string> message;  // nullopt: accepted.
  } cases[] = {
      {minutes(0), std::nullopt},
      {minutes(14), std::nullopt},
      {minutes(15), std::nullopt},
      {-minutes(14), std::nullopt},
      {-minutes(15), std::nullopt},
      {minutes(15) + seconds(1),
       "Signature expired: 20240501T120000Z is now earlier than 20240501T120001Z "
       "(20240501T121501Z - 15 min.)"},
      {minutes(16),
       "Signature expired: 20240501T120000Z is now earlier than 20240501T120100Z "
       "(20240501T121600Z - 15 min.)"},
      {-minutes(16),
       "Signature not yet current: 20240501T120000Z is still later than 20240501T115900Z "
       "(20240501T114400Z + 15 min.)"},
  };
  for (const auto& c : cases) {
    clock.Set(kSignedAt + c.server_ahead);
    const Result<void> verified = VerifySignature(request, *params, kSecret, clock.Now(), cache);
    if (!c.message) {
      EXPECT_TRUE(verified.has_value())
          << (c.server_ahead.count()) << ": " << verified.error().message;
      continue;
    }
    ASSERT_FALSE(verified.has_value());
    EXPECT_EQ(verified.error().code, "SignatureDoesNotMatch");
    EXPECT_EQ(verified.error().message, *c.message);
    EXPECT_EQ(CheckRequestTime(*params, clock.Now()).error().message, *c.message);
  }
}

TEST(VerifierTest, BriefExampleMessage) {
  AuthParams params;
  params.amz_date = "20261127T170000Z";
  params.request_time = *ParseAmzDate(params.amz_date);
  const Result<void> checked = CheckRequestTime(params, *ParseAmzDate("20261127T174000Z"));
  ASSERT_FALSE(checked.has_value());
  EXPECT_EQ(checked.error().message,
            "Signature expired: 20261127T170000Z is now earlier than 20261127T172500Z "
            "(20261127T174000Z - 15 min.)");
}

TEST(PresignTest, PresignedUrlsVerifyUntilTheyExpire) {
  const Credentials temporary{"ASIAEXAMPLESESSION01", "sEcReTsEsSiOnKeYeXaMpLe0123456789ABCDEFG",
                              "Fwo+GZX/IvYX=="};
  HttpRequest request{
      "GET", "/?Action=GetCallerIdentity&Version=2011-06-15", {{"Host", "localhost:4566"}}, ""};
  const auto state = Presign(request, temporary, "us-east-1", "sts", kSignedAt, seconds(120));
  ASSERT_TRUE(state.has_value()) << state.error().message;
  EXPECT_EQ(state->signed_headers, std::vector<std::string>{"host"});
  EXPECT_EQ(state->payload_hash, kEmptyPayloadHash);

  const auto params = ParseAuthentication(request);
  ASSERT_TRUE(params.has_value()) << params.error().message;
  EXPECT_EQ(params->mode, AuthMode::kQuery);
  EXPECT_EQ(params->security_token, temporary.session_token);
  EXPECT_EQ(params->expires_seconds, std::optional<std::int64_t>(120));
  SigningKeyCache cache;
  EXPECT_TRUE(VerifySignature(request, *params, temporary.secret_access_key,
                              kSignedAt + seconds(120), cache)
                  .has_value());
  const Result<void> expired = VerifySignature(request, *params, temporary.secret_access_key,
                                               kSignedAt + seconds(121), cache);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error(),
            (Error{"SignatureDoesNotMatch",
                   "Signature expired: 20240501T120000Z is now earlier than 20240501T120001Z "
                   "(20240501T120201Z - 2 min.)",
                   {}}));

  // The URL works once; changing a signed query parameter breaks it.
  HttpRequest changed = request;
  changed.target.replace(changed.target.find("GetCallerIdentity"), 17, "GetSessionToken__");
  const auto changed_params = ParseAuthentication(changed);
  ASSERT_TRUE(changed_params.has_value());
  EXPECT_FALSE(
      VerifySignature(changed, *changed_params, temporary.secret_access_key, kSignedAt, cache)
          .has_value());
}

TEST(PresignTest, RejectsBadExpiry) {
  for (const seconds expires : {seconds(0), seconds(604801)}) {
    HttpRequest request{"GET", "/", {{"Host", "h"}}, ""};
    const auto state = Presign(request, Credentials{kAccessKeyId, kSecret, std::nullopt},
                               "us-east-1", "sts", kSignedAt, expires);
    ASSERT_FALSE(state.has_value());
    EXPECT_EQ(state.error().code, "InvalidRequest");
  }
}

TEST(PresignTest, PresignsATargetWithoutQuery) {
  HttpRequest request{"GET", "/", {{"Host", "h"}}, ""};
  ASSERT_TRUE(Presign(request, Credentials{kAccessKeyId, kSecret, std::nullopt}, "us-east-1", "sts",
                      kSignedAt, seconds(60))
                  .has_value());
  EXPECT_TRUE(request.target.starts_with("/?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
  const auto params = ParseAuthentication(request);
  ASSERT_TRUE(params.has_value());
  SigningKeyCache cache;
  EXPECT_TRUE(VerifySignature(request, *params, kSecret, kSignedAt, cache).has_value());
}

}  // namespace
}  // namespace fulcrum::sigv4
