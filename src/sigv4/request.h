#pragma once

// HttpRequest: the request as SigV4 sees it, filled once per request by the HTTP layer (server)
// or built by the CLI before signing. SigV4 is computed over the bytes exactly as sent, so
// nothing here is normalised.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fulcrum::sigv4 {

struct HttpRequest {
  std::string method;
  // The raw request-target as received: origin form "/path?query" or absolute form
  // "http://host:port/path?query", still percent-encoded.
  std::string target;
  // As received: in order, original name case, repeated names kept as separate entries.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// The path and the query of a request target, both still percent-encoded. The query excludes
// the '?'. The absolute form gives only its path ("http://h:1/p?q" -> "/p", "q"); a target with
// no path gives an empty path.
struct TargetParts {
  std::string_view path;
  std::string_view query;
};
[[nodiscard]] TargetParts SplitTarget(std::string_view target);

// True when `a` and `b` are equal ignoring ASCII case (header names).
[[nodiscard]] bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The value of the first header named `name` (ASCII case-insensitive), or nullopt.
// The view points into `request`.
[[nodiscard]] std::optional<std::string_view> FindHeader(const HttpRequest& request,
                                                         std::string_view name);

}  // namespace fulcrum::sigv4
