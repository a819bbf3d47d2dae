#pragma once

// The condition keys a statement reads: the keys of its Condition block, then the keys named by
// policy variables in its condition values ("${aws:username}", "${aws:PrincipalTag/team, 'x'}").
// The simulator reports them (GetContextKeysFor*, MissingContextValues); the authorizer uses them
// to skip work a request does not need. Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "policy/document.h"

namespace fulcrum::policy {

// Appends to `names` each key `statement` reads that `names` does not hold yet (ignoring case), in
// the order described above.
void AddReferencedKeys(const Statement& statement, std::vector<std::string>& names);

// Appends `name` to `names` unless `names` holds it already (ignoring case).
void AddKeyOnce(std::string_view name, std::vector<std::string>& names);

// Appends the keys named by policy variables in `text`; the special variables ${*}, ${?} and ${$}
// name none.
void AddVariableKeys(std::string_view text, std::vector<std::string>& names);

}  // namespace fulcrum::policy
