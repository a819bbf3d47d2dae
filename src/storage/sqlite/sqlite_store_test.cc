#include "storage/sqlite/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "storage/account_store_conformance.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"

namespace fulcrum::storage {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

SecretBox TestBox(char fill = 'm') {
  auto box = SecretBox::FromKey(std::string(SecretBox::kKeySize, fill));
  EXPECT_TRUE(box.has_value());
  return *box;
}

std::unique_ptr<AccountStore> OpenTestStore(const fs::path& dir) {
  auto store = OpenSqliteStore(dir / "fulcrum.db", TestBox());
  if (!store.has_value()) {
    ADD_FAILURE() << store.error().code << ": " << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AccountStoreConformanceTest,
                         ::testing::Values(AccountStoreFactory{"Sqlite", OpenTestStore}),
                         AccountStoreFactoryName);

std::string ReadFileBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

mode_t ModeOf(const fs::path& file) {
  struct stat info {};
  EXPECT_EQ(::stat(file.c_str(), &info), 0) << file;
  return info.st_mode & 07777;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  fs::path DbFile() const { return dir_.path() / "fulcrum.db"; }

  SqliteStoreOptions Options() const {
    return SqliteStoreOptions{
        .clock = clock_, .busy_timeout = std::chrono::seconds(10), .max_idle_readers = 4};
  }

  Result<std::unique_ptr<AccountStore>> Open(char key_fill = 'm') const {
    return OpenSqliteStore(DbFile(), TestBox(key_fill), Options());
  }

  // Opens the store the test relies on; null after adding a failure.
  std::unique_ptr<AccountStore> OpenOrFail() const {
    auto store = Open();
    if (!store.has_value()) {
      ADD_FAILURE() << store.error().code << ": " << store.error().message;
      return nullptr;
    }
    return std::move(*store);
  }

  // A plain SQL connection to the database file, beside any store, to inspect or damage it.
  std::unique_ptr<sqlite::Connection> Raw() const {
    auto connection = sqlite::Connection::Open(DbFile(), {});
    if (!connection.has_value()) {
      ADD_FAILURE() << connection.error().message;
      return nullptr;
    }
    return std::move(*connection);
  }

  // The single-column rows of `sql` (as bytes).
  std::vector<std::string> Column(std::string_view sql) const {
    std::vector<std::string> values;
    auto raw = Raw();
    if (raw == nullptr) return values;
    auto select = raw->Prepare(sql);
    if (!select.has_value()) {
      ADD_FAILURE() << select.error().message;
      return values;
    }
    for (;;) {
      auto row = select->Step();
      if (!row.has_value()) ADD_FAILURE() << row.error().message;
      if (!row.has_value() || !*row) return values;
      values.push_back(select->ColumnBlob(0));
    }
  }

  ScopedTempDir dir_;
  std::shared_ptr<FixedClock> clock_ = std::make_shared<FixedClock>(TestTime(0));
};

constexpr char kId1[] = "111111111111";
constexpr char kId2[] = "222222222222";

TEST_F(SqliteStoreTest, ReopeningKeepsEverything) {
  const Account account = TestAccount(kId1, "acme", "acme@example.com");
  AccessKey key = TestKey("AKIAREOPEN0000000001", kId1);
  AccessKey user_key = TestKey("AKIAREOPEN0000000002", kId1, "alice");
  {
    auto store = OpenOrFail();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateAccount(account, {key}).has_value());
    ASSERT_TRUE(store->CreateAccessKey(user_key).has_value());
    ASSERT_TRUE(store->SetAccessKeyActive(user_key.access_key_id, false).has_value());
    user_key.active = false;
  }
  auto store = OpenOrFail();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->FindAccountByEmail("ACME@example.com").value(), Optional(account));
  EXPECT_THAT(store->FindAccessKey(key.access_key_id).value(), Optional(key));
  EXPECT_THAT(store->FindAccessKey(user_key.access_key_id).value(), Optional(user_key));
}

TEST_F(SqliteStoreTest, UsesWriteAheadLogging) {
  ASSERT_NE(OpenOrFail(), nullptr);
  EXPECT_EQ(Column("PRAGMA journal_mode"), std::vector<std::string>{"wal"});
}

TEST_F(SqliteStoreTest, SecretsAreEncryptedAtRest) {
  auto store = OpenOrFail();
  ASSERT_NE(store, nullptr);
  const AccessKey key = TestKey("AKIASEALED0000000001", kId1);
  ASSERT_TRUE(
      store->CreateAccount(TestAccount(kId1, "acme", "acme@example.com"), {key}).has_value());

  const std::vector<std::string> stored =
      Column("SELECT secret_sealed FROM access_keys WHERE access_key_id = 'AKIASEALED0000000001'");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].size(), SecretBox::kOverhead + key.secret_access_key.size());
  EXPECT_THAT(stored[0], Not(HasSubstr(key.secret_access_key)));
  // Neither the database nor its write-ahead log holds the plaintext anywhere.
  for (const char* suffix : {"", "-wal"}) {
    const std::string bytes = ReadFileBytes(DbFile().string() + suffix);
    EXPECT_FALSE(bytes.empty()) << suffix;
    EXPECT_EQ(bytes.find(key.secret_access_key), std::string::npos) << suffix;
  }
}

TEST_F(SqliteStoreTest, SecretMovedToAnotherRowDoesNotOpen) {
  auto store = OpenOrFail();
  ASSERT_NE(store, nullptr);
  const AccessKey first = TestKey("AKIASWAP000000000001", kId1);
  const AccessKey second = TestKey("AKIASWAP000000000002", kId1);
  ASSERT_TRUE(store->CreateAccount(TestAccount(kId1, "acme", "acme@example.com"), {first, second})
                  .has_value());
  const std::vector<std::string> sealed =
      Column("SELECT secret_sealed FROM access_keys ORDER BY access_key_id");
  ASSERT_EQ(sealed.size(), 2u);
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    for (const auto& [id, value] :
         {std::pair{first.access_key_id, sealed[1]}, std::pair{second.access_key_id, sealed[0]}}) {
      auto update =
          raw->Prepare("UPDATE access_keys SET secret_sealed = ?1 WHERE access_key_id = ?2");
      ASSERT_TRUE(update.has_value());
      update->BindBlob(1, value).BindText(2, id);
      ASSERT_TRUE(update->Run().has_value());
    }
  }
  for (const AccessKey& key : {first, second}) {
    auto found = store->FindAccessKey(key.access_key_id);
    ASSERT_FALSE(found.has_value()) << key.access_key_id;
    EXPECT_EQ(found.error().code, "InternalFailure");
    EXPECT_THAT(found.error().message, HasSubstr(key.access_key_id));
    EXPECT_THAT(found.error().message, Not(HasSubstr(first.secret_access_key)));
    EXPECT_THAT(found.error().message, Not(HasSubstr(second.secret_access_key)));
  }
  auto listed = store->ListAccessKeys(kId1, "");
  ASSERT_FALSE(listed.has_value());
  EXPECT_EQ(listed.error().code, "InternalFailure");
  // Accounts do not depend on the secrets.
  EXPECT_NE(store->FindAccountById(kId1).value(), std::nullopt);
}

TEST_F(SqliteStoreTest, AnotherMasterKeyIsRefusedAtOpen) {
  ASSERT_NE(OpenOrFail(), nullptr);
  auto other = Open('x');
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, "MasterKeyMismatch");
  EXPECT_THAT(other.error().message, HasSubstr(DbFile().string()));
  EXPECT_TRUE(Open('m').has_value());
}

TEST_F(SqliteStoreTest, RecordsAppliedMigrationsOnce) {
  ASSERT_NE(OpenOrFail(), nullptr);
  clock_->Advance(std::chrono::hours(1));
  ASSERT_NE(OpenOrFail(), nullptr);
  std::vector<std::string> expected_versions;
  for (const auto& migration : sqlite::Migrations()) {
    expected_versions.push_back(std::to_string(migration.version));
  }
  EXPECT_EQ(Column("SELECT version FROM schema_migrations ORDER BY version"), expected_versions);
  // TestTime(0) is 2023-11-14T22:13:20.123456789Z; applied_at keeps whole seconds.
  EXPECT_EQ(Column("SELECT DISTINCT applied_at FROM schema_migrations"),
            std::vector<std::string>{"2023-11-14T22:13:20Z"});
  EXPECT_EQ(sqlite::LatestSchemaVersion(), sqlite::Migrations().back().version);
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerBinary) {
  {
    auto store = OpenOrFail();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(
        store->CreateAccount(TestAccount(kId1, "acme", "acme@example.com"), {}).has_value());
  }
  const int newer = sqlite::LatestSchemaVersion() + 1;
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                          std::to_string(newer) + ", '2030-01-01T00:00:00Z')")
                    .has_value());
  }
  auto store = Open();
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, "IncompatibleDatabase");
  EXPECT_THAT(store.error().message, HasSubstr(DbFile().string()));
  EXPECT_THAT(store.error().message, HasSubstr("version " + std::to_string(newer)));
  EXPECT_EQ(Column("SELECT id FROM accounts"), std::vector<std::string>{kId1});
}

TEST_F(SqliteStoreTest, FilesAreReadableByTheOwnerOnly) {
  const mode_t old_umask = ::umask(0);
  auto store = OpenOrFail();
  ::umask(old_umask);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->CreateAccount(TestAccount(kId1, "acme", "acme@example.com"),
                                  {TestKey("AKIAMODE000000000001", kId1)})
                  .has_value());
  ASSERT_TRUE(store->FindAccessKey("AKIAMODE000000000001").has_value());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const fs::path file = DbFile().string() + suffix;
    ASSERT_TRUE(fs::exists(file)) << file;
    EXPECT_EQ(ModeOf(file), 0600u) << file;
  }
}

TEST_F(SqliteStoreTest, AcknowledgedWritesSurviveTheProcessDying) {
  const struct {
    const char* label;
    bool sigkill;
    const char* account_id;
  } cases[] = {{"SIGKILL", true, kId1}, {"_exit", false, kId2}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string email = std::string(c.account_id) + "@example.com";
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: no gtest assertions; report through the exit status.
      auto store = OpenSqliteStore(DbFile(), TestBox(), Options());
      if (!store.has_value()) ::_exit(2);
      auto created =
          (*store)->CreateAccount(TestAccount(c.account_id, c.account_id, email),
                                  {TestKey(std::string("AKIACRASH") + c.account_id, c.account_id)});
      if (!created.has_value()) ::_exit(3);
      // Die without closing anything, right after the write was acknowledged.
      if (c.sigkill) ::kill(::getpid(), SIGKILL);
      ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    if (c.sigkill) {
      ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
      EXPECT_EQ(WTERMSIG(status), SIGKILL);
    } else {
      ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
      EXPECT_EQ(WEXITSTATUS(status), 0);
    }
  }
  auto store = OpenOrFail();
  ASSERT_NE(store, nullptr);
  for (const auto& c : cases) {
    EXPECT_NE(store->FindAccountById(c.account_id).value(), std::nullopt) << c.label;
    EXPECT_THAT(store->FindAccessKey(std::string("AKIACRASH") + c.account_id).value(),
                Optional(TestKey(std::string("AKIACRASH") + c.account_id, c.account_id)))
        << c.label;
  }
}

TEST_F(SqliteStoreTest, SeesWritesOfAnotherProcess) {
  auto store = OpenOrFail();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateAccount(TestAccount(kId1, "acme", "acme@example.com"), {}).has_value());
  ASSERT_EQ(store->FindAccountById(kId2).value(), std::nullopt);  // Warms a read connection.

  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto other = OpenSqliteStore(DbFile(), TestBox(), Options());
    if (!other.has_value()) ::_exit(2);
    if (!(*other)
             ->CreateAccount(TestAccount(kId2, "beta", "beta@example.com"),
                             {TestKey("AKIAOTHERPROCESS0001", kId2)})
             .has_value()) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  EXPECT_NE(store->FindAccountById(kId2).value(), std::nullopt);
  EXPECT_NE(store->FindAccessKey("AKIAOTHERPROCESS0001").value(), std::nullopt);
  // The other process's uniqueness is enforced here too.
  auto duplicate = store->CreateAccount(TestAccount("333333333333", "x", "BETA@example.com"), {});
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code, "DuplicateAccount");
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFileWriteConcurrently) {
  auto first = OpenOrFail();
  auto second = OpenOrFail();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->CreateAccount(TestAccount(kId1, "acme", "acme@example.com"), {}).has_value());
  constexpr int kKeys = 30;
  int failures[2] = {0, 0};
  std::thread threads[2];
  AccountStore* stores[2] = {first.get(), second.get()};
  for (int s = 0; s < 2; ++s) {
    threads[s] = std::thread([&, s] {
      for (int i = 0; i < kKeys; ++i) {
        const std::string id = "AKIASTORE" + std::to_string(s) + "K" + std::to_string(100 + i);
        if (!stores[s]->CreateAccessKey(TestKey(id, kId1, "u")).has_value()) ++failures[s];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures[0], 0);
  EXPECT_EQ(failures[1], 0);
  EXPECT_EQ(first->ListAccessKeys(kId1, "u").value().size(), 2u * kKeys);
  EXPECT_EQ(second->ListAccessKeys(kId1, "u").value().size(), 2u * kKeys);
}

TEST_F(SqliteStoreTest, LookupsAreIndexSearches) {
  ASSERT_NE(OpenOrFail(), nullptr);
  const struct {
    std::string query;
    std::string plan_part;
  } cases[] = {
      {"SELECT secret_sealed FROM access_keys WHERE access_key_id = ?1",
       "SEARCH access_keys USING PRIMARY KEY (access_key_id=?)"},
      {"SELECT created_ns FROM accounts WHERE email = ?1", "SEARCH accounts USING INDEX"},
      {"SELECT created_ns FROM accounts WHERE name = ?1", "SEARCH accounts USING INDEX"},
      {"SELECT created_ns FROM accounts WHERE id = ?1", "SEARCH accounts USING INDEX"},
      {"SELECT access_key_id FROM access_keys WHERE account_id = ?1 AND user_name = ?2 "
       "ORDER BY created_ns, access_key_id",
       "SEARCH access_keys USING COVERING INDEX access_keys_by_owner"},
  };
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  for (const auto& c : cases) {
    auto plan = raw->Prepare("EXPLAIN QUERY PLAN " + c.query);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    std::string details;
    for (;;) {
      auto row = plan->Step();
      ASSERT_TRUE(row.has_value());
      if (!*row) break;
      details += plan->ColumnText(3) + "\n";
    }
    EXPECT_THAT(details, HasSubstr(c.plan_part)) << c.query;
    EXPECT_THAT(details, Not(HasSubstr("SCAN"))) << c.query;
    EXPECT_THAT(details, Not(HasSubstr("TEMP B-TREE"))) << c.query;
  }
}

TEST_F(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  std::ofstream(DbFile())
      << "this is not an SQLite database, just some text that is long enough "
         "to fill the header of one.............................................";
  auto store = Open();
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, "InternalFailure");
}

TEST_F(SqliteStoreTest, MissingDirectoryIsAnError) {
  auto store = OpenSqliteStore(dir_.path() / "missing" / "fulcrum.db", TestBox(), Options());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, "InternalFailure");
  EXPECT_THAT(store.error().message, HasSubstr("missing"));
}

}  // namespace
}  // namespace fulcrum::storage
