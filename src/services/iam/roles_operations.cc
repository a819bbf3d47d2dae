// The operation rows of the roles area: each binds the model's input members to a RolesService
// method and its result to the model's output shape.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "arn/arn.h"
#include "services/iam/binding.h"
#include "services/iam/roles.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kRoleName = "RoleName";

enum class RoleDetail {
  kList,        // ListRoles: no PermissionsBoundary, Tags or RoleLastUsed, as AWS does.
  kCreated,     // CreateRole and friends: everything but RoleLastUsed.
  kEverything,  // GetRole.
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html. The trust policy is
// percent-encoded, as AWS returns it.
json::object RoleJson(const storage::Role& role, RoleDetail detail) {
  json::object out{
      {"Path", role.path},
      {"RoleName", role.role_name},
      {"RoleId", role.role_id},
      {"Arn", role.arn},
      {"CreateDate", Timestamp(role.created)},
      {"AssumeRolePolicyDocument", UrlEncodedDocument(role.assume_role_policy_document)}};
  if (!role.description.empty()) out["Description"] = role.description;
  out["MaxSessionDuration"] = role.max_session_duration;
  if (detail == RoleDetail::kList) return out;
  if (!role.permissions_boundary_arn.empty()) {
    out["PermissionsBoundary"] =
        json::object{{"PermissionsBoundaryType", "PermissionsBoundaryPolicy"},
                     {"PermissionsBoundaryArn", role.permissions_boundary_arn}};
  }
  if (!role.tags.empty()) out["Tags"] = TagsJson(role.tags);
  if (detail == RoleDetail::kEverything) {
    json::object last_used;
    if (role.last_used.has_value()) {
      last_used["LastUsedDate"] = Timestamp(role.last_used->time);
      last_used["Region"] = role.last_used->region;
    }
    out["RoleLastUsed"] = std::move(last_used);
  }
  return out;
}

ResourceResolver RoleNamed(RolesService& service) {
  return [&service](const RequestContext& context, const json::object& input) {
    return service.RoleResource(context.principal, StringOr(input, kRoleName, ""));
  };
}

// The ARN of the service-linked role of `service_name` in `account_id`, or "*".
std::string ServiceLinkedRoleArn(std::string_view account_id, std::string_view service_name,
                                 std::string_view role_name) {
  if (service_name.empty() || role_name.empty()) return "*";
  return arn::RoleArn(account_id, fmt::format("{}{}/", kServiceLinkedRolePathPrefix, service_name),
                      role_name);
}

// The role a deletion task ("task/aws-service-role/<service>/<role>/<uuid>") deletes, or "*".
std::string DeletionTaskRole(const RequestContext& context, const json::object& input) {
  const std::string task = StringOr(input, "DeletionTaskId", "");
  std::vector<std::string_view> parts;
  std::string_view rest = task;
  for (size_t slash = rest.find('/'); slash != std::string_view::npos; slash = rest.find('/')) {
    parts.push_back(rest.substr(0, slash));
    rest.remove_prefix(slash + 1);
  }
  parts.push_back(rest);
  if (parts.size() != 5 || parts[0] != "task" || parts[1] != "aws-service-role") return "*";
  return ServiceLinkedRoleArn(context.principal.account_id, parts[2], parts[3]);
}

void AddRoleRows(RolesService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreateRole",
      .iam_action = "iam:CreateRole",
      .skip_authorization = false,
      .resource =
          [](const RequestContext& context, const json::object& input) {
            return arn::RoleArn(context.principal.account_id, StringOr(input, "Path", "/"),
                                StringOr(input, kRoleName, ""));
          },
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto role = service.CreateRole(
            context.principal,
            CreateRoleRequest{
                .role_name = StringOr(input, kRoleName, ""),
                .path = StringOr(input, "Path", "/"),
                .assume_role_policy_document = StringOr(input, "AssumeRolePolicyDocument", ""),
                .description = StringOr(input, "Description", ""),
                .max_session_duration = OptionalInteger(input, "MaxSessionDuration"),
                .permissions_boundary = StringOr(input, "PermissionsBoundary", ""),
                .tags = TagList(input, "Tags")});
        if (!role) return Fail(role.error());
        return json::object{{"Role", RoleJson(*role, RoleDetail::kCreated)}};
      }});
  rows.push_back(
      OperationRow{.name = "GetRole",
                   .iam_action = "iam:GetRole",
                   .skip_authorization = false,
                   .resource = RoleNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     auto role = service.GetRole(context.principal, StringOr(input, kRoleName, ""));
                     if (!role) return Fail(role.error());
                     return json::object{{"Role", RoleJson(*role, RoleDetail::kEverything)}};
                   }});
  rows.push_back(OperationRow{
      .name = "ListRoles",
      .iam_action = "iam:ListRoles",
      .skip_authorization = false,
      .resource = ListedUnder("role"),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto page =
            service.ListRoles(context.principal, StringOr(input, "PathPrefix", ""), PageOf(input));
        if (!page) return Fail(page.error());
        json::array roles;
        roles.reserve(page->items.size());
        for (const auto& role : page->items) roles.push_back(RoleJson(role, RoleDetail::kList));
        json::object out{{"Roles", std::move(roles)}};
        AddPageFields(out, page->next_marker);
        return out;
      }});
  rows.push_back(OperationRow{
      .name = "UpdateRole",
      .iam_action = "iam:UpdateRole",
      .skip_authorization = false,
      .resource = RoleNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::optional<std::string> description = OptionalString(input, "Description");
        return NoOutput(service.UpdateRole(context.principal, StringOr(input, kRoleName, ""),
                                           ViewOf(description),
                                           OptionalInteger(input, "MaxSessionDuration")));
      }});
  rows.push_back(OperationRow{
      .name = "UpdateRoleDescription",
      .iam_action = "iam:UpdateRoleDescription",
      .skip_authorization = false,
      .resource = RoleNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto role = service.UpdateRoleDescription(context.principal, StringOr(input, kRoleName, ""),
                                                  StringOr(input, "Description", ""));
        if (!role) return Fail(role.error());
        return json::object{{"Role", RoleJson(*role, RoleDetail::kCreated)}};
      }});
  rows.push_back(OperationRow{
      .name = "DeleteRole",
      .iam_action = "iam:DeleteRole",
      .skip_authorization = false,
      .resource = RoleNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.DeleteRole(context.principal, StringOr(input, kRoleName, "")));
      }});
  rows.push_back(OperationRow{
      .name = "UpdateAssumeRolePolicy",
      .iam_action = "iam:UpdateAssumeRolePolicy",
      .skip_authorization = false,
      .resource = RoleNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.UpdateAssumeRolePolicy(context.principal,
                                                       StringOr(input, kRoleName, ""),
                                                       StringOr(input, "PolicyDocument", "")));
      }});
  rows.push_back(
      OperationRow{.name = "PutRolePermissionsBoundary",
                   .iam_action = "iam:PutRolePermissionsBoundary",
                   .skip_authorization = false,
                   .resource = RoleNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     return NoOutput(service.PutRolePermissionsBoundary(
                         context.principal, StringOr(input, kRoleName, ""),
                         StringOr(input, "PermissionsBoundary", "")));
                   }});
  rows.push_back(
      OperationRow{.name = "DeleteRolePermissionsBoundary",
                   .iam_action = "iam:DeleteRolePermissionsBoundary",
                   .skip_authorization = false,
                   .resource = RoleNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     return NoOutput(service.DeleteRolePermissionsBoundary(
                         context.principal, StringOr(input, kRoleName, "")));
                   }});
}

void AddRoleTagRows(RolesService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "TagRole",
      .iam_action = "iam:TagRole",
      .skip_authorization = false,
      .resource = RoleNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.TagRole(context.principal, StringOr(input, kRoleName, ""),
                                        TagList(input, "Tags")));
      }});
  rows.push_back(OperationRow{
      .name = "UntagRole",
      .iam_action = "iam:UntagRole",
      .skip_authorization = false,
      .resource = RoleNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.UntagRole(context.principal, StringOr(input, kRoleName, ""),
                                          StringList(input, "TagKeys")));
      }});
  rows.push_back(OperationRow{
      .name = "ListRoleTags",
      .iam_action = "iam:ListRoleTags",
      .skip_authorization = false,
      .resource = RoleNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto page =
            service.ListRoleTags(context.principal, StringOr(input, kRoleName, ""), PageOf(input));
        if (!page) return Fail(page.error());
        json::object out{{"Tags", TagsJson(page->items)}};
        AddPageFields(out, page->next_marker);
        return out;
      }});
}

void AddServiceLinkedRoleRows(RolesService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreateServiceLinkedRole",
      .iam_action = "iam:CreateServiceLinkedRole",
      .skip_authorization = false,
      .resource = [](const RequestContext& context, const json::object& input) -> std::string {
        const std::string service_name = StringOr(input, "AWSServiceName", "");
        const ServiceLinkedRoleType* type = FindServiceLinkedRoleType(service_name);
        if (type == nullptr) return "*";
        return ServiceLinkedRoleArn(context.principal.account_id, service_name, type->role_name);
      },
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::optional<std::string> description = OptionalString(input, "Description");
        const std::optional<std::string> suffix = OptionalString(input, "CustomSuffix");
        auto role = service.CreateServiceLinkedRole(context.principal,
                                                    StringOr(input, "AWSServiceName", ""),
                                                    ViewOf(description), ViewOf(suffix));
        if (!role) return Fail(role.error());
        return json::object{{"Role", RoleJson(*role, RoleDetail::kCreated)}};
      }});
  rows.push_back(OperationRow{
      .name = "DeleteServiceLinkedRole",
      .iam_action = "iam:DeleteServiceLinkedRole",
      .skip_authorization = false,
      .resource = RoleNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto task =
            service.DeleteServiceLinkedRole(context.principal, StringOr(input, kRoleName, ""));
        if (!task) return Fail(task.error());
        return json::object{{"DeletionTaskId", *task}};
      }});
  rows.push_back(
      OperationRow{.name = "GetServiceLinkedRoleDeletionStatus",
                   .iam_action = "iam:GetServiceLinkedRoleDeletionStatus",
                   .skip_authorization = false,
                   .resource = DeletionTaskRole,
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     auto status = service.GetServiceLinkedRoleDeletionStatus(
                         context.principal, StringOr(input, "DeletionTaskId", ""));
                     if (!status) return Fail(status.error());
                     return json::object{{"Status", DeletionStatusName(*status)}};
                   }});
}

}  // namespace

void AddRolesOperations(RolesService& service, std::vector<OperationRow>& rows) {
  AddRoleRows(service, rows);
  AddRoleTagRows(service, rows);
  AddServiceLinkedRoleRows(service, rows);
}

}  // namespace fulcrum::services::iam
