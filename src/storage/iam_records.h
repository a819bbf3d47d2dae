#pragma once

// Plain records of the IAM state kept by IamStore. They carry no wire shapes, no storage encodings
// and no AWS validation: names, paths, ARNs and documents are whatever the IAM service stored.
// Every record belongs to one account (account_id, 12 digits); AWS managed policies have an
// empty account_id.
//
// IAM reference: https://docs.aws.amazon.com/IAM/latest/APIReference/API_Types.html

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace fulcrum::storage {

// Tags (key, value) in the order they were first added:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
using Tags = std::vector<std::pair<std::string, std::string>>;

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html
struct User {
  std::string account_id;
  std::string user_id;    // "AIDA...", unique among all users.
  std::string user_name;  // Unique in its account ignoring ASCII case; the original case is kept.
  std::string path;       // "/" or "/division/".
  std::string arn;
  TimePoint created;
  std::string permissions_boundary_arn;  // Empty = none.
  Tags tags;
  std::optional<TimePoint> password_last_used;

  bool operator==(const User&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Group.html
struct Group {
  std::string account_id;
  std::string group_id;    // "AGPA...", unique among all groups.
  std::string group_name;  // Unique in its account ignoring ASCII case.
  std::string path;
  std::string arn;
  TimePoint created;

  bool operator==(const Group&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleLastUsed.html
struct RoleLastUsed {
  TimePoint time;
  std::string region;

  bool operator==(const RoleLastUsed&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
struct Role {
  std::string account_id;
  std::string role_id;    // "AROA...", unique among all roles.
  std::string role_name;  // Unique in its account ignoring ASCII case.
  std::string path;
  std::string arn;
  TimePoint created;
  std::string assume_role_policy_document;  // The trust policy, as written.
  std::string description;
  int64_t max_session_duration = 3600;   // Seconds.
  std::string permissions_boundary_arn;  // Empty = none.
  Tags tags;
  std::optional<RoleLastUsed> last_used;

  bool operator==(const Role&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html
struct ManagedPolicy {
  std::string arn;          // Unique among all policies.
  std::string policy_id;    // "ANPA...", unique among all policies.
  std::string policy_name;  // Unique per account_id ignoring ASCII case.
  std::string path;
  std::string account_id;  // Empty for AWS managed policies.
  std::string description;
  TimePoint created;
  // When the policy last changed: its creation, or the creation of its newest version.
  TimePoint updated;
  std::string default_version_id;  // "v1", "v2", ...
  // Principals of the viewing account the policy is attached to, and users and roles of the
  // viewing account that use it as permissions boundary. The store keeps both; for AWS managed
  // policies they count only the account the policy was read for.
  int64_t attachment_count = 0;
  int64_t permissions_boundary_usage_count = 0;
  bool is_attachable = true;
  Tags tags;

  bool operator==(const ManagedPolicy&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html
struct PolicyVersion {
  std::string policy_arn;
  std::string version_id;  // "v1", "v2", ...: never reused within a policy.
  std::string document;    // As written.
  bool is_default = false;
  TimePoint created;

  bool operator==(const PolicyVersion&) const = default;
};

// The kinds of principal that managed and inline policies attach to.
enum class PrincipalKind { kUser = 0, kGroup = 1, kRole = 2 };

// A user, group or role named within its account.
struct PrincipalRef {
  PrincipalKind kind = PrincipalKind::kUser;
  std::string account_id;
  std::string name;  // Matched ignoring ASCII case.

  bool operator==(const PrincipalRef&) const = default;
};

// A principal a managed policy is attached to, as ListEntitiesForPolicy reports it:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html
struct PolicyEntity {
  PrincipalKind kind = PrincipalKind::kUser;
  std::string name;       // As stored (original case).
  std::string unique_id;  // AIDA..., AGPA... or AROA...

  bool operator==(const PolicyEntity&) const = default;
};

// An inline policy embedded in a user, group or role.
struct InlinePolicy {
  std::string policy_name;  // Unique per principal, exact match.
  std::string document;     // As written.

  bool operator==(const InlinePolicy&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_LoginProfile.html
struct LoginProfile {
  std::string account_id;
  std::string user_name;      // As stored with the user (original case).
  std::string password_hash;  // HashPassword's stored form.
  TimePoint created;
  bool password_reset_required = false;

  bool operator==(const LoginProfile&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html
struct VirtualMfaDevice {
  std::string serial_number;  // "arn:aws:iam::<account>:mfa/<path><name>"; unique.
  std::string account_id;
  std::string path;
  std::string name;
  std::string seed;  // Base32 TOTP secret. SECRET: plaintext in memory, sealed at rest.
  TimePoint created;
  Tags tags;
  std::string user_name;                 // Empty until enabled for a user.
  std::optional<TimePoint> enable_date;  // Set while enabled.
  // The newest TOTP time step accepted for this device (replay protection); set while enabled.
  std::optional<int64_t> last_time_step;

  bool operator==(const VirtualMfaDevice&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PasswordPolicy.html
struct PasswordPolicy {
  int64_t minimum_password_length = 8;
  bool require_symbols = false;
  bool require_numbers = false;
  bool require_uppercase_characters = false;
  bool require_lowercase_characters = false;
  bool allow_users_to_change_password = false;
  std::optional<int64_t> max_password_age;           // Days.
  std::optional<int64_t> password_reuse_prevention;  // Previous passwords remembered.
  std::optional<bool> hard_expiry;

  bool operator==(const PasswordPolicy&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyLastUsed.html
struct AccessKeyLastUsed {
  TimePoint time;
  std::string service_name;  // "iam", "sts", ...
  std::string region;

  bool operator==(const AccessKeyLastUsed&) const = default;
};

// One use of an access key, reported by the authenticator.
struct AccessKeyUse {
  std::string access_key_id;
  AccessKeyLastUsed used;

  bool operator==(const AccessKeyUse&) const = default;
};

}  // namespace fulcrum::storage
