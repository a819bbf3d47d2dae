#pragma once

// Helpers for the neutral documents described in message.h: timestamps as epoch seconds and
// numbers of any JSON kind. Pure functions; thread-safe.

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>

#include "common/clock.h"

namespace fulcrum {

// `time` as epoch seconds: an int64 when it falls on a whole second, else a double with
// millisecond precision (truncated toward the past).
[[nodiscard]] boost::json::value TimestampToDocument(TimePoint time);

// The time held by a document timestamp (an epoch-seconds number), or nullopt when `value` is
// not a number or lies outside what TimePoint holds (about the years 1678 to 2262).
[[nodiscard]] std::optional<TimePoint> TimestampFromDocument(const boost::json::value& value);

// The value of a JSON number of any kind, or nullopt when `value` is not a number.
[[nodiscard]] std::optional<double> NumberOf(const boost::json::value& value);

// The value of an integral JSON number (int64, uint64 up to INT64_MAX, or a double without a
// fraction inside the int64 range), or nullopt.
[[nodiscard]] std::optional<std::int64_t> IntegerOf(const boost::json::value& value);

}  // namespace fulcrum
