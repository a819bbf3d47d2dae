#pragma once

// The IAM service: one object per area (users, policies, roles, MFA, account settings) over one
// context, and the operation table assembled from the areas' rows. Operations of the model that
// are in no area are answered with the protocol's unknown-operation error.

#include "common/result.h"
#include "services/iam/account_settings.h"
#include "services/iam/context.h"
#include "services/iam/mfa.h"
#include "services/iam/policies.h"
#include "services/iam/roles.h"
#include "services/iam/simulator.h"
#include "services/iam/users.h"
#include "services/operation.h"

namespace fulcrum::services::iam {

class IamService {
 public:
  // REQUIRES: the context's references outlive the service.
  explicit IamService(const IamContext& context);

  // Puts the AWS managed policies into the store if they are not there yet. Idempotent; call
  // once at start-up, before serving.
  [[nodiscard]] Result<void> InstallAwsManagedPolicies();

  // The table of every implemented IAM operation. REQUIRES: the service outlives the table.
  [[nodiscard]] OperationTable MakeOperationTable();

  [[nodiscard]] MfaService& mfa() { return mfa_; }

 private:
  IamContext context_;
  UsersService users_;
  PoliciesService policies_;
  RolesService roles_;
  MfaService mfa_;
  AccountSettingsService account_;
  SimulatorService simulator_;
};

}  // namespace fulcrum::services::iam
