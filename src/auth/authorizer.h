#pragma once

// Authorizer: decides whether a principal may perform an operation's IAM action on its resource,
// by AWS's policy-evaluation logic for identity-based policies: an explicit deny in any policy
// wins; otherwise an allow in any policy allows; otherwise the request is implicitly denied.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//
// The root user acting in its own account is not limited by IAM policies. An IAM user's policies
// are its attached managed policies (default versions), its inline policies, and those of its
// groups; its permissions boundary, when set, caps what they allow. They are compiled once and
// cached per principal; InvalidateAll() drops the cache after any IAM write made through this
// process, and entries expire after `cache_ttl` so that writes made by another process are seen
// too. Thread-safe.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "policy/document.h"
#include "policy/evaluate.h"
#include "services/principal.h"
#include "storage/iam_store.h"

namespace fulcrum::auth {

// One request to authorize.
struct AuthorizationRequest {
  std::string_view action;     // "iam:CreateUser"
  std::string_view resource;   // an ARN, or "*"
  std::string_view region;     // of the SigV4 credential scope (aws:RequestedRegion)
  std::string_view source_ip;  // the peer's address (aws:SourceIp); empty when unknown
  // The condition keys of the request's input (aws:RequestTag/*, iam:PolicyARN, ...). Called
  // only when a statement that covers the action reads such a key. May be empty.
  std::function<policy::RequestContext::KeyMap()> request_keys = {};
  // The condition keys of the resource (aws:ResourceTag/*, ...), which may read the store.
  // Called under the same rule, at most once per caller account, action and resource until
  // InvalidateAll() or the cache lifetime. Applied before request_keys. May be empty.
  std::function<policy::RequestContext::KeyMap()> resource_keys = {};
};

class Authorizer {
 public:
  // REQUIRES: `iam` and `clock` outlive the authorizer.
  Authorizer(storage::IamStore& iam, const Clock& clock,
             std::chrono::milliseconds cache_ttl = std::chrono::seconds(2));

  // On success `principal` may perform `request.action` on `request.resource`. The request
  // context holds the caller's keys (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
  // aws:userid, aws:username, aws:PrincipalTag/*), the global ones (aws:CurrentTime,
  // aws:EpochTime, aws:RequestedRegion, aws:SecureTransport, aws:SourceIp) and those of
  // request.request_keys. Errors: AccessDenied with AWS's message, naming the caller, the
  // action, the resource and why ("because no identity-based policy allows the <action>
  // action", "with an explicit deny in an identity-based policy", "... in a permissions
  // boundary").
  [[nodiscard]] Result<void> Authorize(const services::Principal& principal,
                                       const AuthorizationRequest& request);

  // The condition keys Authorize puts in the request context for `principal`, before those of
  // the request itself. For the policy simulator's agreement with enforcement and for tests.
  [[nodiscard]] Result<policy::RequestContext::KeyMap> PrincipalKeys(
      const services::Principal& principal, const AuthorizationRequest& request);

  // Forgets every cached policy set and resource's keys.
  void InvalidateAll();

 private:
  // The statements of a principal's policies that cover one action, as policies of their own
  // (same kinds and order; statement indexes differ from the originals).
  struct ActionView {
    std::vector<std::shared_ptr<const policy::Policy>> identity;
    // Empty when the principal has no permissions boundary; otherwise one policy per boundary
    // policy, possibly without statements (then the boundary allows nothing for the action).
    std::vector<std::shared_ptr<const policy::Policy>> boundary;
    // Whether any of these statements reads a key that is neither the caller's nor a global one
    // (aws:RequestTag/*, aws:ResourceTag/*, iam:PolicyARN, ...): only then are the request's keys
    // computed, since that may read the store.
    bool needs_request_keys = false;
    // Whether any of these statements reads condition keys at all (a Condition, or a policy
    // variable in a Resource): when none does, the request context is left empty.
    bool uses_keys = false;
  };

  struct PolicySet {
    std::vector<std::shared_ptr<const policy::Policy>> policies;
    // Empty when the principal has no permissions boundary.
    std::vector<std::shared_ptr<const policy::Policy>> boundary;
    // The principal's tags, as aws:PrincipalTag/<key> condition keys.
    policy::RequestContext::KeyMap principal_tags;
    TimePoint loaded;
    // Views by action, made on first use. Bounded by the number of actions the operation
    // tables name.
    mutable std::shared_mutex views_mutex;
    mutable std::unordered_map<std::string, std::shared_ptr<const ActionView>> views;
    std::uint64_t generation = 0;
  };

  // The view of `set` for `action`, made and kept on first use. Thread-safe.
  [[nodiscard]] static std::shared_ptr<const ActionView> ViewFor(const PolicySet& set,
                                                                 std::string_view action);
  // The keys of PrincipalKeys; `set` is null for a root user.
  [[nodiscard]] policy::RequestContext::KeyMap BaseKeys(const services::Principal& principal,
                                                        const AuthorizationRequest& request,
                                                        const PolicySet* set) const;
  [[nodiscard]] Result<std::shared_ptr<const PolicySet>> PoliciesOf(
      const services::Principal& principal);
  [[nodiscard]] Result<std::shared_ptr<const PolicySet>> LoadUserPolicies(
      const services::Principal& principal);
  // The compiled default version of a managed policy; versions never change, so they are cached
  // by ARN and version id for the life of the process.
  [[nodiscard]] Result<std::shared_ptr<const policy::Policy>> ManagedPolicy(
      std::string_view account_id, const storage::ManagedPolicy& managed);

  storage::IamStore& iam_;
  const Clock& clock_;
  const std::chrono::milliseconds cache_ttl_;
  std::shared_mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const PolicySet>> sets_;
  std::unordered_map<std::string, std::shared_ptr<const policy::Policy>> versions_;
  struct ResourceKeys {
    policy::RequestContext::KeyMap keys;
    TimePoint loaded;
  };
  // By the caller's account, the action and the resource (a resolver may answer differently for
  // another account's caller); cleared with the policy sets.
  std::unordered_map<std::string, std::shared_ptr<const ResourceKeys>> resource_keys_;

  // The resource's keys from the cache, else from request.resource_keys (then cached).
  [[nodiscard]] policy::RequestContext::KeyMap CachedResourceKeys(
      const services::Principal& principal, const AuthorizationRequest& request);
};

}  // namespace fulcrum::auth
