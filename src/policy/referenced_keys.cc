#include "policy/referenced_keys.h"

#include "policy/context_keys.h"

namespace fulcrum::policy {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

void AddKeyOnce(std::string_view name, std::vector<std::string>& names) {
  for (const std::string& existing : names) {
    if (EqualsIgnoreCase(existing, name)) return;
  }
  names.emplace_back(name);
}

void AddVariableKeys(std::string_view text, std::vector<std::string>& names) {
  for (std::size_t open = text.find("${"); open != std::string_view::npos;
       open = text.find("${", open + 2)) {
    const std::size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) return;
    std::string_view name = text.substr(open + 2, close - open - 2);
    name = Trim(name.substr(0, name.find(',')));
    if (name == "*" || name == "?" || name == "$" || name.empty()) continue;
    AddKeyOnce(name, names);
  }
}

void AddReferencedKeys(const Statement& statement, std::vector<std::string>& names) {
  for (const Condition& condition : statement.conditions) {
    AddKeyOnce(condition.key, names);
  }
  for (const Condition& condition : statement.conditions) {
    for (const ConditionValue& value : condition.values) {
      if (value.text.has_variables) AddVariableKeys(value.text.text, names);
    }
  }
}

}  // namespace fulcrum::policy
