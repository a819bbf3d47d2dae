#include "services/iam/operations.h"

namespace fulcrum::services::iam {

OperationTable MakeOperationTable(const IamContext& /*context*/) { return OperationTable({}); }

}  // namespace fulcrum::services::iam
