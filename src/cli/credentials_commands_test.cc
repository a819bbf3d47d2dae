#include "cli/credentials_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "cli/aws_files.h"
#include "cli/project.h"
#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kKeyId[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kAccount[] = "123456789012";

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

// A HOME, a project directory with project.yaml, and a fake STS that knows one key.
class CredentialsConfigureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) /
            ("credentials_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "home");
    std::filesystem::create_directories(root_ / "project");
    std::filesystem::create_directories(root_ / "keys");
    ProjectSettings settings{"myexample", "me", "example.com"};
    ASSERT_TRUE(
        WriteFileAtomically(project_file(), RenderProjectYaml(DefaultProject(settings)), 0644));
    files_ = ProjectAwsFilesIn(root_ / "home", "me");
  }

  std::filesystem::path project_file() const { return root_ / "project" / "project.yaml"; }

  std::filesystem::path WriteCsv(const std::string& name, const std::string& text) {
    const auto path = root_ / "keys" / name;
    EXPECT_TRUE(WriteFileAtomically(path, text, 0600));
    return path;
  }

  CredentialsConfigureOptions Options(const std::filesystem::path& csv) const {
    CredentialsConfigureOptions options;
    options.type = "bootstrap";
    options.credentials_file = csv;
    options.project_dir = root_ / "project";
    options.endpoint_url = "http://127.0.0.1:9";
    return options;
  }

  Outcome Configure(const CredentialsConfigureOptions& options, const std::string& input = "",
                    bool interactive = false) {
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    const client::Environment environment{{"HOME", (root_ / "home").string()}};
    const KeyValidator validate =
        [this](const client::ClientOverrides& overrides,
               const client::Environment& env) -> Result<client::CallerIdentity> {
      ++calls_;
      seen_config_file_ = env.at("AWS_CONFIG_FILE");
      seen_endpoint_ = overrides.endpoint_url.value_or("");
      const auto& credentials = *overrides.credentials;
      if (credentials.access_key_id != kKeyId) {
        return Fail("InvalidClientTokenId",
                    "The security token included in the request is invalid.");
      }
      if (credentials.secret_access_key != kSecret) {
        return Fail(Error{"SignatureDoesNotMatch",
                          "The request signature we calculated does not match",
                          {{"endpoint", "http://127.0.0.1:9/"}}});
      }
      return client::CallerIdentity{kAccount, "arn:aws:iam::123456789012:user/mgmt-org-admin",
                                    "AIDAEXAMPLE"};
    };
    const int code = RunCredentialsConfigure(options, CommandIo{in, out, err, interactive},
                                             environment, validate);
    return {code, out.str(), err.str()};
  }

  // Every file under HOME and the project, with its contents.
  std::map<std::string, std::string> Snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
      if (entry.is_regular_file())
        files[entry.path().string()] = ReadWholeFile(entry.path()).value();
    }
    return files;
  }

  static mode_t Mode(const std::filesystem::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }

  std::filesystem::path root_;
  AwsFiles files_;
  int calls_ = 0;
  std::string seen_config_file_;
  std::string seen_endpoint_;
};

TEST_F(CredentialsConfigureTest, WritesTheProfilePrivatelyAndRecordsTheAccount) {
  const auto csv = WriteCsv("me_accessKeys.csv", std::string("\xEF\xBB\xBF") +
                                                     "Access key ID,Secret access key\r\n" +
                                                     kKeyId + "," + kSecret + "\r\n");
  const Outcome outcome = Configure(Options(csv));
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(seen_config_file_, files_.config.string());
  EXPECT_EQ(seen_endpoint_, "http://127.0.0.1:9");
  const std::string credentials = ReadWholeFile(files_.credentials).value();
  EXPECT_THAT(credentials, HasSubstr("[me-bootstrap]"));
  EXPECT_THAT(credentials, HasSubstr(kSecret));
  const std::string config = ReadWholeFile(files_.config).value();
  EXPECT_THAT(config, HasSubstr("[profile me-bootstrap]"));
  EXPECT_THAT(config, HasSubstr("region = us-east-1"));
  EXPECT_THAT(config, HasSubstr("endpoint_url = http://127.0.0.1:9"));
  EXPECT_EQ(Mode(files_.credentials), 0600u);
  EXPECT_EQ(Mode(files_.config), 0600u);
  EXPECT_EQ(Mode(files_.directory), 0700u);
  EXPECT_THAT(ReadWholeFile(project_file()).value(), HasSubstr("'123456789012'"));
  EXPECT_THAT(outcome.out + outcome.err, Not(HasSubstr(kSecret)));
  EXPECT_TRUE(std::filesystem::exists(csv));  // kept: not interactive, no --delete-csv
}

TEST_F(CredentialsConfigureTest, RefusesToReplaceAProfileUnlessAsked) {
  const auto csv = WriteCsv(
      "a.csv", std::string("Access key ID,Secret access key\n") + kKeyId + "," + kSecret + "\n");
  ASSERT_EQ(Configure(Options(csv)).code, kExitOk);
  const auto before = Snapshot();
  const Outcome refused = Configure(Options(csv));
  EXPECT_EQ(refused.code, kExitProblems);
  EXPECT_THAT(refused.err, HasSubstr("--overwrite-existing-credentials"));
  EXPECT_EQ(Snapshot(), before);

  CredentialsConfigureOptions overwrite = Options(csv);
  overwrite.overwrite_existing_credentials = true;
  overwrite.region = "us-west-2";
  const Outcome replaced = Configure(overwrite);
  ASSERT_EQ(replaced.code, kExitOk) << replaced.err;
  EXPECT_THAT(ReadWholeFile(files_.config).value(), HasSubstr("region = us-west-2"));
  EXPECT_TRUE(std::filesystem::exists(files_.config.string() + ".bkp"));
}

TEST_F(CredentialsConfigureTest, FailuresNameTheCauseAndChangeNoFile) {
  const auto good = WriteCsv(
      "good.csv", std::string("Access key ID,Secret access key\n") + kKeyId + "," + kSecret + "\n");
  ASSERT_EQ(Configure(Options(good)).code, kExitOk);
  struct FailureCase {
    const char* name;
    std::string csv;
    const char* message;
  };
  const FailureCase cases[] = {
      {"wrong secret",
       std::string("\nAccess key ID,Secret access key\n") + kKeyId + ",wrongwrongwrong\n",
       "does not match the key id"},
      {"unknown key", std::string("Access key ID,Secret access key\nAKIAOTHER,") + kSecret + "\n",
       "InvalidClientTokenId"},
      {"missing column", std::string("Access key ID\n") + kKeyId + "\n", "Secret access key"},
      {"empty file", "", "empty.csv"},
  };
  for (const FailureCase& c : cases) {
    SCOPED_TRACE(c.name);
    const auto csv = WriteCsv(std::string(c.name) == "empty file" ? "empty.csv" : "bad.csv", c.csv);
    const auto before = Snapshot();
    CredentialsConfigureOptions options = Options(csv);
    options.overwrite_existing_credentials = true;
    const Outcome outcome = Configure(options);
    EXPECT_EQ(outcome.code, kExitProblems);
    EXPECT_THAT(outcome.err, HasSubstr(c.message));
    EXPECT_EQ(Snapshot(), before);
  }
  // The wrong secret's row is on line 3 (after a blank line and the header).
  const auto csv = WriteCsv(
      "line.csv", std::string("\nAccess key ID,Secret access key\n") + kKeyId + ",wrong\n");
  CredentialsConfigureOptions options = Options(csv);
  options.overwrite_existing_credentials = true;
  const Outcome outcome = Configure(options);
  EXPECT_THAT(outcome.err, HasSubstr(csv.string() + " line 3 does not match"));
  EXPECT_THAT(outcome.err, HasSubstr("STS GetCallerIdentity at http://127.0.0.1:9/ failed"));
  EXPECT_THAT(outcome.err, HasSubstr("No file was changed"));
}

TEST_F(CredentialsConfigureTest, WithoutAFileOnANonTerminalNamesTheFlag) {
  const Outcome outcome = Configure(Options(""));
  EXPECT_EQ(outcome.code, kExitUsage);
  EXPECT_THAT(outcome.err, HasSubstr("--credentials-file"));
  EXPECT_EQ(calls_, 0);
}

TEST_F(CredentialsConfigureTest, PromptsOnATerminal) {
  const Outcome outcome =
      Configure(Options(""), std::string(kKeyId) + "\n" + kSecret + "\n", /*interactive=*/true);
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  EXPECT_THAT(outcome.err, HasSubstr("Secret access key"));
  EXPECT_THAT(outcome.out + outcome.err, Not(HasSubstr(kSecret)));
  EXPECT_THAT(ReadWholeFile(files_.credentials).value(), HasSubstr(kSecret));
}

TEST_F(CredentialsConfigureTest, SkipAccessKeysSetupRewritesOnlyTheConfig) {
  CredentialsConfigureOptions skip = Options("");
  skip.skip_access_keys_setup = true;
  EXPECT_EQ(Configure(skip).code, kExitProblems);  // no keys yet

  const auto csv = WriteCsv(
      "a.csv", std::string("Access key ID,Secret access key\n") + kKeyId + "," + kSecret + "\n");
  ASSERT_EQ(Configure(Options(csv)).code, kExitOk);
  const std::string credentials = ReadWholeFile(files_.credentials).value();
  skip.region = "eu-west-1";
  const Outcome outcome = Configure(skip);
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  EXPECT_EQ(ReadWholeFile(files_.credentials).value(), credentials);
  EXPECT_THAT(ReadWholeFile(files_.config).value(), HasSubstr("region = eu-west-1"));
}

TEST_F(CredentialsConfigureTest, WarnsAboutARiskyCsvAndDeletesItWhenAsked) {
  const auto csv = root_ / "project" / "me_accessKeys.csv";
  ASSERT_TRUE(WriteFileAtomically(
      csv, std::string("Access key ID,Secret access key\n") + kKeyId + "," + kSecret + "\n", 0600));
  CredentialsConfigureOptions options = Options(csv);
  options.delete_csv = true;
  const Outcome outcome = Configure(options);
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  EXPECT_THAT(outcome.err, HasSubstr("warning: "));
  EXPECT_THAT(outcome.err, HasSubstr("inside the project directory"));
  EXPECT_FALSE(std::filesystem::exists(csv));

  // On a terminal, "y" deletes it too.
  ASSERT_TRUE(WriteFileAtomically(
      csv, std::string("Access key ID,Secret access key\n") + kKeyId + "," + kSecret + "\n", 0600));
  options.delete_csv.reset();
  options.overwrite_existing_credentials = true;
  const Outcome asked = Configure(options, "y\n", /*interactive=*/true);
  ASSERT_EQ(asked.code, kExitOk) << asked.err;
  EXPECT_THAT(asked.err, HasSubstr("Delete"));
  EXPECT_FALSE(std::filesystem::exists(csv));
}

TEST_F(CredentialsConfigureTest, RefusesKeysOfAnotherManagementAccount) {
  ASSERT_TRUE(SetManagementAccountId(project_file(), "999999999999"));
  const auto csv = WriteCsv(
      "a.csv", std::string("Access key ID,Secret access key\n") + kKeyId + "," + kSecret + "\n");
  const auto before = Snapshot();
  const Outcome outcome = Configure(Options(csv));
  EXPECT_EQ(outcome.code, kExitProblems);
  EXPECT_THAT(outcome.err, HasSubstr("999999999999"));
  EXPECT_EQ(Snapshot(), before);
}

TEST(AwsInvocationTest, PointsTheAwsCliAtTheProjectFiles) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "aws_invocation";
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomically(
      dir / "project.yaml", RenderProjectYaml(DefaultProject({"myexample", "me", "example.com"})),
      0644));
  AwsPassthroughOptions options;
  options.project_dir = dir;
  options.endpoint_url = "http://127.0.0.1:1";
  options.args = {"sts", "get-caller-identity"};
  const auto invocation =
      PrepareAwsInvocation(options, {{"HOME", "/h"}, {"FULCRUM_AWS_CLI", "/usr/bin/aws"}});
  ASSERT_TRUE(invocation) << invocation.error().message;
  EXPECT_EQ(invocation->argv,
            (std::vector<std::string>{"/usr/bin/aws", "--endpoint-url", "http://127.0.0.1:1", "sts",
                                      "get-caller-identity"}));
  EXPECT_EQ(invocation->environment,
            (std::vector<std::pair<std::string, std::string>>{
                {"AWS_CONFIG_FILE", "/h/.aws/me/config"},
                {"AWS_SHARED_CREDENTIALS_FILE", "/h/.aws/me/credentials"}}));
  options.project_dir = dir / "missing";
  EXPECT_FALSE(PrepareAwsInvocation(options, {{"HOME", "/h"}}));
}

TEST(AwsInvocationTest, PassesTheProfilesEndpointAsAFlag) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "aws_invocation_endpoint";
  const auto home = dir / "home";
  std::filesystem::create_directories(home);
  ASSERT_TRUE(WriteFileAtomically(
      dir / "project.yaml", RenderProjectYaml(DefaultProject({"myexample", "me", "example.com"})),
      0644));
  const AwsFiles files = ProjectAwsFilesIn(home, "me");
  ASSERT_TRUE(
      UpsertStaticProfile(files, "me-bootstrap", "AKIAEXAMPLEEXAMPLE01", "secret",
                          ProfileConfig{.region = "us-east-1",
                                        .output = "json",
                                        .extra = {{"endpoint_url", "http://127.0.0.1:4599"}}}));
  const client::Environment environment{{"HOME", home.string()}, {"FULCRUM_AWS_CLI", "aws"}};
  struct Case {
    std::string name;
    std::string profile_option;
    std::vector<std::string> args;
    std::vector<std::string> argv;
  };
  const std::vector<Case> cases = {
      {"--profile before --",
       "me-bootstrap",
       {"sts", "get-caller-identity"},
       {"aws", "--endpoint-url", "http://127.0.0.1:4599", "sts", "get-caller-identity"}},
      {"--profile among the AWS CLI's arguments",
       "",
       {"--profile", "me-bootstrap", "iam", "list-users"},
       {"aws", "--endpoint-url", "http://127.0.0.1:4599", "--profile", "me-bootstrap", "iam",
        "list-users"}},
      {"the arguments name their own endpoint",
       "me-bootstrap",
       {"--endpoint-url", "http://x:1", "sts", "get-caller-identity"},
       {"aws", "--endpoint-url", "http://x:1", "sts", "get-caller-identity"}},
      {"a profile without endpoint_url",
       "other",
       {"sts", "get-caller-identity"},
       {"aws", "sts", "get-caller-identity"}},
  };
  for (const Case& c : cases) {
    AwsPassthroughOptions options;
    options.project_dir = dir;
    options.profile = c.profile_option;
    options.args = c.args;
    const auto invocation = PrepareAwsInvocation(options, environment);
    ASSERT_TRUE(invocation) << c.name << ": " << invocation.error().message;
    EXPECT_EQ(invocation->argv, c.argv) << c.name;
  }
}

}  // namespace
}  // namespace fulcrum::cli
