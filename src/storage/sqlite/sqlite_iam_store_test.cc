// The IamStore side of the SQLite back end: the conformance suite, plus what only a database file
// can show (sealed MFA seeds, index use, schema upgrade, reopening).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "storage/iam_store_conformance.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_store.h"

namespace fulcrum::storage {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

SecretBox IamTestBox() {
  auto box = SecretBox::FromKey(std::string(SecretBox::kKeySize, 'm'));
  EXPECT_TRUE(box.has_value());
  return *box;
}

std::unique_ptr<Database> OpenIamTestDatabase(const fs::path& dir, size_t list_scan_limit) {
  SqliteStoreOptions options;
  options.list_scan_limit = list_scan_limit;
  auto database = OpenSqliteDatabase(dir / "fulcrum.db", IamTestBox(), options);
  if (!database.has_value()) {
    ADD_FAILURE() << database.error().code << ": " << database.error().message;
    return nullptr;
  }
  return std::move(*database);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, IamStoreConformanceTest,
                         ::testing::Values(IamStoreFactory{"Sqlite", OpenIamTestDatabase}),
                         IamStoreFactoryName);

constexpr char kAcct[] = "111111111111";

class SqliteIamStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  fs::path DbFile() const { return dir_.path() / "fulcrum.db"; }

  std::unique_ptr<Database> Open() const {
    return OpenIamTestDatabase(dir_.path(), kDefaultListScanLimit);
  }

  std::unique_ptr<sqlite::Connection> Raw() const {
    auto connection = sqlite::Connection::Open(DbFile(), {});
    if (!connection.has_value()) {
      ADD_FAILURE() << connection.error().message;
      return nullptr;
    }
    return std::move(*connection);
  }

  // The first column of every row of `sql`, as bytes.
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
};

TEST_F(SqliteIamStoreTest, MfaSeedsAreSealedAtRestAndBoundToTheirRow) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Succeeded(db->CreateAccount(TestAccount(kAcct, "a", "a@example.com"), {})));
  VirtualMfaDevice first = TestMfaDevice(kAcct, "first");
  first.seed = "FIRSTSEEDFIRSTSEEDFIRSTSEEDFIRST";
  VirtualMfaDevice second = TestMfaDevice(kAcct, "second");
  second.seed = "SECONDSEEDSECONDSEEDSECONDSEEDSE";
  ASSERT_TRUE(Succeeded(db->CreateVirtualMfaDevice(first)));
  ASSERT_TRUE(Succeeded(db->CreateVirtualMfaDevice(second)));
  EXPECT_EQ(db->GetVirtualMfaDevice(kAcct, first.serial_number).value()->seed, first.seed);

  const std::vector<std::string> sealed =
      Column("SELECT seed_sealed FROM iam_mfa_devices ORDER BY serial");
  ASSERT_EQ(sealed.size(), 2u);
  EXPECT_EQ(sealed[0].size(), SecretBox::kOverhead + first.seed.size());
  EXPECT_THAT(sealed[0], Not(HasSubstr(first.seed)));
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(DbFile().string() + suffix, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_FALSE(bytes.empty()) << suffix;
    EXPECT_EQ(bytes.find(first.seed), std::string::npos) << suffix;
    EXPECT_EQ(bytes.find(second.seed), std::string::npos) << suffix;
  }

  // A sealed seed copied to another device's row does not open.
  {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    auto update = raw->Prepare("UPDATE iam_mfa_devices SET seed_sealed = ?1 WHERE serial = ?2");
    ASSERT_TRUE(update.has_value());
    update->BindBlob(1, sealed[1]).BindText(2, first.serial_number);
    ASSERT_TRUE(update->Run().has_value());
  }
  auto moved = db->GetVirtualMfaDevice(kAcct, first.serial_number);
  ASSERT_FALSE(moved.has_value());
  EXPECT_EQ(moved.error().code, "InternalFailure");
  EXPECT_THAT(moved.error().message, HasSubstr(first.serial_number));
  EXPECT_THAT(moved.error().message, Not(HasSubstr(second.seed)));
  EXPECT_EQ(db->GetVirtualMfaDevice(kAcct, second.serial_number).value()->seed, second.seed);
}

TEST_F(SqliteIamStoreTest, IamStateSurvivesReopening) {
  const User user = TestUser(kAcct, "alice");
  const ManagedPolicy policy = TestPolicy(kAcct, "p");
  {
    auto db = Open();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(Succeeded(db->CreateAccount(TestAccount(kAcct, "a", "a@example.com"), {})));
    ASSERT_TRUE(Succeeded(db->CreateUser(user)));
    ASSERT_TRUE(Succeeded(db->CreatePolicy(policy, "doc")));
    ASSERT_TRUE(Succeeded(
        db->AttachPolicy(PrincipalRef{PrincipalKind::kUser, kAcct, "alice"}, policy.arn, 10)));
    ASSERT_TRUE(
        Succeeded(db->CreateUserAccessKey(TestKey("AKIAREOPENIAM0000001", kAcct, "alice"), 2)));
    ASSERT_TRUE(Succeeded(db->RecordAccessKeyUses(
        {{"AKIAREOPENIAM0000001", AccessKeyLastUsed{TestTime(5), "iam", "us-east-1"}}})));
    ASSERT_TRUE(Succeeded(db->SetAccountAlias(kAcct, "acme")));
  }
  auto db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_THAT(db->GetUser(kAcct, "ALICE").value(), Optional(user));
  EXPECT_EQ(db->GetPolicy(kAcct, policy.arn).value()->attachment_count, 1);
  EXPECT_THAT(db->GetAccessKeyLastUsed("AKIAREOPENIAM0000001").value(),
              Optional(AccessKeyLastUsed{TestTime(5), "iam", "us-east-1"}));
  EXPECT_THAT(db->FindAccountIdByAlias("acme").value(), Optional(std::string(kAcct)));
}

TEST_F(SqliteIamStoreTest, UpgradesADatabaseOfTheFirstSchema) {
  const AccessKey key = TestKey("AKIAOLDSCHEMA0000001", kAcct);
  {
    // A database as schema version 1 left it, with an account and a root key.
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec(std::string(sqlite::Migrations()[0].sql)).has_value());
    ASSERT_TRUE(raw->Exec("CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
                          "applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES "
                          "(1, '2024-01-01T00:00:00Z'); INSERT INTO accounts VALUES "
                          "('111111111111', 'a', 'a@example.com', 0, '')")
                    .has_value());
    auto insert = raw->Prepare(
        "INSERT INTO access_keys (access_key_id, secret_sealed, account_id, user_name, active, "
        "created_ns) VALUES (?1, ?2, ?3, '', 1, ?4)");
    ASSERT_TRUE(insert.has_value());
    insert->BindText(1, key.access_key_id)
        .BindBlob(2, IamTestBox().Seal(key.secret_access_key, "access_key:" + key.access_key_id))
        .BindText(3, kAcct)
        .BindInt64(
            4, std::chrono::duration_cast<std::chrono::nanoseconds>(key.created.time_since_epoch())
                   .count());
    ASSERT_TRUE(insert->Run().has_value());
  }
  auto db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_THAT(db->FindAccessKey(key.access_key_id).value(), Optional(key));
  EXPECT_EQ(db->GetAccessKeyLastUsed(key.access_key_id).value(), std::nullopt);
  ASSERT_TRUE(Succeeded(db->CreateUser(TestUser(kAcct, "alice"))));
  std::vector<std::string> versions;
  for (const auto& migration : sqlite::Migrations()) {
    versions.push_back(std::to_string(migration.version));
  }
  EXPECT_EQ(Column("SELECT version FROM schema_migrations ORDER BY version"), versions);
  EXPECT_GE(versions.size(), 2u);
}

TEST_F(SqliteIamStoreTest, IamLookupsAndListsAreIndexSearches) {
  ASSERT_NE(Open(), nullptr);
  const struct {
    std::string query;
    std::string plan_part;
  } cases[] = {
      {"SELECT id FROM iam_users WHERE account_id = ?1 AND name = ?2",
       "USING COVERING INDEX sqlite_autoindex_iam_users_2"},
      {"SELECT id FROM iam_users WHERE unique_id = ?1", "USING COVERING INDEX"},
      {"SELECT id, path FROM iam_users WHERE account_id = ?1 AND name > ?2 ORDER BY name",
       "SEARCH iam_users USING INDEX"},
      {"SELECT id FROM iam_roles WHERE account_id = ?1 AND name >= ?2 ORDER BY name",
       "SEARCH iam_roles USING COVERING INDEX"},
      {"SELECT id FROM iam_groups WHERE unique_id = ?1", "USING COVERING INDEX"},
      {"SELECT p.id, c.attachments FROM iam_policies p LEFT JOIN iam_policy_usage c ON "
       "c.account_id = ?1 AND c.policy_ref = p.id WHERE p.account_id = ?2 AND p.name > ?3 "
       "ORDER BY p.name",
       "SEARCH p USING COVERING INDEX sqlite_autoindex_iam_policies_3 (account_id=? AND name>?)"},
      {"SELECT id FROM iam_policies WHERE arn = ?1", "USING COVERING INDEX"},
      {"SELECT u.name FROM iam_group_members m JOIN iam_users u ON u.id = m.user_ref "
       "WHERE m.group_ref = ?1 AND m.user_name > ?2 ORDER BY m.user_name",
       "SEARCH m USING COVERING INDEX iam_group_members_by_name"},
      {"SELECT p.arn FROM iam_attachments a JOIN iam_policies p ON p.id = a.policy_ref "
       "WHERE a.principal_kind = ?1 AND a.principal_ref = ?2 AND a.sequence > ?3 "
       "ORDER BY a.sequence",
       "SEARCH a USING COVERING INDEX iam_attachments_by_sequence"},
      {"SELECT x.name FROM iam_attachments a JOIN iam_users x ON x.id = a.principal_ref "
       "WHERE a.policy_ref = ?1 AND a.account_id = ?2 AND a.principal_kind = ?3 AND "
       "a.principal_name > ?4 ORDER BY a.principal_name",
       "SEARCH a USING COVERING INDEX iam_attachments_by_policy"},
      {"SELECT name FROM iam_inline_policies WHERE principal_kind = ?1 AND principal_ref = ?2 "
       "AND name > ?3 ORDER BY name",
       "SEARCH iam_inline_policies USING PRIMARY KEY"},
      {"SELECT serial FROM iam_mfa_devices WHERE account_id = ?1 AND serial > ?2 ORDER BY serial",
       "SEARCH iam_mfa_devices USING COVERING INDEX iam_mfa_devices_by_account"},
      {"SELECT COUNT(*) FROM access_keys WHERE account_id = ?1 AND user_name = ?2",
       "SEARCH access_keys USING COVERING INDEX access_keys_by_owner"},
      {"SELECT alias FROM iam_account_aliases WHERE account_id = ?1", "SEARCH"},
      {"SELECT account_id FROM iam_account_aliases WHERE alias = ?1",
       "SEARCH iam_account_aliases USING INDEX sqlite_autoindex_iam_account_aliases_2 (alias=?)"},
      {"SELECT 1 FROM iam_policy_usage WHERE policy_ref = ?1 AND attachments > 0",
       "SEARCH iam_policy_usage USING INDEX iam_policy_usage_by_policy"},
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

TEST_F(SqliteIamStoreTest, RefusesAZeroScanLimit) {
  SqliteStoreOptions options;
  options.list_scan_limit = 0;
  auto database = OpenSqliteDatabase(DbFile(), IamTestBox(), options);
  ASSERT_FALSE(database.has_value());
  EXPECT_EQ(database.error().code, "InternalFailure");
}

}  // namespace
}  // namespace fulcrum::storage
