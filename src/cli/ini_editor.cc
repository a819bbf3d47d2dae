#include "cli/ini_editor.h"

#include <fmt/format.h>

#include <map>

namespace fulcrum::cli {
namespace {

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// The name of the section a "[name]" line opens.
std::optional<std::string_view> SectionHeader(std::string_view line) {
  const std::string_view trimmed = Trim(line);
  if (line.empty() || line[0] == ' ' || line[0] == '\t') return std::nullopt;
  if (trimmed.size() < 2 || trimmed.front() != '[' || trimmed.back() != ']') return std::nullopt;
  return Trim(trimmed.substr(1, trimmed.size() - 2));
}

bool IsContinuation(std::string_view line) {
  return !line.empty() && (line[0] == ' ' || line[0] == '\t') && !Trim(line).empty();
}

// The key and value of a "key = value" line.
std::optional<std::pair<std::string_view, std::string_view>> KeyValue(std::string_view line) {
  if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == ';') {
    return std::nullopt;
  }
  const size_t delimiter = line.find_first_of("=:");
  if (delimiter == std::string_view::npos) return std::nullopt;
  return std::pair{Trim(line.substr(0, delimiter)), Trim(line.substr(delimiter + 1))};
}

}  // namespace

Result<IniEditor> IniEditor::Parse(std::string_view text, std::string_view file) {
  IniEditor ini;
  size_t start = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    Line line;
    if (newline == std::string_view::npos) {
      line.text = std::string(text.substr(start));
      start = text.size();
    } else {
      line.text = std::string(text.substr(start, newline - start));
      line.eol = "\n";
      if (!line.text.empty() && line.text.back() == '\r') {
        line.text.pop_back();
        line.eol = "\r\n";
      }
      start = newline + 1;
    }
    ini.lines_.push_back(std::move(line));
  }
  if (!ini.lines_.empty() && !ini.lines_.front().eol.empty()) ini.eol_ = ini.lines_.front().eol;

  std::map<std::string, size_t, std::less<>> seen;
  for (size_t i = 0; i < ini.lines_.size(); ++i) {
    const auto name = SectionHeader(ini.lines_[i].text);
    if (!name) continue;
    if (auto [it, inserted] = seen.emplace(std::string(*name), i + 1); !inserted) {
      return Fail("InvalidConfigFile",
                  fmt::format("{}:{}: section [{}] appears again (first on line {}); the AWS CLI "
                              "refuses such a file: merge the two sections into one",
                              file, i + 1, *name, it->second));
    }
  }
  return ini;
}

std::optional<std::pair<size_t, size_t>> IniEditor::Body(std::string_view name) const {
  for (size_t i = 0; i < lines_.size(); ++i) {
    const auto header = SectionHeader(lines_[i].text);
    if (!header || *header != name) continue;
    size_t end = i + 1;
    while (end < lines_.size() && !SectionHeader(lines_[end].text)) ++end;
    return std::pair{i + 1, end};
  }
  return std::nullopt;
}

void IniEditor::Set(std::string_view name, const IniValues& values) {
  if (!Body(name)) {
    if (!lines_.empty()) {
      if (lines_.back().eol.empty()) lines_.back().eol = eol_;
      if (!Trim(lines_.back().text).empty()) lines_.push_back(Line{"", eol_});
    }
    lines_.push_back(Line{fmt::format("[{}]", name), eol_});
  }
  for (const auto& [key, value] : values) {
    const auto [first, last] = *Body(name);
    const std::string text = fmt::format("{} = {}", key, value);
    std::optional<size_t> existing;
    for (size_t i = first; i < last && !existing; ++i) {
      const auto key_value = KeyValue(lines_[i].text);
      if (key_value && key_value->first == key) existing = i;
    }
    if (existing) {
      lines_[*existing].text = text;
      size_t end = *existing + 1;
      while (end < last && IsContinuation(lines_[end].text)) ++end;
      lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(*existing + 1),
                   lines_.begin() + static_cast<std::ptrdiff_t>(end));
      continue;
    }
    // After the section's last key, so that a comment heading the next section stays with it.
    size_t insert_at = first;
    for (size_t i = first; i < last; ++i) {
      if (KeyValue(lines_[i].text) || IsContinuation(lines_[i].text)) insert_at = i + 1;
    }
    if (insert_at > 0 && lines_[insert_at - 1].eol.empty()) lines_[insert_at - 1].eol = eol_;
    lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(insert_at), Line{text, eol_});
  }
}

std::string IniEditor::Text() const {
  std::string text;
  for (const Line& line : lines_) {
    text += line.text;
    text += line.eol;
  }
  return text;
}

}  // namespace fulcrum::cli
