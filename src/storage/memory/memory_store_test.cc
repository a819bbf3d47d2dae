#include "storage/memory/memory_store.h"

#include <gtest/gtest.h>

#include "storage/account_store_conformance.h"
#include "storage/iam_store_conformance.h"

namespace fulcrum::storage {
namespace {

INSTANTIATE_TEST_SUITE_P(Memory, AccountStoreConformanceTest,
                         ::testing::Values(AccountStoreFactory{
                             "Memory",
                             [](const std::filesystem::path&) { return MakeMemoryStore(); }}),
                         AccountStoreFactoryName);

INSTANTIATE_TEST_SUITE_P(Memory, IamStoreConformanceTest,
                         ::testing::Values(IamStoreFactory{
                             "Memory",
                             [](const std::filesystem::path&, size_t list_scan_limit) {
                               return MakeMemoryDatabase(list_scan_limit);
                             }}),
                         IamStoreFactoryName);

TEST(MemoryStoreTest, StoresAreIndependent) {
  auto first = MakeMemoryStore();
  auto second = MakeMemoryStore();
  ASSERT_TRUE(
      first->CreateAccount(TestAccount("111111111111", "a", "a@example.com"), {}).has_value());
  EXPECT_EQ(second->FindAccountById("111111111111").value(), std::nullopt);
}

}  // namespace
}  // namespace fulcrum::storage
