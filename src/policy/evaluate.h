#pragma once

// Evaluation of parsed policies (document.h) against one request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//
// Pure functions over immutable policies; thread-safe. The cost of a call depends on the
// policies and the request only, never on how many policies exist elsewhere.

#include <cstddef>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "policy/document.h"

namespace fulcrum::policy {

// Three-valued, so callers can tell "nothing allowed it" from "something denied it".
enum class Decision { kImplicitDeny, kAllow, kExplicitDeny };

struct RequestContext {
  std::string action;         // "iam:CreateUser"; matched case-insensitively.
  std::string resource;       // "arn:aws:iam::123456789012:user/alice" or "*".
  std::string principal_arn;  // The caller, "arn:aws:iam::123456789012:user/bob".
  // Condition keys and their values ("aws:username" -> {"bob"}); names are matched
  // case-insensitively. A key with no values counts as absent.
  std::unordered_map<std::string, std::vector<std::string>> keys;
};

// A statement that decided: the policy (as passed in), its index in Policy::statements, its Sid.
struct StatementMatch {
  const Policy* policy = nullptr;
  std::size_t statement_index = 0;
  std::string sid;
};

struct PolicyDecision {
  Decision decision = Decision::kImplicitDeny;
  // kExplicitDeny: every Deny statement that matched; kAllow: every Allow statement that
  // matched; kImplicitDeny: empty.
  std::vector<StatementMatch> deciding;
};

// Identity-based evaluation over a set of policies: an explicit deny in any statement wins; else
// any matching allow allows; else the request is implicitly denied. Principal elements are not
// consulted.
// REQUIRES: every pointer in `policies` is non-null and outlives the returned decision.
[[nodiscard]] PolicyDecision EvaluateIdentityPolicies(std::span<const Policy* const> policies,
                                                      const RequestContext& request);

// Whether `statement` applies to `request`: its Action, Resource (when present) and every
// Condition match. Principal is not consulted. For the policy simulator and tests.
[[nodiscard]] bool StatementMatches(const Statement& statement, const RequestContext& request);

}  // namespace fulcrum::policy
