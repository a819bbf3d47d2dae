#include "cli/project_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "cli/project.h"
#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

using ::testing::HasSubstr;

std::filesystem::path FreshDir(const std::string& name) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / ("commands_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome Init(const ProjectInitOptions& options, const std::string& input = "",
             bool interactive = false) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunProjectInit(options, CommandIo{in, out, err, interactive});
  return {code, out.str(), err.str()};
}

Outcome Validate(const ProjectValidateOptions& options) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunProjectValidate(options, CommandIo{in, out, err, false});
  return {code, out.str(), err.str()};
}

TEST(ProjectCommandsTest, InitWritesAValidFileAndRefusesToOverwrite) {
  ProjectInitOptions options;
  options.project_name = "myexample";
  options.short_name = "me";
  options.domain = "example.com";
  options.dir = FreshDir("init") / "myexample";
  const Outcome first = Init(options);
  ASSERT_EQ(first.code, kExitOk) << first.err;
  const auto file = options.dir / "project.yaml";
  const std::string text = ReadWholeFile(file).value();
  EXPECT_THAT(text, HasSubstr("email: myexample-aws+shared@example.com"));
  EXPECT_THAT(text, HasSubstr("primary_region: us-east-1"));
  EXPECT_EQ(Validate({file, "text"}).out, file.string() + ": OK\n");

  options.short_name = "mx";
  const Outcome second = Init(options);
  EXPECT_EQ(second.code, kExitProblems);
  EXPECT_THAT(second.err, HasSubstr("already exists; pass --force"));
  EXPECT_EQ(ReadWholeFile(file).value(), text);
  options.force = true;
  EXPECT_EQ(Init(options).code, kExitOk);
  EXPECT_THAT(ReadWholeFile(file).value(), HasSubstr("short_name: mx"));
}

TEST(ProjectCommandsTest, InitUsageErrors) {
  ProjectInitOptions options;
  options.dir = FreshDir("usage");
  options.domain = "example.com";
  const Outcome missing = Init(options);
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("missing --project-name, --short-name; stdin is not a "
                                     "terminal"));

  options.project_name = "myexample";
  options.short_name = "ABCDE";
  options.primary_region = "us-east-9";
  const Outcome invalid = Init(options);
  EXPECT_EQ(invalid.code, kExitUsage);
  EXPECT_THAT(invalid.err, HasSubstr("--short-name \"ABCDE\" must be 2-4 lowercase letters"));
  EXPECT_THAT(invalid.err, HasSubstr("--primary-region \"us-east-9\" is not an AWS region"));
  EXPECT_FALSE(std::filesystem::exists(options.dir / "project.yaml"));
}

TEST(ProjectCommandsTest, InitAsksForMissingValuesOnATerminal) {
  ProjectInitOptions options;
  options.dir = FreshDir("prompt");
  // A bad short name is asked again; an empty region answer takes the default.
  const Outcome run = Init(options, "myexample\nME\nme\nexample.com\n\neu-west-1\n", true);
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_THAT(run.err, HasSubstr("\"ME\" must be 2-4 lowercase letters"));
  const auto project = LoadProject(options.dir / "project.yaml");
  ASSERT_TRUE(project.has_value()) << project.error().message;
  EXPECT_EQ(project->short_name, "me");
  EXPECT_EQ(project->primary_region, "us-east-1");
  EXPECT_EQ(project->secondary_region, "eu-west-1");

  ProjectInitOptions unanswered;
  unanswered.dir = FreshDir("prompt_eof");
  const Outcome ended = Init(unanswered, "myexample\n", true);
  EXPECT_EQ(ended.code, kExitUsage);
  EXPECT_THAT(ended.err, HasSubstr("no answer for --short-name"));
}

TEST(ProjectCommandsTest, ValidateListsEveryProblemAsTextOrJson) {
  const auto dir = FreshDir("validate");
  std::filesystem::create_directories(dir);
  const auto file = dir / "project.yaml";
  ASSERT_TRUE(WriteFileAtomically(file,
                                  "project_name: myexample\nshort_name: ABCDE\n"
                                  "primary_region: us-east-1\nsecondary_region: us-west-2\n"
                                  "organization:\n  accounts:\n"
                                  "    - {name: management, email: bad}\n",
                                  0644)
                  .has_value());
  const Outcome text = Validate({file, "text"});
  EXPECT_EQ(text.code, kExitProblems);
  EXPECT_EQ(text.out, file.string() +
                          ":2: short_name \"ABCDE\" must be 2-4 lowercase letters "
                          "(e.g. \"bb\")\n" +
                          file.string() +
                          ":7: email \"bad\" of account \"management\" is not an email address "
                          "(expected name@domain, e.g. \"aws+security@example.com\")\n");

  const Outcome json = Validate({file, "json"});
  EXPECT_EQ(json.code, kExitProblems);
  EXPECT_THAT(json.out, HasSubstr("{\"file\":\"" + file.string() +
                                  "\",\"line\":2,\"column\":13,\"message\":\"short_name "
                                  "\\\"ABCDE\\\" must be"));

  const Outcome missing = Validate({dir / "nope.yaml", "json"});
  EXPECT_EQ(missing.code, kExitProblems);
  EXPECT_THAT(missing.out, HasSubstr("\"line\":0"));
  EXPECT_THAT(missing.out, HasSubstr("no such file"));
}

}  // namespace
}  // namespace fulcrum::cli
