#pragma once

// Errors of the sign-up: AWS-style codes, messages that name the field and the fix.

#include <string>

#include "common/result.h"

namespace fulcrum::services::signup {

inline constexpr std::string_view kInvalidInput = "InvalidInput";
inline constexpr std::string_view kAlreadyExists = "EntityAlreadyExists";

[[nodiscard]] inline Error InvalidInput(std::string message) {
  return Error{std::string(kInvalidInput), std::move(message), {}};
}

[[nodiscard]] inline Error AlreadyExists(std::string message) {
  return Error{std::string(kAlreadyExists), std::move(message), {}};
}

}  // namespace fulcrum::services::signup
