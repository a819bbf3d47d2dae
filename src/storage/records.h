#pragma once

// Plain domain records kept by the stores. They carry no wire shapes and no storage encodings.

#include <string>

#include "common/clock.h"

namespace fulcrum::storage {

// An AWS account:
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
struct Account {
  std::string id;  // 12 decimal digits.
  std::string name;
  std::string email;  // Unique among accounts, ignoring ASCII case.
  TimePoint created;
  std::string root_password_hash;  // HashPassword's stored form; empty = no console password.

  bool operator==(const Account&) const = default;
};

// A long-term access key of an account's root user or of one of its IAM users:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
struct AccessKey {
  std::string access_key_id;      // "AKIA..."
  std::string secret_access_key;  // Plaintext in memory; back ends that persist it encrypt it.
  std::string account_id;
  std::string user_name;  // Empty = the account's root user.
  bool active = true;
  TimePoint created;

  bool operator==(const AccessKey&) const = default;
};

}  // namespace fulcrum::storage
