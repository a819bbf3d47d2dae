#include "protocol/query.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/encoding.h"
#include "protocol/codec.h"
#include "protocol/protocol_test_support.h"

namespace fulcrum::protocol {
namespace {

namespace json = boost::json;
using testing::ReadTestData;
using testing::ReplaceAll;
using testing::XmlOutline;

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kRequestId = "c2a5e7f0-1b2c-4d3e-8f90-0123456789ab";

// The form parameters of a captured request (body, or query string for a GET).
Params SampleParams(std::string_view sample) {
  const json::value capture = json::parse(ReadTestData("samples/" + std::string(sample) + ".json"));
  const json::object& object = capture.as_object();
  if (object.at("method").as_string() == "GET") {
    const std::string_view target(object.at("target").as_string());
    return ParseQueryString(target.substr(target.find('?') + 1), true);
  }
  return ParseQueryString(std::string_view(object.at("body_text").as_string()), true);
}

Params WithAction(std::string action, std::string version, Params rest = {}) {
  Params params{{"Action", std::move(action)}, {"Version", std::move(version)}};
  for (auto& p : rest) params.push_back(std::move(p));
  return params;
}

TEST(QueryDecodeTest, CapturedRequests) {
  const struct {
    const char* sample;
    ServiceId service;
    const char* operation;
    const char* input;
  } cases[] = {
      {"boto3-1.26.27-100-sts-AssumeRole", ServiceId::kSts, "AssumeRole",
       R"({"RoleArn":"arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
           "RoleSessionName":"bootstrap-session","DurationSeconds":900,
           "SerialNumber":"arn:aws:iam::123456789012:mfa/bootstrap-admin","TokenCode":"654321",
           "SourceIdentity":"bootstrap","Tags":[{"Key":"team","Value":"platform"}],
           "TransitiveTagKeys":["team"],
           "PolicyArns":[{"arn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}]})"},
      {"js-v3-3.1169.0-202-sts-AssumeRole", ServiceId::kSts, "AssumeRole",
       R"({"RoleArn":"arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
           "RoleSessionName":"bootstrap-session","DurationSeconds":900,
           "SerialNumber":"arn:aws:iam::123456789012:mfa/bootstrap-admin","TokenCode":"654321",
           "SourceIdentity":"bootstrap","Tags":[{"Key":"team","Value":"platform"}],
           "TransitiveTagKeys":["team"],
           "PolicyArns":[{"arn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}]})"},
      {"boto3-1.26.27-111-iam-CreateLoginProfile", ServiceId::kIam, "CreateLoginProfile",
       R"({"UserName":"bootstrap-admin","Password":"Sup3r$ecret-Pass",
           "PasswordResetRequired":true})"},
      {"boto3-1.26.27-101-iam-CreateUser", ServiceId::kIam, "CreateUser",
       R"({"UserName":"bootstrap-admin","Path":"/",
           "Tags":[{"Key":"purpose","Value":"bootstrap"}]})"},
      {"boto3-1.26.27-098-sts-GetCallerIdentity", ServiceId::kSts, "GetCallerIdentity", "{}"},
      {"presigned-291-sts-GetCallerIdentity", ServiceId::kSts, "GetCallerIdentity", "{}"},
  };
  for (const auto& c : cases) {
    const auto decoded = DecodeQuery(Model(c.service), SampleParams(c.sample));
    ASSERT_TRUE(decoded.has_value()) << c.sample << ": " << decoded.error().message;
    ASSERT_NE(decoded->operation, nullptr);
    EXPECT_EQ(decoded->operation->name, c.operation) << c.sample;
    EXPECT_EQ(json::value(decoded->input), json::parse(c.input))
        << c.sample << ": " << json::serialize(decoded->input);
  }
}

TEST(QueryDecodeTest, ListsAreOrderedByIndexAndEmptyListsKept) {
  const auto decoded = DecodeQuery(Model(ServiceId::kSts),
                                   WithAction("AssumeRole", "2011-06-15",
                                              {{"RoleArn", "arn:aws:iam::123456789012:role/admin"},
                                               {"RoleSessionName", "session"},
                                               {"Tags.member.2.Key", "b"},
                                               {"Tags.member.10.Key", "c"},
                                               {"Tags.member.1.Value", "1"},
                                               {"Tags.member.2.Value", "2"},
                                               {"Tags.member.1.Key", "a"},
                                               {"Tags.member.10.Value", "10"},
                                               {"TransitiveTagKeys", ""},
                                               {"Tags.member.x.Key", "ignored"},
                                               {"Unknown.Param", "ignored"},
                                               {"X-Amz-Signature", "ignored"}}));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(json::value(decoded->input), json::parse(R"({
      "RoleArn":"arn:aws:iam::123456789012:role/admin","RoleSessionName":"session",
      "Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"},{"Key":"c","Value":"10"}],
      "TransitiveTagKeys":[]})"));
}

TEST(QueryDecodeTest, UnknownActionOrVersion) {
  const struct {
    ServiceId service;
    Params params;
    const char* message;
  } cases[] = {
      {ServiceId::kIam, WithAction("Nope", "2010-05-08"),
       "Could not find operation Nope for version 2010-05-08"},
      {ServiceId::kIam, WithAction("GetCallerIdentity", "2010-05-08"),
       "Could not find operation GetCallerIdentity for version 2010-05-08"},
      {ServiceId::kIam, WithAction("GetUser", "2011-06-15"),
       "Could not find operation GetUser for version 2011-06-15"},
      {ServiceId::kSts, Params{{"Version", "2011-06-15"}},
       "Could not find operation  for version 2011-06-15"},
      {ServiceId::kSts, Params{{"Action", "GetCallerIdentity"}},
       "Could not find operation GetCallerIdentity for version "},
  };
  for (const auto& c : cases) {
    const auto decoded = DecodeQuery(Model(c.service), c.params);
    ASSERT_FALSE(decoded.has_value()) << c.message;
    EXPECT_EQ(decoded.error().code, "InvalidAction");
    EXPECT_EQ(decoded.error().message, c.message);
    EXPECT_EQ(ErrorStatus(Model(c.service), decoded.error().code), 400);
  }
}

TEST(QueryDecodeTest, ValidationMessages) {
  const struct {
    ServiceId service;
    Params params;
    const char* message;
  } cases[] = {
      {ServiceId::kSts,
       WithAction("AssumeRole", "2011-06-15", {{"RoleArn", "x"}, {"RoleSessionName", "session"}}),
       "1 validation error detected: Value 'x' at 'roleArn' failed to satisfy constraint: Member "
       "must have length greater than or equal to 20"},
      {ServiceId::kSts, WithAction("AssumeRole", "2011-06-15"),
       "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: "
       "Member must not be null; Value null at 'roleSessionName' failed to satisfy constraint: "
       "Member must not be null"},
      {ServiceId::kSts,
       WithAction("AssumeRole", "2011-06-15",
                  {{"RoleArn", "arn:aws:iam::123456789012:role/admin"},
                   {"RoleSessionName", "session"},
                   {"DurationSeconds", "100"}}),
       "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: "
       "Member must have value greater than or equal to 900"},
      {ServiceId::kSts,
       WithAction("AssumeRole", "2011-06-15",
                  {{"RoleArn", "arn:aws:iam::123456789012:role/admin"},
                   {"RoleSessionName", "session"},
                   {"Tags.member.1.Key", ""},
                   {"Tags.member.1.Value", "v"}}),
       "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy "
       "constraint: Member must have length greater than or equal to 1"},
      {ServiceId::kSts,
       WithAction("AssumeRole", "2011-06-15",
                  {{"RoleArn", "arn:aws:iam::123456789012:role/admin"},
                   {"RoleSessionName", "session"},
                   {"Tags.member.1.Key", "k"}}),
       "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy "
       "constraint: Member must not be null"},
      {ServiceId::kSts,
       WithAction("AssumeRole", "2011-06-15",
                  {{"RoleArn", "arn:aws:iam::123456789012:role/admin"},
                   {"RoleSessionName", "session"},
                   {"DurationSeconds", "abc"}}),
       "1 validation error detected: Value 'abc' at 'durationSeconds' failed to satisfy "
       "constraint: Member must be an integer"},
      {ServiceId::kIam,
       WithAction("UpdateAccessKey", "2010-05-08",
                  {{"AccessKeyId", "AKIAEXAMPLEACCESS001"}, {"Status", "Bogus"}}),
       "1 validation error detected: Value 'Bogus' at 'status' failed to satisfy constraint: "
       "Member must satisfy enum value set: [Active, Inactive]"},
      {ServiceId::kIam, WithAction("CreateUser", "2010-05-08", {{"UserName", "bob smith"}}),
       "1 validation error detected: Value 'bob smith' at 'userName' failed to satisfy "
       "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"},
      {ServiceId::kIam,
       WithAction("CreateLoginProfile", "2010-05-08",
                  {{"UserName", "bootstrap-admin"}, {"Password", ""}}),
       "2 validation errors detected: Value at 'password' failed to satisfy constraint: Member "
       "must have length greater than or equal to 1; Value at 'password' failed to satisfy "
       "constraint: Member must satisfy regular expression pattern: "
       "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"},
      {ServiceId::kIam,
       WithAction("CreateLoginProfile", "2010-05-08",
                  {{"UserName", "bootstrap-admin"},
                   {"Password", "Sup3r$ecret-Pass"},
                   {"PasswordResetRequired", "yes"}}),
       "1 validation error detected: Value 'yes' at 'passwordResetRequired' failed to satisfy "
       "constraint: Member must be a boolean"},
  };
  for (const auto& c : cases) {
    const auto decoded = DecodeQuery(Model(c.service), c.params);
    ASSERT_FALSE(decoded.has_value()) << c.message;
    EXPECT_EQ(decoded.error().code, "ValidationError");
    EXPECT_EQ(decoded.error().message, c.message);
  }
}

TEST(QueryDecodeTest, BooleansIgnoreCase) {
  const auto decoded = DecodeQuery(
      Model(ServiceId::kIam),
      WithAction("CreateLoginProfile", "2010-05-08",
                 {{"UserName", "u"}, {"Password", "p"}, {"PasswordResetRequired", "FALSE"}}));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(decoded->input.at("PasswordResetRequired"), json::value(false));
}

// A model exercising what the four AWS models do not: maps, flattened lists, locationName,
// blobs, timestamps, longs and doubles in query input and output.
constexpr std::string_view kSyntheticQueryModel = R"({
  "metadata": {"protocol": "query", "apiVersion": "2020-01-01",
               "xmlNamespace": "https://example.com/doc/2020-01-01/", "signingName": "example"},
  "operations": {
    "Put": {"name": "Put", "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "Thing"},
            "output": {"shape": "Thing", "resultWrapper": "PutResult"}}
  },
  "shapes": {
    "Thing": {"type": "structure", "members": {
      "Labels": {"shape": "Labels"},
      "Flat": {"shape": "FlatList"},
      "Renamed": {"shape": "Text", "locationName": "Other"},
      "Nested": {"shape": "Nested"},
      "Data": {"shape": "Bytes"},
      "When": {"shape": "Time"},
      "Count": {"shape": "Big"},
      "Ratio": {"shape": "Ratio"},
      "Items": {"shape": "NamedList"}
    }},
    "Labels": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Text"}},
    "FlatList": {"type": "list", "member": {"shape": "Text"}, "flattened": true},
    "NamedList": {"type": "list", "member": {"shape": "Text", "locationName": "item"}},
    "Nested": {"type": "structure", "members": {"Inner": {"shape": "InnerList"}}},
    "InnerList": {"type": "list", "member": {"shape": "Pair"}},
    "Pair": {"type": "structure", "members": {"Name": {"shape": "Text"}}},
    "Text": {"type": "string"},
    "Bytes": {"type": "blob"},
    "Time": {"type": "timestamp"},
    "Big": {"type": "long"},
    "Ratio": {"type": "double"}
  }
})";

const ServiceModel& SyntheticQueryModel() {
  static const auto model = ServiceModel::Parse(kSyntheticQueryModel);
  EXPECT_TRUE(model.has_value()) << model.error().message;
  return **model;
}

TEST(QueryDecodeTest, MapsFlattenedListsAndScalarTypes) {
  const auto decoded =
      DecodeQuery(SyntheticQueryModel(), WithAction("Put", "2020-01-01",
                                                    {{"Labels.entry.2.key", "b"},
                                                     {"Labels.entry.2.value", "two"},
                                                     {"Labels.entry.1.key", "a"},
                                                     {"Labels.entry.1.value", "one"},
                                                     {"Labels.entry.3.value", "no key: dropped"},
                                                     {"Flat.1", "x"},
                                                     {"Flat.2", "y"},
                                                     {"Other", "by location name"},
                                                     {"Renamed", "ignored: the wire name is Other"},
                                                     {"Nested.Inner.member.1.Name", "n1"},
                                                     {"Items.item.1", "i1"},
                                                     {"Data", "aGVsbG8="},
                                                     {"When", "2024-05-01T12:00:00.5Z"},
                                                     {"Count", "9007199254740993"},
                                                     {"Ratio", "0.25"}}));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(json::value(decoded->input), json::parse(R"({
      "Labels":{"a":"one","b":"two"},"Flat":["x","y"],"Renamed":"by location name",
      "Nested":{"Inner":[{"Name":"n1"}]},"Items":["i1"],"Data":"hello",
      "When":1714564800.5,"Count":9007199254740993,"Ratio":0.25})"))
      << json::serialize(decoded->input);

  const auto bad_blob = DecodeQuery(SyntheticQueryModel(),
                                    WithAction("Put", "2020-01-01", {{"Data", "not base64!"}}));
  ASSERT_FALSE(bad_blob.has_value());
  EXPECT_EQ(bad_blob.error().code, "ValidationError");
  const auto bad_time =
      DecodeQuery(SyntheticQueryModel(), WithAction("Put", "2020-01-01", {{"When", "yesterday"}}));
  ASSERT_FALSE(bad_time.has_value());
  EXPECT_EQ(bad_time.error().code, "ValidationError");
}

std::string Expected(std::string_view file) {
  return ReplaceAll(ReadTestData(file), "{{RequestId}}", kRequestId);
}

void ExpectXmlResponse(const EncodedResponse& response, std::string_view expected_xml) {
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/xml");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "x-amzn-RequestId");
  EXPECT_EQ(response.headers[0].second, kRequestId);
  EXPECT_EQ(XmlOutline(response.body), XmlOutline(expected_xml)) << response.body;
}

EncodedResponse Encode(ServiceId service, std::string_view operation, const json::value& output) {
  const ServiceModel& model = Model(service);
  const Operation* op = model.FindOperation(operation);
  EXPECT_NE(op, nullptr) << operation;
  return EncodeResult(model, *op, output, kRequestId);
}

TEST(QueryEncodeTest, GetCallerIdentityExactBytes) {
  const auto response = Encode(ServiceId::kSts, "GetCallerIdentity",
                               json::parse(R"({"Arn":"arn:aws:iam::123456789012:user/admin",
                             "UserId":"AIDAEXAMPLEADMIN00001","Account":"123456789012"})"));
  EXPECT_EQ(response.body,
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            "<GetCallerIdentityResult><UserId>AIDAEXAMPLEADMIN00001</UserId>"
            "<Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/admin</Arn>"
            "</GetCallerIdentityResult><ResponseMetadata><RequestId>"
            "c2a5e7f0-1b2c-4d3e-8f90-0123456789ab</RequestId></ResponseMetadata>"
            "</GetCallerIdentityResponse>");
  ExpectXmlResponse(response, Expected("responses/sts/GetCallerIdentity.xml"));
}

TEST(QueryEncodeTest, MatchesVerifiedResponses) {
  const struct {
    ServiceId service;
    const char* operation;
    const char* output;
    const char* expected;
  } cases[] = {
      {ServiceId::kIam, "ListAccessKeys",
       R"({"AccessKeyMetadata":[{"UserName":"bootstrap-admin",
           "AccessKeyId":"AKIAEXAMPLEACCESS001","Status":"Active","CreateDate":1714564805}],
           "IsTruncated":false})",
       "responses/iam/ListAccessKeys.xml"},
      {ServiceId::kIam, "CreateUser",
       R"({"User":{"Path":"/","UserName":"bootstrap-admin","UserId":"AIDAEXAMPLEUSER000001",
           "Arn":"arn:aws:iam::123456789012:user/bootstrap-admin","CreateDate":1714564800,
           "Tags":[{"Key":"purpose","Value":"bootstrap"}]}})",
       "responses/iam/CreateUser.xml"},
      {ServiceId::kIam, "AttachUserPolicy", "{}", "responses/iam/AttachUserPolicy.xml"},
      {ServiceId::kSts, "AssumeRole",
       R"({"SourceIdentity":"bootstrap",
           "AssumedRoleUser":{"AssumedRoleId":"AROAEXAMPLEROLEID0001:bootstrap-session",
             "Arn":"arn:aws:sts::210987654321:assumed-role/OrganizationAccountAccessRole/bootstrap-session"},
           "Credentials":{"AccessKeyId":"ASIAEXAMPLEASSUMED01",
             "SecretAccessKey":"aSsUmEdRoLeSeCrEtKeYeXaMpLe0123456789ABC",
             "SessionToken":"FwoGZXIvYXdzEXAMPLEASSUMEDROLETOKENyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy==",
             "Expiration":1714568400},
           "PackedPolicySize":6})",
       "responses/sts/AssumeRole.xml"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.operation);
    const std::string expected =
        ReplaceAll(Expected(c.expected), "{{Expiration}}", "2024-05-01T13:00:00Z");
    ExpectXmlResponse(Encode(c.service, c.operation, json::parse(c.output)), expected);
  }
}

TEST(QueryEncodeTest, RequiredListsAreWrittenEvenWhenEmpty) {
  const std::string expected =
      testing::ParseTemplate(Expected("responses/iam/ListAccessKeys-empty-list.txt")).body;
  for (const char* output :
       {R"({"IsTruncated":false})", R"({"AccessKeyMetadata":[],"IsTruncated":false})"}) {
    EXPECT_EQ(Encode(ServiceId::kIam, "ListAccessKeys", json::parse(output)).body, expected);
  }
}

TEST(QueryEncodeTest, MapsFromTheReference) {
  // Build the SummaryMap document from the verified response, then render it back.
  const std::string expected = Expected("responses/iam/GetAccountSummary.xml");
  const auto reference = testing::ParseXml(expected);
  ASSERT_TRUE(reference.has_value());
  const testing::XmlNode& map = reference->children.at(0).children.at(0);
  ASSERT_EQ(map.name, "SummaryMap");
  json::object summary;
  for (const testing::XmlNode& entry : map.children) {
    summary[entry.children.at(0).text] = std::stoll(entry.children.at(1).text);
  }
  ASSERT_EQ(summary.size(), 32u);
  const auto response =
      Encode(ServiceId::kIam, "GetAccountSummary", json::object{{"SummaryMap", summary}});
  ExpectXmlResponse(response, expected);
  EXPECT_NE(response.body.find("<SummaryMap><entry><key>Users</key><value>1</value></entry>"),
            std::string::npos);
}

TEST(QueryEncodeTest, BlobsAreBase64OfTheRawBytes) {
  const std::string expected = Expected("responses/iam/CreateVirtualMFADevice.xml");
  const auto reference = testing::ParseXml(expected);
  ASSERT_TRUE(reference.has_value());
  const testing::XmlNode& device = reference->children.at(0).children.at(0);
  const auto seed = Base64Decode(device.children.at(1).text);
  const auto png = Base64Decode(device.children.at(2).text);
  ASSERT_TRUE(seed && png);
  EXPECT_EQ(seed->substr(0, 4), "JBSW");  // the ASCII base32 text, as AWS sends it
  EXPECT_EQ(png->substr(1, 3), "PNG");
  ExpectXmlResponse(Encode(ServiceId::kIam, "CreateVirtualMFADevice",
                           json::object{{"VirtualMFADevice",
                                         json::object{{"SerialNumber", device.children.at(0).text},
                                                      {"Base32StringSeed", *seed},
                                                      {"QRCodePNG", *png}}}}),
                    expected);

  const std::string report = Expected("responses/iam/GetCredentialReport.xml");
  const auto report_xml = testing::ParseXml(report);
  ASSERT_TRUE(report_xml.has_value());
  const auto csv = Base64Decode(report_xml->children.at(0).children.at(0).text);
  ASSERT_TRUE(csv.has_value());
  ExpectXmlResponse(
      Encode(ServiceId::kIam, "GetCredentialReport",
             json::object{
                 {"Content", *csv}, {"ReportFormat", "text/csv"}, {"GeneratedTime", 1714565100}}),
      report);
}

TEST(QueryEncodeTest, EscapingTimestampsAndMismatchedValues) {
  const auto response = Encode(ServiceId::kIam, "GetUser", json::parse(R"({"User":{
      "Path":"/a&b/","UserName":"<x>","UserId":5,"Arn":"arn:\"q\"",
      "CreateDate":1714564800.123,"PasswordLastUsed":"not a timestamp but a string",
      "Tags":[{"Key":"k","Value":"v"},"not a tag",{"Key":"k2","Value":"v2"}],
      "Unknown":"dropped"}})"));
  EXPECT_NE(response.body.find("<Path>/a&amp;b/</Path><UserName>&lt;x&gt;</UserName>"
                               "<Arn>arn:&quot;q&quot;</Arn>"
                               "<CreateDate>2024-05-01T12:00:00.123Z</CreateDate>"),
            std::string::npos)
      << response.body;
  EXPECT_EQ(response.body.find("UserId"), std::string::npos) << "a number is not a string";
  EXPECT_EQ(response.body.find("PasswordLastUsed"), std::string::npos) << "not a timestamp";
  EXPECT_EQ(response.body.find("Unknown"), std::string::npos);
  EXPECT_NE(response.body.find("<Tags><member><Key>k</Key><Value>v</Value></member>"
                               "<member><Key>k2</Key><Value>v2</Value></member></Tags>"),
            std::string::npos)
      << response.body;
  const auto node = testing::ParseXml(response.body);
  ASSERT_TRUE(node.has_value());
  EXPECT_EQ(node->children.at(0).children.at(0).children.at(1).text, "<x>");
}

TEST(QueryEncodeTest, SyntheticModelShapes) {
  const ServiceModel& model = SyntheticQueryModel();
  const auto response = EncodeResult(model, *model.FindOperation("Put"), json::parse(R"({
          "Labels":{"a":"one","b":"two"},"Flat":["x","y"],"Renamed":"r",
          "Nested":{"Inner":[{"Name":"n1"}]},"Items":["i1"],"Data":"hello",
          "When":1714564800.5,"Count":9007199254740993,"Ratio":0.25})"),
                                     kRequestId);
  EXPECT_EQ(response.body,
            "<PutResponse xmlns=\"https://example.com/doc/2020-01-01/\"><PutResult>"
            "<Labels><entry><key>a</key><value>one</value></entry>"
            "<entry><key>b</key><value>two</value></entry></Labels>"
            "<Flat>x</Flat><Flat>y</Flat><Other>r</Other>"
            "<Nested><Inner><member><Name>n1</Name></member></Inner></Nested>"
            "<Data>aGVsbG8=</Data><When>2024-05-01T12:00:00.500Z</When>"
            "<Count>9007199254740993</Count><Ratio>0.25</Ratio>"
            "<Items><item>i1</item></Items></PutResult>"
            "<ResponseMetadata><RequestId>c2a5e7f0-1b2c-4d3e-8f90-0123456789ab</RequestId>"
            "</ResponseMetadata></PutResponse>");
}

TEST(QueryErrorTest, MatchesErrorTemplates) {
  const struct {
    ServiceId service;
    const char* file;
  } cases[] = {
      {ServiceId::kIam, "errors/iam-AccessDenied.txt"},
      {ServiceId::kIam, "errors/iam-EntityAlreadyExists.txt"},
      {ServiceId::kIam, "errors/iam-InvalidAuthenticationCode.txt"},
      {ServiceId::kIam, "errors/iam-LimitExceeded.txt"},
      {ServiceId::kIam, "errors/iam-NoSuchEntity.txt"},
      {ServiceId::kIam, "errors/iam-ReportInProgress.txt"},
      {ServiceId::kIam, "errors/iam-ReportNotPresent.txt"},
      {ServiceId::kIam, "errors/iam-Throttling.txt"},
      {ServiceId::kSts, "errors/sts-AccessDenied-MFA.txt"},
      {ServiceId::kSts, "errors/sts-ExpiredToken.txt"},
      {ServiceId::kSts, "errors/sts-InvalidClientTokenId.txt"},
      {ServiceId::kSts, "errors/sts-SignatureDoesNotMatch.txt"},
      {ServiceId::kSts, "errors/sts-ValidationError.txt"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const testing::Template expected = testing::ParseTemplate(Expected(c.file));
    const auto xml = testing::ParseXml(expected.body);
    ASSERT_TRUE(xml.has_value());
    const testing::XmlNode& error = xml->children.at(0);
    const Error raised{error.children.at(1).text, error.children.at(2).text, {}};
    const EncodedResponse response = EncodeError(Model(c.service), raised, kRequestId);
    EXPECT_EQ(response.status, expected.status);
    EXPECT_EQ(response.content_type, expected.Header("Content-Type"));
    EXPECT_EQ(XmlOutline(response.body), XmlOutline(expected.body)) << response.body;
  }
}

TEST(QueryErrorTest, ServerFaultsAreReceiverErrors) {
  const EncodedResponse response =
      EncodeError(Model(ServiceId::kIam), Error{"ServiceFailure", "boom <1>", {}}, "id");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body,
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
            "<Type>Receiver</Type><Code>ServiceFailure</Code><Message>boom &lt;1&gt;</Message>"
            "</Error><RequestId>id</RequestId></ErrorResponse>");
  EXPECT_EQ(EncodeError(Model(ServiceId::kSts), Error{"InternalFailure", "x", {}}, "id").status,
            500);
}

}  // namespace
}  // namespace fulcrum::protocol
