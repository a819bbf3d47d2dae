#include "services/iam/binding.h"

#include "common/document.h"

namespace fulcrum::services::iam {

namespace json = boost::json;

std::optional<std::string> OptionalString(const json::object& input, std::string_view name) {
  const json::value* value = input.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    return std::nullopt;
  }
  return std::string(value->get_string());
}

std::string StringOr(const json::object& input, std::string_view name, std::string_view fallback) {
  return OptionalString(input, name).value_or(std::string(fallback));
}

std::optional<std::int64_t> OptionalInteger(const json::object& input, std::string_view name) {
  const json::value* value = input.if_contains(name);
  return value == nullptr ? std::nullopt : IntegerOf(*value);
}

std::optional<bool> OptionalBool(const json::object& input, std::string_view name) {
  const json::value* value = input.if_contains(name);
  if (value == nullptr || !value->is_bool()) {
    return std::nullopt;
  }
  return value->get_bool();
}

std::vector<std::string> StringList(const json::object& input, std::string_view name) {
  std::vector<std::string> out;
  const json::value* value = input.if_contains(name);
  if (value == nullptr || !value->is_array()) {
    return out;
  }
  for (const auto& item : value->get_array()) {
    if (item.is_string()) {
      out.emplace_back(item.get_string());
    }
  }
  return out;
}

storage::Tags TagList(const json::object& input, std::string_view name) {
  storage::Tags tags;
  const json::value* value = input.if_contains(name);
  if (value == nullptr || !value->is_array()) {
    return tags;
  }
  for (const auto& item : value->get_array()) {
    if (!item.is_object()) {
      continue;
    }
    tags.emplace_back(StringOr(item.get_object(), "Key", ""),
                      StringOr(item.get_object(), "Value", ""));
  }
  return tags;
}

storage::PageRequest PageOf(const json::object& input) {
  storage::PageRequest page;
  page.marker = StringOr(input, "Marker", "");
  if (auto max_items = OptionalInteger(input, "MaxItems"); max_items && *max_items > 0) {
    page.max_items = static_cast<std::size_t>(*max_items);
  }
  return page;
}

std::optional<std::string_view> ViewOf(const std::optional<std::string>& text) {
  if (!text.has_value()) {
    return std::nullopt;
  }
  return std::string_view(*text);
}

Result<json::value> NoOutput(const Result<void>& result) {
  if (!result) {
    return Fail(result.error());
  }
  return json::object{};
}

json::value Timestamp(TimePoint time) { return TimestampToDocument(time); }

json::array TagsJson(const storage::Tags& tags) {
  json::array out;
  out.reserve(tags.size());
  for (const auto& [key, value] : tags) {
    out.push_back(json::object{{"Key", key}, {"Value", value}});
  }
  return out;
}

void AddPageFields(json::object& output, const std::string& next_marker) {
  output["IsTruncated"] = !next_marker.empty();
  if (!next_marker.empty()) {
    output["Marker"] = next_marker;
  }
}

std::string AnyResource(const RequestContext& /*context*/, const boost::json::object& /*input*/) {
  return "*";
}

ResourceResolver ListedUnder(std::string_view kind) {
  return [kind](const RequestContext& context, const boost::json::object& input) {
    return "arn:aws:iam::" + context.principal.account_id + ":" + std::string(kind) +
           StringOr(input, "PathPrefix", "/");
  };
}

}  // namespace fulcrum::services::iam
