#pragma once

// The errors IAM operations raise, by their AWS codes (the codec picks each code's HTTP status
// from the IAM model). Messages follow AWS's wording.
// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum::services::iam {

// 404. "The user with name X cannot be found."
[[nodiscard]] inline Error NoSuchEntity(std::string message) {
  return Error{"NoSuchEntity", std::move(message), {}};
}
// 409. "User with name X already exists."
[[nodiscard]] inline Error EntityAlreadyExists(std::string message) {
  return Error{"EntityAlreadyExists", std::move(message), {}};
}
// 409. "Cannot exceed quota for AccessKeysPerUser: 2"
[[nodiscard]] inline Error LimitExceeded(std::string message) {
  return Error{"LimitExceeded", std::move(message), {}};
}
// 409. "Cannot delete entity, must delete access keys first."
[[nodiscard]] inline Error DeleteConflict(std::string message) {
  return Error{"DeleteConflict", std::move(message), {}};
}
// 400.
[[nodiscard]] inline Error InvalidInput(std::string message) {
  return Error{"InvalidInput", std::move(message), {}};
}
// 400.
[[nodiscard]] inline Error ValidationError(std::string message) {
  return Error{"ValidationError", std::move(message), {}};
}
// 400. "Syntax errors in policy." and friends.
[[nodiscard]] inline Error MalformedPolicyDocument(std::string message) {
  return Error{"MalformedPolicyDocument", std::move(message), {}};
}
// 403.
[[nodiscard]] inline Error InvalidAuthenticationCode(std::string message) {
  return Error{"InvalidAuthenticationCode", std::move(message), {}};
}
// 409. "The request was rejected because it attempted to create a resource that already exists"
[[nodiscard]] inline Error EntityTemporarilyUnmodifiable(std::string message) {
  return Error{"EntityTemporarilyUnmodifiable", std::move(message), {}};
}
// 400.
[[nodiscard]] inline Error PasswordPolicyViolation(std::string message) {
  return Error{"PasswordPolicyViolation", std::move(message), {}};
}
// 410.
[[nodiscard]] inline Error ReportNotPresent(std::string message) {
  return Error{"ReportNotPresent", std::move(message), {}};
}
// 500; rarely right: prefer a client error when the client can fix it.
[[nodiscard]] inline Error ServiceFailure(std::string message) {
  return Error{"ServiceFailure", std::move(message), {}};
}

// Maps a storage error to IAM's: kNoSuchEntity -> NoSuchEntity, kEntityAlreadyExists ->
// EntityAlreadyExists, kDeleteConflict -> DeleteConflict, kLimitExceeded -> LimitExceeded; other
// codes pass through; storage failures become ServiceFailure.
[[nodiscard]] Error FromStorage(const Error& error);

}  // namespace fulcrum::services::iam
