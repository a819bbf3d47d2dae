#pragma once

// Text primitives shared by the codecs: escaping and number formatting that append to one
// output string. Pure functions; thread-safe.

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace fulcrum::protocol {

// Appends `text` with &, <, > and " escaped, and CR as a character reference (XML 1.0 text
// and attribute values).
void AppendXmlEscaped(std::string& out, std::string_view text);

// Appends `text` as a JSON string literal, quotes included (RFC 8259 escaping).
void AppendJsonString(std::string& out, std::string_view text);

void AppendInteger(std::string& out, std::int64_t value);
// The shortest text that reads back as `value` ("1714564000.5", "3").
// REQUIRES: value is finite.
void AppendDouble(std::string& out, double value);

// Appends a JSON number (any kind) as text; integral doubles print without a fraction.
// Returns false, appending nothing, when `value` is not a finite number.
[[nodiscard]] bool AppendNumber(std::string& out, const boost::json::value& value);
// Appends an integral JSON number; returns false, appending nothing, when it is not one.
[[nodiscard]] bool AppendIntegerValue(std::string& out, const boost::json::value& value);

// Appends a document timestamp (epoch seconds) as ISO 8601 in UTC: whole seconds as
// "2024-05-01T12:00:00Z", fractions as "2024-05-01T12:00:00.123Z". Returns false, appending
// nothing, when `value` is not a timestamp number (TimestampFromDocument).
[[nodiscard]] bool AppendIso8601(std::string& out, const boost::json::value& value);

}  // namespace fulcrum::protocol
