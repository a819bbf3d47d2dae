#include "auth/authenticator.h"

#include <fmt/format.h>

#include <mutex>

#include "arn/arn.h"

namespace fulcrum::auth {
namespace {

// Bound on cached credentials; past it the cache is cleared and refilled on demand.
constexpr std::size_t kMaxCachedCredentials = 100'000;

Error InvalidClientTokenId() {
  return Error{
      "InvalidClientTokenId", "The security token included in the request is invalid.", {}};
}

}  // namespace

Authenticator::Authenticator(storage::AccountStore& accounts, storage::IamStore& iam,
                             const Clock& clock, KeyUsageRecorder* usage,
                             std::chrono::milliseconds cache_ttl)
    : accounts_(accounts), iam_(iam), clock_(clock), usage_(usage), cache_ttl_(cache_ttl) {}

Result<services::Principal> Authenticator::Authenticate(const sigv4::HttpRequest& request,
                                                        std::string_view service) {
  auto params = sigv4::ParseAuthentication(request);
  if (!params) {
    return Fail(params.error());
  }
  return Authenticate(request, *params, service);
}

Result<services::Principal> Authenticator::Authenticate(const sigv4::HttpRequest& request,
                                                        const sigv4::AuthParams& params,
                                                        std::string_view service) {
  if (params.service != service) {
    return Fail("SignatureDoesNotMatch",
                fmt::format("Credential should be scoped to correct service: '{}'. ", service));
  }
  // AWS reports an expired request before it looks at the key.
  if (auto timely = sigv4::CheckRequestTime(params, clock_.Now()); !timely) {
    return Fail(timely.error());
  }
  auto credential = Lookup(params.access_key_id);
  if (!credential) {
    return Fail(credential.error());
  }
  if (*credential == nullptr || !(*credential)->active) {
    return Fail(InvalidClientTokenId());
  }
  // Long-term keys (AKIA...) carry no session token; a token sent with one is not valid.
  if (params.security_token.has_value()) {
    return Fail(InvalidClientTokenId());
  }
  if (auto verified = sigv4::VerifySignature(request, params, (*credential)->secret, clock_.Now(),
                                             signing_keys_);
      !verified) {
    return Fail(verified.error());
  }
  services::Principal principal = (*credential)->principal;
  principal.access_key_id = params.access_key_id;
  if (usage_ != nullptr) {
    usage_->Record(params.access_key_id, service, params.region);
  }
  return principal;
}

void Authenticator::Invalidate(const std::string& access_key_id) {
  const std::unique_lock lock(mutex_);
  credentials_.erase(access_key_id);
}

Result<std::shared_ptr<const Authenticator::Credential>> Authenticator::Lookup(
    const std::string& access_key_id) {
  const TimePoint now = clock_.Now();
  {
    const std::shared_lock lock(mutex_);
    if (auto it = credentials_.find(access_key_id);
        it != credentials_.end() && now - it->second->loaded < cache_ttl_) {
      return it->second;
    }
  }
  auto key = accounts_.FindAccessKey(access_key_id);
  if (!key) {
    return Fail(key.error());
  }
  if (!key->has_value()) {
    // Unknown keys are not cached: a key created by another process must work at once.
    return std::shared_ptr<const Credential>();
  }
  const storage::AccessKey& record = **key;
  auto credential = std::make_shared<Credential>();
  credential->secret = record.secret_access_key;
  credential->active = record.active;
  credential->loaded = now;
  if (record.user_name.empty()) {
    credential->principal = services::Principal{.kind = services::PrincipalKind::kRoot,
                                                .account_id = record.account_id,
                                                .arn = arn::RootArn(record.account_id),
                                                .user_id = record.account_id,
                                                .user_name = "",
                                                .access_key_id = ""};
  } else {
    auto user = iam_.GetUser(record.account_id, record.user_name);
    if (!user) {
      return Fail(user.error());
    }
    if (!user->has_value()) {
      // A key whose user is gone is no credential.
      return std::shared_ptr<const Credential>();
    }
    credential->principal = services::Principal{.kind = services::PrincipalKind::kIamUser,
                                                .account_id = record.account_id,
                                                .arn = (*user)->arn,
                                                .user_id = (*user)->user_id,
                                                .user_name = (*user)->user_name,
                                                .access_key_id = ""};
  }
  const std::unique_lock lock(mutex_);
  if (credentials_.size() >= kMaxCachedCredentials) {
    credentials_.clear();
  }
  credentials_[access_key_id] = credential;
  return std::shared_ptr<const Credential>(std::move(credential));
}

}  // namespace fulcrum::auth
