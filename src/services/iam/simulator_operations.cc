// The operation rows of the policy simulator: each binds the model's input members to a
// SimulatorService method and its result to the model's output shape.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePolicyResponse.html

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "services/iam/binding.h"
#include "services/iam/simulator.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kPolicySourceArn = "PolicySourceArn";

std::vector<SimulationContextEntry> ContextEntriesOf(const json::object& input) {
  std::vector<SimulationContextEntry> entries;
  const json::value* list = input.if_contains("ContextEntries");
  if (list == nullptr || !list->is_array()) return entries;
  for (const json::value& item : list->get_array()) {
    if (!item.is_object()) continue;
    const json::object& entry = item.get_object();
    entries.push_back(SimulationContextEntry{.key_name = StringOr(entry, "ContextKeyName", ""),
                                             .values = StringList(entry, "ContextKeyValues"),
                                             .type = StringOr(entry, "ContextKeyType", "")});
  }
  return entries;
}

SimulationRequest SimulationRequestOf(const json::object& input) {
  return SimulationRequest{.policy_input_list = StringList(input, "PolicyInputList"),
                           .permissions_boundary_policy_input_list =
                               StringList(input, "PermissionsBoundaryPolicyInputList"),
                           .action_names = StringList(input, "ActionNames"),
                           .resource_arns = StringList(input, "ResourceArns"),
                           .context_entries = ContextEntriesOf(input),
                           .caller_arn = OptionalString(input, "CallerArn"),
                           .page = PageOf(input)};
}

json::object PositionJson(const PolicyPosition& position) {
  return json::object{{"Line", position.line}, {"Column", position.column}};
}

json::array StringsJson(const std::vector<std::string>& strings) {
  json::array out;
  for (const std::string& text : strings) out.emplace_back(text);
  return out;
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
json::object EvaluationResultJson(const EvaluationResult& result) {
  json::array matched;
  for (const MatchedStatement& statement : result.matched_statements) {
    matched.emplace_back(json::object{{"SourcePolicyId", statement.source_policy_id},
                                      {"SourcePolicyType", statement.source_policy_type},
                                      {"StartPosition", PositionJson(statement.start)},
                                      {"EndPosition", PositionJson(statement.end)}});
  }
  return json::object{
      {"EvalActionName", result.action_name},
      {"EvalResourceName", result.resource_name},
      {"EvalDecision", DecisionName(result.decision)},
      {"MatchedStatements", std::move(matched)},
      {"MissingContextValues", StringsJson(result.missing_context_values)},
      {"OrganizationsDecisionDetail",
       json::object{{"AllowedByOrganizations", result.allowed_by_organizations}}},
      {"PermissionsBoundaryDecisionDetail",
       json::object{{"AllowedByPermissionsBoundary", result.allowed_by_permissions_boundary}}}};
}

Result<json::value> SimulationJson(const Result<SimulationResult>& result) {
  if (!result) return Fail(result.error());
  json::array results;
  for (const EvaluationResult& evaluation : result->results) {
    results.emplace_back(EvaluationResultJson(evaluation));
  }
  json::object out{{"EvaluationResults", std::move(results)}};
  AddPageFields(out, result->next_marker);
  return out;
}

Result<json::value> ContextKeysJson(const Result<std::vector<std::string>>& keys) {
  if (!keys) return Fail(keys.error());
  return json::object{{"ContextKeyNames", StringsJson(*keys)}};
}

std::string PolicySource(const RequestContext& /*context*/, const json::object& input) {
  return StringOr(input, kPolicySourceArn, "*");
}

}  // namespace

void AddSimulatorOperations(SimulatorService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "SimulatePrincipalPolicy",
      .iam_action = "iam:SimulatePrincipalPolicy",
      .skip_authorization = false,
      .resource = PolicySource,
      .handler = [&service](const RequestContext& context, const json::object& input) {
        return SimulationJson(service.SimulatePrincipalPolicy(
            context.principal, StringOr(input, kPolicySourceArn, ""), SimulationRequestOf(input)));
      }});
  rows.push_back(
      OperationRow{.name = "SimulateCustomPolicy",
                   .iam_action = "iam:SimulateCustomPolicy",
                   .skip_authorization = false,
                   .resource = AnyResource,
                   .handler = [&service](const RequestContext& context, const json::object& input) {
                     return SimulationJson(service.SimulateCustomPolicy(
                         context.principal, SimulationRequestOf(input)));
                   }});
  rows.push_back(
      OperationRow{.name = "GetContextKeysForPrincipalPolicy",
                   .iam_action = "iam:GetContextKeysForPrincipalPolicy",
                   .skip_authorization = false,
                   .resource = PolicySource,
                   .handler = [&service](const RequestContext& context, const json::object& input) {
                     return ContextKeysJson(service.GetContextKeysForPrincipalPolicy(
                         context.principal, StringOr(input, kPolicySourceArn, ""),
                         StringList(input, "PolicyInputList")));
                   }});
  rows.push_back(OperationRow{
      .name = "GetContextKeysForCustomPolicy",
      .iam_action = "iam:GetContextKeysForCustomPolicy",
      .skip_authorization = false,
      .resource = AnyResource,
      .handler = [&service](const RequestContext& /*context*/, const json::object& input) {
        return ContextKeysJson(
            service.GetContextKeysForCustomPolicy(StringList(input, "PolicyInputList")));
      }});
}

}  // namespace fulcrum::services::iam
