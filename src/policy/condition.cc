#include "policy/condition.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "policy/values.h"
#include "policy/variables.h"
#include "policy/wildcard.h"

namespace fulcrum::policy {
namespace {

using Op = ConditionOperator;

constexpr std::array<std::pair<std::string_view, Op>, 27> kOperators = {{
    {"StringEquals", Op::kStringEquals},
    {"StringNotEquals", Op::kStringNotEquals},
    {"StringEqualsIgnoreCase", Op::kStringEqualsIgnoreCase},
    {"StringNotEqualsIgnoreCase", Op::kStringNotEqualsIgnoreCase},
    {"StringLike", Op::kStringLike},
    {"StringNotLike", Op::kStringNotLike},
    {"NumericEquals", Op::kNumericEquals},
    {"NumericNotEquals", Op::kNumericNotEquals},
    {"NumericLessThan", Op::kNumericLessThan},
    {"NumericLessThanEquals", Op::kNumericLessThanEquals},
    {"NumericGreaterThan", Op::kNumericGreaterThan},
    {"NumericGreaterThanEquals", Op::kNumericGreaterThanEquals},
    {"DateEquals", Op::kDateEquals},
    {"DateNotEquals", Op::kDateNotEquals},
    {"DateLessThan", Op::kDateLessThan},
    {"DateLessThanEquals", Op::kDateLessThanEquals},
    {"DateGreaterThan", Op::kDateGreaterThan},
    {"DateGreaterThanEquals", Op::kDateGreaterThanEquals},
    {"Bool", Op::kBool},
    {"BinaryEquals", Op::kBinaryEquals},
    {"IpAddress", Op::kIpAddress},
    {"NotIpAddress", Op::kNotIpAddress},
    {"ArnEquals", Op::kArnEquals},
    {"ArnLike", Op::kArnLike},
    {"ArnNotEquals", Op::kArnNotEquals},
    {"ArnNotLike", Op::kArnNotLike},
    {"Null", Op::kNull},
}};

constexpr std::string_view kForAllValues = "ForAllValues:";
constexpr std::string_view kForAnyValue = "ForAnyValue:";
constexpr std::string_view kIfExists = "IfExists";

// The operator a negated one negates; positive operators map to themselves.
Op Positive(Op op) {
  switch (op) {
    case Op::kStringNotEquals:
      return Op::kStringEquals;
    case Op::kStringNotEqualsIgnoreCase:
      return Op::kStringEqualsIgnoreCase;
    case Op::kStringNotLike:
      return Op::kStringLike;
    case Op::kNumericNotEquals:
      return Op::kNumericEquals;
    case Op::kDateNotEquals:
      return Op::kDateEquals;
    case Op::kNotIpAddress:
      return Op::kIpAddress;
    case Op::kArnNotEquals:
      return Op::kArnEquals;
    case Op::kArnNotLike:
      return Op::kArnLike;
    default:
      return op;
  }
}

bool UsesWildcards(Op op) {
  return op == Op::kStringLike || op == Op::kArnEquals || op == Op::kArnLike;
}

bool CompareNumbers(Op op, double request, double policy) {
  switch (op) {
    case Op::kNumericEquals:
      return request == policy;
    case Op::kNumericLessThan:
      return request < policy;
    case Op::kNumericLessThanEquals:
      return request <= policy;
    case Op::kNumericGreaterThan:
      return request > policy;
    case Op::kNumericGreaterThanEquals:
      return request >= policy;
    default:
      return false;
  }
}

bool CompareDates(Op op, std::int64_t request, std::int64_t policy) {
  switch (op) {
    case Op::kDateEquals:
      return request == policy;
    case Op::kDateLessThan:
      return request < policy;
    case Op::kDateLessThanEquals:
      return request <= policy;
    case Op::kDateGreaterThan:
      return request > policy;
    case Op::kDateGreaterThanEquals:
      return request >= policy;
    default:
      return false;
  }
}

// ParseIpNetwork of a request value, remembering the last one per thread: one request's
// aws:SourceIp is compared with every IpAddress condition of the caller's policies.
std::optional<IpNetwork> ParseRequestAddress(std::string_view actual) {
  thread_local std::string last_text;
  thread_local std::optional<IpNetwork> last_network;
  if (actual != last_text || last_text.empty()) {
    last_text.assign(actual);
    last_network = ParseIpNetwork(actual);
  }
  return last_network;
}

// Whether request value `actual` matches policy value `value` under positive operator `op`.
bool ValueMatches(Op op, const ConditionValue& value, std::string_view actual,
                  const ContextKeys& keys) {
  std::string_view text = value.text.text;
  PatternSyntax syntax = PatternSyntax::kPlain;
  std::optional<std::string> expanded;
  if (value.text.has_variables) {
    if (UsesWildcards(op)) {
      syntax = PatternSyntax::kEscaped;
    }
    expanded = ExpandVariables(text, keys, syntax);
    if (!expanded) {
      return false;
    }
    text = *expanded;
  }
  switch (op) {
    case Op::kStringEquals:
    case Op::kBinaryEquals:
      return actual == text;
    case Op::kStringEqualsIgnoreCase:
    case Op::kBool:
      return EqualsIgnoreCase(actual, text);
    case Op::kStringLike:
      return MatchWildcard(text, actual, CaseSensitivity::kSensitive, syntax);
    case Op::kArnEquals:
    case Op::kArnLike:
      return MatchArn(text, actual, syntax);
    case Op::kNumericEquals:
    case Op::kNumericLessThan:
    case Op::kNumericLessThanEquals:
    case Op::kNumericGreaterThan:
    case Op::kNumericGreaterThanEquals: {
      const std::optional<double> policy = expanded ? ParseNumber(text) : value.number;
      const std::optional<double> request = ParseNumber(actual);
      return policy && request && CompareNumbers(op, *request, *policy);
    }
    case Op::kDateEquals:
    case Op::kDateLessThan:
    case Op::kDateLessThanEquals:
    case Op::kDateGreaterThan:
    case Op::kDateGreaterThanEquals: {
      const std::optional<std::int64_t> policy = expanded ? ParseDate(text) : value.epoch_ms;
      const std::optional<std::int64_t> request = ParseDate(actual);
      return policy && request && CompareDates(op, *request, *policy);
    }
    case Op::kIpAddress: {
      const std::optional<IpNetwork> policy = expanded ? ParseIpNetwork(text) : value.network;
      const std::optional<IpNetwork> request = ParseRequestAddress(actual);
      return policy && request && NetworkContains(*policy, *request);
    }
    default:
      return false;
  }
}

bool AnyValueMatches(Op op, const Condition& condition, std::string_view actual,
                     const ContextKeys& keys) {
  for (const ConditionValue& value : condition.values) {
    if (ValueMatches(op, value, actual, keys)) {
      return true;
    }
  }
  return false;
}

bool EvaluateNull(const Condition& condition, const ContextKeys& keys) {
  const bool absent = keys.Find(condition.key) == nullptr;
  for (const ConditionValue& value : condition.values) {
    if (EqualsIgnoreCase(value.text.text, "true") && absent) {
      return true;
    }
    if (EqualsIgnoreCase(value.text.text, "false") && !absent) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<OperatorName> ParseOperatorName(std::string_view name) {
  OperatorName result;
  if (name.starts_with(kForAllValues)) {
    result.set_operator = SetOperator::kForAllValues;
    name.remove_prefix(kForAllValues.size());
  } else if (name.starts_with(kForAnyValue)) {
    result.set_operator = SetOperator::kForAnyValue;
    name.remove_prefix(kForAnyValue.size());
  }
  if (name.ends_with(kIfExists)) {
    result.if_exists = true;
    name.remove_suffix(kIfExists.size());
  }
  for (const auto& [text, op] : kOperators) {
    if (text == name) {
      result.op = op;
      return result;
    }
  }
  return std::nullopt;
}

bool IsNegated(ConditionOperator op) { return Positive(op) != op; }

bool IsDateOperator(ConditionOperator op) {
  switch (op) {
    case Op::kDateEquals:
    case Op::kDateNotEquals:
    case Op::kDateLessThan:
    case Op::kDateLessThanEquals:
    case Op::kDateGreaterThan:
    case Op::kDateGreaterThanEquals:
      return true;
    default:
      return false;
  }
}

bool EvaluateCondition(const Condition& condition, const ContextKeys& keys) {
  if (condition.op == Op::kNull) {
    return EvaluateNull(condition, keys);
  }
  const bool negated = IsNegated(condition.op);
  const std::vector<std::string>* actual = keys.Find(condition.key);
  if (actual == nullptr) {
    if (condition.if_exists) {
      return true;
    }
    switch (condition.set_operator) {
      case SetOperator::kForAllValues:
        return true;
      case SetOperator::kForAnyValue:
        return false;
      case SetOperator::kNone:
        return negated;
    }
  }
  const Op op = Positive(condition.op);
  // Whether one request value satisfies the operator (for a negated one: matches no value).
  const auto satisfies = [&](const std::string& value) {
    return AnyValueMatches(op, condition, value, keys) != negated;
  };
  switch (condition.set_operator) {
    case SetOperator::kForAllValues:
      for (const std::string& value : *actual) {
        if (!satisfies(value)) {
          return false;
        }
      }
      return true;
    case SetOperator::kForAnyValue:
      for (const std::string& value : *actual) {
        if (satisfies(value)) {
          return true;
        }
      }
      return false;
    case SetOperator::kNone:
      break;
  }
  if (negated) {
    for (const std::string& value : *actual) {
      if (!satisfies(value)) {
        return false;
      }
    }
    return true;
  }
  for (const std::string& value : *actual) {
    if (satisfies(value)) {
      return true;
    }
  }
  return false;
}

}  // namespace fulcrum::policy
