#include "auth/authorizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <mutex>

#include "common/time_format.h"
#include "policy/context_keys.h"
#include "policy/evaluate.h"
#include "policy/referenced_keys.h"

namespace fulcrum::auth {
namespace {

// Bounds on the caches; past them a cache is cleared and refilled on demand.
constexpr std::size_t kMaxCachedSets = 100'000;
constexpr std::size_t kMaxCachedVersions = 100'000;
// Page size for reading a principal's policies.
constexpr std::size_t kPageSize = 100;

// Calls `visit` on every item of a paged store listing.
template <class Item, class List, class Visit>
Result<void> ForEach(List list, Visit visit) {
  storage::PageRequest page{.marker = "", .max_items = kPageSize};
  do {
    Result<storage::Page<Item>> items = list(page);
    if (!items) {
      return Fail(items.error());
    }
    for (const Item& item : items->items) {
      if (auto visited = visit(item); !visited) {
        return visited;
      }
    }
    page.marker = items->next_marker;
  } while (!page.marker.empty());
  return {};
}

// Whether `key` comes from the request or its resource rather than from the caller or the
// moment (the keys BaseKeys fills).
bool IsRequestKey(std::string_view key) {
  static constexpr std::array<std::string_view, 10> kBaseKeys = {
      "aws:PrincipalArn",    "aws:PrincipalAccount", "aws:PrincipalType", "aws:userid",
      "aws:username",        "aws:CurrentTime",      "aws:EpochTime",     "aws:RequestedRegion",
      "aws:SecureTransport", "aws:SourceIp"};
  constexpr std::string_view kPrincipalTag = "aws:PrincipalTag/";
  if (key.size() > kPrincipalTag.size() &&
      policy::EqualsIgnoreCase(key.substr(0, kPrincipalTag.size()), kPrincipalTag)) {
    return false;
  }
  return std::none_of(kBaseKeys.begin(), kBaseKeys.end(),
                      [key](std::string_view base) { return policy::EqualsIgnoreCase(base, key); });
}

// AWS's AccessDenied message for a request that `reason` denied.
Error AccessDenied(const services::Principal& principal, std::string_view action,
                   std::string_view resource, policy::EvaluationResult::DenyReason reason,
                   bool explicit_deny) {
  using Reason = policy::EvaluationResult::DenyReason;
  const bool boundary = reason == Reason::kPermissionsBoundary;
  std::string why;
  if (explicit_deny) {
    why = boundary ? "with an explicit deny in a permissions boundary"
                   : "with an explicit deny in an identity-based policy";
  } else {
    why = fmt::format("because no {} allows the {} action",
                      boundary ? "permissions boundary" : "identity-based policy", action);
  }
  return Error{"AccessDenied",
               fmt::format("User: {} is not authorized to perform: {} on resource: {} {}",
                           principal.arn, action, resource, why),
               {}};
}

}  // namespace

Authorizer::Authorizer(storage::IamStore& iam, const Clock& clock,
                       std::chrono::milliseconds cache_ttl)
    : iam_(iam), clock_(clock), cache_ttl_(cache_ttl) {}

Result<policy::RequestContext::KeyMap> Authorizer::PrincipalKeys(
    const services::Principal& principal, const AuthorizationRequest& request) {
  if (principal.kind == services::PrincipalKind::kRoot) {
    return BaseKeys(principal, request, nullptr);
  }
  auto set = PoliciesOf(principal);
  if (!set) {
    return Fail(set.error());
  }
  return BaseKeys(principal, request, set->get());
}

policy::RequestContext::KeyMap Authorizer::BaseKeys(const services::Principal& principal,
                                                    const AuthorizationRequest& request,
                                                    const PolicySet* set) const {
  const TimePoint now = clock_.Now();
  policy::RequestContext::KeyMap keys{
      {"aws:PrincipalArn", {principal.arn}},
      {"aws:PrincipalAccount", {principal.account_id}},
      {"aws:PrincipalType",
       {principal.kind == services::PrincipalKind::kRoot ? "Account" : "User"}},
      {"aws:userid", {principal.user_id}},
      {"aws:CurrentTime", {FormatIso8601(now)}},
      {"aws:EpochTime", {std::to_string(static_cast<std::int64_t>(EpochSeconds(now)))}},
      {"aws:RequestedRegion", {std::string(request.region)}},
      // The account plane serves plain HTTP on loopback; behind a TLS proxy this would change.
      {"aws:SecureTransport", {"false"}}};
  if (!principal.user_name.empty()) {
    keys["aws:username"] = {principal.user_name};
  }
  if (!request.source_ip.empty()) {
    keys["aws:SourceIp"] = {std::string(request.source_ip)};
  }
  if (set != nullptr) {
    for (const auto& [name, values] : set->principal_tags) {
      keys[name] = values;
    }
  }
  return keys;
}

Result<void> Authorizer::Authorize(const services::Principal& principal,
                                   const AuthorizationRequest& request) {
  if (principal.kind == services::PrincipalKind::kRoot) {
    return {};
  }
  auto set = PoliciesOf(principal);
  if (!set) {
    return Fail(set.error());
  }
  const std::shared_ptr<const ActionView> view = ViewFor(**set, request.action);
  auto pointers = [](const std::vector<std::shared_ptr<const policy::Policy>>& compiled) {
    std::vector<const policy::Policy*> out;
    out.reserve(compiled.size());
    for (const auto& one : compiled) {
      out.push_back(one.get());
    }
    return out;
  };
  const std::vector<const policy::Policy*> identity = pointers(view->identity);
  const std::vector<const policy::Policy*> boundary = pointers(view->boundary);
  policy::RequestContext::KeyMap keys;
  if (view->uses_keys) {
    keys = BaseKeys(principal, request, set->get());
  }
  if (view->needs_request_keys) {
    if (request.resource_keys) {
      for (auto& [name, values] : CachedResourceKeys(principal, request)) {
        keys[name] = std::move(values);
      }
    }
    if (request.request_keys) {
      for (auto& [name, values] : request.request_keys()) {
        keys[name] = std::move(values);
      }
    }
  }
  const policy::RequestContext context{.action = std::string(request.action),
                                       .resource = std::string(request.resource),
                                       .principal_arn = principal.arn,
                                       .keys = std::move(keys)};
  policy::EvaluationInput input;
  input.identity = identity;
  if (!boundary.empty()) {
    input.permissions_boundary = std::span<const policy::Policy* const>(boundary);
  }
  const policy::EvaluationResult decision = policy::Evaluate(input, context);
  if (decision.decision == policy::Decision::kAllow) {
    return {};
  }
  return Fail(AccessDenied(principal, request.action, request.resource, decision.reason,
                           decision.decision == policy::Decision::kExplicitDeny));
}

std::shared_ptr<const Authorizer::ActionView> Authorizer::ViewFor(const PolicySet& set,
                                                                  std::string_view action) {
  {
    const std::shared_lock lock(set.views_mutex);
    if (auto it = set.views.find(std::string(action)); it != set.views.end()) {
      return it->second;
    }
  }
  auto view = std::make_shared<ActionView>();
  auto filter = [&](const std::vector<std::shared_ptr<const policy::Policy>>& policies,
                    std::vector<std::shared_ptr<const policy::Policy>>& out, bool keep_empty) {
    for (const auto& one : policies) {
      auto covering = std::make_shared<policy::Policy>();
      covering->kind = one->kind;
      covering->version = one->version;
      covering->has_version = one->has_version;
      for (const policy::Statement& statement : one->statements) {
        if (policy::StatementCoversAction(statement, action)) {
          covering->statements.push_back(statement);
          std::vector<std::string> read;
          policy::AddReferencedKeys(statement, read);
          if (statement.resources.has_value()) {
            for (const policy::PolicyString& pattern : statement.resources->patterns) {
              if (pattern.has_variables) policy::AddVariableKeys(pattern.text, read);
            }
          }
          view->needs_request_keys =
              view->needs_request_keys || std::any_of(read.begin(), read.end(), IsRequestKey);
          view->uses_keys =
              view->uses_keys || !statement.conditions.empty() ||
              (statement.resources.has_value() &&
               std::any_of(
                   statement.resources->patterns.begin(), statement.resources->patterns.end(),
                   [](const policy::PolicyString& pattern) { return pattern.has_variables; }));
        }
      }
      if (keep_empty || !covering->statements.empty()) {
        out.push_back(std::move(covering));
      }
    }
  };
  filter(set.policies, view->identity, false);
  filter(set.boundary, view->boundary, true);
  const std::unique_lock lock(set.views_mutex);
  // Another thread may have made the same view meanwhile; keep the first.
  return set.views.emplace(std::string(action), view).first->second;
}

void Authorizer::InvalidateAll() {
  const std::unique_lock lock(mutex_);
  ++generation_;
  sets_.clear();
  resource_keys_.clear();
}

policy::RequestContext::KeyMap Authorizer::CachedResourceKeys(const services::Principal& principal,
                                                              const AuthorizationRequest& request) {
  std::string key;
  key.reserve(principal.account_id.size() + request.action.size() + request.resource.size() + 2);
  key.append(principal.account_id)
      .append("\n")
      .append(request.action)
      .append("\n")
      .append(request.resource);
  const TimePoint now = clock_.Now();
  std::uint64_t generation = 0;
  {
    const std::shared_lock lock(mutex_);
    generation = generation_;
    if (auto it = resource_keys_.find(key);
        it != resource_keys_.end() && now - it->second->loaded < cache_ttl_) {
      return it->second->keys;
    }
  }
  auto loaded = std::make_shared<ResourceKeys>(ResourceKeys{request.resource_keys(), now});
  const std::unique_lock lock(mutex_);
  // Keys read while an IAM write happened may be stale: use them once, keep them not.
  if (generation == generation_) {
    if (resource_keys_.size() >= kMaxCachedSets) {
      resource_keys_.clear();
    }
    resource_keys_[key] = loaded;
  }
  return loaded->keys;
}

Result<std::shared_ptr<const Authorizer::PolicySet>> Authorizer::PoliciesOf(
    const services::Principal& principal) {
  const TimePoint now = clock_.Now();
  std::uint64_t generation = 0;
  {
    const std::shared_lock lock(mutex_);
    generation = generation_;
    if (auto it = sets_.find(principal.arn);
        it != sets_.end() && now - it->second->loaded < cache_ttl_) {
      return it->second;
    }
  }
  auto loaded = LoadUserPolicies(principal);
  if (!loaded) {
    return Fail(loaded.error());
  }
  const std::unique_lock lock(mutex_);
  // A write that happened while loading makes what was loaded stale: use it once, cache it not.
  if (generation == generation_) {
    if (sets_.size() >= kMaxCachedSets) {
      sets_.clear();
    }
    sets_[principal.arn] = *loaded;
  }
  return loaded;
}

Result<std::shared_ptr<const Authorizer::PolicySet>> Authorizer::LoadUserPolicies(
    const services::Principal& principal) {
  auto set = std::make_shared<PolicySet>();
  set->loaded = clock_.Now();
  auto add_managed = [&](const storage::ManagedPolicy& managed) -> Result<void> {
    auto compiled = ManagedPolicy(principal.account_id, managed);
    if (!compiled) {
      return Fail(compiled.error());
    }
    set->policies.push_back(*compiled);
    return {};
  };
  auto add_inline = [&](const storage::InlinePolicy& inline_policy) -> Result<void> {
    auto compiled = policy::ParsePolicy(inline_policy.document, policy::PolicyKind::kIdentity);
    // Documents were validated on write; one that no longer parses grants nothing.
    if (compiled) {
      set->policies.push_back(*compiled);
    }
    return {};
  };
  auto add_principal = [&](storage::PrincipalRef ref) -> Result<void> {
    if (auto attached = ForEach<storage::ManagedPolicy>(
            [&](const storage::PageRequest& page) {
              return iam_.ListAttachedPolicies(ref, "", page);
            },
            add_managed);
        !attached) {
      return attached;
    }
    return ForEach<storage::InlinePolicy>(
        [&](const storage::PageRequest& page) { return iam_.ListInlinePolicies(ref, page); },
        add_inline);
  };

  auto record = iam_.GetUser(principal.account_id, principal.user_name);
  if (!record) {
    return Fail(record.error());
  }
  if (record->has_value()) {
    for (const auto& tag : (*record)->tags) {
      set->principal_tags["aws:PrincipalTag/" + tag.first] = {tag.second};
    }
  }
  if (record->has_value() && !(*record)->permissions_boundary_arn.empty()) {
    auto managed = iam_.GetPolicy(principal.account_id, (*record)->permissions_boundary_arn);
    if (!managed) {
      return Fail(managed.error());
    }
    // A boundary whose policy is gone allows nothing; an empty boundary set would allow all.
    if (!managed->has_value()) {
      return Fail(
          "AccessDenied",
          fmt::format("User: {} has a permissions boundary that no longer exists", principal.arn));
    }
    auto compiled = ManagedPolicy(principal.account_id, **managed);
    if (!compiled) {
      return Fail(compiled.error());
    }
    set->boundary.push_back(*compiled);
  }
  const storage::PrincipalRef user{.kind = storage::PrincipalKind::kUser,
                                   .account_id = principal.account_id,
                                   .name = principal.user_name};
  if (auto added = add_principal(user); !added) {
    return Fail(added.error());
  }
  auto groups = ForEach<storage::Group>(
      [&](const storage::PageRequest& page) {
        return iam_.ListGroupsForUser(principal.account_id, principal.user_name, page);
      },
      [&](const storage::Group& group) {
        return add_principal(storage::PrincipalRef{.kind = storage::PrincipalKind::kGroup,
                                                   .account_id = principal.account_id,
                                                   .name = group.group_name});
      });
  if (!groups) {
    return Fail(groups.error());
  }
  return std::shared_ptr<const PolicySet>(std::move(set));
}

Result<std::shared_ptr<const policy::Policy>> Authorizer::ManagedPolicy(
    std::string_view account_id, const storage::ManagedPolicy& managed) {
  const std::string key = managed.arn + "#" + managed.default_version_id;
  {
    const std::shared_lock lock(mutex_);
    if (auto it = versions_.find(key); it != versions_.end()) {
      return it->second;
    }
  }
  auto version = iam_.GetPolicyVersion(account_id, managed.arn, managed.default_version_id);
  if (!version) {
    return Fail(version.error());
  }
  if (!version->has_value()) {
    return Fail("ServiceFailure", fmt::format("policy {} has no version {}", managed.arn,
                                              managed.default_version_id));
  }
  auto compiled = policy::ParsePolicy((*version)->document, policy::PolicyKind::kIdentity);
  if (!compiled) {
    return Fail(compiled.error());
  }
  const std::unique_lock lock(mutex_);
  if (versions_.size() >= kMaxCachedVersions) {
    versions_.clear();
  }
  versions_.emplace(key, *compiled);
  return *compiled;
}

}  // namespace fulcrum::auth
