#include "services/iam/operations.h"

#include "services/iam/condition_keys.h"
#include "services/iam/managed_catalogue.h"

namespace fulcrum::services::iam {

IamService::IamService(const IamContext& context)
    : context_(context),
      users_(context_),
      policies_(context_),
      roles_(context_),
      mfa_(context_),
      account_(context_),
      simulator_(context_) {}

Result<void> IamService::InstallAwsManagedPolicies() {
  return iam::InstallAwsManagedPolicies(context_.iam);
}

OperationTable IamService::MakeOperationTable() {
  std::vector<OperationRow> rows;
  AddUsersOperations(users_, rows);
  AddPoliciesOperations(policies_, rows);
  AddRolesOperations(roles_, rows);
  AddMfaOperations(mfa_, rows);
  AddAccountOperations(account_, rows);
  AddSimulatorOperations(simulator_, rows);
  for (OperationRow& row : rows) {
    row.condition_keys = IamRequestKeys();
    row.resource_keys = IamResourceKeys(context_);
  }
  return OperationTable(std::move(rows));
}

}  // namespace fulcrum::services::iam
