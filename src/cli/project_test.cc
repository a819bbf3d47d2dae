#include "cli/project.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

using ::testing::HasSubstr;

ProjectSettings Settings() {
  return ProjectSettings{"myexample", "me", "example.com", "us-east-1", "us-west-2"};
}

// Line and a fragment of the message of each expected problem.
struct Expected {
  int line;
  std::string fragment;
};

void ExpectProblems(std::string_view text, const std::vector<Expected>& expected) {
  const std::vector<Problem> problems = ValidateProject(text, "project.yaml");
  std::string all;
  for (const Problem& problem : problems) all += FormatProblem(problem) + "\n";
  ASSERT_EQ(problems.size(), expected.size()) << all;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(problems[i].line, expected[i].line) << all;
    EXPECT_THAT(problems[i].message, HasSubstr(expected[i].fragment)) << all;
    EXPECT_EQ(problems[i].file, "project.yaml");
  }
}

TEST(ProjectTest, DefaultProjectFollowsLeverageNaming) {
  const Project project = DefaultProject(Settings());
  ASSERT_EQ(project.accounts.size(), 3u);
  EXPECT_EQ(project.accounts[0].name, "management");
  EXPECT_EQ(project.accounts[0].email, "myexample-aws@example.com");
  EXPECT_EQ(project.accounts[1].email, "myexample-aws+security@example.com");
  EXPECT_EQ(project.accounts[2].email, "myexample-aws+shared@example.com");
  EXPECT_EQ(OrganizationsAccountName("myexample", "shared"), "myexample-shared");
  ASSERT_EQ(project.organizational_units.size(), 2u);
  EXPECT_EQ(project.organizational_units[0].accounts, std::vector<std::string>{"security"});
  EXPECT_EQ(project.organizational_units[1].accounts, std::vector<std::string>{"shared"});
}

TEST(ProjectTest, RenderedProjectIsValidAndLoadsBack) {
  const std::string text = RenderProjectYaml(DefaultProject(Settings()));
  EXPECT_THAT(ValidateProject(text, "project.yaml"), ::testing::IsEmpty()) << text;
  EXPECT_THAT(text, HasSubstr("myexample-security"));

  const auto dir = std::filesystem::path(::testing::TempDir()) / "project_render";
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomically(dir / "project.yaml", text, 0644).has_value());
  const auto project = LoadProject(dir / "project.yaml");
  ASSERT_TRUE(project.has_value()) << project.error().message;
  EXPECT_EQ(project->short_name, "me");
  EXPECT_EQ(project->primary_region, "us-east-1");
  EXPECT_EQ(project->accounts.size(), 3u);
}

TEST(ProjectTest, ValidFilesHaveNoProblems) {
  const char* cases[] = {
      // Flow style, as Leverage's template writes it, with an id and optional keys.
      "project_name: bb-le\nshort_name: bb\nprimary_region: mx-central-1\n"
      "secondary_region: us-west-2\nmfa_enabled: false\norganization:\n  accounts:\n"
      "    - {name: management, email: aws@x.io, id: '000123456789'}\n"
      "    - {name: security, email: aws+security@x.io}\n"
      "  organizational_units:\n"
      "    - {name: security, policy: [aws_organizations_policy.default], accounts: [security]}\n"
      "users:\n  - {first_name: Jane, last_name: Doe, email: jane@x.io, groups: [devops]}\n",
      // Management alone needs no OU.
      "project_name: abc\nshort_name: ab\nprimary_region: us-east-1\nsecondary_region: us-east-2\n"
      "organization:\n  accounts:\n    - name: management\n      email: a@b.co\n",
  };
  for (const char* text : cases) {
    EXPECT_THAT(ValidateProject(text, "project.yaml"), ::testing::IsEmpty()) << text;
  }
}

TEST(ProjectTest, ReportsEveryProblemWithItsLine) {
  const char* text =
      "project_name: My_Project\n"              // 1
      "short_name: ABCDE\n"                     // 2
      "primary_region: us-east-9\n"             // 3
      "secondary_regin: us-west-2\n"            // 4
      "organization:\n"                         // 5
      "  accounts:\n"                           // 6
      "    - name: management\n"                // 7
      "      email: ops@example.com\n"          // 8
      "      id: 123\n"                         // 9
      "    - name: security\n"                  // 10
      "      email: OPS@example.com\n"          // 11
      "    - name: shared\n"                    // 12
      "      email: not-an-email\n"             // 13
      "    - name: network\n"                   // 14
      "      email: aws+network@example.com\n"  // 15
      "  organizational_units:\n"               // 16
      "    - name: security\n"                  // 17
      "      accounts: [security, shraed]\n"    // 18
      "    - name: other\n"                     // 19
      "      accounts: [security]\n";           // 20
  ExpectProblems(text, {
                           {1, "lacks the required key \"secondary_region\""},
                           {1, "project_name \"My_Project\" must be 3-25"},
                           {2, "short_name \"ABCDE\" must be 2-4 lowercase letters (e.g. \"bb\")"},
                           {3, "did you mean \"us-east-1\""},
                           {4,
                            "unknown key \"secondary_regin\" in the top level; did you mean "
                            "\"secondary_region\"?"},
                           {9, "12-digit account id"},
                           {11, "already the email of account \"management\""},
                           {12, "account \"shared\" is in no organizational unit"},
                           {13, "\"not-an-email\" of account \"shared\" is not an email"},
                           {14, "account \"network\" is in no organizational unit"},
                           {18,
                            "lists account \"shraed\", which is not under organization."
                            "accounts; did you mean \"shared\"?"},
                           {20,
                            "account \"security\" is in organizational unit \"other\" and "
                            "also in organizational unit \"security\" (line 18)"},
                       });
}

TEST(ProjectTest, ReportsStructuralProblems) {
  struct Case {
    const char* text;
    std::vector<Expected> expected;
  };
  const Case cases[] = {
      {"", {{0, "the file is empty"}}},
      {"- a\n- b\n", {{1, "top level must be a mapping"}}},
      {"project_name: abc\nshort_name: [a]\n",
       {{1, "\"primary_region\""},
        {1, "\"secondary_region\""},
        {1, "\"organization\""},
        {2, "short_name must be a single value"}}},
      // A syntax error is the only problem reported, with its line.
      {"project_name: abc\norganization:\n  accounts: [\n  x: y\n", {{4, "YAML syntax error"}}},
      {"project_name: abc\nshort_name: ab\nprimary_region: us-east-1\n"
       "secondary_region: us-east-1\norganization:\n  accounts:\n"
       "    - {name: security, email: a@b.co}\n"
       "  organizational_units:\n    - {name: s, accounts: [security]}\n"
       "project_name: abd\n",
       {{6, "no account named \"management\""}, {10, "appears twice"}}},
      {"project_name: abc\nshort_name: ab\nprimary_region: us-east-1\n"
       "secondary_region: us-east-1\norganization:\n  accounts:\n"
       "    - {name: management, email: a@b.co, id: 000123456789}\n"
       "users:\n  - {first_name: A, email: a@b.co, groups: [devop]}\n"
       "accounts:\n  shard:\n    networks:\n      - {cidr_block: 10.0.0.0/33}\n",
       {{7, "must be quoted (id: '000123456789')"},
        {9, "lacks the required key \"last_name\""},
        {9, "did you mean \"devops\""},
        {11, "accounts.shard names an account that is not under organization.accounts"},
        {13, "not an IPv4 CIDR block"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ExpectProblems(c.text, c.expected);
  }
}

TEST(ProjectTest, FieldChecks) {
  EXPECT_FALSE(ProjectNameProblem("myexample"));
  EXPECT_FALSE(ProjectNameProblem("a-b"));
  EXPECT_TRUE(ProjectNameProblem("ab"));
  EXPECT_TRUE(ProjectNameProblem("-ab"));
  EXPECT_TRUE(ProjectNameProblem(std::string(26, 'a')));
  EXPECT_FALSE(ProjectNameProblem(std::string(25, 'a')));
  EXPECT_FALSE(ShortNameProblem("me"));
  EXPECT_TRUE(ShortNameProblem("m"));
  EXPECT_TRUE(ShortNameProblem("abcde"));
  EXPECT_TRUE(ShortNameProblem("m1"));
  EXPECT_FALSE(EmailDomainProblem("example.com"));
  EXPECT_TRUE(EmailDomainProblem("@example.com"));
  EXPECT_TRUE(EmailDomainProblem("localhost"));
  EXPECT_FALSE(EmailProblem("aws+shared@example.com"));
  EXPECT_TRUE(EmailProblem("aws@@example.com"));
  EXPECT_TRUE(EmailProblem("aws example@example.com"));
  EXPECT_FALSE(RegionProblem("mx-central-1"));
  EXPECT_THAT(RegionProblem("eu-wset-1").value_or(""), HasSubstr("\"eu-west-1\""));
}

struct IdEdit {
  const char* name;
  std::string before;
  std::string after;
};

TEST(ProjectTest, ManagementAccountIdEditKeepsTheRestOfTheText) {
  const IdEdit cases[] = {
      {"block, no id yet",
       "# top comment\nproject_name: abc  # long name\norganization:\n  accounts:\n"
       "    - name: management  # the payer\n      email: a@b.co\n    - name: shared\n"
       "      email: a+s@b.co\n",
       "# top comment\nproject_name: abc  # long name\norganization:\n  accounts:\n"
       "    - name: management  # the payer\n      id: '000123456789'\n      email: a@b.co\n"
       "    - name: shared\n      email: a+s@b.co\n"},
      {"flow, no id yet",
       "organization:\n  accounts:\n    - {name: management, email: a@b.co}  # keep\n",
       "organization:\n  accounts:\n    - {name: management, email: a@b.co, id: '000123456789'}"
       "  # keep\n"},
      {"flow, id replaced",
       "organization:\n  accounts:\n    - {name: management, id: '111111111111', email: a@b.co}\n",
       "organization:\n  accounts:\n    - {name: management, id: '000123456789', email: a@b.co}\n"},
      {"block, unquoted id replaced",
       "organization:\n  accounts:\n    - email: a@b.co\n      id: 111111111111 # old\n"
       "      name: management\n",
       "organization:\n  accounts:\n    - email: a@b.co\n      id: '000123456789' # old\n"
       "      name: management\n"},
      {"block, empty id",
       "organization:\n  accounts:\n    - name: management\n      id:\n      email: a@b.co\n",
       "organization:\n  accounts:\n    - name: management\n      id: '000123456789'\n"
       "      email: a@b.co\n"},
      {"CRLF line endings",
       "organization:\r\n  accounts:\r\n    - name: management\r\n      email: a@b.co\r\n",
       "organization:\r\n  accounts:\r\n    - name: management\r\n      id: '000123456789'\r\n"
       "      email: a@b.co\r\n"},
      {"UTF-8 byte order mark",
       "\xEF\xBB\xBForganization:\n  accounts:\n    - {name: management, id: '1', email: a@b.co}\n",
       "\xEF\xBB\xBForganization:\n  accounts:\n    - {name: management, id: '000123456789', "
       "email: a@b.co}\n"},
      {"no final newline", "organization:\n  accounts:\n    - name: management",
       "organization:\n  accounts:\n    - name: management\n      id: '000123456789'"},
  };
  for (const IdEdit& c : cases) {
    SCOPED_TRACE(c.name);
    const auto edited = WithManagementAccountId(c.before, "project.yaml", "000123456789");
    ASSERT_TRUE(edited.has_value()) << edited.error().message;
    EXPECT_EQ(*edited, c.after);
  }
}

TEST(ProjectTest, ManagementAccountIdEditRefusesWhatItCannotDo) {
  EXPECT_EQ(WithManagementAccountId("organization: {}\n", "p.yaml", "000123456789").error().code,
            "InvalidProjectFile");
  EXPECT_THAT(WithManagementAccountId("organization:\n  accounts:\n    - {name: shared}\n",
                                      "p.yaml", "000123456789")
                  .error()
                  .message,
              HasSubstr("no account named \"management\""));
  EXPECT_EQ(WithManagementAccountId("organization: {}\n", "p.yaml", "12345").error().code,
            "InvalidParameterValue");
}

TEST(ProjectTest, SetManagementAccountIdRewritesTheFileKeepingCommentsAndMode) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "project_set_id";
  std::filesystem::create_directories(dir);
  const auto file = dir / "project.yaml";
  const std::string text = RenderProjectYaml(DefaultProject(Settings()));
  ASSERT_TRUE(WriteFileAtomically(file, text, 0640).has_value());

  ASSERT_TRUE(SetManagementAccountId(file, "000123456789").has_value());
  const std::string edited = ReadWholeFile(file).value();
  EXPECT_THAT(edited, HasSubstr("# A Leverage-style project."));
  EXPECT_THAT(edited, HasSubstr("      id: '000123456789'\n"));
  EXPECT_EQ(edited.size(), text.size() + std::string("      id: '000123456789'\n").size());
  const auto project = LoadProject(file);
  ASSERT_TRUE(project.has_value()) << project.error().message;
  EXPECT_EQ(project->accounts[0].id, "000123456789");
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);

  // A second id replaces the first in place.
  ASSERT_TRUE(SetManagementAccountId(file, "999999999999").has_value());
  EXPECT_EQ(ReadWholeFile(file).value().size(), edited.size());
}

}  // namespace
}  // namespace fulcrum::cli
