#include "services/iam/mfa.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/encoding.h"
#include "common/qr_png.h"
#include "common/random.h"
#include "common/totp.h"
#include "storage/memory/memory_store.h"

namespace fulcrum::services::iam {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kOtherAccount = "210987654321";
// 2024-05-01T12:00:00Z, the start of a time step.
constexpr TimePoint kNow{seconds(1714564800)};
constexpr TimePoint kAccountCreated{seconds(1700000000)};

// "" on success, else the error code.
template <class T>
std::string CodeOf(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().code;
}

template <class T>
std::string MessageOf(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().message;
}

template <class T>
::testing::AssertionResult Ok(const Result<T>& result) {
  if (result.has_value()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << result.error().code << ": " << result.error().message;
}

// The code a device with this base32 seed shows at `step`.
std::string CodeAt(std::string_view base32_seed, int64_t step) {
  return TotpCode(Base32Decode(base32_seed).value_or(""), step);
}

class MfaServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::string_view id : {kAccount, kOtherAccount}) {
      ASSERT_TRUE(Ok(
          db_->CreateAccount(storage::Account{.id = std::string(id),
                                              .name = "acct-" + std::string(id),
                                              .email = "owner-" + std::string(id) + "@example.com",
                                              .created = kAccountCreated,
                                              .root_password_hash = {}},
                             {})));
    }
    alice_ = MakeUser("alice", "/team/");
  }

  storage::User MakeUser(std::string_view name, std::string_view path = "/") {
    ++users_;
    storage::User user{.account_id = std::string(kAccount),
                       .user_id = "AIDAMFATESTUSER" + std::to_string(1000 + users_),
                       .user_name = std::string(name),
                       .path = std::string(path),
                       .arn = "arn:aws:iam::" + std::string(kAccount) + ":user" +
                              std::string(path) + std::string(name),
                       .created = kAccountCreated,
                       .permissions_boundary_arn = {},
                       .tags = {},
                       .password_last_used = std::nullopt};
    EXPECT_TRUE(Ok(db_->CreateUser(user)));
    return user;
  }

  Principal UserPrincipal(const storage::User& user) const {
    return Principal{.kind = PrincipalKind::kIamUser,
                     .account_id = user.account_id,
                     .arn = user.arn,
                     .user_id = user.user_id,
                     .user_name = user.user_name,
                     .access_key_id = "AKIAMFATESTUSERKEY01"};
  }

  NewVirtualMfaDevice MakeDevice(std::string_view name, std::string_view path = "/") {
    auto created = service_.CreateVirtualMfaDevice(
        root_, CreateVirtualMfaDeviceRequest{
                   .device_name = std::string(name), .path = std::string(path), .tags = {}});
    EXPECT_TRUE(Ok(created));
    return created.value_or(NewVirtualMfaDevice{});
  }

  int64_t NowStep() const { return TotpTimeStep(clock_.Now()); }

  // The pair a device shows now: the previous code and the current one.
  MfaCodePair CurrentPair(std::string_view user_name, const NewVirtualMfaDevice& device) const {
    return MfaCodePair{.user_name = std::string(user_name),
                       .serial_number = device.serial_number,
                       .authentication_code1 = CodeAt(device.base32_seed, NowStep() - 1),
                       .authentication_code2 = CodeAt(device.base32_seed, NowStep())};
  }

  // A device enabled for `user_name` with the current pair.
  NewVirtualMfaDevice EnabledDevice(std::string_view device_name, std::string_view user_name) {
    NewVirtualMfaDevice device = MakeDevice(device_name);
    EXPECT_TRUE(Ok(service_.EnableMfaDevice(root_, CurrentPair(user_name, device))));
    return device;
  }

  std::unique_ptr<storage::Database> db_ = storage::MakeMemoryDatabase();
  FixedClock clock_{kNow};
  SeededRandom random_{7};
  IamContext context_{*db_, *db_, random_, clock_, {}};
  MfaService service_{context_};
  Principal root_{.kind = PrincipalKind::kRoot,
                  .account_id = std::string(kAccount),
                  .arn = "arn:aws:iam::123456789012:root",
                  .user_id = std::string(kAccount),
                  .user_name = {},
                  .access_key_id = "AKIAMFATESTROOTKEY01"};
  storage::User alice_;
  int users_ = 0;
};

// ---- CreateVirtualMFADevice

TEST_F(MfaServiceTest, CreateVirtualMfaDeviceReturnsBootstrapData) {
  auto created = service_.CreateVirtualMfaDevice(
      root_, CreateVirtualMfaDeviceRequest{
                 .device_name = "alice-phone", .path = "/", .tags = {{"team", "platform"}}});
  ASSERT_TRUE(Ok(created));
  EXPECT_EQ(created->serial_number, "arn:aws:iam::123456789012:mfa/alice-phone");
  ASSERT_EQ(created->base32_seed.size(), 64u);
  const auto secret = Base32Decode(created->base32_seed);
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(secret->size(), 40u);
  EXPECT_EQ(created->otpauth_uri,
            "otpauth://totp/Amazon%20Web%20Services:alice-phone@123456789012?secret=" +
                created->base32_seed + "&issuer=Amazon%20Web%20Services");
  const auto expected_png = QrCodePng(created->otpauth_uri);
  ASSERT_TRUE(expected_png.has_value());
  EXPECT_EQ(created->qr_code_png, *expected_png);
  EXPECT_EQ(created->qr_code_png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(created->tags, (storage::Tags{{"team", "platform"}}));

  auto stored = db_->GetVirtualMfaDevice(kAccount, created->serial_number);
  ASSERT_TRUE(Ok(stored));
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->seed, created->base32_seed);
  EXPECT_EQ((*stored)->path, "/");
  EXPECT_EQ((*stored)->name, "alice-phone");
  EXPECT_TRUE((*stored)->user_name.empty());
}

TEST_F(MfaServiceTest, CreateVirtualMfaDeviceWithPathAndAlias) {
  ASSERT_TRUE(Ok(db_->SetAccountAlias(kAccount, "example-mgmt")));
  const NewVirtualMfaDevice device = MakeDevice("ops-token", "/division/");
  EXPECT_EQ(device.serial_number, "arn:aws:iam::123456789012:mfa/division/ops-token");
  EXPECT_EQ(device.otpauth_uri,
            "otpauth://totp/Amazon%20Web%20Services:ops-token@example-mgmt?secret=" +
                device.base32_seed + "&issuer=Amazon%20Web%20Services");
  // Every device has its own seed.
  EXPECT_NE(MakeDevice("second").base32_seed, device.base32_seed);
}

TEST_F(MfaServiceTest, CreateVirtualMfaDeviceErrors) {
  MakeDevice("taken");
  const struct {
    std::string name;
    CreateVirtualMfaDeviceRequest request;
    std::string code;
    std::string message;
  } errors[] = {
      {"same path and name",
       {.device_name = "taken", .path = "/", .tags = {}},
       "EntityAlreadyExists",
       "MFADevice entity at the same path and name already exists: "
       "arn:aws:iam::123456789012:mfa/taken"},
      {"duplicate tag keys",
       {.device_name = "tagged", .path = "/", .tags = {{"a", "1"}, {"a", "2"}}},
       "InvalidInput",
       "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
  };
  for (const auto& e : errors) {
    auto created = service_.CreateVirtualMfaDevice(root_, e.request);
    EXPECT_EQ(CodeOf(created), e.code) << e.name;
    EXPECT_EQ(MessageOf(created), e.message) << e.name;
  }
  // The same name in another account is another device.
  auto elsewhere = service_.CreateVirtualMfaDevice(
      Principal{.kind = PrincipalKind::kRoot,
                .account_id = std::string(kOtherAccount),
                .arn = "arn:aws:iam::210987654321:root",
                .user_id = std::string(kOtherAccount),
                .user_name = {},
                .access_key_id = {}},
      CreateVirtualMfaDeviceRequest{.device_name = "taken", .path = "/", .tags = {}});
  EXPECT_TRUE(Ok(elsewhere));
}

// ---- EnableMFADevice

TEST_F(MfaServiceTest, EnableMfaDeviceAcceptsTwoConsecutiveCodesInTheWindow) {
  const struct {
    std::string name;
    int64_t first_step;   // Relative to now.
    int64_t second_step;  // Relative to now.
    bool accepted;
  } cases[] = {
      {"the current pair", -1, 0, true},
      {"a pair ending one step ahead", 0, 1, true},
      {"a pair from two minutes ago", -5, -4, true},
      {"a pair too old", -6, -5, false},
      {"a pair too far ahead", 1, 2, false},
      {"codes swapped", 0, -1, false},
      {"the same code twice", 0, 0, false},
      {"codes one step apart", -2, 0, false},
  };
  int index = 0;
  for (const auto& c : cases) {
    const std::string suffix = std::to_string(index++);
    const storage::User user = MakeUser("user-" + suffix);
    const NewVirtualMfaDevice device = MakeDevice("device-" + suffix);
    const MfaCodePair pair{
        .user_name = user.user_name,
        .serial_number = device.serial_number,
        .authentication_code1 = CodeAt(device.base32_seed, NowStep() + c.first_step),
        .authentication_code2 = CodeAt(device.base32_seed, NowStep() + c.second_step)};
    auto enabled = service_.EnableMfaDevice(root_, pair);
    if (c.accepted) {
      EXPECT_TRUE(Ok(enabled)) << c.name;
      auto stored = db_->GetVirtualMfaDevice(kAccount, device.serial_number);
      ASSERT_TRUE(Ok(stored));
      ASSERT_TRUE(stored->has_value());
      EXPECT_EQ((*stored)->user_name, user.user_name) << c.name;
      EXPECT_EQ((*stored)->enable_date, kNow) << c.name;
      EXPECT_EQ((*stored)->last_time_step, NowStep() + c.second_step) << c.name;
    } else {
      EXPECT_EQ(CodeOf(enabled), "InvalidAuthenticationCode") << c.name;
      EXPECT_EQ(MessageOf(enabled), "Authentication code for device is not valid.") << c.name;
    }
  }
}

TEST_F(MfaServiceTest, EnableMfaDeviceErrors) {
  const NewVirtualMfaDevice free_device = MakeDevice("free");
  const NewVirtualMfaDevice used_device = EnabledDevice("used", "alice");
  MakeUser("bob");
  const struct {
    std::string name;
    Principal caller;
    MfaCodePair pair;
    std::string code;
    std::string message;
  } errors[] = {
      {"unknown user", root_, CurrentPair("nobody", free_device), "NoSuchEntity",
       "The user with name nobody cannot be found."},
      // The API cannot name the root user: AWS answers as for any missing IAM user.
      {"the root user", root_, CurrentPair("root", free_device), "NoSuchEntity",
       "The user with name root cannot be found."},
      {"unknown device",
       root_,
       {.user_name = "bob",
        .serial_number = "arn:aws:iam::123456789012:mfa/missing",
        .authentication_code1 = "123456",
        .authentication_code2 = "654321"},
       "NoSuchEntity",
       "VirtualMFADevice with serial number arn:aws:iam::123456789012:mfa/missing does not "
       "exist."},
      {"device already enabled for a user", root_, CurrentPair("bob", used_device),
       "EntityAlreadyExists", "MFA Device arn:aws:iam::123456789012:mfa/used is already in use."},
      {"device already enabled for the same user", root_, CurrentPair("alice", used_device),
       "EntityAlreadyExists", "MFA Device arn:aws:iam::123456789012:mfa/used is already in use."},
      {"a user of another account",
       Principal{.kind = PrincipalKind::kRoot,
                 .account_id = std::string(kOtherAccount),
                 .arn = "arn:aws:iam::210987654321:root",
                 .user_id = std::string(kOtherAccount),
                 .user_name = {},
                 .access_key_id = {}},
       CurrentPair("alice", free_device), "NoSuchEntity",
       "The user with name alice cannot be found."},
  };
  for (const auto& e : errors) {
    auto enabled = service_.EnableMfaDevice(e.caller, e.pair);
    EXPECT_EQ(CodeOf(enabled), e.code) << e.name;
    EXPECT_EQ(MessageOf(enabled), e.message) << e.name;
  }
}

TEST_F(MfaServiceTest, EnableMfaDeviceLimitsAUserToEightDevices) {
  for (size_t i = 0; i < kMaxMfaDevicesPerUser; ++i) {
    EnabledDevice("alice-" + std::to_string(i), "alice");
  }
  const NewVirtualMfaDevice ninth = MakeDevice("alice-ninth");
  auto enabled = service_.EnableMfaDevice(root_, CurrentPair("alice", ninth));
  EXPECT_EQ(CodeOf(enabled), "LimitExceeded");
  EXPECT_EQ(MessageOf(enabled), "Cannot exceed quota for MFADevicesPerUser: 8");
}

// ---- ResyncMFADevice and replayed codes

TEST_F(MfaServiceTest, UsedCodesAreRefused) {
  const NewVirtualMfaDevice device = EnabledDevice("alice-phone", "alice");
  // The pair that enabled the device cannot resynchronise it.
  auto resync = service_.ResyncMfaDevice(root_, CurrentPair("alice", device));
  EXPECT_EQ(CodeOf(resync), "InvalidAuthenticationCode");
  // Nor can either code of it sign in.
  for (int64_t step : {NowStep() - 1, NowStep()}) {
    auto verified = service_.VerifyMfaCode(kAccount, "alice", device.serial_number,
                                           CodeAt(device.base32_seed, step));
    EXPECT_EQ(CodeOf(verified), "InvalidAuthenticationCode") << step;
  }
  // A pair that starts with the last used code is refused too.
  clock_.Advance(seconds(30));
  auto overlapping = service_.ResyncMfaDevice(
      root_, MfaCodePair{.user_name = "alice",
                         .serial_number = device.serial_number,
                         .authentication_code1 = CodeAt(device.base32_seed, NowStep() - 1),
                         .authentication_code2 = CodeAt(device.base32_seed, NowStep())});
  EXPECT_EQ(CodeOf(overlapping), "InvalidAuthenticationCode");
  // The next code works once.
  const std::string next = CodeAt(device.base32_seed, NowStep());
  EXPECT_TRUE(Ok(service_.VerifyMfaCode(kAccount, "alice", device.serial_number, next)));
  EXPECT_EQ(CodeOf(service_.VerifyMfaCode(kAccount, "alice", device.serial_number, next)),
            "InvalidAuthenticationCode");
}

TEST_F(MfaServiceTest, ResyncMfaDeviceAcceptsAWiderWindow) {
  const NewVirtualMfaDevice device = EnabledDevice("alice-phone", "alice");
  clock_.Advance(seconds(30 * 10));
  auto pair_at = [&](int64_t offset) {
    return MfaCodePair{.user_name = "alice",
                       .serial_number = device.serial_number,
                       .authentication_code1 = CodeAt(device.base32_seed, NowStep() + offset - 1),
                       .authentication_code2 = CodeAt(device.base32_seed, NowStep() + offset)};
  };
  // A device clock 15 steps fast is outside EnableMFADevice's window but inside the resync one.
  EXPECT_EQ(CodeOf(service_.ResyncMfaDevice(root_, pair_at(kResyncSteps + 1))),
            "InvalidAuthenticationCode");
  EXPECT_TRUE(Ok(service_.ResyncMfaDevice(root_, pair_at(15))));
  auto stored = db_->GetVirtualMfaDevice(kAccount, device.serial_number);
  ASSERT_TRUE(Ok(stored));
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->last_time_step, NowStep() + 15);
  // The same pair again is a replay.
  EXPECT_EQ(CodeOf(service_.ResyncMfaDevice(root_, pair_at(15))), "InvalidAuthenticationCode");
}

TEST_F(MfaServiceTest, ResyncMfaDeviceErrors) {
  const NewVirtualMfaDevice device = EnabledDevice("alice-phone", "alice");
  const NewVirtualMfaDevice free_device = MakeDevice("free");
  MakeUser("bob");
  const struct {
    std::string name;
    MfaCodePair pair;
    std::string code;
    std::string message;
  } errors[] = {
      {"unknown user", CurrentPair("nobody", device), "NoSuchEntity",
       "The user with name nobody cannot be found."},
      {"another user's device", CurrentPair("bob", device), "NoSuchEntity",
       "MFA Device with serial number arn:aws:iam::123456789012:mfa/alice-phone is not "
       "assigned to user bob."},
      {"an unassigned device", CurrentPair("alice", free_device), "NoSuchEntity",
       "MFA Device with serial number arn:aws:iam::123456789012:mfa/free is not assigned to "
       "user alice."},
      {"wrong codes",
       {.user_name = "alice",
        .serial_number = device.serial_number,
        .authentication_code1 = "000000",
        .authentication_code2 = "000000"},
       "InvalidAuthenticationCode",
       "Authentication code for device is not valid."},
  };
  for (const auto& e : errors) {
    auto resync = service_.ResyncMfaDevice(root_, e.pair);
    EXPECT_EQ(CodeOf(resync), e.code) << e.name;
    EXPECT_EQ(MessageOf(resync), e.message) << e.name;
  }
}

// ---- DeactivateMFADevice, DeleteVirtualMFADevice

TEST_F(MfaServiceTest, DeactivateThenDeleteDevice) {
  const NewVirtualMfaDevice device = EnabledDevice("alice-phone", "alice");
  auto in_use = service_.DeleteVirtualMfaDevice(root_, device.serial_number);
  EXPECT_EQ(CodeOf(in_use), "DeleteConflict");
  EXPECT_EQ(MessageOf(in_use), "Cannot delete entity, must deactivate the MFA device first.");

  MakeUser("bob");
  EXPECT_EQ(CodeOf(service_.DeactivateMfaDevice(root_, "bob", device.serial_number)),
            "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.DeactivateMfaDevice(root_, "nobody", device.serial_number)),
            "NoSuchEntity");
  ASSERT_TRUE(Ok(service_.DeactivateMfaDevice(root_, "alice", device.serial_number)));
  EXPECT_EQ(CodeOf(service_.DeactivateMfaDevice(root_, "alice", device.serial_number)),
            "NoSuchEntity");
  auto listed = service_.ListMfaDevices(root_, "alice", {});
  ASSERT_TRUE(Ok(listed));
  EXPECT_TRUE(listed->items.empty());

  ASSERT_TRUE(Ok(service_.DeleteVirtualMfaDevice(root_, device.serial_number)));
  auto gone = service_.DeleteVirtualMfaDevice(root_, device.serial_number);
  EXPECT_EQ(CodeOf(gone), "NoSuchEntity");
  EXPECT_EQ(MessageOf(gone),
            "VirtualMFADevice with serial number arn:aws:iam::123456789012:mfa/alice-phone does "
            "not exist.");
}

// ---- ListMFADevices, ListVirtualMFADevices

TEST_F(MfaServiceTest, ListMfaDevicesOfAUserOrTheCaller) {
  const NewVirtualMfaDevice first = EnabledDevice("a-phone", "alice");
  clock_.Advance(seconds(60));
  const NewVirtualMfaDevice second = EnabledDevice("b-token", "alice");

  auto all = service_.ListMfaDevices(root_, "alice", {});
  ASSERT_TRUE(Ok(all));
  EXPECT_EQ(all->items,
            (std::vector<MfaDeviceEntry>{
                {.user_name = "alice", .serial_number = first.serial_number, .enable_date = kNow},
                {.user_name = "alice",
                 .serial_number = second.serial_number,
                 .enable_date = kNow + seconds(60)}}));
  EXPECT_TRUE(all->next_marker.empty());

  // Without UserName, an IAM user lists its own devices.
  auto own = service_.ListMfaDevices(UserPrincipal(alice_), std::nullopt, {});
  ASSERT_TRUE(Ok(own));
  EXPECT_EQ(own->items, all->items);

  // Pages of one.
  auto page1 = service_.ListMfaDevices(root_, "alice", {.marker = {}, .max_items = 1});
  ASSERT_TRUE(Ok(page1));
  ASSERT_EQ(page1->items.size(), 1u);
  EXPECT_EQ(page1->items[0].serial_number, first.serial_number);
  ASSERT_FALSE(page1->next_marker.empty());
  auto page2 =
      service_.ListMfaDevices(root_, "alice", {.marker = page1->next_marker, .max_items = 1});
  ASSERT_TRUE(Ok(page2));
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_EQ(page2->items[0].serial_number, second.serial_number);

  auto missing = service_.ListMfaDevices(root_, "nobody", {});
  EXPECT_EQ(CodeOf(missing), "NoSuchEntity");
  EXPECT_EQ(MessageOf(missing), "The user with name nobody cannot be found.");

  // The root user without UserName: its own devices, none yet.
  auto root_devices = service_.ListMfaDevices(root_, std::nullopt, {});
  ASSERT_TRUE(Ok(root_devices));
  EXPECT_TRUE(root_devices->items.empty());
}

TEST_F(MfaServiceTest, ListVirtualMfaDevicesByAssignment) {
  const NewVirtualMfaDevice free_device = MakeDevice("free");
  const NewVirtualMfaDevice alice_device = EnabledDevice("alice-phone", "alice");
  const auto root_device = service_.CreateRootVirtualMfa(kAccount);
  ASSERT_TRUE(Ok(root_device));
  ASSERT_TRUE(
      Ok(service_.EnableRootVirtualMfa(kAccount, CodeAt(root_device->base32_seed, NowStep() - 1),
                                       CodeAt(root_device->base32_seed, NowStep()))));

  const VirtualMfaDeviceEntry alice_entry{
      .serial_number = alice_device.serial_number,
      .user = MfaDeviceOwner{.is_root = false,
                             .user_name = "alice",
                             .path = "/team/",
                             .user_id = alice_.user_id,
                             .arn = "arn:aws:iam::123456789012:user/team/alice",
                             .created = kAccountCreated,
                             .password_last_used = std::nullopt},
      .enable_date = kNow};
  const VirtualMfaDeviceEntry root_entry{
      .serial_number = "arn:aws:iam::123456789012:mfa/root-account-mfa-device",
      .user = MfaDeviceOwner{.is_root = true,
                             .user_name = {},
                             .path = {},
                             .user_id = std::string(kAccount),
                             .arn = "arn:aws:iam::123456789012:root",
                             .created = kAccountCreated,
                             .password_last_used = std::nullopt},
      .enable_date = kNow};
  const VirtualMfaDeviceEntry free_entry{.serial_number = free_device.serial_number,
                                         .user = std::nullopt,
                                         .enable_date = std::nullopt};

  const struct {
    storage::MfaAssignment assignment;
    std::vector<VirtualMfaDeviceEntry> expected;
  } cases[] = {
      {storage::MfaAssignment::kAny, {alice_entry, free_entry, root_entry}},
      {storage::MfaAssignment::kAssigned, {alice_entry, root_entry}},
      {storage::MfaAssignment::kUnassigned, {free_entry}},
  };
  for (const auto& c : cases) {
    auto listed = service_.ListVirtualMfaDevices(root_, c.assignment, {});
    ASSERT_TRUE(Ok(listed));
    EXPECT_EQ(listed->items, c.expected) << static_cast<int>(c.assignment);
    EXPECT_TRUE(listed->next_marker.empty());
  }
}

// ---- Tags

TEST_F(MfaServiceTest, TagsOfADevice) {
  const NewVirtualMfaDevice device = MakeDevice("tagged");
  ASSERT_TRUE(Ok(service_.TagMfaDevice(root_, device.serial_number, {{"a", "1"}, {"b", "2"}})));
  ASSERT_TRUE(Ok(service_.TagMfaDevice(root_, device.serial_number, {{"a", "3"}})));
  ASSERT_TRUE(Ok(service_.UntagMfaDevice(root_, device.serial_number, {"b", "absent"})));
  auto tags = service_.ListMfaDeviceTags(root_, device.serial_number);
  ASSERT_TRUE(Ok(tags));
  EXPECT_EQ(*tags, (storage::Tags{{"a", "3"}}));

  storage::Tags many;
  for (int i = 0; i < 50; ++i) {
    many.emplace_back("k" + std::to_string(i), "v");
  }
  EXPECT_EQ(CodeOf(service_.TagMfaDevice(root_, device.serial_number, many)), "LimitExceeded");
  EXPECT_EQ(CodeOf(service_.TagMfaDevice(root_, device.serial_number, {{"x", "1"}, {"x", "2"}})),
            "InvalidInput");
  const std::string missing = "arn:aws:iam::123456789012:mfa/missing";
  EXPECT_EQ(CodeOf(service_.TagMfaDevice(root_, missing, {{"a", "1"}})), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.UntagMfaDevice(root_, missing, {"a"})), "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.ListMfaDeviceTags(root_, missing)), "NoSuchEntity");
}

// ---- The root user's device

TEST_F(MfaServiceTest, RootVirtualMfaAsTheConsoleSetsItUp) {
  EXPECT_EQ(CodeOf(service_.EnableRootVirtualMfa(kAccount, "123456", "654321")), "NoSuchEntity");
  auto first = service_.CreateRootVirtualMfa(kAccount);
  ASSERT_TRUE(Ok(first));
  // Starting again replaces the unfinished device with a fresh seed.
  auto created = service_.CreateRootVirtualMfa(kAccount);
  ASSERT_TRUE(Ok(created));
  EXPECT_NE(created->base32_seed, first->base32_seed);
  EXPECT_EQ(created->serial_number, "arn:aws:iam::123456789012:mfa/root-account-mfa-device");
  EXPECT_EQ(created->otpauth_uri,
            "otpauth://totp/Amazon%20Web%20Services:root-account-mfa-device@123456789012?secret=" +
                created->base32_seed + "&issuer=Amazon%20Web%20Services");
  EXPECT_EQ(created->qr_code_png.substr(1, 3), "PNG");
  EXPECT_EQ(service_.RootMfaEnabled(kAccount), Result<bool>(false));

  // The first seed's codes and wrong pairs do not enable it.
  EXPECT_EQ(
      CodeOf(service_.EnableRootVirtualMfa(kAccount, CodeAt(first->base32_seed, NowStep() - 1),
                                           CodeAt(first->base32_seed, NowStep()))),
      "InvalidAuthenticationCode");
  EXPECT_EQ(CodeOf(service_.EnableRootVirtualMfa(kAccount, CodeAt(created->base32_seed, NowStep()),
                                                 CodeAt(created->base32_seed, NowStep() - 1))),
            "InvalidAuthenticationCode");
  EXPECT_EQ(service_.RootMfaEnabled(kAccount), Result<bool>(false));

  ASSERT_TRUE(
      Ok(service_.EnableRootVirtualMfa(kAccount, CodeAt(created->base32_seed, NowStep() - 1),
                                       CodeAt(created->base32_seed, NowStep()))));
  EXPECT_EQ(service_.RootMfaEnabled(kAccount), Result<bool>(true));
  EXPECT_EQ(service_.RootMfaEnabled(kOtherAccount), Result<bool>(false));

  // The root user lists it as its own device.
  auto listed = service_.ListMfaDevices(root_, std::nullopt, {});
  ASSERT_TRUE(Ok(listed));
  EXPECT_EQ(listed->items, (std::vector<MfaDeviceEntry>{{.user_name = std::string(kAccount),
                                                         .serial_number = created->serial_number,
                                                         .enable_date = kNow}}));

  // Enabled: it cannot be set up again, enabled for a user, deactivated or deleted by the API.
  const std::string in_use =
      "MFA Device arn:aws:iam::123456789012:mfa/root-account-mfa-device is already in use.";
  EXPECT_EQ(MessageOf(service_.CreateRootVirtualMfa(kAccount)), in_use);
  clock_.Advance(seconds(60));
  const MfaCodePair next_pair{.user_name = "alice",
                              .serial_number = created->serial_number,
                              .authentication_code1 = CodeAt(created->base32_seed, NowStep() - 1),
                              .authentication_code2 = CodeAt(created->base32_seed, NowStep())};
  EXPECT_EQ(MessageOf(service_.EnableRootVirtualMfa(kAccount, next_pair.authentication_code1,
                                                    next_pair.authentication_code2)),
            in_use);
  EXPECT_EQ(MessageOf(service_.EnableMfaDevice(root_, next_pair)), in_use);
  EXPECT_EQ(CodeOf(service_.DeactivateMfaDevice(root_, "alice", created->serial_number)),
            "NoSuchEntity");
  EXPECT_EQ(CodeOf(service_.DeleteVirtualMfaDevice(root_, created->serial_number)),
            "DeleteConflict");

  // Its codes sign the root user in, once each.
  const std::string code = CodeAt(created->base32_seed, NowStep());
  EXPECT_EQ(CodeOf(service_.VerifyMfaCode(kAccount, "alice", created->serial_number, code)),
            "NoSuchEntity");
  EXPECT_TRUE(Ok(service_.VerifyMfaCode(kAccount, "", created->serial_number, code)));
  EXPECT_EQ(CodeOf(service_.VerifyMfaCode(kAccount, "", created->serial_number, code)),
            "InvalidAuthenticationCode");

  ASSERT_TRUE(Ok(service_.RemoveRootVirtualMfa(kAccount)));
  EXPECT_EQ(service_.RootMfaEnabled(kAccount), Result<bool>(false));
  EXPECT_EQ(CodeOf(service_.RemoveRootVirtualMfa(kAccount)), "NoSuchEntity");
}

TEST_F(MfaServiceTest, RootVirtualMfaErrors) {
  EXPECT_EQ(CodeOf(service_.CreateRootVirtualMfa("999999999999")), "NoSuchEntity");
  // An IAM user holding the root device's serial number keeps it.
  EnabledDevice("root-account-mfa-device", "alice");
  EXPECT_EQ(CodeOf(service_.CreateRootVirtualMfa(kAccount)), "EntityAlreadyExists");
  EXPECT_EQ(CodeOf(service_.RemoveRootVirtualMfa(kAccount)), "NoSuchEntity");
  EXPECT_EQ(service_.RootMfaEnabled(kAccount), Result<bool>(false));
}

// ---- Operation rows

class MfaOperationsTest : public MfaServiceTest {
 protected:
  void SetUp() override {
    MfaServiceTest::SetUp();
    AddMfaOperations(service_, rows_);
  }

  const OperationRow& Row(std::string_view name) const {
    for (const OperationRow& row : rows_) {
      if (row.name == name) {
        return row;
      }
    }
    ADD_FAILURE() << "no row " << name;
    return rows_.front();
  }

  Result<json::value> Run(std::string_view name, const json::object& input,
                          const Principal& caller) const {
    const RequestContext context{
        .principal = caller, .region = "us-east-1", .request_id = "req-1", .now = clock_.Now()};
    return Row(name).handler(context, input);
  }

  std::string Resource(std::string_view name, const json::object& input) const {
    const RequestContext context{
        .principal = root_, .region = "us-east-1", .request_id = "req-1", .now = clock_.Now()};
    return Row(name).resource(context, input);
  }

  std::vector<OperationRow> rows_;
};

TEST_F(MfaOperationsTest, RowsNameTheirIamActions) {
  const std::vector<std::string> expected = {
      "CreateVirtualMFADevice", "EnableMFADevice",  "DeactivateMFADevice",   "ResyncMFADevice",
      "DeleteVirtualMFADevice", "ListMFADevices",   "ListVirtualMFADevices", "TagMFADevice",
      "UntagMFADevice",         "ListMFADeviceTags"};
  ASSERT_EQ(rows_.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(rows_[i].name, expected[i]);
    EXPECT_EQ(rows_[i].iam_action, "iam:" + expected[i]);
    EXPECT_FALSE(rows_[i].skip_authorization) << expected[i];
  }
}

TEST_F(MfaOperationsTest, ResourcesAreDeviceAndUserArns) {
  const struct {
    std::string operation;
    json::object input;
    std::string resource;
  } cases[] = {
      {"CreateVirtualMFADevice",
       {{"VirtualMFADeviceName", "phone"}, {"Path", "/ops/"}},
       "arn:aws:iam::123456789012:mfa/ops/phone"},
      {"CreateVirtualMFADevice",
       {{"VirtualMFADeviceName", "phone"}},
       "arn:aws:iam::123456789012:mfa/phone"},
      {"EnableMFADevice", {{"UserName", "alice"}}, "arn:aws:iam::123456789012:user/team/alice"},
      {"ResyncMFADevice", {{"UserName", "ghost"}}, "arn:aws:iam::123456789012:user/ghost"},
      {"DeactivateMFADevice", {{"UserName", "alice"}}, "arn:aws:iam::123456789012:user/team/alice"},
      {"ListMFADevices", {}, "arn:aws:iam::123456789012:root"},
      {"DeleteVirtualMFADevice",
       {{"SerialNumber", "arn:aws:iam::123456789012:mfa/phone"}},
       "arn:aws:iam::123456789012:mfa/phone"},
      {"ListVirtualMFADevices", {}, "arn:aws:iam::123456789012:mfa/"},
      {"TagMFADevice",
       {{"SerialNumber", "arn:aws:iam::123456789012:mfa/phone"}},
       "arn:aws:iam::123456789012:mfa/phone"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Resource(c.operation, c.input), c.resource) << c.operation;
  }
}

TEST_F(MfaOperationsTest, CreateEnableAndListThroughDocuments) {
  auto created = Run("CreateVirtualMFADevice",
                     {{"VirtualMFADeviceName", "alice-phone"},
                      {"Tags", json::array{json::object{{"Key", "k"}, {"Value", "v"}}}}},
                     root_);
  ASSERT_TRUE(Ok(created));
  const json::object& device = created->as_object().at("VirtualMFADevice").as_object();
  EXPECT_EQ(device.at("SerialNumber").as_string(), "arn:aws:iam::123456789012:mfa/alice-phone");
  const std::string seed(device.at("Base32StringSeed").as_string());
  EXPECT_EQ(seed.size(), 64u);
  EXPECT_TRUE(Base32Decode(seed).has_value());
  const std::string png(device.at("QRCodePNG").as_string());
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(json::serialize(device.at("Tags")), R"([{"Key":"k","Value":"v"}])");

  auto enabled = Run("EnableMFADevice",
                     {{"UserName", "alice"},
                      {"SerialNumber", "arn:aws:iam::123456789012:mfa/alice-phone"},
                      {"AuthenticationCode1", CodeAt(seed, NowStep() - 1)},
                      {"AuthenticationCode2", CodeAt(seed, NowStep())}},
                     root_);
  ASSERT_TRUE(Ok(enabled));
  EXPECT_EQ(json::serialize(*enabled), "{}");

  auto wrong = Run("ResyncMFADevice",
                   {{"UserName", "alice"},
                    {"SerialNumber", "arn:aws:iam::123456789012:mfa/alice-phone"},
                    {"AuthenticationCode1", "000000"},
                    {"AuthenticationCode2", "111111"}},
                   root_);
  EXPECT_EQ(CodeOf(wrong), "InvalidAuthenticationCode");

  auto mine = Run("ListMFADevices", {}, UserPrincipal(alice_));
  ASSERT_TRUE(Ok(mine));
  EXPECT_EQ(json::serialize(*mine),
            R"({"MFADevices":[{"UserName":"alice","SerialNumber":)"
            R"("arn:aws:iam::123456789012:mfa/alice-phone","EnableDate":1714564800}],)"
            R"("IsTruncated":false})");

  auto assigned = Run("ListVirtualMFADevices", {{"AssignmentStatus", "Assigned"}}, root_);
  ASSERT_TRUE(Ok(assigned));
  EXPECT_EQ(json::serialize(*assigned),
            R"({"VirtualMFADevices":[{"SerialNumber":)"
            R"("arn:aws:iam::123456789012:mfa/alice-phone","User":{"Path":"/team/",)"
            R"("UserName":"alice","UserId":"AIDAMFATESTUSER1001",)"
            R"("Arn":"arn:aws:iam::123456789012:user/team/alice","CreateDate":1700000000},)"
            R"("EnableDate":1714564800}],"IsTruncated":false})");

  auto unassigned = Run("ListVirtualMFADevices", {{"AssignmentStatus", "Unassigned"}}, root_);
  ASSERT_TRUE(Ok(unassigned));
  EXPECT_EQ(json::serialize(*unassigned), R"({"VirtualMFADevices":[],"IsTruncated":false})");

  auto tags = Run("ListMFADeviceTags",
                  {{"SerialNumber", "arn:aws:iam::123456789012:mfa/alice-phone"}}, root_);
  ASSERT_TRUE(Ok(tags));
  EXPECT_EQ(json::serialize(*tags), R"({"Tags":[{"Key":"k","Value":"v"}],"IsTruncated":false})");

  auto deleted = Run("DeleteVirtualMFADevice",
                     {{"SerialNumber", "arn:aws:iam::123456789012:mfa/alice-phone"}}, root_);
  EXPECT_EQ(CodeOf(deleted), "DeleteConflict");
  ASSERT_TRUE(
      Ok(Run("DeactivateMFADevice",
             {{"UserName", "alice"}, {"SerialNumber", "arn:aws:iam::123456789012:mfa/alice-phone"}},
             root_)));
  ASSERT_TRUE(Ok(Run("DeleteVirtualMFADevice",
                     {{"SerialNumber", "arn:aws:iam::123456789012:mfa/alice-phone"}}, root_)));
}

TEST_F(MfaOperationsTest, RootDeviceListsWithTheRootUser) {
  auto created = service_.CreateRootVirtualMfa(kAccount);
  ASSERT_TRUE(Ok(created));
  ASSERT_TRUE(
      Ok(service_.EnableRootVirtualMfa(kAccount, CodeAt(created->base32_seed, NowStep() - 1),
                                       CodeAt(created->base32_seed, NowStep()))));
  auto listed = Run("ListVirtualMFADevices", {}, root_);
  ASSERT_TRUE(Ok(listed));
  EXPECT_EQ(json::serialize(*listed),
            R"({"VirtualMFADevices":[{"SerialNumber":)"
            R"("arn:aws:iam::123456789012:mfa/root-account-mfa-device","User":{)"
            R"("UserId":"123456789012","Arn":"arn:aws:iam::123456789012:root",)"
            R"("CreateDate":1700000000},"EnableDate":1714564800}],"IsTruncated":false})");
  // The API's answer to a root attempt at enabling a device, as AWS gives it.
  auto root_attempt =
      Run("EnableMFADevice",
          {{"UserName", "root"},
           {"SerialNumber", "arn:aws:iam::123456789012:mfa/root-account-mfa-device"},
           {"AuthenticationCode1", "123456"},
           {"AuthenticationCode2", "654321"}},
          root_);
  EXPECT_EQ(CodeOf(root_attempt), "NoSuchEntity");
  EXPECT_EQ(MessageOf(root_attempt), "The user with name root cannot be found.");
}

}  // namespace
}  // namespace fulcrum::services::iam
