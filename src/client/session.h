#pragma once

// Session: what a CLI command needs to call AWS (or any account plane) as one profile: the
// resolved profile and credentials, one CurlTransport shared by every service (so one connection
// serves IAM and STS on a single-port endpoint), and the typed clients, each created on first use
// with its endpoint (endpoint.h).
//
// Thread-safety: not thread-safe; one Session per thread.

#include <memory>
#include <optional>

#include "client/endpoint.h"
#include "client/environment.h"
#include "client/http_transport.h"
#include "client/iam_client.h"
#include "client/profile.h"
#include "client/query_client.h"
#include "client/sts_client.h"
#include "common/clock.h"
#include "common/result.h"

namespace fulcrum::client {

class Session {
 public:
  // Resolves the profile and the credentials (ResolveProfile, ResolveCredentials) and opens the
  // transport. When `transport` sets no CA bundle or proxy, AWS_CA_BUNDLE (or the profile's
  // `ca_bundle`) and, unless http_proxy is set, HTTP_PROXY are taken from `environment`. `clock`
  // must outlive the Session.
  [[nodiscard]] static Result<std::unique_ptr<Session>> Open(const ClientOverrides& overrides,
                                                             const Environment& environment,
                                                             const Clock& clock,
                                                             TransportOptions transport = {},
                                                             RetryPolicy retry = {});

  // The clients; they fail with ResolveEndpoint's errors (NoRegion, InvalidEndpoint). The
  // pointers live as long as the Session.
  [[nodiscard]] Result<IamClient*> Iam();
  [[nodiscard]] Result<StsClient*> Sts();

  [[nodiscard]] const Profile& profile() const { return profile_; }
  [[nodiscard]] const ResolvedCredentials& credentials() const { return credentials_; }

 private:
  Session(ClientOverrides overrides, Environment environment, Profile profile,
          ResolvedCredentials credentials, const Clock& clock, TransportOptions transport,
          RetryPolicy retry);

  ClientOverrides overrides_;
  Environment environment_;
  Profile profile_;
  ResolvedCredentials credentials_;
  CurlTransport transport_;
  QueryClient query_;
  std::optional<IamClient> iam_;
  std::optional<StsClient> sts_;
};

}  // namespace fulcrum::client
