#include "storage/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/store_errors.h"

namespace fulcrum::storage {
namespace {

using sqlite::Connection;
using sqlite::FromNanoseconds;
using sqlite::Statement;
using sqlite::ToNanoseconds;
using sqlite::Transaction;

constexpr std::string_view kSelectAccountById =
    "SELECT id, name, email, created_ns, root_password_hash FROM accounts WHERE id = ?1";
constexpr std::string_view kSelectAccountByEmail =
    "SELECT id, name, email, created_ns, root_password_hash FROM accounts WHERE email = ?1";
constexpr std::string_view kSelectAccountByName =
    "SELECT id, name, email, created_ns, root_password_hash FROM accounts WHERE name = ?1";
constexpr std::string_view kListAccounts =
    "SELECT id, name, email, created_ns, root_password_hash FROM accounts "
    "ORDER BY created_ns, id";
constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (id, name, email, created_ns, root_password_hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kAccountIdExists = "SELECT 1 FROM accounts WHERE id = ?1";
constexpr std::string_view kAccountEmailExists = "SELECT 1 FROM accounts WHERE email = ?1";
constexpr std::string_view kAccountNameExists = "SELECT 1 FROM accounts WHERE name = ?1";

constexpr std::string_view kSelectAccessKey =
    "SELECT access_key_id, secret_sealed, account_id, user_name, active, created_ns "
    "FROM access_keys WHERE access_key_id = ?1";
constexpr std::string_view kListAccessKeys =
    "SELECT access_key_id, secret_sealed, account_id, user_name, active, created_ns "
    "FROM access_keys WHERE account_id = ?1 AND user_name = ?2 "
    "ORDER BY created_ns, access_key_id";
constexpr std::string_view kInsertAccessKey =
    "INSERT INTO access_keys "
    "(access_key_id, secret_sealed, account_id, user_name, active, created_ns) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kAccessKeyExists = "SELECT 1 FROM access_keys WHERE access_key_id = ?1";
constexpr std::string_view kDeleteAccessKey = "DELETE FROM access_keys WHERE access_key_id = ?1";
constexpr std::string_view kSetAccessKeyActive =
    "UPDATE access_keys SET active = ?2 WHERE access_key_id = ?1";

// The associated data a secret is sealed with: it ties the sealed value to its row.
std::string SecretAssociatedData(std::string_view access_key_id) {
  return "access_key:" + std::string(access_key_id);
}

Account AccountFromRow(const Statement& row) {
  return Account{
      .id = row.ColumnText(0),
      .name = row.ColumnText(1),
      .email = row.ColumnText(2),
      .created = FromNanoseconds(row.ColumnInt64(3)),
      .root_password_hash = row.ColumnText(4),
  };
}

// On success, whether `sql` (taking one parameter) returns a row for `value`.
Result<bool> RowExists(Connection& connection, std::string_view sql, std::string_view value) {
  auto select = connection.Prepare(sql);
  if (!select.has_value()) return Fail(select.error());
  select->BindText(1, value);
  return select->Step();
}

Result<void> InsertAccessKey(Connection& connection, const AccessKey& key,
                             const std::string& sealed_secret) {
  auto insert = connection.Prepare(kInsertAccessKey);
  if (!insert.has_value()) return Fail(insert.error());
  insert->BindText(1, key.access_key_id)
      .BindBlob(2, sealed_secret)
      .BindText(3, key.account_id)
      .BindText(4, key.user_name)
      .BindInt64(5, key.active ? 1 : 0)
      .BindInt64(6, ToNanoseconds(key.created));
  return insert->Run();
}

}  // namespace

Result<void> SqliteDatabase::CreateAccount(const Account& account,
                                           const std::vector<AccessKey>& root_keys) {
  if (auto checked = CheckRootKeys(account, root_keys); !checked.has_value()) return checked;
  std::vector<std::string> sealed_secrets;
  sealed_secrets.reserve(root_keys.size());
  for (const AccessKey& key : root_keys) {
    sealed_secrets.push_back(
        box_.Seal(key.secret_access_key, SecretAssociatedData(key.access_key_id)));
  }
  return Write([&](Connection& connection) -> Result<void> {
    auto transaction = Transaction::Begin(connection);
    if (!transaction.has_value()) return Fail(transaction.error());
    const struct {
      std::string_view sql;
      std::string_view value;
      Error error;
    } uniques[] = {
        {kAccountEmailExists, account.email, DuplicateEmailError(account.email)},
        {kAccountNameExists, account.name, DuplicateNameError(account.name)},
        {kAccountIdExists, account.id, DuplicateAccountIdError(account.id)},
    };
    for (const auto& unique : uniques) {
      auto exists = RowExists(connection, unique.sql, unique.value);
      if (!exists.has_value()) return Fail(exists.error());
      if (*exists) return Fail(unique.error);
    }
    for (const AccessKey& key : root_keys) {
      auto exists = RowExists(connection, kAccessKeyExists, key.access_key_id);
      if (!exists.has_value()) return Fail(exists.error());
      if (*exists) return Fail(DuplicateAccessKeyIdError(key.access_key_id));
    }
    auto insert = connection.Prepare(kInsertAccount);
    if (!insert.has_value()) return Fail(insert.error());
    insert->BindText(1, account.id)
        .BindText(2, account.name)
        .BindText(3, account.email)
        .BindInt64(4, ToNanoseconds(account.created))
        .BindText(5, account.root_password_hash);
    if (auto run = insert->Run(); !run.has_value()) return Fail(run.error());
    for (size_t i = 0; i < root_keys.size(); ++i) {
      auto inserted = InsertAccessKey(connection, root_keys[i], sealed_secrets[i]);
      if (!inserted.has_value()) return Fail(inserted.error());
    }
    return transaction->Commit();
  });
}

Result<std::optional<Account>> SqliteDatabase::FindAccountById(std::string_view id) {
  return FindAccount(kSelectAccountById, id);
}

Result<std::optional<Account>> SqliteDatabase::FindAccountByEmail(std::string_view email) {
  return FindAccount(kSelectAccountByEmail, email);
}

Result<std::optional<Account>> SqliteDatabase::FindAccountByName(std::string_view name) {
  return FindAccount(kSelectAccountByName, name);
}

Result<std::vector<Account>> SqliteDatabase::ListAccounts() {
  return Read([](Connection& connection) -> Result<std::vector<Account>> {
    auto select = connection.Prepare(kListAccounts);
    if (!select.has_value()) return Fail(select.error());
    std::vector<Account> accounts;
    for (;;) {
      auto row = select->Step();
      if (!row.has_value()) return Fail(row.error());
      if (!*row) return accounts;
      accounts.push_back(AccountFromRow(*select));
    }
  });
}

Result<std::optional<AccessKey>> SqliteDatabase::FindAccessKey(std::string_view access_key_id) {
  return Read([&](Connection& connection) -> Result<std::optional<AccessKey>> {
    auto select = connection.Prepare(kSelectAccessKey);
    if (!select.has_value()) return Fail(select.error());
    select->BindText(1, access_key_id);
    auto row = select->Step();
    if (!row.has_value()) return Fail(row.error());
    if (!*row) return std::nullopt;
    return AccessKeyFromRow(*select);
  });
}

Result<void> SqliteDatabase::CreateAccessKey(const AccessKey& key) {
  const std::string sealed_secret =
      box_.Seal(key.secret_access_key, SecretAssociatedData(key.access_key_id));
  return Write([&](Connection& connection) -> Result<void> {
    auto transaction = Transaction::Begin(connection);
    if (!transaction.has_value()) return Fail(transaction.error());
    auto account_exists = RowExists(connection, kAccountIdExists, key.account_id);
    if (!account_exists.has_value()) return Fail(account_exists.error());
    if (!*account_exists) return Fail(NoSuchAccountError(key.account_id));
    auto key_exists = RowExists(connection, kAccessKeyExists, key.access_key_id);
    if (!key_exists.has_value()) return Fail(key_exists.error());
    if (*key_exists) return Fail(DuplicateAccessKeyIdError(key.access_key_id));
    auto inserted = InsertAccessKey(connection, key, sealed_secret);
    if (!inserted.has_value()) return Fail(inserted.error());
    return transaction->Commit();
  });
}

Result<void> SqliteDatabase::DeleteAccessKey(std::string_view access_key_id) {
  return Write([&](Connection& connection) -> Result<void> {
    auto remove = connection.Prepare(kDeleteAccessKey);
    if (!remove.has_value()) return Fail(remove.error());
    remove->BindText(1, access_key_id);
    if (auto run = remove->Run(); !run.has_value()) return Fail(run.error());
    if (connection.Changes() == 0) return Fail(NoSuchAccessKeyError(access_key_id));
    return {};
  });
}

Result<void> SqliteDatabase::SetAccessKeyActive(std::string_view access_key_id, bool active) {
  return Write([&](Connection& connection) -> Result<void> {
    auto update = connection.Prepare(kSetAccessKeyActive);
    if (!update.has_value()) return Fail(update.error());
    update->BindText(1, access_key_id).BindInt64(2, active ? 1 : 0);
    if (auto run = update->Run(); !run.has_value()) return Fail(run.error());
    if (connection.Changes() == 0) return Fail(NoSuchAccessKeyError(access_key_id));
    return {};
  });
}

Result<std::vector<AccessKey>> SqliteDatabase::ListAccessKeys(std::string_view account_id,
                                                              std::string_view user_name) {
  return Read([&](Connection& connection) -> Result<std::vector<AccessKey>> {
    auto select = connection.Prepare(kListAccessKeys);
    if (!select.has_value()) return Fail(select.error());
    select->BindText(1, account_id).BindText(2, user_name);
    std::vector<AccessKey> keys;
    for (;;) {
      auto row = select->Step();
      if (!row.has_value()) return Fail(row.error());
      if (!*row) return keys;
      auto key = AccessKeyFromRow(*select);
      if (!key.has_value()) return Fail(key.error());
      keys.push_back(std::move(*key));
    }
  });
}

Result<std::unique_ptr<Connection>> SqliteDatabase::AcquireReader() {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  return Connection::Open(
      file_, Connection::Options{.busy_timeout = options_.busy_timeout, .query_only = true});
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<Connection> reader) {
  std::lock_guard lock(readers_mutex_);
  if (idle_readers_.size() < options_.max_idle_readers) {
    idle_readers_.push_back(std::move(reader));
  }
}

Result<std::optional<Account>> SqliteDatabase::FindAccount(std::string_view sql,
                                                           std::string_view value) {
  return Read([&](Connection& connection) -> Result<std::optional<Account>> {
    auto select = connection.Prepare(sql);
    if (!select.has_value()) return Fail(select.error());
    select->BindText(1, value);
    auto row = select->Step();
    if (!row.has_value()) return Fail(row.error());
    if (!*row) return std::nullopt;
    return AccountFromRow(*select);
  });
}

Result<AccessKey> SqliteDatabase::AccessKeyFromRow(const Statement& row) const {
  AccessKey key{
      .access_key_id = row.ColumnText(0),
      .secret_access_key = {},
      .account_id = row.ColumnText(2),
      .user_name = row.ColumnText(3),
      .active = row.ColumnInt64(4) != 0,
      .created = FromNanoseconds(row.ColumnInt64(5)),
  };
  auto secret = box_.Open(row.ColumnBlob(1), SecretAssociatedData(key.access_key_id));
  if (!secret.has_value()) {
    return Fail("InternalFailure", "cannot decrypt the secret of access key " + key.access_key_id +
                                       " in " + file_.string() + ": " + secret.error().message);
  }
  key.secret_access_key = std::move(*secret);
  return key;
}

namespace {

// Creates `file` with mode 0600 if it does not exist; SQLite then gives the -wal and -shm files
// the database file's mode.
Result<void> CreateOwnerOnlyFile(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail("InternalFailure", "cannot create database file " + file.string() + ": " +
                                       std::generic_category().message(errno));
  }
  ::close(fd);
  return {};
}

Result<void> EnableWal(Connection& connection, const std::filesystem::path& file) {
  auto pragma = connection.Prepare("PRAGMA journal_mode = WAL");
  if (!pragma.has_value()) return Fail(pragma.error());
  auto row = pragma->Step();
  if (!row.has_value()) return Fail(row.error());
  const std::string mode = *row ? pragma->ColumnText(0) : "";
  if (mode != "wal") {
    return Fail("InternalFailure", "cannot put database " + file.string() +
                                       " in WAL mode (journal mode is '" + mode +
                                       "'); is it on a file system without shared memory?");
  }
  return {};
}

// Seals a known value with `box` into master_key_check on first use; afterwards checks that `box`
// opens it, so a store never runs with a master key other than the one its secrets use.
Result<void> CheckMasterKey(Connection& connection, const SecretBox& box,
                            const std::filesystem::path& file) {
  constexpr std::string_view kPlaintext = "fulcrum master key check";
  constexpr std::string_view kAssociatedData = "master_key_check";
  auto transaction = Transaction::Begin(connection);
  if (!transaction.has_value()) return Fail(transaction.error());
  auto select = connection.Prepare("SELECT sealed FROM master_key_check WHERE id = 1");
  if (!select.has_value()) return Fail(select.error());
  auto row = select->Step();
  if (!row.has_value()) return Fail(row.error());
  if (*row) {
    auto opened = box.Open(select->ColumnBlob(0), kAssociatedData);
    if (!opened.has_value() || *opened != kPlaintext) {
      return Fail("MasterKeyMismatch",
                  "database " + file.string() +
                      " was created with another master key; restore the key file it was "
                      "created with");
    }
    return {};
  }
  auto insert = connection.Prepare("INSERT INTO master_key_check (id, sealed) VALUES (1, ?1)");
  if (!insert.has_value()) return Fail(insert.error());
  insert->BindBlob(1, box.Seal(kPlaintext, kAssociatedData));
  if (auto run = insert->Run(); !run.has_value()) return Fail(run.error());
  return transaction->Commit();
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::filesystem::path& db_file,
                                                     SecretBox box, SqliteStoreOptions options) {
  if (options.list_scan_limit < 1) {
    return Fail("InternalFailure", "SqliteStoreOptions.list_scan_limit must be at least 1");
  }
  if (options.clock == nullptr) options.clock = std::make_shared<SystemClock>();
  if (auto created = CreateOwnerOnlyFile(db_file); !created.has_value()) {
    return Fail(created.error());
  }
  auto writer = Connection::Open(
      db_file, Connection::Options{.busy_timeout = options.busy_timeout, .query_only = false});
  if (!writer.has_value()) return Fail(writer.error());
  if (auto wal = EnableWal(**writer, db_file); !wal.has_value()) return Fail(wal.error());
  if (auto migrated = sqlite::Migrate(**writer, db_file, options.clock->Now());
      !migrated.has_value()) {
    return Fail(migrated.error());
  }
  if (auto checked = CheckMasterKey(**writer, box, db_file); !checked.has_value()) {
    return Fail(checked.error());
  }
  return std::make_unique<SqliteDatabase>(db_file, std::move(box), std::move(options),
                                          std::move(*writer));
}

Result<std::unique_ptr<AccountStore>> OpenSqliteStore(const std::filesystem::path& db_file,
                                                      SecretBox box, SqliteStoreOptions options) {
  auto database = OpenSqliteDatabase(db_file, std::move(box), std::move(options));
  if (!database.has_value()) return Fail(database.error());
  return std::unique_ptr<AccountStore>(std::move(*database));
}

}  // namespace fulcrum::storage
