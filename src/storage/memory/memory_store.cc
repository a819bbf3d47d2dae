#include "storage/memory/memory_store.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <tuple>

#include "storage/memory/memory_database.h"
#include "storage/store_errors.h"

namespace fulcrum::storage {

Result<void> MemoryDatabase::CreateAccount(const Account& account,
                                           const std::vector<AccessKey>& root_keys) {
  if (auto checked = CheckRootKeys(account, root_keys); !checked.has_value()) return checked;
  std::unique_lock lock(mutex_);
  const std::string email = AsciiLower(account.email);
  if (account_by_email_.contains(email)) return Fail(DuplicateEmailError(account.email));
  if (account_by_name_.contains(account.name)) return Fail(DuplicateNameError(account.name));
  if (accounts_.contains(account.id)) return Fail(DuplicateAccountIdError(account.id));
  for (const AccessKey& key : root_keys) {
    if (keys_.contains(key.access_key_id)) {
      return Fail(DuplicateAccessKeyIdError(key.access_key_id));
    }
  }
  accounts_.emplace(account.id, account);
  account_by_email_.emplace(email, account.id);
  account_by_name_.emplace(account.name, account.id);
  for (const AccessKey& key : root_keys) keys_.emplace(key.access_key_id, key);
  return {};
}

Result<std::optional<Account>> MemoryDatabase::FindAccountById(std::string_view id) {
  std::shared_lock lock(mutex_);
  return FindLocked(id);
}

Result<std::optional<Account>> MemoryDatabase::FindAccountByEmail(std::string_view email) {
  std::shared_lock lock(mutex_);
  auto it = account_by_email_.find(AsciiLower(email));
  if (it == account_by_email_.end()) return std::nullopt;
  return FindLocked(it->second);
}

Result<std::optional<Account>> MemoryDatabase::FindAccountByName(std::string_view name) {
  std::shared_lock lock(mutex_);
  auto it = account_by_name_.find(name);
  if (it == account_by_name_.end()) return std::nullopt;
  return FindLocked(it->second);
}

Result<std::vector<Account>> MemoryDatabase::ListAccounts() {
  std::vector<Account> accounts;
  {
    std::shared_lock lock(mutex_);
    accounts.reserve(accounts_.size());
    for (const auto& [id, account] : accounts_) accounts.push_back(account);
  }
  std::sort(accounts.begin(), accounts.end(), [](const Account& a, const Account& b) {
    return std::tie(a.created, a.id) < std::tie(b.created, b.id);
  });
  return accounts;
}

Result<std::optional<AccessKey>> MemoryDatabase::FindAccessKey(std::string_view access_key_id) {
  std::shared_lock lock(mutex_);
  auto it = keys_.find(access_key_id);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

Result<void> MemoryDatabase::CreateAccessKey(const AccessKey& key) {
  std::unique_lock lock(mutex_);
  if (!accounts_.contains(key.account_id)) return Fail(NoSuchAccountError(key.account_id));
  if (keys_.contains(key.access_key_id)) {
    return Fail(DuplicateAccessKeyIdError(key.access_key_id));
  }
  keys_.emplace(key.access_key_id, key);
  return {};
}

Result<void> MemoryDatabase::DeleteAccessKey(std::string_view access_key_id) {
  std::unique_lock lock(mutex_);
  auto it = keys_.find(access_key_id);
  if (it == keys_.end()) return Fail(NoSuchAccessKeyError(access_key_id));
  keys_.erase(it);
  key_last_used_.erase(std::string(access_key_id));
  return {};
}

Result<void> MemoryDatabase::SetAccessKeyActive(std::string_view access_key_id, bool active) {
  std::unique_lock lock(mutex_);
  auto it = keys_.find(access_key_id);
  if (it == keys_.end()) return Fail(NoSuchAccessKeyError(access_key_id));
  it->second.active = active;
  return {};
}

Result<std::vector<AccessKey>> MemoryDatabase::ListAccessKeys(std::string_view account_id,
                                                              std::string_view user_name) {
  std::vector<AccessKey> keys;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [id, key] : keys_) {
      if (key.account_id == account_id && key.user_name == user_name) keys.push_back(key);
    }
  }
  std::sort(keys.begin(), keys.end(), [](const AccessKey& a, const AccessKey& b) {
    return std::tie(a.created, a.access_key_id) < std::tie(b.created, b.access_key_id);
  });
  return keys;
}

std::optional<Account> MemoryDatabase::FindLocked(std::string_view id) const {
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

std::unique_ptr<AccountStore> MakeMemoryStore() {
  return std::make_unique<MemoryDatabase>(kDefaultListScanLimit);
}

std::unique_ptr<Database> MakeMemoryDatabase(size_t list_scan_limit) {
  return std::make_unique<MemoryDatabase>(list_scan_limit);
}

}  // namespace fulcrum::storage
