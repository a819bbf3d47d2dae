// The AccountStore conformance suite; each back end instantiates it in its own *_test.cc.

#include "storage/account_store_conformance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace fulcrum::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

constexpr char kId1[] = "111111111111";
constexpr char kId2[] = "222222222222";
constexpr char kId3[] = "333333333333";

std::vector<std::string> Ids(const std::vector<Account>& accounts) {
  std::vector<std::string> ids;
  for (const Account& account : accounts) ids.push_back(account.id);
  return ids;
}

std::vector<std::string> Ids(const std::vector<AccessKey>& keys) {
  std::vector<std::string> ids;
  for (const AccessKey& key : keys) ids.push_back(key.access_key_id);
  return ids;
}

TEST_P(AccountStoreConformanceTest, FindsACreatedAccountByIdEmailAndName) {
  const Account account = TestAccount(kId1, "acme-management", "acme-aws@example.com");
  Create(account);
  EXPECT_THAT(store_->FindAccountById(kId1).value(), Optional(account));
  EXPECT_THAT(store_->FindAccountByEmail("acme-aws@example.com").value(), Optional(account));
  EXPECT_THAT(store_->FindAccountByName("acme-management").value(), Optional(account));
}

TEST_P(AccountStoreConformanceTest, KeepsEveryFieldExactly) {
  Account account = TestAccount(kId1, "Ünïcode name ✓", "MiXeD@Example.COM", TestTime(-5));
  account.root_password_hash = "";
  Create(account);
  EXPECT_THAT(store_->FindAccountById(kId1).value(), Optional(account));
  EXPECT_THAT(AllAccounts(), ElementsAre(account));
}

TEST_P(AccountStoreConformanceTest, MissingAccountsAreNullopt) {
  Create(TestAccount(kId1, "present", "present@example.com"));
  EXPECT_EQ(store_->FindAccountById(kId2).value(), std::nullopt);
  EXPECT_EQ(store_->FindAccountById("").value(), std::nullopt);
  EXPECT_EQ(store_->FindAccountByEmail("absent@example.com").value(), std::nullopt);
  EXPECT_EQ(store_->FindAccountByEmail("").value(), std::nullopt);
  EXPECT_EQ(store_->FindAccountByName("absent").value(), std::nullopt);
  EXPECT_EQ(store_->FindAccountByName("").value(), std::nullopt);
}

TEST_P(AccountStoreConformanceTest, EmailLookupIgnoresAsciiCase) {
  const Account account = TestAccount(kId1, "acme", "Acme-AWS@Example.com");
  Create(account);
  for (const char* email : {"Acme-AWS@Example.com", "acme-aws@example.com", "ACME-AWS@EXAMPLE.COM",
                            "aCmE-aWs@eXaMpLe.CoM"}) {
    EXPECT_THAT(store_->FindAccountByEmail(email).value(), Optional(account)) << email;
  }
  EXPECT_EQ(store_->FindAccountByEmail("acme-aws@example.co").value(), std::nullopt);
}

TEST_P(AccountStoreConformanceTest, NameLookupIsExact) {
  Create(TestAccount(kId1, "Acme", "acme@example.com"));
  EXPECT_EQ(store_->FindAccountByName("acme").value(), std::nullopt);
  EXPECT_EQ(store_->FindAccountByName("Acme ").value(), std::nullopt);
  EXPECT_NE(store_->FindAccountByName("Acme").value(), std::nullopt);
}

TEST_P(AccountStoreConformanceTest, DuplicatesAreRejectedAndChangeNothing) {
  const Account original = TestAccount(kId1, "acme", "acme@example.com");
  Create(original, {TestKey("AKIAORIGINAL00000001", kId1)});
  const struct {
    const char* label;
    Account account;
    std::string code;
    std::string message_part;
  } cases[] = {
      {"same email", TestAccount(kId2, "other", "acme@example.com"), "DuplicateAccount",
       "email acme@example.com"},
      {"same email in other case", TestAccount(kId2, "other", "ACME@Example.Com"),
       "DuplicateAccount", "email ACME@Example.Com"},
      {"same name", TestAccount(kId2, "acme", "other@example.com"), "DuplicateAccount",
       "name acme"},
      {"same id", TestAccount(kId1, "other", "other@example.com"), "DuplicateAccountId", kId1},
      {"same email and id: email reported", TestAccount(kId1, "other", "acme@example.com"),
       "DuplicateAccount", "email acme@example.com"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    auto created =
        store_->CreateAccount(c.account, {TestKey("AKIANEW0000000000001", c.account.id)});
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, c.code);
    EXPECT_THAT(created.error().message, HasSubstr(c.message_part));
    EXPECT_THAT(AllAccounts(), ElementsAre(original));
    EXPECT_EQ(Key("AKIANEW0000000000001"), std::nullopt);
    EXPECT_EQ(store_->FindAccountByEmail("other@example.com").value(), std::nullopt);
    EXPECT_EQ(store_->FindAccountByName("other").value(), std::nullopt);
  }
}

TEST_P(AccountStoreConformanceTest, CreatesRootKeysWithTheAccount) {
  const Account account = TestAccount(kId1, "acme", "acme@example.com");
  const AccessKey first = TestKey("AKIAROOT000000000001", kId1, "", TestTime(1));
  const AccessKey second = TestKey("AKIAROOT000000000002", kId1, "", TestTime(2));
  Create(account, {second, first});
  EXPECT_THAT(Key(first.access_key_id), Optional(first));
  EXPECT_THAT(Key(second.access_key_id), Optional(second));
  EXPECT_THAT(store_->ListAccessKeys(kId1, "").value(), ElementsAre(first, second));
}

TEST_P(AccountStoreConformanceTest, TakenRootKeyIdStoresNothing) {
  Create(TestAccount(kId1, "acme", "acme@example.com"), {TestKey("AKIATAKEN00000000001", kId1)});
  auto created = store_->CreateAccount(
      TestAccount(kId2, "beta", "beta@example.com"),
      {TestKey("AKIAFRESH00000000001", kId2), TestKey("AKIATAKEN00000000001", kId2)});
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, "DuplicateAccessKeyId");
  EXPECT_THAT(created.error().message, HasSubstr("AKIATAKEN00000000001"));
  EXPECT_EQ(store_->FindAccountById(kId2).value(), std::nullopt);
  EXPECT_EQ(Key("AKIAFRESH00000000001"), std::nullopt);
  EXPECT_THAT(Key("AKIATAKEN00000000001"), Optional(TestKey("AKIATAKEN00000000001", kId1)));
}

TEST_P(AccountStoreConformanceTest, RepeatedRootKeyIdStoresNothing) {
  auto created = store_->CreateAccount(
      TestAccount(kId1, "acme", "acme@example.com"),
      {TestKey("AKIATWICE00000000001", kId1), TestKey("AKIATWICE00000000001", kId1)});
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, "DuplicateAccessKeyId");
  EXPECT_THAT(AllAccounts(), IsEmpty());
  EXPECT_EQ(Key("AKIATWICE00000000001"), std::nullopt);
}

TEST_P(AccountStoreConformanceTest, RootKeysMustBelongToTheRootUser) {
  const AccessKey cases[] = {
      TestKey("AKIAFOREIGN000000001", kId2),
      TestKey("AKIAUSERKEY000000001", kId1, "alice"),
  };
  for (const AccessKey& key : cases) {
    SCOPED_TRACE(key.access_key_id);
    auto created = store_->CreateAccount(TestAccount(kId1, "acme", "acme@example.com"), {key});
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, "InternalFailure");
    EXPECT_THAT(AllAccounts(), IsEmpty());
    EXPECT_EQ(Key(key.access_key_id), std::nullopt);
  }
}

TEST_P(AccountStoreConformanceTest, ListsAccountsByCreationTimeThenId) {
  EXPECT_THAT(AllAccounts(), IsEmpty());
  Create(TestAccount(kId3, "c", "c@example.com", TestTime(10)));
  Create(TestAccount(kId2, "b", "b@example.com", TestTime(20)));
  Create(TestAccount(kId1, "a", "a@example.com", TestTime(20)));
  Create(TestAccount("000000000009", "z", "z@example.com", TestTime(-10)));
  EXPECT_THAT(Ids(AllAccounts()), ElementsAre("000000000009", kId3, kId1, kId2));
}

TEST_P(AccountStoreConformanceTest, FindsAccessKeysWithEveryField) {
  Create(TestAccount(kId1, "acme", "acme@example.com"));
  AccessKey user_key = TestKey("AKIAUSER000000000001", kId1, "mgmt-org-admin", TestTime(7));
  user_key.active = false;
  user_key.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  CreateKey(user_key);
  EXPECT_THAT(Key(user_key.access_key_id), Optional(user_key));
  EXPECT_EQ(Key("AKIAUSER000000000002"), std::nullopt);
  EXPECT_EQ(Key(""), std::nullopt);
  EXPECT_EQ(Key("akiauser000000000001"), std::nullopt);
}

TEST_P(AccountStoreConformanceTest, AccessKeyNeedsAnExistingAccount) {
  auto created = store_->CreateAccessKey(TestKey("AKIAORPHAN0000000001", kId1));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, "NoSuchEntity");
  EXPECT_THAT(created.error().message, HasSubstr(kId1));
  EXPECT_EQ(Key("AKIAORPHAN0000000001"), std::nullopt);
}

TEST_P(AccountStoreConformanceTest, DuplicateAccessKeyIdKeepsTheOriginal) {
  Create(TestAccount(kId1, "acme", "acme@example.com"));
  Create(TestAccount(kId2, "beta", "beta@example.com"));
  const AccessKey original = TestKey("AKIASAME000000000001", kId1, "alice");
  CreateKey(original);
  AccessKey impostor = TestKey("AKIASAME000000000001", kId2, "mallory");
  impostor.secret_access_key = std::string(40, 'M');
  auto created = store_->CreateAccessKey(impostor);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, "DuplicateAccessKeyId");
  EXPECT_THAT(Key(original.access_key_id), Optional(original));
  EXPECT_THAT(store_->ListAccessKeys(kId2, "mallory").value(), IsEmpty());
}

TEST_P(AccountStoreConformanceTest, DeletesAccessKeys) {
  Create(TestAccount(kId1, "acme", "acme@example.com"));
  const AccessKey kept = TestKey("AKIAKEEP000000000001", kId1, "alice");
  CreateKey(kept);
  CreateKey(TestKey("AKIAGONE000000000001", kId1, "alice"));
  ASSERT_TRUE(store_->DeleteAccessKey("AKIAGONE000000000001").has_value());
  EXPECT_EQ(Key("AKIAGONE000000000001"), std::nullopt);
  EXPECT_THAT(store_->ListAccessKeys(kId1, "alice").value(), ElementsAre(kept));

  auto again = store_->DeleteAccessKey("AKIAGONE000000000001");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, "NoSuchEntity");
  EXPECT_THAT(again.error().message, HasSubstr("AKIAGONE000000000001"));
  EXPECT_THAT(Key(kept.access_key_id), Optional(kept));
}

TEST_P(AccountStoreConformanceTest, SetsAccessKeysActiveOrInactive) {
  Create(TestAccount(kId1, "acme", "acme@example.com"));
  AccessKey key = TestKey("AKIATOGGLE0000000001", kId1);
  CreateKey(key);
  for (bool active : {false, false, true, true, false}) {
    ASSERT_TRUE(store_->SetAccessKeyActive(key.access_key_id, active).has_value());
    key.active = active;
    EXPECT_THAT(Key(key.access_key_id), Optional(key)) << active;
  }
  auto missing = store_->SetAccessKeyActive("AKIAMISSING000000001", true);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "NoSuchEntity");
  EXPECT_EQ(Key("AKIAMISSING000000001"), std::nullopt);
}

TEST_P(AccountStoreConformanceTest, ListsAccessKeysOfOneUserByCreationTimeThenId) {
  Create(TestAccount(kId1, "acme", "acme@example.com"));
  Create(TestAccount(kId2, "beta", "beta@example.com"));
  CreateKey(TestKey("AKIAALICE00000000003", kId1, "alice", TestTime(1)));
  CreateKey(TestKey("AKIAALICE00000000002", kId1, "alice", TestTime(2)));
  CreateKey(TestKey("AKIAALICE00000000001", kId1, "alice", TestTime(2)));
  CreateKey(TestKey("AKIAROOT000000000001", kId1, "", TestTime(0)));
  CreateKey(TestKey("AKIABOB0000000000001", kId1, "bob", TestTime(0)));
  CreateKey(TestKey("AKIAALICEBETA0000001", kId2, "alice", TestTime(0)));

  const struct {
    std::string account_id;
    std::string user_name;
    std::vector<std::string> expected;
  } cases[] = {
      {kId1, "alice", {"AKIAALICE00000000003", "AKIAALICE00000000001", "AKIAALICE00000000002"}},
      {kId1, "", {"AKIAROOT000000000001"}},
      {kId1, "bob", {"AKIABOB0000000000001"}},
      {kId1, "Alice", {}},
      {kId2, "alice", {"AKIAALICEBETA0000001"}},
      {kId2, "", {}},
      {kId3, "alice", {}},
  };
  for (const auto& c : cases) {
    auto keys = store_->ListAccessKeys(c.account_id, c.user_name);
    ASSERT_TRUE(keys.has_value());
    EXPECT_EQ(Ids(*keys), c.expected) << c.account_id << "/" << c.user_name;
  }
  EXPECT_THAT(store_->ListAccessKeys(kId1, "alice").value().front(),
              TestKey("AKIAALICE00000000003", kId1, "alice", TestTime(1)));
}

TEST_P(AccountStoreConformanceTest, ServesConcurrentReadersAndWriters) {
  Create(TestAccount(kId1, "acme", "acme@example.com"), {TestKey("AKIAHOT0000000000001", kId1)});
  const AccessKey hot = TestKey("AKIAHOT0000000000001", kId1);
  constexpr int kWriters = 4;
  constexpr int kKeysPerWriter = 25;
  constexpr int kReaders = 4;
  constexpr int kReadsPerReader = 200;
  std::vector<int> failures(kWriters + kReaders, 0);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([this, &failures, w] {
      for (int i = 0; i < kKeysPerWriter; ++i) {
        const std::string id = "AKIAW" + std::to_string(w) + "K" + std::to_string(1000 + i);
        if (!store_->CreateAccessKey(TestKey(id, kId1, "user" + std::to_string(w))).has_value() ||
            !store_->SetAccessKeyActive(id, false).has_value()) {
          ++failures[w];
        }
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([this, &failures, &hot, r] {
      for (int i = 0; i < kReadsPerReader; ++i) {
        auto key = store_->FindAccessKey(hot.access_key_id);
        if (!key.has_value() || *key != hot) ++failures[kWriters + r];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (size_t i = 0; i < failures.size(); ++i) EXPECT_EQ(failures[i], 0) << "thread " << i;
  for (int w = 0; w < kWriters; ++w) {
    auto keys = store_->ListAccessKeys(kId1, "user" + std::to_string(w));
    ASSERT_TRUE(keys.has_value());
    EXPECT_EQ(keys->size(), static_cast<size_t>(kKeysPerWriter));
    for (const AccessKey& key : *keys) EXPECT_FALSE(key.active) << key.access_key_id;
  }
}

}  // namespace
}  // namespace fulcrum::storage
