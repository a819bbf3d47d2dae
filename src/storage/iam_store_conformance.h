#pragma once

// The conformance suite that every IamStore back end passes (tests only). The suite runs against
// a Database, since IAM state refers to accounts and access keys. A back end runs it with one line
// in its own test file:
//
//   INSTANTIATE_TEST_SUITE_P(Memory, IamStoreConformanceTest,
//                            ::testing::Values(IamStoreFactory{"Memory", MakeIt}),
//                            IamStoreFactoryName);
//
// The tests themselves live in iam_store_conformance_test.cc.

#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "storage/account_store_conformance.h"
#include "storage/database.h"

namespace fulcrum::storage {

struct IamStoreFactory {
  std::string name;
  // Returns an empty Database keeping its files, if any, under `dir`, whose list calls examine at
  // most list_scan_limit entries; null on failure (after adding a test failure that says why).
  std::function<std::unique_ptr<Database>(const std::filesystem::path& dir, size_t list_scan_limit)>
      make;
};

inline void PrintTo(const IamStoreFactory& factory, std::ostream* out) { *out << factory.name; }

inline std::string IamStoreFactoryName(const ::testing::TestParamInfo<IamStoreFactory>& info) {
  return info.param.name;
}

// "" if `result` holds a value, else its error code.
template <class T>
std::string ErrorCode(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().code;
}

// Success, or a failure that shows the error.
template <class T>
::testing::AssertionResult Succeeded(const Result<T>& result) {
  if (result.has_value()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.error().code << ": " << result.error().message;
}

// Every item of a paginated list, following next_marker from the start; `pages` (if given)
// receives each page. Stops with a test failure after 10,000 pages or on an error.
template <class T, class Fetch>
std::vector<T> AllPages(Fetch&& fetch, size_t max_items, std::vector<Page<T>>* pages = nullptr) {
  std::vector<T> items;
  PageRequest request{.marker = {}, .max_items = max_items};
  for (int i = 0; i < 10'000; ++i) {
    Result<Page<T>> page = fetch(request);
    if (!page.has_value()) {
      ADD_FAILURE() << page.error().code << ": " << page.error().message;
      return items;
    }
    if (page->items.size() > max_items) ADD_FAILURE() << "page larger than max_items";
    items.insert(items.end(), page->items.begin(), page->items.end());
    if (pages != nullptr) pages->push_back(*page);
    if (page->next_marker.empty()) return items;
    request.marker = page->next_marker;
  }
  ADD_FAILURE() << "pagination did not end";
  return items;
}

inline constexpr char kIamAccount[] = "111111111111";
inline constexpr char kOtherAccount[] = "222222222222";

inline User TestUser(std::string account_id, std::string name, std::string path = "/",
                     TimePoint created = TestTime()) {
  return User{.account_id = account_id,
              .user_id = "AIDA" + account_id + "X" + name,
              .user_name = name,
              .path = path,
              .arn = "arn:aws:iam::" + account_id + ":user" + path + name,
              .created = created,
              .permissions_boundary_arn = {},
              .tags = {},
              .password_last_used = std::nullopt};
}

inline Group TestGroup(std::string account_id, std::string name, std::string path = "/") {
  return Group{.account_id = account_id,
               .group_id = "AGPA" + account_id + "X" + name,
               .group_name = name,
               .path = path,
               .arn = "arn:aws:iam::" + account_id + ":group" + path + name,
               .created = TestTime(1)};
}

inline Role TestRole(std::string account_id, std::string name, std::string path = "/") {
  return Role{.account_id = account_id,
              .role_id = "AROA" + account_id + "X" + name,
              .role_name = name,
              .path = path,
              .arn = "arn:aws:iam::" + account_id + ":role" + path + name,
              .created = TestTime(2),
              .assume_role_policy_document =
                  R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                  R"("Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})",
              .description = "role " + name,
              .max_session_duration = 3600,
              .permissions_boundary_arn = {},
              .tags = {},
              .last_used = std::nullopt};
}

// A customer managed policy of account_id, or an AWS managed one if account_id is empty.
inline ManagedPolicy TestPolicy(std::string account_id, std::string name, std::string path = "/") {
  const std::string owner = account_id.empty() ? "aws" : account_id;
  return ManagedPolicy{.arn = "arn:aws:iam::" + owner + ":policy" + path + name,
                       .policy_id = "ANPA" + owner + "X" + name,
                       .policy_name = name,
                       .path = path,
                       .account_id = account_id,
                       .description = "policy " + name,
                       .created = TestTime(3),
                       .updated = TestTime(3),
                       .default_version_id = "v1",
                       .attachment_count = 0,
                       .permissions_boundary_usage_count = 0,
                       .is_attachable = true,
                       .tags = {}};
}

inline std::string TestDocument(std::string_view action) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")" +
         std::string(action) + R"(","Resource":"*"}]})";
}

inline VirtualMfaDevice TestMfaDevice(std::string account_id, std::string name) {
  return VirtualMfaDevice{.serial_number = "arn:aws:iam::" + account_id + ":mfa/" + name,
                          .account_id = account_id,
                          .path = "/",
                          .name = name,
                          .seed = "JBSWY3DPEHPK3PXP" + std::string(16, 'A'),
                          .created = TestTime(4),
                          .tags = {},
                          .user_name = {},
                          .enable_date = std::nullopt,
                          .last_time_step = std::nullopt};
}

class IamStoreConformanceTest : public ::testing::TestWithParam<IamStoreFactory> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    db_ = GetParam().make(dir_.path(), kDefaultListScanLimit);
    ASSERT_NE(db_, nullptr);
    for (const char* id : {kIamAccount, kOtherAccount}) {
      ASSERT_TRUE(Succeeded(db_->CreateAccount(
          TestAccount(id, std::string("acct-") + id, std::string(id) + "@example.com"), {})));
    }
  }

  // Creates what a test relies on; fails the test if that does not work.
  void Create(const User& user) { ASSERT_TRUE(Succeeded(db_->CreateUser(user))); }
  void Create(const Group& group) { ASSERT_TRUE(Succeeded(db_->CreateGroup(group))); }
  void Create(const Role& role) { ASSERT_TRUE(Succeeded(db_->CreateRole(role))); }
  void Create(const ManagedPolicy& policy, std::string_view document = TestDocument("s3:*")) {
    ASSERT_TRUE(Succeeded(db_->CreatePolicy(policy, document)));
  }
  void Create(const VirtualMfaDevice& device) {
    ASSERT_TRUE(Succeeded(db_->CreateVirtualMfaDevice(device)));
  }

  // The policy as account_id sees it, or nullopt (after a failure if the call failed).
  std::optional<ManagedPolicy> Policy(std::string_view account_id, std::string_view arn) {
    auto policy = db_->GetPolicy(account_id, arn);
    EXPECT_TRUE(Succeeded(policy));
    return policy.value_or(std::nullopt);
  }

  ScopedTempDir dir_;
  std::unique_ptr<Database> db_;
};

}  // namespace fulcrum::storage
