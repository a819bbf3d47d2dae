#include "common/ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/random.h"

namespace fulcrum {
namespace {

bool AllOf(std::string_view text, std::string_view alphabet) {
  return std::all_of(text.begin(), text.end(),
                     [&](char c) { return alphabet.find(c) != std::string_view::npos; });
}

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

TEST(RandomTest, SeededRandomIsDeterministic) {
  SeededRandom a(42);
  SeededRandom b(42);
  SeededRandom c(43);
  std::array<std::uint8_t, 37> x{};
  std::array<std::uint8_t, 37> y{};
  std::array<std::uint8_t, 37> z{};
  a.Fill(x);
  b.Fill(y);
  c.Fill(z);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
  a.Fill(x);
  EXPECT_NE(x, y);  // The stream moves on.
}

TEST(RandomTest, SecureRandomFillsAndDiffers) {
  SecureRandom random;
  std::array<std::uint8_t, 32> x{};
  std::array<std::uint8_t, 32> y{};
  random.Fill(x);
  random.Fill(y);
  EXPECT_NE(x, y);
  random.Fill(std::span<std::uint8_t>());  // An empty fill is allowed.
}

TEST(RandomTest, FastRandomDiffersAcrossCallsAndThreads) {
  const std::uint64_t first = FastRandom64();
  EXPECT_NE(first, FastRandom64());
  std::uint64_t other = first;
  std::thread([&] { other = FastRandom64(); }).join();
  EXPECT_NE(first, other);
}

TEST(IdsTest, AccountId) {
  SeededRandom random(1);
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewAccountId(random);
    ASSERT_EQ(id.size(), 12u) << id;
    EXPECT_NE(id[0], '0');
    EXPECT_TRUE(AllOf(id, "0123456789")) << id;
  }
}

TEST(IdsTest, AccessKeyIds) {
  SeededRandom random(2);
  for (const std::string_view prefix : {"AKIA", "ASIA"}) {
    const std::string id = NewAccessKeyId(random, prefix);
    ASSERT_EQ(id.size(), 20u);
    EXPECT_TRUE(id.starts_with(prefix));
    EXPECT_TRUE(AllOf(id.substr(4), kBase32)) << id;
  }
}

TEST(IdsTest, SecretAccessKey) {
  SeededRandom random(3);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string secret = NewSecretAccessKey(random);
    ASSERT_EQ(secret.size(), 40u);
    EXPECT_TRUE(AllOf(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
        << secret;
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(IdsTest, UniqueIds) {
  SeededRandom random(4);
  for (const std::string_view prefix : {"AIDA", "AROA", "AGPA", "ANPA"}) {
    const std::string id = NewUniqueId(random, prefix);
    ASSERT_EQ(id.size(), 21u);
    EXPECT_TRUE(id.starts_with(prefix));
    EXPECT_TRUE(AllOf(id.substr(4), kBase32)) << id;
  }
}

TEST(IdsTest, SameSeedSameIds) {
  SeededRandom a(7);
  SeededRandom b(7);
  EXPECT_EQ(NewAccountId(a), NewAccountId(b));
  EXPECT_EQ(NewAccessKeyId(a, "AKIA"), NewAccessKeyId(b, "AKIA"));
  EXPECT_EQ(NewSecretAccessKey(a), NewSecretAccessKey(b));
}

TEST(IdsTest, RequestIdIsUuidV4) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 36u);
    for (std::size_t pos = 0; pos < id.size(); ++pos) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
        EXPECT_EQ(id[pos], '-') << id;
      } else {
        EXPECT_NE(std::string_view("0123456789abcdef").find(id[pos]), std::string_view::npos) << id;
      }
    }
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace fulcrum
