// Runs the policy-evaluation vectors in tests/data/policy/*.json. Each file holds
//   {"policies": [...], "cases": [...]}
// where a policy is {"kind": "identity"|"resource"|"boundary"|"scp"|"session", "document": <JSON
// object, or a string used verbatim>} and a case is
//   {"name": "...", "policies": [...] (optional, replaces the file's),
//    "request": {"action": "...", "resource": "...", "principal": "...",
//                "context": {"key": "value" | ["v1", "v2"]}},
//    "decision": "Allow" | "ImplicitDeny" | "ExplicitDeny",
//    "sids": ["Sid of each deciding statement, in policy then statement order"] (optional)}.

#include "policy/evaluate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "policy/document.h"

namespace fulcrum::policy {
namespace {

namespace json = boost::json;

struct Vector {
  std::string id;  // "<file>_<index>" for the test name.
  std::string file;
  std::string name;
  json::array policies;
  json::object request;
  std::string decision;
  std::optional<std::vector<std::string>> sids;
};

// Names the vector in failure messages instead of dumping its bytes.
void PrintTo(const Vector& v, std::ostream* os) { *os << v.file << ": " << v.name; }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string StringOf(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

std::vector<Vector> LoadVectors() {
  std::vector<Vector> vectors;
  const std::filesystem::path dir = std::filesystem::path(FULCRUM_TESTDATA_DIR) / "policy";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& path : files) {
    json::error_code error;
    const json::value root = json::parse(ReadFile(path), error);
    const std::string stem = path.stem().string();
    if (error || !root.is_object()) {
      Vector broken;
      broken.id = stem + "_unreadable";
      broken.file = stem;
      broken.name = "file is not a JSON object";
      vectors.push_back(std::move(broken));
      continue;
    }
    const json::object& file = root.get_object();
    json::array shared;
    if (const json::value* policies = file.if_contains("policies")) {
      shared = policies->as_array();
    }
    std::size_t index = 0;
    for (const json::value& item : file.at("cases").as_array()) {
      const json::object& c = item.as_object();
      Vector v;
      v.id = stem + "_" + std::to_string(index++);
      v.file = stem;
      v.name = StringOf(c, "name");
      v.policies = c.contains("policies") ? c.at("policies").as_array() : shared;
      v.request = c.at("request").as_object();
      v.decision = StringOf(c, "decision");
      if (const json::value* sids = c.if_contains("sids")) {
        std::vector<std::string> list;
        for (const json::value& sid : sids->as_array()) {
          list.emplace_back(sid.as_string());
        }
        v.sids = std::move(list);
      }
      vectors.push_back(std::move(v));
    }
  }
  return vectors;
}

std::optional<PolicyKind> KindOf(std::string_view text) {
  if (text == "identity") {
    return PolicyKind::kIdentity;
  }
  if (text == "resource") {
    return PolicyKind::kResource;
  }
  if (text == "boundary") {
    return PolicyKind::kPermissionsBoundary;
  }
  if (text == "scp") {
    return PolicyKind::kServiceControl;
  }
  if (text == "session") {
    return PolicyKind::kSession;
  }
  return std::nullopt;
}

std::string DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kAllow:
      return "Allow";
    case Decision::kExplicitDeny:
      return "ExplicitDeny";
    case Decision::kImplicitDeny:
      return "ImplicitDeny";
  }
  return "?";
}

class PolicyVectorTest : public testing::TestWithParam<Vector> {};

TEST_P(PolicyVectorTest, Decides) {
  const Vector& v = GetParam();
  SCOPED_TRACE(v.file + ": " + v.name);
  ASSERT_FALSE(v.request.empty()) << "vector file could not be read";

  std::vector<std::shared_ptr<const Policy>> owned;
  for (const json::value& item : v.policies) {
    const json::object& entry = item.as_object();
    const std::optional<PolicyKind> kind = KindOf(StringOf(entry, "kind"));
    ASSERT_TRUE(kind.has_value()) << "unknown kind " << StringOf(entry, "kind");
    const json::value& document = entry.at("document");
    const std::string text =
        document.is_string() ? std::string(document.get_string()) : json::serialize(document);
    Result<std::shared_ptr<const Policy>> parsed = ParsePolicy(text, *kind);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message << "\n" << text;
    owned.push_back(std::move(*parsed));
  }
  std::vector<const Policy*> policies;
  policies.reserve(owned.size());
  for (const auto& policy : owned) {
    policies.push_back(policy.get());
  }

  RequestContext request;
  request.action = StringOf(v.request, "action");
  request.resource = StringOf(v.request, "resource");
  request.principal_arn = StringOf(v.request, "principal");
  if (const json::value* context = v.request.if_contains("context")) {
    for (const auto& [key, value] : context->as_object()) {
      std::vector<std::string>& values = request.keys[std::string(key)];
      if (value.is_array()) {
        for (const json::value& one : value.as_array()) {
          values.emplace_back(one.as_string());
        }
      } else {
        values.emplace_back(value.as_string());
      }
    }
  }

  const PolicyDecision decision = EvaluateIdentityPolicies(policies, request);
  EXPECT_EQ(DecisionName(decision.decision), v.decision);
  if (v.sids) {
    std::vector<std::string> sids;
    for (const StatementMatch& match : decision.deciding) {
      sids.push_back(match.sid);
      ASSERT_NE(match.policy, nullptr);
      ASSERT_LT(match.statement_index, match.policy->statements.size());
      EXPECT_EQ(match.policy->statements[match.statement_index].sid, match.sid);
    }
    EXPECT_EQ(sids, *v.sids);
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, PolicyVectorTest, testing::ValuesIn(LoadVectors()),
                         [](const testing::TestParamInfo<Vector>& param_info) {
                           std::string id = param_info.param.id;
                           std::replace_if(
                               id.begin(), id.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return id;
                         });

TEST(PolicyVectors, AtLeastEightyCases) { EXPECT_GE(LoadVectors().size(), 80u); }

}  // namespace
}  // namespace fulcrum::policy
