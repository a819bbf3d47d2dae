#include "storage/sqlite/connection.h"

#include <cstdint>
#include <utility>

#include "storage/account_store.h"

namespace fulcrum::storage::sqlite {
namespace {

// SQLITE_TRANSIENT (SQLite defines it as this very cast) spelled without an old-style cast:
// SQLite copies the bound value.
const sqlite3_destructor_type kCopyValue =
    reinterpret_cast<sqlite3_destructor_type>(  // NOLINT(performance-no-int-to-ptr)
        static_cast<intptr_t>(-1));

// SQLite binds a null pointer as NULL, so empty values need a non-null one.
const char* NonNull(std::string_view text) { return text.data() != nullptr ? text.data() : ""; }

}  // namespace

Error SqliteError(sqlite3* db, int result_code, std::string_view context) {
  const int primary = result_code & 0xff;
  const bool busy = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
  std::string message = "sqlite error while " + std::string(context) + ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result_code);
  message += " (code " + std::to_string(result_code) + ")";
  return Error{std::string(busy ? kServiceUnavailable : kInternalFailure), std::move(message), {}};
}

Statement::Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      statement_(std::exchange(other.statement_, nullptr)),
      bind_result_(other.bind_result_) {}

Statement::~Statement() {
  if (statement_ != nullptr) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
}

Statement& Statement::BindText(int index, std::string_view text) {
  const int result =
      sqlite3_bind_text64(statement_, index, NonNull(text), text.size(), kCopyValue, SQLITE_UTF8);
  if (bind_result_ == SQLITE_OK) bind_result_ = result;
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  const int result =
      sqlite3_bind_blob64(statement_, index, NonNull(bytes), bytes.size(), kCopyValue);
  if (bind_result_ == SQLITE_OK) bind_result_ = result;
  return *this;
}

Statement& Statement::BindInt64(int index, int64_t value) {
  const int result = sqlite3_bind_int64(statement_, index, value);
  if (bind_result_ == SQLITE_OK) bind_result_ = result;
  return *this;
}

Statement& Statement::BindNull(int index) {
  const int result = sqlite3_bind_null(statement_, index);
  if (bind_result_ == SQLITE_OK) bind_result_ = result;
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_result_ != SQLITE_OK) return Fail(SqliteError(db_, bind_result_, "binding a value"));
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  return Fail(SqliteError(db_, result, sqlite3_sql(statement_)));
}

Result<void> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row.has_value()) return Fail(row.error());
    if (!*row) return {};
  }
}

std::string Statement::ColumnText(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

std::string Statement::ColumnBlob(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement_, column));
  if (bytes == nullptr) return {};
  return std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(statement_, column);
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Connection::Connection(sqlite3* db) : db_(db) {}

Result<std::unique_ptr<Connection>> Connection::Open(const std::filesystem::path& file,
                                                     const Options& options) {
  if (sqlite3_threadsafe() == 0) {
    return Fail("InternalFailure", "the SQLite library was built without thread support");
  }
  sqlite3* raw = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int result = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 returns a handle even on failure; it must be closed either way.
  std::unique_ptr<sqlite3, CloseDatabase> db(raw);
  if (result != SQLITE_OK) {
    return Fail(SqliteError(db.get(), result, "opening database " + file.string()));
  }
  sqlite3_busy_timeout(db.get(), static_cast<int>(options.busy_timeout.count()));
  std::unique_ptr<Connection> connection(new Connection(db.release()));
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
  if (options.query_only) pragmas += " PRAGMA query_only = ON;";
  if (auto set = connection->Exec(pragmas); !set.has_value()) return Fail(set.error());
  return connection;
}

Result<void> Connection::Exec(const std::string& sql) {
  const int result = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
  if (result != SQLITE_OK) return Fail(SqliteError(db_.get(), result, sql));
  return {};
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int result = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, FinalizeStatement> statement(raw);
    if (result != SQLITE_OK) {
      return Fail(SqliteError(db_.get(), result, "preparing " + std::string(sql)));
    }
    it = cache_.emplace(std::string(sql), std::move(statement)).first;
  }
  return Statement(db_.get(), it->second.get());
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_.get()); }

Result<Transaction> Transaction::Begin(Connection& connection) {
  auto begin = connection.Prepare("BEGIN IMMEDIATE");
  if (!begin.has_value()) return Fail(begin.error());
  if (auto run = begin->Run(); !run.has_value()) return Fail(run.error());
  return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  if (connection_ == nullptr) return;
  // A failed ROLLBACK leaves nothing to do: SQLite rolls back when the connection closes.
  auto rollback = connection_->Prepare("ROLLBACK");
  if (rollback.has_value()) (void)rollback->Run();
}

Result<void> Transaction::Commit() {
  auto commit = connection_->Prepare("COMMIT");
  if (!commit.has_value()) return Fail(commit.error());
  if (auto run = commit->Run(); !run.has_value()) return Fail(run.error());
  connection_ = nullptr;
  return {};
}

}  // namespace fulcrum::storage::sqlite
