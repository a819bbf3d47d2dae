#include "services/iam/condition_keys.h"

#include <algorithm>
#include <array>

#include "arn/arn.h"
#include "services/iam/binding.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

// The operations for which iam:PermissionsBoundary names the boundary the target already has.
constexpr std::array<std::string_view, 10> kTargetBoundaryOperations = {
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DeleteUserPermissionsBoundary",
    "iam:DeleteUserPolicy",
    "iam:DetachRolePolicy",
    "iam:DetachUserPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy"};

// What the resource of a request is, when it is an entity whose tags or boundary count.
struct Target {
  storage::Tags tags;
  std::string permissions_boundary_arn;
};

// The user, role or customer managed policy `resource` names in the caller's account, if it
// exists. Other resources (and store errors, which the handler will report) give nothing.
std::optional<Target> LoadTarget(const IamContext& context, std::string_view account_id,
                                 std::string_view resource) {
  auto parsed = arn::Parse(resource);
  if (!parsed || parsed->service != "iam" || parsed->account != account_id) return std::nullopt;
  const std::string_view path = parsed->resource;
  const std::string_view name = path.substr(path.rfind('/') + 1);
  if (name.empty()) return std::nullopt;  // "user/": the List operations' resource.
  if (path.starts_with("user/")) {
    auto user = context.iam.GetUser(account_id, name);
    if (!user || !user->has_value()) return std::nullopt;
    return Target{.tags = (*user)->tags,
                  .permissions_boundary_arn = (*user)->permissions_boundary_arn};
  }
  if (path.starts_with("role/")) {
    auto role = context.iam.GetRole(account_id, name);
    if (!role || !role->has_value()) return std::nullopt;
    return Target{.tags = (*role)->tags,
                  .permissions_boundary_arn = (*role)->permissions_boundary_arn};
  }
  if (path.starts_with("policy/")) {
    auto policy = context.iam.GetPolicy(account_id, resource);
    if (!policy || !policy->has_value()) return std::nullopt;
    return Target{.tags = (*policy)->tags, .permissions_boundary_arn = {}};
  }
  return std::nullopt;
}

}  // namespace

ConditionKeysResolver IamRequestKeys() {
  return [](const RequestContext& /*request*/, const json::object& input) {
    ConditionKeys keys;
    const storage::Tags tags = TagList(input, "Tags");
    if (!tags.empty()) {
      std::vector<std::string>& tag_keys = keys["aws:TagKeys"];
      for (const auto& [key, value] : tags) {
        keys["aws:RequestTag/" + key] = {value};
        tag_keys.push_back(key);
      }
    }
    if (std::vector<std::string> untagged = StringList(input, "TagKeys"); !untagged.empty()) {
      keys["aws:TagKeys"] = std::move(untagged);
    }
    if (auto policy_arn = OptionalString(input, "PolicyArn")) {
      keys["iam:PolicyARN"] = {*policy_arn};
    }
    if (auto service_name = OptionalString(input, "AWSServiceName")) {
      keys["iam:AWSServiceName"] = {*service_name};
    }
    if (auto boundary = OptionalString(input, "PermissionsBoundary")) {
      keys["iam:PermissionsBoundary"] = {*boundary};
    }
    return keys;
  };
}

ResourceKeysResolver IamResourceKeys(const IamContext& context) {
  return [&context](const RequestContext& request, std::string_view resource) {
    ConditionKeys keys;
    if (std::optional<Target> target =
            LoadTarget(context, request.principal.account_id, resource)) {
      for (const auto& [key, value] : target->tags) {
        keys["aws:ResourceTag/" + key] = {value};
        keys["iam:ResourceTag/" + key] = {value};
      }
      if (!target->permissions_boundary_arn.empty() &&
          std::find(kTargetBoundaryOperations.begin(), kTargetBoundaryOperations.end(),
                    request.iam_action) != kTargetBoundaryOperations.end()) {
        keys["iam:PermissionsBoundary"] = {target->permissions_boundary_arn};
      }
    }
    return keys;
  };
}

}  // namespace fulcrum::services::iam
