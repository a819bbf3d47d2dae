#pragma once

// Evaluation of parsed policies (document.h) against one request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//
// Pure functions over immutable policies; thread-safe. The cost of a call depends on the
// policies and the request only, never on how many policies exist elsewhere.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "policy/document.h"

namespace fulcrum::policy {

// Three-valued, so callers can tell "nothing allowed it" from "something denied it".
enum class Decision { kImplicitDeny, kAllow, kExplicitDeny };

struct RequestContext {
  using KeyMap = std::unordered_map<std::string, std::vector<std::string>>;

  std::string action;         // "iam:CreateUser"; matched case-insensitively.
  std::string resource;       // "arn:aws:iam::123456789012:user/alice" or "*".
  std::string principal_arn;  // The caller, "arn:aws:iam::123456789012:user/bob".
  // Condition keys and their values ("aws:username" -> {"bob"}); names are matched
  // case-insensitively. A key with no values counts as absent.
  KeyMap keys;
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

// Every policy that applies to one request, by kind. The spans hold non-null pointers that must
// outlive the call.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
struct EvaluationInput {
  // The caller's identity-based policies: user, group and role policies, inline and managed.
  std::span<const Policy* const> identity;
  // The caller's permissions boundary; nullopt when none is set.
  std::optional<std::span<const Policy* const>> permissions_boundary;
  // SCPs of the caller's account, one span per level from the organization root down to the
  // account. Empty when the account is in no organization or is the management account.
  std::vector<std::span<const Policy* const>> scp_levels;
  // The session policies passed when the caller's session was created; nullopt when none.
  std::optional<std::span<const Policy* const>> session;
  // Resource-based policies of the resource (a role's trust policy for sts:AssumeRole*). Their
  // Principal / NotPrincipal are matched against the caller.
  std::span<const Policy* const> resource;
  // The caller is an account root user: identity policies, boundaries and session policies do
  // not restrict it; SCPs do (in a member account) and so do explicit denies in resource
  // policies.
  bool principal_is_root = false;
  // The caller and the resource are in the same account. Across accounts both the caller's side
  // and a resource policy must allow.
  bool same_account = true;
  // A resource policy must allow even within the account, as role trust policies (and KMS key
  // policies) require.
  bool require_resource_allow = false;
};

struct EvaluationResult {
  Decision decision = Decision::kImplicitDeny;
  enum class DenyReason {
    kNone,                        // Allowed.
    kNoIdentityAllow,             // No identity-based (or resource-based) policy allows.
    kExplicitDenyIdentity,        // A Deny in an identity-based policy.
    kExplicitDenyResource,        // A Deny in a resource-based policy.
    kServiceControlPolicy,        // A Deny in an SCP, or a level of SCPs that allows nothing.
    kPermissionsBoundary,         // A Deny in the boundary, or the boundary does not allow.
    kSessionPolicy,               // A Deny in a session policy, or the session does not allow.
    kResourcePolicyCrossAccount,  // Across accounts no resource-based policy allows.
    kNoResourcePolicyAllow,       // require_resource_allow and no resource-based policy allows.
  };
  DenyReason reason = DenyReason::kNone;
  // kExplicitDeny: every Deny statement that matched, in the order identity, resource, boundary,
  // SCP levels (root first), session. kAllow: the Allow statements that granted access, identity
  // ones then resource ones (none for a root user). kImplicitDeny: empty.
  std::vector<StatementMatch> deciding;
  // Per-kind details for the policy simulator (OrganizationsDecisionDetail,
  // PermissionsBoundaryDecisionDetail): kAllow when the kind does not apply (no SCPs, no
  // boundary) or allows; `matched` holds the matching Deny statements for kExplicitDeny, else
  // the matching Allow statements.
  struct KindDetail {
    Decision decision = Decision::kAllow;
    std::vector<StatementMatch> matched;
  };
  KindDetail organizations;
  KindDetail boundary;
};

// The full decision for one request, as AWS documents it:
// 1. An explicit Deny in any applicable policy (identity, resource, boundary, SCP, session)
//    denies; the reason names the first kind in that order that denied.
// 2. With SCPs, every level must have a matching Allow (kServiceControlPolicy otherwise).
// 3. Root user: allowed in its own account; across accounts a resource policy must allow.
// 4. Same account: a resource-policy Allow whose Principal names the caller itself
//    (principal_arn, e.g. an IAM user or a role session ARN) or "*" allows without identity
//    policies, boundary or session policies. One that names the caller only through
//    aws:PrincipalArn (the role of a role session, the IAM user of a federated session) stands
//    in for an identity-based Allow but stays bounded by the boundary and session policies. One
//    that names the caller's account root delegates to identity policies and grants nothing.
// 5. Otherwise an identity-based Allow is needed, then an Allow in the boundary (if set), then
//    in the session policies (if set).
// 6. Across accounts, the caller's side must allow as in 5 and a resource policy must allow
//    (any Principal form, the account root included).
// Principal matching: "*" matches everyone; an AWS ARN matches request.principal_arn or a value
// of aws:PrincipalArn; "arn:aws:iam::<id>:root" matches every principal of account <id> (from
// aws:PrincipalAccount, else the account field of principal_arn); Service entries match values
// of aws:PrincipalServiceName; Federated entries match principal_arn or aws:FederatedProvider.
// NotPrincipal matches unless it lists both the caller's own ARN (principal_arn) and its account
// root (or "*"), as AWS requires; a service caller is exempt when its service name is listed.
[[nodiscard]] EvaluationResult Evaluate(const EvaluationInput& input,
                                        const RequestContext& request);

// Whether the statement's Action / NotAction covers `action` ("iam:GetUser"), ignoring case. A
// statement that does not cover an action can never decide a request for it, so callers may
// leave it out when evaluating many requests for the same action.
[[nodiscard]] bool StatementCoversAction(const Statement& statement, std::string_view action);

// Whether `statement` applies to `request`: its Action, Resource (when present) and every
// Condition match. Principal is not consulted. For the policy simulator and tests.
[[nodiscard]] bool StatementMatches(const Statement& statement, const RequestContext& request);

}  // namespace fulcrum::policy
