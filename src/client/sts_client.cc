#include "client/sts_client.h"

namespace fulcrum::client {
namespace {

Result<CallerIdentity> ParseCallerIdentity(const XmlNode& result) {
  XmlReader reader(result, "GetCallerIdentityResult");
  CallerIdentity identity{.account = reader.Text("Account"),
                          .arn = reader.Text("Arn"),
                          .user_id = reader.Text("UserId")};
  if (auto ok = reader.status(); !ok) {
    return Fail(ok.error());
  }
  return identity;
}

}  // namespace

StsClient::StsClient(QueryClient& query, ServiceEndpoint endpoint)
    : query_(query), endpoint_(std::move(endpoint)) {}

Result<CallerIdentity> StsClient::GetCallerIdentity() {
  auto result = query_.Call(endpoint_, kStsApiVersion, "GetCallerIdentity", {});
  if (!result) {
    return Fail(result.error());
  }
  return ParseCallerIdentity(*result);
}

}  // namespace fulcrum::client
