#include "cli/aws_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "cli/ini_editor.h"
#include "client/ini_file.h"
#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

using ::testing::HasSubstr;

std::filesystem::path FreshHome(const std::string& name) {
  const auto home = std::filesystem::path(::testing::TempDir()) / ("aws_files_" + name);
  std::filesystem::remove_all(home);
  std::filesystem::create_directories(home);
  ::setenv("HOME", home.c_str(), 1);
  return home;
}

mode_t Mode(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

std::string Read(const std::filesystem::path& path) { return ReadWholeFile(path).value(); }

TEST(IniEditorTest, SetKeepsEverythingItDoesNotEdit) {
  struct Case {
    const char* name;
    std::string before;
    std::string section;
    IniValues values;
    std::string after;
  };
  const Case cases[] = {
      {"new section in an empty file", "", "a", {{"k", "v"}}, "[a]\nk = v\n"},
      {"new section after others, no final newline",
       "# top\n[x]\nk=1",
       "a",
       {{"k", "v"}},
       "# top\n[x]\nk=1\n\n[a]\nk = v\n"},
      {"replace one key in place, keep spacing of others",
       "[a]\nregion=us-east-1 \n  # note\noutput   =   text\n\n[b]\noutput = text\n",
       "a",
       {{"output", "json"}},
       "[a]\nregion=us-east-1 \n  # note\noutput = json\n\n[b]\noutput = text\n"},
      {"add a key after the last key, before the next section's comment",
       "[a]\nregion = us-east-1\n\n# b is for builds\n[b]\n",
       "a",
       {{"output", "json"}},
       "[a]\nregion = us-east-1\noutput = json\n\n# b is for builds\n[b]\n"},
      {"replace a nested value and its continuation lines",
       "[a]\ns3 =\n  max_concurrent_requests = 10\nregion = x\n",
       "a",
       {{"s3", "off"}},
       "[a]\ns3 = off\nregion = x\n"},
      {"CRLF file gets CRLF lines",
       "[a]\r\nk = 1\r\n",
       "b",
       {{"k", "2"}},
       "[a]\r\nk = 1\r\n\r\n[b]\r\nk = 2\r\n"},
      {"section name with spaces inside brackets",
       "[ profile me-x ]\nregion = a\n",
       "profile me-x",
       {{"region", "b"}},
       "[ profile me-x ]\nregion = b\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto ini = IniEditor::Parse(c.before, "f");
    ASSERT_TRUE(ini.has_value());
    ini->Set(c.section, c.values);
    EXPECT_EQ(ini->Text(), c.after);
  }
}

TEST(IniEditorTest, WhatItWritesReadsBackAsTheAwsCliReadsIt) {
  auto ini = IniEditor::Parse("[a]\n; c\nk = v = w\n[b]\n", "f");
  ASSERT_TRUE(ini.has_value());
  ini->Set("a", {{"x", "y"}});
  ini->Set("c", {{"region", "eu-west-1"}});
  const auto read = client::IniFile::Parse(ini->Text(), "f");
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->Get("a", "k"), "v = w");
  EXPECT_EQ(read->Get("a", "x"), "y");
  ASSERT_NE(read->Find("b"), nullptr);
  EXPECT_TRUE(read->Find("b")->empty());
  EXPECT_EQ(read->Get("c", "region"), "eu-west-1");
}

TEST(IniEditorTest, RefusesDuplicateSections) {
  const auto duplicate = IniEditor::Parse("[a]\n[b]\n[a]\n", "config");
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_THAT(duplicate.error().message, HasSubstr("config:3: section [a] appears again (first on "
                                                   "line 1)"));
}

TEST(AwsFilesTest, PathsAndNamesFollowLeverage) {
  FreshHome("paths");
  const AwsFiles files = ProjectAwsFiles("me").value();
  EXPECT_EQ(files.directory, std::filesystem::path(std::getenv("HOME")) / ".aws" / "me");
  EXPECT_EQ(files.config.filename(), "config");
  EXPECT_EQ(files.credentials.filename(), "credentials");
  EXPECT_EQ(ProfileName("me", "BOOTSTRAP"), "me-bootstrap");
  EXPECT_EQ(ConfigSectionName("me-bootstrap"), "profile me-bootstrap");
  EXPECT_EQ(ConfigSectionName("default"), "default");
}

TEST(AwsFilesTest, UpsertCreatesPrivateFilesAndReadsBack) {
  const auto home = FreshHome("create");
  const AwsFiles files = ProjectAwsFilesIn(home, "me");
  ProfileConfig config{"us-east-1", "json", {{"endpoint_url", "http://127.0.0.1:4566"}}};
  ASSERT_TRUE(UpsertStaticProfile(files, "me-bootstrap", "AKIA1", "secret1", config).has_value());

  EXPECT_EQ(Read(files.credentials),
            "[me-bootstrap]\naws_access_key_id = AKIA1\naws_secret_access_key = secret1\n");
  EXPECT_EQ(Read(files.config),
            "[profile me-bootstrap]\nregion = us-east-1\noutput = json\n"
            "endpoint_url = http://127.0.0.1:4566\n");
  EXPECT_EQ(Mode(files.directory), 0700u);
  EXPECT_EQ(Mode(home / ".aws"), 0700u);
  EXPECT_EQ(Mode(files.credentials), 0600u);
  EXPECT_EQ(Mode(files.config), 0600u);
  EXPECT_FALSE(std::filesystem::exists(files.credentials.string() + ".bkp"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(files.directory),
                          std::filesystem::directory_iterator()),
            2);

  const auto profile = ReadProfile(files, "me-bootstrap").value();
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->Get("aws_access_key_id"), "AKIA1");
  EXPECT_EQ(profile->Get("region"), "us-east-1");
  EXPECT_EQ(profile->Get("role_arn"), std::nullopt);
  EXPECT_FALSE(ReadProfile(files, "me-management").value().has_value());
}

TEST(AwsFilesTest, UpsertKeepsOtherProfilesByteForByteAndBacksUp) {
  const auto home = FreshHome("update");
  const AwsFiles files = ProjectAwsFilesIn(home, "me");
  std::filesystem::create_directories(files.directory);
  ::chmod(files.directory.c_str(), 0755);
  const std::string other_credentials =
      "# keys from 2023\r\n[me-security]\r\naws_access_key_id=AKIAOLD\r\n"
      "aws_secret_access_key =  s/e+c\r\n\r\n";
  const std::string credentials_before = other_credentials +
                                         "[me-bootstrap]\r\naws_access_key_id = AKIA0\r\n"
                                         "aws_secret_access_key = secret0\r\n";
  const std::string config_before =
      "[default]\nregion = eu-west-1\n\n[profile me-shared-oaar]\noutput = json\n"
      "role_arn = arn:aws:iam::123456789012:role/OrganizationAccountAccessRole\n"
      "source_profile = me-bootstrap\n";
  ASSERT_TRUE(WriteFileAtomically(files.credentials, credentials_before, 0644).has_value());
  ASSERT_TRUE(WriteFileAtomically(files.config, config_before, 0644).has_value());

  ASSERT_TRUE(UpsertStaticProfile(files, "me-bootstrap", "AKIA1", "secret1",
                                  ProfileConfig{"us-east-1", "json", {}})
                  .has_value());

  const std::string credentials_after = Read(files.credentials);
  EXPECT_TRUE(credentials_after.starts_with(other_credentials)) << credentials_after;
  EXPECT_EQ(credentials_after, other_credentials +
                                   "[me-bootstrap]\r\naws_access_key_id = AKIA1\r\n"
                                   "aws_secret_access_key = secret1\r\n");
  EXPECT_EQ(Read(files.config), config_before +
                                    "\n[profile me-bootstrap]\nregion = us-east-1\n"
                                    "output = json\n");
  EXPECT_EQ(Read(files.credentials.string() + ".bkp"), credentials_before);
  EXPECT_EQ(Read(files.config.string() + ".bkp"), config_before);
  for (const auto& path :
       {files.credentials, files.config, std::filesystem::path(files.credentials.string() + ".bkp"),
        std::filesystem::path(files.config.string() + ".bkp")}) {
    EXPECT_EQ(Mode(path), 0600u) << path;
  }
  EXPECT_EQ(Mode(files.directory), 0700u);

  // Writing the same values again changes nothing, keeps the backup, and still fixes modes.
  ::chmod(files.credentials.c_str(), 0644);
  ASSERT_TRUE(UpsertStaticProfile(files, "me-bootstrap", "AKIA1", "secret1",
                                  ProfileConfig{"us-east-1", "json", {}})
                  .has_value());
  EXPECT_EQ(Read(files.credentials.string() + ".bkp"), credentials_before);
  EXPECT_EQ(Mode(files.credentials), 0600u);
}

TEST(AwsFilesTest, UpsertRefusesWhatWouldCorruptTheFile) {
  const auto home = FreshHome("refuse");
  const AwsFiles files = ProjectAwsFilesIn(home, "me");
  EXPECT_EQ(UpsertIniSection(files.config, "profile x", {{"region", "a\nb"}}).error().code,
            "InvalidParameterValue");
  EXPECT_EQ(UpsertIniSection(files.config, "profile ]x", {{"region", "a"}}).error().code,
            "InvalidParameterValue");
  EXPECT_EQ(UpsertIniSection(files.config, "x", {{"a=b", "c"}}).error().code,
            "InvalidParameterValue");
  std::filesystem::create_directories(files.directory);
  const std::string duplicated = "[profile x]\n[profile x]\n";
  ASSERT_TRUE(WriteFileAtomically(files.config, duplicated, 0600).has_value());
  const auto result = UpsertIniSection(files.config, "profile x", {{"region", "a"}});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "InvalidConfigFile");
  EXPECT_EQ(Read(files.config), duplicated);
}

}  // namespace
}  // namespace fulcrum::cli
