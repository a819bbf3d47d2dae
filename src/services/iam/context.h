#pragma once

// IamContext: what every part of the IAM service works with. The IAM service is split by area
// (users, policies, mfa, account); each area is a class over this context with its own operation
// rows, so areas change independently.

#include <functional>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "storage/account_store.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

struct IamContext {
  storage::IamStore& iam;
  storage::AccountStore& accounts;
  Random& random;
  const Clock& clock;
  // Called after an access key is created, deleted, activated or deactivated, so that caches of
  // credentials (auth/) drop it at once. May be empty.
  std::function<void(const std::string& access_key_id)> access_key_changed;
};

}  // namespace fulcrum::services::iam
