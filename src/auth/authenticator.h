#pragma once

// Authenticator: turns a SigV4-signed request into the Principal who signed it, or into the exact
// error AWS gives. It is the first step after service resolution on every request.
//
// Hot path: the access key -> (secret, principal) lookup is served from an in-process cache, so a
// request costs no storage round trip at steady state. Entries expire after `cache_ttl`, which
// bounds how long a key changed by another process (another server instance, `fulcrum account
// create`) can be seen stale; changes made through this process call Invalidate().

#include <chrono>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/key_usage_recorder.h"
#include "common/clock.h"
#include "common/result.h"
#include "services/principal.h"
#include "sigv4/auth_params.h"
#include "sigv4/request.h"
#include "sigv4/signing_key_cache.h"
#include "sigv4/verifier.h"
#include "storage/account_store.h"
#include "storage/iam_store.h"

namespace fulcrum::auth {

class Authenticator {
 public:
  // REQUIRES: the stores, the clock and `usage` (when not null) outlive the authenticator. Each
  // successful authentication is reported to `usage` (access-key last use).
  Authenticator(storage::AccountStore& accounts, storage::IamStore& iam, const Clock& clock,
                KeyUsageRecorder* usage = nullptr,
                std::chrono::milliseconds cache_ttl = std::chrono::seconds(2));

  // On success, the principal whose key signed `request`. `service` is the signing name of the
  // service the request was resolved to ("iam", "sts", ...); the credential scope must name it.
  // Errors, with AWS's query-protocol codes (protocol/ renames them for the JSON protocols):
  // MissingAuthenticationToken, IncompleteSignature, InvalidClientTokenId, SignatureDoesNotMatch,
  // ExpiredToken. Thread-safe.
  [[nodiscard]] Result<services::Principal> Authenticate(const sigv4::HttpRequest& request,
                                                         std::string_view service);

  // As Authenticate, when the caller already parsed the request's authentication parameters.
  [[nodiscard]] Result<services::Principal> Authenticate(const sigv4::HttpRequest& request,
                                                         const sigv4::AuthParams& params,
                                                         std::string_view service);

  // Drops what is cached for `access_key_id`. Thread-safe.
  void Invalidate(const std::string& access_key_id);

 private:
  struct Credential {
    std::string secret;
    services::Principal principal;
    bool active = true;
    TimePoint loaded;
  };

  // The credential of `access_key_id`, from the cache or the store; nullptr when unknown.
  [[nodiscard]] Result<std::shared_ptr<const Credential>> Lookup(const std::string& access_key_id);

  storage::AccountStore& accounts_;
  storage::IamStore& iam_;
  const Clock& clock_;
  KeyUsageRecorder* usage_;
  const std::chrono::milliseconds cache_ttl_;
  sigv4::SigningKeyCache signing_keys_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Credential>> credentials_;
};

}  // namespace fulcrum::auth
