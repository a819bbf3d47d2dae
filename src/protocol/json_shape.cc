#include "protocol/json_shape.h"

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "common/document.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "protocol/wire_text.h"

namespace fulcrum::protocol {
namespace {

namespace json = boost::json;

tl::unexpected<Error> Serialization(std::string message) {
  return Fail("SerializationException", std::move(message));
}

// The token name Coral uses in its conversion messages.
std::string_view TokenName(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      return "STRING_VALUE";
    case json::kind::bool_:
      return "BOOLEAN_VALUE";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "NUMBER_VALUE";
    default:
      return "VALUE";
  }
}

tl::unexpected<Error> Mismatch(const json::value& value, std::string_view target) {
  if (value.is_object())
    return Serialization("Start of structure or map found where not expected.");
  if (value.is_array()) return Serialization("Start of list found where not expected");
  std::string message(TokenName(value));
  message += " can not be converted to ";
  message.append(target);
  return Serialization(std::move(message));
}

Result<json::value> ReadValue(const Shape& shape, const json::value& value);

Result<json::object> ReadStructure(const Shape& shape, const json::object& object) {
  json::object out;
  for (const Member& member : shape.members) {
    const json::value* field = object.if_contains(member.WireName());
    if (field == nullptr || field->is_null()) continue;
    auto converted = ReadValue(*member.shape, *field);
    if (!converted) return tl::unexpected(converted.error());
    out.emplace(member.name, std::move(*converted));
  }
  return out;
}

Result<json::value> ReadValue(const Shape& shape, const json::value& value) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      const json::object* object = value.if_object();
      if (object == nullptr) return Serialization("Unexpected field type");
      auto out = ReadStructure(shape, *object);
      if (!out) return tl::unexpected(out.error());
      return json::value(std::move(*out));
    }
    case ShapeType::kList: {
      const json::array* items = value.if_array();
      if (items == nullptr) return Serialization("Unexpected field type");
      json::array out;
      out.reserve(items->size());
      for (const json::value& item : *items) {
        if (item.is_null()) continue;
        auto converted = ReadValue(*shape.member.shape, item);
        if (!converted) return tl::unexpected(converted.error());
        out.push_back(std::move(*converted));
      }
      return out;
    }
    case ShapeType::kMap: {
      const json::object* entries = value.if_object();
      if (entries == nullptr) return Serialization("Unexpected field type");
      json::object out;
      for (const auto& [key, item] : *entries) {
        if (item.is_null()) continue;
        auto converted = ReadValue(*shape.value.shape, item);
        if (!converted) return tl::unexpected(converted.error());
        out.emplace(key, std::move(*converted));
      }
      return out;
    }
    case ShapeType::kString:
      if (!value.is_string()) return Mismatch(value, "a String");
      return value;
    case ShapeType::kBoolean:
      if (!value.is_bool()) return Mismatch(value, "a Boolean");
      return value;
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      const auto integer = IntegerOf(value);
      const bool in_range = integer && (shape.type == ShapeType::kLong ||
                                        (*integer >= std::numeric_limits<std::int32_t>::min() &&
                                         *integer <= std::numeric_limits<std::int32_t>::max()));
      if (!in_range) {
        return Mismatch(value, shape.type == ShapeType::kLong ? "a Long" : "an Integer");
      }
      return *integer;
    }
    case ShapeType::kDouble:
    case ShapeType::kFloat: {
      const auto number = NumberOf(value);
      if (!number) return Mismatch(value, "a Double");
      return *number;
    }
    case ShapeType::kTimestamp: {
      if (const auto integer = IntegerOf(value)) return *integer;
      if (const auto number = NumberOf(value); number && std::isfinite(*number)) return *number;
      if (const json::string* text = value.if_string()) {
        if (const auto time = ParseIso8601(std::string_view(text->data(), text->size()))) {
          return TimestampToDocument(*time);
        }
      }
      return Mismatch(value, "a Timestamp");
    }
    case ShapeType::kBlob: {
      const json::string* text = value.if_string();
      if (text == nullptr) return Mismatch(value, "a Blob");
      auto bytes = Base64Decode(std::string_view(text->data(), text->size()));
      if (!bytes) return Serialization("Base64 encoded value is invalid");
      return json::string(*bytes);
    }
  }
  return Serialization("Unexpected field type");
}

bool WriteValue(std::string& out, const Shape& shape, const json::value& value) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      const json::object* object = value.if_object();
      if (object == nullptr) return false;
      WriteJsonStructure(out, shape, *object);
      return true;
    }
    case ShapeType::kList: {
      const json::array* items = value.if_array();
      if (items == nullptr) return false;
      out += '[';
      bool first = true;
      for (const json::value& item : *items) {
        if (item.is_null()) continue;
        const std::size_t mark = out.size();
        if (!first) out += ',';
        if (WriteValue(out, *shape.member.shape, item)) {
          first = false;
        } else {
          out.resize(mark);
        }
      }
      out += ']';
      return true;
    }
    case ShapeType::kMap: {
      const json::object* entries = value.if_object();
      if (entries == nullptr) return false;
      out += '{';
      bool first = true;
      for (const auto& [key, item] : *entries) {
        if (item.is_null()) continue;
        const std::size_t mark = out.size();
        if (!first) out += ',';
        AppendJsonString(out, std::string_view(key));
        out += ':';
        if (WriteValue(out, *shape.value.shape, item)) {
          first = false;
        } else {
          out.resize(mark);
        }
      }
      out += '}';
      return true;
    }
    case ShapeType::kString:
      if (!value.is_string()) return false;
      AppendJsonString(out, std::string_view(value.get_string()));
      return true;
    case ShapeType::kBoolean:
      if (!value.is_bool()) return false;
      out += value.get_bool() ? "true" : "false";
      return true;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      return AppendIntegerValue(out, value);
    case ShapeType::kDouble:
    case ShapeType::kFloat:
      return AppendNumber(out, value);
    case ShapeType::kTimestamp:
      if (!TimestampFromDocument(value)) return false;
      if (shape.timestamp_format == "iso8601") {
        out += '"';
        if (!AppendIso8601(out, value)) return false;
        out += '"';
        return true;
      }
      return AppendNumber(out, value);
    case ShapeType::kBlob:
      if (!value.is_string()) return false;
      out += '"';
      out += Base64Encode(std::string_view(value.get_string()));
      out += '"';
      return true;
  }
  return false;
}

bool IsBlank(std::string_view body) {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Result<json::object> ReadJsonInput(const Shape& shape, std::string_view body) {
  if (IsBlank(body)) return json::object();
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) return Serialization("The request body is not valid JSON");
  const json::object* object = parsed.if_object();
  if (object == nullptr) return Serialization("Unexpected field type");
  return ReadStructure(shape, *object);
}

void WriteJsonStructure(std::string& out, const Shape& shape, const json::object& object) {
  out += '{';
  bool first = true;
  for (const Member& member : shape.members) {
    const json::value* value = object.if_contains(member.name);
    if (value == nullptr || value->is_null()) continue;
    const std::size_t mark = out.size();
    if (!first) out += ',';
    AppendJsonString(out, member.WireName());
    out += ':';
    if (WriteValue(out, *member.shape, *value)) {
      first = false;
    } else {
      out.resize(mark);
    }
  }
  out += '}';
}

void WriteJsonError(std::string& out, std::string_view type, const Shape* shape,
                    const Error& error) {
  const bool capitalized = shape != nullptr && shape->FindMember("Message") != nullptr;
  const std::string_view message_key = capitalized ? "Message" : "message";
  out += '{';
  if (!type.empty()) {
    out += "\"__type\":";
    AppendJsonString(out, type);
    out += ',';
  }
  AppendJsonString(out, message_key);
  out += ':';
  AppendJsonString(out, error.message);
  for (const auto& [name, value] : error.fields) {
    if (name == "__type" || name == "message" || name == "Message") continue;
    out += ',';
    AppendJsonString(out, name);
    out += ':';
    AppendJsonString(out, value);
  }
  out += '}';
}

}  // namespace fulcrum::protocol
