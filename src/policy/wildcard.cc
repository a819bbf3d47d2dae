#include "policy/wildcard.h"

#include <array>
#include <cstddef>

namespace fulcrum::policy {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool SameChar(char a, char b, CaseSensitivity case_sensitivity) {
  return a == b ||
         (case_sensitivity == CaseSensitivity::kInsensitive && LowerAscii(a) == LowerAscii(b));
}

bool SameText(std::string_view a, std::string_view b, CaseSensitivity case_sensitivity) {
  if (a.size() != b.size()) {
    return false;
  }
  if (case_sensitivity == CaseSensitivity::kSensitive) {
    return a == b;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!SameChar(a[i], b[i], case_sensitivity)) {
      return false;
    }
  }
  return true;
}

// The byte length of the UTF-8 sequence that starts with `lead` (1 for stray bytes), so '?'
// consumes one character and '*' backtracks by whole characters.
std::size_t CharLength(char lead) {
  const auto byte = static_cast<unsigned char>(lead);
  if (byte >= 0xF0 && byte <= 0xF7) {
    return 4;
  }
  if (byte >= 0xE0) {
    return byte <= 0xEF ? 3 : 1;
  }
  if (byte >= 0xC0) {
    return 2;
  }
  return 1;
}

std::size_t Advance(std::string_view text, std::size_t at) {
  const std::size_t next = at + CharLength(text[at]);
  return next > text.size() ? text.size() : next;
}

}  // namespace

bool MatchWildcard(std::string_view pattern, std::string_view text,
                   CaseSensitivity case_sensitivity, PatternSyntax syntax) {
  if (syntax == PatternSyntax::kPlain) {
    // Fast paths for the common shapes: no wildcard at all, or a single trailing '*'.
    const std::size_t first = pattern.find_first_of("*?");
    if (first == std::string_view::npos) {
      return SameText(pattern, text, case_sensitivity);
    }
    if (first + 1 == pattern.size() && pattern[first] == '*') {
      return text.size() >= first &&
             SameText(pattern.substr(0, first), text.substr(0, first), case_sensitivity);
    }
  }
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star_p = kNone;  // Pattern position just after the last '*' seen.
  std::size_t star_t = 0;      // Text position that '*' is currently assumed to end at.
  while (t < text.size()) {
    if (p < pattern.size()) {
      char c = pattern[p];
      std::size_t width = 1;
      bool literal = false;
      if (syntax == PatternSyntax::kEscaped && c == '\\' && p + 1 < pattern.size()) {
        c = pattern[p + 1];
        width = 2;
        literal = true;
      }
      if (!literal && c == '*') {
        star_p = ++p;
        star_t = t;
        continue;
      }
      if (!literal && c == '?') {
        p += width;
        t = Advance(text, t);
        continue;
      }
      if (SameChar(c, text[t], case_sensitivity)) {
        p += width;
        ++t;
        continue;
      }
    }
    if (star_p == kNone) {
      return false;
    }
    // Let the last '*' swallow one more character and retry from just after it.
    star_t = Advance(text, star_t);
    t = star_t;
    p = star_p;
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

ArnComponents SplitArn(std::string_view arn, PatternSyntax syntax) {
  ArnComponents result;
  result.whole = arn;
  std::size_t start = 0;
  for (std::size_t i = 0; i < arn.size() && result.count + 1 < ArnComponents::kCount; ++i) {
    if (syntax == PatternSyntax::kEscaped && arn[i] == '\\') {
      ++i;
      continue;
    }
    if (arn[i] == ':') {
      result.parts[result.count++] = arn.substr(start, i - start);
      start = i + 1;
    }
  }
  result.parts[result.count++] = arn.substr(start);
  return result;
}

bool MatchArn(std::string_view pattern, std::string_view arn, PatternSyntax syntax) {
  return MatchArn(pattern, SplitArn(arn), syntax);
}

bool MatchArn(std::string_view pattern, const ArnComponents& arn, PatternSyntax syntax) {
  if (pattern == "*") {
    return true;
  }
  if (arn.count < ArnComponents::kCount) {
    return MatchWildcard(pattern, arn.whole, CaseSensitivity::kSensitive, syntax);
  }
  const ArnComponents pattern_parts = SplitArn(pattern, syntax);
  for (std::size_t i = 0; i < ArnComponents::kCount; ++i) {
    const std::string_view piece = i < pattern_parts.count ? pattern_parts.parts[i] : "*";
    if (!MatchWildcard(piece, arn.parts[i], CaseSensitivity::kSensitive, syntax)) {
      return false;
    }
  }
  return true;
}

}  // namespace fulcrum::policy
