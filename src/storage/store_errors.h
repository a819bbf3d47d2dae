#pragma once

// The errors every AccountStore and IamStore back end reports, built in one place so that all back
// ends say the same thing, and checks shared by the back ends.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/iam_records.h"
#include "storage/records.h"

namespace fulcrum::storage {

[[nodiscard]] Error DuplicateEmailError(std::string_view email);
[[nodiscard]] Error DuplicateNameError(std::string_view name);
[[nodiscard]] Error DuplicateAccountIdError(std::string_view id);
[[nodiscard]] Error DuplicateAccessKeyIdError(std::string_view access_key_id);
[[nodiscard]] Error NoSuchAccountError(std::string_view account_id);
[[nodiscard]] Error NoSuchAccessKeyError(std::string_view access_key_id);

// IAM errors, worded as AWS words them.
[[nodiscard]] Error NoSuchPrincipalError(PrincipalKind kind, std::string_view name);
[[nodiscard]] Error PrincipalExistsError(PrincipalKind kind, std::string_view name);
[[nodiscard]] Error DuplicateUniqueIdError(std::string_view unique_id);
[[nodiscard]] Error NoSuchPolicyError(std::string_view policy_arn);
[[nodiscard]] Error NoSuchPolicyVersionError(std::string_view policy_arn,
                                             std::string_view version_id);
[[nodiscard]] Error PolicyExistsError(std::string_view policy_name);
[[nodiscard]] Error PolicyNotAttachableError(std::string_view policy_arn);
[[nodiscard]] Error PolicyNotAttachedError(std::string_view policy_arn);
[[nodiscard]] Error NoSuchInlinePolicyError(PrincipalKind kind, std::string_view policy_name);
[[nodiscard]] Error UserNotInGroupError(std::string_view user_name, std::string_view group_name);
[[nodiscard]] Error NoSuchLoginProfileError(std::string_view user_name);
[[nodiscard]] Error LoginProfileExistsError(std::string_view user_name);
[[nodiscard]] Error NoSuchMfaDeviceError(std::string_view serial_number);
[[nodiscard]] Error MfaDeviceExistsError(std::string_view serial_number);
[[nodiscard]] Error MfaDeviceInUseError(std::string_view serial_number);
[[nodiscard]] Error MfaDeviceNotAssignedError(std::string_view serial_number,
                                              std::string_view user_name);
[[nodiscard]] Error AliasTakenError(std::string_view alias);
[[nodiscard]] Error NoSuchAliasError(std::string_view alias);
[[nodiscard]] Error NoSuchPasswordPolicyError(std::string_view account_id);
// kLimitExceeded: "Cannot exceed quota for <quota>: <limit>".
[[nodiscard]] Error QuotaError(std::string_view quota, size_t limit);
// kDeleteConflict with `message`.
[[nodiscard]] Error DeleteConflictError(std::string_view message);
[[nodiscard]] Error InvalidMarkerError();
// kInternalFailure for a call that broke a REQUIRES of the interface.
[[nodiscard]] Error RequiresError(std::string_view what);

// "user", "group" or "role".
[[nodiscard]] std::string_view KindWord(PrincipalKind kind);

// Checks CreateAccount's REQUIRES on root_keys and that their ids are distinct.
[[nodiscard]] Result<void> CheckRootKeys(const Account& account,
                                         const std::vector<AccessKey>& root_keys);

// `text` with ASCII letters lowered, the folding under which emails are compared.
[[nodiscard]] std::string AsciiLower(std::string_view text);

}  // namespace fulcrum::storage
