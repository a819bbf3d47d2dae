#include "services/iam/errors.h"

#include "storage/account_store.h"

namespace fulcrum::services::iam {

Error FromStorage(const Error& error) {
  if (error.code == storage::kInternalFailure || error.code == storage::kServiceUnavailable) {
    return ServiceFailure(error.message);
  }
  return error;
}

}  // namespace fulcrum::services::iam
