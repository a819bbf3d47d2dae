#pragma once

// Typed requests and responses of the STS operations Fulcrum implements.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_Operations.html

#include <string>

namespace fulcrum::services::sts {

// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

}  // namespace fulcrum::services::sts
