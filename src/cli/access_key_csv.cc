#include "cli/access_key_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <system_error>

#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

constexpr std::string_view kKeyIdHeader = "Access key ID";
constexpr std::string_view kSecretHeader = "Secret access key";
constexpr std::string_view kUserHeader = "User name";
constexpr std::string_view kFix =
    "download the key's .csv again from the IAM console (Users > the user > Security "
    "credentials), or create a new access key";

struct Row {
  int line = 0;  // where the row starts
  std::vector<std::string> fields;
};

std::string Trim(std::string_view text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  const auto begin = std::find_if(text.begin(), text.end(), not_space);
  const auto end = std::find_if(text.rbegin(), text.rend(), not_space).base();
  return begin < end ? std::string(begin, end) : std::string();
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

tl::unexpected<Error> Invalid(std::string message) {
  return Fail("InvalidAccessKeyFile", std::move(message));
}

// Splits `text` into RFC 4180 records. Unquoted fields are trimmed; quoted fields keep their
// inner spaces (spaces around the quotes are dropped). Records that are blank are skipped.
Result<std::vector<Row>> SplitRecords(std::string_view text, std::string_view file) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted_field = false;  // the current field was quoted
  int line = 1;
  row.line = 1;
  auto end_field = [&] {
    row.fields.push_back(quoted_field ? field : Trim(field));
    field.clear();
    quoted_field = false;
  };
  auto end_row = [&] {
    end_field();
    const bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = Row{};
    row.line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' && Trim(field).empty() && !quoted_field) {
      const int start_line = line;
      field.clear();
      quoted_field = true;
      for (++i;; ++i) {
        if (i >= text.size()) {
          return Invalid(
              fmt::format("{}:{}: a quoted field is never closed (a '\"' is missing); "
                          "{}",
                          file, start_line, kFix));
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            ++i;
            continue;
          }
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i];
      }
      // Only spaces may follow the closing quote before the separator.
      while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
      if (i + 1 < text.size() && text[i + 1] != ',' && text[i + 1] != '\r' && text[i + 1] != '\n') {
        return Invalid(
            fmt::format("{}:{}: unexpected text after a quoted field; {}", file, line, kFix));
      }
      continue;
    }
    if (c == ',') {
      end_field();
    } else if (c == '\n') {
      ++line;
      end_row();
    } else if (c == '\r') {
      // Part of CRLF, or a lone CR line end; either way the record ends here.
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_row();
    } else if (!quoted_field) {
      field += c;
    }
  }
  end_row();
  return rows;
}

std::optional<size_t> Column(const std::vector<std::string>& header, std::string_view name) {
  const std::string wanted = Lower(name);
  for (size_t i = 0; i < header.size(); ++i) {
    if (Lower(header[i]) == wanted) return i;
  }
  return std::nullopt;
}

std::string HomeDirectory() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the CLI sets no environment variables.
  const char* home = std::getenv("HOME");
  return home != nullptr ? home : "";
}

// `path` with symlinks resolved as far as it exists, made absolute.
std::filesystem::path Resolved(const std::filesystem::path& path) {
  std::error_code error;
  auto resolved = std::filesystem::weakly_canonical(std::filesystem::absolute(path, error), error);
  return error ? std::filesystem::absolute(path, error).lexically_normal() : resolved;
}

bool IsInside(const std::filesystem::path& path, const std::filesystem::path& directory) {
  auto [dir_end, path_it] =
      std::mismatch(directory.begin(), directory.end(), path.begin(), path.end());
  // A trailing separator makes the last component of `directory` empty.
  return dir_end == directory.end() || (std::next(dir_end) == directory.end() && dir_end->empty());
}

}  // namespace

Result<AccessKeyCsv> ParseAccessKeyCsv(std::string_view text, std::string_view file) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  auto rows = SplitRecords(text, file);
  if (!rows) return Fail(rows.error());
  if (rows->empty()) {
    return Invalid(fmt::format("{}: the file is empty; {}", file, kFix));
  }
  const Row& header = rows->front();
  const auto key_column = Column(header.fields, kKeyIdHeader);
  const auto secret_column = Column(header.fields, kSecretHeader);
  if (!key_column || !secret_column) {
    std::string found;
    for (const std::string& name : header.fields) {
      found += (found.empty() ? "\"" : ", \"") + name + "\"";
    }
    return Invalid(fmt::format(
        "{}:{}: the header has no \"{}\" column (found {}); an access-key file starts with the "
        "line \"Access key ID,Secret access key\"; {}",
        file, header.line, !key_column ? kKeyIdHeader : kSecretHeader, found, kFix));
  }
  if (rows->size() == 1) {
    return Invalid(fmt::format("{}:{}: the file has a header but no access key row after it; {}",
                               file, header.line, kFix));
  }
  if (rows->size() > 2) {
    return Invalid(fmt::format(
        "{}:{}: the file holds more than one access key (rows on lines {} and {}); refusing to "
        "guess which one to use: keep the one row you mean and delete the others",
        file, (*rows)[2].line, (*rows)[1].line, (*rows)[2].line));
  }
  const Row& data = (*rows)[1];
  const size_t needed = std::max(*key_column, *secret_column) + 1;
  if (data.fields.size() < needed) {
    return Invalid(
        fmt::format("{}:{}: the row has {} fields but the header names {}; the file "
                    "is cut short; {}",
                    file, data.line, data.fields.size(), header.fields.size(), kFix));
  }
  AccessKeyCsv key;
  key.access_key_id = data.fields[*key_column];
  key.secret_access_key = data.fields[*secret_column];
  if (const auto user_column = Column(header.fields, kUserHeader);
      user_column && *user_column < data.fields.size()) {
    key.user_name = data.fields[*user_column];
  }
  if (key.access_key_id.empty() || key.secret_access_key.empty()) {
    return Invalid(fmt::format("{}:{}: the \"{}\" field is empty; {}", file, data.line,
                               key.access_key_id.empty() ? kKeyIdHeader : kSecretHeader, kFix));
  }
  return key;
}

Result<AccessKeyCsv> ReadAccessKeyCsv(const std::filesystem::path& file) {
  auto text = ReadWholeFile(file);
  if (!text) return Fail(text.error());
  return ParseAccessKeyCsv(*text, file.string());
}

std::string AccessKeyCsvFileName(std::optional<std::string_view> user_name) {
  if (!user_name || user_name->empty()) return "accessKeys.csv";
  return fmt::format("{}_accessKeys.csv", *user_name);
}

Result<void> WriteAccessKeyCsv(const std::filesystem::path& file, std::string_view access_key_id,
                               std::string_view secret_access_key) {
  for (std::string_view value : {access_key_id, secret_access_key}) {
    if (value.empty() || value.find_first_of(",\"\r\n") != std::string_view::npos) {
      return Fail("InvalidParameterValue",
                  "an access key id or secret is empty or holds a comma, quote or line break");
    }
  }
  const std::string text = fmt::format("{},{}\r\n{},{}\r\n", kKeyIdHeader, kSecretHeader,
                                       access_key_id, secret_access_key);
  return WriteFileAtomically(file, text, 0600);
}

std::vector<std::string> RiskyCsvLocation(const std::filesystem::path& csv,
                                          const std::filesystem::path& project_dir) {
  std::vector<std::string> reasons;
  const std::filesystem::path file = Resolved(csv);
  const std::filesystem::path project = Resolved(project_dir);
  if (IsInside(file, project)) {
    reasons.push_back(
        fmt::format("{} is inside the project directory {}, which is shared with "
                    "everyone who gets the project; move the key to a password "
                    "manager and delete the file",
                    csv.string(), project.string()));
  }
  std::error_code error;
  for (std::filesystem::path dir = file.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / ".git", error)) {
      reasons.push_back(
          fmt::format("{} is inside the git work tree {}, one `git add` away from "
                      "a commit; move it out of the repository",
                      csv.string(), dir.string()));
      break;
    }
    if (dir == dir.root_path()) break;
  }
  if (const std::string home = HomeDirectory(); !home.empty()) {
    const std::filesystem::path downloads = Resolved(std::filesystem::path(home) / "Downloads");
    if (IsInside(file, downloads)) {
      reasons.push_back(
          fmt::format("{} is in {}, where downloads pile up and are often synced "
                      "or backed up; delete it once the key is configured",
                      csv.string(), downloads.string()));
    }
  }
  return reasons;
}

}  // namespace fulcrum::cli
