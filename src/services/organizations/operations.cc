#include "services/organizations/operations.h"

namespace fulcrum::services::organizations {

OperationTable MakeOperationTable() { return OperationTable({}); }

}  // namespace fulcrum::services::organizations
