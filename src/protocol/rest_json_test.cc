#include "protocol/rest_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/codec.h"
#include "protocol/protocol_test_support.h"

namespace fulcrum::protocol {
namespace {

namespace json = boost::json;
using testing::ReadTestData;

constexpr std::string_view kRequestId = "c2a5e7f0-1b2c-4d3e-8f90-0123456789ab";

const ServiceModel& Account() { return Model(ServiceId::kAccount); }

TEST(RestJsonDecodeTest, CapturedRequests) {
  const struct {
    const char* sample;
    const char* operation;
    const char* input;
  } cases[] = {
      {"boto3-1.26.27-128-account-GetAlternateContact", "GetAlternateContact",
       R"({"AlternateContactType":"SECURITY"})"},
      {"boto3-1.26.27-129-account-GetAlternateContact", "GetAlternateContact",
       R"({"AlternateContactType":"BILLING","AccountId":"210987654321"})"},
      {"boto3-1.26.27-127-account-PutAlternateContact", "PutAlternateContact",
       R"({"AlternateContactType":"SECURITY","EmailAddress":"security@example.com",
           "Name":"Security Team","PhoneNumber":"+1-555-0100","Title":"CISO"})"},
  };
  for (const auto& c : cases) {
    const json::value capture =
        json::parse(ReadTestData("samples/" + std::string(c.sample) + ".json"));
    const json::object& object = capture.as_object();
    const auto decoded =
        DecodeRestJson(Account(), std::string_view(object.at("method").as_string()),
                       std::string_view(object.at("target").as_string()),
                       std::string_view(object.at("body_text").as_string()));
    ASSERT_TRUE(decoded.has_value()) << c.sample << ": " << decoded.error().message;
    EXPECT_EQ(decoded->operation->name, c.operation);
    EXPECT_EQ(json::value(decoded->input), json::parse(c.input));
  }
}

TEST(RestJsonDecodeTest, Errors) {
  const struct {
    const char* method;
    const char* path;
    const char* body;
    const char* code;
    const char* message;  // nullptr: not checked
    int status;
  } cases[] = {
      {"POST", "/nope", "{}", "UnknownOperationException", "No operation matches POST /nope", 404},
      {"GET", "/getAlternateContact", "{}", "UnknownOperationException", nullptr, 404},
      {"POST", "/getAlternateContact", "{", "SerializationException", nullptr, 400},
      {"POST", "/getAlternateContact", R"({"AlternateContactType":1})", "SerializationException",
       "NUMBER_VALUE can not be converted to a String", 400},
      {"POST", "/getAlternateContact", "{}", "ValidationException",
       "1 validation error detected: Value null at 'alternateContactType' failed to satisfy "
       "constraint: Member must not be null",
       400},
      {"POST", "/getAlternateContact", R"({"AlternateContactType":"LEGAL"})", "ValidationException",
       "1 validation error detected: Value 'LEGAL' at 'alternateContactType' failed to satisfy "
       "constraint: Member must satisfy enum value set: [BILLING, OPERATIONS, SECURITY]",
       400},
      {"POST", "/getAlternateContact", R"({"AlternateContactType":"BILLING","AccountId":"12345"})",
       "ValidationException",
       "1 validation error detected: Value '12345' at 'accountId' failed to satisfy constraint: "
       "Member must satisfy regular expression pattern: ^\\d{12}$",
       400},
      {"POST", "/putAlternateContact",
       R"({"AlternateContactType":"BILLING","EmailAddress":"nope","Name":"n",
           "PhoneNumber":"1","Title":"t"})",
       "ValidationException",
       "1 validation error detected: Value at 'emailAddress' failed to satisfy constraint: "
       "Member must satisfy regular expression pattern: "
       "^[\\s]*[\\w+=.#!&-]+@[\\w.-]+\\.[\\w]+[\\s]*$",
       400},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path + " " + c.body);
    const auto decoded = DecodeRestJson(Account(), c.method, c.path, c.body);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, c.code);
    if (c.message != nullptr) {
      EXPECT_EQ(decoded.error().message, c.message);
    }
    EXPECT_EQ(ErrorStatus(Account(), decoded.error().code), c.status);
  }
}

TEST(RestJsonEncodeTest, Results) {
  const json::value expected =
      json::parse(ReadTestData("responses/account/GetAlternateContact.json"));
  const EncodedResponse get = EncodeResult(
      Account(), *Account().FindOperation("GetAlternateContact"), expected, kRequestId);
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.content_type, "application/json");
  EXPECT_EQ(json::parse(get.body), expected);

  const EncodedResponse put = EncodeResult(
      Account(), *Account().FindOperation("PutAlternateContact"), json::object{}, kRequestId);
  EXPECT_EQ(put.status, 200);
  EXPECT_EQ(put.body, "");
  ASSERT_EQ(put.headers.size(), 1u);
  EXPECT_EQ(put.headers[0].first, "x-amzn-RequestId");
  EXPECT_EQ(put.headers[0].second, kRequestId);
}

TEST(RestJsonErrorTest, MatchesErrorTemplates) {
  const testing::Template expected =
      testing::ParseTemplate(ReadTestData("errors/account-ResourceNotFound.txt"));
  const Error raised{
      "ResourceNotFoundException", "No contact of the inputted alternate contact type found.", {}};
  const EncodedResponse response = EncodeError(Account(), raised, kRequestId);
  EXPECT_EQ(response.status, expected.status);
  EXPECT_EQ(response.content_type, expected.Header("Content-Type"));
  std::string error_type = expected.Header("x-amzn-ErrorType");
  error_type = error_type.substr(0, error_type.find(':'));
  std::string sent_type;
  for (const auto& [name, value] : response.headers) {
    if (name == "x-amzn-ErrorType") sent_type = value;
  }
  EXPECT_EQ(sent_type, error_type);
  EXPECT_EQ(json::parse(response.body), json::parse(expected.body));

  const testing::Template validation =
      testing::ParseTemplate(ReadTestData("errors/account-Validation.txt"));
  const EncodedResponse invalid = EncodeError(
      Account(), Error{"ValidationError", "Invalid input.", {{"reason", "fieldValidationFailed"}}},
      kRequestId);
  EXPECT_EQ(invalid.status, validation.status);
  EXPECT_EQ(invalid.body, R"({"message":"Invalid input.","reason":"fieldValidationFailed"})");
}

TEST(RestJsonErrorTest, AuthenticationAndCommonErrors) {
  const struct {
    const char* raised;
    const char* type;
    int status;
  } cases[] = {
      {"InvalidClientTokenId", "UnrecognizedClientException", 403},
      {"SignatureDoesNotMatch", "InvalidSignatureException", 403},
      {"IncompleteSignature", "IncompleteSignatureException", 403},
      {"MissingAuthenticationToken", "MissingAuthenticationTokenException", 403},
      {"ExpiredToken", "ExpiredTokenException", 403},
      {"AccessDenied", "AccessDeniedException", 403},
      {"Throttling", "TooManyRequestsException", 429},
      {"ServiceFailure", "InternalServerException", 500},
      {"InvalidAction", "UnknownOperationException", 404},
      {"ResourceNotFoundException", "ResourceNotFoundException", 404},
  };
  for (const auto& c : cases) {
    const EncodedResponse response = EncodeError(Account(), Error{c.raised, "m", {}}, kRequestId);
    EXPECT_EQ(response.status, c.status) << c.raised;
    ASSERT_EQ(response.headers.size(), 2u);
    EXPECT_EQ(response.headers[1].first, "x-amzn-ErrorType");
    EXPECT_EQ(response.headers[1].second, c.type);
    EXPECT_EQ(response.body, R"({"message":"m"})");
  }
}

}  // namespace
}  // namespace fulcrum::protocol
