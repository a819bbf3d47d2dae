#include "client/query_xml.h"

#include <fmt/format.h>

#include <boost/property_tree/xml_parser.hpp>
#include <charconv>
#include <exception>
#include <sstream>

#include "common/encoding.h"
#include "common/time_format.h"

namespace fulcrum::client {
namespace {

namespace pt = boost::property_tree;

std::optional<XmlNode> ParseDocument(std::string_view text) {
  XmlNode document;
  std::istringstream in{std::string(text)};
  try {
    pt::read_xml(in, document, pt::xml_parser::no_comments);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return document;
}

// The document's root element and its name; nullptr when there is none.
const XmlNode* Root(const XmlNode& document, std::string* name) {
  for (const auto& [key, child] : document) {
    if (!key.empty() && key.front() != '<') {
      if (name != nullptr) {
        *name = key;
      }
      return &child;
    }
  }
  return nullptr;
}

const XmlNode* FindChild(const XmlNode& node, std::string_view name) {
  for (const auto& [key, child] : node) {
    if (key == name) {
      return &child;
    }
  }
  return nullptr;
}

std::optional<std::string> ChildText(const XmlNode& node, std::string_view name) {
  const XmlNode* child = FindChild(node, name);
  if (child == nullptr) {
    return std::nullopt;
  }
  return child->data();
}

// At most 200 bytes of `body`, printable ASCII only, whitespace runs collapsed.
std::string Excerpt(std::string_view body) {
  std::string out;
  for (const char c : body) {
    if (out.size() >= 200) {
      out += "...";
      break;
    }
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space) {
      if (!out.empty() && out.back() != ' ') {
        out += ' ';
      }
    } else {
      out += (c >= 0x21 && c <= 0x7e) ? c : '?';
    }
  }
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

}  // namespace

Result<XmlNode> ParseQueryResponse(std::string_view action, long status, std::string_view body,
                                   std::string_view url) {
  if (status < 200 || status > 299) {
    return Fail(ParseQueryError(status, body, url));
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return XmlNode{};
  }
  const auto document = ParseDocument(body);
  const XmlNode* root = document ? Root(*document, nullptr) : nullptr;
  if (root == nullptr) {
    return Fail("ResponseParserError", fmt::format("the response of {} from {} is not XML: {}",
                                                   action, url, Excerpt(body)));
  }
  if (const XmlNode* result = FindChild(*root, fmt::format("{}Result", action))) {
    return *result;
  }
  return XmlNode{};
}

Error ParseQueryError(long status, std::string_view body, std::string_view url) {
  const std::string status_text = std::to_string(status);
  if (const auto document = ParseDocument(body)) {
    std::string root_name;
    const XmlNode* root = Root(*document, &root_name);
    const XmlNode* error = nullptr;
    if (root != nullptr && root_name == "Error") {
      error = root;  // The bare <Error> form some services use.
    } else if (root != nullptr) {
      error = FindChild(*root, "Error");
      if (error == nullptr) {
        if (const XmlNode* errors = FindChild(*root, "Errors")) {  // EC2's <Response><Errors>.
          error = FindChild(*errors, "Error");
        }
      }
    }
    if (error != nullptr) {
      if (auto code = ChildText(*error, "Code"); code && !code->empty()) {
        Error out{std::move(*code), ChildText(*error, "Message").value_or(""), {}};
        if (auto type = ChildText(*error, "Type")) {
          out.fields.emplace_back("Type", std::move(*type));
        }
        auto request_id = ChildText(*root, "RequestId");
        if (!request_id) {
          request_id = ChildText(*error, "RequestId");
        }
        if (request_id) {
          out.fields.emplace_back("RequestId", std::move(*request_id));
        }
        out.fields.emplace_back("HttpStatus", status_text);
        return out;
      }
    }
  }
  std::string message = fmt::format("HTTP {} from {}", status, url);
  if (const std::string excerpt = Excerpt(body); !excerpt.empty()) {
    message += ": " + excerpt;
  }
  return Error{status_text, std::move(message), {{"HttpStatus", status_text}}};
}

XmlReader::XmlReader(const XmlNode& node, std::string context)
    : node_(node), context_(std::move(context)) {}

const XmlNode* XmlReader::Child(std::string_view name) const { return FindChild(node_, name); }

std::optional<std::string> XmlReader::OptionalText(std::string_view name) const {
  return ChildText(node_, name);
}

std::string XmlReader::Text(std::string_view name) {
  auto text = OptionalText(name);
  if (!text) {
    Missing(name);
    return {};
  }
  return std::move(*text);
}

std::optional<TimePoint> XmlReader::OptionalTime(std::string_view name) {
  const auto text = OptionalText(name);
  if (!text) {
    return std::nullopt;
  }
  const auto time = ParseIso8601(*text);
  if (!time) {
    Record(fmt::format("{}.{} is not an ISO 8601 timestamp: '{}'", context_, name, *text));
  }
  return time;
}

TimePoint XmlReader::Time(std::string_view name) {
  if (!Child(name)) {
    Missing(name);
    return {};
  }
  return OptionalTime(name).value_or(TimePoint{});
}

std::optional<bool> XmlReader::OptionalBool(std::string_view name) {
  const auto text = OptionalText(name);
  if (!text) {
    return std::nullopt;
  }
  if (*text == "true") {
    return true;
  }
  if (*text == "false") {
    return false;
  }
  Record(fmt::format("{}.{} is not true or false: '{}'", context_, name, *text));
  return std::nullopt;
}

std::optional<long long> XmlReader::OptionalInteger(std::string_view name) {
  const auto text = OptionalText(name);
  if (!text) {
    return std::nullopt;
  }
  long long value = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  const auto [stop, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || stop != end) {
    Record(fmt::format("{}.{} is not an integer: '{}'", context_, name, *text));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> XmlReader::OptionalBlob(std::string_view name) {
  auto text = OptionalText(name);
  if (!text) {
    return std::nullopt;
  }
  std::erase_if(*text, [](char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; });
  auto bytes = Base64Decode(*text);
  if (!bytes) {
    Record(fmt::format("{}.{} is not base64", context_, name));
  }
  return bytes;
}

std::vector<const XmlNode*> XmlReader::Members(std::string_view name) const {
  std::vector<const XmlNode*> members;
  if (const XmlNode* list = Child(name)) {
    for (const auto& [key, child] : *list) {
      if (key == "member") {
        members.push_back(&child);
      }
    }
  }
  return members;
}

void XmlReader::Missing(std::string_view name) {
  Record(fmt::format("the response has no {}.{}", context_, name));
}

void XmlReader::Include(const XmlReader& nested) {
  if (nested.failure_) {
    Record(*nested.failure_);
  }
}

void XmlReader::Record(std::string message) {
  if (!failure_) {
    failure_ = std::move(message);
  }
}

Result<void> XmlReader::status() const {
  if (failure_) {
    return Fail("ResponseParserError", *failure_);
  }
  return {};
}

}  // namespace fulcrum::client
