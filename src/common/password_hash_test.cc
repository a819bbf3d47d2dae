#include "common/password_hash.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace fulcrum {
namespace {

// Cheap enough for unit tests; the default cost is exercised separately.
constexpr ScryptCost kTestCost{.log2_n = 4, .r = 8, .p = 1};

TEST(PasswordHashTest, DefaultCostIsTheSlowOne) {
  EXPECT_EQ(kDefaultScryptCost.log2_n, 15);
  EXPECT_EQ(kDefaultScryptCost.r, 8);
  EXPECT_EQ(kDefaultScryptCost.p, 1);
}

TEST(PasswordHashTest, DefaultHashHasThePhcFormatAndVerifies) {
  const std::string stored = HashPassword("correct horse battery staple");
  // 16-byte salt -> 22 base64 characters, 32-byte hash -> 43, no padding.
  const std::regex format(R"(\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43})");
  EXPECT_TRUE(std::regex_match(stored, format)) << stored;
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", stored));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", stored));
}

TEST(PasswordHashTest, VerifiesOnlyTheHashedPassword) {
  const struct {
    std::string password;
    std::string other;
  } cases[] = {
      {"", " "},
      {"hunter2", "hunter3"},
      {"hunter2", "Hunter2"},
      {std::string("nul\0inside", 10), "nul"},
      {std::string(1000, 'x'), std::string(999, 'x')},
  };
  for (const auto& c : cases) {
    const std::string stored = HashPassword(c.password, kTestCost);
    EXPECT_TRUE(VerifyPassword(c.password, stored)) << stored;
    EXPECT_FALSE(VerifyPassword(c.other, stored)) << stored;
  }
}

TEST(PasswordHashTest, RecordsTheCostUsed) {
  const std::string stored = HashPassword("pw", ScryptCost{.log2_n = 5, .r = 4, .p = 2});
  EXPECT_EQ(stored.rfind("$scrypt$ln=5,r=4,p=2$", 0), 0u) << stored;
  EXPECT_TRUE(VerifyPassword("pw", stored));
}

TEST(PasswordHashTest, SaltsAreRandom) {
  const std::string first = HashPassword("same", kTestCost);
  const std::string second = HashPassword("same", kTestCost);
  EXPECT_NE(first, second);
  EXPECT_TRUE(VerifyPassword("same", first));
  EXPECT_TRUE(VerifyPassword("same", second));
}

// RFC 7914 section 12, fourth vector: P="pleaseletmein", S="SodiumChloride", N=16384, r=8, p=1,
// dkLen=64, written in the stored form.
TEST(PasswordHashTest, VerifiesTheRfc7914Vector) {
  const std::string stored =
      "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU$"
      "cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw";
  EXPECT_TRUE(VerifyPassword("pleaseletmein", stored));
  EXPECT_FALSE(VerifyPassword("pleaseletmeout", stored));
}

TEST(PasswordHashTest, AlteredHashDoesNotVerify) {
  const std::string stored = HashPassword("pw", kTestCost);
  const size_t hash_start = stored.rfind('$') + 1;
  for (size_t i = hash_start; i < stored.size(); ++i) {
    std::string altered = stored;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(VerifyPassword("pw", altered)) << altered;
  }
}

TEST(PasswordHashTest, MalformedStoredValuesDoNotVerify) {
  const std::string good = HashPassword("pw", kTestCost);
  ASSERT_TRUE(VerifyPassword("pw", good));
  const size_t salt_start = good.find('$', 8) + 1;
  const size_t hash_start = good.rfind('$') + 1;
  const std::string salt = good.substr(salt_start, hash_start - 1 - salt_start);
  const std::string hash = good.substr(hash_start);
  const std::string bad[] = {
      "",
      "pw",
      "$scrypt$",
      "$argon2id$v=19,m=65536,t=3,p=4$" + salt + "$" + hash,
      "$scrypt$ln=4,r=8$" + salt + "$" + hash,
      "$scrypt$ln=4,r=8,p=1,x=2$" + salt + "$" + hash,
      "$scrypt$r=8,ln=4,p=1$" + salt + "$" + hash,
      "$scrypt$ln=four,r=8,p=1$" + salt + "$" + hash,
      "$scrypt$ln=4,r=8,p=1$" + salt,
      "$scrypt$ln=4,r=8,p=1$" + salt + "$" + hash + "$",
      "$scrypt$ln=4,r=8,p=1$" + salt + "=$" + hash,
      "$scrypt$ln=4,r=8,p=1$" + salt + "$" + hash + "==",
      "$scrypt$ln=4,r=8,p=1$" + salt + "$" + hash.substr(1),
      "$scrypt$ln=4,r=8,p=1$$" + hash,
      "$scrypt$ln=4,r=8,p=1$" + salt + "$",
      "$scrypt$ln=4,r=8,p=1$" + salt + "$" + hash.substr(0, 10),
      "$scrypt$ln=4,r=8,p=1$" + salt + "$*" + hash.substr(1),
      // Costs outside the accepted ranges are refused before any work is done.
      "$scrypt$ln=0,r=8,p=1$" + salt + "$" + hash,
      "$scrypt$ln=40,r=8,p=1$" + salt + "$" + hash,
      "$scrypt$ln=4,r=0,p=1$" + salt + "$" + hash,
      "$scrypt$ln=4,r=1000,p=1$" + salt + "$" + hash,
      "$scrypt$ln=4,r=8,p=0$" + salt + "$" + hash,
      "$scrypt$ln=4,r=8,p=-1$" + salt + "$" + hash,
      "$scrypt$ln=4,r=8,p=99999999999$" + salt + "$" + hash,
  };
  for (const auto& stored : bad) EXPECT_FALSE(VerifyPassword("pw", stored)) << stored;
}

}  // namespace
}  // namespace fulcrum
