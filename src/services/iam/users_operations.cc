// The operation rows of the users area: each binds the model's input members to a UsersService
// method and its result to the model's output shape.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "services/iam/binding.h"
#include "services/iam/users.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kUserName = "UserName";
constexpr std::string_view kGroupName = "GroupName";

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html. List operations leave out
// PermissionsBoundary and Tags, as AWS does; the root user has no Path or UserName.
json::object UserJson(const storage::User& user, bool with_details) {
  json::object out;
  if (!user.path.empty()) out["Path"] = user.path;
  if (!user.user_name.empty()) out["UserName"] = user.user_name;
  out["UserId"] = user.user_id;
  out["Arn"] = user.arn;
  out["CreateDate"] = Timestamp(user.created);
  if (user.password_last_used.has_value()) {
    out["PasswordLastUsed"] = Timestamp(*user.password_last_used);
  }
  if (with_details) {
    if (!user.permissions_boundary_arn.empty()) {
      out["PermissionsBoundary"] =
          json::object{{"PermissionsBoundaryType", "PermissionsBoundaryPolicy"},
                       {"PermissionsBoundaryArn", user.permissions_boundary_arn}};
    }
    if (!user.tags.empty()) out["Tags"] = TagsJson(user.tags);
  }
  return out;
}

json::array UsersJson(const std::vector<storage::User>& users) {
  json::array out;
  out.reserve(users.size());
  for (const storage::User& user : users) out.push_back(UserJson(user, false));
  return out;
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Group.html
json::object GroupJson(const storage::Group& group) {
  return json::object{{"Path", group.path},
                      {"GroupName", group.group_name},
                      {"GroupId", group.group_id},
                      {"Arn", group.arn},
                      {"CreateDate", Timestamp(group.created)}};
}

json::value GroupsPage(const storage::Page<storage::Group>& page) {
  json::array groups;
  groups.reserve(page.items.size());
  for (const storage::Group& group : page.items) groups.push_back(GroupJson(group));
  json::object out{{"Groups", std::move(groups)}};
  AddPageFields(out, page.next_marker);
  return out;
}

std::string_view StatusOf(bool active) { return active ? "Active" : "Inactive"; }

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyMetadata.html. Keys of the root
// user carry no UserName.
json::object AccessKeyMetadataJson(const AccessKeyMetadata& key) {
  json::object out;
  if (!key.user_name.empty()) out["UserName"] = key.user_name;
  out["AccessKeyId"] = key.access_key_id;
  out["Status"] = StatusOf(key.active);
  out["CreateDate"] = Timestamp(key.created);
  return out;
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_LoginProfile.html
json::object LoginProfileJson(const storage::LoginProfile& profile) {
  return json::object{{"UserName", profile.user_name},
                      {"CreateDate", Timestamp(profile.created)},
                      {"PasswordResetRequired", profile.password_reset_required}};
}

// The resource of operations on the user named by `member`, or on the caller when it is absent.
ResourceResolver UserNamed(UsersService& service) {
  return [&service](const RequestContext& context, const json::object& input) {
    const std::optional<std::string> name = OptionalString(input, kUserName);
    return service.UserResource(context.principal, ViewOf(name));
  };
}

ResourceResolver GroupNamed(UsersService& service) {
  return [&service](const RequestContext& context, const json::object& input) {
    return service.GroupResource(context.principal, StringOr(input, kGroupName, ""));
  };
}

void AddUserRows(UsersService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreateUser",
      .iam_action = "iam:CreateUser",
      .skip_authorization = false,
      .resource =
          [](const RequestContext& context, const json::object& input) {
            return UserArn(context.principal.account_id, StringOr(input, "Path", "/"),
                           StringOr(input, kUserName, ""));
          },
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto user = service.CreateUser(
            context.principal,
            CreateUserRequest{.user_name = StringOr(input, kUserName, ""),
                              .path = StringOr(input, "Path", "/"),
                              .permissions_boundary = StringOr(input, "PermissionsBoundary", ""),
                              .tags = TagList(input, "Tags")});
        if (!user) return Fail(user.error());
        return json::object{{"User", UserJson(*user, true)}};
      }});
  rows.push_back(
      OperationRow{.name = "GetUser",
                   .iam_action = "iam:GetUser",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     const std::optional<std::string> name = OptionalString(input, kUserName);
                     auto user = service.GetUser(context.principal, ViewOf(name));
                     if (!user) return Fail(user.error());
                     return json::object{{"User", UserJson(*user, true)}};
                   }});
  rows.push_back(OperationRow{
      .name = "ListUsers",
      .iam_action = "iam:ListUsers",
      .skip_authorization = false,
      .resource = ListedUnder("user"),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto users =
            service.ListUsers(context.principal, StringOr(input, "PathPrefix", ""), PageOf(input));
        if (!users) return Fail(users.error());
        json::object out{{"Users", UsersJson(users->items)}};
        AddPageFields(out, users->next_marker);
        return out;
      }});
  rows.push_back(OperationRow{
      .name = "UpdateUser",
      .iam_action = "iam:UpdateUser",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::optional<std::string> new_name = OptionalString(input, "NewUserName");
        const std::optional<std::string> new_path = OptionalString(input, "NewPath");
        return NoOutput(service.UpdateUser(context.principal, StringOr(input, kUserName, ""),
                                           ViewOf(new_name), ViewOf(new_path)));
      }});
  rows.push_back(OperationRow{
      .name = "DeleteUser",
      .iam_action = "iam:DeleteUser",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.DeleteUser(context.principal, StringOr(input, kUserName, "")));
      }});
  rows.push_back(
      OperationRow{.name = "PutUserPermissionsBoundary",
                   .iam_action = "iam:PutUserPermissionsBoundary",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     return NoOutput(service.PutUserPermissionsBoundary(
                         context.principal, StringOr(input, kUserName, ""),
                         StringOr(input, "PermissionsBoundary", "")));
                   }});
  rows.push_back(
      OperationRow{.name = "DeleteUserPermissionsBoundary",
                   .iam_action = "iam:DeleteUserPermissionsBoundary",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     return NoOutput(service.DeleteUserPermissionsBoundary(
                         context.principal, StringOr(input, kUserName, "")));
                   }});
  rows.push_back(OperationRow{
      .name = "TagUser",
      .iam_action = "iam:TagUser",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.TagUser(context.principal, StringOr(input, kUserName, ""),
                                        TagList(input, "Tags")));
      }});
  rows.push_back(OperationRow{
      .name = "UntagUser",
      .iam_action = "iam:UntagUser",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.UntagUser(context.principal, StringOr(input, kUserName, ""),
                                          StringList(input, "TagKeys")));
      }});
  rows.push_back(OperationRow{
      .name = "ListUserTags",
      .iam_action = "iam:ListUserTags",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto tags =
            service.ListUserTags(context.principal, StringOr(input, kUserName, ""), PageOf(input));
        if (!tags) return Fail(tags.error());
        json::object out{{"Tags", TagsJson(tags->items)}};
        AddPageFields(out, tags->next_marker);
        return out;
      }});
}

void AddGroupRows(UsersService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreateGroup",
      .iam_action = "iam:CreateGroup",
      .skip_authorization = false,
      .resource =
          [](const RequestContext& context, const json::object& input) {
            return GroupArn(context.principal.account_id, StringOr(input, "Path", "/"),
                            StringOr(input, kGroupName, ""));
          },
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto group = service.CreateGroup(context.principal, StringOr(input, kGroupName, ""),
                                         StringOr(input, "Path", "/"));
        if (!group) return Fail(group.error());
        return json::object{{"Group", GroupJson(*group)}};
      }});
  rows.push_back(OperationRow{
      .name = "GetGroup",
      .iam_action = "iam:GetGroup",
      .skip_authorization = false,
      .resource = GroupNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto group =
            service.GetGroup(context.principal, StringOr(input, kGroupName, ""), PageOf(input));
        if (!group) return Fail(group.error());
        json::object out{{"Group", GroupJson(group->group)},
                         {"Users", UsersJson(group->users.items)}};
        AddPageFields(out, group->users.next_marker);
        return out;
      }});
  rows.push_back(OperationRow{
      .name = "ListGroups",
      .iam_action = "iam:ListGroups",
      .skip_authorization = false,
      .resource = ListedUnder("group"),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto groups =
            service.ListGroups(context.principal, StringOr(input, "PathPrefix", ""), PageOf(input));
        if (!groups) return Fail(groups.error());
        return GroupsPage(*groups);
      }});
  rows.push_back(OperationRow{
      .name = "UpdateGroup",
      .iam_action = "iam:UpdateGroup",
      .skip_authorization = false,
      .resource = GroupNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::optional<std::string> new_name = OptionalString(input, "NewGroupName");
        const std::optional<std::string> new_path = OptionalString(input, "NewPath");
        return NoOutput(service.UpdateGroup(context.principal, StringOr(input, kGroupName, ""),
                                            ViewOf(new_name), ViewOf(new_path)));
      }});
  rows.push_back(OperationRow{
      .name = "DeleteGroup",
      .iam_action = "iam:DeleteGroup",
      .skip_authorization = false,
      .resource = GroupNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.DeleteGroup(context.principal, StringOr(input, kGroupName, "")));
      }});
  rows.push_back(OperationRow{
      .name = "AddUserToGroup",
      .iam_action = "iam:AddUserToGroup",
      .skip_authorization = false,
      .resource = GroupNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.AddUserToGroup(context.principal, StringOr(input, kGroupName, ""),
                                               StringOr(input, kUserName, "")));
      }});
  rows.push_back(OperationRow{
      .name = "RemoveUserFromGroup",
      .iam_action = "iam:RemoveUserFromGroup",
      .skip_authorization = false,
      .resource = GroupNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.RemoveUserFromGroup(
            context.principal, StringOr(input, kGroupName, ""), StringOr(input, kUserName, "")));
      }});
  rows.push_back(
      OperationRow{.name = "ListGroupsForUser",
                   .iam_action = "iam:ListGroupsForUser",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     auto groups = service.ListGroupsForUser(
                         context.principal, StringOr(input, kUserName, ""), PageOf(input));
                     if (!groups) return Fail(groups.error());
                     return GroupsPage(*groups);
                   }});
}

void AddAccessKeyRows(UsersService& service, std::vector<OperationRow>& rows) {
  rows.push_back(
      OperationRow{.name = "CreateAccessKey",
                   .iam_action = "iam:CreateAccessKey",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     const std::optional<std::string> name = OptionalString(input, kUserName);
                     auto key = service.CreateAccessKey(context.principal, ViewOf(name));
                     if (!key) return Fail(key.error());
                     // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKey.html
                     json::object out;
                     if (!key->metadata.user_name.empty())
                       out["UserName"] = key->metadata.user_name;
                     out["AccessKeyId"] = key->metadata.access_key_id;
                     out["Status"] = StatusOf(key->metadata.active);
                     out["SecretAccessKey"] = key->secret_access_key;
                     out["CreateDate"] = Timestamp(key->metadata.created);
                     return json::object{{"AccessKey", std::move(out)}};
                   }});
  rows.push_back(OperationRow{
      .name = "ListAccessKeys",
      .iam_action = "iam:ListAccessKeys",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::optional<std::string> name = OptionalString(input, kUserName);
        auto keys = service.ListAccessKeys(context.principal, ViewOf(name), PageOf(input));
        if (!keys) return Fail(keys.error());
        json::array metadata;
        metadata.reserve(keys->items.size());
        for (const AccessKeyMetadata& key : keys->items) {
          metadata.push_back(AccessKeyMetadataJson(key));
        }
        json::object out{{"AccessKeyMetadata", std::move(metadata)}};
        AddPageFields(out, keys->next_marker);
        return out;
      }});
  rows.push_back(OperationRow{
      .name = "UpdateAccessKey",
      .iam_action = "iam:UpdateAccessKey",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::optional<std::string> name = OptionalString(input, kUserName);
        return NoOutput(service.UpdateAccessKey(context.principal, ViewOf(name),
                                                StringOr(input, "AccessKeyId", ""),
                                                StringOr(input, "Status", "") == "Active"));
      }});
  rows.push_back(
      OperationRow{.name = "DeleteAccessKey",
                   .iam_action = "iam:DeleteAccessKey",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     const std::optional<std::string> name = OptionalString(input, kUserName);
                     return NoOutput(service.DeleteAccessKey(context.principal, ViewOf(name),
                                                             StringOr(input, "AccessKeyId", "")));
                   }});
  rows.push_back(OperationRow{
      .name = "GetAccessKeyLastUsed",
      .iam_action = "iam:GetAccessKeyLastUsed",
      .skip_authorization = false,
      .resource =
          [&service](const RequestContext& context, const json::object& input) {
            return service.AccessKeyResource(context.principal, StringOr(input, "AccessKeyId", ""));
          },
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto use =
            service.GetAccessKeyLastUsed(context.principal, StringOr(input, "AccessKeyId", ""));
        if (!use) return Fail(use.error());
        // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyLastUsed.html:
        // "N/A" and no date while the key was never used.
        json::object last_used;
        if (use->last_used.has_value()) {
          last_used["LastUsedDate"] = Timestamp(use->last_used->time);
          last_used["ServiceName"] = use->last_used->service_name;
          last_used["Region"] = use->last_used->region;
        } else {
          last_used["ServiceName"] = "N/A";
          last_used["Region"] = "N/A";
        }
        json::object out;
        if (!use->user_name.empty()) out["UserName"] = use->user_name;
        out["AccessKeyLastUsed"] = std::move(last_used);
        return out;
      }});
}

void AddLoginProfileRows(UsersService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreateLoginProfile",
      .iam_action = "iam:CreateLoginProfile",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto profile = service.CreateLoginProfile(
            context.principal, StringOr(input, kUserName, ""), StringOr(input, "Password", ""),
            OptionalBool(input, "PasswordResetRequired").value_or(false));
        if (!profile) return Fail(profile.error());
        return json::object{{"LoginProfile", LoginProfileJson(*profile)}};
      }});
  rows.push_back(OperationRow{
      .name = "GetLoginProfile",
      .iam_action = "iam:GetLoginProfile",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto profile = service.GetLoginProfile(context.principal, StringOr(input, kUserName, ""));
        if (!profile) return Fail(profile.error());
        return json::object{{"LoginProfile", LoginProfileJson(*profile)}};
      }});
  rows.push_back(OperationRow{
      .name = "UpdateLoginProfile",
      .iam_action = "iam:UpdateLoginProfile",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::optional<std::string> password = OptionalString(input, "Password");
        return NoOutput(service.UpdateLoginProfile(context.principal,
                                                   StringOr(input, kUserName, ""), ViewOf(password),
                                                   OptionalBool(input, "PasswordResetRequired")));
      }});
  rows.push_back(
      OperationRow{.name = "DeleteLoginProfile",
                   .iam_action = "iam:DeleteLoginProfile",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     return NoOutput(service.DeleteLoginProfile(context.principal,
                                                                StringOr(input, kUserName, "")));
                   }});
}

}  // namespace

void AddUsersOperations(UsersService& service, std::vector<OperationRow>& rows) {
  AddUserRows(service, rows);
  AddGroupRows(service, rows);
  AddAccessKeyRows(service, rows);
  AddLoginProfileRows(service, rows);
}

}  // namespace fulcrum::services::iam
