#pragma once

// The conformance suite that every AccountStore back end passes (tests only). A back end runs it
// with one line in its own test file:
//
//   INSTANTIATE_TEST_SUITE_P(Memory, AccountStoreConformanceTest,
//                            ::testing::Values(AccountStoreFactory{"Memory", MakeIt}),
//                            AccountStoreFactoryName);
//
// The tests themselves live in account_store_conformance_test.cc.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "storage/account_store.h"

namespace fulcrum::storage {

// A fresh directory under the test's temporary directory, removed with its contents at the end.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "fulcrum_storage.XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  // Empty if the directory could not be created.
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct AccountStoreFactory {
  std::string name;
  // Returns an empty store keeping its files, if any, under `dir`; null on failure (after adding
  // a test failure that says why).
  std::function<std::unique_ptr<AccountStore>(const std::filesystem::path& dir)> make;
};

inline void PrintTo(const AccountStoreFactory& factory, std::ostream* out) { *out << factory.name; }

inline std::string AccountStoreFactoryName(
    const ::testing::TestParamInfo<AccountStoreFactory>& info) {
  return info.param.name;
}

class AccountStoreConformanceTest : public ::testing::TestWithParam<AccountStoreFactory> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    store_ = GetParam().make(dir_.path());
    ASSERT_NE(store_, nullptr);
  }

  // Creates an account that the test relies on; fails the test if that does not work.
  void Create(const Account& account, const std::vector<AccessKey>& root_keys = {}) {
    auto created = store_->CreateAccount(account, root_keys);
    ASSERT_TRUE(created.has_value()) << created.error().code << ": " << created.error().message;
  }

  // Creates an access key that the test relies on.
  void CreateKey(const AccessKey& key) {
    auto created = store_->CreateAccessKey(key);
    ASSERT_TRUE(created.has_value()) << created.error().code << ": " << created.error().message;
  }

  // Every account, or none after adding a test failure.
  std::vector<Account> AllAccounts() {
    auto accounts = store_->ListAccounts();
    EXPECT_TRUE(accounts.has_value()) << accounts.error().message;
    return accounts.value_or(std::vector<Account>{});
  }

  // The key with this id, or nullopt (after adding a test failure if the lookup failed).
  std::optional<AccessKey> Key(std::string_view access_key_id) {
    auto key = store_->FindAccessKey(access_key_id);
    EXPECT_TRUE(key.has_value()) << key.error().message;
    return key.value_or(std::nullopt);
  }

  ScopedTempDir dir_;
  std::unique_ptr<AccountStore> store_;
};

// A fixed instant with a sub-second part, so that back ends must keep full precision.
inline TimePoint TestTime(int seconds_after = 0) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::seconds(1'700'000'000 + seconds_after) + std::chrono::nanoseconds(123'456'789)));
}

inline Account TestAccount(std::string id, std::string name, std::string email,
                           TimePoint created = TestTime()) {
  return Account{.id = std::move(id),
                 .name = std::move(name),
                 .email = std::move(email),
                 .created = created,
                 .root_password_hash = "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA"};
}

// A key whose secret is derived from its id, 40 characters like an AWS secret access key.
inline AccessKey TestKey(std::string access_key_id, std::string account_id,
                         std::string user_name = "", TimePoint created = TestTime()) {
  std::string secret = "secret/" + access_key_id + "/";
  secret.resize(40, 'S');
  return AccessKey{.access_key_id = std::move(access_key_id),
                   .secret_access_key = std::move(secret),
                   .account_id = std::move(account_id),
                   .user_name = std::move(user_name),
                   .active = true,
                   .created = created};
}

}  // namespace fulcrum::storage
