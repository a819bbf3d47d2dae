#include "protocol/query.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <span>

#include "common/document.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "protocol/errors.h"
#include "protocol/validation.h"
#include "protocol/wire_text.h"

namespace fulcrum::protocol {
namespace {

namespace json = boost::json;

// One parameter on its way down the shape tree: `rest` is what is left of its name below the
// current shape, `key` the position it is grouped by at the current level.
struct Entry {
  std::size_t key = 0;
  std::string_view rest;
  std::string_view value;
};

std::pair<std::string_view, std::string_view> SplitFirst(std::string_view path) {
  const std::size_t dot = path.find('.');
  if (dot == std::string_view::npos) return {path, {}};
  return {path.substr(0, dot), path.substr(dot + 1)};
}

// A 1-based list or map position.
std::optional<std::size_t> ParseIndex(std::string_view text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

void SortByKey(std::vector<Entry>& entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.key < b.key; });
}

// Calls `visit(key, run)` for each run of entries sharing a key. REQUIRES: sorted by key.
template <class Visit>
Result<void> ForEachRun(std::span<const Entry> entries, Visit&& visit) {
  std::size_t begin = 0;
  while (begin < entries.size()) {
    std::size_t end = begin + 1;
    while (end < entries.size() && entries[end].key == entries[begin].key) ++end;
    if (auto ok = visit(entries[begin].key, entries.subspan(begin, end - begin)); !ok) return ok;
    begin = end;
  }
  return {};
}

// Turns the flat parameter list into a document following the shapes.
class QueryReader {
 public:
  explicit QueryReader(const ServiceModel& model) : model_(model) {}

  // The document for `shape` from `entries`, or null when they hold nothing for it.
  Result<json::value> Read(const Shape& shape, bool flattened, std::span<const Entry> entries) {
    switch (shape.type) {
      case ShapeType::kStructure:
        return ReadStructure(shape, entries);
      case ShapeType::kList:
        return ReadList(shape, flattened || shape.flattened, entries);
      case ShapeType::kMap:
        return ReadMap(shape, flattened || shape.flattened, entries);
      default:
        break;
    }
    for (const Entry& entry : entries) {
      if (entry.rest.empty()) return ReadScalar(shape, entry.value);
    }
    return nullptr;
  }

 private:
  Result<json::value> ReadStructure(const Shape& shape, std::span<const Entry> entries) {
    std::vector<Entry> routed;
    routed.reserve(entries.size());
    for (const Entry& entry : entries) {
      const auto [head, tail] = SplitFirst(entry.rest);
      for (std::size_t i = 0; i < shape.members.size(); ++i) {
        if (shape.members[i].WireName() == head) {
          routed.push_back(Entry{i, tail, entry.value});
          break;
        }
      }
    }
    SortByKey(routed);
    json::object object;
    auto ok =
        ForEachRun(routed, [&](std::size_t index, std::span<const Entry> run) -> Result<void> {
          const Member& member = shape.members[index];
          const std::size_t mark = Push(member.path_name);
          auto value = Read(*member.shape, member.flattened, run);
          Pop(mark);
          if (!value) return tl::unexpected(value.error());
          if (!value->is_null()) object.emplace(member.name, std::move(*value));
          return {};
        });
    if (!ok) return tl::unexpected(ok.error());
    return object;
  }

  Result<json::value> ReadList(const Shape& shape, bool flattened, std::span<const Entry> entries) {
    const std::string_view element = shape.member.location_name.empty()
                                         ? std::string_view("member")
                                         : shape.member.location_name;
    bool empty_list = false;
    std::vector<Entry> routed;
    routed.reserve(entries.size());
    for (const Entry& entry : entries) {
      if (entry.rest.empty()) {
        empty_list = empty_list || entry.value.empty();  // "Tags=" sends an empty list
        continue;
      }
      std::string_view rest = entry.rest;
      if (!flattened) {
        const auto [head, tail] = SplitFirst(rest);
        if (head != element) continue;
        rest = tail;
      }
      const auto [position, tail] = SplitFirst(rest);
      const auto index = ParseIndex(position);
      if (!index) continue;
      routed.push_back(Entry{*index, tail, entry.value});
    }
    if (routed.empty()) return empty_list ? json::value(json::array()) : json::value(nullptr);
    SortByKey(routed);
    json::array array;
    auto ok =
        ForEachRun(routed, [&](std::size_t index, std::span<const Entry> run) -> Result<void> {
          const std::size_t mark = Push(std::to_string(index));
          path_ += ".member";
          auto value = Read(*shape.member.shape, shape.member.flattened, run);
          Pop(mark);
          if (!value) return tl::unexpected(value.error());
          if (!value->is_null()) array.push_back(std::move(*value));
          return {};
        });
    if (!ok) return tl::unexpected(ok.error());
    return array;
  }

  Result<json::value> ReadMap(const Shape& shape, bool flattened, std::span<const Entry> entries) {
    const std::string& key_name = shape.key.WireName();
    const std::string& value_name = shape.value.WireName();
    bool empty_map = false;
    std::vector<Entry> routed;
    routed.reserve(entries.size());
    for (const Entry& entry : entries) {
      if (entry.rest.empty()) {
        empty_map = empty_map || entry.value.empty();
        continue;
      }
      std::string_view rest = entry.rest;
      if (!flattened) {
        const auto [head, tail] = SplitFirst(rest);
        if (head != "entry") continue;
        rest = tail;
      }
      const auto [position, tail] = SplitFirst(rest);
      const auto index = ParseIndex(position);
      if (!index) continue;
      routed.push_back(Entry{*index, tail, entry.value});
    }
    if (routed.empty()) return empty_map ? json::value(json::object()) : json::value(nullptr);
    SortByKey(routed);
    json::object object;
    auto ok =
        ForEachRun(routed, [&](std::size_t index, std::span<const Entry> run) -> Result<void> {
          std::optional<std::string_view> key;
          std::vector<Entry> value_entries;
          for (const Entry& entry : run) {
            const auto [head, tail] = SplitFirst(entry.rest);
            if (head == key_name && tail.empty()) {
              if (!key) key = entry.value;
            } else if (head == value_name) {
              value_entries.push_back(Entry{0, tail, entry.value});
            }
          }
          if (!key) return {};
          const std::size_t mark = Push("entry." + std::to_string(index) + ".value");
          auto value = Read(*shape.value.shape, shape.value.flattened, value_entries);
          Pop(mark);
          if (!value) return tl::unexpected(value.error());
          if (!value->is_null()) object.insert_or_assign(*key, std::move(*value));
          return {};
        });
    if (!ok) return tl::unexpected(ok.error());
    return object;
  }

  Result<json::value> ReadScalar(const Shape& shape, std::string_view text) {
    switch (shape.type) {
      case ShapeType::kString:
        return json::string(text);
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool in_range =
            shape.type == ShapeType::kLong || (value >= std::numeric_limits<std::int32_t>::min() &&
                                               value <= std::numeric_limits<std::int32_t>::max());
        if (ec != std::errc() || end != text.data() + text.size() || text.empty() || !in_range) {
          return TypeError(text, "Member must be an integer");
        }
        return value;
      }
      case ShapeType::kDouble:
      case ShapeType::kFloat: {
        double value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
            !std::isfinite(value)) {
          return TypeError(text, "Member must be a number");
        }
        return value;
      }
      case ShapeType::kBoolean:
        if (EqualsIgnoreCase(text, "true")) return true;
        if (EqualsIgnoreCase(text, "false")) return false;
        return TypeError(text, "Member must be a boolean");
      case ShapeType::kTimestamp: {
        if (const auto time = ParseIso8601(text)) return TimestampToDocument(*time);
        double seconds = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (ec == std::errc() && end == text.data() + text.size() && !text.empty() &&
            std::isfinite(seconds)) {
          const json::value number(seconds);
          if (const auto whole = IntegerOf(number)) return *whole;
          return number;
        }
        return TypeError(text, "Member must be a timestamp in ISO 8601 format");
      }
      case ShapeType::kBlob: {
        auto bytes = Base64Decode(text);
        if (!bytes) return TypeError(text, "Member must be base64 encoded");
        return json::string(*bytes);
      }
      default:
        return nullptr;
    }
  }

  tl::unexpected<Error> TypeError(std::string_view text, std::string constraint) const {
    const Violation violation{Violation::Kind::kType, path_, std::string(text), false,
                              std::move(constraint)};
    return Fail(ValidationFailure(model_, std::span<const Violation>(&violation, 1)));
  }

  std::size_t Push(std::string_view segment) {
    const std::size_t mark = path_.size();
    if (!path_.empty()) path_ += '.';
    path_.append(segment);
    return mark;
  }
  void Pop(std::size_t mark) { path_.resize(mark); }

  const ServiceModel& model_;
  std::string path_;
};

// Appends "<name>" or "</name>".
void Open(std::string& out, std::string_view name) {
  out += '<';
  out.append(name);
  out += '>';
}
void Close(std::string& out, std::string_view name) {
  out += "</";
  out.append(name);
  out += '>';
}
void Empty(std::string& out, std::string_view name) {
  out += '<';
  out.append(name);
  out += "/>";
}

bool WriteElement(std::string& out, std::string_view name, const Shape& shape, bool flattened,
                  const json::value& value);

void WriteMembers(std::string& out, const Shape& shape, const json::object* object) {
  for (const Member& member : shape.members) {
    const json::value* value = object != nullptr ? object->if_contains(member.name) : nullptr;
    if (value == nullptr || value->is_null()) {
      // Clients drop a required list that is missing; AWS always writes it.
      if (member.required && member.shape->type == ShapeType::kList && !member.flattened &&
          !member.shape->flattened) {
        Empty(out, member.WireName());
      }
      continue;
    }
    const std::size_t mark = out.size();
    if (!WriteElement(out, member.WireName(), *member.shape, member.flattened, *value)) {
      out.resize(mark);
    }
  }
}

bool WriteScalar(std::string& out, const Shape& shape, const json::value& value) {
  switch (shape.type) {
    case ShapeType::kString:
      if (!value.is_string()) return false;
      AppendXmlEscaped(out, std::string_view(value.get_string()));
      return true;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      return AppendIntegerValue(out, value);
    case ShapeType::kDouble:
    case ShapeType::kFloat:
      return AppendNumber(out, value);
    case ShapeType::kBoolean:
      if (!value.is_bool()) return false;
      out += value.get_bool() ? "true" : "false";
      return true;
    case ShapeType::kTimestamp:
      if (shape.timestamp_format == "unixTimestamp") {
        return TimestampFromDocument(value) && AppendNumber(out, value);
      }
      return AppendIso8601(out, value);
    case ShapeType::kBlob:
      if (!value.is_string()) return false;
      out += Base64Encode(std::string_view(value.get_string()));
      return true;
    default:
      return false;
  }
}

// Writes `value` as the element(s) `name`; on false the caller discards what was appended.
bool WriteElement(std::string& out, std::string_view name, const Shape& shape, bool flattened,
                  const json::value& value) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      const json::object* object = value.if_object();
      if (object == nullptr) return false;
      Open(out, name);
      WriteMembers(out, shape, object);
      Close(out, name);
      return true;
    }
    case ShapeType::kList: {
      const json::array* items = value.if_array();
      if (items == nullptr) return false;
      const Member& element = shape.member;
      if (flattened || shape.flattened) {
        const std::string_view item_name =
            element.location_name.empty() ? name : std::string_view(element.location_name);
        for (const json::value& item : *items) {
          const std::size_t mark = out.size();
          if (item.is_null() ||
              !WriteElement(out, item_name, *element.shape, element.flattened, item)) {
            out.resize(mark);
          }
        }
        return true;
      }
      if (items->empty()) {
        Empty(out, name);
        return true;
      }
      const std::string_view item_name =
          element.location_name.empty() ? std::string_view("member") : element.location_name;
      Open(out, name);
      for (const json::value& item : *items) {
        const std::size_t mark = out.size();
        if (item.is_null() ||
            !WriteElement(out, item_name, *element.shape, element.flattened, item)) {
          out.resize(mark);
        }
      }
      Close(out, name);
      return true;
    }
    case ShapeType::kMap: {
      const json::object* entries = value.if_object();
      if (entries == nullptr) return false;
      const bool flat = flattened || shape.flattened;
      const std::string_view entry_name = flat ? name : std::string_view("entry");
      if (!flat) {
        if (entries->empty()) {
          Empty(out, name);
          return true;
        }
        Open(out, name);
      }
      for (const auto& [key, item] : *entries) {
        if (item.is_null()) continue;
        const std::size_t mark = out.size();
        Open(out, entry_name);
        Open(out, shape.key.WireName());
        AppendXmlEscaped(out, std::string_view(key));
        Close(out, shape.key.WireName());
        if (WriteElement(out, shape.value.WireName(), *shape.value.shape, shape.value.flattened,
                         item)) {
          Close(out, entry_name);
        } else {
          out.resize(mark);
        }
      }
      if (!flat) Close(out, name);
      return true;
    }
    default:
      Open(out, name);
      if (!WriteScalar(out, shape, value)) return false;
      Close(out, name);
      return true;
  }
}

void AppendResponseMetadata(std::string& out, std::string_view request_id) {
  out += "<ResponseMetadata><RequestId>";
  AppendXmlEscaped(out, request_id);
  out += "</RequestId></ResponseMetadata>";
}

}  // namespace

Result<DecodedInput> DecodeQuery(const ServiceModel& model,
                                 const std::vector<std::pair<std::string, std::string>>& params) {
  std::optional<std::string_view> action;
  std::optional<std::string_view> version;
  std::vector<Entry> entries;
  entries.reserve(params.size());
  for (const auto& [name, value] : params) {
    if (name == "Action") {
      if (!action) action = value;
    } else if (name == "Version") {
      if (!version) version = value;
    } else {
      entries.push_back(Entry{0, name, value});
    }
  }
  const Operation* operation = nullptr;
  if (action && version && *version == model.api_version()) {
    operation = model.FindOperation(*action);
  }
  if (operation == nullptr) {
    std::string message = "Could not find operation ";
    message.append(action.value_or(""));
    message += " for version ";
    message.append(version.value_or(""));
    return Fail("InvalidAction", std::move(message));
  }
  DecodedInput decoded{operation, {}};
  if (operation->input == nullptr) return decoded;
  auto input = QueryReader(model).Read(*operation->input, false, entries);
  if (!input) return tl::unexpected(input.error());
  if (json::object* object = input->if_object()) decoded.input = std::move(*object);
  if (auto valid = ValidateInput(model, *operation, decoded.input); !valid) {
    return tl::unexpected(valid.error());
  }
  return decoded;
}

EncodedResponse EncodeQueryResult(const ServiceModel& model, const Operation& operation,
                                  const json::value& output, std::string_view request_id) {
  EncodedResponse response;
  response.status = 200;
  response.content_type = "text/xml";
  response.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  std::string& out = response.body;
  out.reserve(512);
  out += '<';
  out += operation.name;
  out += "Response xmlns=\"";
  AppendXmlEscaped(out, model.xml_namespace());
  out += "\">";
  if (operation.output != nullptr) {
    const bool named = !operation.result_wrapper.empty();
    out += '<';
    if (named) {
      out += operation.result_wrapper;
    } else {
      out += operation.name;
      out += "Result";
    }
    out += '>';
    WriteMembers(out, *operation.output, output.if_object());
    out += "</";
    if (named) {
      out += operation.result_wrapper;
    } else {
      out += operation.name;
      out += "Result";
    }
    out += '>';
  }
  AppendResponseMetadata(out, request_id);
  out += "</";
  out += operation.name;
  out += "Response>";
  return response;
}

EncodedResponse EncodeQueryError(const ServiceModel& model, const Error& error,
                                 std::string_view request_id) {
  const WireError wire = ResolveError(model, error.code);
  EncodedResponse response;
  response.status = wire.status;
  response.content_type = "text/xml";
  response.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  std::string& out = response.body;
  out.reserve(256 + error.message.size());
  out += "<ErrorResponse xmlns=\"";
  AppendXmlEscaped(out, model.xml_namespace());
  out += "\"><Error><Type>";
  out += wire.sender_fault ? "Sender" : "Receiver";
  out += "</Type><Code>";
  AppendXmlEscaped(out, wire.code);
  out += "</Code><Message>";
  AppendXmlEscaped(out, error.message);
  out += "</Message></Error><RequestId>";
  AppendXmlEscaped(out, request_id);
  out += "</RequestId></ErrorResponse>";
  return response;
}

}  // namespace fulcrum::protocol
