#include "protocol/json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <string>

#include "protocol/codec.h"
#include "protocol/protocol_test_support.h"

namespace fulcrum::protocol {
namespace {

namespace json = boost::json;
using testing::ReadTestData;
using testing::ReplaceAll;

constexpr std::string_view kRequestId = "c2a5e7f0-1b2c-4d3e-8f90-0123456789ab";

const ServiceModel& Organizations() { return Model(ServiceId::kOrganizations); }

std::string Header(const json::object& capture, std::string_view name) {
  for (const json::value& header : capture.at("headers").as_array()) {
    const json::array& pair = header.as_array();
    std::string key(pair[0].as_string());
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == name) return std::string(pair[1].as_string());
  }
  return {};
}

TEST(JsonDecodeTest, CapturedRequests) {
  const struct {
    const char* sample;
    const char* operation;
    const char* input;
  } cases[] = {
      {"boto3-1.26.27-119-organizations-CreateAccount", "CreateAccount",
       R"({"Email":"dev@example.com","AccountName":"workload-dev",
           "RoleName":"OrganizationAccountAccessRole","IamUserAccessToBilling":"DENY",
           "Tags":[{"Key":"env","Value":"dev"}]})"},
      {"js-v3-3.1169.0-220-organizations-CreateAccount", "CreateAccount",
       R"({"Email":"dev@example.com","AccountName":"workload-dev",
           "RoleName":"OrganizationAccountAccessRole","IamUserAccessToBilling":"DENY",
           "Tags":[{"Key":"env","Value":"dev"}]})"},
      {"boto3-1.26.27-117-organizations-DescribeOrganization", "DescribeOrganization", "{}"},
  };
  for (const auto& c : cases) {
    const json::value capture =
        json::parse(ReadTestData("samples/" + std::string(c.sample) + ".json"));
    const json::object& object = capture.as_object();
    const auto decoded = DecodeJson(Organizations(), Header(object, "x-amz-target"),
                                    std::string_view(object.at("body_text").as_string()));
    ASSERT_TRUE(decoded.has_value()) << c.sample << ": " << decoded.error().message;
    EXPECT_EQ(decoded->operation->name, c.operation);
    EXPECT_EQ(json::value(decoded->input), json::parse(c.input)) << json::serialize(decoded->input);
  }
}

TEST(JsonDecodeTest, EmptyBodiesNullsAndUnknownMembers) {
  for (const char* body : {"", "  \n", "{}"}) {
    const auto decoded = DecodeJson(Organizations(), "AWSOrganizationsV20161128.ListRoots", body);
    ASSERT_TRUE(decoded.has_value()) << body;
    EXPECT_TRUE(decoded->input.empty());
  }
  const auto decoded = DecodeJson(Organizations(), "AWSOrganizationsV20161128.ListAccounts",
                                  R"({"NextToken":null,"MaxResults":5,"Extra":{"a":[1]}})");
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(json::value(decoded->input), json::parse(R"({"MaxResults":5})"));
}

TEST(JsonDecodeTest, Errors) {
  const struct {
    const char* target;
    const char* body;
    const char* code;
    const char* message;  // nullptr: not checked
    const char* reason;   // Error::fields Reason, or nullptr
  } cases[] = {
      {"AWSOrganizationsV20161128.Nope", "{}", "UnknownOperationException",
       "Unknown operation AWSOrganizationsV20161128.Nope", nullptr},
      {"AWSOrganizationsV20161129.ListRoots", "{}", "UnknownOperationException", nullptr, nullptr},
      {"ListRoots", "{}", "UnknownOperationException", nullptr, nullptr},
      {"", "{}", "UnknownOperationException", nullptr, nullptr},
      {"AWSOrganizationsV20161128.", "{}", "UnknownOperationException", nullptr, nullptr},
      {"AWSOrganizationsV20161128.ListAccounts", "{", "SerializationException", nullptr, nullptr},
      {"AWSOrganizationsV20161128.ListAccounts", "[]", "SerializationException", nullptr, nullptr},
      {"AWSOrganizationsV20161128.ListAccounts", R"({"MaxResults":"5"})", "SerializationException",
       "STRING_VALUE can not be converted to an Integer", nullptr},
      {"AWSOrganizationsV20161128.ListAccounts", R"({"MaxResults":1.5})", "SerializationException",
       "NUMBER_VALUE can not be converted to an Integer", nullptr},
      {"AWSOrganizationsV20161128.ListAccounts", R"({"NextToken":5})", "SerializationException",
       "NUMBER_VALUE can not be converted to a String", nullptr},
      {"AWSOrganizationsV20161128.ListAccounts", R"({"NextToken":{}})", "SerializationException",
       "Start of structure or map found where not expected.", nullptr},
      {"AWSOrganizationsV20161128.CreateAccount",
       R"({"Email":"dev@example.com","AccountName":"a","Tags":{}})", "SerializationException",
       nullptr, nullptr},
      {"AWSOrganizationsV20161128.ListAccounts", R"({"MaxResults":50})", "InvalidInputException",
       "You provided a numeric parameter that has a larger value than allowed.",
       "MAX_VALUE_EXCEEDED"},
      {"AWSOrganizationsV20161128.DescribeAccount", "{}", "InvalidInputException",
       "You must include a value for all required parameters.", "INPUT_REQUIRED"},
      {"AWSOrganizationsV20161128.DescribeAccount", R"({"AccountId":"12345678901a"})",
       "InvalidInputException", "You provided a value that does not match the required pattern.",
       "INVALID_PATTERN"},
      {"AWSOrganizationsV20161128.CreateOrganization", R"({"FeatureSet":"SOME"})",
       "InvalidInputException", "You specified an invalid value.", "INVALID_ENUM"},
      {"AWSOrganizationsV20161128.CreateAccount", R"({"Email":"a@b.c","AccountName":"x"})",
       "InvalidInputException", "You provided a string parameter that is shorter than allowed.",
       "MIN_LENGTH_EXCEEDED"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.target) + " " + c.body);
    const auto decoded = DecodeJson(Organizations(), c.target, c.body);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, c.code);
    if (c.message != nullptr) {
      EXPECT_EQ(decoded.error().message, c.message);
    }
    if (c.reason != nullptr) {
      ASSERT_EQ(decoded.error().fields.size(), 1u);
      EXPECT_EQ(decoded.error().fields[0].first, "Reason");
      EXPECT_EQ(decoded.error().fields[0].second, c.reason);
    }
    EXPECT_EQ(ErrorStatus(Organizations(), decoded.error().code), 400);
  }
}

TEST(JsonDecodeTest, TimestampsAndBlobsInASyntheticModel) {
  const auto model = ServiceModel::Parse(R"({
    "metadata": {"protocol": "json", "apiVersion": "2020-01-01", "targetPrefix": "Example"},
    "operations": {"Put": {"name": "Put", "input": {"shape": "In"}, "output": {"shape": "In"}}},
    "shapes": {
      "In": {"type": "structure", "members": {"When": {"shape": "T"}, "Data": {"shape": "B"},
             "Labels": {"shape": "M"}, "Named": {"shape": "S", "locationName": "named"}}},
      "T": {"type": "timestamp"}, "B": {"type": "blob"}, "S": {"type": "string"},
      "M": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}}
    }})");
  ASSERT_TRUE(model.has_value()) << model.error().message;
  const auto decoded = DecodeJson(
      **model, "Example.Put",
      R"({"When":"2024-05-01T12:00:00Z","Data":"aGVsbG8=","Labels":{"a":"1"},"named":"n"})");
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(json::value(decoded->input),
            json::parse(R"({"When":1714564800,"Data":"hello","Labels":{"a":"1"},"Named":"n"})"));
  const auto epoch = DecodeJson(**model, "Example.Put", R"({"When":1714564800.5})");
  ASSERT_TRUE(epoch.has_value());
  EXPECT_EQ(epoch->input.at("When"), json::value(1714564800.5));
  EXPECT_FALSE(DecodeJson(**model, "Example.Put", R"({"Data":"***"})").has_value());
  EXPECT_FALSE(DecodeJson(**model, "Example.Put", R"({"When":"noon"})").has_value());

  const EncodedResponse response =
      EncodeResult(**model, *(*model)->FindOperation("Put"), decoded->input, kRequestId);
  EXPECT_EQ(response.body,
            R"({"When":1714564800,"Data":"aGVsbG8=","Labels":{"a":"1"},"named":"n"})");
}

EncodedResponse Encode(std::string_view operation, const json::value& output) {
  const Operation* op = Organizations().FindOperation(operation);
  EXPECT_NE(op, nullptr) << operation;
  return EncodeResult(Organizations(), *op, output, kRequestId);
}

TEST(JsonEncodeTest, MatchesVerifiedResponses) {
  const struct {
    const char* operation;
    const char* file;
  } cases[] = {
      {"ListAccounts", "responses/organizations/ListAccounts.json"},
      {"DescribeCreateAccountStatus", "responses/organizations/DescribeCreateAccountStatus.json"},
      {"CreateAccount", "responses/organizations/CreateAccount.json"},
      {"DescribeOrganization", "responses/organizations/DescribeOrganization.json"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.operation);
    const std::string text = ReplaceAll(ReadTestData(c.file), "{{NowEpoch}}", "1714564800");
    const json::value expected = json::parse(text);
    const EncodedResponse response = Encode(c.operation, expected);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, "application/x-amz-json-1.1");
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0].first, "x-amzn-RequestId");
    EXPECT_EQ(json::parse(response.body), expected) << response.body;
  }
  // Timestamps stay epoch numbers with their fraction.
  const EncodedResponse accounts = Encode(
      "ListAccounts", json::parse(ReadTestData("responses/organizations/ListAccounts.json")));
  EXPECT_NE(accounts.body.find(R"("JoinedTimestamp":1714564000.5})"), std::string::npos)
      << accounts.body;
}

TEST(JsonEncodeTest, OmitsAbsentAndMismatchedMembers) {
  EXPECT_EQ(Encode("AttachPolicy", json::object{}).body, "{}");
  EXPECT_EQ(Encode("ListRoots", json::object{}).body, "{}");
  EXPECT_EQ(Encode("ListRoots", json::parse(R"({"NextToken":null,"Roots":[]})")).body,
            R"({"Roots":[]})");
  EXPECT_EQ(Encode("DescribeAccount", json::parse(R"({"Account":{"Id":12,"Name":"a\"b\n",
      "JoinedTimestamp":1714564000,"Status":"ACTIVE","Bogus":1}})"))
                .body,
            R"({"Account":{"Name":"a\"b\n","Status":"ACTIVE","JoinedTimestamp":1714564000}})");
  EXPECT_EQ(Encode("DescribeAccount", json::parse(R"({"Account":{"Id":"123456789012",
                       "JoinedTimestamp":"2024-05-01T12:00:00Z"}})"))
                .body,
            R"({"Account":{"Id":"123456789012"}})")
      << "a timestamp must be an epoch number";
}

TEST(JsonErrorTest, MatchesErrorTemplates) {
  const struct {
    const char* file;
    const char* raised;  // the code the service or the auth layer raises
    std::vector<std::pair<std::string, std::string>> fields;
  } cases[] = {
      {"errors/org-AWSOrganizationsNotInUse.txt", "AWSOrganizationsNotInUseException", {}},
      {"errors/org-AccessDenied.txt", "AccessDenied", {}},
      {"errors/org-AlreadyInOrganization.txt", "AlreadyInOrganizationException", {}},
      {"errors/org-DuplicateOrganizationalUnit.txt", "DuplicateOrganizationalUnitException", {}},
      {"errors/org-InvalidSignature.txt", "SignatureDoesNotMatch", {}},
      {"errors/org-UnrecognizedClient.txt", "InvalidClientTokenId", {}},
      {"errors/org-TooManyRequests.txt", "Throttling", {{"Type", "AWSOrganizations"}}},
      {"errors/org-namespaced-InvalidInput.txt",
       "InvalidInputException",
       {{"Reason", "INVALID_PATTERN"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const testing::Template expected = testing::ParseTemplate(ReadTestData(c.file));
    json::object body = json::parse(expected.body).as_object();
    // Clients strip a namespace from __type; we send the bare name.
    std::string type(body.at("__type").as_string());
    type = type.substr(type.find('#') + 1);
    body["__type"] = type;
    const json::value* message = body.if_contains("Message");
    if (message == nullptr) message = body.if_contains("message");
    ASSERT_NE(message, nullptr);
    const Error raised{c.raised, std::string(message->as_string()), c.fields};
    const EncodedResponse response = EncodeError(Organizations(), raised, kRequestId);
    EXPECT_EQ(response.status, expected.status);
    EXPECT_EQ(response.content_type, expected.Header("Content-Type"));
    EXPECT_EQ(json::parse(response.body), json::value(body)) << response.body;
  }
}

TEST(JsonErrorTest, ServerFaultsAndCommonErrors) {
  const struct {
    const char* raised;
    const char* type;
    int status;
  } cases[] = {
      {"ServiceFailure", "ServiceException", 500},
      {"InternalFailure", "ServiceException", 500},
      {"ValidationError", "ValidationException", 400},
      {"InvalidAction", "UnknownOperationException", 400},
      {"IncompleteSignature", "IncompleteSignatureException", 400},
      {"MissingAuthenticationToken", "MissingAuthenticationTokenException", 400},
      {"ExpiredToken", "ExpiredTokenException", 400},
      {"SerializationException", "SerializationException", 400},
  };
  for (const auto& c : cases) {
    const EncodedResponse response =
        EncodeError(Organizations(), Error{c.raised, "m", {}}, kRequestId);
    EXPECT_EQ(response.status, c.status) << c.raised;
    EXPECT_EQ(json::parse(response.body).as_object().at("__type"), json::value(c.type));
  }
}

}  // namespace
}  // namespace fulcrum::protocol
