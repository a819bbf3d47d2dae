#pragma once

// Signing up an AWS account, as the first step of the management-account guide does: a name, an
// email, a root user with a password, and root access keys only when asked for.

#include <optional>
#include <string>

#include "storage/records.h"

namespace fulcrum::services::signup {

struct SignUpRequest {
  std::string name;
  std::string email;
  // The root user's password; generated when absent.
  std::optional<std::string> password;
  bool create_root_access_key = false;
};

struct SignUpResult {
  storage::Account account;
  std::string root_arn;
  // Set only when the password was generated: the one time it is shown.
  std::optional<std::string> generated_password;
  // Set only when root access keys were asked for: the one time the secret is shown.
  std::optional<storage::AccessKey> root_access_key;
};

}  // namespace fulcrum::services::signup
