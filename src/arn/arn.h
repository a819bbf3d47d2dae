#pragma once

// Amazon Resource Names: "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
// Values and pure functions; all thread-safe.

#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum::arn {

inline constexpr std::string_view kPartition = "aws";

struct Arn {
  std::string partition;  // "aws"
  std::string service;    // "iam", "sts", "organizations", ...
  std::string region;     // Empty for global services such as IAM.
  std::string account;    // 12 digits, or empty ("arn:aws:iam::aws:policy/..." has "aws").
  std::string resource;   // Everything after the fifth ':', colons included ("user/path/name").

  // "arn:partition:service:region:account:resource".
  [[nodiscard]] std::string ToString() const;

  bool operator==(const Arn&) const = default;
};

// On success, the five parts of `text`. It must start with "arn:", have at least six
// ':'-separated fields, and a non-empty partition, service and resource; region and account may
// be empty. Otherwise InvalidInput, "ARN <text> is not valid." (IAM's wording).
[[nodiscard]] Result<Arn> Parse(std::string_view text);

// "arn:aws:iam::<account>:root".
[[nodiscard]] std::string RootArn(std::string_view account);

// "arn:aws:iam::<account>:user<path><name>"; `path` is an IAM path that starts and ends with '/'
// ("/" when empty), so UserArn("123456789012", "/", "alice") is
// "arn:aws:iam::123456789012:user/alice".
[[nodiscard]] std::string UserArn(std::string_view account, std::string_view path,
                                  std::string_view name);
// "arn:aws:iam::<account>:role<path><name>".
[[nodiscard]] std::string RoleArn(std::string_view account, std::string_view path,
                                  std::string_view name);
// "arn:aws:iam::<account>:group<path><name>".
[[nodiscard]] std::string GroupArn(std::string_view account, std::string_view path,
                                   std::string_view name);
// "arn:aws:iam::<account>:policy<path><name>"; AWS-managed policies use account "aws".
[[nodiscard]] std::string PolicyArn(std::string_view account, std::string_view path,
                                    std::string_view name);
// "arn:aws:sts::<account>:assumed-role/<role name>/<session name>" (role paths are not part of
// it).
[[nodiscard]] std::string AssumedRoleArn(std::string_view account, std::string_view role_name,
                                         std::string_view session_name);

}  // namespace fulcrum::arn
