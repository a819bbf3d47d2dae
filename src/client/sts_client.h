#pragma once

// StsClient: the STS operations the CLI uses, typed.
// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
//
// Thread-safety: as the QueryClient it uses (not thread-safe).

#include <string>

#include "client/endpoint.h"
#include "client/query_client.h"
#include "common/result.h"

namespace fulcrum::client {

// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

class StsClient {
 public:
  // `query` must outlive the client; `endpoint` is STS's (ResolveEndpoint(Service::kSts, ...)).
  StsClient(QueryClient& query, ServiceEndpoint endpoint);

  [[nodiscard]] Result<CallerIdentity> GetCallerIdentity();

  [[nodiscard]] const ServiceEndpoint& endpoint() const { return endpoint_; }

 private:
  QueryClient& query_;
  ServiceEndpoint endpoint_;
};

}  // namespace fulcrum::client
