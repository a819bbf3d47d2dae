#include "client/session.h"

namespace fulcrum::client {

Result<std::unique_ptr<Session>> Session::Open(const ClientOverrides& overrides,
                                               const Environment& environment, const Clock& clock,
                                               TransportOptions transport, RetryPolicy retry) {
  auto profile = ResolveProfile(overrides, environment);
  if (!profile) {
    return Fail(profile.error());
  }
  auto credentials = ResolveCredentials(overrides, *profile, environment);
  if (!credentials) {
    return Fail(credentials.error());
  }
  if (!transport.ca_bundle) {
    transport.ca_bundle = Lookup(environment, "AWS_CA_BUNDLE");
    if (!transport.ca_bundle) {
      transport.ca_bundle = profile->Setting("ca_bundle");
    }
  }
  if (!transport.http_proxy && !Lookup(environment, "http_proxy")) {
    transport.http_proxy = Lookup(environment, "HTTP_PROXY");
  }
  return std::unique_ptr<Session>(new Session(overrides, environment, std::move(*profile),
                                              std::move(*credentials), clock, std::move(transport),
                                              std::move(retry)));
}

Session::Session(ClientOverrides overrides, Environment environment, Profile profile,
                 ResolvedCredentials credentials, const Clock& clock, TransportOptions transport,
                 RetryPolicy retry)
    : overrides_(std::move(overrides)),
      environment_(std::move(environment)),
      profile_(std::move(profile)),
      credentials_(std::move(credentials)),
      transport_(std::move(transport)),
      query_(transport_, credentials_.credentials, clock, std::move(retry)) {}

Result<IamClient*> Session::Iam() {
  if (!iam_) {
    auto endpoint = ResolveEndpoint(Service::kIam, overrides_, profile_, environment_);
    if (!endpoint) {
      return Fail(endpoint.error());
    }
    iam_.emplace(query_, std::move(*endpoint));
  }
  return &*iam_;
}

Result<StsClient*> Session::Sts() {
  if (!sts_) {
    auto endpoint = ResolveEndpoint(Service::kSts, overrides_, profile_, environment_);
    if (!endpoint) {
      return Fail(endpoint.error());
    }
    sts_.emplace(query_, std::move(*endpoint));
  }
  return &*sts_;
}

}  // namespace fulcrum::client
