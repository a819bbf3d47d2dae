#include "storage/sqlite/migrations.h"

#include <ctime>
#include <string>

namespace fulcrum::storage::sqlite {
namespace {

// Times are integer nanoseconds since the Unix epoch (UTC). Emails compare under NOCASE, which
// folds ASCII letters only, matching AsciiLower. access_keys is WITHOUT ROWID so that the
// authentication lookup by access_key_id is a single B-tree search. master_key_check holds one
// value sealed with the master key, so that opening with another key fails at once.
constexpr Migration kMigrations[] = {
    {1, "accounts and access keys", R"sql(
CREATE TABLE accounts (
  id                 TEXT    NOT NULL PRIMARY KEY,
  name               TEXT    NOT NULL UNIQUE,
  email              TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  created_ns         INTEGER NOT NULL,
  root_password_hash TEXT    NOT NULL
);
CREATE INDEX accounts_by_created ON accounts (created_ns, id);
CREATE TABLE access_keys (
  access_key_id TEXT    NOT NULL PRIMARY KEY,
  secret_sealed BLOB    NOT NULL,
  account_id    TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_name     TEXT    NOT NULL,
  active        INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_ns    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX access_keys_by_owner ON access_keys (account_id, user_name, created_ns, access_key_id);
CREATE TABLE master_key_check (
  id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  sealed BLOB    NOT NULL
);
)sql"},
    // IAM state. Users, groups and roles share one shape (id, account_id, unique_id, name, path,
    // arn, created_ns) so that code can address them by kind; their names compare under NOCASE, so
    // (account_id, name) is unique ignoring ASCII case and its index serves both lookups by name
    // and keyset pagination in list order. Children refer to principals by their integer id, so a
    // rename touches one row (plus the denormalized sort names in iam_group_members and
    // iam_attachments, and access_keys.user_name). Attachments and inline policies of every kind
    // share a table keyed by (principal_kind 0 user | 1 group | 2 role, principal_ref); deletes of
    // principals are refused while these rows exist. iam_policy_usage keeps, per account, how many
    // principals a policy is attached to and how many use it as permissions boundary (AWS managed
    // policies are shared by every account). Version numbers are integers ("v3" is 3). Tags are
    // BLOBs of (u32 length, key, u32 length, value) pairs. MFA seeds are sealed like secrets.
    {2, "iam users, groups, roles, policies, mfa devices, alias, password policy", R"sql(
ALTER TABLE access_keys ADD COLUMN last_used_ns INTEGER;
ALTER TABLE access_keys ADD COLUMN last_used_service TEXT;
ALTER TABLE access_keys ADD COLUMN last_used_region TEXT;
CREATE TABLE iam_users (
  id                    INTEGER NOT NULL PRIMARY KEY,
  account_id            TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  unique_id             TEXT    NOT NULL UNIQUE,
  name                  TEXT    NOT NULL COLLATE NOCASE,
  path                  TEXT    NOT NULL,
  arn                   TEXT    NOT NULL,
  created_ns            INTEGER NOT NULL,
  boundary_arn          TEXT    NOT NULL,
  tags                  BLOB    NOT NULL,
  password_last_used_ns INTEGER,
  UNIQUE (account_id, name)
);
CREATE TABLE iam_groups (
  id         INTEGER NOT NULL PRIMARY KEY,
  account_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  unique_id  TEXT    NOT NULL UNIQUE,
  name       TEXT    NOT NULL COLLATE NOCASE,
  path       TEXT    NOT NULL,
  arn        TEXT    NOT NULL,
  created_ns INTEGER NOT NULL,
  UNIQUE (account_id, name)
);
CREATE TABLE iam_roles (
  id                   INTEGER NOT NULL PRIMARY KEY,
  account_id           TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  unique_id            TEXT    NOT NULL UNIQUE,
  name                 TEXT    NOT NULL COLLATE NOCASE,
  path                 TEXT    NOT NULL,
  arn                  TEXT    NOT NULL,
  created_ns           INTEGER NOT NULL,
  trust_policy         TEXT    NOT NULL,
  description          TEXT    NOT NULL,
  max_session_duration INTEGER NOT NULL,
  boundary_arn         TEXT    NOT NULL,
  tags                 BLOB    NOT NULL,
  last_used_ns         INTEGER,
  last_used_region     TEXT,
  UNIQUE (account_id, name)
);
CREATE TABLE iam_group_members (
  group_ref INTEGER NOT NULL REFERENCES iam_groups (id) ON DELETE CASCADE,
  user_ref  INTEGER NOT NULL REFERENCES iam_users (id) ON DELETE CASCADE,
  user_name TEXT    NOT NULL COLLATE NOCASE,
  PRIMARY KEY (group_ref, user_ref)
) WITHOUT ROWID;
CREATE INDEX iam_group_members_by_name ON iam_group_members (group_ref, user_name);
CREATE INDEX iam_group_members_by_user ON iam_group_members (user_ref);
CREATE TABLE iam_policies (
  id              INTEGER NOT NULL PRIMARY KEY,
  arn             TEXT    NOT NULL UNIQUE,
  unique_id       TEXT    NOT NULL UNIQUE,
  account_id      TEXT    NOT NULL,
  name            TEXT    NOT NULL COLLATE NOCASE,
  path            TEXT    NOT NULL,
  description     TEXT    NOT NULL,
  created_ns      INTEGER NOT NULL,
  updated_ns      INTEGER NOT NULL,
  default_version INTEGER NOT NULL,
  next_version    INTEGER NOT NULL,
  is_attachable   INTEGER NOT NULL CHECK (is_attachable IN (0, 1)),
  tags            BLOB    NOT NULL,
  UNIQUE (account_id, name)
);
CREATE TABLE iam_policy_versions (
  policy_ref INTEGER NOT NULL REFERENCES iam_policies (id) ON DELETE CASCADE,
  version    INTEGER NOT NULL,
  document   TEXT    NOT NULL,
  created_ns INTEGER NOT NULL,
  PRIMARY KEY (policy_ref, version)
) WITHOUT ROWID;
CREATE TABLE iam_policy_usage (
  account_id  TEXT    NOT NULL,
  policy_ref  INTEGER NOT NULL REFERENCES iam_policies (id) ON DELETE CASCADE,
  attachments INTEGER NOT NULL,
  boundaries  INTEGER NOT NULL,
  PRIMARY KEY (account_id, policy_ref)
) WITHOUT ROWID;
CREATE INDEX iam_policy_usage_by_policy ON iam_policy_usage (policy_ref);
CREATE TABLE iam_attachments (
  principal_kind INTEGER NOT NULL CHECK (principal_kind IN (0, 1, 2)),
  principal_ref  INTEGER NOT NULL,
  policy_ref     INTEGER NOT NULL REFERENCES iam_policies (id) ON DELETE CASCADE,
  account_id     TEXT    NOT NULL,
  principal_name TEXT    NOT NULL COLLATE NOCASE,
  sequence       INTEGER NOT NULL,
  PRIMARY KEY (principal_kind, principal_ref, policy_ref)
) WITHOUT ROWID;
CREATE INDEX iam_attachments_by_policy
  ON iam_attachments (policy_ref, account_id, principal_kind, principal_name);
CREATE INDEX iam_attachments_by_sequence ON iam_attachments (principal_kind, principal_ref, sequence);
CREATE TABLE iam_inline_policies (
  principal_kind INTEGER NOT NULL CHECK (principal_kind IN (0, 1, 2)),
  principal_ref  INTEGER NOT NULL,
  name           TEXT    NOT NULL,
  document       TEXT    NOT NULL,
  PRIMARY KEY (principal_kind, principal_ref, name)
) WITHOUT ROWID;
CREATE TABLE iam_login_profiles (
  user_ref       INTEGER NOT NULL PRIMARY KEY REFERENCES iam_users (id) ON DELETE CASCADE,
  password_hash  TEXT    NOT NULL,
  created_ns     INTEGER NOT NULL,
  reset_required INTEGER NOT NULL CHECK (reset_required IN (0, 1))
);
CREATE TABLE iam_mfa_devices (
  serial         TEXT    NOT NULL PRIMARY KEY,
  account_id     TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  path           TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  seed_sealed    BLOB    NOT NULL,
  created_ns     INTEGER NOT NULL,
  tags           BLOB    NOT NULL,
  user_ref       INTEGER REFERENCES iam_users (id) ON DELETE SET NULL,
  enabled_ns     INTEGER,
  last_time_step INTEGER
) WITHOUT ROWID;
CREATE INDEX iam_mfa_devices_by_account ON iam_mfa_devices (account_id, serial);
CREATE INDEX iam_mfa_devices_by_user ON iam_mfa_devices (user_ref, serial);
CREATE TABLE iam_account_aliases (
  account_id TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  alias      TEXT NOT NULL UNIQUE
);
CREATE TABLE iam_password_policies (
  account_id        TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  minimum_length    INTEGER NOT NULL,
  require_symbols   INTEGER NOT NULL,
  require_numbers   INTEGER NOT NULL,
  require_uppercase INTEGER NOT NULL,
  require_lowercase INTEGER NOT NULL,
  allow_change      INTEGER NOT NULL,
  max_age           INTEGER,
  reuse_prevention  INTEGER,
  hard_expiry       INTEGER
);
)sql"},
};

std::string FormatUtc(TimePoint time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const size_t size = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, size);
}

Result<int> CurrentVersion(Connection& connection) {
  auto select = connection.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!select.has_value()) return Fail(select.error());
  auto row = select->Step();
  if (!row.has_value()) return Fail(row.error());
  if (!*row) return Fail("InternalFailure", "schema_migrations returned no row");
  return static_cast<int>(select->ColumnInt64(0));
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<void> Migrate(Connection& connection, const std::filesystem::path& file, TimePoint now) {
  auto transaction = Transaction::Begin(connection);
  if (!transaction.has_value()) return Fail(transaction.error());
  if (auto created =
          connection.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                          "version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
      !created.has_value()) {
    return Fail(created.error());
  }
  auto current = CurrentVersion(connection);
  if (!current.has_value()) return Fail(current.error());
  if (*current > LatestSchemaVersion()) {
    return Fail("IncompatibleDatabase",
                "database " + file.string() + " has schema version " + std::to_string(*current) +
                    ", newer than the newest this fulcrum binary knows (" +
                    std::to_string(LatestSchemaVersion()) + "); run a newer fulcrum");
  }
  const std::string applied_at = FormatUtc(now);
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *current) continue;
    if (auto applied = connection.Exec(std::string(migration.sql)); !applied.has_value()) {
      return Fail(applied.error());
    }
    auto record =
        connection.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)");
    if (!record.has_value()) return Fail(record.error());
    record->BindInt64(1, migration.version).BindText(2, applied_at);
    if (auto run = record->Run(); !run.has_value()) return Fail(run.error());
  }
  return transaction->Commit();
}

}  // namespace fulcrum::storage::sqlite
