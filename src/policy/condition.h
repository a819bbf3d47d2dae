#pragma once

// Condition operators: reading their names and evaluating one condition against a request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
// Pure functions; thread-safe.

#include <optional>
#include <string_view>

#include "policy/context_keys.h"
#include "policy/document.h"

namespace fulcrum::policy {

struct OperatorName {
  ConditionOperator op = ConditionOperator::kStringEquals;
  SetOperator set_operator = SetOperator::kNone;
  bool if_exists = false;
};

// The parts of an operator name such as "ForAnyValue:StringNotLikeIfExists" (names are
// case-sensitive), or nullopt when it names no IAM operator.
[[nodiscard]] std::optional<OperatorName> ParseOperatorName(std::string_view name);

// Whether the operator is a negated one (StringNotEquals, NotIpAddress, ArnNotLike, ...): those
// hold when no policy value matches, and hold when the key is absent.
[[nodiscard]] bool IsNegated(ConditionOperator op);

// Whether the operator compares dates (its policy values must read as dates).
[[nodiscard]] bool IsDateOperator(ConditionOperator op);

// Whether `condition` holds for the request keys `keys`:
// - Null: "true" holds when the key is absent, "false" when it is present.
// - Absent key: true for ...IfExists and ForAllValues, false for ForAnyValue; otherwise true for
//   negated operators and false for the rest.
// - No set operator: a positive operator holds when some request value matches some policy
//   value; a negated one when no request value matches any policy value.
// - ForAnyValue: some request value satisfies the operator; ForAllValues: every one does.
// A request value that does not read as the operator's type matches no policy value.
[[nodiscard]] bool EvaluateCondition(const Condition& condition, const ContextKeys& keys);

}  // namespace fulcrum::policy
