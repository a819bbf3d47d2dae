#include "storage/store_errors.h"

#include <set>

#include "storage/account_store.h"
#include "storage/iam_store.h"

namespace fulcrum::storage {
namespace {

Error MakeError(std::string_view code, std::string message) {
  return Error{std::string(code), std::move(message), {}};
}

}  // namespace

Error DuplicateEmailError(std::string_view email) {
  return MakeError(kDuplicateAccount,
                   "an account with email " + std::string(email) + " already exists");
}

Error DuplicateNameError(std::string_view name) {
  return MakeError(kDuplicateAccount,
                   "an account with name " + std::string(name) + " already exists");
}

Error DuplicateAccountIdError(std::string_view id) {
  return MakeError(kDuplicateAccountId,
                   "an account with id " + std::string(id) + " already exists");
}

Error DuplicateAccessKeyIdError(std::string_view access_key_id) {
  return MakeError(kDuplicateAccessKeyId,
                   "an access key with id " + std::string(access_key_id) + " already exists");
}

Error NoSuchAccountError(std::string_view account_id) {
  return MakeError(kNoSuchEntity,
                   "The account with id " + std::string(account_id) + " cannot be found.");
}

Error NoSuchAccessKeyError(std::string_view access_key_id) {
  return MakeError(kNoSuchEntity,
                   "The Access Key with id " + std::string(access_key_id) + " cannot be found.");
}

std::string_view KindWord(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kUser:
      return "user";
    case PrincipalKind::kGroup:
      return "group";
    case PrincipalKind::kRole:
      return "role";
  }
  return "principal";
}

namespace {

std::string Capitalized(std::string_view word) {
  std::string text(word);
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  }
  return text;
}

}  // namespace

Error NoSuchPrincipalError(PrincipalKind kind, std::string_view name) {
  return MakeError(kNoSuchEntity, "The " + std::string(KindWord(kind)) + " with name " +
                                      std::string(name) + " cannot be found.");
}

Error PrincipalExistsError(PrincipalKind kind, std::string_view name) {
  return MakeError(kEntityAlreadyExists, Capitalized(KindWord(kind)) + " with name " +
                                             std::string(name) + " already exists.");
}

Error DuplicateUniqueIdError(std::string_view unique_id) {
  return MakeError(kDuplicateUniqueId,
                   "the unique id " + std::string(unique_id) + " is already used");
}

Error NoSuchPolicyError(std::string_view policy_arn) {
  return MakeError(kNoSuchEntity,
                   "Policy " + std::string(policy_arn) + " does not exist or is not attachable.");
}

Error NoSuchPolicyVersionError(std::string_view policy_arn, std::string_view version_id) {
  return MakeError(kNoSuchEntity, "Policy " + std::string(policy_arn) + " version " +
                                      std::string(version_id) +
                                      " does not exist or is not attachable.");
}

Error PolicyExistsError(std::string_view policy_name) {
  return MakeError(kEntityAlreadyExists, "A policy called " + std::string(policy_name) +
                                             " already exists. Duplicate names are not allowed.");
}

Error PolicyNotAttachableError(std::string_view policy_arn) {
  return MakeError(kPolicyNotAttachable,
                   "Policy " + std::string(policy_arn) + " is not attachable.");
}

Error PolicyNotAttachedError(std::string_view policy_arn) {
  return MakeError(kNoSuchEntity, "Policy " + std::string(policy_arn) + " was not found.");
}

Error NoSuchInlinePolicyError(PrincipalKind kind, std::string_view policy_name) {
  return MakeError(kNoSuchEntity, "The " + std::string(KindWord(kind)) + " policy with name " +
                                      std::string(policy_name) + " cannot be found.");
}

Error UserNotInGroupError(std::string_view user_name, std::string_view group_name) {
  return MakeError(kNoSuchEntity, "The user with name " + std::string(user_name) +
                                      " is not in group " + std::string(group_name) + ".");
}

Error NoSuchLoginProfileError(std::string_view user_name) {
  return MakeError(kNoSuchEntity,
                   "Login Profile for User " + std::string(user_name) + " cannot be found.");
}

Error LoginProfileExistsError(std::string_view user_name) {
  return MakeError(kEntityAlreadyExists,
                   "Login Profile for user " + std::string(user_name) + " already exists.");
}

Error NoSuchMfaDeviceError(std::string_view serial_number) {
  return MakeError(kNoSuchEntity, "VirtualMFADevice with serial number " +
                                      std::string(serial_number) + " does not exist.");
}

Error MfaDeviceExistsError(std::string_view serial_number) {
  return MakeError(kEntityAlreadyExists,
                   "MFADevice entity at the same path and name already "
                   "exists: " +
                       std::string(serial_number));
}

Error MfaDeviceInUseError(std::string_view serial_number) {
  return MakeError(kEntityAlreadyExists,
                   "MFA Device " + std::string(serial_number) + " is already in use.");
}

Error MfaDeviceNotAssignedError(std::string_view serial_number, std::string_view user_name) {
  return MakeError(kNoSuchEntity, "MFA Device with serial number " + std::string(serial_number) +
                                      " is not assigned to user " + std::string(user_name) + ".");
}

Error AliasTakenError(std::string_view alias) {
  return MakeError(kEntityAlreadyExists,
                   "The account alias " + std::string(alias) + " already exists.");
}

Error NoSuchAliasError(std::string_view alias) {
  return MakeError(kNoSuchEntity, "The account alias " + std::string(alias) + " cannot be found.");
}

Error NoSuchPasswordPolicyError(std::string_view account_id) {
  return MakeError(kNoSuchEntity, "The Password Policy with domain name " +
                                      std::string(account_id) + " cannot be found.");
}

Error QuotaError(std::string_view quota, size_t limit) {
  return MakeError(kLimitExceeded,
                   "Cannot exceed quota for " + std::string(quota) + ": " + std::to_string(limit));
}

Error DeleteConflictError(std::string_view message) {
  return MakeError(kDeleteConflict, std::string(message));
}

Error InvalidMarkerError() { return MakeError(kInvalidInput, "Invalid Marker."); }

Error RequiresError(std::string_view what) {
  return MakeError(kInternalFailure,
                   "the store was called against its contract: " + std::string(what));
}

Result<void> CheckRootKeys(const Account& account, const std::vector<AccessKey>& root_keys) {
  std::set<std::string_view> ids;
  for (const AccessKey& key : root_keys) {
    if (key.account_id != account.id || !key.user_name.empty()) {
      return Fail(MakeError(kInternalFailure, "root access key " + key.access_key_id +
                                                  " must belong to account " + account.id +
                                                  " and have no user name"));
    }
    if (!ids.insert(key.access_key_id).second) {
      return Fail(DuplicateAccessKeyIdError(key.access_key_id));
    }
  }
  return {};
}

std::string AsciiLower(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

}  // namespace fulcrum::storage
