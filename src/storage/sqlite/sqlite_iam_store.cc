// The IamStore methods of SqliteDatabase. Each write is one IMMEDIATE transaction on the write
// connection; each read that needs more than one statement runs in one read transaction. Lists
// are keyset scans of an index in list order (see migrations.cc), so their cost is
// O(log n + entries scanned), never OFFSET.

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/iam_support.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/store_errors.h"

namespace fulcrum::storage {
namespace {

using sqlite::Blob;
using sqlite::Connection;
using sqlite::Execute;
using sqlite::Exists;
using sqlite::FromNanoseconds;
using sqlite::Query;
using sqlite::QueryInt;
using sqlite::Statement;
using sqlite::ToNanoseconds;

std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string sql;
  for (std::string_view part : parts) sql += part;
  return sql;
}

int64_t KindValue(PrincipalKind kind) { return static_cast<int64_t>(kind); }

std::string_view PrincipalTable(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kUser:
      return "iam_users";
    case PrincipalKind::kGroup:
      return "iam_groups";
    case PrincipalKind::kRole:
      return "iam_roles";
  }
  return "iam_users";
}

// `sql` with every "{T}" replaced by the table of `kind`.
std::string ForKind(std::string_view sql, PrincipalKind kind) {
  std::string result;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql.substr(i, 3) == "{T}") {
      result += PrincipalTable(kind);
      i += 2;
    } else {
      result += sql[i];
    }
  }
  return result;
}

// The comparison that starts a keyset scan: after the marker, or from the start.
std::string_view After(bool from_start) { return from_start ? " >= " : " > "; }

// ---- Tags: (u32 little-endian length, key, u32 length, value) for each tag, in order.

void AppendSized(std::string& out, std::string_view text) {
  const auto size = static_cast<uint32_t>(text.size());
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((size >> shift) & 0xff);
  out += text;
}

std::string EncodeTags(const Tags& tags) {
  std::string out;
  for (const auto& [key, value] : tags) {
    AppendSized(out, key);
    AppendSized(out, value);
  }
  return out;
}

Result<Tags> DecodeTags(std::string_view bytes) {
  Tags tags;
  auto take = [&bytes]() -> std::optional<std::string> {
    if (bytes.size() < 4) return std::nullopt;
    uint32_t size = 0;
    for (int i = 0; i < 4; ++i) {
      size |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[static_cast<size_t>(i)]))
              << (8 * i);
    }
    bytes.remove_prefix(4);
    if (bytes.size() < size) return std::nullopt;
    std::string text(bytes.substr(0, size));
    bytes.remove_prefix(size);
    return text;
  };
  while (!bytes.empty()) {
    std::optional<std::string> key = take();
    std::optional<std::string> value = key.has_value() ? take() : std::nullopt;
    if (!value.has_value()) return Fail("InternalFailure", "stored tags are malformed");
    tags.emplace_back(std::move(*key), std::move(*value));
  }
  return tags;
}

// ---- Rows

constexpr std::string_view kUserColumns =
    "u.id, u.account_id, u.unique_id, u.name, u.path, u.arn, u.created_ns, u.boundary_arn, "
    "u.tags, u.password_last_used_ns";

Result<User> UserFromRow(const Statement& row) {
  auto tags = DecodeTags(row.ColumnBlob(8));
  if (!tags.has_value()) return Fail(tags.error());
  User user{.account_id = row.ColumnText(1),
            .user_id = row.ColumnText(2),
            .user_name = row.ColumnText(3),
            .path = row.ColumnText(4),
            .arn = row.ColumnText(5),
            .created = FromNanoseconds(row.ColumnInt64(6)),
            .permissions_boundary_arn = row.ColumnText(7),
            .tags = std::move(*tags),
            .password_last_used = std::nullopt};
  if (!row.ColumnIsNull(9)) user.password_last_used = FromNanoseconds(row.ColumnInt64(9));
  return user;
}

constexpr std::string_view kGroupColumns =
    "g.id, g.account_id, g.unique_id, g.name, g.path, g.arn, g.created_ns";

Result<Group> GroupFromRow(const Statement& row) {
  return Group{.account_id = row.ColumnText(1),
               .group_id = row.ColumnText(2),
               .group_name = row.ColumnText(3),
               .path = row.ColumnText(4),
               .arn = row.ColumnText(5),
               .created = FromNanoseconds(row.ColumnInt64(6))};
}

constexpr std::string_view kRoleColumns =
    "r.id, r.account_id, r.unique_id, r.name, r.path, r.arn, r.created_ns, r.trust_policy, "
    "r.description, r.max_session_duration, r.boundary_arn, r.tags, r.last_used_ns, "
    "r.last_used_region";

Result<Role> RoleFromRow(const Statement& row) {
  auto tags = DecodeTags(row.ColumnBlob(11));
  if (!tags.has_value()) return Fail(tags.error());
  Role role{.account_id = row.ColumnText(1),
            .role_id = row.ColumnText(2),
            .role_name = row.ColumnText(3),
            .path = row.ColumnText(4),
            .arn = row.ColumnText(5),
            .created = FromNanoseconds(row.ColumnInt64(6)),
            .assume_role_policy_document = row.ColumnText(7),
            .description = row.ColumnText(8),
            .max_session_duration = row.ColumnInt64(9),
            .permissions_boundary_arn = row.ColumnText(10),
            .tags = std::move(*tags),
            .last_used = std::nullopt};
  if (!row.ColumnIsNull(12)) {
    role.last_used =
        RoleLastUsed{.time = FromNanoseconds(row.ColumnInt64(12)), .region = row.ColumnText(13)};
  }
  return role;
}

// Policies are always read with the usage counts of the viewing account, bound to ?1.
constexpr std::string_view kPolicyColumns =
    "p.id, p.arn, p.unique_id, p.account_id, p.name, p.path, p.description, p.created_ns, "
    "p.updated_ns, p.default_version, p.is_attachable, p.tags, COALESCE(c.attachments, 0), "
    "COALESCE(c.boundaries, 0)";
constexpr std::string_view kPolicyUsageJoin =
    " LEFT JOIN iam_policy_usage c ON c.account_id = ?1 AND c.policy_ref = p.id";

Result<ManagedPolicy> PolicyFromRow(const Statement& row) {
  auto tags = DecodeTags(row.ColumnBlob(11));
  if (!tags.has_value()) return Fail(tags.error());
  return ManagedPolicy{.arn = row.ColumnText(1),
                       .policy_id = row.ColumnText(2),
                       .policy_name = row.ColumnText(4),
                       .path = row.ColumnText(5),
                       .account_id = row.ColumnText(3),
                       .description = row.ColumnText(6),
                       .created = FromNanoseconds(row.ColumnInt64(7)),
                       .updated = FromNanoseconds(row.ColumnInt64(8)),
                       .default_version_id = FormatVersionId(row.ColumnInt64(9)),
                       .attachment_count = row.ColumnInt64(12),
                       .permissions_boundary_usage_count = row.ColumnInt64(13),
                       .is_attachable = row.ColumnInt64(10) != 0,
                       .tags = std::move(*tags)};
}

constexpr std::string_view kMfaColumns =
    "d.serial, d.account_id, d.path, d.name, d.seed_sealed, d.created_ns, d.tags, "
    "COALESCE(u.name, ''), d.enabled_ns, d.last_time_step, d.user_ref IS NOT NULL";
constexpr std::string_view kMfaFrom =
    " FROM iam_mfa_devices d LEFT JOIN iam_users u ON u.id = d.user_ref";

// The associated data an MFA seed is sealed with: it ties the sealed value to its row.
std::string SeedAssociatedData(std::string_view serial_number) {
  return "mfa:" + std::string(serial_number);
}

// On success, the value make(row) of the first row of `sql`, or nullopt if there is none.
template <class Make, class... Args>
auto QueryOne(Connection& connection, std::string_view sql, Make&& make, const Args&... args)
    -> Result<std::optional<typename std::invoke_result_t<Make, const Statement&>::value_type>> {
  using Value = typename std::invoke_result_t<Make, const Statement&>::value_type;
  auto select = Query(connection, sql, args...);
  if (!select.has_value()) return Fail(select.error());
  auto row = select->Step();
  if (!row.has_value()) return Fail(row.error());
  if (!*row) return std::optional<Value>();
  auto value = make(*select);
  if (!value.has_value()) return Fail(value.error());
  return std::optional<Value>(std::move(*value));
}

// On success, the text in the first column of the first row, or nullopt if there is none.
template <class... Args>
Result<std::optional<std::string>> QueryText(Connection& connection, std::string_view sql,
                                             const Args&... args) {
  return QueryOne(
      connection, sql,
      [](const Statement& row) -> Result<std::string> { return row.ColumnText(0); }, args...);
}

// Steps `select` and offers each row to `builder`. On success, whether the page is complete.
template <class Item, class KeyOf, class Matches, class Make>
Result<bool> Drain(Statement& select, PageBuilder<Item>& builder, KeyOf&& key_of, Matches&& matches,
                   Make&& make) {
  for (;;) {
    auto row = select.Step();
    if (!row.has_value()) return Fail(row.error());
    if (!*row) return false;
    const auto verdict = builder.Consider(key_of(select), matches(select));
    if (verdict == PageBuilder<Item>::Verdict::kStop) return true;
    if (verdict == PageBuilder<Item>::Verdict::kTake) {
      auto item = make(select);
      if (!item.has_value()) return Fail(item.error());
      builder.Add(std::move(*item));
    }
  }
}

// Fails with `error` if `found` holds true.
Result<void> Refuse(const Result<bool>& found, Error error) {
  if (!found.has_value()) return Fail(found.error());
  if (*found) return Fail(std::move(error));
  return {};
}

Result<void> RequireAccount(Connection& connection, std::string_view account_id) {
  auto found = Exists(connection, "SELECT 1 FROM accounts WHERE id = ?1", account_id);
  if (!found.has_value()) return Fail(found.error());
  if (!*found) return Fail(NoSuchAccountError(account_id));
  return {};
}

// What identifies a principal to the rows that refer to it.
struct PrincipalRow {
  int64_t ref = 0;  // Integer id of its row.
  std::string name;
  std::string boundary_arn;  // Groups have none.
};

Result<std::optional<PrincipalRow>> FindPrincipal(Connection& connection,
                                                  const PrincipalRef& principal) {
  const std::string sql =
      principal.kind == PrincipalKind::kGroup
          ? "SELECT id, name, '' FROM iam_groups WHERE account_id = ?1 AND name = ?2"
          : ForKind("SELECT id, name, boundary_arn FROM {T} WHERE account_id = ?1 AND name = ?2",
                    principal.kind);
  return QueryOne(
      connection, sql,
      [](const Statement& row) -> Result<PrincipalRow> {
        return PrincipalRow{row.ColumnInt64(0), row.ColumnText(1), row.ColumnText(2)};
      },
      principal.account_id, principal.name);
}

// The principal, or kNoSuchEntity.
Result<PrincipalRow> RequirePrincipal(Connection& connection, const PrincipalRef& principal) {
  auto found = FindPrincipal(connection, principal);
  if (!found.has_value()) return Fail(found.error());
  if (!found->has_value()) return Fail(NoSuchPrincipalError(principal.kind, principal.name));
  return std::move(**found);
}

Result<PrincipalRow> RequireUser(Connection& connection, std::string_view account_id,
                                 std::string_view user_name) {
  return RequirePrincipal(connection, PrincipalRef{PrincipalKind::kUser, std::string(account_id),
                                                   std::string(user_name)});
}

struct PolicyRow {
  int64_t ref = 0;
  std::string account_id;
  int64_t default_version = 0;
  int64_t next_version = 0;
  bool is_attachable = true;
};

Result<std::optional<PolicyRow>> FindPolicy(Connection& connection, std::string_view arn) {
  return QueryOne(
      connection,
      "SELECT id, account_id, default_version, next_version, is_attachable FROM iam_policies "
      "WHERE arn = ?1",
      [](const Statement& row) -> Result<PolicyRow> {
        return PolicyRow{row.ColumnInt64(0), row.ColumnText(1), row.ColumnInt64(2),
                         row.ColumnInt64(3), row.ColumnInt64(4) != 0};
      },
      arn);
}

// The policy if account_id may see it (its own or AWS managed), else kNoSuchEntity.
Result<PolicyRow> RequireVisiblePolicy(Connection& connection, std::string_view account_id,
                                       std::string_view arn) {
  auto found = FindPolicy(connection, arn);
  if (!found.has_value()) return Fail(found.error());
  if (!found->has_value() ||
      (!(*found)->account_id.empty() && (*found)->account_id != account_id)) {
    return Fail(NoSuchPolicyError(arn));
  }
  return std::move(**found);
}

// The policy if it belongs to account_id (empty: AWS managed), else kNoSuchEntity.
Result<PolicyRow> RequireOwnedPolicy(Connection& connection, std::string_view account_id,
                                     std::string_view arn) {
  auto found = FindPolicy(connection, arn);
  if (!found.has_value()) return Fail(found.error());
  if (!found->has_value() || (*found)->account_id != account_id) {
    return Fail(NoSuchPolicyError(arn));
  }
  return std::move(**found);
}

Result<void> AddUsage(Connection& connection, std::string_view account_id, int64_t policy_ref,
                      int64_t attachments, int64_t boundaries) {
  return Execute(connection,
                 "INSERT INTO iam_policy_usage (account_id, policy_ref, attachments, boundaries) "
                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id, policy_ref) DO UPDATE SET "
                 "attachments = attachments + excluded.attachments, "
                 "boundaries = boundaries + excluded.boundaries",
                 account_id, policy_ref, attachments, boundaries);
}

// Checks that a new boundary policy is visible, then moves the boundary usage count.
Result<void> MoveBoundary(Connection& connection, std::string_view account_id,
                          std::string_view old_arn, std::string_view new_arn) {
  if (old_arn == new_arn) return {};
  std::optional<int64_t> new_ref;
  if (!new_arn.empty()) {
    auto policy = RequireVisiblePolicy(connection, account_id, new_arn);
    if (!policy.has_value()) return Fail(policy.error());
    new_ref = policy->ref;
  }
  if (!old_arn.empty()) {
    auto old_policy = FindPolicy(connection, old_arn);
    if (!old_policy.has_value()) return Fail(old_policy.error());
    if (old_policy->has_value()) {
      auto added = AddUsage(connection, account_id, (*old_policy)->ref, 0, -1);
      if (!added.has_value()) return added;
    }
  }
  if (new_ref.has_value()) return AddUsage(connection, account_id, *new_ref, 0, 1);
  return {};
}

// Fails with kDeleteConflict if the principal has attached or inline policies.
Result<void> CheckNoPolicies(Connection& connection, PrincipalKind kind, int64_t ref) {
  auto attached = Exists(
      connection, "SELECT 1 FROM iam_attachments WHERE principal_kind = ?1 AND principal_ref = ?2",
      KindValue(kind), ref);
  if (auto refused = Refuse(attached, DeleteConflictError(kMustDetachPolicies));
      !refused.has_value()) {
    return refused;
  }
  auto inline_policy =
      Exists(connection,
             "SELECT 1 FROM iam_inline_policies WHERE principal_kind = ?1 AND principal_ref = ?2",
             KindValue(kind), ref);
  return Refuse(inline_policy, DeleteConflictError(kMustDeleteInlinePolicies));
}

// Lists users, groups or roles of one account by name: `select` is "SELECT <columns> FROM <table>
// <alias>", with the name in column 3 and the path in column 4.
template <class Record, class Make>
Result<Page<Record>> ListByName(Connection& connection, std::string_view list,
                                std::string_view select, std::string_view alias,
                                std::string_view account_id, std::string_view path_prefix,
                                const MarkerKey& marker, const PageRequest& page, size_t scan_limit,
                                Make&& make) {
  const std::string sql = Sql({select, " WHERE ", alias, ".account_id = ?1 AND ", alias, ".name",
                               After(marker.empty()), "?2 ORDER BY ", alias, ".name"});
  auto query = Query(connection, sql, account_id, marker.empty() ? std::string() : marker[0]);
  if (!query.has_value()) return Fail(query.error());
  PageBuilder<Record> builder(list, page.max_items, scan_limit);
  auto drained = Drain(
      *query, builder,
      [](const Statement& row) { return MarkerKey{AsciiLower(row.ColumnText(3))}; },
      [&](const Statement& row) { return PathHasPrefix(row.ColumnText(4), path_prefix); }, make);
  if (!drained.has_value()) return Fail(drained.error());
  return std::move(builder).Finish();
}

// The page request checked and its marker decoded into `parts` parts.
Result<MarkerKey> StartPage(const PageRequest& page, std::string_view list, size_t parts) {
  if (auto checked = CheckPageRequest(page); !checked.has_value()) return Fail(checked.error());
  return DecodeMarker(list, page.marker, parts);
}

}  // namespace

// ---- Users

Result<void> SqliteDatabase::CreateUser(const User& user) {
  const std::string tags = EncodeTags(user.tags);
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    if (auto found = RequireAccount(connection, user.account_id); !found.has_value()) return found;
    if (auto refused =
            Refuse(Exists(connection, "SELECT 1 FROM iam_users WHERE account_id = ?1 AND name = ?2",
                          user.account_id, user.user_name),
                   PrincipalExistsError(PrincipalKind::kUser, user.user_name));
        !refused.has_value()) {
      return refused;
    }
    if (auto refused =
            Refuse(Exists(connection, "SELECT 1 FROM iam_users WHERE unique_id = ?1", user.user_id),
                   DuplicateUniqueIdError(user.user_id));
        !refused.has_value()) {
      return refused;
    }
    if (auto moved = MoveBoundary(connection, user.account_id, "", user.permissions_boundary_arn);
        !moved.has_value()) {
      return moved;
    }
    return Execute(connection,
                   "INSERT INTO iam_users (account_id, unique_id, name, path, arn, created_ns, "
                   "boundary_arn, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                   user.account_id, user.user_id, user.user_name, user.path, user.arn,
                   ToNanoseconds(user.created), user.permissions_boundary_arn, Blob{tags});
  });
}

Result<std::optional<User>> SqliteDatabase::GetUser(std::string_view account_id,
                                                    std::string_view user_name) {
  static const std::string sql =
      Sql({"SELECT ", kUserColumns, " FROM iam_users u WHERE u.account_id = ?1 AND u.name = ?2"});
  return Read([&](Connection& connection) {
    return QueryOne(connection, sql, UserFromRow, account_id, user_name);
  });
}

Result<std::optional<User>> SqliteDatabase::FindUserById(std::string_view user_id) {
  static const std::string sql =
      Sql({"SELECT ", kUserColumns, " FROM iam_users u WHERE u.unique_id = ?1"});
  return Read(
      [&](Connection& connection) { return QueryOne(connection, sql, UserFromRow, user_id); });
}

Result<Page<User>> SqliteDatabase::ListUsers(std::string_view account_id,
                                             std::string_view path_prefix,
                                             const PageRequest& page) {
  auto marker = StartPage(page, kUsersList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  static const std::string select = Sql({"SELECT ", kUserColumns, " FROM iam_users u"});
  return Read([&](Connection& connection) {
    return ListByName<User>(connection, kUsersList, select, "u", account_id, path_prefix, *marker,
                            page, options_.list_scan_limit, UserFromRow);
  });
}

Result<void> SqliteDatabase::UpdateUser(std::string_view account_id, std::string_view user_name,
                                        const EntityRename& rename) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    if (auto refused = Refuse(
            Exists(connection,
                   "SELECT 1 FROM iam_users WHERE account_id = ?1 AND name = ?2 AND id != ?3",
                   account_id, rename.name, user->ref),
            PrincipalExistsError(PrincipalKind::kUser, rename.name));
        !refused.has_value()) {
      return refused;
    }
    if (auto run =
            Execute(connection, "UPDATE iam_users SET name = ?2, path = ?3, arn = ?4 WHERE id = ?1",
                    user->ref, rename.name, rename.path, rename.arn);
        !run.has_value()) {
      return run;
    }
    if (auto run =
            Execute(connection, "UPDATE iam_group_members SET user_name = ?2 WHERE user_ref = ?1",
                    user->ref, rename.name);
        !run.has_value()) {
      return run;
    }
    if (auto run = Execute(connection,
                           "UPDATE iam_attachments SET principal_name = ?3 "
                           "WHERE principal_kind = ?1 AND principal_ref = ?2",
                           KindValue(PrincipalKind::kUser), user->ref, rename.name);
        !run.has_value()) {
      return run;
    }
    return Execute(connection,
                   "UPDATE access_keys SET user_name = ?3 WHERE account_id = ?1 AND user_name = ?2",
                   account_id, user->name, rename.name);
  });
}

Result<void> SqliteDatabase::DeleteUser(std::string_view account_id, std::string_view user_name) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    const struct {
      Result<bool> found;
      std::string_view message;
    } dependents[] = {
        {Exists(connection, "SELECT 1 FROM iam_login_profiles WHERE user_ref = ?1", user->ref),
         kMustDeleteLoginProfile},
        {Exists(connection, "SELECT 1 FROM access_keys WHERE account_id = ?1 AND user_name = ?2",
                account_id, user->name),
         kMustDeleteAccessKeys},
        {Exists(connection, "SELECT 1 FROM iam_mfa_devices WHERE user_ref = ?1", user->ref),
         kMustDeleteMfaDevices},
        {Exists(connection, "SELECT 1 FROM iam_group_members WHERE user_ref = ?1", user->ref),
         kMustLeaveGroups},
    };
    for (const auto& dependent : dependents) {
      if (auto refused = Refuse(dependent.found, DeleteConflictError(dependent.message));
          !refused.has_value()) {
        return refused;
      }
    }
    if (auto clear = CheckNoPolicies(connection, PrincipalKind::kUser, user->ref);
        !clear.has_value()) {
      return clear;
    }
    if (auto moved = MoveBoundary(connection, account_id, user->boundary_arn, "");
        !moved.has_value()) {
      return moved;
    }
    return Execute(connection, "DELETE FROM iam_users WHERE id = ?1", user->ref);
  });
}

Result<void> SqliteDatabase::RecordPasswordUse(std::string_view account_id,
                                               std::string_view user_name, TimePoint time) {
  return Write([&](Connection& connection) -> Result<void> {
    auto run = Execute(connection,
                       "UPDATE iam_users SET password_last_used_ns = ?3 "
                       "WHERE account_id = ?1 AND name = ?2",
                       account_id, user_name, ToNanoseconds(time));
    if (!run.has_value()) return run;
    if (connection.Changes() == 0)
      return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
    return {};
  });
}

// ---- Groups

Result<void> SqliteDatabase::CreateGroup(const Group& group) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    if (auto found = RequireAccount(connection, group.account_id); !found.has_value()) {
      return found;
    }
    if (auto refused = Refuse(
            Exists(connection, "SELECT 1 FROM iam_groups WHERE account_id = ?1 AND name = ?2",
                   group.account_id, group.group_name),
            PrincipalExistsError(PrincipalKind::kGroup, group.group_name));
        !refused.has_value()) {
      return refused;
    }
    if (auto refused = Refuse(
            Exists(connection, "SELECT 1 FROM iam_groups WHERE unique_id = ?1", group.group_id),
            DuplicateUniqueIdError(group.group_id));
        !refused.has_value()) {
      return refused;
    }
    return Execute(connection,
                   "INSERT INTO iam_groups (account_id, unique_id, name, path, arn, created_ns) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   group.account_id, group.group_id, group.group_name, group.path, group.arn,
                   ToNanoseconds(group.created));
  });
}

Result<std::optional<Group>> SqliteDatabase::GetGroup(std::string_view account_id,
                                                      std::string_view group_name) {
  static const std::string sql =
      Sql({"SELECT ", kGroupColumns, " FROM iam_groups g WHERE g.account_id = ?1 AND g.name = ?2"});
  return Read([&](Connection& connection) {
    return QueryOne(connection, sql, GroupFromRow, account_id, group_name);
  });
}

Result<std::optional<Group>> SqliteDatabase::FindGroupById(std::string_view group_id) {
  static const std::string sql =
      Sql({"SELECT ", kGroupColumns, " FROM iam_groups g WHERE g.unique_id = ?1"});
  return Read(
      [&](Connection& connection) { return QueryOne(connection, sql, GroupFromRow, group_id); });
}

Result<Page<Group>> SqliteDatabase::ListGroups(std::string_view account_id,
                                               std::string_view path_prefix,
                                               const PageRequest& page) {
  auto marker = StartPage(page, kGroupsList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  static const std::string select = Sql({"SELECT ", kGroupColumns, " FROM iam_groups g"});
  return Read([&](Connection& connection) {
    return ListByName<Group>(connection, kGroupsList, select, "g", account_id, path_prefix, *marker,
                             page, options_.list_scan_limit, GroupFromRow);
  });
}

Result<void> SqliteDatabase::UpdateGroup(std::string_view account_id, std::string_view group_name,
                                         const EntityRename& rename) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto group = RequirePrincipal(
        connection,
        PrincipalRef{PrincipalKind::kGroup, std::string(account_id), std::string(group_name)});
    if (!group.has_value()) return Fail(group.error());
    if (auto refused = Refuse(
            Exists(connection,
                   "SELECT 1 FROM iam_groups WHERE account_id = ?1 AND name = ?2 AND id != ?3",
                   account_id, rename.name, group->ref),
            PrincipalExistsError(PrincipalKind::kGroup, rename.name));
        !refused.has_value()) {
      return refused;
    }
    if (auto run = Execute(connection,
                           "UPDATE iam_groups SET name = ?2, path = ?3, arn = ?4 WHERE id = ?1",
                           group->ref, rename.name, rename.path, rename.arn);
        !run.has_value()) {
      return run;
    }
    return Execute(connection,
                   "UPDATE iam_attachments SET principal_name = ?3 "
                   "WHERE principal_kind = ?1 AND principal_ref = ?2",
                   KindValue(PrincipalKind::kGroup), group->ref, rename.name);
  });
}

Result<void> SqliteDatabase::DeleteGroup(std::string_view account_id, std::string_view group_name) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto group = RequirePrincipal(
        connection,
        PrincipalRef{PrincipalKind::kGroup, std::string(account_id), std::string(group_name)});
    if (!group.has_value()) return Fail(group.error());
    if (auto refused = Refuse(
            Exists(connection, "SELECT 1 FROM iam_group_members WHERE group_ref = ?1", group->ref),
            DeleteConflictError(kMustRemoveMembers));
        !refused.has_value()) {
      return refused;
    }
    if (auto clear = CheckNoPolicies(connection, PrincipalKind::kGroup, group->ref);
        !clear.has_value()) {
      return clear;
    }
    return Execute(connection, "DELETE FROM iam_groups WHERE id = ?1", group->ref);
  });
}

Result<void> SqliteDatabase::AddUserToGroup(std::string_view account_id,
                                            std::string_view group_name, std::string_view user_name,
                                            size_t max_groups_per_user) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto group = RequirePrincipal(
        connection,
        PrincipalRef{PrincipalKind::kGroup, std::string(account_id), std::string(group_name)});
    if (!group.has_value()) return Fail(group.error());
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    auto member =
        Exists(connection, "SELECT 1 FROM iam_group_members WHERE group_ref = ?1 AND user_ref = ?2",
               group->ref, user->ref);
    if (!member.has_value()) return Fail(member.error());
    if (*member) return {};
    auto groups = QueryInt(connection, "SELECT COUNT(*) FROM iam_group_members WHERE user_ref = ?1",
                           user->ref);
    if (!groups.has_value()) return Fail(groups.error());
    if (groups->value_or(0) >= static_cast<int64_t>(max_groups_per_user)) {
      return Fail(QuotaError("GroupsPerUser", max_groups_per_user));
    }
    return Execute(connection,
                   "INSERT INTO iam_group_members (group_ref, user_ref, user_name) "
                   "VALUES (?1, ?2, ?3)",
                   group->ref, user->ref, user->name);
  });
}

Result<void> SqliteDatabase::RemoveUserFromGroup(std::string_view account_id,
                                                 std::string_view group_name,
                                                 std::string_view user_name) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto group = RequirePrincipal(
        connection,
        PrincipalRef{PrincipalKind::kGroup, std::string(account_id), std::string(group_name)});
    if (!group.has_value()) return Fail(group.error());
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    auto run =
        Execute(connection, "DELETE FROM iam_group_members WHERE group_ref = ?1 AND user_ref = ?2",
                group->ref, user->ref);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0) return Fail(UserNotInGroupError(user_name, group_name));
    return {};
  });
}

Result<Page<User>> SqliteDatabase::ListGroupMembers(std::string_view account_id,
                                                    std::string_view group_name,
                                                    const PageRequest& page) {
  auto marker = StartPage(page, kMembersList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  return ReadSnapshot([&](Connection& connection) -> Result<Page<User>> {
    auto group = RequirePrincipal(
        connection,
        PrincipalRef{PrincipalKind::kGroup, std::string(account_id), std::string(group_name)});
    if (!group.has_value()) return Fail(group.error());
    const std::string sql =
        Sql({"SELECT ", kUserColumns,
             // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one SQL clause, two lines.
             " FROM iam_group_members m JOIN iam_users u ON u.id = m.user_ref "
             "WHERE m.group_ref = ?1 AND m.user_name",
             After(marker->empty()), "?2 ORDER BY m.user_name"});
    auto select =
        Query(connection, sql, group->ref, marker->empty() ? std::string() : (*marker)[0]);
    if (!select.has_value()) return Fail(select.error());
    PageBuilder<User> builder(kMembersList, page.max_items, options_.list_scan_limit);
    auto drained = Drain(
        *select, builder,
        [](const Statement& row) { return MarkerKey{AsciiLower(row.ColumnText(3))}; },
        [](const Statement&) { return true; }, UserFromRow);
    if (!drained.has_value()) return Fail(drained.error());
    return std::move(builder).Finish();
  });
}

Result<Page<Group>> SqliteDatabase::ListGroupsForUser(std::string_view account_id,
                                                      std::string_view user_name,
                                                      const PageRequest& page) {
  auto marker = StartPage(page, kUserGroupsList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  return ReadSnapshot([&](Connection& connection) -> Result<Page<Group>> {
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    // A user is in few groups (the IAM service caps it), so sorting them costs little.
    const std::string sql =
        Sql({"SELECT ", kGroupColumns,
             // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one SQL clause, two lines.
             " FROM iam_group_members m JOIN iam_groups g ON g.id = m.group_ref "
             "WHERE m.user_ref = ?1 AND g.name",
             After(marker->empty()), "?2 ORDER BY g.name"});
    auto select = Query(connection, sql, user->ref, marker->empty() ? std::string() : (*marker)[0]);
    if (!select.has_value()) return Fail(select.error());
    PageBuilder<Group> builder(kUserGroupsList, page.max_items, options_.list_scan_limit);
    auto drained = Drain(
        *select, builder,
        [](const Statement& row) { return MarkerKey{AsciiLower(row.ColumnText(3))}; },
        [](const Statement&) { return true; }, GroupFromRow);
    if (!drained.has_value()) return Fail(drained.error());
    return std::move(builder).Finish();
  });
}

// ---- Roles

Result<void> SqliteDatabase::CreateRole(const Role& role) {
  const std::string tags = EncodeTags(role.tags);
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    if (auto found = RequireAccount(connection, role.account_id); !found.has_value()) return found;
    if (auto refused =
            Refuse(Exists(connection, "SELECT 1 FROM iam_roles WHERE account_id = ?1 AND name = ?2",
                          role.account_id, role.role_name),
                   PrincipalExistsError(PrincipalKind::kRole, role.role_name));
        !refused.has_value()) {
      return refused;
    }
    if (auto refused =
            Refuse(Exists(connection, "SELECT 1 FROM iam_roles WHERE unique_id = ?1", role.role_id),
                   DuplicateUniqueIdError(role.role_id));
        !refused.has_value()) {
      return refused;
    }
    if (auto moved = MoveBoundary(connection, role.account_id, "", role.permissions_boundary_arn);
        !moved.has_value()) {
      return moved;
    }
    return Execute(connection,
                   "INSERT INTO iam_roles (account_id, unique_id, name, path, arn, created_ns, "
                   "trust_policy, description, max_session_duration, boundary_arn, tags) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                   role.account_id, role.role_id, role.role_name, role.path, role.arn,
                   ToNanoseconds(role.created), role.assume_role_policy_document, role.description,
                   role.max_session_duration, role.permissions_boundary_arn, Blob{tags});
  });
}

Result<std::optional<Role>> SqliteDatabase::GetRole(std::string_view account_id,
                                                    std::string_view role_name) {
  static const std::string sql =
      Sql({"SELECT ", kRoleColumns, " FROM iam_roles r WHERE r.account_id = ?1 AND r.name = ?2"});
  return Read([&](Connection& connection) {
    return QueryOne(connection, sql, RoleFromRow, account_id, role_name);
  });
}

Result<std::optional<Role>> SqliteDatabase::FindRoleById(std::string_view role_id) {
  static const std::string sql =
      Sql({"SELECT ", kRoleColumns, " FROM iam_roles r WHERE r.unique_id = ?1"});
  return Read(
      [&](Connection& connection) { return QueryOne(connection, sql, RoleFromRow, role_id); });
}

Result<Page<Role>> SqliteDatabase::ListRoles(std::string_view account_id,
                                             std::string_view path_prefix,
                                             const PageRequest& page) {
  auto marker = StartPage(page, kRolesList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  static const std::string select = Sql({"SELECT ", kRoleColumns, " FROM iam_roles r"});
  return Read([&](Connection& connection) {
    return ListByName<Role>(connection, kRolesList, select, "r", account_id, path_prefix, *marker,
                            page, options_.list_scan_limit, RoleFromRow);
  });
}

Result<void> SqliteDatabase::UpdateRole(std::string_view account_id, std::string_view role_name,
                                        const RoleUpdate& update) {
  return Write([&](Connection& connection) -> Result<void> {
    auto run = Execute(connection,
                       "UPDATE iam_roles SET description = COALESCE(?3, description), "
                       "max_session_duration = COALESCE(?4, max_session_duration), "
                       "trust_policy = COALESCE(?5, trust_policy) "
                       "WHERE account_id = ?1 AND name = ?2",
                       account_id, role_name, update.description, update.max_session_duration,
                       update.assume_role_policy_document);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0)
      return Fail(NoSuchPrincipalError(PrincipalKind::kRole, role_name));
    return {};
  });
}

Result<void> SqliteDatabase::DeleteRole(std::string_view account_id, std::string_view role_name) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto role = RequirePrincipal(
        connection,
        PrincipalRef{PrincipalKind::kRole, std::string(account_id), std::string(role_name)});
    if (!role.has_value()) return Fail(role.error());
    if (auto clear = CheckNoPolicies(connection, PrincipalKind::kRole, role->ref);
        !clear.has_value()) {
      return clear;
    }
    if (auto moved = MoveBoundary(connection, account_id, role->boundary_arn, "");
        !moved.has_value()) {
      return moved;
    }
    return Execute(connection, "DELETE FROM iam_roles WHERE id = ?1", role->ref);
  });
}

Result<void> SqliteDatabase::RecordRoleUse(std::string_view account_id, std::string_view role_name,
                                           const RoleLastUsed& used) {
  return Write([&](Connection& connection) -> Result<void> {
    auto run = Execute(connection,
                       "UPDATE iam_roles SET last_used_ns = ?3, last_used_region = ?4 "
                       "WHERE account_id = ?1 AND name = ?2",
                       account_id, role_name, ToNanoseconds(used.time), used.region);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0)
      return Fail(NoSuchPrincipalError(PrincipalKind::kRole, role_name));
    return {};
  });
}

// ---- Boundaries and tags

Result<void> SqliteDatabase::SetPermissionsBoundary(const PrincipalRef& principal,
                                                    std::string_view policy_arn) {
  if (principal.kind == PrincipalKind::kGroup) {
    return Fail(RequiresError("a group has no permissions boundary"));
  }
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto found = RequirePrincipal(connection, principal);
    if (!found.has_value()) return Fail(found.error());
    if (auto moved =
            MoveBoundary(connection, principal.account_id, found->boundary_arn, policy_arn);
        !moved.has_value()) {
      return moved;
    }
    return Execute(connection,
                   ForKind("UPDATE {T} SET boundary_arn = ?2 WHERE id = ?1", principal.kind),
                   found->ref, policy_arn);
  });
}

namespace {

// The statements that read and write the tags of a target; both bind ?1 account id, ?2 name.
struct TagSql {
  std::string_view select;
  std::string_view update;  // Binds ?3 the tags.
};

TagSql TagSqlFor(TaggedKind kind) {
  switch (kind) {
    case TaggedKind::kUser:
      return {"SELECT tags FROM iam_users WHERE account_id = ?1 AND name = ?2",
              "UPDATE iam_users SET tags = ?3 WHERE account_id = ?1 AND name = ?2"};
    case TaggedKind::kRole:
      return {"SELECT tags FROM iam_roles WHERE account_id = ?1 AND name = ?2",
              "UPDATE iam_roles SET tags = ?3 WHERE account_id = ?1 AND name = ?2"};
    case TaggedKind::kPolicy:
      return {"SELECT tags FROM iam_policies WHERE account_id = ?1 AND arn = ?2",
              "UPDATE iam_policies SET tags = ?3 WHERE account_id = ?1 AND arn = ?2"};
    case TaggedKind::kVirtualMfaDevice:
      return {"SELECT tags FROM iam_mfa_devices WHERE account_id = ?1 AND serial = ?2",
              "UPDATE iam_mfa_devices SET tags = ?3 WHERE account_id = ?1 AND serial = ?2"};
  }
  return {"", ""};
}

// Replaces the tags of `target` with change(current tags), in the caller's transaction.
template <class Change>
Result<void> ChangeTags(Connection& connection, const TagTarget& target, Change&& change) {
  const TagSql sql = TagSqlFor(target.kind);
  auto current = QueryOne(
      connection, sql.select, [](const Statement& row) { return DecodeTags(row.ColumnBlob(0)); },
      target.account_id, target.name);
  if (!current.has_value()) return Fail(current.error());
  if (!current->has_value()) return Fail(NoSuchTagTargetError(target));
  Result<Tags> changed = change(**current);
  if (!changed.has_value()) return Fail(changed.error());
  return Execute(connection, sql.update, target.account_id, target.name,
                 Blob{EncodeTags(*changed)});
}

}  // namespace

Result<void> SqliteDatabase::TagResource(const TagTarget& target, const Tags& tags,
                                         size_t max_tags) {
  return WriteTransaction([&](Connection& connection) {
    return ChangeTags(connection, target, [&](const Tags& current) {
      return MergeTags(current, tags, target.kind, max_tags);
    });
  });
}

Result<void> SqliteDatabase::UntagResource(const TagTarget& target,
                                           const std::vector<std::string>& keys) {
  return WriteTransaction([&](Connection& connection) {
    return ChangeTags(connection, target, [&](const Tags& current) -> Result<Tags> {
      return RemoveTags(current, keys, target.kind);
    });
  });
}

// ---- Managed policies

Result<void> SqliteDatabase::CreatePolicy(const ManagedPolicy& policy, std::string_view document) {
  const std::string tags = EncodeTags(policy.tags);
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    if (!policy.account_id.empty()) {
      if (auto found = RequireAccount(connection, policy.account_id); !found.has_value()) {
        return found;
      }
    }
    if (auto refused =
            Refuse(Exists(connection,
                          "SELECT 1 FROM iam_policies WHERE account_id = ?1 AND name = ?2 "
                          "UNION ALL SELECT 1 FROM iam_policies WHERE arn = ?3",
                          policy.account_id, policy.policy_name, policy.arn),
                   PolicyExistsError(policy.policy_name));
        !refused.has_value()) {
      return refused;
    }
    if (auto refused = Refuse(
            Exists(connection, "SELECT 1 FROM iam_policies WHERE unique_id = ?1", policy.policy_id),
            DuplicateUniqueIdError(policy.policy_id));
        !refused.has_value()) {
      return refused;
    }
    auto ref = QueryInt(
        connection,
        "INSERT INTO iam_policies (arn, unique_id, account_id, name, path, "
        "description, created_ns, updated_ns, default_version, next_version, "
        "is_attachable, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1, 2, ?8, ?9) "
        "RETURNING id",
        policy.arn, policy.policy_id, policy.account_id, policy.policy_name, policy.path,
        policy.description, ToNanoseconds(policy.created), policy.is_attachable, Blob{tags});
    if (!ref.has_value()) return Fail(ref.error());
    if (!ref->has_value()) return Fail("InternalFailure", "inserting a policy returned no id");
    return Execute(connection,
                   "INSERT INTO iam_policy_versions (policy_ref, version, document, created_ns) "
                   "VALUES (?1, 1, ?2, ?3)",
                   **ref, document, ToNanoseconds(policy.created));
  });
}

Result<std::optional<ManagedPolicy>> SqliteDatabase::GetPolicy(std::string_view account_id,
                                                               std::string_view policy_arn) {
  static const std::string sql =
      Sql({"SELECT ", kPolicyColumns, " FROM iam_policies p", kPolicyUsageJoin,
           " WHERE p.arn = ?2 AND (p.account_id = '' OR p.account_id = ?1)"});
  return Read([&](Connection& connection) {
    return QueryOne(connection, sql, PolicyFromRow, account_id, policy_arn);
  });
}

Result<Page<ManagedPolicy>> SqliteDatabase::ListPolicies(std::string_view account_id,
                                                         const PolicyFilter& filter,
                                                         const PageRequest& page) {
  auto marker = StartPage(page, kPoliciesList, 2);
  if (!marker.has_value()) return Fail(marker.error());
  std::vector<std::string> owners;
  if (filter.scope != PolicyScope::kLocal) owners.emplace_back();
  if (filter.scope != PolicyScope::kAws && !account_id.empty()) owners.emplace_back(account_id);
  return ReadSnapshot([&](Connection& connection) -> Result<Page<ManagedPolicy>> {
    // One keyset scan per owner (AWS, then the account), merged in (name, owner) order.
    struct Range {
      std::string owner;
      std::optional<Statement> select;
      bool has_row = false;
      MarkerKey key;
    };
    std::vector<Range> ranges;
    for (size_t i = 0; i < owners.size(); ++i) {
      const std::string& owner = owners[i];
      // Entries (name, owner) after the marker (n, a): name > n, or name == n when owner > a.
      const bool inclusive = marker->empty() || owner > (*marker)[1];
      const std::string sql =
          Sql({"SELECT ", kPolicyColumns, " FROM iam_policies p", kPolicyUsageJoin,
               " WHERE p.account_id = ?2 AND p.name", After(inclusive), "?3 ORDER BY p.name",
               i == 0 ? " /* first range */" : " /* second range */"});
      auto select =
          Query(connection, sql, account_id, owner, marker->empty() ? std::string() : (*marker)[0]);
      if (!select.has_value()) return Fail(select.error());
      ranges.push_back(Range{owner, std::move(*select), false, {}});
    }
    auto advance = [](Range& range) -> Result<void> {
      auto row = range.select->Step();
      if (!row.has_value()) return Fail(row.error());
      range.has_row = *row;
      if (*row) range.key = {AsciiLower(range.select->ColumnText(4)), range.owner};
      return {};
    };
    for (Range& range : ranges) {
      if (auto advanced = advance(range); !advanced.has_value()) return Fail(advanced.error());
    }
    PageBuilder<ManagedPolicy> builder(kPoliciesList, page.max_items, options_.list_scan_limit);
    for (;;) {
      Range* next = nullptr;
      for (Range& range : ranges) {
        if (range.has_row && (next == nullptr || range.key < next->key)) next = &range;
      }
      if (next == nullptr) break;
      const Statement& row = *next->select;
      const int64_t attachments = row.ColumnInt64(12);
      const int64_t boundaries = row.ColumnInt64(13);
      const bool used = filter.use == PolicyUse::kAny ||
                        (filter.use == PolicyUse::kAttached && attachments > 0) ||
                        (filter.use == PolicyUse::kBoundary && boundaries > 0);
      const auto verdict =
          builder.Consider(next->key, used && PathHasPrefix(row.ColumnText(5), filter.path_prefix));
      if (verdict == PageBuilder<ManagedPolicy>::Verdict::kStop) break;
      if (verdict == PageBuilder<ManagedPolicy>::Verdict::kTake) {
        auto policy = PolicyFromRow(row);
        if (!policy.has_value()) return Fail(policy.error());
        builder.Add(std::move(*policy));
      }
      if (auto advanced = advance(*next); !advanced.has_value()) return Fail(advanced.error());
    }
    return std::move(builder).Finish();
  });
}

Result<void> SqliteDatabase::DeletePolicy(std::string_view account_id,
                                          std::string_view policy_arn) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto policy = RequireOwnedPolicy(connection, account_id, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    if (auto refused = Refuse(
            Exists(connection,
                   "SELECT 1 FROM iam_policy_usage WHERE policy_ref = ?1 AND attachments > 0",
                   policy->ref),
            DeleteConflictError(kPolicyIsAttached));
        !refused.has_value()) {
      return refused;
    }
    if (auto refused =
            Refuse(Exists(connection,
                          "SELECT 1 FROM iam_policy_usage WHERE policy_ref = ?1 AND boundaries > 0",
                          policy->ref),
                   DeleteConflictError(kPolicyIsBoundary));
        !refused.has_value()) {
      return refused;
    }
    if (auto refused = Refuse(Exists(connection,
                                     "SELECT 1 FROM iam_policy_versions "
                                     "WHERE policy_ref = ?1 AND version != ?2",
                                     policy->ref, policy->default_version),
                              DeleteConflictError(kPolicyHasVersions));
        !refused.has_value()) {
      return refused;
    }
    return Execute(connection, "DELETE FROM iam_policies WHERE id = ?1", policy->ref);
  });
}

Result<PolicyVersion> SqliteDatabase::CreatePolicyVersion(std::string_view account_id,
                                                          std::string_view policy_arn,
                                                          std::string_view document,
                                                          bool set_as_default, TimePoint now,
                                                          size_t max_versions) {
  return WriteTransaction([&](Connection& connection) -> Result<PolicyVersion> {
    auto policy = RequireOwnedPolicy(connection, account_id, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    auto versions = QueryInt(
        connection, "SELECT COUNT(*) FROM iam_policy_versions WHERE policy_ref = ?1", policy->ref);
    if (!versions.has_value()) return Fail(versions.error());
    if (versions->value_or(0) >= static_cast<int64_t>(max_versions)) {
      return Fail(QuotaError("PolicyVersionsPerPolicy", max_versions));
    }
    const int64_t number = policy->next_version;
    if (auto run = Execute(connection,
                           "INSERT INTO iam_policy_versions (policy_ref, version, document, "
                           "created_ns) VALUES (?1, ?2, ?3, ?4)",
                           policy->ref, number, document, ToNanoseconds(now));
        !run.has_value()) {
      return Fail(run.error());
    }
    if (auto run = Execute(connection,
                           "UPDATE iam_policies SET next_version = ?2 + 1, updated_ns = ?3, "
                           "default_version = CASE WHEN ?4 THEN ?2 ELSE default_version END "
                           "WHERE id = ?1",
                           policy->ref, number, ToNanoseconds(now), set_as_default);
        !run.has_value()) {
      return Fail(run.error());
    }
    return PolicyVersion{.policy_arn = std::string(policy_arn),
                         .version_id = FormatVersionId(number),
                         .document = std::string(document),
                         .is_default = set_as_default,
                         .created = now};
  });
}

Result<std::optional<PolicyVersion>> SqliteDatabase::GetPolicyVersion(std::string_view account_id,
                                                                      std::string_view policy_arn,
                                                                      std::string_view version_id) {
  const int64_t number = ParseVersionId(version_id).value_or(0);
  return ReadSnapshot([&](Connection& connection) -> Result<std::optional<PolicyVersion>> {
    auto policy = RequireVisiblePolicy(connection, account_id, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    return QueryOne(
        connection,
        "SELECT version, document, created_ns FROM iam_policy_versions "
        "WHERE policy_ref = ?1 AND version = ?2",
        [&](const Statement& row) -> Result<PolicyVersion> {
          return PolicyVersion{.policy_arn = std::string(policy_arn),
                               .version_id = FormatVersionId(row.ColumnInt64(0)),
                               .document = row.ColumnText(1),
                               .is_default = row.ColumnInt64(0) == policy->default_version,
                               .created = FromNanoseconds(row.ColumnInt64(2))};
        },
        policy->ref, number);
  });
}

Result<Page<PolicyVersion>> SqliteDatabase::ListPolicyVersions(std::string_view account_id,
                                                               std::string_view policy_arn,
                                                               const PageRequest& page) {
  auto marker = StartPage(page, kVersionsList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  int64_t before = std::numeric_limits<int64_t>::max();
  if (!marker->empty()) {
    auto number = MarkerNumber((*marker)[0]);
    if (!number.has_value()) return Fail(number.error());
    before = *number;
  }
  return ReadSnapshot([&](Connection& connection) -> Result<Page<PolicyVersion>> {
    auto policy = RequireVisiblePolicy(connection, account_id, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    auto select = Query(connection,
                        "SELECT version, document, created_ns FROM iam_policy_versions "
                        "WHERE policy_ref = ?1 AND version < ?2 ORDER BY version DESC",
                        policy->ref, before);
    if (!select.has_value()) return Fail(select.error());
    PageBuilder<PolicyVersion> builder(kVersionsList, page.max_items, options_.list_scan_limit);
    auto drained = Drain(
        *select, builder,
        [](const Statement& row) { return MarkerKey{std::to_string(row.ColumnInt64(0))}; },
        [](const Statement&) { return true; },
        [&](const Statement& row) -> Result<PolicyVersion> {
          return PolicyVersion{.policy_arn = std::string(policy_arn),
                               .version_id = FormatVersionId(row.ColumnInt64(0)),
                               .document = row.ColumnText(1),
                               .is_default = row.ColumnInt64(0) == policy->default_version,
                               .created = FromNanoseconds(row.ColumnInt64(2))};
        });
    if (!drained.has_value()) return Fail(drained.error());
    return std::move(builder).Finish();
  });
}

Result<void> SqliteDatabase::SetDefaultPolicyVersion(std::string_view account_id,
                                                     std::string_view policy_arn,
                                                     std::string_view version_id) {
  const int64_t number = ParseVersionId(version_id).value_or(0);
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto policy = RequireOwnedPolicy(connection, account_id, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    auto found = Exists(connection,
                        "SELECT 1 FROM iam_policy_versions WHERE policy_ref = ?1 AND version = ?2",
                        policy->ref, number);
    if (!found.has_value()) return Fail(found.error());
    if (!*found) return Fail(NoSuchPolicyVersionError(policy_arn, version_id));
    return Execute(connection, "UPDATE iam_policies SET default_version = ?2 WHERE id = ?1",
                   policy->ref, number);
  });
}

Result<void> SqliteDatabase::DeletePolicyVersion(std::string_view account_id,
                                                 std::string_view policy_arn,
                                                 std::string_view version_id) {
  const int64_t number = ParseVersionId(version_id).value_or(0);
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto policy = RequireOwnedPolicy(connection, account_id, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    auto found = Exists(connection,
                        "SELECT 1 FROM iam_policy_versions WHERE policy_ref = ?1 AND version = ?2",
                        policy->ref, number);
    if (!found.has_value()) return Fail(found.error());
    if (!*found) return Fail(NoSuchPolicyVersionError(policy_arn, version_id));
    if (number == policy->default_version) return Fail(DeleteConflictError(kDefaultVersion));
    return Execute(connection,
                   "DELETE FROM iam_policy_versions WHERE policy_ref = ?1 AND version = ?2",
                   policy->ref, number);
  });
}

// ---- Attachments

Result<void> SqliteDatabase::AttachPolicy(const PrincipalRef& principal,
                                          std::string_view policy_arn, size_t max_attached) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto found = RequirePrincipal(connection, principal);
    if (!found.has_value()) return Fail(found.error());
    auto policy = RequireVisiblePolicy(connection, principal.account_id, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    if (!policy->is_attachable) return Fail(PolicyNotAttachableError(policy_arn));
    const int64_t kind = KindValue(principal.kind);
    auto attached = Exists(connection,
                           "SELECT 1 FROM iam_attachments WHERE principal_kind = ?1 AND "
                           "principal_ref = ?2 AND policy_ref = ?3",
                           kind, found->ref, policy->ref);
    if (!attached.has_value()) return Fail(attached.error());
    if (*attached) return {};
    auto count = QueryInt(connection,
                          "SELECT COUNT(*) FROM iam_attachments "
                          "WHERE principal_kind = ?1 AND principal_ref = ?2",
                          kind, found->ref);
    if (!count.has_value()) return Fail(count.error());
    if (count->value_or(0) >= static_cast<int64_t>(max_attached)) {
      return Fail(QuotaError(AttachedPoliciesQuota(principal.kind), max_attached));
    }
    if (auto run = Execute(connection,
                           "INSERT INTO iam_attachments (principal_kind, principal_ref, "
                           "policy_ref, account_id, principal_name, sequence) "
                           "SELECT ?1, ?2, ?3, ?4, ?5, COALESCE(MAX(sequence), 0) + 1 "
                           "FROM iam_attachments WHERE principal_kind = ?1 AND principal_ref = ?2",
                           kind, found->ref, policy->ref, principal.account_id, found->name);
        !run.has_value()) {
      return run;
    }
    return AddUsage(connection, principal.account_id, policy->ref, 1, 0);
  });
}

Result<void> SqliteDatabase::DetachPolicy(const PrincipalRef& principal,
                                          std::string_view policy_arn) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto found = RequirePrincipal(connection, principal);
    if (!found.has_value()) return Fail(found.error());
    auto policy = FindPolicy(connection, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    if (!policy->has_value()) return Fail(PolicyNotAttachedError(policy_arn));
    auto run = Execute(connection,
                       "DELETE FROM iam_attachments WHERE principal_kind = ?1 AND "
                       "principal_ref = ?2 AND policy_ref = ?3",
                       KindValue(principal.kind), found->ref, (*policy)->ref);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0) return Fail(PolicyNotAttachedError(policy_arn));
    return AddUsage(connection, principal.account_id, (*policy)->ref, -1, 0);
  });
}

Result<Page<ManagedPolicy>> SqliteDatabase::ListAttachedPolicies(const PrincipalRef& principal,
                                                                 std::string_view path_prefix,
                                                                 const PageRequest& page) {
  auto marker = StartPage(page, kAttachedList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  int64_t after = 0;
  if (!marker->empty()) {
    auto number = MarkerNumber((*marker)[0]);
    if (!number.has_value()) return Fail(number.error());
    after = *number;
  }
  return ReadSnapshot([&](Connection& connection) -> Result<Page<ManagedPolicy>> {
    auto found = RequirePrincipal(connection, principal);
    if (!found.has_value()) return Fail(found.error());
    static const std::string sql =
        Sql({"SELECT ", kPolicyColumns,
             ", a.sequence FROM iam_attachments a JOIN iam_policies p ON p.id = a.policy_ref",
             kPolicyUsageJoin,
             // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one SQL clause, two lines.
             " WHERE a.principal_kind = ?2 AND a.principal_ref = ?3 AND a.sequence > ?4 "
             "ORDER BY a.sequence"});
    auto select =
        Query(connection, sql, principal.account_id, KindValue(principal.kind), found->ref, after);
    if (!select.has_value()) return Fail(select.error());
    PageBuilder<ManagedPolicy> builder(kAttachedList, page.max_items, options_.list_scan_limit);
    auto drained = Drain(
        *select, builder,
        [](const Statement& row) { return MarkerKey{std::to_string(row.ColumnInt64(14))}; },
        [&](const Statement& row) { return PathHasPrefix(row.ColumnText(5), path_prefix); },
        PolicyFromRow);
    if (!drained.has_value()) return Fail(drained.error());
    return std::move(builder).Finish();
  });
}

Result<Page<PolicyEntity>> SqliteDatabase::ListEntitiesForPolicy(std::string_view account_id,
                                                                 std::string_view policy_arn,
                                                                 std::optional<PrincipalKind> kind,
                                                                 std::string_view path_prefix,
                                                                 const PageRequest& page) {
  auto marker = StartPage(page, kEntitiesList, 2);
  if (!marker.has_value()) return Fail(marker.error());
  int64_t marker_kind = -1;
  if (!marker->empty()) {
    auto number = MarkerNumber((*marker)[0]);
    if (!number.has_value()) return Fail(number.error());
    marker_kind = *number;
  }
  return ReadSnapshot([&](Connection& connection) -> Result<Page<PolicyEntity>> {
    auto policy = RequireVisiblePolicy(connection, account_id, policy_arn);
    if (!policy.has_value()) return Fail(policy.error());
    PageBuilder<PolicyEntity> builder(kEntitiesList, page.max_items, options_.list_scan_limit);
    for (PrincipalKind entity_kind :
         {PrincipalKind::kUser, PrincipalKind::kGroup, PrincipalKind::kRole}) {
      const int64_t value = KindValue(entity_kind);
      if ((kind.has_value() && *kind != entity_kind) || value < marker_kind) continue;
      const bool from_start = value > marker_kind;
      const std::string sql = ForKind(
          Sql({"SELECT x.name, x.unique_id, x.path FROM iam_attachments a JOIN {T} x "
               "ON x.id = a.principal_ref WHERE a.policy_ref = ?1 AND a.account_id = ?2 AND "
               "a.principal_kind = ?3 AND a.principal_name",
               After(from_start), "?4 ORDER BY a.principal_name"}),
          entity_kind);
      auto select = Query(connection, sql, policy->ref, account_id, value,
                          from_start ? std::string() : (*marker)[1]);
      if (!select.has_value()) return Fail(select.error());
      auto stopped = Drain(
          *select, builder,
          [&](const Statement& row) {
            return MarkerKey{std::to_string(value), AsciiLower(row.ColumnText(0))};
          },
          [&](const Statement& row) { return PathHasPrefix(row.ColumnText(2), path_prefix); },
          [&](const Statement& row) -> Result<PolicyEntity> {
            return PolicyEntity{
                .kind = entity_kind, .name = row.ColumnText(0), .unique_id = row.ColumnText(1)};
          });
      if (!stopped.has_value()) return Fail(stopped.error());
      if (*stopped) break;
    }
    return std::move(builder).Finish();
  });
}

// ---- Inline policies

Result<void> SqliteDatabase::PutInlinePolicy(const PrincipalRef& principal,
                                             std::string_view policy_name,
                                             std::string_view document) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto found = RequirePrincipal(connection, principal);
    if (!found.has_value()) return Fail(found.error());
    return Execute(
        connection,
        "INSERT INTO iam_inline_policies (principal_kind, principal_ref, name, document) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (principal_kind, principal_ref, name) "
        "DO UPDATE SET document = excluded.document",
        KindValue(principal.kind), found->ref, policy_name, document);
  });
}

Result<std::optional<std::string>> SqliteDatabase::GetInlinePolicy(const PrincipalRef& principal,
                                                                   std::string_view policy_name) {
  return ReadSnapshot([&](Connection& connection) -> Result<std::optional<std::string>> {
    auto found = RequirePrincipal(connection, principal);
    if (!found.has_value()) return Fail(found.error());
    return QueryText(connection,
                     "SELECT document FROM iam_inline_policies WHERE principal_kind = ?1 AND "
                     "principal_ref = ?2 AND name = ?3",
                     KindValue(principal.kind), found->ref, policy_name);
  });
}

Result<void> SqliteDatabase::DeleteInlinePolicy(const PrincipalRef& principal,
                                                std::string_view policy_name) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto found = RequirePrincipal(connection, principal);
    if (!found.has_value()) return Fail(found.error());
    auto run = Execute(connection,
                       "DELETE FROM iam_inline_policies WHERE principal_kind = ?1 AND "
                       "principal_ref = ?2 AND name = ?3",
                       KindValue(principal.kind), found->ref, policy_name);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0)
      return Fail(NoSuchInlinePolicyError(principal.kind, policy_name));
    return {};
  });
}

Result<Page<InlinePolicy>> SqliteDatabase::ListInlinePolicies(const PrincipalRef& principal,
                                                              const PageRequest& page) {
  auto marker = StartPage(page, kInlineList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  return ReadSnapshot([&](Connection& connection) -> Result<Page<InlinePolicy>> {
    auto found = RequirePrincipal(connection, principal);
    if (!found.has_value()) return Fail(found.error());
    const std::string sql =
        Sql({"SELECT name, document FROM iam_inline_policies "
             "WHERE principal_kind = ?1 AND principal_ref = ?2 AND name",
             After(marker->empty()), "?3 ORDER BY name"});
    auto select = Query(connection, sql, KindValue(principal.kind), found->ref,
                        marker->empty() ? std::string() : (*marker)[0]);
    if (!select.has_value()) return Fail(select.error());
    PageBuilder<InlinePolicy> builder(kInlineList, page.max_items, options_.list_scan_limit);
    auto drained = Drain(
        *select, builder, [](const Statement& row) { return MarkerKey{row.ColumnText(0)}; },
        [](const Statement&) { return true; },
        [](const Statement& row) -> Result<InlinePolicy> {
          return InlinePolicy{row.ColumnText(0), row.ColumnText(1)};
        });
    if (!drained.has_value()) return Fail(drained.error());
    return std::move(builder).Finish();
  });
}

// ---- Login profiles

Result<void> SqliteDatabase::CreateLoginProfile(const LoginProfile& profile) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto user = RequireUser(connection, profile.account_id, profile.user_name);
    if (!user.has_value()) return Fail(user.error());
    if (auto refused = Refuse(
            Exists(connection, "SELECT 1 FROM iam_login_profiles WHERE user_ref = ?1", user->ref),
            LoginProfileExistsError(user->name));
        !refused.has_value()) {
      return refused;
    }
    return Execute(connection,
                   "INSERT INTO iam_login_profiles (user_ref, password_hash, created_ns, "
                   "reset_required) VALUES (?1, ?2, ?3, ?4)",
                   user->ref, profile.password_hash, ToNanoseconds(profile.created),
                   profile.password_reset_required);
  });
}

Result<std::optional<LoginProfile>> SqliteDatabase::GetLoginProfile(std::string_view account_id,
                                                                    std::string_view user_name) {
  return Read([&](Connection& connection) -> Result<std::optional<LoginProfile>> {
    auto found = QueryOne(
        connection,
        "SELECT u.account_id, u.name, l.user_ref IS NOT NULL, l.password_hash, l.created_ns, "
        "l.reset_required FROM iam_users u LEFT JOIN iam_login_profiles l ON l.user_ref = u.id "
        "WHERE u.account_id = ?1 AND u.name = ?2",
        [](const Statement& row) -> Result<std::optional<LoginProfile>> {
          if (row.ColumnInt64(2) == 0) return std::optional<LoginProfile>();
          return LoginProfile{.account_id = row.ColumnText(0),
                              .user_name = row.ColumnText(1),
                              .password_hash = row.ColumnText(3),
                              .created = FromNanoseconds(row.ColumnInt64(4)),
                              .password_reset_required = row.ColumnInt64(5) != 0};
        },
        account_id, user_name);
    if (!found.has_value()) return Fail(found.error());
    if (!found->has_value()) return Fail(NoSuchPrincipalError(PrincipalKind::kUser, user_name));
    return std::move(**found);
  });
}

Result<void> SqliteDatabase::UpdateLoginProfile(std::string_view account_id,
                                                std::string_view user_name,
                                                const LoginProfileUpdate& update) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    auto run = Execute(connection,
                       "UPDATE iam_login_profiles SET password_hash = COALESCE(?2, password_hash), "
                       "reset_required = COALESCE(?3, reset_required) WHERE user_ref = ?1",
                       user->ref, update.password_hash, update.password_reset_required);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0) return Fail(NoSuchLoginProfileError(user_name));
    return {};
  });
}

Result<void> SqliteDatabase::DeleteLoginProfile(std::string_view account_id,
                                                std::string_view user_name) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    auto run = Execute(connection, "DELETE FROM iam_login_profiles WHERE user_ref = ?1", user->ref);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0) return Fail(NoSuchLoginProfileError(user_name));
    return {};
  });
}

// ---- Virtual MFA devices

Result<VirtualMfaDevice> SqliteDatabase::MfaDeviceFromRow(const Statement& row) const {
  auto tags = DecodeTags(row.ColumnBlob(6));
  if (!tags.has_value()) return Fail(tags.error());
  VirtualMfaDevice device{.serial_number = row.ColumnText(0),
                          .account_id = row.ColumnText(1),
                          .path = row.ColumnText(2),
                          .name = row.ColumnText(3),
                          .seed = {},
                          .created = FromNanoseconds(row.ColumnInt64(5)),
                          .tags = std::move(*tags),
                          .user_name = row.ColumnText(7),
                          .enable_date = std::nullopt,
                          .last_time_step = std::nullopt};
  if (!row.ColumnIsNull(8)) device.enable_date = FromNanoseconds(row.ColumnInt64(8));
  if (!row.ColumnIsNull(9)) device.last_time_step = row.ColumnInt64(9);
  auto seed = box_.Open(row.ColumnBlob(4), SeedAssociatedData(device.serial_number));
  if (!seed.has_value()) {
    return Fail("InternalFailure", "cannot decrypt the seed of MFA device " + device.serial_number +
                                       " in " + file_.string() + ": " + seed.error().message);
  }
  device.seed = std::move(*seed);
  return device;
}

Result<void> SqliteDatabase::CreateVirtualMfaDevice(const VirtualMfaDevice& device) {
  const std::string sealed_seed = box_.Seal(device.seed, SeedAssociatedData(device.serial_number));
  const std::string tags = EncodeTags(device.tags);
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    if (auto found = RequireAccount(connection, device.account_id); !found.has_value()) {
      return found;
    }
    if (auto refused = Refuse(Exists(connection, "SELECT 1 FROM iam_mfa_devices WHERE serial = ?1",
                                     device.serial_number),
                              MfaDeviceExistsError(device.serial_number));
        !refused.has_value()) {
      return refused;
    }
    return Execute(connection,
                   "INSERT INTO iam_mfa_devices (serial, account_id, path, name, seed_sealed, "
                   "created_ns, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   device.serial_number, device.account_id, device.path, device.name,
                   Blob{sealed_seed}, ToNanoseconds(device.created), Blob{tags});
  });
}

Result<std::optional<VirtualMfaDevice>> SqliteDatabase::GetVirtualMfaDevice(
    std::string_view account_id, std::string_view serial_number) {
  static const std::string sql =
      Sql({"SELECT ", kMfaColumns, kMfaFrom, " WHERE d.serial = ?2 AND d.account_id = ?1"});
  return Read([&](Connection& connection) {
    return QueryOne(
        connection, sql, [this](const Statement& row) { return MfaDeviceFromRow(row); }, account_id,
        serial_number);
  });
}

Result<Page<VirtualMfaDevice>> SqliteDatabase::ListVirtualMfaDevices(std::string_view account_id,
                                                                     MfaAssignment assignment,
                                                                     const PageRequest& page) {
  auto marker = StartPage(page, kMfaList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  return Read([&](Connection& connection) -> Result<Page<VirtualMfaDevice>> {
    const std::string sql =
        Sql({"SELECT ", kMfaColumns, kMfaFrom, " WHERE d.account_id = ?1 AND d.serial",
             After(marker->empty()), "?2 ORDER BY d.serial"});
    auto select =
        Query(connection, sql, account_id, marker->empty() ? std::string() : (*marker)[0]);
    if (!select.has_value()) return Fail(select.error());
    PageBuilder<VirtualMfaDevice> builder(kMfaList, page.max_items, options_.list_scan_limit);
    auto drained = Drain(
        *select, builder, [](const Statement& row) { return MarkerKey{row.ColumnText(0)}; },
        [&](const Statement& row) {
          const bool assigned = row.ColumnInt64(10) != 0;
          return assignment == MfaAssignment::kAny ||
                 (assignment == MfaAssignment::kAssigned) == assigned;
        },
        [this](const Statement& row) { return MfaDeviceFromRow(row); });
    if (!drained.has_value()) return Fail(drained.error());
    return std::move(builder).Finish();
  });
}

Result<Page<VirtualMfaDevice>> SqliteDatabase::ListMfaDevicesForUser(std::string_view account_id,
                                                                     std::string_view user_name,
                                                                     const PageRequest& page) {
  auto marker = StartPage(page, kUserMfaList, 1);
  if (!marker.has_value()) return Fail(marker.error());
  return ReadSnapshot([&](Connection& connection) -> Result<Page<VirtualMfaDevice>> {
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    const std::string sql =
        Sql({"SELECT ", kMfaColumns, kMfaFrom, " WHERE d.user_ref = ?1 AND d.serial",
             After(marker->empty()), "?2 ORDER BY d.serial"});
    auto select = Query(connection, sql, user->ref, marker->empty() ? std::string() : (*marker)[0]);
    if (!select.has_value()) return Fail(select.error());
    PageBuilder<VirtualMfaDevice> builder(kUserMfaList, page.max_items, options_.list_scan_limit);
    auto drained = Drain(
        *select, builder, [](const Statement& row) { return MarkerKey{row.ColumnText(0)}; },
        [](const Statement&) { return true; },
        [this](const Statement& row) { return MfaDeviceFromRow(row); });
    if (!drained.has_value()) return Fail(drained.error());
    return std::move(builder).Finish();
  });
}

namespace {

// On success, the integer id of the user the device is assigned to (0 = none). Fails with
// kNoSuchEntity if the account has no such device.
Result<int64_t> MfaDeviceOwner(Connection& connection, std::string_view account_id,
                               std::string_view serial_number) {
  auto owner = QueryInt(connection,
                        "SELECT COALESCE(user_ref, 0) FROM iam_mfa_devices "
                        "WHERE account_id = ?1 AND serial = ?2",
                        account_id, serial_number);
  if (!owner.has_value()) return Fail(owner.error());
  if (!owner->has_value()) return Fail(NoSuchMfaDeviceError(serial_number));
  return **owner;
}

}  // namespace

Result<void> SqliteDatabase::EnableMfaDevice(std::string_view account_id,
                                             std::string_view user_name,
                                             std::string_view serial_number, TimePoint enable_date,
                                             int64_t time_step, size_t max_devices_per_user) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    auto owner = MfaDeviceOwner(connection, account_id, serial_number);
    if (!owner.has_value()) return Fail(owner.error());
    if (*owner != 0) return Fail(MfaDeviceInUseError(serial_number));
    auto devices =
        QueryInt(connection, "SELECT COUNT(*) FROM iam_mfa_devices WHERE user_ref = ?1", user->ref);
    if (!devices.has_value()) return Fail(devices.error());
    if (devices->value_or(0) >= static_cast<int64_t>(max_devices_per_user)) {
      return Fail(QuotaError("MFADevicesPerUser", max_devices_per_user));
    }
    return Execute(connection,
                   "UPDATE iam_mfa_devices SET user_ref = ?2, enabled_ns = ?3, last_time_step = ?4 "
                   "WHERE serial = ?1",
                   serial_number, user->ref, ToNanoseconds(enable_date), time_step);
  });
}

Result<void> SqliteDatabase::DeactivateMfaDevice(std::string_view account_id,
                                                 std::string_view user_name,
                                                 std::string_view serial_number) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto user = RequireUser(connection, account_id, user_name);
    if (!user.has_value()) return Fail(user.error());
    auto owner = MfaDeviceOwner(connection, account_id, serial_number);
    if (!owner.has_value()) return Fail(owner.error());
    if (*owner != user->ref) return Fail(MfaDeviceNotAssignedError(serial_number, user_name));
    return Execute(connection,
                   "UPDATE iam_mfa_devices SET user_ref = NULL, enabled_ns = NULL "
                   "WHERE serial = ?1",
                   serial_number);
  });
}

Result<void> SqliteDatabase::DeleteVirtualMfaDevice(std::string_view account_id,
                                                    std::string_view serial_number) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto owner = MfaDeviceOwner(connection, account_id, serial_number);
    if (!owner.has_value()) return Fail(owner.error());
    if (*owner != 0) return Fail(DeleteConflictError(kMfaDeviceAssigned));
    return Execute(connection, "DELETE FROM iam_mfa_devices WHERE serial = ?1", serial_number);
  });
}

Result<bool> SqliteDatabase::AcceptMfaTimeStep(std::string_view account_id,
                                               std::string_view serial_number, int64_t time_step) {
  return Write([&](Connection& connection) -> Result<bool> {
    auto run = Execute(connection,
                       "UPDATE iam_mfa_devices SET last_time_step = ?3 WHERE account_id = ?1 AND "
                       "serial = ?2 AND (last_time_step IS NULL OR last_time_step < ?3)",
                       account_id, serial_number, time_step);
    if (!run.has_value()) return Fail(run.error());
    if (connection.Changes() == 1) return true;
    auto owner = MfaDeviceOwner(connection, account_id, serial_number);
    if (!owner.has_value()) return Fail(owner.error());
    return false;
  });
}

// ---- Account alias and password policy

Result<void> SqliteDatabase::SetAccountAlias(std::string_view account_id, std::string_view alias) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    if (auto found = RequireAccount(connection, account_id); !found.has_value()) return found;
    if (auto refused = Refuse(Exists(connection,
                                     "SELECT 1 FROM iam_account_aliases "
                                     "WHERE alias = ?1 AND account_id != ?2",
                                     alias, account_id),
                              AliasTakenError(alias));
        !refused.has_value()) {
      return refused;
    }
    return Execute(connection,
                   "INSERT INTO iam_account_aliases (account_id, alias) VALUES (?1, ?2) "
                   "ON CONFLICT (account_id) DO UPDATE SET alias = excluded.alias",
                   account_id, alias);
  });
}

Result<std::optional<std::string>> SqliteDatabase::GetAccountAlias(std::string_view account_id) {
  return Read([&](Connection& connection) {
    return QueryText(connection, "SELECT alias FROM iam_account_aliases WHERE account_id = ?1",
                     account_id);
  });
}

Result<std::optional<std::string>> SqliteDatabase::FindAccountIdByAlias(std::string_view alias) {
  return Read([&](Connection& connection) {
    return QueryText(connection, "SELECT account_id FROM iam_account_aliases WHERE alias = ?1",
                     alias);
  });
}

Result<void> SqliteDatabase::DeleteAccountAlias(std::string_view account_id,
                                                std::string_view alias) {
  return Write([&](Connection& connection) -> Result<void> {
    auto run =
        Execute(connection, "DELETE FROM iam_account_aliases WHERE account_id = ?1 AND alias = ?2",
                account_id, alias);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0) return Fail(NoSuchAliasError(alias));
    return {};
  });
}

Result<void> SqliteDatabase::PutPasswordPolicy(std::string_view account_id,
                                               const PasswordPolicy& policy) {
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    if (auto found = RequireAccount(connection, account_id); !found.has_value()) return found;
    return Execute(connection,
                   "INSERT OR REPLACE INTO iam_password_policies (account_id, minimum_length, "
                   "require_symbols, require_numbers, require_uppercase, require_lowercase, "
                   "allow_change, max_age, reuse_prevention, hard_expiry) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                   account_id, policy.minimum_password_length, policy.require_symbols,
                   policy.require_numbers, policy.require_uppercase_characters,
                   policy.require_lowercase_characters, policy.allow_users_to_change_password,
                   policy.max_password_age, policy.password_reuse_prevention, policy.hard_expiry);
  });
}

Result<std::optional<PasswordPolicy>> SqliteDatabase::GetPasswordPolicy(
    std::string_view account_id) {
  return Read([&](Connection& connection) {
    return QueryOne(
        connection,
        "SELECT minimum_length, require_symbols, require_numbers, require_uppercase, "
        "require_lowercase, allow_change, max_age, reuse_prevention, hard_expiry "
        "FROM iam_password_policies WHERE account_id = ?1",
        [](const Statement& row) -> Result<PasswordPolicy> {
          PasswordPolicy policy{.minimum_password_length = row.ColumnInt64(0),
                                .require_symbols = row.ColumnInt64(1) != 0,
                                .require_numbers = row.ColumnInt64(2) != 0,
                                .require_uppercase_characters = row.ColumnInt64(3) != 0,
                                .require_lowercase_characters = row.ColumnInt64(4) != 0,
                                .allow_users_to_change_password = row.ColumnInt64(5) != 0,
                                .max_password_age = std::nullopt,
                                .password_reuse_prevention = std::nullopt,
                                .hard_expiry = std::nullopt};
          if (!row.ColumnIsNull(6)) policy.max_password_age = row.ColumnInt64(6);
          if (!row.ColumnIsNull(7)) policy.password_reuse_prevention = row.ColumnInt64(7);
          if (!row.ColumnIsNull(8)) policy.hard_expiry = row.ColumnInt64(8) != 0;
          return policy;
        },
        account_id);
  });
}

Result<void> SqliteDatabase::DeletePasswordPolicy(std::string_view account_id) {
  return Write([&](Connection& connection) -> Result<void> {
    auto run =
        Execute(connection, "DELETE FROM iam_password_policies WHERE account_id = ?1", account_id);
    if (!run.has_value()) return run;
    if (connection.Changes() == 0) return Fail(NoSuchPasswordPolicyError(account_id));
    return {};
  });
}

// ---- Access keys of IAM users

Result<void> SqliteDatabase::CreateUserAccessKey(const AccessKey& key, size_t max_keys_per_user) {
  if (key.user_name.empty()) return Fail(RequiresError("an IAM user's key needs a user name"));
  const std::string sealed_secret =
      box_.Seal(key.secret_access_key, "access_key:" + key.access_key_id);
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    auto user = RequireUser(connection, key.account_id, key.user_name);
    if (!user.has_value()) return Fail(user.error());
    auto keys = QueryInt(
        connection, "SELECT COUNT(*) FROM access_keys WHERE account_id = ?1 AND user_name = ?2",
        key.account_id, user->name);
    if (!keys.has_value()) return Fail(keys.error());
    if (keys->value_or(0) >= static_cast<int64_t>(max_keys_per_user)) {
      return Fail(QuotaError("AccessKeysPerUser", max_keys_per_user));
    }
    if (auto refused =
            Refuse(Exists(connection, "SELECT 1 FROM access_keys WHERE access_key_id = ?1",
                          key.access_key_id),
                   DuplicateAccessKeyIdError(key.access_key_id));
        !refused.has_value()) {
      return refused;
    }
    return Execute(connection,
                   "INSERT INTO access_keys (access_key_id, secret_sealed, account_id, user_name, "
                   "active, created_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   key.access_key_id, Blob{sealed_secret}, key.account_id, user->name, key.active,
                   ToNanoseconds(key.created));
  });
}

Result<void> SqliteDatabase::RecordAccessKeyUses(const std::vector<AccessKeyUse>& uses) {
  if (uses.empty()) return {};
  return WriteTransaction([&](Connection& connection) -> Result<void> {
    for (const AccessKeyUse& use : uses) {
      if (auto run = Execute(connection,
                             "UPDATE access_keys SET last_used_ns = ?2, last_used_service = ?3, "
                             "last_used_region = ?4 WHERE access_key_id = ?1 AND "
                             "(last_used_ns IS NULL OR last_used_ns < ?2)",
                             use.access_key_id, ToNanoseconds(use.used.time), use.used.service_name,
                             use.used.region);
          !run.has_value()) {
        return run;
      }
    }
    return {};
  });
}

Result<std::optional<AccessKeyLastUsed>> SqliteDatabase::GetAccessKeyLastUsed(
    std::string_view access_key_id) {
  return Read([&](Connection& connection) -> Result<std::optional<AccessKeyLastUsed>> {
    auto found = QueryOne(
        connection,
        "SELECT last_used_ns, last_used_service, last_used_region FROM access_keys "
        "WHERE access_key_id = ?1",
        [](const Statement& row) -> Result<std::optional<AccessKeyLastUsed>> {
          if (row.ColumnIsNull(0)) return std::optional<AccessKeyLastUsed>();
          return AccessKeyLastUsed{.time = FromNanoseconds(row.ColumnInt64(0)),
                                   .service_name = row.ColumnText(1),
                                   .region = row.ColumnText(2)};
        },
        access_key_id);
    if (!found.has_value()) return Fail(found.error());
    if (!found->has_value()) return Fail(NoSuchAccessKeyError(access_key_id));
    return std::move(**found);
  });
}

}  // namespace fulcrum::storage
