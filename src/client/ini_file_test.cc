#include "client/ini_file.h"

#include <gtest/gtest.h>

#include "client/client_test_support.h"

namespace fulcrum::client {
namespace {

TEST(IniFileTest, ParsesSectionsSettingsAndNestedSettings) {
  const auto file = IniFile::Parse(
      "\xEF\xBB\xBF# comment\n"
      "[default]\n"
      "region = eu-west-1\n"
      "Output=json\n"
      "; another comment\n"
      "\n"
      "[profile  dev ]\r\n"
      "aws_access_key_id = AKIAEXAMPLE\r\n"
      "endpoint_url = http://127.0.0.1:4566 # not a comment\n"
      "s3 =\n"
      "  max_concurrent_requests = 10\n"
      "[services local]\n"
      "iam =\n"
      "    endpoint_url = http://127.0.0.1:1\n"
      "sts =\n"
      "    endpoint_url = http://127.0.0.1:2\n"
      "[default]\n"
      "region = us-east-2\n",
      "config");
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_EQ(file->Get("default", "region"), "us-east-2");  // A later duplicate section wins.
  EXPECT_EQ(file->Get("default", "output"), "json");       // Keys are lower-cased.
  EXPECT_EQ(file->Get("profile dev", "aws_access_key_id"), "AKIAEXAMPLE");
  EXPECT_EQ(file->Get("profile dev", "endpoint_url"), "http://127.0.0.1:4566 # not a comment");
  EXPECT_EQ(file->Get("profile dev", "s3.max_concurrent_requests"), "10");
  EXPECT_EQ(file->Get("services local", "iam.endpoint_url"), "http://127.0.0.1:1");
  EXPECT_EQ(file->Get("services local", "sts.endpoint_url"), "http://127.0.0.1:2");
  EXPECT_EQ(file->Get("profile dev", "missing"), std::nullopt);
  EXPECT_EQ(file->Get("missing", "region"), std::nullopt);
  EXPECT_EQ(file->sections().size(), 3u);
}

TEST(IniFileTest, RejectsMalformedLines) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"region = us-east-1\n", "f:1: a setting before any [section]"},
      {"[default\n", "f:1: a section header must end with ']'"},
      {"[default]\nregion\n", "f:2: expected 'key = value' or '[section]'"},
      {"[default]\n = x\n", "f:2: a setting without a name"},
  };
  for (const auto& c : cases) {
    const auto file = IniFile::Parse(c.text, "f");
    ASSERT_FALSE(file.has_value()) << c.text;
    EXPECT_EQ(file.error().code, "InvalidConfigFile");
    EXPECT_EQ(file.error().message, c.message);
  }
}

TEST(IniFileTest, LoadTreatsAMissingFileAsEmpty) {
  testing::TempDir dir;
  const auto missing = IniFile::Load(dir.path() / "absent");
  ASSERT_TRUE(missing.has_value());
  EXPECT_TRUE(missing->sections().empty());

  dir.Write("credentials", "[default]\naws_access_key_id = AKIA\n");
  const auto present = IniFile::Load(dir.path() / "credentials");
  ASSERT_TRUE(present.has_value());
  EXPECT_EQ(present->Get("default", "aws_access_key_id"), "AKIA");

  dir.Write("empty", "");
  const auto empty = IniFile::Load(dir.path() / "empty");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->sections().empty());
}

}  // namespace
}  // namespace fulcrum::client
