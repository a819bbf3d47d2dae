#include "policy/variables.h"

#include <cstddef>
#include <vector>

namespace fulcrum::policy {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

void AppendLiteral(std::string_view text, PatternSyntax output, std::string& out) {
  for (const char c : text) {
    if (output == PatternSyntax::kEscaped && (c == '\\' || c == '*' || c == '?')) {
      out.push_back('\\');
    }
    out.push_back(c);
  }
}

// One "${...}" found at the start of a string.
struct Variable {
  std::size_t length = 0;  // Of the whole "${...}".
  std::string_view name;   // Trimmed.
  bool has_default = false;
  std::string fallback;  // The default, with '' read as '.
};

// The variable at the start of `text` (which begins with "${"), or nullopt when malformed.
std::optional<Variable> ReadVariable(std::string_view text) {
  std::size_t i = 2;
  while (i < text.size() && text[i] != '}' && text[i] != ',') {
    ++i;
  }
  if (i == text.size()) {
    return std::nullopt;
  }
  Variable variable;
  variable.name = Trim(text.substr(2, i - 2));
  if (variable.name.empty()) {
    return std::nullopt;
  }
  if (text[i] == ',') {
    ++i;
    while (i < text.size() && IsSpace(text[i])) {
      ++i;
    }
    if (i == text.size() || text[i] != '\'') {
      return std::nullopt;
    }
    ++i;
    bool closed = false;
    while (i < text.size()) {
      if (text[i] == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          variable.fallback.push_back('\'');
          i += 2;
          continue;
        }
        closed = true;
        ++i;
        break;
      }
      variable.fallback.push_back(text[i++]);
    }
    if (!closed) {
      return std::nullopt;
    }
    while (i < text.size() && IsSpace(text[i])) {
      ++i;
    }
    if (i == text.size() || text[i] != '}') {
      return std::nullopt;
    }
    variable.has_default = true;
  }
  variable.length = i + 1;
  return variable;
}

}  // namespace

bool MayHoldVariables(std::string_view text) { return text.find("${") != std::string_view::npos; }

std::optional<std::string> ExpandVariables(std::string_view text, const ContextKeys& keys,
                                           PatternSyntax output) {
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = text.find("${", i);
    const std::string_view plain =
        text.substr(i, start == std::string_view::npos ? std::string_view::npos : start - i);
    // Text written in the policy keeps its wildcards; only '\' needs escaping in a pattern.
    for (const char c : plain) {
      if (output == PatternSyntax::kEscaped && c == '\\') {
        out.push_back('\\');
      }
      out.push_back(c);
    }
    if (start == std::string_view::npos) {
      break;
    }
    const std::optional<Variable> variable = ReadVariable(text.substr(start));
    if (!variable) {
      out.append("${");
      i = start + 2;
      continue;
    }
    i = start + variable->length;
    if (variable->name == "*" || variable->name == "?" || variable->name == "$") {
      AppendLiteral(variable->name, output, out);
      continue;
    }
    const std::vector<std::string>* values = keys.Find(variable->name);
    if (values != nullptr && values->size() == 1) {
      AppendLiteral(values->front(), output, out);
    } else if (variable->has_default) {
      AppendLiteral(variable->fallback, output, out);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace fulcrum::policy
