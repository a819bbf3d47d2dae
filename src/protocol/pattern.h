#pragma once

// The "pattern" constraint of a string shape: a regular expression the whole value must match,
// as AWS validates it (Java regular expressions over code points). Built on std::wregex
// (ECMAScript grammar) over UTF-32, so \uXXXX ranges apply to code points.
//
// Limits: patterns that use what ECMAScript lacks (the Unicode property classes \p{..}) are not
// compiled (Compile returns nullopt and the constraint is skipped). A pattern that is a single
// character class with a quantifier ("[\w+=,.@-]+", "[\u0009\u0020-\u00FF]*") is checked one
// character at a time, so long values (policy documents) cost no recursion; any other pattern is
// checked with std::regex_match on values of at most kMaxGeneralInput code points, and longer
// values are reported as not matching.

#include <bitset>
#include <cstddef>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace fulcrum::protocol {

class PatternMatcher {
 public:
  static constexpr std::size_t kMaxGeneralInput = 4096;

  // The compiled matcher, or nullopt when `pattern` cannot be compiled by std::regex or uses a
  // construct it would misread (\p{..}).
  [[nodiscard]] static std::optional<PatternMatcher> Compile(std::string_view pattern);

  // Whether the whole of `utf8` matches. Invalid UTF-8 sequences are read as U+FFFD.
  // Thread-safe.
  [[nodiscard]] bool Matches(std::string_view utf8) const;

 private:
  PatternMatcher() = default;
  [[nodiscard]] bool InClass(char32_t code_point) const;

  bool single_class_ = false;
  // Single class: membership of code points 0..255, the class regex for the others, and the
  // allowed repetition counts.
  std::bitset<256> latin1_;
  std::wregex regex_;  // the class (single class) or the whole pattern
  std::size_t min_count_ = 0;
  std::size_t max_count_ = std::numeric_limits<std::size_t>::max();
};

// The code points of `utf8` (invalid sequences become U+FFFD), as a std::wstring (UTF-32).
[[nodiscard]] std::wstring DecodeUtf8(std::string_view utf8);
// The number of code points in `utf8` (each invalid byte counts as one).
[[nodiscard]] std::size_t CountCodePoints(std::string_view utf8);

}  // namespace fulcrum::protocol
