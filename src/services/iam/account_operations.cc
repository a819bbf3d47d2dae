// The operation rows of the account settings area: documents in, typed calls, documents out.
// Shapes: the IAM model (models/iam-2010-05-08.json).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/encoding.h"
#include "services/iam/account_settings.h"
#include "services/iam/binding.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

// Every account settings operation acts on the account itself, which IAM authorizes as "*".
// Policy documents in GetAccountAuthorizationDetails are URL-encoded (RFC 3986), as AWS sends
// them: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
json::string EncodedDocument(std::string_view document) {
  return json::string(PercentEncode(document));
}

json::array InlinePoliciesJson(const std::vector<storage::InlinePolicy>& policies) {
  json::array out;
  for (const storage::InlinePolicy& policy : policies) {
    out.push_back(json::object{{"PolicyName", policy.policy_name},
                               {"PolicyDocument", EncodedDocument(policy.document)}});
  }
  return out;
}

json::array AttachedPoliciesJson(
    const std::vector<AuthorizationDetails::AttachedPolicy>& policies) {
  json::array out;
  for (const auto& policy : policies) {
    out.push_back(
        json::object{{"PolicyName", policy.policy_name}, {"PolicyArn", policy.policy_arn}});
  }
  return out;
}

void AddBoundary(json::object& out, const std::string& boundary_arn) {
  if (boundary_arn.empty()) return;
  out["PermissionsBoundary"] =
      json::object{{"PermissionsBoundaryType", "PermissionsBoundaryPolicy"},
                   {"PermissionsBoundaryArn", boundary_arn}};
}

void AddTags(json::object& out, const storage::Tags& tags) {
  if (!tags.empty()) out["Tags"] = TagsJson(tags);
}

json::object UserDetailJson(const AuthorizationDetails::User& detail) {
  const storage::User& user = detail.user;
  json::object out{{"Path", user.path},
                   {"UserName", user.user_name},
                   {"UserId", user.user_id},
                   {"Arn", user.arn},
                   {"CreateDate", Timestamp(user.created)},
                   {"UserPolicyList", InlinePoliciesJson(detail.inline_policies)}};
  json::array groups;
  for (const std::string& name : detail.group_names) groups.push_back(json::string(name));
  out["GroupList"] = std::move(groups);
  out["AttachedManagedPolicies"] = AttachedPoliciesJson(detail.attached_policies);
  AddBoundary(out, user.permissions_boundary_arn);
  AddTags(out, user.tags);
  return out;
}

json::object GroupDetailJson(const AuthorizationDetails::Group& detail) {
  const storage::Group& group = detail.group;
  return json::object{{"Path", group.path},
                      {"GroupName", group.group_name},
                      {"GroupId", group.group_id},
                      {"Arn", group.arn},
                      {"CreateDate", Timestamp(group.created)},
                      {"GroupPolicyList", InlinePoliciesJson(detail.inline_policies)},
                      {"AttachedManagedPolicies", AttachedPoliciesJson(detail.attached_policies)}};
}

json::object RoleDetailJson(const AuthorizationDetails::Role& detail) {
  const storage::Role& role = detail.role;
  json::object out{{"Path", role.path},
                   {"RoleName", role.role_name},
                   {"RoleId", role.role_id},
                   {"Arn", role.arn},
                   {"CreateDate", Timestamp(role.created)},
                   {"AssumeRolePolicyDocument", EncodedDocument(role.assume_role_policy_document)},
                   // Instance profiles are not supported: a role is in none.
                   {"InstanceProfileList", json::array()},
                   {"RolePolicyList", InlinePoliciesJson(detail.inline_policies)},
                   {"AttachedManagedPolicies", AttachedPoliciesJson(detail.attached_policies)}};
  AddBoundary(out, role.permissions_boundary_arn);
  AddTags(out, role.tags);
  json::object last_used;
  if (role.last_used) {
    last_used["LastUsedDate"] = Timestamp(role.last_used->time);
    if (!role.last_used->region.empty()) last_used["Region"] = role.last_used->region;
  }
  out["RoleLastUsed"] = std::move(last_used);
  return out;
}

json::object PolicyDetailJson(const AuthorizationDetails::Policy& detail) {
  const storage::ManagedPolicy& policy = detail.policy;
  json::object out{{"PolicyName", policy.policy_name},
                   {"PolicyId", policy.policy_id},
                   {"Arn", policy.arn},
                   {"Path", policy.path},
                   {"DefaultVersionId", policy.default_version_id},
                   {"AttachmentCount", policy.attachment_count},
                   {"PermissionsBoundaryUsageCount", policy.permissions_boundary_usage_count},
                   {"IsAttachable", policy.is_attachable}};
  if (!policy.description.empty()) out["Description"] = policy.description;
  out["CreateDate"] = Timestamp(policy.created);
  out["UpdateDate"] = Timestamp(policy.updated);
  json::array versions;
  for (const storage::PolicyVersion& version : detail.versions) {
    versions.push_back(json::object{{"Document", EncodedDocument(version.document)},
                                    {"VersionId", version.version_id},
                                    {"IsDefaultVersion", version.is_default},
                                    {"CreateDate", Timestamp(version.created)}});
  }
  out["PolicyVersionList"] = std::move(versions);
  return out;
}

json::object PasswordPolicyJson(const storage::PasswordPolicy& policy) {
  json::object out{{"MinimumPasswordLength", policy.minimum_password_length},
                   {"RequireSymbols", policy.require_symbols},
                   {"RequireNumbers", policy.require_numbers},
                   {"RequireUppercaseCharacters", policy.require_uppercase_characters},
                   {"RequireLowercaseCharacters", policy.require_lowercase_characters},
                   {"AllowUsersToChangePassword", policy.allow_users_to_change_password},
                   {"ExpirePasswords", policy.max_password_age.has_value()}};
  if (policy.max_password_age) out["MaxPasswordAge"] = *policy.max_password_age;
  if (policy.password_reuse_prevention) {
    out["PasswordReusePrevention"] = *policy.password_reuse_prevention;
  }
  if (policy.hard_expiry) out["HardExpiry"] = *policy.hard_expiry;
  return out;
}

// A handler whose typed call returns Result<void> and whose operation has no output.
template <class Call>
Handler NoOutput(Call call) {
  return [call](const RequestContext& context, const json::object& input) -> Result<json::value> {
    if (auto done = call(context, input); !done) return Fail(done.error());
    return json::object();
  };
}

}  // namespace

void AddAccountOperations(AccountSettingsService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreateAccountAlias",
      .iam_action = "iam:CreateAccountAlias",
      .resource = AnyResource,
      .handler = NoOutput([&service](const RequestContext& context, const json::object& input) {
        return service.CreateAccountAlias(context.principal.account_id,
                                          StringOr(input, "AccountAlias", ""));
      })});
  rows.push_back(OperationRow{
      .name = "DeleteAccountAlias",
      .iam_action = "iam:DeleteAccountAlias",
      .resource = AnyResource,
      .handler = NoOutput([&service](const RequestContext& context, const json::object& input) {
        return service.DeleteAccountAlias(context.principal.account_id,
                                          StringOr(input, "AccountAlias", ""));
      })});
  rows.push_back(
      OperationRow{.name = "ListAccountAliases",
                   .iam_action = "iam:ListAccountAliases",
                   .resource = AnyResource,
                   .handler = [&service](const RequestContext& context,
                                         const json::object& /*input*/) -> Result<json::value> {
                     auto aliases = service.ListAccountAliases(context.principal.account_id);
                     if (!aliases) return Fail(aliases.error());
                     json::array list;
                     for (const std::string& alias : *aliases) list.push_back(json::string(alias));
                     json::object out{{"AccountAliases", std::move(list)}};
                     AddPageFields(out, "");
                     return out;
                   }});

  rows.push_back(
      OperationRow{.name = "GetAccountPasswordPolicy",
                   .iam_action = "iam:GetAccountPasswordPolicy",
                   .resource = AnyResource,
                   .handler = [&service](const RequestContext& context,
                                         const json::object& /*input*/) -> Result<json::value> {
                     auto policy = service.GetAccountPasswordPolicy(context.principal.account_id);
                     if (!policy) return Fail(policy.error());
                     return json::object{{"PasswordPolicy", PasswordPolicyJson(*policy)}};
                   }});
  rows.push_back(OperationRow{
      .name = "UpdateAccountPasswordPolicy",
      .iam_action = "iam:UpdateAccountPasswordPolicy",
      .resource = AnyResource,
      .handler = NoOutput([&service](const RequestContext& context, const json::object& input) {
        const AccountPasswordPolicyUpdate update{
            .minimum_password_length = OptionalInteger(input, "MinimumPasswordLength"),
            .require_symbols = OptionalBool(input, "RequireSymbols"),
            .require_numbers = OptionalBool(input, "RequireNumbers"),
            .require_uppercase_characters = OptionalBool(input, "RequireUppercaseCharacters"),
            .require_lowercase_characters = OptionalBool(input, "RequireLowercaseCharacters"),
            .allow_users_to_change_password = OptionalBool(input, "AllowUsersToChangePassword"),
            .max_password_age = OptionalInteger(input, "MaxPasswordAge"),
            .password_reuse_prevention = OptionalInteger(input, "PasswordReusePrevention"),
            .hard_expiry = OptionalBool(input, "HardExpiry")};
        return service.UpdateAccountPasswordPolicy(context.principal.account_id, update);
      })});
  rows.push_back(OperationRow{
      .name = "DeleteAccountPasswordPolicy",
      .iam_action = "iam:DeleteAccountPasswordPolicy",
      .resource = AnyResource,
      .handler = NoOutput([&service](const RequestContext& context, const json::object& /*input*/) {
        return service.DeleteAccountPasswordPolicy(context.principal.account_id);
      })});

  rows.push_back(
      OperationRow{.name = "GetAccountSummary",
                   .iam_action = "iam:GetAccountSummary",
                   .resource = AnyResource,
                   .handler = [&service](const RequestContext& context,
                                         const json::object& /*input*/) -> Result<json::value> {
                     auto summary = service.GetAccountSummary(context.principal.account_id);
                     if (!summary) return Fail(summary.error());
                     json::object map;
                     for (const auto& [key, value] : summary->entries) map[key] = value;
                     return json::object{{"SummaryMap", std::move(map)}};
                   }});

  rows.push_back(OperationRow{
      .name = "GenerateCredentialReport",
      .iam_action = "iam:GenerateCredentialReport",
      .resource = AnyResource,
      .handler = [&service](const RequestContext& context,
                            const json::object& /*input*/) -> Result<json::value> {
        auto generation = service.GenerateCredentialReport(context.principal.account_id);
        if (!generation) return Fail(generation.error());
        json::object out{{"State", generation->state}};
        if (generation->description) out["Description"] = *generation->description;
        return out;
      }});
  rows.push_back(
      OperationRow{.name = "GetCredentialReport",
                   .iam_action = "iam:GetCredentialReport",
                   .resource = AnyResource,
                   .handler = [&service](const RequestContext& context,
                                         const json::object& /*input*/) -> Result<json::value> {
                     auto report = service.GetCredentialReport(context.principal.account_id);
                     if (!report) return Fail(report.error());
                     return json::object{{"Content", report->content},
                                         {"ReportFormat", "text/csv"},
                                         {"GeneratedTime", Timestamp(report->generated)}};
                   }});

  rows.push_back(OperationRow{
      .name = "GetAccountAuthorizationDetails",
      .iam_action = "iam:GetAccountAuthorizationDetails",
      .resource = AnyResource,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const AuthorizationDetailsRequest request{.filter = StringList(input, "Filter"),
                                                  .page = PageOf(input)};
        auto details =
            service.GetAccountAuthorizationDetails(context.principal.account_id, request);
        if (!details) return Fail(details.error());
        json::array users;
        for (const auto& user : details->users) users.push_back(UserDetailJson(user));
        json::array groups;
        for (const auto& group : details->groups) groups.push_back(GroupDetailJson(group));
        json::array roles;
        for (const auto& role : details->roles) roles.push_back(RoleDetailJson(role));
        json::array policies;
        for (const auto& policy : details->policies) policies.push_back(PolicyDetailJson(policy));
        json::object out{{"UserDetailList", std::move(users)},
                         {"GroupDetailList", std::move(groups)},
                         {"RoleDetailList", std::move(roles)},
                         {"Policies", std::move(policies)}};
        AddPageFields(out, details->next_marker);
        return out;
      }});
}

}  // namespace fulcrum::services::iam
