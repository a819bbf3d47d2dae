#pragma once

// Helpers for the protocol tests only: test data files, the response templates of
// tests/data/protocol (STATUS / H header / blank line / body), and a small XML reader for
// comparing XML documents structurally. Not part of the library's API.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fulcrum::protocol::testing {

inline std::string TestDataPath(std::string_view relative) {
  return std::string(FULCRUM_TESTDATA_DIR) + "/protocol/" + std::string(relative);
}

inline std::string ReadTestData(std::string_view relative) {
  std::ifstream in(TestDataPath(relative), std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test data " << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// A response template: "STATUS 404\nH Name: value\n...\n\n<body>".
struct Template {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  [[nodiscard]] std::string Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key.size() == name.size() &&
          std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        return value;
      }
    }
    return {};
  }
};

inline Template ParseTemplate(std::string_view text) {
  Template result;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) break;
    if (line.starts_with("STATUS ")) {
      result.status = std::stoi(std::string(line.substr(7)));
    } else if (line.starts_with("H ")) {
      const std::size_t colon = line.find(':');
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      result.headers.emplace_back(std::string(line.substr(2, colon - 2)), std::string(value));
    }
  }
  if (pos < text.size()) result.body = std::string(text.substr(pos));
  while (!result.body.empty() && (result.body.back() == '\n' || result.body.back() == ' ')) {
    result.body.pop_back();
  }
  return result;
}

// An XML element: name, attributes, text (entities decoded, whitespace-only text dropped) and
// children.
struct XmlNode {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;
  std::vector<XmlNode> children;
};

class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : text_(text) {}

  std::optional<XmlNode> ReadDocument() {
    SkipMisc();
    auto root = ReadElement();
    if (!root) return std::nullopt;
    SkipMisc();
    if (pos_ != text_.size()) return std::nullopt;
    return root;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  void SkipMisc() {
    for (;;) {
      SkipSpace();
      if (text_.substr(pos_).starts_with("<?")) {
        pos_ = text_.find("?>", pos_);
        if (pos_ == std::string_view::npos)
          pos_ = text_.size();
        else
          pos_ += 2;
        continue;
      }
      return;
    }
  }
  std::string Decode(std::string_view raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const std::size_t semi = raw.find(';', i);
      const std::string_view entity = raw.substr(i + 1, semi - i - 1);
      if (entity == "amp")
        out += '&';
      else if (entity == "lt")
        out += '<';
      else if (entity == "gt")
        out += '>';
      else if (entity == "quot")
        out += '"';
      else if (entity == "apos")
        out += '\'';
      else if (entity.starts_with("#x"))
        out += static_cast<char>(std::stoi(std::string(entity.substr(2)), nullptr, 16));
      else if (entity.starts_with("#"))
        out += static_cast<char>(std::stoi(std::string(entity.substr(1))));
      i = semi;
    }
    return out;
  }
  std::string ReadName() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
           text_[pos_] != '>' && text_[pos_] != '/' && text_[pos_] != '=') {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  std::optional<XmlNode> ReadElement() {
    if (pos_ >= text_.size() || text_[pos_] != '<') return std::nullopt;
    ++pos_;
    XmlNode node;
    node.name = ReadName();
    for (;;) {
      SkipSpace();
      if (pos_ >= text_.size()) return std::nullopt;
      if (text_.substr(pos_).starts_with("/>")) {
        pos_ += 2;
        return node;
      }
      if (text_[pos_] == '>') {
        ++pos_;
        break;
      }
      std::string attribute = ReadName();
      if (pos_ + 1 >= text_.size() || text_[pos_] != '=') return std::nullopt;
      const char quote = text_[pos_ + 1];
      const std::size_t close = text_.find(quote, pos_ + 2);
      if (close == std::string_view::npos) return std::nullopt;
      node.attributes.emplace_back(std::move(attribute),
                                   Decode(text_.substr(pos_ + 2, close - pos_ - 2)));
      pos_ = close + 1;
    }
    std::string raw_text;
    for (;;) {
      if (pos_ >= text_.size()) return std::nullopt;
      if (text_.substr(pos_).starts_with("</")) {
        pos_ += 2;
        if (ReadName() != node.name) return std::nullopt;
        SkipSpace();
        if (pos_ >= text_.size() || text_[pos_] != '>') return std::nullopt;
        ++pos_;
        break;
      }
      if (text_[pos_] == '<') {
        auto child = ReadElement();
        if (!child) return std::nullopt;
        node.children.push_back(std::move(*child));
        continue;
      }
      const std::size_t next = text_.find('<', pos_);
      raw_text += text_.substr(pos_, next - pos_);
      pos_ = next == std::string_view::npos ? text_.size() : next;
    }
    const bool blank = std::all_of(raw_text.begin(), raw_text.end(), [](char c) {
      return std::isspace(static_cast<unsigned char>(c));
    });
    if (!blank) node.text = Decode(raw_text);
    return node;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

inline std::optional<XmlNode> ParseXml(std::string_view text) {
  return XmlReader(text).ReadDocument();
}

// Orders children by name, keeping the order of same-named siblings (list members), so that two
// documents that differ only in member order compare equal.
inline void Canonicalize(XmlNode& node) {
  std::stable_sort(node.children.begin(), node.children.end(),
                   [](const XmlNode& a, const XmlNode& b) { return a.name < b.name; });
  std::sort(node.attributes.begin(), node.attributes.end());
  for (XmlNode& child : node.children) Canonicalize(child);
}

// Renders a canonical node as an indented outline, so a failing comparison shows the difference.
inline void Outline(const XmlNode& node, std::string& out, int depth = 0) {
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
  out += node.name;
  for (const auto& [key, value] : node.attributes) out += " @" + key + "=" + value;
  if (!node.text.empty()) out += " = " + node.text;
  out += '\n';
  for (const XmlNode& child : node.children) Outline(child, out, depth + 1);
}

// The structural outline of `xml` (member order ignored), or "<malformed XML>".
inline std::string XmlOutline(std::string_view xml) {
  auto node = ParseXml(xml);
  if (!node) return "<malformed XML>";
  Canonicalize(*node);
  std::string out;
  Outline(*node, out);
  return out;
}

}  // namespace fulcrum::protocol::testing
