#include "policy/evaluate.h"

#include <optional>

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

}  // namespace

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

}  // namespace fulcrum::policy
