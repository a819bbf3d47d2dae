#pragma once

// The STS operation table: wire name -> IAM action, resource and handler.

#include "services/operation.h"
#include "services/sts/sts_service.h"

namespace fulcrum::services::sts {

// REQUIRES: `service` outlives the table.
[[nodiscard]] OperationTable MakeOperationTable(const StsService& service);

}  // namespace fulcrum::services::sts
