#pragma once

// The Organizations operation table: wire name -> IAM action, resource and handler. Operations of
// the model that are not in the table are answered with the protocol's unknown-operation error.

#include "services/operation.h"

namespace fulcrum::services::organizations {

[[nodiscard]] OperationTable MakeOperationTable();

}  // namespace fulcrum::services::organizations
