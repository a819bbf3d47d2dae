#pragma once

// AccountStore: durable state of accounts and their long-term access keys.
//
// Every method is one transaction: it applies completely or not at all, and once it returns
// success the change is visible to every later call (from any thread, and for back ends that share
// a database, from any process); durable back ends keep it through a crash of the process.
//
// Thread safety: implementations are safe to call from any number of threads at once.
//
// Errors: a method's Error::code is one of the constants below; messages never hold a secret.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/records.h"

namespace fulcrum::storage {

// An account with the same email (ignoring ASCII case) or the same name exists.
inline constexpr std::string_view kDuplicateAccount = "DuplicateAccount";
// An account with the same id exists; the caller retries with a fresh id.
inline constexpr std::string_view kDuplicateAccountId = "DuplicateAccountId";
// An access key with the same id exists; the caller retries with a fresh id.
inline constexpr std::string_view kDuplicateAccessKeyId = "DuplicateAccessKeyId";
// The account or access key named by the call does not exist.
inline constexpr std::string_view kNoSuchEntity = "NoSuchEntity";
// The back end failed, stored data cannot be decrypted, or the call broke a REQUIRES of this
// interface (a bug in the caller).
inline constexpr std::string_view kInternalFailure = "InternalFailure";
// The database stayed locked by another writer longer than the back end's busy timeout.
inline constexpr std::string_view kServiceUnavailable = "ServiceUnavailable";

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Creates `account` and its root user's access keys together.
  // REQUIRES: every key in root_keys has account_id == account.id and an empty user_name
  // (else kInternalFailure, nothing stored).
  // Fails, storing nothing, with kDuplicateAccount if an account has the same email (ignoring
  // ASCII case; checked first) or the same name (exact match), with kDuplicateAccountId if an
  // account has the same id, and with kDuplicateAccessKeyId if a key id is already used (or used
  // twice in root_keys).
  [[nodiscard]] virtual Result<void> CreateAccount(const Account& account,
                                                   const std::vector<AccessKey>& root_keys) = 0;

  // On success, the account with this id, or nullopt if there is none.
  [[nodiscard]] virtual Result<std::optional<Account>> FindAccountById(std::string_view id) = 0;
  // On success, the account with this email ignoring ASCII case, or nullopt if there is none.
  [[nodiscard]] virtual Result<std::optional<Account>> FindAccountByEmail(
      std::string_view email) = 0;
  // On success, the account with exactly this name, or nullopt if there is none.
  [[nodiscard]] virtual Result<std::optional<Account>> FindAccountByName(std::string_view name) = 0;
  // On success, every account, ordered by creation time and then by id.
  [[nodiscard]] virtual Result<std::vector<Account>> ListAccounts() = 0;

  // On success, the access key with this id (secret in plaintext), or nullopt if there is none.
  // This is the authentication hot path: an index lookup whose cost does not grow with the number
  // of keys.
  [[nodiscard]] virtual Result<std::optional<AccessKey>> FindAccessKey(
      std::string_view access_key_id) = 0;
  // Stores `key`. Fails with kNoSuchEntity if key.account_id names no account, and with
  // kDuplicateAccessKeyId if the id is taken; nothing is stored then.
  [[nodiscard]] virtual Result<void> CreateAccessKey(const AccessKey& key) = 0;
  // Deletes the key. Fails with kNoSuchEntity if there is none.
  [[nodiscard]] virtual Result<void> DeleteAccessKey(std::string_view access_key_id) = 0;
  // Sets whether the key is active. Fails with kNoSuchEntity if there is none.
  [[nodiscard]] virtual Result<void> SetAccessKeyActive(std::string_view access_key_id,
                                                        bool active) = 0;
  // On success, the keys of `user_name` (empty = the root user) in `account_id`, ordered by
  // creation time and then by id; empty if there are none.
  [[nodiscard]] virtual Result<std::vector<AccessKey>> ListAccessKeys(
      std::string_view account_id, std::string_view user_name) = 0;
};

}  // namespace fulcrum::storage
