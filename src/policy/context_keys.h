#pragma once

// Case-insensitive lookup of a request's condition keys, built once per evaluation (one small
// vector, no copies of names or values) so that each lookup allocates nothing.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// ("Condition key names are not case-sensitive.")
// Not thread-safe to build; const lookups are thread-safe. Holds views into the request, which
// must outlive it.

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fulcrum::policy {

class ContextKeys {
 public:
  using KeyMap = std::unordered_map<std::string, std::vector<std::string>>;

  explicit ContextKeys(const KeyMap& keys);

  // The values of key `name` (any letter case), or nullptr when the key is absent or has no
  // values. When the request names one key twice in different cases, the values of the one that
  // sorts first byte-wise are returned.
  [[nodiscard]] const std::vector<std::string>* Find(std::string_view name) const;

 private:
  std::vector<std::pair<std::string_view, const std::vector<std::string>*>> entries_;
};

// ASCII case-insensitive equality.
[[nodiscard]] bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace fulcrum::policy
