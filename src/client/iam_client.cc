#include "client/iam_client.h"

#include <fmt/format.h>

#include <set>

namespace fulcrum::client {
namespace {

bool IsNoSuchEntity(const Error& error) { return error.code == "NoSuchEntity"; }

std::vector<Tag> ParseTags(const XmlReader& reader) {
  std::vector<Tag> tags;
  for (const XmlNode* member : reader.Members("Tags")) {
    XmlReader tag(*member, reader.context() + ".Tags.member");
    tags.push_back(
        Tag{tag.OptionalText("Key").value_or(""), tag.OptionalText("Value").value_or("")});
  }
  return tags;
}

User ParseUser(XmlReader& reader) {
  User user{.path = reader.Text("Path"),
            .user_name = reader.Text("UserName"),
            .user_id = reader.Text("UserId"),
            .arn = reader.Text("Arn"),
            .create_date = reader.Time("CreateDate"),
            .password_last_used = reader.OptionalTime("PasswordLastUsed"),
            .permissions_boundary_arn = std::nullopt,
            .tags = ParseTags(reader)};
  if (const XmlNode* boundary = reader.Child("PermissionsBoundary")) {
    user.permissions_boundary_arn = XmlReader(*boundary, reader.context() + ".PermissionsBoundary")
                                        .OptionalText("PermissionsBoundaryArn");
  }
  return user;
}

// The required structure `name` of `reader`, parsed by `parse`; failures land in `reader`.
template <class T, class Parse>
T ParseStructure(XmlReader& reader, std::string_view name, Parse parse) {
  const XmlNode* child = reader.Child(name);
  if (child == nullptr) {
    reader.Missing(name);
    return T{};
  }
  XmlReader nested(*child, fmt::format("{}.{}", reader.context(), name));
  T value = parse(nested);
  reader.Include(nested);
  return value;
}

VirtualMfaDevice ParseVirtualMfaDevice(XmlReader& reader) {
  VirtualMfaDevice device{.serial_number = reader.Text("SerialNumber"),
                          .base32_seed = reader.OptionalBlob("Base32StringSeed").value_or(""),
                          .qr_code_png = reader.OptionalBlob("QRCodePNG").value_or(""),
                          .user = std::nullopt,
                          .enable_date = reader.OptionalTime("EnableDate"),
                          .tags = ParseTags(reader)};
  if (const XmlNode* user = reader.Child("User")) {
    XmlReader user_reader(*user, reader.context() + ".User");
    device.user = ParseUser(user_reader);
    reader.Include(user_reader);
  }
  return device;
}

int ToInt(std::optional<long long> value) { return value ? static_cast<int>(*value) : 0; }

std::optional<int> ToOptionalInt(std::optional<long long> value) {
  if (!value) {
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

// Adds "Name=value" when `value` is set.
void AddOptional(QueryParams& params, std::string_view name,
                 const std::optional<std::string>& value) {
  if (value) {
    params.emplace_back(std::string(name), *value);
  }
}

}  // namespace

IamClient::IamClient(QueryClient& query, ServiceEndpoint endpoint)
    : query_(query), endpoint_(std::move(endpoint)) {}

Result<XmlNode> IamClient::Call(std::string_view action, const QueryParams& params) {
  return query_.Call(endpoint_, kIamApiVersion, action, params);
}

template <class T, class Parse>
Result<std::vector<T>> IamClient::ListAll(std::string_view action, QueryParams params,
                                          std::string_view list_name, Parse parse) {
  std::vector<T> items;
  std::set<std::string> markers_seen;
  const size_t base_size = params.size();
  for (;;) {
    auto result = Call(action, params);
    if (!result) {
      return Fail(result.error());
    }
    XmlReader reader(*result, fmt::format("{}Result", action));
    for (const XmlNode* member : reader.Members(list_name)) {
      XmlReader item(*member, fmt::format("{}Result.{}.member", action, list_name));
      items.push_back(parse(item));
      if (auto ok = item.status(); !ok) {
        return Fail(ok.error());
      }
    }
    const bool truncated = reader.OptionalBool("IsTruncated").value_or(false);
    const auto marker = reader.OptionalText("Marker");
    if (auto ok = reader.status(); !ok) {
      return Fail(ok.error());
    }
    if (!truncated) {
      return items;
    }
    if (!marker || marker->empty() || !markers_seen.insert(*marker).second) {
      return Fail("ResponseParserError",
                  fmt::format("{} said IsTruncated but gave no new Marker", action));
    }
    params.resize(base_size);
    params.emplace_back("Marker", *marker);
  }
}

Result<std::map<std::string, int>> IamClient::GetAccountSummary() {
  auto result = Call("GetAccountSummary", {});
  if (!result) {
    return Fail(result.error());
  }
  std::map<std::string, int> summary;
  XmlReader reader(*result, "GetAccountSummaryResult");
  if (const XmlNode* map = reader.Child("SummaryMap")) {
    for (const auto& [name, entry] : *map) {
      if (name != "entry") {
        continue;
      }
      XmlReader entry_reader(entry, "GetAccountSummaryResult.SummaryMap.entry");
      std::string key = entry_reader.Text("key");
      const int value = ToInt(entry_reader.OptionalInteger("value"));
      if (auto ok = entry_reader.status(); !ok) {
        return Fail(ok.error());
      }
      summary[std::move(key)] = value;
    }
  }
  return summary;
}

Result<User> IamClient::GetUser(const std::optional<std::string>& user_name) {
  QueryParams params;
  AddOptional(params, "UserName", user_name);
  auto result = Call("GetUser", params);
  if (!result) {
    return Fail(result.error());
  }
  XmlReader reader(*result, "GetUserResult");
  User user = ParseStructure<User>(reader, "User", ParseUser);
  if (auto ok = reader.status(); !ok) {
    return Fail(ok.error());
  }
  return user;
}

Result<User> IamClient::CreateUser(const std::string& user_name, const std::string& path,
                                   const std::vector<Tag>& tags) {
  QueryParams params{{"UserName", user_name}, {"Path", path}};
  for (size_t i = 0; i < tags.size(); ++i) {
    params.emplace_back(fmt::format("Tags.member.{}.Key", i + 1), tags[i].key);
    params.emplace_back(fmt::format("Tags.member.{}.Value", i + 1), tags[i].value);
  }
  auto result = Call("CreateUser", params);
  if (!result) {
    return Fail(result.error());
  }
  XmlReader reader(*result, "CreateUserResult");
  User user = ParseStructure<User>(reader, "User", ParseUser);
  if (auto ok = reader.status(); !ok) {
    return Fail(ok.error());
  }
  return user;
}

Result<void> IamClient::AttachUserPolicy(const std::string& user_name,
                                         const std::string& policy_arn) {
  auto result = Call("AttachUserPolicy", {{"UserName", user_name}, {"PolicyArn", policy_arn}});
  if (!result) {
    return Fail(result.error());
  }
  return {};
}

Result<std::vector<AttachedPolicy>> IamClient::ListAttachedUserPolicies(
    const std::string& user_name) {
  return ListAll<AttachedPolicy>(
      "ListAttachedUserPolicies", {{"UserName", user_name}}, "AttachedPolicies",
      [](XmlReader& reader) {
        return AttachedPolicy{.policy_name = reader.OptionalText("PolicyName").value_or(""),
                              .policy_arn = reader.Text("PolicyArn")};
      });
}

Result<std::vector<Group>> IamClient::ListGroupsForUser(const std::string& user_name) {
  return ListAll<Group>("ListGroupsForUser", {{"UserName", user_name}}, "Groups",
                        [](XmlReader& reader) {
                          return Group{.path = reader.Text("Path"),
                                       .group_name = reader.Text("GroupName"),
                                       .group_id = reader.Text("GroupId"),
                                       .arn = reader.Text("Arn"),
                                       .create_date = reader.Time("CreateDate")};
                        });
}

Result<std::optional<LoginProfile>> IamClient::GetLoginProfile(const std::string& user_name) {
  auto result = Call("GetLoginProfile", {{"UserName", user_name}});
  if (!result) {
    if (IsNoSuchEntity(result.error())) {
      return std::nullopt;
    }
    return Fail(result.error());
  }
  XmlReader reader(*result, "GetLoginProfileResult");
  LoginProfile profile =
      ParseStructure<LoginProfile>(reader, "LoginProfile", [](XmlReader& nested) {
        return LoginProfile{.user_name = nested.Text("UserName"),
                            .create_date = nested.Time("CreateDate"),
                            .password_reset_required =
                                nested.OptionalBool("PasswordResetRequired").value_or(false)};
      });
  if (auto ok = reader.status(); !ok) {
    return Fail(ok.error());
  }
  return profile;
}

Result<void> IamClient::DeleteLoginProfile(const std::string& user_name) {
  auto result = Call("DeleteLoginProfile", {{"UserName", user_name}});
  if (!result) {
    return Fail(result.error());
  }
  return {};
}

Result<AccessKey> IamClient::CreateAccessKey(const std::optional<std::string>& user_name) {
  QueryParams params;
  AddOptional(params, "UserName", user_name);
  auto result = Call("CreateAccessKey", params);
  if (!result) {
    return Fail(result.error());
  }
  XmlReader reader(*result, "CreateAccessKeyResult");
  AccessKey key = ParseStructure<AccessKey>(reader, "AccessKey", [](XmlReader& nested) {
    return AccessKey{.user_name = nested.Text("UserName"),
                     .access_key_id = nested.Text("AccessKeyId"),
                     .status = nested.Text("Status"),
                     .secret_access_key = nested.Text("SecretAccessKey"),
                     .create_date = nested.OptionalTime("CreateDate")};
  });
  if (auto ok = reader.status(); !ok) {
    return Fail(ok.error());
  }
  return key;
}

Result<std::vector<AccessKeyMetadata>> IamClient::ListAccessKeys(
    const std::optional<std::string>& user_name) {
  QueryParams params;
  AddOptional(params, "UserName", user_name);
  return ListAll<AccessKeyMetadata>(
      "ListAccessKeys", std::move(params), "AccessKeyMetadata", [](XmlReader& reader) {
        return AccessKeyMetadata{.user_name = reader.OptionalText("UserName").value_or(""),
                                 .access_key_id = reader.Text("AccessKeyId"),
                                 .status = reader.OptionalText("Status").value_or(""),
                                 .create_date = reader.OptionalTime("CreateDate")};
      });
}

Result<AccessKeyLastUsed> IamClient::GetAccessKeyLastUsed(const std::string& access_key_id) {
  auto result = Call("GetAccessKeyLastUsed", {{"AccessKeyId", access_key_id}});
  if (!result) {
    return Fail(result.error());
  }
  XmlReader reader(*result, "GetAccessKeyLastUsedResult");
  AccessKeyLastUsed last_used{.user_name = reader.OptionalText("UserName").value_or(""),
                              .last_used_date = std::nullopt,
                              .service_name = {},
                              .region = {}};
  if (const XmlNode* node = reader.Child("AccessKeyLastUsed")) {
    XmlReader nested(*node, "GetAccessKeyLastUsedResult.AccessKeyLastUsed");
    last_used.last_used_date = nested.OptionalTime("LastUsedDate");
    last_used.service_name = nested.OptionalText("ServiceName").value_or("");
    last_used.region = nested.OptionalText("Region").value_or("");
    if (auto ok = nested.status(); !ok) {
      return Fail(ok.error());
    }
  }
  if (auto ok = reader.status(); !ok) {
    return Fail(ok.error());
  }
  return last_used;
}

Result<void> IamClient::DeleteAccessKey(const std::string& access_key_id,
                                        const std::optional<std::string>& user_name) {
  QueryParams params{{"AccessKeyId", access_key_id}};
  AddOptional(params, "UserName", user_name);
  auto result = Call("DeleteAccessKey", params);
  if (!result) {
    return Fail(result.error());
  }
  return {};
}

Result<std::optional<PasswordPolicy>> IamClient::GetAccountPasswordPolicy() {
  auto result = Call("GetAccountPasswordPolicy", {});
  if (!result) {
    if (IsNoSuchEntity(result.error())) {
      return std::nullopt;
    }
    return Fail(result.error());
  }
  XmlReader reader(*result, "GetAccountPasswordPolicyResult");
  PasswordPolicy policy =
      ParseStructure<PasswordPolicy>(reader, "PasswordPolicy", [](XmlReader& nested) {
        const auto flag = [&nested](std::string_view name) {
          return nested.OptionalBool(name).value_or(false);
        };
        return PasswordPolicy{
            .minimum_password_length =
                ToOptionalInt(nested.OptionalInteger("MinimumPasswordLength")),
            .require_symbols = flag("RequireSymbols"),
            .require_numbers = flag("RequireNumbers"),
            .require_uppercase_characters = flag("RequireUppercaseCharacters"),
            .require_lowercase_characters = flag("RequireLowercaseCharacters"),
            .allow_users_to_change_password = flag("AllowUsersToChangePassword"),
            .expire_passwords = flag("ExpirePasswords"),
            .max_password_age = ToOptionalInt(nested.OptionalInteger("MaxPasswordAge")),
            .password_reuse_prevention =
                ToOptionalInt(nested.OptionalInteger("PasswordReusePrevention")),
            .hard_expiry = flag("HardExpiry")};
      });
  if (auto ok = reader.status(); !ok) {
    return Fail(ok.error());
  }
  return policy;
}

Result<VirtualMfaDevice> IamClient::CreateVirtualMfaDevice(
    const std::string& virtual_mfa_device_name, const std::string& path) {
  auto result = Call("CreateVirtualMFADevice",
                     {{"VirtualMFADeviceName", virtual_mfa_device_name}, {"Path", path}});
  if (!result) {
    return Fail(result.error());
  }
  XmlReader reader(*result, "CreateVirtualMFADeviceResult");
  VirtualMfaDevice device =
      ParseStructure<VirtualMfaDevice>(reader, "VirtualMFADevice", ParseVirtualMfaDevice);
  if (auto ok = reader.status(); !ok) {
    return Fail(ok.error());
  }
  return device;
}

Result<void> IamClient::EnableMfaDevice(const std::string& user_name,
                                        const std::string& serial_number,
                                        const std::string& authentication_code1,
                                        const std::string& authentication_code2) {
  auto result = Call("EnableMFADevice", {{"UserName", user_name},
                                         {"SerialNumber", serial_number},
                                         {"AuthenticationCode1", authentication_code1},
                                         {"AuthenticationCode2", authentication_code2}});
  if (!result) {
    return Fail(result.error());
  }
  return {};
}

Result<std::vector<MfaDevice>> IamClient::ListMfaDevices(
    const std::optional<std::string>& user_name) {
  QueryParams params;
  AddOptional(params, "UserName", user_name);
  return ListAll<MfaDevice>("ListMFADevices", std::move(params), "MFADevices",
                            [](XmlReader& reader) {
                              return MfaDevice{.user_name = reader.Text("UserName"),
                                               .serial_number = reader.Text("SerialNumber"),
                                               .enable_date = reader.Time("EnableDate")};
                            });
}

Result<std::vector<VirtualMfaDevice>> IamClient::ListVirtualMfaDevices(MfaAssignment assignment) {
  QueryParams params;
  switch (assignment) {
    case MfaAssignment::kAny:
      break;
    case MfaAssignment::kAssigned:
      params.emplace_back("AssignmentStatus", "Assigned");
      break;
    case MfaAssignment::kUnassigned:
      params.emplace_back("AssignmentStatus", "Unassigned");
      break;
  }
  return ListAll<VirtualMfaDevice>("ListVirtualMFADevices", std::move(params), "VirtualMFADevices",
                                   ParseVirtualMfaDevice);
}

Result<void> IamClient::DeleteVirtualMfaDevice(const std::string& serial_number) {
  auto result = Call("DeleteVirtualMFADevice", {{"SerialNumber", serial_number}});
  if (!result) {
    return Fail(result.error());
  }
  return {};
}

}  // namespace fulcrum::client
