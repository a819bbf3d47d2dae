#include "policy/context_keys.h"

#include <algorithm>
#include <cstddef>

namespace fulcrum::policy {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive three-way comparison, ties broken byte-wise so the order is total.
int CompareIgnoreCase(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) {
      continue;  // The usual case: keys share "aws:" and are mostly written alike.
    }
    const char x = LowerAscii(a[i]);
    const char y = LowerAscii(b[i]);
    if (x != y) {
      return x < y ? -1 : 1;
    }
  }
  if (a.size() != b.size()) {
    return a.size() < b.size() ? -1 : 1;
  }
  return 0;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CompareIgnoreCase(a, b) == 0;
}

ContextKeys::ContextKeys(const KeyMap& keys) {
  entries_.reserve(keys.size());
  for (const auto& [name, values] : keys) {
    if (!values.empty()) {
      entries_.emplace_back(name, &values);
    }
  }
}

const std::vector<std::string>* ContextKeys::Find(std::string_view name) const {
  // A request holds a dozen keys or so, mostly of different lengths: comparing lengths first
  // makes a linear scan cheaper than sorting them for a binary search.
  const std::pair<std::string_view, const std::vector<std::string>*>* found = nullptr;
  for (const auto& entry : entries_) {
    if (entry.first.size() != name.size() || !EqualsIgnoreCase(entry.first, name)) {
      continue;
    }
    if (found == nullptr || entry.first < found->first) {
      found = &entry;
    }
  }
  return found == nullptr ? nullptr : found->second;
}

}  // namespace fulcrum::policy
