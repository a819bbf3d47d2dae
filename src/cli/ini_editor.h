#pragma once

// IniEditor: edits the AWS shared config and credentials files without disturbing what is not
// edited: comments, blank lines, order, spacing, line ends (LF or CRLF) and the other sections all
// stay byte for byte. Reading a profile is client::IniFile's job (botocore's reading rules); this
// class only finds the lines to replace.
//
// A section starts with a "[name]" line. In a section, "key = value" (or "key: value") lines set
// keys; lines that start with whitespace continue the previous key (the AWS CLI's nested values,
// e.g. "s3 =" followed by "  max_concurrent_requests = 10"); lines starting with '#' or ';' are
// comments. Not thread-safe; a value type.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace fulcrum::cli {

using IniValues = std::vector<std::pair<std::string, std::string>>;

class IniEditor {
 public:
  // Parses `text`. Fails with "InvalidConfigFile" (naming `file` and the line) when a section
  // appears twice, which the AWS CLI refuses too.
  [[nodiscard]] static Result<IniEditor> Parse(std::string_view text, std::string_view file);

  // Sets each key of `values` in section `name`: an existing "key = ..." line (and its
  // continuation lines) is replaced by "key = value"; a new key goes after the section's last
  // key (right after the header when it has none). A missing section is appended at the end, after
  // a blank line. REQUIRES: names and values hold no line break; keys hold no '=' or ':'.
  void Set(std::string_view name, const IniValues& values);

  // The whole file as text.
  [[nodiscard]] std::string Text() const;

 private:
  struct Line {
    std::string text;  // without its line end
    std::string eol;   // "\n", "\r\n", or "" for a last line without one
  };

  // [first, last) line indexes of the body of section `name`, when it exists.
  [[nodiscard]] std::optional<std::pair<size_t, size_t>> Body(std::string_view name) const;

  std::vector<Line> lines_;
  std::string eol_ = "\n";  // the line end of added lines: the file's own
};

}  // namespace fulcrum::cli
