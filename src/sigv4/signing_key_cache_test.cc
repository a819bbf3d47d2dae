#include "sigv4/signing_key_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace fulcrum::sigv4 {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

TEST(SigningKeyCacheTest, ReturnsTheDerivedKeyAndRemembersIt) {
  SigningKeyCache cache;
  const SigningKey expected = DeriveSigningKey(kSecret, "20240501", "us-east-1", "iam");
  EXPECT_EQ(cache.Get("AKID", kSecret, "20240501", "us-east-1", "iam"), expected);
  EXPECT_EQ(cache.Size(), 1u);
  EXPECT_EQ(cache.Get("AKID", kSecret, "20240501", "us-east-1", "iam"), expected);
  EXPECT_EQ(cache.Size(), 1u);
}

TEST(SigningKeyCacheTest, NeverReturnsAKeyOfAnotherSecret) {
  SigningKeyCache cache;
  const SigningKey first = cache.Get("AKID", kSecret, "20240501", "us-east-1", "iam");
  // Same access key id, rotated secret: the key must be the new secret's.
  const SigningKey second = cache.Get("AKID", "another-secret", "20240501", "us-east-1", "iam");
  EXPECT_NE(first, second);
  EXPECT_EQ(second, DeriveSigningKey("another-secret", "20240501", "us-east-1", "iam"));
  EXPECT_EQ(cache.Get("AKID", kSecret, "20240501", "us-east-1", "iam"), first);
}

TEST(SigningKeyCacheTest, KeysDependOnEveryScopePart) {
  SigningKeyCache cache;
  const SigningKey base = cache.Get("AKID", kSecret, "20240501", "us-east-1", "iam");
  EXPECT_NE(cache.Get("AKID", kSecret, "20240502", "us-east-1", "iam"), base);
  EXPECT_NE(cache.Get("AKID", kSecret, "20240501", "eu-west-1", "iam"), base);
  EXPECT_NE(cache.Get("AKID", kSecret, "20240501", "us-east-1", "sts"), base);
  // The same key under another access key id is cached separately but equal.
  EXPECT_EQ(cache.Get("OTHER", kSecret, "20240501", "us-east-1", "iam"), base);
  EXPECT_EQ(cache.Size(), 5u);
}

TEST(SigningKeyCacheTest, StaysBounded) {
  SigningKeyCache cache(64);
  for (int i = 0; i < 1000; ++i) {
    const std::string akid = "AKID" + std::to_string(i);
    EXPECT_EQ(cache.Get(akid, kSecret, "20240501", "us-east-1", "iam"),
              DeriveSigningKey(kSecret, "20240501", "us-east-1", "iam"));
  }
  EXPECT_LE(cache.Size(), 64u);
  EXPECT_GT(cache.Size(), 0u);
}

TEST(SigningKeyCacheTest, ConcurrentUseIsConsistent) {
  SigningKeyCache cache(128);
  const SigningKey a = DeriveSigningKey("secret-a", "20240501", "us-east-1", "iam");
  const SigningKey b = DeriveSigningKey("secret-b", "20240501", "us-east-1", "iam");
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const bool use_a = (i + t) % 2 == 0;
        const std::string akid = "AKID" + std::to_string(i % 300);
        const SigningKey got =
            cache.Get(akid, use_a ? "secret-a" : "secret-b", "20240501", "us-east-1", "iam");
        if (got != (use_a ? a : b)) {
          ++wrong[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const int w : wrong) {
    EXPECT_EQ(w, 0);
  }
}

}  // namespace
}  // namespace fulcrum::sigv4
