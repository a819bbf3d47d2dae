#pragma once

// Principal: who made a request, as authentication established it. Services and the authorizer
// read it; only auth/ creates it.

#include <string>

namespace fulcrum::services {

enum class PrincipalKind {
  kRoot,     // the account's root user (arn:aws:iam::<id>:root)
  kIamUser,  // an IAM user (arn:aws:iam::<id>:user/<path><name>)
};

struct Principal {
  PrincipalKind kind = PrincipalKind::kRoot;
  std::string account_id;
  std::string arn;
  // AWS's unique id of the caller: the account id for root, the AIDA... id for a user.
  std::string user_id;
  // Empty for root.
  std::string user_name;
  // The access key that signed the request.
  std::string access_key_id;
};

}  // namespace fulcrum::services
