#include "services/iam/credential_report.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/time_format.h"

namespace fulcrum::services::iam {
namespace {

TimePoint At(std::string_view iso) {
  auto time = ParseIso8601(iso);
  EXPECT_TRUE(time.has_value()) << iso;
  return time.value_or(TimePoint{});
}

// The report of responses/iam/credential-report-example.csv (shared wire reference), which real
// clients parsed: a root user with MFA and a user with a password and one key.
constexpr std::string_view kExampleReport =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n"
    "<root_account>,arn:aws:iam::123456789012:root,2024-05-01T11:00:00+00:00,not_supported,"
    "2024-05-01T11:05:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,"
    "N/A,N/A,N/A,false,N/A,false,N/A\n"
    "bootstrap-admin,arn:aws:iam::123456789012:user/bootstrap-admin,2024-05-01T12:00:00+00:00,"
    "true,no_information,2024-05-01T12:02:00+00:00,N/A,true,true,2024-05-01T12:00:05+00:00,N/A,"
    "N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";

CredentialReportEntry ExampleRoot() {
  CredentialReportEntry root;
  root.is_root = true;
  root.arn = "arn:aws:iam::123456789012:root";
  root.created = At("2024-05-01T11:00:00Z");
  root.password_last_used = At("2024-05-01T11:05:00Z");
  root.mfa_active = true;
  return root;
}

CredentialReportEntry ExampleUser() {
  CredentialReportEntry user;
  user.user_name = "bootstrap-admin";
  user.arn = "arn:aws:iam::123456789012:user/bootstrap-admin";
  user.created = At("2024-05-01T12:00:00Z");
  user.password_enabled = true;
  user.password_last_changed = At("2024-05-01T12:02:00Z");
  user.mfa_active = true;
  user.access_keys.push_back(
      CredentialReportKey{.active = true, .created = At("2024-05-01T12:00:05Z"), .last_used = {}});
  return user;
}

TEST(CredentialReportTest, HeaderHasAwsColumnsInOrder) {
  EXPECT_EQ(kCredentialReportHeader,
            "user,arn,user_creation_time,password_enabled,password_last_used,"
            "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,"
            "access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
            "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
            "access_key_2_last_used_date,access_key_2_last_used_region,"
            "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
            "cert_2_last_rotated");
}

TEST(CredentialReportTest, TimesUseAnOffsetNotZ) {
  EXPECT_EQ(CredentialReportTime(At("2024-05-01T12:00:05.750Z")), "2024-05-01T12:00:05+00:00");
  EXPECT_EQ(CredentialReportTime(TimePoint{}), "1970-01-01T00:00:00+00:00");
}

TEST(CredentialReportTest, RendersTheReferenceExampleByteForByte) {
  EXPECT_EQ(RenderCredentialReport({ExampleRoot(), ExampleUser()}), kExampleReport);
}

TEST(CredentialReportTest, OnlyTheHeaderWithoutEntries) {
  EXPECT_EQ(RenderCredentialReport({}), kCredentialReportHeader);
}

TEST(CredentialReportTest, RowsByCase) {
  struct Case {
    std::string name;
    CredentialReportEntry entry;
    std::string row;
  };
  std::vector<Case> cases;
  {
    CredentialReportEntry root = ExampleRoot();
    root.password_last_used.reset();
    root.mfa_active = false;
    root.access_keys.push_back(CredentialReportKey{
        .active = false, .created = At("2024-05-02T00:00:00Z"), .last_used = {}});
    cases.push_back({"root without sign-in data, with an inactive key", root,
                     "<root_account>,arn:aws:iam::123456789012:root,2024-05-01T11:00:00+00:00,"
                     "not_supported,no_information,not_supported,not_supported,false,false,"
                     "2024-05-02T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,"
                     "false,N/A"});
  }
  {
    CredentialReportEntry user;
    user.user_name = "keys-only";
    user.arn = "arn:aws:iam::123456789012:user/ci/keys-only";
    user.created = At("2024-06-01T00:00:00Z");
    user.access_keys.push_back(CredentialReportKey{
        .active = true,
        .created = At("2024-06-01T00:00:01Z"),
        .last_used = storage::AccessKeyLastUsed{
            .time = At("2024-06-02T03:04:05Z"), .service_name = "sts", .region = "eu-west-1"}});
    user.access_keys.push_back(CredentialReportKey{
        .active = false,
        .created = At("2024-06-01T00:00:02Z"),
        .last_used = storage::AccessKeyLastUsed{
            .time = At("2024-06-03T00:00:00Z"), .service_name = "", .region = ""}});
    cases.push_back({"no password, two keys", user,
                     "keys-only,arn:aws:iam::123456789012:user/ci/keys-only,"
                     "2024-06-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,"
                     "2024-06-01T00:00:01+00:00,2024-06-02T03:04:05+00:00,eu-west-1,sts,false,"
                     "2024-06-01T00:00:02+00:00,2024-06-03T00:00:00+00:00,N/A,N/A,false,N/A,"
                     "false,N/A"});
  }
  {
    CredentialReportEntry user;
    user.user_name = "rotating";
    user.arn = "arn:aws:iam::123456789012:user/rotating";
    user.created = At("2024-06-01T00:00:00Z");
    user.password_enabled = true;
    user.password_last_used = At("2024-06-05T00:00:00Z");
    user.password_last_changed = At("2024-06-01T00:00:00Z");
    user.password_next_rotation = At("2024-08-30T00:00:00Z");
    cases.push_back({"password with rotation", user,
                     "rotating,arn:aws:iam::123456789012:user/rotating,2024-06-01T00:00:00+00:00,"
                     "true,2024-06-05T00:00:00+00:00,2024-06-01T00:00:00+00:00,"
                     "2024-08-30T00:00:00+00:00,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,"
                     "N/A,false,N/A,false,N/A"});
  }
  {
    CredentialReportEntry user;
    user.user_name = "a,b";
    user.arn = "arn:aws:iam::123456789012:user/x\"y/a,b";
    user.created = At("2024-06-01T00:00:00Z");
    cases.push_back({"quoting", user,
                     "\"a,b\",\"arn:aws:iam::123456789012:user/x\"\"y/a,b\","
                     "2024-06-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,"
                     "false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"});
  }
  for (const Case& c : cases) {
    EXPECT_EQ(RenderCredentialReportRow(c.entry), c.row) << c.name;
  }
}

TEST(CredentialReportTest, EveryRowHasTheHeadersColumnCount) {
  const auto columns = [](std::string_view line) {
    size_t count = 1;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++count;
    }
    return count;
  };
  CredentialReportEntry three_keys = ExampleUser();
  three_keys.access_keys.resize(3, three_keys.access_keys.front());
  for (const CredentialReportEntry& entry : {ExampleRoot(), ExampleUser(), three_keys}) {
    EXPECT_EQ(columns(RenderCredentialReportRow(entry)), columns(kCredentialReportHeader));
  }
  EXPECT_EQ(columns(kCredentialReportHeader), 22U);
}

}  // namespace
}  // namespace fulcrum::services::iam
