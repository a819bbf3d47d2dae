#pragma once

// The errors STS operations raise, by their AWS codes.
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html

#include <string>

#include "common/result.h"

namespace fulcrum::services::sts {

[[nodiscard]] inline Error ValidationError(std::string message) {
  return Error{"ValidationError", std::move(message), {}};
}

}  // namespace fulcrum::services::sts
