#pragma once

// Timestamps in the text forms AWS uses. All functions are pure and thread-safe (no gmtime, no
// locale). Times are UTC; formatting truncates toward the past (never rounds up).

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace fulcrum {

// ISO 8601 in whole seconds: "2024-05-01T12:00:00Z" (the query protocol's timestamps).
[[nodiscard]] std::string FormatIso8601(TimePoint time);
// ISO 8601 with milliseconds: "2024-05-01T12:00:00.123Z".
[[nodiscard]] std::string FormatIso8601Millis(TimePoint time);
// Parses "YYYY-MM-DDTHH:MM:SS", optionally with a fraction of a second (any number of digits,
// kept to the clock's precision), then "Z" or an offset "+HH:MM" / "-HH:MM" / "+HHMM".
// Returns nullopt for anything else, including impossible dates such as February 30.
[[nodiscard]] std::optional<TimePoint> ParseIso8601(std::string_view text);

// SigV4's X-Amz-Date form: "20240501T120000Z".
[[nodiscard]] std::string FormatAmzDate(TimePoint time);
// Parses exactly "YYYYMMDDTHHMMSSZ"; nullopt for anything else.
[[nodiscard]] std::optional<TimePoint> ParseAmzDate(std::string_view text);

// RFC 7231 IMF-fixdate, for the Date header: "Wed, 01 May 2024 12:00:00 GMT".
[[nodiscard]] std::string FormatHttpDate(TimePoint time);

// Seconds since the Unix epoch, with the fraction (the JSON protocols' timestamps).
[[nodiscard]] double EpochSeconds(TimePoint time);

}  // namespace fulcrum
