#pragma once

// Typed readings of condition values and request values: numbers, dates, IP networks.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

#include "policy/document.h"

namespace fulcrum::policy {

// A decimal number ("10", "-2.5", "1e3"), or nullopt when `text` is not one in full.
[[nodiscard]] std::optional<double> ParseNumber(std::string_view text);

// Milliseconds since the Unix epoch for a date as IAM reads it: epoch seconds when `text` is all
// digits ("1700000000"), else ISO 8601 "YYYY[-M[M][-D[D]]][Th[h][:m[m][:s[s][.fraction]]]]"
// followed by "Z", "+hh[[:]mm]", "-hh[[:]mm]" or nothing (UTC). nullopt when `text` is neither.
[[nodiscard]] std::optional<std::int64_t> ParseDate(std::string_view text);

// An IPv4 or IPv6 address with an optional "/prefix" ("203.0.113.0/24", "2001:db8::/32",
// "192.0.2.7" = "/32"), or nullopt.
[[nodiscard]] std::optional<IpNetwork> ParseIpNetwork(std::string_view text);

// Whether `address` (a network read from a request value; its prefix is ignored) lies in
// `network`. Addresses of different families never match.
[[nodiscard]] bool NetworkContains(const IpNetwork& network, const IpNetwork& address);

}  // namespace fulcrum::policy
