#pragma once

// The SQLite Database behind OpenSqliteStore and OpenSqliteDatabase. Internal to storage/sqlite:
// the account methods live in sqlite_store.cc, the IAM methods in sqlite_iam_store.cc.
//
// Threads: writes go through one connection under a mutex; reads use a pool of read-only
// connections (query_only) and, under WAL, never wait for a write transaction's fsync.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/secret_box.h"
#include "storage/database.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_store.h"

namespace fulcrum::storage {
namespace sqlite {

// Times are stored as integer nanoseconds since the Unix epoch (UTC).
[[nodiscard]] inline int64_t ToNanoseconds(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

[[nodiscard]] inline TimePoint FromNanoseconds(int64_t nanoseconds) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(nanoseconds)));
}

// A value bound as a BLOB rather than as TEXT.
struct Blob {
  std::string_view bytes;
};

// Binds one argument of Query by its type; nullopt binds NULL.
inline void BindOne(Statement& statement, int index, std::string_view text) {
  statement.BindText(index, text);
}
inline void BindOne(Statement& statement, int index, const std::string& text) {
  statement.BindText(index, text);
}
inline void BindOne(Statement& statement, int index, const char* text) {
  statement.BindText(index, text);
}
inline void BindOne(Statement& statement, int index, Blob blob) {
  statement.BindBlob(index, blob.bytes);
}
inline void BindOne(Statement& statement, int index, int64_t value) {
  statement.BindInt64(index, value);
}
inline void BindOne(Statement& statement, int index, int value) {
  statement.BindInt64(index, value);
}
inline void BindOne(Statement& statement, int index, bool value) {
  statement.BindInt64(index, value ? 1 : 0);
}
template <class T>
void BindOne(Statement& statement, int index, const std::optional<T>& value) {
  if (value.has_value()) {
    BindOne(statement, index, *value);
  } else {
    statement.BindNull(index);
  }
}

// On success, `sql` prepared with `args` bound to ?1, ?2, ...
template <class... Args>
[[nodiscard]] Result<Statement> Query(Connection& connection, std::string_view sql,
                                      const Args&... args) {
  auto statement = connection.Prepare(sql);
  if (!statement.has_value()) return Fail(statement.error());
  int index = 1;
  (BindOne(*statement, index++, args), ...);
  (void)index;
  return statement;
}

// Runs `sql` (returning no rows) with `args` bound.
template <class... Args>
[[nodiscard]] Result<void> Execute(Connection& connection, std::string_view sql,
                                   const Args&... args) {
  auto statement = Query(connection, sql, args...);
  if (!statement.has_value()) return Fail(statement.error());
  return statement->Run();
}

// On success, whether `sql` with `args` bound returns a row.
template <class... Args>
[[nodiscard]] Result<bool> Exists(Connection& connection, std::string_view sql,
                                  const Args&... args) {
  auto statement = Query(connection, sql, args...);
  if (!statement.has_value()) return Fail(statement.error());
  return statement->Step();
}

// On success, the integer in the first column of the first row, or nullopt if there is no row.
template <class... Args>
[[nodiscard]] Result<std::optional<int64_t>> QueryInt(Connection& connection, std::string_view sql,
                                                      const Args&... args) {
  auto statement = Query(connection, sql, args...);
  if (!statement.has_value()) return Fail(statement.error());
  auto row = statement->Step();
  if (!row.has_value()) return Fail(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(statement->ColumnInt64(0));
}

}  // namespace sqlite

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::filesystem::path file, SecretBox box, SqliteStoreOptions options,
                 std::unique_ptr<sqlite::Connection> writer)
      : file_(std::move(file)),
        box_(std::move(box)),
        options_(std::move(options)),
        writer_(std::move(writer)) {}

  // AccountStore.
  Result<void> CreateAccount(const Account& account,
                             const std::vector<AccessKey>& root_keys) override;
  Result<std::optional<Account>> FindAccountById(std::string_view id) override;
  Result<std::optional<Account>> FindAccountByEmail(std::string_view email) override;
  Result<std::optional<Account>> FindAccountByName(std::string_view name) override;
  Result<std::vector<Account>> ListAccounts() override;
  Result<std::optional<AccessKey>> FindAccessKey(std::string_view access_key_id) override;
  Result<void> CreateAccessKey(const AccessKey& key) override;
  Result<void> DeleteAccessKey(std::string_view access_key_id) override;
  Result<void> SetAccessKeyActive(std::string_view access_key_id, bool active) override;
  Result<std::vector<AccessKey>> ListAccessKeys(std::string_view account_id,
                                                std::string_view user_name) override;

  // IamStore.
  Result<void> CreateUser(const User& user) override;
  Result<std::optional<User>> GetUser(std::string_view account_id,
                                      std::string_view user_name) override;
  Result<std::optional<User>> FindUserById(std::string_view user_id) override;
  Result<Page<User>> ListUsers(std::string_view account_id, std::string_view path_prefix,
                               const PageRequest& page) override;
  Result<void> UpdateUser(std::string_view account_id, std::string_view user_name,
                          const EntityRename& rename) override;
  Result<void> DeleteUser(std::string_view account_id, std::string_view user_name) override;
  Result<void> RecordPasswordUse(std::string_view account_id, std::string_view user_name,
                                 TimePoint time) override;
  Result<void> CreateGroup(const Group& group) override;
  Result<std::optional<Group>> GetGroup(std::string_view account_id,
                                        std::string_view group_name) override;
  Result<std::optional<Group>> FindGroupById(std::string_view group_id) override;
  Result<Page<Group>> ListGroups(std::string_view account_id, std::string_view path_prefix,
                                 const PageRequest& page) override;
  Result<void> UpdateGroup(std::string_view account_id, std::string_view group_name,
                           const EntityRename& rename) override;
  Result<void> DeleteGroup(std::string_view account_id, std::string_view group_name) override;
  Result<void> AddUserToGroup(std::string_view account_id, std::string_view group_name,
                              std::string_view user_name, size_t max_groups_per_user) override;
  Result<void> RemoveUserFromGroup(std::string_view account_id, std::string_view group_name,
                                   std::string_view user_name) override;
  Result<Page<User>> ListGroupMembers(std::string_view account_id, std::string_view group_name,
                                      const PageRequest& page) override;
  Result<Page<Group>> ListGroupsForUser(std::string_view account_id, std::string_view user_name,
                                        const PageRequest& page) override;
  Result<void> CreateRole(const Role& role) override;
  Result<std::optional<Role>> GetRole(std::string_view account_id,
                                      std::string_view role_name) override;
  Result<std::optional<Role>> FindRoleById(std::string_view role_id) override;
  Result<Page<Role>> ListRoles(std::string_view account_id, std::string_view path_prefix,
                               const PageRequest& page) override;
  Result<void> UpdateRole(std::string_view account_id, std::string_view role_name,
                          const RoleUpdate& update) override;
  Result<void> DeleteRole(std::string_view account_id, std::string_view role_name) override;
  Result<void> RecordRoleUse(std::string_view account_id, std::string_view role_name,
                             const RoleLastUsed& used) override;
  Result<void> SetPermissionsBoundary(const PrincipalRef& principal,
                                      std::string_view policy_arn) override;
  Result<void> TagResource(const TagTarget& target, const Tags& tags, size_t max_tags) override;
  Result<void> UntagResource(const TagTarget& target,
                             const std::vector<std::string>& keys) override;
  Result<void> CreatePolicy(const ManagedPolicy& policy, std::string_view document) override;
  Result<std::optional<ManagedPolicy>> GetPolicy(std::string_view account_id,
                                                 std::string_view policy_arn) override;
  Result<Page<ManagedPolicy>> ListPolicies(std::string_view account_id, const PolicyFilter& filter,
                                           const PageRequest& page) override;
  Result<void> DeletePolicy(std::string_view account_id, std::string_view policy_arn) override;
  Result<PolicyVersion> CreatePolicyVersion(std::string_view account_id,
                                            std::string_view policy_arn, std::string_view document,
                                            bool set_as_default, TimePoint now,
                                            size_t max_versions) override;
  Result<std::optional<PolicyVersion>> GetPolicyVersion(std::string_view account_id,
                                                        std::string_view policy_arn,
                                                        std::string_view version_id) override;
  Result<Page<PolicyVersion>> ListPolicyVersions(std::string_view account_id,
                                                 std::string_view policy_arn,
                                                 const PageRequest& page) override;
  Result<void> SetDefaultPolicyVersion(std::string_view account_id, std::string_view policy_arn,
                                       std::string_view version_id) override;
  Result<void> DeletePolicyVersion(std::string_view account_id, std::string_view policy_arn,
                                   std::string_view version_id) override;
  Result<void> AttachPolicy(const PrincipalRef& principal, std::string_view policy_arn,
                            size_t max_attached) override;
  Result<void> DetachPolicy(const PrincipalRef& principal, std::string_view policy_arn) override;
  Result<Page<ManagedPolicy>> ListAttachedPolicies(const PrincipalRef& principal,
                                                   std::string_view path_prefix,
                                                   const PageRequest& page) override;
  Result<Page<PolicyEntity>> ListEntitiesForPolicy(std::string_view account_id,
                                                   std::string_view policy_arn,
                                                   std::optional<PrincipalKind> kind,
                                                   std::string_view path_prefix,
                                                   const PageRequest& page) override;
  Result<void> PutInlinePolicy(const PrincipalRef& principal, std::string_view policy_name,
                               std::string_view document) override;
  Result<std::optional<std::string>> GetInlinePolicy(const PrincipalRef& principal,
                                                     std::string_view policy_name) override;
  Result<void> DeleteInlinePolicy(const PrincipalRef& principal,
                                  std::string_view policy_name) override;
  Result<Page<InlinePolicy>> ListInlinePolicies(const PrincipalRef& principal,
                                                const PageRequest& page) override;
  Result<void> CreateLoginProfile(const LoginProfile& profile) override;
  Result<std::optional<LoginProfile>> GetLoginProfile(std::string_view account_id,
                                                      std::string_view user_name) override;
  Result<void> UpdateLoginProfile(std::string_view account_id, std::string_view user_name,
                                  const LoginProfileUpdate& update) override;
  Result<void> DeleteLoginProfile(std::string_view account_id, std::string_view user_name) override;
  Result<void> CreateVirtualMfaDevice(const VirtualMfaDevice& device) override;
  Result<std::optional<VirtualMfaDevice>> GetVirtualMfaDevice(
      std::string_view account_id, std::string_view serial_number) override;
  Result<Page<VirtualMfaDevice>> ListVirtualMfaDevices(std::string_view account_id,
                                                       MfaAssignment assignment,
                                                       const PageRequest& page) override;
  Result<Page<VirtualMfaDevice>> ListMfaDevicesForUser(std::string_view account_id,
                                                       std::string_view user_name,
                                                       const PageRequest& page) override;
  Result<void> EnableMfaDevice(std::string_view account_id, std::string_view user_name,
                               std::string_view serial_number, TimePoint enable_date,
                               int64_t time_step, size_t max_devices_per_user) override;
  Result<void> DeactivateMfaDevice(std::string_view account_id, std::string_view user_name,
                                   std::string_view serial_number) override;
  Result<void> DeleteVirtualMfaDevice(std::string_view account_id,
                                      std::string_view serial_number) override;
  Result<bool> AcceptMfaTimeStep(std::string_view account_id, std::string_view serial_number,
                                 int64_t time_step) override;
  Result<void> SetAccountAlias(std::string_view account_id, std::string_view alias) override;
  Result<std::optional<std::string>> GetAccountAlias(std::string_view account_id) override;
  Result<std::optional<std::string>> FindAccountIdByAlias(std::string_view alias) override;
  Result<void> DeleteAccountAlias(std::string_view account_id, std::string_view alias) override;
  Result<void> PutPasswordPolicy(std::string_view account_id,
                                 const PasswordPolicy& policy) override;
  Result<std::optional<PasswordPolicy>> GetPasswordPolicy(std::string_view account_id) override;
  Result<void> DeletePasswordPolicy(std::string_view account_id) override;
  Result<void> CreateUserAccessKey(const AccessKey& key, size_t max_keys_per_user) override;
  Result<void> RecordAccessKeyUses(const std::vector<AccessKeyUse>& uses) override;
  Result<std::optional<AccessKeyLastUsed>> GetAccessKeyLastUsed(
      std::string_view access_key_id) override;

 private:
  // Runs fn(connection) on a pooled read connection. Reads never wait for the writer's mutex.
  template <class Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<sqlite::Connection&>())) {
    auto reader = AcquireReader();
    if (!reader.has_value()) return Fail(reader.error());
    auto result = std::forward<Fn>(fn)(**reader);
    ReleaseReader(std::move(*reader));
    return result;
  }

  // Runs fn(connection) on a pooled read connection inside one read transaction, so that all its
  // statements see the same snapshot of the database.
  template <class Fn>
  auto ReadSnapshot(Fn&& fn) -> decltype(fn(std::declval<sqlite::Connection&>())) {
    return Read([&](sqlite::Connection& connection) -> decltype(fn(connection)) {
      if (auto begun = sqlite::Execute(connection, "BEGIN"); !begun.has_value()) {
        return Fail(begun.error());
      }
      auto result = fn(connection);
      if (auto ended = sqlite::Execute(connection, "COMMIT"); !ended.has_value()) {
        (void)sqlite::Execute(connection, "ROLLBACK");
        return Fail(ended.error());
      }
      return result;
    });
  }

  // Runs fn(connection) on the write connection, one call at a time.
  template <class Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<sqlite::Connection&>())) {
    std::lock_guard lock(write_mutex_);
    return std::forward<Fn>(fn)(*writer_);
  }

  // Runs fn(connection) inside one IMMEDIATE transaction on the write connection, committing if
  // it succeeds and rolling back otherwise.
  template <class Fn>
  auto WriteTransaction(Fn&& fn) -> decltype(fn(std::declval<sqlite::Connection&>())) {
    return Write([&](sqlite::Connection& connection) -> decltype(fn(connection)) {
      auto transaction = sqlite::Transaction::Begin(connection);
      if (!transaction.has_value()) return Fail(transaction.error());
      auto result = fn(connection);
      if (!result.has_value()) return result;
      if (auto committed = transaction->Commit(); !committed.has_value()) {
        return Fail(committed.error());
      }
      return result;
    });
  }

  Result<std::unique_ptr<sqlite::Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<sqlite::Connection> reader);
  Result<std::optional<Account>> FindAccount(std::string_view sql, std::string_view value);
  Result<AccessKey> AccessKeyFromRow(const sqlite::Statement& row) const;
  Result<VirtualMfaDevice> MfaDeviceFromRow(const sqlite::Statement& row) const;

  const std::filesystem::path file_;
  const SecretBox box_;
  const SqliteStoreOptions options_;

  std::mutex write_mutex_;
  std::unique_ptr<sqlite::Connection> writer_;  // Guarded by write_mutex_.

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<sqlite::Connection>> idle_readers_;  // Guarded by readers_mutex_.
};

}  // namespace fulcrum::storage
