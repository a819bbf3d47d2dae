#pragma once

// IamClient: the IAM operations the CLI uses, typed. Member names follow the IAM API reference,
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html. List operations
// follow Marker / IsTruncated until the last page and return every item. Timestamps are parsed
// from ISO 8601; blobs are base64-decoded.
//
// Thread-safety: as the QueryClient it uses (not thread-safe).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/endpoint.h"
#include "client/query_client.h"
#include "common/clock.h"
#include "common/result.h"

namespace fulcrum::client {

struct Tag {
  std::string key;
  std::string value;

  bool operator==(const Tag&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html
struct User {
  std::string path;
  std::string user_name;
  std::string user_id;
  std::string arn;
  TimePoint create_date;
  std::optional<TimePoint> password_last_used;
  std::optional<std::string> permissions_boundary_arn;
  std::vector<Tag> tags;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachedPolicy.html
struct AttachedPolicy {
  std::string policy_name;
  std::string policy_arn;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Group.html
struct Group {
  std::string path;
  std::string group_name;
  std::string group_id;
  std::string arn;
  TimePoint create_date;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_LoginProfile.html
struct LoginProfile {
  std::string user_name;
  TimePoint create_date;
  bool password_reset_required = false;
};

// A new access key; the only time the secret is available.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKey.html
struct AccessKey {
  std::string user_name;
  std::string access_key_id;
  std::string status;  // "Active" or "Inactive".
  std::string secret_access_key;
  std::optional<TimePoint> create_date;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyMetadata.html
struct AccessKeyMetadata {
  std::string user_name;
  std::string access_key_id;
  std::string status;
  std::optional<TimePoint> create_date;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html
// A key never used has no last_used_date and "N/A" as service and region.
struct AccessKeyLastUsed {
  std::string user_name;
  std::optional<TimePoint> last_used_date;
  std::string service_name;
  std::string region;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PasswordPolicy.html
struct PasswordPolicy {
  std::optional<int> minimum_password_length;
  bool require_symbols = false;
  bool require_numbers = false;
  bool require_uppercase_characters = false;
  bool require_lowercase_characters = false;
  bool allow_users_to_change_password = false;
  bool expire_passwords = false;
  std::optional<int> max_password_age;
  std::optional<int> password_reuse_prevention;
  bool hard_expiry = false;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html
// `base32_seed` is the seed as base32 text ("JBSW..."): the XML carries the base64 of that text.
// `qr_code_png` holds the PNG bytes. Both are present only in CreateVirtualMFADevice's answer.
struct VirtualMfaDevice {
  std::string serial_number;
  std::string base32_seed;
  std::string qr_code_png;
  std::optional<User> user;
  std::optional<TimePoint> enable_date;
  std::vector<Tag> tags;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_MFADevice.html
struct MfaDevice {
  std::string user_name;
  std::string serial_number;
  TimePoint enable_date;
};

// ListVirtualMFADevices' AssignmentStatus filter.
enum class MfaAssignment { kAny, kAssigned, kUnassigned };

class IamClient {
 public:
  // `query` must outlive the client; `endpoint` is IAM's (ResolveEndpoint(Service::kIam, ...)).
  IamClient(QueryClient& query, ServiceEndpoint endpoint);

  // SummaryMap: "Users" -> 1, "AccountMFAEnabled" -> 0, ...
  [[nodiscard]] Result<std::map<std::string, int>> GetAccountSummary();

  // The user named `user_name`, or the calling user when it is nullopt. NoSuchEntity when absent.
  [[nodiscard]] Result<User> GetUser(const std::optional<std::string>& user_name = std::nullopt);
  [[nodiscard]] Result<User> CreateUser(const std::string& user_name, const std::string& path = "/",
                                        const std::vector<Tag>& tags = {});
  [[nodiscard]] Result<void> AttachUserPolicy(const std::string& user_name,
                                              const std::string& policy_arn);
  [[nodiscard]] Result<std::vector<AttachedPolicy>> ListAttachedUserPolicies(
      const std::string& user_name);
  [[nodiscard]] Result<std::vector<Group>> ListGroupsForUser(const std::string& user_name);

  // The user's console password profile, or nullopt when the user has none (NoSuchEntity).
  [[nodiscard]] Result<std::optional<LoginProfile>> GetLoginProfile(const std::string& user_name);
  [[nodiscard]] Result<void> DeleteLoginProfile(const std::string& user_name);

  // A new key for `user_name`, or for the caller when nullopt.
  [[nodiscard]] Result<AccessKey> CreateAccessKey(
      const std::optional<std::string>& user_name = std::nullopt);
  [[nodiscard]] Result<std::vector<AccessKeyMetadata>> ListAccessKeys(
      const std::optional<std::string>& user_name = std::nullopt);
  [[nodiscard]] Result<AccessKeyLastUsed> GetAccessKeyLastUsed(const std::string& access_key_id);
  [[nodiscard]] Result<void> DeleteAccessKey(
      const std::string& access_key_id, const std::optional<std::string>& user_name = std::nullopt);

  // The account's password policy, or nullopt when none is set (NoSuchEntity).
  [[nodiscard]] Result<std::optional<PasswordPolicy>> GetAccountPasswordPolicy();

  [[nodiscard]] Result<VirtualMfaDevice> CreateVirtualMfaDevice(
      const std::string& virtual_mfa_device_name, const std::string& path = "/");
  // Two consecutive TOTP codes from the device.
  [[nodiscard]] Result<void> EnableMfaDevice(const std::string& user_name,
                                             const std::string& serial_number,
                                             const std::string& authentication_code1,
                                             const std::string& authentication_code2);
  // The MFA devices of `user_name`, or of the caller when nullopt.
  [[nodiscard]] Result<std::vector<MfaDevice>> ListMfaDevices(
      const std::optional<std::string>& user_name = std::nullopt);
  [[nodiscard]] Result<std::vector<VirtualMfaDevice>> ListVirtualMfaDevices(
      MfaAssignment assignment = MfaAssignment::kAny);
  [[nodiscard]] Result<void> DeleteVirtualMfaDevice(const std::string& serial_number);

  [[nodiscard]] const ServiceEndpoint& endpoint() const { return endpoint_; }

 private:
  [[nodiscard]] Result<XmlNode> Call(std::string_view action, const QueryParams& params);

  // Calls `action` page by page, appending parse(member) for each `<member>` of `list_name`.
  template <class T, class Parse>
  [[nodiscard]] Result<std::vector<T>> ListAll(std::string_view action, QueryParams params,
                                               std::string_view list_name, Parse parse);

  QueryClient& query_;
  ServiceEndpoint endpoint_;
};

}  // namespace fulcrum::client
