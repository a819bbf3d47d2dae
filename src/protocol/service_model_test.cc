#include "protocol/service_model.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace fulcrum::protocol {
namespace {

struct ModelCase {
  ServiceId id;
  ProtocolKind protocol;
  const char* api_version;
  const char* signing_name;
  const char* target_prefix;
  const char* xml_namespace;
  std::size_t operations;
};

constexpr ModelCase kModels[] = {
    {ServiceId::kIam, ProtocolKind::kQuery, "2010-05-08", "iam", "",
     "https://iam.amazonaws.com/doc/2010-05-08/", 158},
    {ServiceId::kSts, ProtocolKind::kQuery, "2011-06-15", "sts", "",
     "https://sts.amazonaws.com/doc/2011-06-15/", 8},
    {ServiceId::kOrganizations, ProtocolKind::kJson, "2016-11-28", "organizations",
     "AWSOrganizationsV20161128", "", 55},
    {ServiceId::kAccount, ProtocolKind::kRestJson, "2021-02-01", "account", "", "", 5},
};

// Walks every shape reachable from `shape`, checking each reference resolves.
void ExpectResolvable(const Shape* shape, std::set<const Shape*>& seen, const std::string& where) {
  ASSERT_NE(shape, nullptr) << where;
  if (!seen.insert(shape).second) return;
  switch (shape->type) {
    case ShapeType::kStructure:
      for (const Member& member : shape->members) {
        EXPECT_FALSE(member.path_name.empty()) << where;
        ExpectResolvable(member.shape, seen, where + "." + member.name);
      }
      break;
    case ShapeType::kList:
      ExpectResolvable(shape->member.shape, seen, where + ".member");
      break;
    case ShapeType::kMap:
      ExpectResolvable(shape->key.shape, seen, where + ".key");
      ExpectResolvable(shape->value.shape, seen, where + ".value");
      break;
    default:
      break;
  }
}

TEST(ServiceModelTest, EmbeddedModelsLoadWithTheirMetadata) {
  for (const ModelCase& c : kModels) {
    const ServiceModel& model = Model(c.id);
    EXPECT_EQ(model.protocol(), c.protocol) << c.signing_name;
    EXPECT_EQ(model.api_version(), c.api_version);
    EXPECT_EQ(model.signing_name(), c.signing_name);
    EXPECT_EQ(model.target_prefix(), c.target_prefix);
    EXPECT_EQ(model.xml_namespace(), c.xml_namespace);
    EXPECT_EQ(model.operations().size(), c.operations) << c.signing_name;
    EXPECT_EQ(&Model(c.id), &model) << "parsed once";
  }
}

TEST(ServiceModelTest, EveryOperationHasResolvableShapes) {
  for (const ModelCase& c : kModels) {
    const ServiceModel& model = Model(c.id);
    std::set<const Shape*> seen;
    for (const Operation& operation : model.operations()) {
      EXPECT_EQ(model.FindOperation(operation.name), &operation);
      EXPECT_EQ(operation.http_method, "POST") << operation.name;
      if (operation.input != nullptr) {
        EXPECT_EQ(operation.input->type, ShapeType::kStructure) << operation.name;
        ExpectResolvable(operation.input, seen, operation.name + ".input");
      }
      if (operation.output != nullptr) {
        EXPECT_EQ(operation.output->type, ShapeType::kStructure) << operation.name;
        ExpectResolvable(operation.output, seen, operation.name + ".output");
        if (c.protocol == ProtocolKind::kQuery) {
          EXPECT_EQ(operation.result_wrapper, operation.name + "Result");
        }
      }
      for (const Shape* error : operation.errors) {
        ASSERT_NE(error, nullptr) << operation.name;
        EXPECT_TRUE(error->exception) << operation.name << " " << error->name;
        EXPECT_EQ(model.FindError(error->ErrorCode()), error) << error->name;
      }
    }
  }
}

TEST(ServiceModelTest, ShapesCarryTheirTraits) {
  const ServiceModel& sts = Model(ServiceId::kSts);
  const Operation* assume_role = sts.FindOperation("AssumeRole");
  ASSERT_NE(assume_role, nullptr);
  EXPECT_EQ(assume_role->result_wrapper, "AssumeRoleResult");
  const Member* role_arn = assume_role->input->FindMember("RoleArn");
  ASSERT_NE(role_arn, nullptr);
  EXPECT_TRUE(role_arn->required);
  EXPECT_EQ(role_arn->path_name, "roleArn");
  EXPECT_EQ(role_arn->shape->min, 20);
  EXPECT_EQ(role_arn->shape->max, 2048);
  const Member* tags = assume_role->input->FindMember("Tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_FALSE(tags->required);
  EXPECT_EQ(tags->shape->type, ShapeType::kList);
  EXPECT_EQ(tags->shape->member.shape->type, ShapeType::kStructure);
  EXPECT_EQ(tags->shape->max, 50);
  // Member order is the model's order.
  ASSERT_GE(assume_role->input->members.size(), 2u);
  EXPECT_EQ(assume_role->input->members[0].name, "RoleArn");
  EXPECT_EQ(assume_role->input->members[1].name, "RoleSessionName");

  const ServiceModel& iam = Model(ServiceId::kIam);
  const Shape* no_such_entity = iam.FindError("NoSuchEntity");
  ASSERT_NE(no_such_entity, nullptr);
  EXPECT_EQ(no_such_entity->name, "NoSuchEntityException");
  ASSERT_TRUE(no_such_entity->error.has_value());
  EXPECT_EQ(no_such_entity->error->http_status, 404);
  EXPECT_TRUE(no_such_entity->error->sender_fault);
  const Shape* summary = iam.FindOperation("GetAccountSummary")->output;
  const Member* summary_map = summary->FindMember("SummaryMap");
  ASSERT_NE(summary_map, nullptr);
  EXPECT_EQ(summary_map->shape->type, ShapeType::kMap);
  EXPECT_EQ(summary_map->shape->key.shape->enum_values.size() > 10, true);
  EXPECT_EQ(summary_map->shape->value.shape->type, ShapeType::kInteger);
  const Shape* mfa = iam.FindShape("VirtualMFADevice");
  ASSERT_NE(mfa, nullptr);
  EXPECT_EQ(mfa->FindMember("Base32StringSeed")->shape->type, ShapeType::kBlob);
  EXPECT_TRUE(mfa->FindMember("Base32StringSeed")->shape->sensitive);

  const ServiceModel& organizations = Model(ServiceId::kOrganizations);
  const Shape* not_in_use = organizations.FindError("AWSOrganizationsNotInUseException");
  ASSERT_NE(not_in_use, nullptr);
  EXPECT_FALSE(not_in_use->error.has_value());
  EXPECT_EQ(organizations.FindOperation("ListAccounts")->output->name, "ListAccountsResponse");
  EXPECT_EQ(organizations.FindError("NoSuchEntity"), nullptr);
}

TEST(ServiceModelTest, FindsRestJsonOperationsByRoute) {
  const ServiceModel& account = Model(ServiceId::kAccount);
  const struct {
    const char* method;
    const char* path;
    const char* operation;  // nullptr: no match
  } cases[] = {
      {"POST", "/getAlternateContact", "GetAlternateContact"},
      {"POST", "/putAlternateContact", "PutAlternateContact"},
      {"POST", "/deleteAlternateContact", "DeleteAlternateContact"},
      {"POST", "/getContactInformation", "GetContactInformation"},
      {"POST", "/putContactInformation?x=1", "PutContactInformation"},
      {"GET", "/getAlternateContact", nullptr},
      {"POST", "/GetAlternateContact", nullptr},
      {"POST", "/", nullptr},
  };
  for (const auto& c : cases) {
    const Operation* found = account.FindOperationByHttp(c.method, c.path);
    if (c.operation == nullptr) {
      EXPECT_EQ(found, nullptr) << c.method << " " << c.path;
    } else {
      ASSERT_NE(found, nullptr) << c.method << " " << c.path;
      EXPECT_EQ(found->name, c.operation);
    }
  }
}

TEST(ServiceModelTest, ParseRejectsBrokenModels) {
  const char* broken[] = {
      "",
      "[]",
      R"({"metadata":{"protocol":"ec2"},"operations":{},"shapes":{}})",
      R"({"metadata":{"protocol":"query"},"operations":{},"shapes":{"A":{"type":"nope"}}})",
      R"({"metadata":{"protocol":"query"},"operations":{},
          "shapes":{"A":{"type":"structure","members":{"B":{"shape":"Missing"}}}}})",
      R"({"metadata":{"protocol":"json"},"operations":{"Op":{"input":{"shape":"Missing"}}},
          "shapes":{}})",
  };
  for (const char* text : broken) {
    const auto model = ServiceModel::Parse(text);
    ASSERT_FALSE(model.has_value()) << text;
    EXPECT_EQ(model.error().code, "InvalidModel");
  }
}

TEST(ServiceModelTest, LowerCamel) {
  EXPECT_EQ(LowerCamel("RoleArn"), "roleArn");
  EXPECT_EQ(LowerCamel("SAMLMetadataDocument"), "sAMLMetadataDocument");
  EXPECT_EQ(LowerCamel("arn"), "arn");
  EXPECT_EQ(LowerCamel(""), "");
}

}  // namespace
}  // namespace fulcrum::protocol
