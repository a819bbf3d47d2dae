#pragma once

// The IAM operation table: wire name -> IAM action, resource and handler, assembled from the rows
// of each area (users, policies, mfa, account settings). Operations of the model that are in no
// area are answered with the protocol's unknown-operation error.

#include "services/iam/context.h"
#include "services/operation.h"

namespace fulcrum::services::iam {

// REQUIRES: the context's references outlive the table.
[[nodiscard]] OperationTable MakeOperationTable(const IamContext& context);

}  // namespace fulcrum::services::iam
