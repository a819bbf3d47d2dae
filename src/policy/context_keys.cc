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
  sorted_.reserve(keys.size());
  for (const auto& [name, values] : keys) {
    if (!values.empty()) {
      sorted_.emplace_back(name, &values);
    }
  }
  std::sort(sorted_.begin(), sorted_.end(), [](const auto& a, const auto& b) {
    const int c = CompareIgnoreCase(a.first, b.first);
    return c != 0 ? c < 0 : a.first < b.first;
  });
}

const std::vector<std::string>* ContextKeys::Find(std::string_view name) const {
  const auto it = std::lower_bound(sorted_.begin(), sorted_.end(), name,
                                   [](const auto& entry, std::string_view key) {
                                     return CompareIgnoreCase(entry.first, key) < 0;
                                   });
  if (it == sorted_.end() || CompareIgnoreCase(it->first, name) != 0) {
    return nullptr;
  }
  return it->second;
}

}  // namespace fulcrum::policy
