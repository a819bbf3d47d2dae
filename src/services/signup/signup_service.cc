#include "services/signup/signup_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "arn/arn.h"
#include "common/ids.h"
#include "common/password_hash.h"
#include "services/signup/errors.h"

namespace fulcrum::services::signup {
namespace {

// Attempts at drawing an unused 12-digit account id before giving up.
constexpr int kAccountIdAttempts = 8;

bool IsPrintableAscii(char c) { return c >= 0x20 && c <= 0x7e; }

}  // namespace

Result<void> ValidateAccountName(std::string_view name) {
  if (name.empty() || name.size() > 50) {
    return Fail(InvalidInput(fmt::format(
        "account name must be 1 to 50 characters long; '{}' has {}", name, name.size())));
  }
  if (!std::all_of(name.begin(), name.end(), IsPrintableAscii)) {
    return Fail(InvalidInput("account name may hold printable ASCII characters only"));
  }
  if (name.find_first_not_of(' ') == std::string_view::npos) {
    return Fail(InvalidInput("account name must not be blank"));
  }
  return {};
}

Result<void> ValidateEmail(std::string_view email) {
  auto invalid = [&] {
    return Fail(InvalidInput(fmt::format(
        "'{}' is not a valid email address: use name@domain.tld, 6 to 64 characters", email)));
  };
  if (email.size() < 6 || email.size() > 64) {
    return invalid();
  }
  if (!std::all_of(email.begin(), email.end(),
                   [](char c) { return IsPrintableAscii(c) && c != ' '; })) {
    return invalid();
  }
  const auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos ||
      email.find('@', at + 1) != std::string_view::npos) {
    return invalid();
  }
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size() ||
      domain.find("..") != std::string_view::npos) {
    return invalid();
  }
  return {};
}

Result<void> ValidateRootPassword(std::string_view password) {
  if (password.size() < 8 || password.size() > 128) {
    return Fail(InvalidInput("the root password must be 8 to 128 characters long"));
  }
  bool upper = false;
  bool lower = false;
  bool digit = false;
  bool symbol = false;
  for (const char c : password) {
    if (!IsPrintableAscii(c)) {
      return Fail(InvalidInput("the root password may hold printable ASCII characters only"));
    }
    upper |= (c >= 'A' && c <= 'Z');
    lower |= (c >= 'a' && c <= 'z');
    digit |= (c >= '0' && c <= '9');
    symbol |= !(std::isalnum(static_cast<unsigned char>(c)) != 0);
  }
  if (int{upper} + int{lower} + int{digit} + int{symbol} < 3) {
    return Fail(InvalidInput(
        "the root password must mix at least three of: upper case, lower case, digits, symbols"));
  }
  return {};
}

std::string GeneratePassword(Random& random) {
  // 24 characters, one of each class guaranteed, the rest from the whole alphabet.
  constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  constexpr std::string_view kLower = "abcdefghijkmnopqrstuvwxyz";
  constexpr std::string_view kDigits = "23456789";
  constexpr std::string_view kSymbols = "!#$%&*+-=?@^_";
  const std::string all = fmt::format("{}{}{}{}", kUpper, kLower, kDigits, kSymbols);
  std::array<std::uint8_t, 24> bytes{};
  random.Fill(bytes);
  std::string password;
  password += kUpper[bytes[0] % kUpper.size()];
  password += kLower[bytes[1] % kLower.size()];
  password += kDigits[bytes[2] % kDigits.size()];
  password += kSymbols[bytes[3] % kSymbols.size()];
  for (std::size_t i = 4; i < bytes.size(); ++i) {
    password += all[bytes[i] % all.size()];
  }
  // Move the guaranteed characters away from the front.
  for (std::size_t i = 0; i < 4; ++i) {
    std::swap(password[i], password[4 + (bytes[4 + i] % (password.size() - 4))]);
  }
  return password;
}

SignupService::SignupService(storage::AccountStore& store, Random& random, const Clock& clock)
    : store_(store), random_(random), clock_(clock) {}

Result<SignUpResult> SignupService::SignUp(const SignUpRequest& request) {
  if (auto valid = ValidateAccountName(request.name); !valid) {
    return Fail(valid.error());
  }
  if (auto valid = ValidateEmail(request.email); !valid) {
    return Fail(valid.error());
  }
  if (request.password) {
    if (auto valid = ValidateRootPassword(*request.password); !valid) {
      return Fail(valid.error());
    }
  }

  SignUpResult result;
  if (!request.password) {
    result.generated_password = GeneratePassword(random_);
  }
  const std::string& password = request.password ? *request.password : *result.generated_password;

  storage::Account account{.id = "",
                           .name = request.name,
                           .email = request.email,
                           .created = clock_.Now(),
                           .root_password_hash = HashPassword(password)};
  std::vector<storage::AccessKey> root_keys;
  for (int attempt = 0; attempt < kAccountIdAttempts; ++attempt) {
    account.id = NewAccountId(random_);
    root_keys.clear();
    if (request.create_root_access_key) {
      root_keys.push_back(storage::AccessKey{.access_key_id = NewAccessKeyId(random_, "AKIA"),
                                             .secret_access_key = NewSecretAccessKey(random_),
                                             .account_id = account.id,
                                             .user_name = "",
                                             .active = true,
                                             .created = account.created});
    }
    auto created = store_.CreateAccount(account, root_keys);
    if (created) {
      result.account = account;
      result.root_arn = arn::RootArn(account.id);
      if (!root_keys.empty()) {
        result.root_access_key = root_keys.front();
      }
      return result;
    }
    if (created.error().code == "DuplicateAccount") {
      return Fail(AlreadyExists(created.error().message));
    }
    if (created.error().code != "DuplicateAccountId") {
      return Fail(created.error());
    }
  }
  return Fail("ServiceFailure", "could not draw an unused account id; try again");
}

}  // namespace fulcrum::services::signup
