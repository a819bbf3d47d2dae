#pragma once

// MfaService: the virtual MFA devices of the caller's account, as AWS IAM has them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_cliapi.html
//
// A virtual MFA device has a random 64-character base32 seed (40 random bytes) and computes RFC
// 6238 codes from it (common/totp.h: HMAC-SHA-1, 30-second steps, 6 digits). Enabling or
// resynchronising a device takes two consecutive codes; every accepted code moves the device's
// last accepted time step forward (IamStore::AcceptMfaTimeStep), and a code of that step or an
// earlier one is refused as a replay.
//
// The root user: AWS's API cannot enable an MFA device for the root user ("You cannot enable an
// MFA device for the AWS account root user with the AWS CLI, AWS API, ..."). The API has no way to
// name the root user (EnableMFADevice requires UserName, which names an IAM user), so a root
// attempt is answered as AWS answers it: NoSuchEntity "The user with name X cannot be found."
// unless X is an IAM user. The console enables it instead; CreateRootVirtualMfa and
// EnableRootVirtualMfa do what the console does. The root user's device has the serial number
// "arn:aws:iam::<account>:mfa/root-account-mfa-device". As IamStore assigns devices to IAM users
// only, the root user's device counts as enabled when it is assigned to no IAM user and has an
// accepted time step (see RootMfaEnabled); the API treats it as assigned (it cannot be enabled for
// a user or deleted, and lists with the root user as its User).
//
// Every method acts in the caller's account (caller.account_id): another account's devices are
// reported as missing. The codec has checked lengths, patterns and enums against the IAM model.
//
// Thread safety: safe to call from any number of threads at once (the service keeps no state of
// its own; the stores, the Random and the Clock of the context are thread-safe).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "services/iam/context.h"
#include "services/operation.h"
#include "services/principal.h"
#include "storage/iam_records.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

// IAM quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
// ("You can register up to eight MFA devices of any combination ... with your root user and IAM
// users").
inline constexpr size_t kMaxMfaDevicesPerUser = 8;
inline constexpr size_t kMaxTagsPerMfaDevice = 50;

// Clock windows, in 30-second time steps around the server's current step. EnableMFADevice takes
// a pair whose second code is at most kEnableStepsBefore steps old (codes typed a little late) or
// kEnableStepsAfter steps ahead (a device clock slightly fast). ResyncMFADevice looks
// kResyncSteps either way. A single code (VerifyMfaCode) may be kCodeSteps off.
inline constexpr int64_t kEnableStepsBefore = 4;
inline constexpr int64_t kEnableStepsAfter = 1;
inline constexpr int64_t kResyncSteps = 20;
inline constexpr int64_t kCodeSteps = 1;

// The name of the root user's virtual MFA device, as the console names it.
inline constexpr std::string_view kRootMfaDeviceName = "root-account-mfa-device";

// "arn:aws:iam::<account_id>:mfa<path><name>": a virtual device's serial number (its ARN).
[[nodiscard]] std::string MfaSerialNumber(std::string_view account_id, std::string_view path,
                                          std::string_view name);
// "arn:aws:iam::<account_id>:mfa/root-account-mfa-device".
[[nodiscard]] std::string RootMfaSerialNumber(std::string_view account_id);

// The otpauth:// URI a virtual device's QR code holds, as AWS writes it:
// "otpauth://totp/Amazon%20Web%20Services:<device name>@<account>?secret=<seed>
// &issuer=Amazon%20Web%20Services" (without the line break), where <account> is the account alias
// if the account has one and else the account id; name and account are percent-encoded.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html
[[nodiscard]] std::string OtpauthUri(std::string_view device_name, std::string_view account_label,
                                     std::string_view base32_seed);

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateVirtualMFADevice.html
struct CreateVirtualMfaDeviceRequest {
  std::string device_name;
  std::string path = "/";
  storage::Tags tags;
};

// A new virtual MFA device with its bootstrap data: the only time the seed is shown.
struct NewVirtualMfaDevice {
  std::string serial_number;
  std::string base32_seed;  // SECRET. 64 base32 characters.
  std::string otpauth_uri;  // SECRET: holds the seed.
  std::string qr_code_png;  // SECRET: PNG bytes of the QR code of otpauth_uri.
  storage::Tags tags;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableMFADevice.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ResyncMFADevice.html
struct MfaCodePair {
  std::string user_name;
  std::string serial_number;
  std::string authentication_code1;
  std::string authentication_code2;
};

// An enabled device: https://docs.aws.amazon.com/IAM/latest/APIReference/API_MFADevice.html
struct MfaDeviceEntry {
  // The IAM user; for the root user's device, the account id.
  std::string user_name;
  std::string serial_number;
  TimePoint enable_date;

  bool operator==(const MfaDeviceEntry&) const = default;
};

// The principal a virtual device is enabled for.
struct MfaDeviceOwner {
  bool is_root = false;
  // The IAM user; the root user has neither name nor path (AWS leaves them out).
  std::string user_name;
  std::string path;
  std::string user_id;  // "AIDA..."; the account id for the root user.
  std::string arn;      // The user's ARN; "arn:aws:iam::<account>:root" for the root user.
  TimePoint created;
  std::optional<TimePoint> password_last_used;

  bool operator==(const MfaDeviceOwner&) const = default;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html without the seed
// and the QR code, as ListVirtualMFADevices shows devices.
struct VirtualMfaDeviceEntry {
  std::string serial_number;
  std::optional<MfaDeviceOwner> user;    // Set while enabled.
  std::optional<TimePoint> enable_date;  // Set while enabled.

  bool operator==(const VirtualMfaDeviceEntry&) const = default;
};

class MfaService {
 public:
  // The service keeps a copy of `context`. REQUIRES: the context's references outlive the
  // service.
  explicit MfaService(const IamContext& context);

  // ---- The IAM API

  // Creates an unassigned device "arn:aws:iam::<account>:mfa<path><name>" with a fresh seed and
  // returns its bootstrap data. Fails with EntityAlreadyExists ("MFADevice entity at the same path
  // and name already exists: <serial>"), InvalidInput (duplicate tag keys) or ServiceFailure.
  [[nodiscard]] Result<NewVirtualMfaDevice> CreateVirtualMfaDevice(
      const Principal& caller, const CreateVirtualMfaDeviceRequest& request);
  // Enables the device for the IAM user, given two consecutive codes of the device within
  // [now - kEnableStepsBefore, now + kEnableStepsAfter] steps; the step of the second code becomes
  // the device's last accepted step. Fails with NoSuchEntity (user, then device),
  // EntityAlreadyExists ("MFA Device <serial> is already in use." when the device is enabled for
  // anyone, the root user included), InvalidAuthenticationCode ("Authentication code for device
  // is not valid.": a wrong, out-of-window or already used pair) or LimitExceeded ("Cannot exceed
  // quota for MFADevicesPerUser: 8").
  [[nodiscard]] Result<void> EnableMfaDevice(const Principal& caller, const MfaCodePair& request);
  // Unassigns the device from the IAM user (the device remains, unassigned). Fails with
  // NoSuchEntity (user, device, or the device is not the user's).
  [[nodiscard]] Result<void> DeactivateMfaDevice(const Principal& caller,
                                                 std::string_view user_name,
                                                 std::string_view serial_number);
  // Resynchronises the user's device: two consecutive codes within kResyncSteps steps of now,
  // both newer than the last accepted step, whose second step becomes the last accepted one.
  // Fails with NoSuchEntity (user, device, or the device is not the user's) or
  // InvalidAuthenticationCode.
  [[nodiscard]] Result<void> ResyncMfaDevice(const Principal& caller, const MfaCodePair& request);
  // Deletes an unassigned device. Fails with NoSuchEntity, or DeleteConflict ("Cannot delete
  // entity, must deactivate the MFA device first.") while it is enabled for anyone.
  [[nodiscard]] Result<void> DeleteVirtualMfaDevice(const Principal& caller,
                                                    std::string_view serial_number);
  // The devices enabled for the IAM user, or, when user_name is nullopt, for the caller: an IAM
  // user's own, or the root user's (with the account id as UserName). Ordered by serial number.
  // Fails with NoSuchEntity (user) or InvalidInput (marker).
  [[nodiscard]] Result<storage::Page<MfaDeviceEntry>> ListMfaDevices(
      const Principal& caller, std::optional<std::string_view> user_name,
      const storage::PageRequest& page);
  // The account's virtual devices with this assignment, ordered by serial number; the root user's
  // enabled device counts as assigned. A page may hold fewer than max_items devices while more
  // follow (IsTruncated), as AWS allows. Fails with InvalidInput (marker).
  [[nodiscard]] Result<storage::Page<VirtualMfaDeviceEntry>> ListVirtualMfaDevices(
      const Principal& caller, storage::MfaAssignment assignment, const storage::PageRequest& page);
  // Adds or replaces tags (keys match exactly). Fails with NoSuchEntity, InvalidInput (duplicate
  // keys in `tags`) or LimitExceeded (more than kMaxTagsPerMfaDevice tags).
  [[nodiscard]] Result<void> TagMfaDevice(const Principal& caller, std::string_view serial_number,
                                          const storage::Tags& tags);
  // Removes the tags with these keys; absent keys are ignored. Fails with NoSuchEntity.
  [[nodiscard]] Result<void> UntagMfaDevice(const Principal& caller, std::string_view serial_number,
                                            const std::vector<std::string>& keys);
  // The device's tags in the order they were added (all of them: at most kMaxTagsPerMfaDevice).
  // Fails with NoSuchEntity.
  [[nodiscard]] Result<storage::Tags> ListMfaDeviceTags(const Principal& caller,
                                                        std::string_view serial_number);

  // ---- The root user's virtual MFA device, as the console sets it up (`fulcrum account mfa`)

  // Step 1: creates the root user's device "arn:aws:iam::<account>:mfa/root-account-mfa-device"
  // with a fresh seed and returns its bootstrap data. A device of that serial number that is not
  // enabled (an earlier unfinished set-up) is replaced. Fails with NoSuchEntity (no such account),
  // EntityAlreadyExists ("MFA Device <serial> is already in use.") when the root user's device is
  // enabled or the serial number is enabled for an IAM user, or ServiceFailure.
  [[nodiscard]] Result<NewVirtualMfaDevice> CreateRootVirtualMfa(std::string_view account_id);
  // Step 2: enables the device of step 1 for the root user, given two consecutive codes as
  // EnableMfaDevice takes them. The device's EnableDate is then the time of step 1 (the store
  // keeps no enable date for a device without an IAM user). Fails with NoSuchEntity (no device
  // from step 1), EntityAlreadyExists (already enabled) or InvalidAuthenticationCode.
  [[nodiscard]] Result<void> EnableRootVirtualMfa(std::string_view account_id,
                                                  std::string_view code1, std::string_view code2);
  // Removes the root user's device (deactivates and deletes it, as the console's "Remove" does).
  // Fails with NoSuchEntity unless the root user's device exists and is not an IAM user's.
  [[nodiscard]] Result<void> RemoveRootVirtualMfa(std::string_view account_id);
  // Whether the root user has an enabled virtual MFA device (GetAccountSummary's
  // AccountMFAEnabled, the credential report's root mfa_active).
  [[nodiscard]] Result<bool> RootMfaEnabled(std::string_view account_id);

  // ---- Authorization

  // The ARN of the IAM user named user_name (with its path), or of the caller when nullopt; a
  // missing user's ARN as if its path were "/". For operation rows' resource resolvers.
  [[nodiscard]] std::string UserResource(const Principal& caller,
                                         std::optional<std::string_view> user_name);

  // ---- Codes presented at sign-in or to STS (GetSessionToken, AssumeRole with SerialNumber)

  // Checks one code of the device enabled for the IAM user user_name (empty = the root user),
  // within kCodeSteps steps of now, and records its step so that it is never accepted again.
  // Fails with NoSuchEntity (the device is not enabled for that principal) or
  // InvalidAuthenticationCode (wrong, out of window, or already used).
  [[nodiscard]] Result<void> VerifyMfaCode(std::string_view account_id, std::string_view user_name,
                                           std::string_view serial_number, std::string_view code);

 private:
  [[nodiscard]] Result<std::string> AccountLabel(std::string_view account_id);
  [[nodiscard]] Result<NewVirtualMfaDevice> StoreNewDevice(std::string_view account_id,
                                                           std::string_view path,
                                                           std::string_view name,
                                                           const storage::Tags& tags);
  [[nodiscard]] Result<storage::VirtualMfaDevice> RequireDevice(std::string_view account_id,
                                                                std::string_view serial_number);
  [[nodiscard]] Result<storage::User> RequireUser(std::string_view account_id,
                                                  std::string_view user_name);
  [[nodiscard]] Result<std::optional<MfaDeviceOwner>> OwnerOf(
      const storage::VirtualMfaDevice& device);

  IamContext context_;
};

// Appends the rows of CreateVirtualMFADevice, EnableMFADevice, DeactivateMFADevice,
// ResyncMFADevice, DeleteVirtualMFADevice, ListMFADevices, ListVirtualMFADevices, TagMFADevice,
// UntagMFADevice and ListMFADeviceTags. REQUIRES: `service` outlives the rows.
void AddMfaOperations(MfaService& service, std::vector<OperationRow>& rows);

}  // namespace fulcrum::services::iam
