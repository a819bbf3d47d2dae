#include "services/account/operations.h"

namespace fulcrum::services::account {

OperationTable MakeOperationTable() { return OperationTable({}); }

}  // namespace fulcrum::services::account
