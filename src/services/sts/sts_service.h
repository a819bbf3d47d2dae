#pragma once

// StsService: the AWS Security Token Service on typed values. Thread-safe.

#include "common/result.h"
#include "services/principal.h"
#include "services/sts/types.h"

namespace fulcrum::services::sts {

class StsService {
 public:
  // Who signed the request. Needs no permission, as on AWS.
  [[nodiscard]] Result<CallerIdentity> GetCallerIdentity(const Principal& caller) const;
};

}  // namespace fulcrum::services::sts
