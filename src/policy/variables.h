#pragma once

// Policy variables: "${aws:username}", "${aws:PrincipalTag/team, 'none'}", and the literals
// "${*}", "${?}", "${$}". Only Version 2012-10-17 policies have them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "policy/context_keys.h"
#include "policy/wildcard.h"

namespace fulcrum::policy {

// Whether `text` holds "${", i.e. may hold a variable (checked once on parse).
[[nodiscard]] bool MayHoldVariables(std::string_view text);

// `text` with each variable replaced by the single value of its key in `keys` (key names are
// case-insensitive), or by its default when the key is absent, empty or multi-valued.
// With PatternSyntax::kPlain the result is literal text (for exact comparisons): "${*}" becomes
// '*'. With PatternSyntax::kEscaped the result is a pattern in which the text written in the
// policy keeps its wildcards while substituted values and "${*}", "${?}", "${$}" are escaped
// (literal). A "${" with no well-formed variable after it stays as written.
// nullopt when a variable has neither a value nor a default: nothing then matches the text.
[[nodiscard]] std::optional<std::string> ExpandVariables(std::string_view text,
                                                         const ContextKeys& keys,
                                                         PatternSyntax output);

}  // namespace fulcrum::policy
