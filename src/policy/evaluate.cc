#include "policy/evaluate.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "policy/condition.h"
#include "policy/context_keys.h"
#include "policy/variables.h"
#include "policy/wildcard.h"

namespace fulcrum::policy {
namespace {

bool ActionMatches(const ActionSet& actions, std::string_view action) {
  bool any = false;
  for (const std::string& pattern : actions.patterns) {
    if (MatchWildcard(pattern, action, CaseSensitivity::kInsensitive)) {
      any = true;
      break;
    }
  }
  return any != actions.negated;
}

bool ResourcePatternMatches(const PolicyString& pattern, const ArnComponents& resource,
                            const ContextKeys& keys) {
  if (!pattern.has_variables) {
    return MatchArn(pattern.text, resource);
  }
  const std::optional<std::string> expanded =
      ExpandVariables(pattern.text, keys, PatternSyntax::kEscaped);
  return expanded && MatchArn(*expanded, resource, PatternSyntax::kEscaped);
}

// A statement without Resource (a trust policy's) applies to any resource.
bool ResourceMatches(const std::optional<ResourceSet>& resources, const ArnComponents& resource,
                     const ContextKeys& keys) {
  if (!resources) {
    return true;
  }
  bool any = false;
  for (const PolicyString& pattern : resources->patterns) {
    if (ResourcePatternMatches(pattern, resource, keys)) {
      any = true;
      break;
    }
  }
  return any != resources->negated;
}

// `resource` is request.resource split once per evaluation.
bool Matches(const Statement& statement, const RequestContext& request,
             const ArnComponents& resource, const ContextKeys& keys) {
  if (!ActionMatches(statement.actions, request.action)) {
    return false;
  }
  if (!ResourceMatches(statement.resources, resource, keys)) {
    return false;
  }
  for (const Condition& condition : statement.conditions) {
    if (!EvaluateCondition(condition, keys)) {
      return false;
    }
  }
  return true;
}

// How a resource-policy statement's Principal names the caller; later values are stronger.
enum class PrincipalMatch { kNone, kAccount, kIndirect, kDirect };

// The account the caller belongs to: aws:PrincipalAccount, else the account field of its ARN.
std::string_view CallerAccount(const RequestContext& request, const ContextKeys& keys) {
  if (const std::vector<std::string>* account = keys.Find("aws:PrincipalAccount")) {
    return account->front();
  }
  const ArnComponents arn = SplitArn(request.principal_arn);
  return arn.count == ArnComponents::kCount ? arn.parts[4] : std::string_view();
}

bool AnyValueEquals(const ContextKeys& keys, std::string_view key, std::string_view expected,
                    bool ignore_case) {
  const std::vector<std::string>* values = keys.Find(key);
  if (values == nullptr) {
    return false;
  }
  for (const std::string& value : *values) {
    if (ignore_case ? EqualsIgnoreCase(value, expected) : value == expected) {
      return true;
    }
  }
  return false;
}

// How the entries of `principals` (ignoring `negated`) name the caller.
PrincipalMatch MatchPrincipalEntries(const PrincipalSet& principals, const RequestContext& request,
                                     const ContextKeys& keys) {
  if (principals.wildcard) {
    return PrincipalMatch::kDirect;
  }
  PrincipalMatch best = PrincipalMatch::kNone;
  const std::string_view account = CallerAccount(request, keys);
  for (const std::string& aws : principals.aws) {
    if (aws == "*" || (!request.principal_arn.empty() && aws == request.principal_arn)) {
      return PrincipalMatch::kDirect;
    }
    if (AnyValueEquals(keys, "aws:PrincipalArn", aws, /*ignore_case=*/false)) {
      best = std::max(best, PrincipalMatch::kIndirect);
      continue;
    }
    const ArnComponents arn = SplitArn(aws);
    if (!account.empty() && arn.count == ArnComponents::kCount && arn.parts[2] == "iam" &&
        arn.parts[5] == "root" && arn.parts[4] == account) {
      best = std::max(best, PrincipalMatch::kAccount);
    }
  }
  for (const std::string& service : principals.service) {
    if (service == "*" ||
        AnyValueEquals(keys, "aws:PrincipalServiceName", service, /*ignore_case=*/true)) {
      return PrincipalMatch::kDirect;
    }
  }
  for (const std::string& federated : principals.federated) {
    if (federated == "*" || federated == request.principal_arn ||
        AnyValueEquals(keys, "aws:FederatedProvider", federated, /*ignore_case=*/false)) {
      return PrincipalMatch::kDirect;
    }
  }
  return best;
}

// Whether a NotPrincipal set lists every identity the caller acts as: the caller's own ARN
// (principal_arn, or its service name) and, for an AWS principal, its account root.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
bool ListsWholeCaller(const PrincipalSet& principals, const RequestContext& request,
                      const ContextKeys& keys) {
  if (principals.wildcard) {
    return true;
  }
  const auto listed = [&principals](std::string_view arn) {
    return std::find(principals.aws.begin(), principals.aws.end(), arn) != principals.aws.end() ||
           std::find(principals.aws.begin(), principals.aws.end(), "*") != principals.aws.end();
  };
  if (const std::vector<std::string>* services = keys.Find("aws:PrincipalServiceName")) {
    for (const std::string& service : principals.service) {
      if (EqualsIgnoreCase(service, services->front())) {
        return true;
      }
    }
  }
  if (request.principal_arn.empty() || !listed(request.principal_arn)) {
    return false;
  }
  const std::string_view account = CallerAccount(request, keys);
  return account.empty() || listed("arn:aws:iam::" + std::string(account) + ":root");
}

// A statement without Principal (any kind but kResource) applies to every caller. A NotPrincipal
// statement applies unless it lists every identity the caller acts as.
PrincipalMatch MatchPrincipal(const std::optional<PrincipalSet>& principals,
                              const RequestContext& request, const ContextKeys& keys) {
  if (!principals) {
    return PrincipalMatch::kDirect;
  }
  if (principals->negated) {
    return ListsWholeCaller(*principals, request, keys) ? PrincipalMatch::kNone
                                                        : PrincipalMatch::kDirect;
  }
  return MatchPrincipalEntries(*principals, request, keys);
}

// The matching statements of a set of policies, split by effect. For allows, `strongest` is
// the strongest PrincipalMatch among them.
struct KindMatches {
  std::vector<StatementMatch> allows;
  std::vector<StatementMatch> denies;
  PrincipalMatch strongest = PrincipalMatch::kNone;
};

KindMatches MatchPolicies(std::span<const Policy* const> policies, const RequestContext& request,
                          const ArnComponents& resource, const ContextKeys& keys) {
  KindMatches result;
  for (const Policy* policy : policies) {
    for (std::size_t i = 0; i < policy->statements.size(); ++i) {
      const Statement& statement = policy->statements[i];
      const PrincipalMatch principal = MatchPrincipal(statement.principals, request, keys);
      if (principal == PrincipalMatch::kNone || !Matches(statement, request, resource, keys)) {
        continue;
      }
      StatementMatch match{policy, i, statement.sid};
      if (statement.effect == Effect::kDeny) {
        result.denies.push_back(std::move(match));
      } else {
        result.allows.push_back(std::move(match));
        result.strongest = std::max(result.strongest, principal);
      }
    }
  }
  return result;
}

void Append(std::vector<StatementMatch>& to, const std::vector<StatementMatch>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

bool StatementCoversAction(const Statement& statement, std::string_view action) {
  return ActionMatches(statement.actions, action);
}

bool StatementMatches(const Statement& statement, const RequestContext& request) {
  const ContextKeys keys(request.keys);
  return Matches(statement, request, SplitArn(request.resource), keys);
}

PolicyDecision EvaluateIdentityPolicies(std::span<const Policy* const> policies,
                                        const RequestContext& request) {
  const ContextKeys keys(request.keys);
  const ArnComponents resource = SplitArn(request.resource);
  PolicyDecision result;
  std::vector<StatementMatch> denies;
  for (const Policy* policy : policies) {
    for (std::size_t i = 0; i < policy->statements.size(); ++i) {
      const Statement& statement = policy->statements[i];
      const bool deny = statement.effect == Effect::kDeny;
      // Once something denies, further allows cannot change the outcome.
      if (!deny && !denies.empty()) {
        continue;
      }
      if (!Matches(statement, request, resource, keys)) {
        continue;
      }
      (deny ? denies : result.deciding).push_back(StatementMatch{policy, i, statement.sid});
    }
  }
  if (!denies.empty()) {
    result.decision = Decision::kExplicitDeny;
    result.deciding = std::move(denies);
  } else if (!result.deciding.empty()) {
    result.decision = Decision::kAllow;
  }
  return result;
}

EvaluationResult Evaluate(const EvaluationInput& input, const RequestContext& request) {
  using Reason = EvaluationResult::DenyReason;
  const ContextKeys keys(request.keys);
  const ArnComponents resource = SplitArn(request.resource);
  // The root user's own identity-side policies do not restrict it.
  const bool identity_side_applies = !input.principal_is_root;

  KindMatches identity;
  std::optional<KindMatches> boundary;
  std::optional<KindMatches> session;
  if (identity_side_applies) {
    identity = MatchPolicies(input.identity, request, resource, keys);
    if (input.permissions_boundary) {
      boundary = MatchPolicies(*input.permissions_boundary, request, resource, keys);
    }
    if (input.session) {
      session = MatchPolicies(*input.session, request, resource, keys);
    }
  }
  const KindMatches resource_policies = MatchPolicies(input.resource, request, resource, keys);
  std::vector<KindMatches> scp_levels;
  scp_levels.reserve(input.scp_levels.size());
  for (std::span<const Policy* const> level : input.scp_levels) {
    scp_levels.push_back(MatchPolicies(level, request, resource, keys));
  }

  EvaluationResult result;
  // Per-kind details.
  for (const KindMatches& level : scp_levels) {
    Append(result.organizations.matched, level.denies);
  }
  if (!result.organizations.matched.empty()) {
    result.organizations.decision = Decision::kExplicitDeny;
  } else {
    for (const KindMatches& level : scp_levels) {
      if (level.allows.empty()) {
        result.organizations.decision = Decision::kImplicitDeny;
      }
      Append(result.organizations.matched, level.allows);
    }
  }
  if (boundary) {
    if (!boundary->denies.empty()) {
      result.boundary = {Decision::kExplicitDeny, boundary->denies};
    } else {
      result.boundary = {boundary->allows.empty() ? Decision::kImplicitDeny : Decision::kAllow,
                         boundary->allows};
    }
  }

  // 1. An explicit deny anywhere wins.
  const auto deny_with = [&result](Reason reason) {
    if (result.reason == Reason::kNone) {
      result.reason = reason;
    }
  };
  Append(result.deciding, identity.denies);
  if (!identity.denies.empty()) {
    deny_with(Reason::kExplicitDenyIdentity);
  }
  if (!resource_policies.denies.empty()) {
    deny_with(Reason::kExplicitDenyResource);
    Append(result.deciding, resource_policies.denies);
  }
  if (boundary && !boundary->denies.empty()) {
    deny_with(Reason::kPermissionsBoundary);
    Append(result.deciding, boundary->denies);
  }
  if (result.organizations.decision == Decision::kExplicitDeny) {
    deny_with(Reason::kServiceControlPolicy);
    Append(result.deciding, result.organizations.matched);
  }
  if (session && !session->denies.empty()) {
    deny_with(Reason::kSessionPolicy);
    Append(result.deciding, session->denies);
  }
  if (!result.deciding.empty()) {
    result.decision = Decision::kExplicitDeny;
    return result;
  }

  const auto implicit_deny = [&result](Reason reason) {
    result.decision = Decision::kImplicitDeny;
    result.reason = reason;
    result.deciding.clear();
    return result;
  };
  // 2. Every SCP level must allow.
  if (result.organizations.decision == Decision::kImplicitDeny) {
    return implicit_deny(Reason::kServiceControlPolicy);
  }
  const bool resource_allows = !resource_policies.allows.empty();
  const bool needs_resource_allow = !input.same_account || input.require_resource_allow;
  const Reason no_resource_allow =
      input.same_account ? Reason::kNoResourcePolicyAllow : Reason::kResourcePolicyCrossAccount;

  // 3. The root user.
  if (input.principal_is_root) {
    if (needs_resource_allow && !resource_allows) {
      return implicit_deny(no_resource_allow);
    }
    result.decision = Decision::kAllow;
    if (needs_resource_allow) {
      result.deciding = resource_policies.allows;
    }
    return result;
  }

  // 4. Within the account, a resource policy naming the caller itself allows on its own.
  if (input.same_account && resource_policies.strongest == PrincipalMatch::kDirect) {
    result.decision = Decision::kAllow;
    result.deciding = identity.allows;
    Append(result.deciding, resource_policies.allows);
    return result;
  }

  // 5. The caller's side: identity, boundary, session.
  const bool resource_stands_in =
      input.same_account && resource_policies.strongest == PrincipalMatch::kIndirect;
  if (identity.allows.empty() && !resource_stands_in) {
    return implicit_deny(Reason::kNoIdentityAllow);
  }
  if (boundary && boundary->allows.empty()) {
    return implicit_deny(Reason::kPermissionsBoundary);
  }
  if (session && session->allows.empty()) {
    return implicit_deny(Reason::kSessionPolicy);
  }
  // 6. Across accounts (or for trust policies) a resource policy must allow too.
  if (needs_resource_allow && !resource_allows) {
    return implicit_deny(no_resource_allow);
  }
  result.decision = Decision::kAllow;
  result.deciding = identity.allows;
  if (resource_stands_in || needs_resource_allow) {
    Append(result.deciding, resource_policies.allows);
  }
  return result;
}

}  // namespace fulcrum::policy
