#include "protocol/wire_text.h"

#include <charconv>
#include <chrono>
#include <cmath>

#include "common/document.h"
#include "common/time_format.h"

namespace fulcrum::protocol {

void AppendXmlEscaped(std::string& out, std::string_view text) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view replacement;
    switch (text[i]) {
      case '&':
        replacement = "&amp;";
        break;
      case '<':
        replacement = "&lt;";
        break;
      case '>':
        replacement = "&gt;";
        break;
      case '"':
        replacement = "&quot;";
        break;
      case '\r':
        replacement = "&#xD;";
        break;
      default:
        continue;
    }
    out.append(text.substr(start, i - start));
    out.append(replacement);
    start = i + 1;
  }
  out.append(text.substr(start));
}

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(start, i - start));
    start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
        break;
    }
  }
  out.append(text.substr(start));
  out += '"';
}

void AppendInteger(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

void AppendDouble(std::string& out, double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

bool AppendNumber(std::string& out, const boost::json::value& value) {
  if (const auto integer = IntegerOf(value)) {
    AppendInteger(out, *integer);
    return true;
  }
  if (value.is_uint64()) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value.get_uint64());
    out.append(buffer, result.ptr);
    return true;
  }
  if (value.is_double() && std::isfinite(value.get_double())) {
    AppendDouble(out, value.get_double());
    return true;
  }
  return false;
}

bool AppendIntegerValue(std::string& out, const boost::json::value& value) {
  if (const auto integer = IntegerOf(value)) {
    AppendInteger(out, *integer);
    return true;
  }
  return false;
}

bool AppendIso8601(std::string& out, const boost::json::value& value) {
  const auto time = TimestampFromDocument(value);
  if (!time) return false;
  const bool whole = std::chrono::floor<std::chrono::seconds>(*time) == *time;
  out += whole ? FormatIso8601(*time) : FormatIso8601Millis(*time);
  return true;
}

}  // namespace fulcrum::protocol
