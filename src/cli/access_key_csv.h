#pragma once

// The access-key CSV files that the AWS console downloads when it creates an access key, read
// for `credentials configure --credentials-file` and written when Fulcrum hands out a new key.
//
// Two layouts exist: the current one (file "<user>_accessKeys.csv")
//   Access key ID,Secret access key
//   AKIA...,wJalr...
// and the older one (file "credentials.csv")
//   User name,Password,Access key ID,Secret access key,Console login link
// Columns are found by header name, so both (and others that carry these two columns) are read.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace fulcrum::cli {

struct AccessKeyCsv {
  std::string access_key_id;
  std::string secret_access_key;
  std::string user_name;  // from a "User name" column when there is one, else empty
};

// Reads the single access key in `text`. Tolerates a UTF-8 byte order mark, CRLF or LF line
// ends, spaces around fields and header names, header names in any letter case, RFC 4180 quoted
// fields ("a ""b"", c") and blank lines. The header must have "Access key ID" and "Secret access
// key" columns and exactly one data row must follow: a file with two keys is refused rather than
// guessing which one is meant. Errors ("InvalidAccessKeyFile") name `file`, the line, what is
// wrong and the fix. The values are not checked against key formats (AWS may change them; the
// keys are validated by calling STS).
[[nodiscard]] Result<AccessKeyCsv> ParseAccessKeyCsv(std::string_view text, std::string_view file);

// ParseAccessKeyCsv on the contents of `file`; "NoSuchFile" when it does not exist.
[[nodiscard]] Result<AccessKeyCsv> ReadAccessKeyCsv(const std::filesystem::path& file);

// The name the console gives the download: "<user>_accessKeys.csv", or "accessKeys.csv" when
// the user is not known.
[[nodiscard]] std::string AccessKeyCsvFileName(std::optional<std::string_view> user_name);

// Writes an access key as the console's current download holds it:
//   "Access key ID,Secret access key\r\n<id>,<secret>\r\n"
// The two header names are the console's. CRLF is RFC 4180's line end and what Python's csv
// module writes; every reader here, in Leverage and in the AWS CLI takes it. No byte order mark:
// Leverage v2 matches header names exactly and fails on one (binbashar/leverage#182).
// The file gets mode 0600 and is written atomically (temporary file, then rename); an existing
// file is replaced. Fails with "InvalidParameterValue" when a value is empty or holds a comma,
// quote or line break (key ids and secrets never do).
[[nodiscard]] Result<void> WriteAccessKeyCsv(const std::filesystem::path& file,
                                             std::string_view access_key_id,
                                             std::string_view secret_access_key);

// Why keeping the CSV at `csv` is risky, one sentence per reason (with the fix), or nothing when
// its place looks safe. Reasons: it is inside `project_dir` (pushed with the project); it is
// inside a git work tree (a `.git` directory or file in it or an ancestor: one `git add -A` away
// from a commit); it is under ~/Downloads (browsers' default, often synced or shared). Paths are
// compared after resolving symlinks; HOME locates ~/Downloads. The filesystem is only inspected,
// no process is started.
[[nodiscard]] std::vector<std::string> RiskyCsvLocation(const std::filesystem::path& csv,
                                                        const std::filesystem::path& project_dir);

}  // namespace fulcrum::cli
