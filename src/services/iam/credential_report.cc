#include "services/iam/credential_report.h"

#include <utility>

#include "common/time_format.h"

namespace fulcrum::services::iam {
namespace {

constexpr std::string_view kNotApplicable = "N/A";
constexpr std::string_view kNoInformation = "no_information";
constexpr std::string_view kNotSupported = "not_supported";

std::string_view Flag(bool value) { return value ? "true" : "false"; }

std::string TimeOr(const std::optional<TimePoint>& time, std::string_view fallback) {
  return time ? CredentialReportTime(*time) : std::string(fallback);
}

std::string TextOr(std::string_view text, std::string_view fallback) {
  return std::string(text.empty() ? fallback : text);
}

// A CSV line under construction.
class CsvRow {
 public:
  void Add(std::string_view field) {
    if (fields_ > 0) text_ += ',';
    ++fields_;
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
      text_ += field;
      return;
    }
    text_ += '"';
    for (char c : field) {
      if (c == '"') text_ += '"';
      text_ += c;
    }
    text_ += '"';
  }
  [[nodiscard]] std::string Take() && { return std::move(text_); }

 private:
  std::string text_;
  size_t fields_ = 0;
};

void AppendField(CsvRow& row, std::string_view field) { row.Add(field); }

void AppendKey(CsvRow& row, const CredentialReportKey* key) {
  if (key == nullptr) {
    for (std::string_view field : {"false", "N/A", "N/A", "N/A", "N/A"}) AppendField(row, field);
    return;
  }
  AppendField(row, Flag(key->active));
  AppendField(row, CredentialReportTime(key->created));
  if (key->last_used) {
    AppendField(row, CredentialReportTime(key->last_used->time));
    AppendField(row, TextOr(key->last_used->region, kNotApplicable));
    AppendField(row, TextOr(key->last_used->service_name, kNotApplicable));
  } else {
    for (int i = 0; i < 3; ++i) AppendField(row, kNotApplicable);
  }
}

}  // namespace

std::string CredentialReportTime(TimePoint time) {
  std::string text = FormatIso8601(time);
  if (!text.empty() && text.back() == 'Z') {
    text.pop_back();
    text += "+00:00";
  }
  return text;
}

std::string RenderCredentialReportRow(const CredentialReportEntry& entry) {
  CsvRow row;
  AppendField(row, entry.is_root ? kCredentialReportRootUser : std::string_view(entry.user_name));
  AppendField(row, entry.arn);
  AppendField(row, CredentialReportTime(entry.created));
  if (entry.is_root) {
    AppendField(row, kNotSupported);
    AppendField(row, TimeOr(entry.password_last_used, kNoInformation));
    AppendField(row, kNotSupported);
    AppendField(row, kNotSupported);
  } else {
    AppendField(row, Flag(entry.password_enabled));
    // A user who signed in once keeps that date even after the password is removed.
    AppendField(row, TimeOr(entry.password_last_used,
                            entry.password_enabled ? kNoInformation : kNotApplicable));
    AppendField(row, entry.password_enabled ? TimeOr(entry.password_last_changed, kNotApplicable)
                                            : std::string(kNotApplicable));
    AppendField(row, entry.password_enabled ? TimeOr(entry.password_next_rotation, kNotApplicable)
                                            : std::string(kNotApplicable));
  }
  AppendField(row, Flag(entry.mfa_active));
  for (size_t i = 0; i < 2; ++i) {
    AppendKey(row, i < entry.access_keys.size() ? &entry.access_keys[i] : nullptr);
  }
  // Signing certificates (X.509) are not supported: never present.
  for (std::string_view field : {"false", "N/A", "false", "N/A"}) AppendField(row, field);
  return std::move(row).Take();
}

std::string RenderCredentialReport(const std::vector<CredentialReportEntry>& entries) {
  std::string report(kCredentialReportHeader);
  for (const CredentialReportEntry& entry : entries) {
    report += '\n';
    report += RenderCredentialReportRow(entry);
  }
  return report;
}

}  // namespace fulcrum::services::iam
