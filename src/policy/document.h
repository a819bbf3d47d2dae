#pragma once

// The IAM JSON policy language as a typed model, parsed and validated once when a policy is
// written. Evaluation (evaluate.h) walks this model; it never re-reads the JSON.
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
//
// A Policy is an immutable value once ParsePolicy returns it; share it freely between threads.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace fulcrum::policy {

// Where a policy is attached decides which elements it may and must have.
enum class PolicyKind {
  kIdentity,             // User, group and role policies: no Principal; Resource required.
  kResource,             // Role trust policies and other resource policies: Principal required.
  kPermissionsBoundary,  // Like kIdentity.
  kServiceControl,       // Organizations SCPs: like kIdentity.
  kSession,              // STS session policies: like kIdentity.
};

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
// A policy without Version has 2008-10-17 semantics: "${...}" is literal text there.
enum class PolicyVersion { k2008_10_17, k2012_10_17 };

enum class Effect { kAllow, kDeny };

// A Resource pattern or condition value as written. `has_variables` is true when the text holds
// a policy variable ("${aws:username}", "${aws:PrincipalTag/team, 'none'}", "${*}") and the
// policy is Version 2012-10-17; the variables are then resolved per request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
struct PolicyString {
  std::string text;
  bool has_variables = false;
};

// Principal or NotPrincipal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
struct PrincipalSet {
  bool negated = false;   // NotPrincipal.
  bool wildcard = false;  // "Principal": "*" (everyone, anonymous included).
  // "AWS" entries: "*" or ARNs; a bare 12-digit account id is stored as that account's root,
  // "arn:aws:iam::<id>:root".
  std::vector<std::string> aws;
  std::vector<std::string> service;         // "ec2.amazonaws.com"
  std::vector<std::string> federated;       // "cognito-identity.amazonaws.com", provider ARNs
  std::vector<std::string> canonical_user;  // S3 canonical user ids
};

// Action or NotAction: "*" or "service:Action" patterns with '*' and '?', matched
// case-insensitively.
struct ActionSet {
  bool negated = false;  // NotAction.
  std::vector<std::string> patterns;
};

// Resource or NotResource: "*" or ARN patterns with '*' and '?', matched case-sensitively and
// component by component.
struct ResourceSet {
  bool negated = false;  // NotResource.
  std::vector<PolicyString> patterns;
};

// Condition operators without their "ForAllValues:"/"ForAnyValue:" prefix and "IfExists" suffix.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
enum class ConditionOperator {
  kStringEquals,
  kStringNotEquals,
  kStringEqualsIgnoreCase,
  kStringNotEqualsIgnoreCase,
  kStringLike,
  kStringNotLike,
  kNumericEquals,
  kNumericNotEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateNotEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kNotIpAddress,
  kArnEquals,
  kArnLike,
  kArnNotEquals,
  kArnNotLike,
  kNull,
};

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
enum class SetOperator { kNone, kForAllValues, kForAnyValue };

// An IPv4 or IPv6 network: the first `prefix_length` bits of `address` (IPv4 uses bytes 0..3).
struct IpNetwork {
  bool v6 = false;
  std::array<std::uint8_t, 16> address{};
  int prefix_length = 0;

  bool operator==(const IpNetwork&) const = default;
};

// One value of a condition, with the typed form its operator compares, computed on parse. The
// typed form is empty when the value holds policy variables (it is then computed per request)
// or when the text does not parse as that type (such a value never matches).
struct ConditionValue {
  PolicyString text;             // JSON booleans and numbers are kept as their text ("true", "10").
  std::optional<double> number;  // Numeric*.
  std::optional<std::int64_t> epoch_ms;  // Date*: milliseconds since the Unix epoch.
  std::optional<IpNetwork> network;      // IpAddress, NotIpAddress.
};

// One "operator": {"key": values} pair of a Condition block.
struct Condition {
  std::string operator_name;  // As written, e.g. "ForAnyValue:StringLikeIfExists".
  ConditionOperator op = ConditionOperator::kStringEquals;
  SetOperator set_operator = SetOperator::kNone;
  bool if_exists = false;
  std::string key;  // As written; matched against request keys case-insensitively.
  std::vector<ConditionValue> values;
};

struct Statement {
  std::string sid;  // Empty when absent.
  Effect effect = Effect::kAllow;
  std::optional<PrincipalSet> principals;  // Absent in identity-like policies.
  ActionSet actions;
  std::optional<ResourceSet> resources;  // Absent in trust policies.
  std::vector<Condition> conditions;     // All must hold (AND).
};

struct Policy {
  PolicyKind kind = PolicyKind::kIdentity;
  PolicyVersion version = PolicyVersion::k2008_10_17;
  bool has_version = false;  // Whether the document had a Version element.
  std::string id;            // The Id element; empty when absent.
  std::vector<Statement> statements;
  std::string text;  // The document exactly as written.
};

// The message IAM gives when a managed policy (CreatePolicy, CreatePolicyVersion) lacks
// "Version": "2012-10-17"; ParsePolicy accepts such documents because inline policies may.
inline constexpr std::string_view kManagedPolicyVersionMessage =
    "Policy document must be version 2012-10-17 or greater.";

// Parses and validates `text` as a policy of `kind`, once, on write.
// On success, the typed model with `text` kept as written. Otherwise a MalformedPolicyDocument
// error with IAM's message: "Syntax errors in policy." for text that is not JSON ("This policy
// contains invalid Json" for kResource, as CreateRole says), "Syntax errors in policy. <what>"
// for a bad shape (unknown field, wrong type, unknown condition operator, invalid Version),
// "The policy failed legacy parsing: <what>", "Policy document should not specify a principal.",
// "Missing required field Principal in Statement[i].", "Invalid principal in policy: ...",
// "Policy statement must contain actions. (Statement[i])", "... must contain resources. ...",
// "Resource X must be in ARN format or \"*\".", "Actions/Conditions must be prefaced by a
// vendor, ...", the Sid rules. Statement[i] counts from 0.
// Thread-safe.
[[nodiscard]] Result<std::shared_ptr<const Policy>> ParsePolicy(std::string_view text,
                                                                PolicyKind kind);

}  // namespace fulcrum::policy
