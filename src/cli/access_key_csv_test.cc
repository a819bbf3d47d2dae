#include "cli/access_key_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kId = "AKIAIOSFODNN7EXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

std::filesystem::path FreshDir(const std::string& name) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / ("csv_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return std::filesystem::canonical(dir);
}

TEST(AccessKeyCsvTest, ReadsEveryLayoutAndSpelling) {
  struct Case {
    const char* name;
    std::string text;
    std::string user;
  };
  const std::string k = kId;
  const std::string s = kSecret;
  const Case cases[] = {
      {"current layout, LF", "Access key ID,Secret access key\n" + k + "," + s + "\n", ""},
      {"current layout, CRLF", "Access key ID,Secret access key\r\n" + k + "," + s + "\r\n", ""},
      {"byte order mark",
       "\xEF\xBB\xBF"
       "Access key ID,Secret access key\r\n" +
           k + "," + s + "\r\n",
       ""},
      {"no final line end", "Access key ID,Secret access key\n" + k + "," + s, ""},
      {"trailing empty lines", "Access key ID,Secret access key\n" + k + "," + s + "\n\n \r\n\n",
       ""},
      {"stray spaces", " Access key ID , Secret access key \n " + k + " ,\t" + s + " \n", ""},
      {"quoted fields", "\"Access key ID\",\"Secret access key\"\n\"" + k + "\", \"" + s + "\"\n",
       ""},
      {"header in another case", "ACCESS KEY ID,secret access key\n" + k + "," + s + "\n", ""},
      {"older layout",
       "User name,Password,Access key ID,Secret access key,Console login link\n"
       "mgmt-org-admin,\"p,a\"\"ss\",AKIAIOSFODNN7EXAMPLE," +
           s + ",https://123456789012.signin.aws.amazon.com/console\n",
       "mgmt-org-admin"},
      {"columns in another order", "Secret access key,Access key ID\n" + s + "," + k + "\n", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto key = ParseAccessKeyCsv(c.text, "keys.csv");
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(key->access_key_id, kId);
    EXPECT_EQ(key->secret_access_key, kSecret);
    EXPECT_EQ(key->user_name, c.user);
  }
}

TEST(AccessKeyCsvTest, ErrorsNameTheFileTheLineAndTheFix) {
  struct Case {
    const char* name;
    std::string text;
    std::string message;  // expected prefix and a fragment
    std::string fragment;
  };
  const Case cases[] = {
      {"empty file", "", "keys.csv: the file is empty", "download the key's .csv again"},
      {"only a byte order mark and blank lines", "\xEF\xBB\xBF\r\n\r\n",
       "keys.csv: the file is empty", "IAM console"},
      {"header only", "Access key ID,Secret access key\r\n",
       "keys.csv:1: the file has a header but no access key row", "download"},
      {"missing secret column", "User name,Access key ID\nbob,AKIA\n",
       "keys.csv:1: the header has no \"Secret access key\" column",
       "found \"User name\", "
       "\"Access key ID\""},
      {"missing key id column", "\n\nSecret access key\nx\n",
       "keys.csv:3: the header has no \"Access key ID\" column", "Access key ID,Secret access key"},
      {"console sign-in file instead of keys",
       "User name,Password,Console sign-in URL\nbob,pw,https://x\n",
       "keys.csv:1: the header has no \"Access key ID\" column", "create a new access key"},
      {"two keys", "Access key ID,Secret access key\nA,B\n\nC,D\n",
       "keys.csv:4: the file holds more than one access key (rows on lines 2 and 4)",
       "refusing to guess"},
      {"short row", "Access key ID,Secret access key\nAKIA\n",
       "keys.csv:2: the row has 1 fields but the header names 2", "cut short"},
      {"empty secret", "Access key ID,Secret access key\nAKIA, \n",
       "keys.csv:2: the \"Secret access key\" field is empty", "download"},
      {"unclosed quote", "Access key ID,Secret access key\n\"AKIA,B\n",
       "keys.csv:2: a quoted field is never closed", "download"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto key = ParseAccessKeyCsv(c.text, "keys.csv");
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, "InvalidAccessKeyFile");
    EXPECT_THAT(key.error().message, ::testing::StartsWith(c.message));
    EXPECT_THAT(key.error().message, HasSubstr(c.fragment));
  }
}

TEST(AccessKeyCsvTest, WritesTheConsoleFormatPrivatelyAndReadsItBack) {
  const auto dir = FreshDir("write");
  const auto file = dir / AccessKeyCsvFileName("mgmt-org-admin");
  EXPECT_EQ(file.filename(), "mgmt-org-admin_accessKeys.csv");
  EXPECT_EQ(AccessKeyCsvFileName(std::nullopt), "accessKeys.csv");
  ASSERT_TRUE(WriteFileAtomically(file, "old", 0644).has_value());

  ASSERT_TRUE(WriteAccessKeyCsv(file, kId, kSecret).has_value());
  EXPECT_EQ(ReadWholeFile(file).value(),
            std::string("Access key ID,Secret access key\r\n") + kId + "," + kSecret + "\r\n");
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  const auto key = ReadAccessKeyCsv(file);
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(key->access_key_id, kId);
  // Nothing but the file itself is left in the directory.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1);

  EXPECT_EQ(WriteAccessKeyCsv(file, "A,B", kSecret).error().code, "InvalidParameterValue");
  EXPECT_EQ(WriteAccessKeyCsv(file, kId, "").error().code, "InvalidParameterValue");
  EXPECT_EQ(ReadAccessKeyCsv(dir / "missing.csv").error().code, "NoSuchFile");
}

TEST(AccessKeyCsvTest, RiskyLocations) {
  const auto root = FreshDir("risky");
  const auto home = root / "home";
  const auto project = root / "work" / "myexample";
  const auto elsewhere = root / "vault";
  std::filesystem::create_directories(home / "Downloads");
  std::filesystem::create_directories(project / ".git");
  std::filesystem::create_directories(root / "repo" / "sub");
  std::filesystem::create_directories(elsewhere);
  // A worktree or submodule has a .git file, not a directory.
  ASSERT_TRUE(WriteFileAtomically(root / "repo" / ".git", "gitdir: /x\n", 0644).has_value());
  ::setenv("HOME", home.c_str(), 1);

  struct Case {
    std::filesystem::path csv;
    std::vector<std::string> fragments;
  };
  const Case cases[] = {
      {elsewhere / "keys.csv", {}},
      {project / "keys.csv", {"inside the project directory", "git work tree"}},
      {project / "config" / "keys.csv", {"inside the project directory", "git work tree"}},
      {root / "repo" / "sub" / "keys.csv", {"git work tree " + (root / "repo").string()}},
      {home / "Downloads" / "bootstrap_accessKeys.csv", {"Downloads"}},
      // A sibling whose name starts like the project is not inside it.
      {root / "work" / "myexample-old" / "keys.csv", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.csv.string());
    const auto reasons = RiskyCsvLocation(c.csv, project);
    ASSERT_EQ(reasons.size(), c.fragments.size()) << ::testing::PrintToString(reasons);
    for (size_t i = 0; i < reasons.size(); ++i) {
      EXPECT_THAT(reasons[i], HasSubstr(c.fragments[i]));
    }
  }
  // Relative paths and symlinks resolve before comparing.
  std::filesystem::create_directory_symlink(project, root / "link");
  EXPECT_THAT(RiskyCsvLocation(root / "link" / "keys.csv", project), ::testing::SizeIs(2));
  EXPECT_THAT(RiskyCsvLocation(elsewhere / "keys.csv", root / "link"), IsEmpty());
}

}  // namespace
}  // namespace fulcrum::cli
