#include "cli/audit_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

namespace fulcrum::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<CheckResult> kChecks = {
    {"root-mfa", "Root user has MFA", CheckStatus::kFail, "AccountMFAEnabled is 0", "enable it"},
    {"password-policy", "The account has a password policy", CheckStatus::kWarn, "none", "set one"},
    {"leftover-csv", "No access-key CSV left behind", CheckStatus::kPass, "none found", ""},
};

TEST(PrintAuditTest, JsonHasEveryCheckAndASummary) {
  std::ostringstream out;
  PrintAudit(kChecks, "me-bootstrap", "json", /*colour=*/true, out);
  const boost::json::value doc = boost::json::parse(out.str());
  EXPECT_EQ(doc.at("profile").as_string(), "me-bootstrap");
  const auto& checks = doc.at("checks").as_array();
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].at("id").as_string(), "root-mfa");
  EXPECT_EQ(checks[0].at("status").as_string(), "fail");
  EXPECT_EQ(checks[0].at("fix").as_string(), "enable it");
  EXPECT_EQ(checks[1].at("status").as_string(), "warn");
  const auto& summary = doc.at("summary");
  EXPECT_EQ(summary.at("pass").as_int64(), 1);
  EXPECT_EQ(summary.at("warn").as_int64(), 1);
  EXPECT_EQ(summary.at("fail").as_int64(), 1);
  EXPECT_THAT(out.str(), Not(HasSubstr("\033[")));
}

TEST(PrintAuditTest, TableShowsFixesAndColoursOnlyWhenAsked) {
  std::ostringstream plain;
  PrintAudit(kChecks, "me-bootstrap", "text", /*colour=*/false, plain);
  EXPECT_THAT(plain.str(), HasSubstr("STATUS  CHECK"));
  EXPECT_THAT(plain.str(), HasSubstr("fail    root-mfa         Root user has MFA: "
                                     "AccountMFAEnabled is 0\n"));
  EXPECT_THAT(plain.str(), HasSubstr("fix: enable it\n"));
  EXPECT_THAT(plain.str(), HasSubstr("profile me-bootstrap: 1 pass, 1 warn, 1 fail\n"));
  EXPECT_THAT(plain.str(), Not(HasSubstr("\033[")));
  std::ostringstream coloured;
  PrintAudit(kChecks, "me-bootstrap", "table", /*colour=*/true, coloured);
  EXPECT_THAT(coloured.str(), HasSubstr("\033[31mfail"));
}

}  // namespace
}  // namespace fulcrum::cli
