#pragma once

// Database: every store interface of one back end over one shared state, so that IAM state can
// refer to accounts and their access keys in the same transaction. Obtain one with
// MakeMemoryDatabase (storage/memory/memory_store.h) or OpenSqliteDatabase
// (storage/sqlite/sqlite_store.h), and hand each layer the interface it needs.
//
// Thread safety: as each interface states (safe from any number of threads).

#include "storage/account_store.h"
#include "storage/iam_store.h"

namespace fulcrum::storage {

class Database : public AccountStore, public IamStore {
 public:
  ~Database() override = default;
};

}  // namespace fulcrum::storage
