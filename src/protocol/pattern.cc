#include "protocol/pattern.h"

#include <charconv>
#include <cstdint>

namespace fulcrum::protocol {
namespace {

static_assert(sizeof(wchar_t) == 4, "patterns are matched over UTF-32 wchar_t");

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at `pos`, advancing it. Overlong forms, surrogates and values past
// U+10FFFF are invalid and consume one byte.
char32_t NextCodePoint(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
    minimum = 0x10000;
  } else {
    ++pos;
    return kReplacement;
  }
  if (pos + length > text.size()) {
    ++pos;
    return kReplacement;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const std::uint8_t next = byte(pos + i);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return kReplacement;
    }
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    ++pos;
    return kReplacement;
  }
  pos += length;
  return code_point;
}

// A pattern of the form ^?[class]quantifier$? split into its class and repetition counts.
struct SingleClass {
  std::string_view char_class;
  std::size_t min_count;
  std::size_t max_count;
};

std::optional<std::size_t> ParseCount(std::string_view text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<SingleClass> SplitSingleClass(std::string_view pattern) {
  std::size_t pos = 0;
  if (pos < pattern.size() && pattern[pos] == '^') ++pos;
  if (pos >= pattern.size() || pattern[pos] != '[') return std::nullopt;
  const std::size_t class_start = pos;
  ++pos;
  if (pos < pattern.size() && pattern[pos] == '^') ++pos;
  while (pos < pattern.size() && pattern[pos] != ']') {
    if (pattern[pos] == '[') return std::nullopt;  // nested classes are not ECMAScript
    pos += pattern[pos] == '\\' ? 2 : 1;
  }
  if (pos >= pattern.size()) return std::nullopt;
  ++pos;
  SingleClass result{pattern.substr(class_start, pos - class_start), 1, 1};
  if (pos < pattern.size()) {
    const char quantifier = pattern[pos];
    if (quantifier == '+') {
      result.min_count = 1;
      result.max_count = std::numeric_limits<std::size_t>::max();
      ++pos;
    } else if (quantifier == '*') {
      result.min_count = 0;
      result.max_count = std::numeric_limits<std::size_t>::max();
      ++pos;
    } else if (quantifier == '{') {
      const std::size_t close = pattern.find('}', pos);
      if (close == std::string_view::npos) return std::nullopt;
      const std::string_view counts = pattern.substr(pos + 1, close - pos - 1);
      const std::size_t comma = counts.find(',');
      const auto low = ParseCount(counts.substr(0, comma));
      if (!low) return std::nullopt;
      result.min_count = *low;
      if (comma == std::string_view::npos) {
        result.max_count = *low;
      } else if (comma + 1 == counts.size()) {
        result.max_count = std::numeric_limits<std::size_t>::max();
      } else {
        const auto high = ParseCount(counts.substr(comma + 1));
        if (!high) return std::nullopt;
        result.max_count = *high;
      }
      pos = close + 1;
    }
  }
  if (pos < pattern.size() && pattern[pos] == '$') ++pos;
  if (pos != pattern.size()) return std::nullopt;
  return result;
}

}  // namespace

std::wstring DecodeUtf8(std::string_view utf8) {
  std::wstring out;
  out.reserve(utf8.size());
  std::size_t pos = 0;
  while (pos < utf8.size()) out.push_back(static_cast<wchar_t>(NextCodePoint(utf8, pos)));
  return out;
}

std::size_t CountCodePoints(std::string_view utf8) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    NextCodePoint(utf8, pos);
    ++count;
  }
  return count;
}

std::optional<PatternMatcher> PatternMatcher::Compile(std::string_view pattern) {
  if (pattern.find("\\p") != std::string_view::npos ||
      pattern.find("\\P") != std::string_view::npos) {
    return std::nullopt;
  }
  PatternMatcher matcher;
  try {
    if (const auto single = SplitSingleClass(pattern)) {
      matcher.single_class_ = true;
      matcher.regex_ = std::wregex(DecodeUtf8(single->char_class), std::regex::ECMAScript);
      matcher.min_count_ = single->min_count;
      matcher.max_count_ = single->max_count;
      for (wchar_t c = 0; c < 256; ++c) {
        const wchar_t one[1] = {c};
        matcher.latin1_[static_cast<std::size_t>(c)] =
            std::regex_match(one, one + 1, matcher.regex_);
      }
    } else {
      matcher.regex_ = std::wregex(DecodeUtf8(pattern), std::regex::ECMAScript);
    }
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
  return matcher;
}

bool PatternMatcher::InClass(char32_t code_point) const {
  if (code_point < 256) return latin1_[code_point];
  const wchar_t one[1] = {static_cast<wchar_t>(code_point)};
  try {
    return std::regex_match(one, one + 1, regex_);
  } catch (const std::regex_error&) {
    return true;
  }
}

bool PatternMatcher::Matches(std::string_view utf8) const {
  if (single_class_) {
    std::size_t count = 0;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
      if (!InClass(NextCodePoint(utf8, pos))) return false;
      ++count;
    }
    return count >= min_count_ && count <= max_count_;
  }
  const std::wstring text = DecodeUtf8(utf8);
  if (text.size() > kMaxGeneralInput) return false;
  try {
    return std::regex_match(text, regex_);
  } catch (const std::regex_error&) {
    return true;  // the engine gave up (complexity); the constraint is skipped
  }
}

}  // namespace fulcrum::protocol
