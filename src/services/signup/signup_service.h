#pragma once

// SignupService: creates AWS accounts with their root user. Thread-safe.

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "services/signup/types.h"
#include "storage/account_store.h"

namespace fulcrum::services::signup {

class SignupService {
 public:
  // REQUIRES: the arguments outlive the service.
  SignupService(storage::AccountStore& store, Random& random, const Clock& clock);

  // On success the account exists durably with a fresh 12-digit id; the password is stored only
  // as a slow hash. Errors (nothing is changed): InvalidInput for a malformed name, email or
  // password; EntityAlreadyExists when the name or the email (case-insensitive) is taken.
  [[nodiscard]] Result<SignUpResult> SignUp(const SignUpRequest& request);

 private:
  storage::AccountStore& store_;
  Random& random_;
  const Clock& clock_;
};

// Checks against AWS's rules for an account name: 1-50 printable ASCII characters, not only spaces.
[[nodiscard]] Result<void> ValidateAccountName(std::string_view name);
// Checks an email as AWS's sign-up does: 6-64 characters, local@domain.tld, no spaces.
[[nodiscard]] Result<void> ValidateEmail(std::string_view email);
// Checks a root password as AWS's sign-up does: 8-128 characters with at least three of upper
// case, lower case, digits and symbols.
[[nodiscard]] Result<void> ValidateRootPassword(std::string_view password);
// A new random password that satisfies ValidateRootPassword.
[[nodiscard]] std::string GeneratePassword(Random& random);

}  // namespace fulcrum::services::signup
