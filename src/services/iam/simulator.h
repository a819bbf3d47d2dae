#pragma once

// SimulatorService: IAM's policy simulator, over the policy library (src/policy).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetContextKeysForPrincipalPolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetContextKeysForCustomPolicy.html
//
// Each simulated (action, resource) pair is evaluated with policy::EvaluateIdentityPolicies over
// the identity policies and, when there are any, separately over the permissions boundary
// policies: an explicit deny in either wins; otherwise the pair is allowed only when the identity
// policies allow it and the boundary (if any) allows it too. Organizations SCPs are not
// simulated: OrganizationsDecisionDetail always says allowed. ResourcePolicy, ResourceOwner and
// ResourceHandlingOption are not simulated.
//
// Thread safety: safe to call from any number of threads at once (the stores are thread-safe and
// the service keeps no mutable state).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "policy/document.h"
#include "policy/evaluate.h"
#include "services/iam/context.h"
#include "services/operation.h"
#include "services/principal.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ContextEntry.html
struct SimulationContextEntry {
  std::string key_name;             // "aws:CurrentTime"
  std::vector<std::string> values;  // One value unless `type` is a list type.
  std::string type;                 // "string", "stringList", "numeric", ... "dateList".
};

// The inputs SimulatePrincipalPolicy and SimulateCustomPolicy share.
struct SimulationRequest {
  std::vector<std::string> policy_input_list;                       // Extra identity policies.
  std::vector<std::string> permissions_boundary_policy_input_list;  // Boundary policies.
  std::vector<std::string> action_names;                            // "iam:CreateUser"
  std::vector<std::string> resource_arns;                           // Empty = {"*"}.
  std::vector<SimulationContextEntry> context_entries;
  std::optional<std::string> caller_arn;
  storage::PageRequest page;  // Marker and MaxItems over the evaluation results.
};

// A place in a policy document: 1-based line and column.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Position.html
struct PolicyPosition {
  int line = 1;
  int column = 1;

  bool operator==(const PolicyPosition&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Statement.html
struct MatchedStatement {
  // The policy name for stored policies, "PolicyInputList.<n>" or
  // "PermissionsBoundaryPolicyInputList.<n>" (1-based) for input policies.
  std::string source_policy_id;
  // "user", "group", "role" (inline), "aws-managed", "user-managed", or "IAM Policy" for input
  // policies.
  std::string source_policy_type;
  PolicyPosition start;  // The statement's opening '{'.
  PolicyPosition end;    // Just past the statement's closing '}'.
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
struct EvaluationResult {
  std::string action_name;
  std::string resource_name;
  policy::Decision decision = policy::Decision::kImplicitDeny;
  std::vector<MatchedStatement> matched_statements;
  // Condition keys of statements whose Action and Resource match that the context lacks, as
  // written in the policies, de-duplicated ignoring case, in order of appearance.
  std::vector<std::string> missing_context_values;
  bool allowed_by_organizations = true;
  bool allowed_by_permissions_boundary = true;  // True when there is no boundary.
};

struct SimulationResult {
  std::vector<EvaluationResult> results;  // One page, actions outer, resources inner.
  std::string next_marker;                // Empty when this is the last page.
};

// "allowed", "explicitDeny" or "implicitDeny".
[[nodiscard]] std::string_view DecisionName(policy::Decision decision);

class SimulatorService {
 public:
  // REQUIRES: the context's references outlive the service.
  explicit SimulatorService(const IamContext& context);

  // Simulates the policies of the user, group or role `policy_source_arn` of the caller's
  // account: for a user its attached managed policies (default versions), inline policies and
  // its groups' policies; for a group or role its own; plus request.policy_input_list. The
  // boundary is request.permissions_boundary_policy_input_list when given, else the user's or
  // role's permissions boundary policy. For a user the context also holds aws:username,
  // aws:userid and aws:PrincipalArn (ContextEntries replace them).
  // On success, one page of results. Errors: NoSuchEntity (no such principal), InvalidInput
  // (not a user, group or role ARN; bad context entry; bad Marker), MalformedPolicyDocument (an
  // input policy does not parse as an identity policy).
  [[nodiscard]] Result<SimulationResult> SimulatePrincipalPolicy(const Principal& caller,
                                                                 std::string_view policy_source_arn,
                                                                 const SimulationRequest& request);

  // Simulates request.policy_input_list (identity policies) capped by
  // request.permissions_boundary_policy_input_list. Errors as SimulatePrincipalPolicy's, bar
  // NoSuchEntity.
  [[nodiscard]] Result<SimulationResult> SimulateCustomPolicy(const Principal& caller,
                                                              const SimulationRequest& request);

  // On success, the condition keys the principal's policies and `policy_input_list` use, as
  // written, de-duplicated ignoring case, in order of appearance. Errors: NoSuchEntity,
  // InvalidInput, MalformedPolicyDocument.
  [[nodiscard]] Result<std::vector<std::string>> GetContextKeysForPrincipalPolicy(
      const Principal& caller, std::string_view policy_source_arn,
      const std::vector<std::string>& policy_input_list);

  // On success, the condition keys `policy_input_list` uses (as above). Errors:
  // MalformedPolicyDocument.
  [[nodiscard]] Result<std::vector<std::string>> GetContextKeysForCustomPolicy(
      const std::vector<std::string>& policy_input_list);

  // A policy as the simulator sees it: where it came from and its statements' spans.
  struct SourcePolicy {
    std::shared_ptr<const policy::Policy> policy;
    std::string id;
    std::string type;
    std::vector<std::pair<PolicyPosition, PolicyPosition>> spans;  // One per statement, or none.
  };

 private:
  struct LoadedPrincipal {
    std::string arn;
    std::vector<SourcePolicy> identity;
    std::vector<SourcePolicy> boundary;
    std::vector<std::pair<std::string, std::string>> keys;  // Automatic context keys.
  };

  [[nodiscard]] Result<LoadedPrincipal> LoadPrincipal(const services::Principal& caller,
                                                      std::string_view policy_source_arn);
  [[nodiscard]] Result<SimulationResult> Simulate(const LoadedPrincipal& principal,
                                                  const SimulationRequest& request);

  IamContext context_;
};

// The start and end of each element of the document's top-level "Statement" (one span for a
// single statement object), or empty when the text cannot be read that way.
[[nodiscard]] std::vector<std::pair<PolicyPosition, PolicyPosition>> StatementSpans(
    std::string_view text);

// Adds the simulator's rows: SimulatePrincipalPolicy, SimulateCustomPolicy,
// GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy.
void AddSimulatorOperations(SimulatorService& service, std::vector<OperationRow>& rows);

}  // namespace fulcrum::services::iam
