#include "client/ini_file.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <system_error>

namespace fulcrum::client {
namespace {

constexpr std::string_view kBlank = " \t\r\f\v";

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(kBlank);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(kBlank);
  return text.substr(first, last - first + 1);
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

// "[ profile  x ]" names the section "profile x", as botocore splits a header on whitespace.
std::string SectionName(std::string_view header) {
  header = Trim(header);
  const auto space = header.find_first_of(kBlank);
  if (space == std::string_view::npos) {
    return std::string(header);
  }
  return fmt::format("{} {}", header.substr(0, space), Trim(header.substr(space)));
}

Error InvalidLine(std::string_view source, int line_number, std::string_view why) {
  return Error{"InvalidConfigFile", fmt::format("{}:{}: {}", source, line_number, why), {}};
}

}  // namespace

Result<IniFile> IniFile::Parse(std::string_view text, std::string_view source) {
  IniFile file;
  Section* section = nullptr;
  std::string parent_key;  // The last key with an empty value: the parent of indented settings.
  int line_number = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    if (line_number == 1 && raw.starts_with("\xEF\xBB\xBF")) {
      raw.remove_prefix(3);  // A UTF-8 byte order mark, as some editors write.
    }
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      continue;
    }
    if (line.front() == '[') {
      if (line.back() != ']') {
        return Fail(InvalidLine(source, line_number, "a section header must end with ']'"));
      }
      section = &file.sections_[SectionName(line.substr(1, line.size() - 2))];
      parent_key.clear();
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      return Fail(InvalidLine(source, line_number, "expected 'key = value' or '[section]'"));
    }
    if (section == nullptr) {
      return Fail(InvalidLine(source, line_number, "a setting before any [section]"));
    }
    std::string key = ToLower(Trim(line.substr(0, equals)));
    std::string value(Trim(line.substr(equals + 1)));
    if (key.empty()) {
      return Fail(InvalidLine(source, line_number, "a setting without a name"));
    }
    if (indented && !parent_key.empty()) {
      (*section)[fmt::format("{}.{}", parent_key, key)] = std::move(value);
      continue;
    }
    parent_key = value.empty() ? key : std::string();
    (*section)[std::move(key)] = std::move(value);
  }
  return file;
}

Result<IniFile> IniFile::Load(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return IniFile{};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail("InvalidConfigFile", fmt::format("cannot read {}", path.string()));
  }
  const std::string contents{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    return Fail("InvalidConfigFile", fmt::format("cannot read {}", path.string()));
  }
  return Parse(contents, path.string());
}

const IniFile::Section* IniFile::Find(std::string_view name) const {
  const auto found = sections_.find(name);
  return found == sections_.end() ? nullptr : &found->second;
}

std::optional<std::string> IniFile::Get(std::string_view section, std::string_view key) const {
  const Section* values = Find(section);
  if (values == nullptr) {
    return std::nullopt;
  }
  const auto found = values->find(key);
  if (found == values->end()) {
    return std::nullopt;
  }
  return found->second;
}

}  // namespace fulcrum::client
