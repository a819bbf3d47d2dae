// Runs the policy-evaluation vectors in tests/data/policy/*.json. Each file holds
//   {"policies": [...], "cases": [...]}
// where a policy is {"kind": "identity"|"resource"|"boundary"|"scp"|"session", "document": <JSON
// object, or a string used verbatim>} and a case is
//   {"name": "...", "policies": [...] (optional, replaces the file's),
//    "request": {"action": "...", "resource": "...", "principal": "...",
//                "context": {"key": "value" | ["v1", "v2"]}},
//    "decision": "Allow" | "ImplicitDeny" | "ExplicitDeny",
//    "sids": ["Sid of each deciding statement, in policy then statement order"] (optional)}.
// By default a case runs EvaluateIdentityPolicies over all its policies, whatever their kind.
// With "mode": "full" (on the file or the case) it runs Evaluate with the policies split by kind:
// "identity", "resource", "boundary" (sets a permissions boundary), "session" (sets session
// policies), "scp" with "level": 0 (organization root) .. n (the account); the case may then
// also give "scp_levels": n (levels without SCPs allow nothing), "principal_is_root",
// "same_account" (default true), "require_resource_allow", and the expected "reason" (the
// DenyReason name without the k: "None", "NoIdentityAllow", "ExplicitDenyIdentity", ...).

#include "policy/evaluate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
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
  bool full = false;
  json::object options;  // The case itself, for the Evaluate flags.
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
    const bool file_full = StringOf(file, "mode") == "full";
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
      v.full = file_full || StringOf(c, "mode") == "full";
      v.options = c;
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

std::string ReasonName(EvaluationResult::DenyReason reason) {
  using Reason = EvaluationResult::DenyReason;
  switch (reason) {
    case Reason::kNone:
      return "None";
    case Reason::kNoIdentityAllow:
      return "NoIdentityAllow";
    case Reason::kExplicitDenyIdentity:
      return "ExplicitDenyIdentity";
    case Reason::kExplicitDenyResource:
      return "ExplicitDenyResource";
    case Reason::kServiceControlPolicy:
      return "ServiceControlPolicy";
    case Reason::kPermissionsBoundary:
      return "PermissionsBoundary";
    case Reason::kSessionPolicy:
      return "SessionPolicy";
    case Reason::kResourcePolicyCrossAccount:
      return "ResourcePolicyCrossAccount";
    case Reason::kNoResourcePolicyAllow:
      return "NoResourcePolicyAllow";
  }
  return "?";
}

bool BoolOf(const json::object& object, std::string_view key, bool fallback) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_bool() ? value->get_bool() : fallback;
}

// The policies of a "full" vector split into Evaluate's input.
struct SplitInput {
  std::vector<const Policy*> identity, boundary, session, resource;
  std::vector<std::vector<const Policy*>> scps;
  bool has_boundary = false;
  bool has_session = false;
};

class PolicyVectorTest : public testing::TestWithParam<Vector> {};

TEST_P(PolicyVectorTest, Decides) {
  const Vector& v = GetParam();
  SCOPED_TRACE(v.file + ": " + v.name);
  ASSERT_FALSE(v.request.empty()) << "vector file could not be read";

  std::vector<std::shared_ptr<const Policy>> owned;
  SplitInput split;
  if (const json::value* levels = v.options.if_contains("scp_levels")) {
    split.scps.resize(static_cast<std::size_t>(levels->to_number<std::int64_t>()));
  }
  for (const json::value& item : v.policies) {
    const json::object& entry = item.as_object();
    const std::optional<PolicyKind> kind = KindOf(StringOf(entry, "kind"));
    ASSERT_TRUE(kind.has_value()) << "unknown kind " << StringOf(entry, "kind");
    const json::value& document = entry.at("document");
    const std::string text =
        document.is_string() ? std::string(document.get_string()) : json::serialize(document);
    Result<std::shared_ptr<const Policy>> parsed = ParsePolicy(text, *kind);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message << "\n" << text;
    const Policy* policy = parsed->get();
    owned.push_back(std::move(*parsed));
    switch (*kind) {
      case PolicyKind::kIdentity:
        split.identity.push_back(policy);
        break;
      case PolicyKind::kResource:
        split.resource.push_back(policy);
        break;
      case PolicyKind::kPermissionsBoundary:
        split.has_boundary = true;
        split.boundary.push_back(policy);
        break;
      case PolicyKind::kSession:
        split.has_session = true;
        split.session.push_back(policy);
        break;
      case PolicyKind::kServiceControl: {
        const json::value* level = entry.if_contains("level");
        const std::size_t index =
            level != nullptr ? static_cast<std::size_t>(level->to_number<std::int64_t>()) : 0;
        if (split.scps.size() <= index) {
          split.scps.resize(index + 1);
        }
        split.scps[index].push_back(policy);
        break;
      }
    }
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

  PolicyDecision decision;
  if (v.full) {
    EvaluationInput input;
    input.identity = split.identity;
    if (split.has_boundary) {
      input.permissions_boundary = std::span<const Policy* const>(split.boundary);
    }
    if (split.has_session) {
      input.session = std::span<const Policy* const>(split.session);
    }
    for (const std::vector<const Policy*>& level : split.scps) {
      input.scp_levels.emplace_back(level);
    }
    input.resource = split.resource;
    input.principal_is_root = BoolOf(v.options, "principal_is_root", false);
    input.same_account = BoolOf(v.options, "same_account", true);
    input.require_resource_allow = BoolOf(v.options, "require_resource_allow", false);
    EvaluationResult result = Evaluate(input, request);
    if (v.options.contains("reason")) {
      EXPECT_EQ(ReasonName(result.reason), StringOf(v.options, "reason"));
    }
    EXPECT_EQ(result.reason == EvaluationResult::DenyReason::kNone,
              result.decision == Decision::kAllow);
    decision.decision = result.decision;
    decision.deciding = std::move(result.deciding);
  } else {
    decision = EvaluateIdentityPolicies(policies, request);
  }
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

std::shared_ptr<const Policy> Parse(std::string_view text, PolicyKind kind) {
  Result<std::shared_ptr<const Policy>> parsed = ParsePolicy(text, kind);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : nullptr;
}

// The per-kind details the simulator reports (OrganizationsDecisionDetail,
// PermissionsBoundaryDecisionDetail).
TEST(Evaluate, ReportsOrganizationsAndBoundaryDetails) {
  const auto admin = Parse(
      R"({"Version": "2012-10-17", "Statement": {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}})",
      PolicyKind::kIdentity);
  const auto full = Parse(
      R"({"Version": "2012-10-17", "Statement": {"Sid": "Full", "Effect": "Allow", "Action": "*", "Resource": "*"}})",
      PolicyKind::kServiceControl);
  const auto s3_only = Parse(
      R"({"Version": "2012-10-17", "Statement": {"Sid": "S3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}})",
      PolicyKind::kPermissionsBoundary);
  ASSERT_TRUE(admin && full && s3_only);
  const std::vector<const Policy*> identity{admin.get()};
  const std::vector<const Policy*> scps{full.get()};
  const std::vector<const Policy*> boundary{s3_only.get()};
  RequestContext request{.action = "iam:CreateUser",
                         .resource = "arn:aws:iam::111122223333:user/x",
                         .principal_arn = "arn:aws:iam::111122223333:user/alice",
                         .keys = {}};

  EvaluationInput input;
  input.identity = identity;
  EvaluationResult none = Evaluate(input, request);
  EXPECT_EQ(none.decision, Decision::kAllow);
  EXPECT_EQ(none.organizations.decision, Decision::kAllow);
  EXPECT_TRUE(none.organizations.matched.empty());
  EXPECT_EQ(none.boundary.decision, Decision::kAllow);

  input.scp_levels = {scps, scps};
  input.permissions_boundary = std::span<const Policy* const>(boundary);
  EvaluationResult capped = Evaluate(input, request);
  EXPECT_EQ(capped.decision, Decision::kImplicitDeny);
  EXPECT_EQ(capped.reason, EvaluationResult::DenyReason::kPermissionsBoundary);
  EXPECT_TRUE(capped.deciding.empty());
  EXPECT_EQ(capped.organizations.decision, Decision::kAllow);
  EXPECT_EQ(capped.organizations.matched.size(), 2u);
  EXPECT_EQ(capped.boundary.decision, Decision::kImplicitDeny);
  EXPECT_TRUE(capped.boundary.matched.empty());

  request.action = "s3:GetObject";
  EvaluationResult allowed = Evaluate(input, request);
  EXPECT_EQ(allowed.decision, Decision::kAllow);
  EXPECT_EQ(allowed.boundary.decision, Decision::kAllow);
  ASSERT_EQ(allowed.boundary.matched.size(), 1u);
  EXPECT_EQ(allowed.boundary.matched[0].sid, "S3");
  ASSERT_EQ(allowed.deciding.size(), 1u);
  EXPECT_EQ(allowed.deciding[0].policy, admin.get());

  input.scp_levels = {scps, {}};
  EvaluationResult no_scp = Evaluate(input, request);
  EXPECT_EQ(no_scp.decision, Decision::kImplicitDeny);
  EXPECT_EQ(no_scp.reason, EvaluationResult::DenyReason::kServiceControlPolicy);
  EXPECT_EQ(no_scp.organizations.decision, Decision::kImplicitDeny);
}

TEST(PolicyVectors, AtLeastThreeHundredCases) { EXPECT_GE(LoadVectors().size(), 300u); }

}  // namespace
}  // namespace fulcrum::policy
