#pragma once

// Thin RAII wrappers over the SQLite C API: a connection with a cache of prepared statements, a
// borrowed statement, and an IMMEDIATE transaction.
//
// Thread safety: a Connection and everything borrowed from it must be used by one thread at a
// time (connections are opened with SQLITE_OPEN_NOMUTEX); different connections are independent.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum::storage::sqlite {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

// The Error for a failed SQLite call: "ServiceUnavailable" when the database stayed locked (busy
// timeout), else "InternalFailure". The message names `context` and SQLite's message (which never
// holds bound values, so no secret can leak into it).
[[nodiscard]] Error SqliteError(sqlite3* db, int result_code, std::string_view context);

// A prepared statement borrowed from a Connection's cache for one use. Binding indexes are
// 1-based, column indexes 0-based. On destruction the statement is reset and its bindings cleared,
// ready for the next use.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binders copy their argument. A failed bind is reported by the next Step or Run.
  Statement& BindText(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindInt64(int index, int64_t value);
  Statement& BindNull(int index);

  // On success, true if a result row is ready to read, false once the statement is done.
  [[nodiscard]] Result<bool> Step();
  // Steps a statement that returns no rows to completion.
  [[nodiscard]] Result<void> Run();

  // REQUIRES: the last Step returned true.
  [[nodiscard]] std::string ColumnText(int column) const;
  [[nodiscard]] std::string ColumnBlob(int column) const;
  [[nodiscard]] int64_t ColumnInt64(int column) const;
  [[nodiscard]] bool ColumnIsNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
  int bind_result_ = SQLITE_OK;
};

class Connection {
 public:
  struct Options {
    // How long a call waits for another connection's (or process's) lock before failing.
    std::chrono::milliseconds busy_timeout{5000};
    // Refuse every write on this connection (PRAGMA query_only).
    bool query_only = false;
  };

  // On success, a connection to `file` (created if missing) with foreign keys enforced,
  // synchronous=FULL and the busy timeout set.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> Open(const std::filesystem::path& file,
                                                                const Options& options);

  // Runs one or more SQL statements that take no parameters and return no rows needed.
  [[nodiscard]] Result<void> Exec(const std::string& sql);
  // On success, the prepared form of `sql`, prepared on first use and cached for the
  // connection's lifetime. REQUIRES: the same sql is not borrowed twice at once.
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql);
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  [[nodiscard]] int64_t Changes() const;

 private:
  explicit Connection(sqlite3* db);

  std::unique_ptr<sqlite3, CloseDatabase> db_;
  // Declared after db_ so that statements are finalized before the database is closed.
  std::map<std::string, std::unique_ptr<sqlite3_stmt, FinalizeStatement>, std::less<>> cache_;
};

// A BEGIN IMMEDIATE transaction: it takes the database's write lock at once (waiting up to the
// busy timeout), so reads inside it see the state its writes will apply to. Rolled back on
// destruction unless committed.
class Transaction {
 public:
  [[nodiscard]] static Result<Transaction> Begin(Connection& connection);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // On success the transaction's writes are durable (synchronous=FULL).
  [[nodiscard]] Result<void> Commit();

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}

  Connection* connection_;  // Null once committed or moved from.
};

}  // namespace fulcrum::storage::sqlite
