#include "sigv4/canonical.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/crypto.h"

namespace fulcrum::sigv4 {
namespace {

TEST(SplitTargetTest, OriginAndAbsoluteForms) {
  const struct {
    std::string target;
    std::string path;
    std::string query;
  } cases[] = {
      {"/", "/", ""},
      {"/?a=1", "/", "a=1"},
      {"/getAlternateContact", "/getAlternateContact", ""},
      {"/p?", "/p", ""},
      {"/a?b=c?d", "/a", "b=c?d"},
      {"http://127.0.0.1:18080/p/q?x=1", "/p/q", "x=1"},
      {"https://host/", "/", ""},
      {"http://host:80", "", ""},
      {"http://host?x=1", "", "x=1"},
      {"/redirect?to=http://elsewhere/", "/redirect", "to=http://elsewhere/"},
  };
  for (const auto& c : cases) {
    const TargetParts parts = SplitTarget(c.target);
    EXPECT_EQ(parts.path, c.path) << c.target;
    EXPECT_EQ(parts.query, c.query) << c.target;
  }
}

TEST(CanonicalUriTest, NormalisesAndEncodesTwice) {
  // Cases from the spec and aws-c-auth's suite (get-slash*, get-relative*, get-space).
  const struct {
    std::string raw;
    std::string canonical;
  } cases[] = {
      {"", "/"},
      {"/", "/"},
      {"//", "/"},
      {"/./", "/"},
      {"/getAlternateContact", "/getAlternateContact"},
      {"/example/..", "/"},
      {"/example1/example2/../..", "/"},
      {"/./example", "/example"},
      {"//example//", "/example/"},
      {"/a/b/../c", "/a/c"},
      {"/a/b/", "/a/b/"},
      {"/../a", "/a"},
      {"/a%20b/c%2Fd/./e/../f", "/a%2520b/c%252Fd/f"},
      {"/example space/", "/example%20space/"},
      {"/-._~AZaz09", "/-._~AZaz09"},
      {"/a:b@c+d", "/a%3Ab%40c%2Bd"},
      {"/\xc3\xa9", "/%C3%A9"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CanonicalUri(c.raw), c.canonical) << c.raw;
  }
}

TEST(CanonicalQueryStringTest, SortsDecodesAndReencodes) {
  const struct {
    std::string raw;
    std::string canonical;
  } cases[] = {
      {"", ""},
      {"b=2&a=1&c=x%20y&p=a%2Bb&u=%C3%A9&e=&a=0", "a=0&a=1&b=2&c=x%20y&e=&p=a%2Bb&u=%C3%A9"},
      {"Action=ListUsers&Version=2010-05-08", "Action=ListUsers&Version=2010-05-08"},
      {"a+b=c+d", "a%2Bb=c%2Bd"},
      {"k=a b", "k=a%20b"},
      {"flag", "flag="},
      {"a=1&&b=2&", "a=1&b=2"},
      {"x=%2f%2F/", "x=%2F%2F%2F"},
      {"x=%zz&y=100%", "x=%25zz&y=100%25"},
      {"z=1&Z=1", "Z=1&z=1"},
      {"X-Amz-Credential=AKID%2F20240501%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Signature=abc",
       "X-Amz-Credential=AKID%2F20240501%2Fus-east-1%2Fsts%2Faws4_request"},
      {"X-Amz-Signature=abc", ""},
      {"x-amz-signature=abc", "x-amz-signature=abc"},
      {"a=%7E%41", "a=~A"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CanonicalQueryString(c.raw), c.canonical) << c.raw;
  }
}

TEST(CanonicalHeadersTest, TrimsCollapsesAndJoinsRepeats) {
  HttpRequest request;
  request.headers = {{"Host", "127.0.0.1:18080"}, {"X-Amz-Meta-Spaces", "    a   b \t c   "},
                     {"x-amz-meta-list", "one"},  {"X-AMZ-META-LIST", " two  three "},
                     {"X-Amz-Empty", ""},         {"Unsigned", "ignored"}};
  const std::vector<std::string> signed_headers = {"host", "x-amz-empty", "x-amz-meta-list",
                                                   "x-amz-meta-spaces", "x-amz-missing"};
  EXPECT_EQ(CanonicalHeaders(request, signed_headers),
            "host:127.0.0.1:18080\n"
            "x-amz-empty:\n"
            "x-amz-meta-list:one,two three\n"
            "x-amz-meta-spaces:a b c\n");
  EXPECT_EQ(SignedHeadersLine(signed_headers),
            "host;x-amz-empty;x-amz-meta-list;x-amz-meta-spaces;x-amz-missing");
}

TEST(CanonicalRequestTest, JoinsTheParts) {
  EXPECT_EQ(CanonicalRequest("POST", "/", "", "host:h\n", "host", kEmptyPayloadHash),
            std::string("POST\n/\n\nhost:h\n\nhost\n") + std::string(kEmptyPayloadHash));
  EXPECT_EQ(Sha256Hex(""), kEmptyPayloadHash);
}

TEST(CanonicalRequestTest, ForARequestMatchesThePieces) {
  HttpRequest request{"GET", "/a/../b%20c?z=1&a=2", {{"Host", "h:1"}, {"X-Amz-Date", "d"}}, ""};
  const std::vector<std::string> signed_headers = {"host", "x-amz-date"};
  EXPECT_EQ(CanonicalRequestFor(request, signed_headers, kEmptyPayloadHash),
            CanonicalRequest("GET", CanonicalUri("/a/../b%20c"), CanonicalQueryString("z=1&a=2"),
                             CanonicalHeaders(request, signed_headers),
                             SignedHeadersLine(signed_headers), kEmptyPayloadHash));
}

TEST(SigningTest, StringToSignKeyAndSignature) {
  // The example of AWS's SigV4 documentation (IAM ListUsers, 20150830).
  const std::string canonical_request =
      "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
      "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
      "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
      "content-type;host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  EXPECT_EQ(Sha256Hex(canonical_request),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  const std::string scope = CredentialScope("20150830", "us-east-1", "iam");
  EXPECT_EQ(scope, "20150830/us-east-1/iam/aws4_request");
  const std::string string_to_sign = StringToSign("20150830T123600Z", scope, canonical_request);
  EXPECT_EQ(string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  const SigningKey key =
      DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
  EXPECT_EQ(HexEncode(key), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(ComputeSignature(key, string_to_sign),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

}  // namespace
}  // namespace fulcrum::sigv4
