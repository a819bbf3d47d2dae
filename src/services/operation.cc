#include "services/operation.h"

#include <algorithm>

namespace fulcrum::services {

OperationTable::OperationTable(std::vector<OperationRow> rows) : rows_(std::move(rows)) {
  std::sort(rows_.begin(), rows_.end(),
            [](const OperationRow& a, const OperationRow& b) { return a.name < b.name; });
}

const OperationRow* OperationTable::Find(std::string_view name) const {
  auto it =
      std::lower_bound(rows_.begin(), rows_.end(), name,
                       [](const OperationRow& row, std::string_view n) { return row.name < n; });
  if (it == rows_.end() || it->name != name) {
    return nullptr;
  }
  return &*it;
}

}  // namespace fulcrum::services
