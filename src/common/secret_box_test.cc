#include "common/secret_box.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace fulcrum {
namespace {

std::string TestKey(char fill) { return std::string(SecretBox::kKeySize, fill); }

SecretBox MakeBox(char fill = 'k') {
  auto box = SecretBox::FromKey(TestKey(fill));
  EXPECT_TRUE(box.has_value());
  return *box;
}

TEST(SecretBoxTest, RejectsKeysOfTheWrongSize) {
  for (size_t size : {size_t{0}, size_t{16}, size_t{31}, size_t{33}, size_t{64}}) {
    auto box = SecretBox::FromKey(std::string(size, 'x'));
    ASSERT_FALSE(box.has_value()) << size;
    EXPECT_EQ(box.error().code, "InvalidParameterValue");
  }
}

TEST(SecretBoxTest, ConstructorAndFactoryUseTheSameKey) {
  const SecretBox constructed(TestKey('k'));
  auto opened = MakeBox('k').Open(constructed.Seal("secret", "ad"), "ad");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, "secret");
}

TEST(SecretBoxDeathTest, ConstructorAbortsOnAKeyOfTheWrongSize) {
  EXPECT_DEATH({ const SecretBox box(std::string(31, 'k')); }, "32 bytes");
}

TEST(SecretBoxTest, OpensWhatItSeals) {
  const struct {
    std::string plaintext;
    std::string associated_data;
  } cases[] = {
      {"", ""},
      {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAIOSFODNN7EXAMPLE"},
      {std::string("with\0nul\0bytes", 14), std::string("\0", 1)},
      {std::string(1 << 20, 'p'), std::string(1000, 'a')},
  };
  const SecretBox box = MakeBox();
  for (const auto& c : cases) {
    const std::string sealed = box.Seal(c.plaintext, c.associated_data);
    EXPECT_EQ(sealed.size(), SecretBox::kOverhead + c.plaintext.size());
    auto opened = box.Open(sealed, c.associated_data);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_EQ(*opened, c.plaintext);
  }
}

TEST(SecretBoxTest, SealedValueHasVersionNonceCiphertextTag) {
  const SecretBox box = MakeBox();
  const std::string plaintext = "secret-secret-secret";
  const std::string sealed = box.Seal(plaintext, "ad");
  ASSERT_EQ(sealed.size(), 1 + 12 + plaintext.size() + 16);
  EXPECT_EQ(static_cast<unsigned char>(sealed[0]), SecretBox::kVersion);
  EXPECT_EQ(sealed.find(plaintext), std::string::npos);
}

TEST(SecretBoxTest, EachSealUsesAFreshNonce) {
  const SecretBox box = MakeBox();
  const std::string first = box.Seal("same", "same");
  const std::string second = box.Seal("same", "same");
  EXPECT_NE(first.substr(1, SecretBox::kNonceSize), second.substr(1, SecretBox::kNonceSize));
  EXPECT_NE(first, second);
}

TEST(SecretBoxTest, WrongAssociatedDataFails) {
  const SecretBox box = MakeBox();
  const std::string sealed = box.Seal("secret", "AKIA0000000000000001");
  auto opened = box.Open(sealed, "AKIA0000000000000002");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, "InternalFailure");
}

TEST(SecretBoxTest, WrongKeyFails) {
  const std::string sealed = MakeBox('a').Seal("secret", "ad");
  auto opened = MakeBox('b').Open(sealed, "ad");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, "InternalFailure");
}

TEST(SecretBoxTest, AnyAlteredByteFails) {
  const SecretBox box = MakeBox();
  const std::string sealed = box.Seal("secret", "ad");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    auto opened = box.Open(altered, "ad");
    ASSERT_FALSE(opened.has_value()) << "byte " << i;
    EXPECT_EQ(opened.error().code, "InternalFailure");
  }
}

TEST(SecretBoxTest, TruncatedOrExtendedValueFails) {
  const SecretBox box = MakeBox();
  const std::string sealed = box.Seal("secret", "ad");
  for (size_t size = 0; size < sealed.size(); ++size) {
    auto opened = box.Open(sealed.substr(0, size), "ad");
    ASSERT_FALSE(opened.has_value()) << "size " << size;
    EXPECT_EQ(opened.error().code, "InternalFailure");
  }
  EXPECT_FALSE(box.Open(sealed + "x", "ad").has_value());
}

TEST(SecretBoxTest, UnknownVersionIsNamed) {
  const SecretBox box = MakeBox();
  std::string sealed = box.Seal("secret", "ad");
  sealed[0] = 7;
  auto opened = box.Open(sealed, "ad");
  ASSERT_FALSE(opened.has_value());
  EXPECT_NE(opened.error().message.find("version 7"), std::string::npos) << opened.error().message;
}

TEST(SecretBoxTest, CopiesShareTheKey) {
  const SecretBox box = MakeBox();
  const SecretBox copy = box;  // NOLINT(performance-unnecessary-copy-initialization)
  auto opened = copy.Open(box.Seal("secret", "ad"), "ad");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, "secret");
}

TEST(SecretBoxTest, ConcurrentUseFromManyThreads) {
  const SecretBox box = MakeBox();
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&box, &failures, t] {
      for (int i = 0; i < kRounds; ++i) {
        const std::string plaintext = "secret-" + std::to_string(t) + "-" + std::to_string(i);
        const std::string ad = "key-" + std::to_string(i);
        auto opened = box.Open(box.Seal(plaintext, ad), ad);
        if (!opened.has_value() || *opened != plaintext) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace fulcrum
