#pragma once

// The SQLite schema as an ordered list of migrations. Each database records the migrations applied
// to it in schema_migrations(version, applied_at); opening a database applies the missing ones in
// one transaction. Migrations are only ever appended: a released step never changes.

#include <filesystem>
#include <span>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "storage/sqlite/connection.h"

namespace fulcrum::storage::sqlite {

struct Migration {
  int version;  // 1, 2, 3, ... in order.
  std::string_view description;
  std::string_view sql;  // One or more statements, run inside the migration transaction.
};

// Every migration this binary knows, oldest first.
[[nodiscard]] std::span<const Migration> Migrations();

// The version of the newest migration this binary knows.
[[nodiscard]] int LatestSchemaVersion();

// Brings the database behind `connection` to LatestSchemaVersion() in one IMMEDIATE transaction,
// recording each applied migration with `now` (ISO 8601 UTC) as applied_at; concurrent openers
// serialize on the database's write lock, and only the first applies anything.
// Fails with "IncompatibleDatabase", changing nothing, if the database already has a newer version
// than this binary knows. `file` only names the database in messages.
[[nodiscard]] Result<void> Migrate(Connection& connection, const std::filesystem::path& file,
                                   TimePoint now);

}  // namespace fulcrum::storage::sqlite
