#include "services/iam/mfa.h"

#include <array>
#include <cstdint>
#include <set>
#include <utility>

#include "arn/arn.h"
#include "common/encoding.h"
#include "common/qr_png.h"
#include "common/totp.h"
#include "services/iam/errors.h"

namespace fulcrum::services::iam {
namespace {

// 40 random bytes are 64 base32 characters, the length of AWS's seeds.
constexpr size_t kSeedBytes = 40;

constexpr std::string_view kIssuer = "Amazon%20Web%20Services";

Error InvalidCode() {
  return InvalidAuthenticationCode("Authentication code for device is not valid.");
}

Error DeviceInUse(std::string_view serial_number) {
  return EntityAlreadyExists("MFA Device " + std::string(serial_number) + " is already in use.");
}

Error NoSuchDevice(std::string_view serial_number) {
  return NoSuchEntity("VirtualMFADevice with serial number " + std::string(serial_number) +
                      " does not exist.");
}

Error NotAssigned(std::string_view serial_number, std::string_view user_name) {
  return NoSuchEntity("MFA Device with serial number " + std::string(serial_number) +
                      " is not assigned to user " + std::string(user_name) + ".");
}

// True when the device is the root user's enabled device (see the header: the store assigns
// devices to IAM users only, so the root user's is unassigned there and marked by an accepted
// time step).
bool IsRootEnabled(const storage::VirtualMfaDevice& device) {
  return device.user_name.empty() &&
         device.serial_number == RootMfaSerialNumber(device.account_id) &&
         (device.last_time_step.has_value() || device.enable_date.has_value());
}

// True when the device is enabled for anyone.
bool IsEnabled(const storage::VirtualMfaDevice& device) {
  return !device.user_name.empty() || IsRootEnabled(device);
}

// When the device was enabled; the root user's device was created by the set-up that enabled it.
TimePoint EnableDateOf(const storage::VirtualMfaDevice& device) {
  return device.enable_date.value_or(device.created);
}

Result<void> CheckDistinctTagKeys(const storage::Tags& tags) {
  std::set<std::string_view> keys;
  for (const auto& [key, value] : tags) {
    if (!keys.insert(key).second) {
      return Fail(
          InvalidInput("Duplicate tag keys found. Please note that Tag keys are case "
                       "insensitive."));
    }
  }
  return {};
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// The raw TOTP key of a stored device.
Result<std::string> KeyOf(const storage::VirtualMfaDevice& device) {
  std::optional<std::string> key = Base32Decode(device.seed);
  if (!key.has_value()) {
    return Fail(
        ServiceFailure("The seed of MFA device " + device.serial_number + " cannot be read."));
  }
  return std::move(*key);
}

// The step of the second of two consecutive codes within the window, provided both steps are newer
// than the device's last accepted step. Fails with InvalidAuthenticationCode.
Result<int64_t> MatchCodePair(const storage::VirtualMfaDevice& device, std::string_view code1,
                              std::string_view code2, int64_t now_step, int64_t steps_before,
                              int64_t steps_after) {
  auto key = KeyOf(device);
  if (!key) {
    return Fail(key.error());
  }
  std::optional<int64_t> step =
      FindConsecutiveTotpSteps(*key, code1, code2, now_step, steps_before, steps_after);
  if (!step.has_value()) {
    return Fail(InvalidCode());
  }
  if (device.last_time_step.has_value() && *step - 1 <= *device.last_time_step) {
    return Fail(InvalidCode());
  }
  return *step;
}

}  // namespace

std::string MfaSerialNumber(std::string_view account_id, std::string_view path,
                            std::string_view name) {
  std::string serial = "arn:aws:iam::";
  serial.append(account_id).append(":mfa").append(path.empty() ? "/" : path).append(name);
  return serial;
}

std::string RootMfaSerialNumber(std::string_view account_id) {
  return MfaSerialNumber(account_id, "/", kRootMfaDeviceName);
}

std::string OtpauthUri(std::string_view device_name, std::string_view account_label,
                       std::string_view base32_seed) {
  std::string uri = "otpauth://totp/";
  uri.append(kIssuer)
      .append(":")
      .append(PercentEncode(device_name))
      .append("@")
      .append(PercentEncode(account_label))
      .append("?secret=")
      .append(base32_seed)
      .append("&issuer=")
      .append(kIssuer);
  return uri;
}

MfaService::MfaService(const IamContext& context) : context_(context) {}

// ---- Helpers

Result<std::string> MfaService::AccountLabel(std::string_view account_id) {
  auto alias = context_.iam.GetAccountAlias(account_id);
  if (!alias) {
    return Fail(FromStorage(alias.error()));
  }
  return alias->has_value() ? std::move(**alias) : std::string(account_id);
}

Result<NewVirtualMfaDevice> MfaService::StoreNewDevice(std::string_view account_id,
                                                       std::string_view path, std::string_view name,
                                                       const storage::Tags& tags) {
  std::array<std::uint8_t, kSeedBytes> secret{};
  context_.random.Fill(secret);
  NewVirtualMfaDevice created{.serial_number = MfaSerialNumber(account_id, path, name),
                              .base32_seed = Base32Encode(secret),
                              .otpauth_uri = {},
                              .qr_code_png = {},
                              .tags = tags};
  auto label = AccountLabel(account_id);
  if (!label) {
    return Fail(label.error());
  }
  created.otpauth_uri = OtpauthUri(name, *label, created.base32_seed);
  auto png = QrCodePng(created.otpauth_uri);
  if (!png) {
    return Fail(ServiceFailure("The QR code of the MFA device cannot be drawn."));
  }
  created.qr_code_png = std::move(*png);

  storage::VirtualMfaDevice device{.serial_number = created.serial_number,
                                   .account_id = std::string(account_id),
                                   .path = std::string(path),
                                   .name = std::string(name),
                                   .seed = created.base32_seed,
                                   .created = context_.clock.Now(),
                                   .tags = tags,
                                   .user_name = {},
                                   .enable_date = std::nullopt,
                                   .last_time_step = std::nullopt};
  if (auto stored = context_.iam.CreateVirtualMfaDevice(device); !stored) {
    return Fail(FromStorage(stored.error()));
  }
  return created;
}

Result<storage::VirtualMfaDevice> MfaService::RequireDevice(std::string_view account_id,
                                                            std::string_view serial_number) {
  auto device = context_.iam.GetVirtualMfaDevice(account_id, serial_number);
  if (!device) {
    return Fail(FromStorage(device.error()));
  }
  if (!device->has_value()) {
    return Fail(NoSuchDevice(serial_number));
  }
  return std::move(**device);
}

Result<storage::User> MfaService::RequireUser(std::string_view account_id,
                                              std::string_view user_name) {
  auto user = context_.iam.GetUser(account_id, user_name);
  if (!user) {
    return Fail(FromStorage(user.error()));
  }
  if (!user->has_value()) {
    return Fail(NoSuchEntity("The user with name " + std::string(user_name) + " cannot be found."));
  }
  return std::move(**user);
}

Result<std::optional<MfaDeviceOwner>> MfaService::OwnerOf(const storage::VirtualMfaDevice& device) {
  if (!device.user_name.empty()) {
    auto user = context_.iam.GetUser(device.account_id, device.user_name);
    if (!user) {
      return Fail(FromStorage(user.error()));
    }
    MfaDeviceOwner owner{.is_root = false,
                         .user_name = device.user_name,
                         .path = "/",
                         .user_id = {},
                         .arn = arn::UserArn(device.account_id, "/", device.user_name),
                         .created = {},
                         .password_last_used = std::nullopt};
    if (user->has_value()) {
      const storage::User& found = **user;
      owner.path = found.path;
      owner.user_id = found.user_id;
      owner.arn = found.arn;
      owner.created = found.created;
      owner.password_last_used = found.password_last_used;
    }
    return std::optional<MfaDeviceOwner>(std::move(owner));
  }
  if (!IsRootEnabled(device)) {
    return std::optional<MfaDeviceOwner>();
  }
  auto account = context_.accounts.FindAccountById(device.account_id);
  if (!account) {
    return Fail(FromStorage(account.error()));
  }
  return std::optional<MfaDeviceOwner>(
      MfaDeviceOwner{.is_root = true,
                     .user_name = {},
                     .path = {},
                     .user_id = device.account_id,
                     .arn = arn::RootArn(device.account_id),
                     .created = account->has_value() ? (*account)->created : device.created,
                     .password_last_used = std::nullopt});
}

// ---- The IAM API

Result<NewVirtualMfaDevice> MfaService::CreateVirtualMfaDevice(
    const Principal& caller, const CreateVirtualMfaDeviceRequest& request) {
  if (auto distinct = CheckDistinctTagKeys(request.tags); !distinct) {
    return Fail(distinct.error());
  }
  return StoreNewDevice(caller.account_id, request.path.empty() ? "/" : request.path,
                        request.device_name, request.tags);
}

Result<void> MfaService::EnableMfaDevice(const Principal& caller, const MfaCodePair& request) {
  auto user = RequireUser(caller.account_id, request.user_name);
  if (!user) {
    return Fail(user.error());
  }
  auto device = RequireDevice(caller.account_id, request.serial_number);
  if (!device) {
    return Fail(device.error());
  }
  if (IsEnabled(*device)) {
    return Fail(DeviceInUse(device->serial_number));
  }
  const TimePoint now = context_.clock.Now();
  auto step = MatchCodePair(*device, request.authentication_code1, request.authentication_code2,
                            TotpTimeStep(now), kEnableStepsBefore, kEnableStepsAfter);
  if (!step) {
    return Fail(step.error());
  }
  auto enabled = context_.iam.EnableMfaDevice(
      caller.account_id, user->user_name, device->serial_number, now, *step, kMaxMfaDevicesPerUser);
  if (!enabled) {
    return Fail(FromStorage(enabled.error()));
  }
  return {};
}

Result<void> MfaService::DeactivateMfaDevice(const Principal& caller, std::string_view user_name,
                                             std::string_view serial_number) {
  auto done = context_.iam.DeactivateMfaDevice(caller.account_id, user_name, serial_number);
  if (!done) {
    return Fail(FromStorage(done.error()));
  }
  return {};
}

Result<void> MfaService::ResyncMfaDevice(const Principal& caller, const MfaCodePair& request) {
  auto user = RequireUser(caller.account_id, request.user_name);
  if (!user) {
    return Fail(user.error());
  }
  auto device = RequireDevice(caller.account_id, request.serial_number);
  if (!device) {
    return Fail(device.error());
  }
  if (device->user_name.empty() || !EqualsIgnoringAsciiCase(device->user_name, user->user_name)) {
    return Fail(NotAssigned(device->serial_number, request.user_name));
  }
  auto step = MatchCodePair(*device, request.authentication_code1, request.authentication_code2,
                            TotpTimeStep(context_.clock.Now()), kResyncSteps, kResyncSteps);
  if (!step) {
    return Fail(step.error());
  }
  // Both codes are used up, each in one compare-and-set, so a concurrent use of either loses.
  for (const int64_t accepted_step : {*step - 1, *step}) {
    auto accepted =
        context_.iam.AcceptMfaTimeStep(caller.account_id, device->serial_number, accepted_step);
    if (!accepted) {
      return Fail(FromStorage(accepted.error()));
    }
    if (!*accepted) {
      return Fail(InvalidCode());
    }
  }
  return {};
}

Result<void> MfaService::DeleteVirtualMfaDevice(const Principal& caller,
                                                std::string_view serial_number) {
  auto device = RequireDevice(caller.account_id, serial_number);
  if (!device) {
    return Fail(device.error());
  }
  if (IsRootEnabled(*device)) {
    return Fail(DeleteConflict("Cannot delete entity, must deactivate the MFA device first."));
  }
  auto deleted = context_.iam.DeleteVirtualMfaDevice(caller.account_id, serial_number);
  if (!deleted) {
    return Fail(FromStorage(deleted.error()));
  }
  return {};
}

Result<storage::Page<MfaDeviceEntry>> MfaService::ListMfaDevices(
    const Principal& caller, std::optional<std::string_view> user_name,
    const storage::PageRequest& page) {
  storage::Page<MfaDeviceEntry> out;
  if (!user_name.has_value() && caller.kind == PrincipalKind::kRoot) {
    // The root user's device is the only one the root user can have; one page holds it.
    if (!page.marker.empty()) {
      return out;
    }
    auto device =
        context_.iam.GetVirtualMfaDevice(caller.account_id, RootMfaSerialNumber(caller.account_id));
    if (!device) {
      return Fail(FromStorage(device.error()));
    }
    if (device->has_value() && IsRootEnabled(**device)) {
      out.items.push_back(MfaDeviceEntry{.user_name = caller.account_id,
                                         .serial_number = (*device)->serial_number,
                                         .enable_date = EnableDateOf(**device)});
    }
    return out;
  }
  const std::string_view name = user_name.value_or(caller.user_name);
  auto devices = context_.iam.ListMfaDevicesForUser(caller.account_id, name, page);
  if (!devices) {
    return Fail(FromStorage(devices.error()));
  }
  out.items.reserve(devices->items.size());
  for (const storage::VirtualMfaDevice& device : devices->items) {
    out.items.push_back(MfaDeviceEntry{.user_name = device.user_name,
                                       .serial_number = device.serial_number,
                                       .enable_date = EnableDateOf(device)});
  }
  out.next_marker = std::move(devices->next_marker);
  return out;
}

Result<storage::Page<VirtualMfaDeviceEntry>> MfaService::ListVirtualMfaDevices(
    const Principal& caller, storage::MfaAssignment assignment, const storage::PageRequest& page) {
  // The store counts the root user's enabled device as unassigned, so "Assigned" asks it for
  // every device and filters here; "Unassigned" filters the root user's device out.
  const storage::MfaAssignment asked =
      assignment == storage::MfaAssignment::kAssigned ? storage::MfaAssignment::kAny : assignment;
  auto devices = context_.iam.ListVirtualMfaDevices(caller.account_id, asked, page);
  if (!devices) {
    return Fail(FromStorage(devices.error()));
  }
  storage::Page<VirtualMfaDeviceEntry> out;
  for (const storage::VirtualMfaDevice& device : devices->items) {
    const bool enabled = IsEnabled(device);
    if ((assignment == storage::MfaAssignment::kAssigned && !enabled) ||
        (assignment == storage::MfaAssignment::kUnassigned && enabled)) {
      continue;
    }
    VirtualMfaDeviceEntry entry{
        .serial_number = device.serial_number, .user = std::nullopt, .enable_date = std::nullopt};
    if (enabled) {
      auto owner = OwnerOf(device);
      if (!owner) {
        return Fail(owner.error());
      }
      entry.user = std::move(*owner);
      entry.enable_date = EnableDateOf(device);
    }
    out.items.push_back(std::move(entry));
  }
  out.next_marker = std::move(devices->next_marker);
  return out;
}

Result<void> MfaService::TagMfaDevice(const Principal& caller, std::string_view serial_number,
                                      const storage::Tags& tags) {
  if (auto distinct = CheckDistinctTagKeys(tags); !distinct) {
    return Fail(distinct.error());
  }
  const storage::TagTarget target{.kind = storage::TaggedKind::kVirtualMfaDevice,
                                  .account_id = caller.account_id,
                                  .name = std::string(serial_number)};
  auto tagged = context_.iam.TagResource(target, tags, kMaxTagsPerMfaDevice);
  if (!tagged) {
    return Fail(FromStorage(tagged.error()));
  }
  return {};
}

Result<void> MfaService::UntagMfaDevice(const Principal& caller, std::string_view serial_number,
                                        const std::vector<std::string>& keys) {
  const storage::TagTarget target{.kind = storage::TaggedKind::kVirtualMfaDevice,
                                  .account_id = caller.account_id,
                                  .name = std::string(serial_number)};
  auto untagged = context_.iam.UntagResource(target, keys);
  if (!untagged) {
    return Fail(FromStorage(untagged.error()));
  }
  return {};
}

Result<storage::Tags> MfaService::ListMfaDeviceTags(const Principal& caller,
                                                    std::string_view serial_number) {
  auto device = RequireDevice(caller.account_id, serial_number);
  if (!device) {
    return Fail(device.error());
  }
  return std::move(device->tags);
}

// ---- The root user's device

Result<NewVirtualMfaDevice> MfaService::CreateRootVirtualMfa(std::string_view account_id) {
  const std::string serial_number = RootMfaSerialNumber(account_id);
  auto existing = context_.iam.GetVirtualMfaDevice(account_id, serial_number);
  if (!existing) {
    return Fail(FromStorage(existing.error()));
  }
  if (existing->has_value()) {
    if (IsEnabled(**existing)) {
      return Fail(DeviceInUse(serial_number));
    }
    // An unfinished set-up: start again with a fresh seed.
    if (auto deleted = context_.iam.DeleteVirtualMfaDevice(account_id, serial_number); !deleted) {
      return Fail(FromStorage(deleted.error()));
    }
  }
  return StoreNewDevice(account_id, "/", kRootMfaDeviceName, {});
}

Result<void> MfaService::EnableRootVirtualMfa(std::string_view account_id, std::string_view code1,
                                              std::string_view code2) {
  auto device = RequireDevice(account_id, RootMfaSerialNumber(account_id));
  if (!device) {
    return Fail(device.error());
  }
  if (IsEnabled(*device)) {
    return Fail(DeviceInUse(device->serial_number));
  }
  auto step = MatchCodePair(*device, code1, code2, TotpTimeStep(context_.clock.Now()),
                            kEnableStepsBefore, kEnableStepsAfter);
  if (!step) {
    return Fail(step.error());
  }
  // Recording the accepted step is what marks the root user's device enabled (see the header).
  auto accepted = context_.iam.AcceptMfaTimeStep(account_id, device->serial_number, *step);
  if (!accepted) {
    return Fail(FromStorage(accepted.error()));
  }
  if (!*accepted) {
    return Fail(InvalidCode());
  }
  return {};
}

Result<void> MfaService::RemoveRootVirtualMfa(std::string_view account_id) {
  auto device = RequireDevice(account_id, RootMfaSerialNumber(account_id));
  if (!device) {
    return Fail(device.error());
  }
  if (!device->user_name.empty()) {
    return Fail(NoSuchDevice(device->serial_number));
  }
  auto deleted = context_.iam.DeleteVirtualMfaDevice(account_id, device->serial_number);
  if (!deleted) {
    return Fail(FromStorage(deleted.error()));
  }
  return {};
}

Result<bool> MfaService::RootMfaEnabled(std::string_view account_id) {
  auto device = context_.iam.GetVirtualMfaDevice(account_id, RootMfaSerialNumber(account_id));
  if (!device) {
    return Fail(FromStorage(device.error()));
  }
  return device->has_value() && IsRootEnabled(**device);
}

// ---- Authorization

std::string MfaService::UserResource(const Principal& caller,
                                     std::optional<std::string_view> user_name) {
  if (!user_name.has_value()) {
    return caller.arn;
  }
  auto user = context_.iam.GetUser(caller.account_id, *user_name);
  if (user && user->has_value()) {
    return (*user)->arn;
  }
  return arn::UserArn(caller.account_id, "/", *user_name);
}

// ---- Codes presented at sign-in or to STS

Result<void> MfaService::VerifyMfaCode(std::string_view account_id, std::string_view user_name,
                                       std::string_view serial_number, std::string_view code) {
  auto device = RequireDevice(account_id, serial_number);
  if (!device) {
    return Fail(device.error());
  }
  const bool owned = user_name.empty() ? IsRootEnabled(*device)
                                       : (!device->user_name.empty() &&
                                          EqualsIgnoringAsciiCase(device->user_name, user_name));
  if (!owned) {
    return Fail(NotAssigned(serial_number, user_name.empty() ? "root" : user_name));
  }
  auto key = KeyOf(*device);
  if (!key) {
    return Fail(key.error());
  }
  std::optional<int64_t> step =
      FindTotpStep(*key, code, TotpTimeStep(context_.clock.Now()), kCodeSteps, kCodeSteps);
  if (!step.has_value()) {
    return Fail(InvalidCode());
  }
  auto accepted = context_.iam.AcceptMfaTimeStep(account_id, serial_number, *step);
  if (!accepted) {
    return Fail(FromStorage(accepted.error()));
  }
  if (!*accepted) {
    return Fail(InvalidCode());
  }
  return {};
}

}  // namespace fulcrum::services::iam
