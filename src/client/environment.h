#pragma once

// Environment: a snapshot of environment variables, passed explicitly so that resolution of
// profiles, credentials and endpoints is a pure function of its inputs (tests build one from a
// map; the CLI takes ProcessEnvironment() once at start-up). A plain value; thread-safe to read.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fulcrum::client {

using Environment = std::map<std::string, std::string, std::less<>>;

// Every variable of this process (from `environ`). Not thread-safe against a concurrent setenv().
[[nodiscard]] Environment ProcessEnvironment();

// The value of `name`, or nullopt when it is unset or empty (the AWS SDKs treat an empty variable
// as unset).
[[nodiscard]] std::optional<std::string> Lookup(const Environment& environment,
                                                std::string_view name);

}  // namespace fulcrum::client
