#pragma once

// The '*'/'?' matcher behind Action, Resource, StringLike and ArnLike. A backtracking matcher
// over the pattern text (no regular expressions, no allocation): '*' matches any run of
// characters, '?' exactly one, everything else itself.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// Pure functions; thread-safe.

#include <array>
#include <cstddef>
#include <string_view>

namespace fulcrum::policy {

// How a pattern is written. kEscaped is the form policy-variable expansion produces: a '\'
// makes the next character literal ("\*" matches only '*'), so substituted values never act as
// wildcards.
enum class PatternSyntax { kPlain, kEscaped };

enum class CaseSensitivity { kSensitive, kInsensitive };

// Whether `text` matches all of `pattern`. Worst case O(|pattern| * |text|).
[[nodiscard]] bool MatchWildcard(std::string_view pattern, std::string_view text,
                                 CaseSensitivity case_sensitivity = CaseSensitivity::kSensitive,
                                 PatternSyntax syntax = PatternSyntax::kPlain);

// An ARN (or ARN pattern) cut at its first five ':' into arn, partition, service, region,
// account and resource; `count` is below 6 when the text has fewer colons, the last filled slot
// then holding the rest. Views into the text, which must outlive it.
struct ArnComponents {
  static constexpr std::size_t kCount = 6;
  std::array<std::string_view, kCount> parts;
  std::size_t count = 0;
  std::string_view whole;
};

// `arn` cut into components; in kEscaped syntax an escaped ':' does not cut.
[[nodiscard]] ArnComponents SplitArn(std::string_view arn,
                                     PatternSyntax syntax = PatternSyntax::kPlain);

// Whether the ARN `arn` matches the ARN pattern `pattern`, case-sensitively, component by
// component (arn, partition, service, region, account, resource): a wildcard in one of the
// first five components stays inside it; the resource component (everything after the fifth
// ':') may hold ':' and '/'. The pattern "*" matches anything; a pattern with fewer than six
// components has its missing trailing components read as "*". An `arn` with fewer than six
// components matches only "*" (and patterns that match it as a whole string).
[[nodiscard]] bool MatchArn(std::string_view pattern, std::string_view arn,
                            PatternSyntax syntax = PatternSyntax::kPlain);

// MatchArn for an ARN split once (SplitArn) and matched against many patterns.
[[nodiscard]] bool MatchArn(std::string_view pattern, const ArnComponents& arn,
                            PatternSyntax syntax = PatternSyntax::kPlain);

}  // namespace fulcrum::policy
