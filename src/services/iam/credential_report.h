#pragma once

// The IAM credential report: a CSV document with one row per user of an account, the root user
// first, in the columns and with the placeholder values AWS documents:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
//
// This file only renders rows that the caller gathered (AccountSettingsService gathers them from
// the stores). Pure functions and plain values; thread-safe.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "storage/iam_records.h"

namespace fulcrum::services::iam {

// The header line, with AWS's exact columns.
inline constexpr std::string_view kCredentialReportHeader =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

// The `user` column of the root user's row.
inline constexpr std::string_view kCredentialReportRootUser = "<root_account>";

// How long a report stays current. GenerateCredentialReport reuses a younger report and
// GetCredentialReport answers ReportExpired for an older one.
inline constexpr std::chrono::hours kCredentialReportLifetime{4};

// One access key as the report shows it.
struct CredentialReportKey {
  bool active = false;
  TimePoint created;  // Shown as last_rotated: a key's secret never changes.
  std::optional<storage::AccessKeyLastUsed> last_used;
};

// What the report shows of one user (or of the root user).
struct CredentialReportEntry {
  bool is_root = false;
  std::string user_name;  // Ignored for the root user (kCredentialReportRootUser).
  std::string arn;
  TimePoint created;
  // The root user's password is always "not_supported" in these columns, except last_used.
  bool password_enabled = false;
  std::optional<TimePoint> password_last_used;
  std::optional<TimePoint> password_last_changed;
  std::optional<TimePoint> password_next_rotation;
  bool mfa_active = false;
  // Oldest first; the report shows the first two.
  std::vector<CredentialReportKey> access_keys;
};

// `time` as the report writes it, ISO 8601 in whole seconds with a "+00:00" offset:
// "2024-05-01T12:00:00+00:00".
[[nodiscard]] std::string CredentialReportTime(TimePoint time);

// One row (no line break) in the header's columns. Fields that hold ',', '"' or a line break are
// quoted as RFC 4180 specifies (user names may hold ',').
[[nodiscard]] std::string RenderCredentialReportRow(const CredentialReportEntry& entry);

// The whole report: the header, then one row per entry in the given order, joined by "\n" with no
// line break after the last row (as AWS sends it).
[[nodiscard]] std::string RenderCredentialReport(const std::vector<CredentialReportEntry>& entries);

}  // namespace fulcrum::services::iam
