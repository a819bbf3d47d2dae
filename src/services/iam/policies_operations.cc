// The operation rows of the policies area: each binds the model's input members to a
// PoliciesService method and its result to the model's output shape.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "services/iam/binding.h"
#include "services/iam/policies.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kPolicyArn = "PolicyArn";
constexpr std::string_view kPolicyName = "PolicyName";

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html. ListPolicies leaves out
// Description and Tags, as AWS does.
json::object PolicyJson(const storage::ManagedPolicy& policy, bool with_details) {
  json::object out{{"PolicyName", policy.policy_name},
                   {"PolicyId", policy.policy_id},
                   {"Arn", policy.arn},
                   {"Path", policy.path},
                   {"DefaultVersionId", policy.default_version_id},
                   {"AttachmentCount", policy.attachment_count},
                   {"PermissionsBoundaryUsageCount", policy.permissions_boundary_usage_count},
                   {"IsAttachable", policy.is_attachable}};
  if (with_details && !policy.description.empty()) out["Description"] = policy.description;
  out["CreateDate"] = Timestamp(policy.created);
  out["UpdateDate"] = Timestamp(policy.updated);
  if (with_details && !policy.tags.empty()) out["Tags"] = TagsJson(policy.tags);
  return out;
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html. Only
// GetPolicyVersion returns the document, percent-encoded.
json::object VersionJson(const storage::PolicyVersion& version, bool with_document) {
  json::object out;
  if (with_document) out["Document"] = UrlEncodedDocument(version.document);
  out["VersionId"] = version.version_id;
  out["IsDefaultVersion"] = version.is_default;
  out["CreateDate"] = Timestamp(version.created);
  return out;
}

json::value TagsPage(const storage::Page<Tag>& page) {
  json::object out{{"Tags", TagsJson(page.items)}};
  AddPageFields(out, page.next_marker);
  return out;
}

std::string PolicyNamed(const RequestContext& /*context*/, const json::object& input) {
  return StringOr(input, kPolicyArn, "*");
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
ListPoliciesRequest ListPoliciesRequestOf(const json::object& input) {
  ListPoliciesRequest request;
  const std::string scope = StringOr(input, "Scope", "All");
  if (scope == "AWS") {
    request.scope = storage::PolicyScope::kAws;
  } else if (scope == "Local") {
    request.scope = storage::PolicyScope::kLocal;
  }
  request.only_attached = OptionalBool(input, "OnlyAttached").value_or(false);
  request.path_prefix = StringOr(input, "PathPrefix", "");
  if (auto usage = OptionalString(input, "PolicyUsageFilter")) {
    // Any managed policy may serve as a permissions policy: PermissionsPolicy keeps them all.
    request.usage =
        *usage == "PermissionsBoundary" ? storage::PolicyUse::kBoundary : storage::PolicyUse::kAny;
  }
  return request;
}

void AddManagedPolicyRows(PoliciesService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreatePolicy",
      .iam_action = "iam:CreatePolicy",
      .skip_authorization = false,
      .resource =
          [](const RequestContext& context, const json::object& input) {
            return CustomerPolicyArn(context.principal.account_id, StringOr(input, "Path", "/"),
                                     StringOr(input, kPolicyName, ""));
          },
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto policy = service.CreatePolicy(
            context.principal,
            CreatePolicyRequest{.policy_name = StringOr(input, kPolicyName, ""),
                                .path = StringOr(input, "Path", "/"),
                                .policy_document = StringOr(input, "PolicyDocument", ""),
                                .description = StringOr(input, "Description", ""),
                                .tags = TagList(input, "Tags")});
        if (!policy) return Fail(policy.error());
        return json::object{{"Policy", PolicyJson(*policy, true)}};
      }});
  rows.push_back(OperationRow{
      .name = "GetPolicy",
      .iam_action = "iam:GetPolicy",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto policy = service.GetPolicy(context.principal, StringOr(input, kPolicyArn, ""));
        if (!policy) return Fail(policy.error());
        return json::object{{"Policy", PolicyJson(*policy, true)}};
      }});
  rows.push_back(OperationRow{
      .name = "ListPolicies",
      .iam_action = "iam:ListPolicies",
      .skip_authorization = false,
      .resource = AnyResource,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto page =
            service.ListPolicies(context.principal, ListPoliciesRequestOf(input), PageOf(input));
        if (!page) return Fail(page.error());
        json::array policies;
        policies.reserve(page->items.size());
        for (const auto& policy : page->items) policies.push_back(PolicyJson(policy, false));
        json::object out{{"Policies", std::move(policies)}};
        AddPageFields(out, page->next_marker);
        return out;
      }});
  rows.push_back(OperationRow{
      .name = "DeletePolicy",
      .iam_action = "iam:DeletePolicy",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.DeletePolicy(context.principal, StringOr(input, kPolicyArn, "")));
      }});
}

void AddVersionRows(PoliciesService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreatePolicyVersion",
      .iam_action = "iam:CreatePolicyVersion",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto version =
            service.CreatePolicyVersion(context.principal, StringOr(input, kPolicyArn, ""),
                                        StringOr(input, "PolicyDocument", ""),
                                        OptionalBool(input, "SetAsDefault").value_or(false));
        if (!version) return Fail(version.error());
        return json::object{{"PolicyVersion", VersionJson(*version, false)}};
      }});
  rows.push_back(OperationRow{
      .name = "GetPolicyVersion",
      .iam_action = "iam:GetPolicyVersion",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto version = service.GetPolicyVersion(context.principal, StringOr(input, kPolicyArn, ""),
                                                StringOr(input, "VersionId", ""));
        if (!version) return Fail(version.error());
        return json::object{{"PolicyVersion", VersionJson(*version, true)}};
      }});
  rows.push_back(
      OperationRow{.name = "ListPolicyVersions",
                   .iam_action = "iam:ListPolicyVersions",
                   .skip_authorization = false,
                   .resource = PolicyNamed,
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     auto page = service.ListPolicyVersions(
                         context.principal, StringOr(input, kPolicyArn, ""), PageOf(input));
                     if (!page) return Fail(page.error());
                     json::array versions;
                     versions.reserve(page->items.size());
                     for (const auto& version : page->items)
                       versions.push_back(VersionJson(version, false));
                     json::object out{{"Versions", std::move(versions)}};
                     AddPageFields(out, page->next_marker);
                     return out;
                   }});
  rows.push_back(OperationRow{
      .name = "DeletePolicyVersion",
      .iam_action = "iam:DeletePolicyVersion",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.DeletePolicyVersion(
            context.principal, StringOr(input, kPolicyArn, ""), StringOr(input, "VersionId", "")));
      }});
  rows.push_back(OperationRow{
      .name = "SetDefaultPolicyVersion",
      .iam_action = "iam:SetDefaultPolicyVersion",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.SetDefaultPolicyVersion(
            context.principal, StringOr(input, kPolicyArn, ""), StringOr(input, "VersionId", "")));
      }});
}

void AddPolicyTagRows(PoliciesService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "TagPolicy",
      .iam_action = "iam:TagPolicy",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.TagPolicy(context.principal, StringOr(input, kPolicyArn, ""),
                                          TagList(input, "Tags")));
      }});
  rows.push_back(OperationRow{
      .name = "UntagPolicy",
      .iam_action = "iam:UntagPolicy",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.UntagPolicy(context.principal, StringOr(input, kPolicyArn, ""),
                                            StringList(input, "TagKeys")));
      }});
  rows.push_back(
      OperationRow{.name = "ListPolicyTags",
                   .iam_action = "iam:ListPolicyTags",
                   .skip_authorization = false,
                   .resource = PolicyNamed,
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     auto page = service.ListPolicyTags(
                         context.principal, StringOr(input, kPolicyArn, ""), PageOf(input));
                     if (!page) return Fail(page.error());
                     return TagsPage(*page);
                   }});
}

// The wire names of the operations on the policies of one kind of principal.
struct PrincipalOperations {
  storage::PrincipalKind kind;
  std::string_view member;  // "UserName"
  std::string_view attach;
  std::string_view attach_action;
  std::string_view detach;
  std::string_view detach_action;
  std::string_view list_attached;
  std::string_view list_attached_action;
  std::string_view put;
  std::string_view put_action;
  std::string_view get;
  std::string_view get_action;
  std::string_view remove;
  std::string_view remove_action;
  std::string_view list_inline;
  std::string_view list_inline_action;
};

constexpr std::array kPrincipalOperations{
    PrincipalOperations{storage::PrincipalKind::kUser, "UserName", "AttachUserPolicy",
                        "iam:AttachUserPolicy", "DetachUserPolicy", "iam:DetachUserPolicy",
                        "ListAttachedUserPolicies", "iam:ListAttachedUserPolicies", "PutUserPolicy",
                        "iam:PutUserPolicy", "GetUserPolicy", "iam:GetUserPolicy",
                        "DeleteUserPolicy", "iam:DeleteUserPolicy", "ListUserPolicies",
                        "iam:ListUserPolicies"},
    PrincipalOperations{storage::PrincipalKind::kGroup, "GroupName", "AttachGroupPolicy",
                        "iam:AttachGroupPolicy", "DetachGroupPolicy", "iam:DetachGroupPolicy",
                        "ListAttachedGroupPolicies", "iam:ListAttachedGroupPolicies",
                        "PutGroupPolicy", "iam:PutGroupPolicy", "GetGroupPolicy",
                        "iam:GetGroupPolicy", "DeleteGroupPolicy", "iam:DeleteGroupPolicy",
                        "ListGroupPolicies", "iam:ListGroupPolicies"},
    PrincipalOperations{storage::PrincipalKind::kRole, "RoleName", "AttachRolePolicy",
                        "iam:AttachRolePolicy", "DetachRolePolicy", "iam:DetachRolePolicy",
                        "ListAttachedRolePolicies", "iam:ListAttachedRolePolicies", "PutRolePolicy",
                        "iam:PutRolePolicy", "GetRolePolicy", "iam:GetRolePolicy",
                        "DeleteRolePolicy", "iam:DeleteRolePolicy", "ListRolePolicies",
                        "iam:ListRolePolicies"},
};

PrincipalName NameOf(const PrincipalOperations& ops, const json::object& input) {
  return PrincipalName{.kind = ops.kind, .name = StringOr(input, ops.member, "")};
}

// The resource of operations on the policies of a principal: the principal's ARN.
ResourceResolver PrincipalNamed(PoliciesService& service, const PrincipalOperations& ops) {
  return [&service, &ops](const RequestContext& context, const json::object& input) {
    return service.PrincipalResource(context.principal, NameOf(ops, input));
  };
}

void AddPrincipalRows(PoliciesService& service, const PrincipalOperations& ops,
                      std::vector<OperationRow>& rows) {
  rows.push_back(
      OperationRow{.name = ops.attach,
                   .iam_action = ops.attach_action,
                   .skip_authorization = false,
                   .resource = PrincipalNamed(service, ops),
                   .handler = [&service, &ops](const RequestContext& context,
                                               const json::object& input) -> Result<json::value> {
                     return NoOutput(service.AttachPolicy(context.principal, NameOf(ops, input),
                                                          StringOr(input, kPolicyArn, "")));
                   }});
  rows.push_back(
      OperationRow{.name = ops.detach,
                   .iam_action = ops.detach_action,
                   .skip_authorization = false,
                   .resource = PrincipalNamed(service, ops),
                   .handler = [&service, &ops](const RequestContext& context,
                                               const json::object& input) -> Result<json::value> {
                     return NoOutput(service.DetachPolicy(context.principal, NameOf(ops, input),
                                                          StringOr(input, kPolicyArn, "")));
                   }});
  rows.push_back(OperationRow{
      .name = ops.list_attached,
      .iam_action = ops.list_attached_action,
      .skip_authorization = false,
      .resource = PrincipalNamed(service, ops),
      .handler = [&service, &ops](const RequestContext& context,
                                  const json::object& input) -> Result<json::value> {
        auto page = service.ListAttachedPolicies(context.principal, NameOf(ops, input),
                                                 StringOr(input, "PathPrefix", ""), PageOf(input));
        if (!page) return Fail(page.error());
        json::array policies;
        policies.reserve(page->items.size());
        for (const auto& policy : page->items) {
          policies.push_back(
              json::object{{"PolicyName", policy.policy_name}, {"PolicyArn", policy.arn}});
        }
        json::object out{{"AttachedPolicies", std::move(policies)}};
        AddPageFields(out, page->next_marker);
        return out;
      }});
  rows.push_back(OperationRow{
      .name = ops.put,
      .iam_action = ops.put_action,
      .skip_authorization = false,
      .resource = PrincipalNamed(service, ops),
      .handler = [&service, &ops](const RequestContext& context,
                                  const json::object& input) -> Result<json::value> {
        return NoOutput(service.PutInlinePolicy(context.principal, NameOf(ops, input),
                                                StringOr(input, kPolicyName, ""),
                                                StringOr(input, "PolicyDocument", "")));
      }});
  rows.push_back(
      OperationRow{.name = ops.get,
                   .iam_action = ops.get_action,
                   .skip_authorization = false,
                   .resource = PrincipalNamed(service, ops),
                   .handler = [&service, &ops](const RequestContext& context,
                                               const json::object& input) -> Result<json::value> {
                     auto policy = service.GetInlinePolicy(context.principal, NameOf(ops, input),
                                                           StringOr(input, kPolicyName, ""));
                     if (!policy) return Fail(policy.error());
                     return json::object{{ops.member, policy->principal_name},
                                         {"PolicyName", policy->policy_name},
                                         {"PolicyDocument", UrlEncodedDocument(policy->document)}};
                   }});
  rows.push_back(
      OperationRow{.name = ops.remove,
                   .iam_action = ops.remove_action,
                   .skip_authorization = false,
                   .resource = PrincipalNamed(service, ops),
                   .handler = [&service, &ops](const RequestContext& context,
                                               const json::object& input) -> Result<json::value> {
                     return NoOutput(service.DeleteInlinePolicy(
                         context.principal, NameOf(ops, input), StringOr(input, kPolicyName, "")));
                   }});
  rows.push_back(OperationRow{
      .name = ops.list_inline,
      .iam_action = ops.list_inline_action,
      .skip_authorization = false,
      .resource = PrincipalNamed(service, ops),
      .handler = [&service, &ops](const RequestContext& context,
                                  const json::object& input) -> Result<json::value> {
        auto page =
            service.ListInlinePolicies(context.principal, NameOf(ops, input), PageOf(input));
        if (!page) return Fail(page.error());
        json::array names;
        names.reserve(page->items.size());
        for (const std::string& name : page->items) names.push_back(json::string(name));
        json::object out{{"PolicyNames", std::move(names)}};
        AddPageFields(out, page->next_marker);
        return out;
      }});
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html
Result<json::value> ListEntitiesForPolicy(PoliciesService& service, const RequestContext& context,
                                          const json::object& input) {
  const std::string policy_arn = StringOr(input, kPolicyArn, "");
  const std::string filter = StringOr(input, "EntityFilter", "");
  std::optional<storage::PrincipalKind> kind;
  // The filters LocalManagedPolicy and AWSManagedPolicy name no principal: nothing matches them.
  bool nothing_matches = false;
  if (filter == "User") {
    kind = storage::PrincipalKind::kUser;
  } else if (filter == "Group") {
    kind = storage::PrincipalKind::kGroup;
  } else if (filter == "Role") {
    kind = storage::PrincipalKind::kRole;
  } else if (!filter.empty()) {
    nothing_matches = true;
  }
  const bool boundaries =
      StringOr(input, "PolicyUsageFilter", "PermissionsPolicy") == "PermissionsBoundary";
  auto page = service.ListEntitiesForPolicy(context.principal, policy_arn, kind,
                                            StringOr(input, "PathPrefix", ""),
                                            boundaries || nothing_matches, PageOf(input));
  if (!page) return Fail(page.error());
  json::array users;
  json::array groups;
  json::array roles;
  for (const storage::PolicyEntity& entity : page->items) {
    switch (entity.kind) {
      case storage::PrincipalKind::kUser:
        users.push_back(json::object{{"UserName", entity.name}, {"UserId", entity.unique_id}});
        break;
      case storage::PrincipalKind::kGroup:
        groups.push_back(json::object{{"GroupName", entity.name}, {"GroupId", entity.unique_id}});
        break;
      case storage::PrincipalKind::kRole:
        roles.push_back(json::object{{"RoleName", entity.name}, {"RoleId", entity.unique_id}});
        break;
    }
  }
  json::object out{{"PolicyGroups", std::move(groups)},
                   {"PolicyUsers", std::move(users)},
                   {"PolicyRoles", std::move(roles)}};
  AddPageFields(out, page->next_marker);
  return out;
}

}  // namespace

void AddPoliciesOperations(PoliciesService& service, std::vector<OperationRow>& rows) {
  AddManagedPolicyRows(service, rows);
  AddVersionRows(service, rows);
  AddPolicyTagRows(service, rows);
  for (const PrincipalOperations& ops : kPrincipalOperations) AddPrincipalRows(service, ops, rows);
  rows.push_back(OperationRow{
      .name = "ListEntitiesForPolicy",
      .iam_action = "iam:ListEntitiesForPolicy",
      .skip_authorization = false,
      .resource = PolicyNamed,
      .handler = [&service](const RequestContext& context, const json::object& input)
          -> Result<json::value> { return ListEntitiesForPolicy(service, context, input); }});
}

}  // namespace fulcrum::services::iam
