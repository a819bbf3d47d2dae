#pragma once

// The durable AccountStore and IamStore: one SQLite database file in WAL mode.
//
// Durability: synchronous=FULL, so a write acknowledged by the store survives a kill -9 of the
// process and, as far as the file system and disk honour fsync, a power cut.
// Sharing: other processes (such as `fulcrum account create`) may open the same file while a
// server runs; writers serialize on SQLite's lock, waiting up to the busy timeout.
// Secrets: each secret access key is sealed with the SecretBox, with "access_key:<id>" bound in as
// associated data, and each virtual MFA seed with "mfa:<serial number>", so a sealed value copied
// to another row does not open.
// Threads: writes go through one connection under a mutex; reads use a pool of read-only
// connections (query_only) and, under WAL, never wait for a write transaction's fsync.
// Files: the database file is created with mode 0600; SQLite gives its -wal and -shm files the
// same mode.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>

#include "common/clock.h"
#include "common/result.h"
#include "common/secret_box.h"
#include "storage/account_store.h"
#include "storage/database.h"
#include "storage/iam_store.h"

namespace fulcrum::storage {

struct SqliteStoreOptions {
  // Stamps schema_migrations.applied_at. Null = the system clock.
  std::shared_ptr<const Clock> clock;
  // How long a call waits for another writer's lock before failing with "ServiceUnavailable".
  std::chrono::milliseconds busy_timeout{5000};
  // Read connections kept open between calls; more are opened while more threads read at once.
  size_t max_idle_readers = 4;
  // Entries an IamStore list call examines at most (see IamStore). Must be at least 1.
  size_t list_scan_limit = kDefaultListScanLimit;
};

// On success, a store over `db_file`, created (mode 0600) if missing and migrated to the newest
// schema this binary knows. The first open records a check value sealed with `box`; later opens
// fail with "MasterKeyMismatch" if `box` holds another key. Fails with "IncompatibleDatabase" if
// the file's schema is newer than this binary knows, and with "InternalFailure" if the file cannot
// be opened or is not a database.
// REQUIRES: the parent directory of db_file exists.
[[nodiscard]] Result<std::unique_ptr<AccountStore>> OpenSqliteStore(
    const std::filesystem::path& db_file, SecretBox box, SqliteStoreOptions options = {});

// As OpenSqliteStore, but the result is a Database: the AccountStore and the IamStore over the same
// file, sharing one write connection and one pool of read connections. Open one Database per file
// per process and hand out its interfaces.
[[nodiscard]] Result<std::unique_ptr<Database>> OpenSqliteDatabase(
    const std::filesystem::path& db_file, SecretBox box, SqliteStoreOptions options = {});

}  // namespace fulcrum::storage
