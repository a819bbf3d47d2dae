#pragma once

// Stores held in memory, for unit tests of the layers above storage. Same semantics as the durable
// back ends, except that nothing survives the object. Thread-safe (one shared_mutex: reads share
// it, writes hold it alone).

#include <cstddef>
#include <memory>

#include "storage/account_store.h"
#include "storage/database.h"

namespace fulcrum::storage {

[[nodiscard]] std::unique_ptr<AccountStore> MakeMemoryStore();

// A Database (AccountStore and IamStore over one state). List calls examine at most
// list_scan_limit entries each (see IamStore). REQUIRES: list_scan_limit >= 1.
[[nodiscard]] std::unique_ptr<Database> MakeMemoryDatabase(
    size_t list_scan_limit = kDefaultListScanLimit);

}  // namespace fulcrum::storage
