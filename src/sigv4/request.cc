#include "sigv4/request.h"

namespace fulcrum::sigv4 {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

TargetParts SplitTarget(std::string_view target) {
  // Absolute form: skip "scheme://authority".
  if (const std::size_t scheme_end = target.find("://");
      scheme_end != std::string_view::npos && target.find_first_of("/?") > scheme_end) {
    const std::size_t authority_end = target.find_first_of("/?", scheme_end + 3);
    target =
        authority_end == std::string_view::npos ? std::string_view() : target.substr(authority_end);
  }
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) {
    return TargetParts{target, {}};
  }
  return TargetParts{target.substr(0, question), target.substr(question + 1)};
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) {
      return false;
    }
  }
  return true;
}

std::optional<std::string_view> FindHeader(const HttpRequest& request, std::string_view name) {
  for (const auto& [header_name, value] : request.headers) {
    if (EqualsIgnoreCase(header_name, name)) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

}  // namespace fulcrum::sigv4
