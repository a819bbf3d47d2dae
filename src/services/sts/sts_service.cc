#include "services/sts/sts_service.h"

namespace fulcrum::services::sts {

Result<CallerIdentity> StsService::GetCallerIdentity(const Principal& caller) const {
  return CallerIdentity{caller.account_id, caller.arn, caller.user_id};
}

}  // namespace fulcrum::services::sts
