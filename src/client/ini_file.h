#pragma once

// IniFile: a read-only view of an AWS shared config or credentials file (~/.aws/config,
// ~/.aws/credentials), parsed the way botocore's configparser-based loader reads them:
// https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
//
//  * `[section]` headers; names are trimmed, and the blanks after their first word are collapsed
//    to one space ("[profile  x]" is "profile x").
//  * `key = value` settings; keys are trimmed and lower-cased, values trimmed. Only '=' separates.
//  * Lines starting with '#' or ';' are comments; inline comments are not stripped (botocore keeps
//    them too).
//  * An indented line after `key =` is a nested setting, stored as "key.sub" (the `services`
//    sections and `s3 =` blocks use this form).
//  * A section that appears twice is merged; a later value wins.
//
// Writing these files is not this class's job. An IniFile is an immutable value; thread-safe.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum::client {

class IniFile {
 public:
  using Section = std::map<std::string, std::string, std::less<>>;

  // On success, the sections of `text`. Fails with InvalidConfigFile naming `source` and the line
  // when a setting appears before any section header, a header is not closed, or a line is
  // neither a header, a setting nor a comment.
  [[nodiscard]] static Result<IniFile> Parse(std::string_view text, std::string_view source);

  // Reads and parses `path`. A file that does not exist gives an empty IniFile (an absent
  // ~/.aws/config is normal); other read failures give InvalidConfigFile.
  [[nodiscard]] static Result<IniFile> Load(const std::filesystem::path& path);

  // The section named exactly `name`, or nullptr. The pointer lives as long as this IniFile.
  [[nodiscard]] const Section* Find(std::string_view name) const;

  // The value of `key` in section `section`, or nullopt when either is absent.
  [[nodiscard]] std::optional<std::string> Get(std::string_view section,
                                               std::string_view key) const;

  [[nodiscard]] const std::map<std::string, Section, std::less<>>& sections() const {
    return sections_;
  }

 private:
  std::map<std::string, Section, std::less<>> sections_;
};

}  // namespace fulcrum::client
