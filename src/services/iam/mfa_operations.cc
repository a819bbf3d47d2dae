// The operation rows of the MFA area: each binds the model's input members to an MfaService
// method and its result to the model's output shape.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html
// Resources follow the Service Authorization Reference for IAM: the device ARN (its serial number)
// for device operations, the user ARN for operations on a user's devices.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "services/iam/binding.h"
#include "services/iam/mfa.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kUserName = "UserName";
constexpr std::string_view kSerialNumber = "SerialNumber";

MfaCodePair CodePairOf(const json::object& input) {
  return MfaCodePair{.user_name = StringOr(input, kUserName, ""),
                     .serial_number = StringOr(input, kSerialNumber, ""),
                     .authentication_code1 = StringOr(input, "AuthenticationCode1", ""),
                     .authentication_code2 = StringOr(input, "AuthenticationCode2", "")};
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html as a virtual device's User:
// the root user has no Path or UserName, as AWS answers.
json::object OwnerJson(const MfaDeviceOwner& owner) {
  json::object out;
  if (!owner.path.empty()) {
    out["Path"] = owner.path;
  }
  if (!owner.user_name.empty()) {
    out["UserName"] = owner.user_name;
  }
  out["UserId"] = owner.user_id;
  out["Arn"] = owner.arn;
  out["CreateDate"] = Timestamp(owner.created);
  if (owner.password_last_used.has_value()) {
    out["PasswordLastUsed"] = Timestamp(*owner.password_last_used);
  }
  return out;
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html, without seed and
// QR code.
json::object VirtualDeviceJson(const VirtualMfaDeviceEntry& device) {
  json::object out{{"SerialNumber", device.serial_number}};
  if (device.user.has_value()) {
    out["User"] = OwnerJson(*device.user);
  }
  if (device.enable_date.has_value()) {
    out["EnableDate"] = Timestamp(*device.enable_date);
  }
  return out;
}

// The resource of operations on the user named by UserName, or on the caller when it is absent.
ResourceResolver UserNamed(MfaService& service) {
  return [&service](const RequestContext& context, const json::object& input) {
    const std::optional<std::string> name = OptionalString(input, kUserName);
    return service.UserResource(context.principal, ViewOf(name));
  };
}

// The resource of operations on the device named by SerialNumber: its ARN.
std::string DeviceNamed(const RequestContext& /*context*/, const json::object& input) {
  return StringOr(input, kSerialNumber, "*");
}

}  // namespace

void AddMfaOperations(MfaService& service, std::vector<OperationRow>& rows) {
  rows.push_back(OperationRow{
      .name = "CreateVirtualMFADevice",
      .iam_action = "iam:CreateVirtualMFADevice",
      .skip_authorization = false,
      .resource =
          [](const RequestContext& context, const json::object& input) {
            return MfaSerialNumber(context.principal.account_id, StringOr(input, "Path", "/"),
                                   StringOr(input, "VirtualMFADeviceName", ""));
          },
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const CreateVirtualMfaDeviceRequest request{
            .device_name = StringOr(input, "VirtualMFADeviceName", ""),
            .path = StringOr(input, "Path", "/"),
            .tags = TagList(input, "Tags")};
        auto created = service.CreateVirtualMfaDevice(context.principal, request);
        if (!created) {
          return Fail(created.error());
        }
        // Blobs are raw bytes here; the codec base64-encodes them.
        json::object device{{"SerialNumber", created->serial_number},
                            {"Base32StringSeed", created->base32_seed},
                            {"QRCodePNG", created->qr_code_png}};
        if (!created->tags.empty()) {
          device["Tags"] = TagsJson(created->tags);
        }
        return json::object{{"VirtualMFADevice", std::move(device)}};
      }});

  rows.push_back(
      OperationRow{.name = "EnableMFADevice",
                   .iam_action = "iam:EnableMFADevice",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     return NoOutput(service.EnableMfaDevice(context.principal, CodePairOf(input)));
                   }});

  rows.push_back(OperationRow{
      .name = "DeactivateMFADevice",
      .iam_action = "iam:DeactivateMFADevice",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.DeactivateMfaDevice(
            context.principal, StringOr(input, kUserName, ""), StringOr(input, kSerialNumber, "")));
      }});

  rows.push_back(
      OperationRow{.name = "ResyncMFADevice",
                   .iam_action = "iam:ResyncMFADevice",
                   .skip_authorization = false,
                   .resource = UserNamed(service),
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     return NoOutput(service.ResyncMfaDevice(context.principal, CodePairOf(input)));
                   }});

  rows.push_back(
      OperationRow{.name = "DeleteVirtualMFADevice",
                   .iam_action = "iam:DeleteVirtualMFADevice",
                   .skip_authorization = false,
                   .resource = DeviceNamed,
                   .handler = [&service](const RequestContext& context,
                                         const json::object& input) -> Result<json::value> {
                     return NoOutput(service.DeleteVirtualMfaDevice(
                         context.principal, StringOr(input, kSerialNumber, "")));
                   }});

  rows.push_back(OperationRow{
      .name = "ListMFADevices",
      .iam_action = "iam:ListMFADevices",
      .skip_authorization = false,
      .resource = UserNamed(service),
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::optional<std::string> name = OptionalString(input, kUserName);
        auto page = service.ListMfaDevices(context.principal, ViewOf(name), PageOf(input));
        if (!page) {
          return Fail(page.error());
        }
        json::array devices;
        devices.reserve(page->items.size());
        for (const MfaDeviceEntry& device : page->items) {
          devices.push_back(json::object{{"UserName", device.user_name},
                                         {"SerialNumber", device.serial_number},
                                         {"EnableDate", Timestamp(device.enable_date)}});
        }
        json::object out{{"MFADevices", std::move(devices)}};
        AddPageFields(out, page->next_marker);
        return out;
      }});

  rows.push_back(OperationRow{
      .name = "ListVirtualMFADevices",
      .iam_action = "iam:ListVirtualMFADevices",
      .skip_authorization = false,
      // AWS names the account's MFA path in AccessDenied: "on resource: arn:aws:iam::<id>:mfa/".
      .resource =
          [](const RequestContext& context, const json::object& /*input*/) {
            return MfaSerialNumber(context.principal.account_id, "/", "");
          },
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        const std::string status = StringOr(input, "AssignmentStatus", "Any");
        const storage::MfaAssignment assignment =
            status == "Assigned"     ? storage::MfaAssignment::kAssigned
            : status == "Unassigned" ? storage::MfaAssignment::kUnassigned
                                     : storage::MfaAssignment::kAny;
        auto page = service.ListVirtualMfaDevices(context.principal, assignment, PageOf(input));
        if (!page) {
          return Fail(page.error());
        }
        json::array devices;
        devices.reserve(page->items.size());
        for (const VirtualMfaDeviceEntry& device : page->items) {
          devices.push_back(VirtualDeviceJson(device));
        }
        json::object out{{"VirtualMFADevices", std::move(devices)}};
        AddPageFields(out, page->next_marker);
        return out;
      }});

  rows.push_back(OperationRow{
      .name = "TagMFADevice",
      .iam_action = "iam:TagMFADevice",
      .skip_authorization = false,
      .resource = DeviceNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.TagMfaDevice(context.principal, StringOr(input, kSerialNumber, ""),
                                             TagList(input, "Tags")));
      }});

  rows.push_back(OperationRow{
      .name = "UntagMFADevice",
      .iam_action = "iam:UntagMFADevice",
      .skip_authorization = false,
      .resource = DeviceNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        return NoOutput(service.UntagMfaDevice(
            context.principal, StringOr(input, kSerialNumber, ""), StringList(input, "TagKeys")));
      }});

  rows.push_back(OperationRow{
      .name = "ListMFADeviceTags",
      .iam_action = "iam:ListMFADeviceTags",
      .skip_authorization = false,
      .resource = DeviceNamed,
      .handler = [&service](const RequestContext& context,
                            const json::object& input) -> Result<json::value> {
        auto tags =
            service.ListMfaDeviceTags(context.principal, StringOr(input, kSerialNumber, ""));
        if (!tags) {
          return Fail(tags.error());
        }
        json::object out{{"Tags", TagsJson(*tags)}};
        AddPageFields(out, "");
        return out;
      }});
}

}  // namespace fulcrum::services::iam
