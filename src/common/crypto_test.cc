#include "common/crypto.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace fulcrum {
namespace {

TEST(CryptoTest, Sha256KnownVectors) {
  // FIPS 180-2 appendix B and the empty string.
  const struct {
    std::string input;
    std::string hex;
  } cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1'000'000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Sha256Hex(c.input), c.hex) << c.input.substr(0, 60);
    EXPECT_EQ(HexEncode(Sha256(c.input)), c.hex);
  }
}

TEST(CryptoTest, HmacSha256Rfc4231) {
  const std::string block_key(131, '\xaa');
  const struct {
    std::string key;
    std::string data;
    std::string hex;  // Test case 5 is truncated to 128 bits in the RFC.
  } cases[] = {
      {std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
       "\x17\x18\x19",
       std::string(50, '\xcd'), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::string(20, '\x0c'), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
      {block_key, "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {block_key,
       "This is a test using a larger than block-size key and a larger than block-size data. The "
       "key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
      {"", "", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"},
  };
  for (const auto& c : cases) {
    const std::string mac = HexEncode(HmacSha256(c.key, c.data));
    EXPECT_EQ(mac.substr(0, c.hex.size()), c.hex) << c.data;
  }
}

TEST(CryptoTest, HmacKeyIsNotReusedAcrossCalls) {
  // The per-thread MAC context is re-keyed on every call, including with an empty key.
  const std::string first = HexEncode(HmacSha256("key-one", "data"));
  const std::string empty = HexEncode(HmacSha256("", "data"));
  EXPECT_NE(first, empty);
  EXPECT_EQ(HexEncode(HmacSha256("", "data")), empty);
  EXPECT_EQ(HexEncode(HmacSha256("key-one", "data")), first);
}

TEST(CryptoTest, SpanAndStringKeysAgree) {
  const Sha256Digest key = Sha256("secret");
  const std::string key_text(reinterpret_cast<const char*>(key.data()), key.size());
  EXPECT_EQ(HmacSha256(key, "message"), HmacSha256(key_text, "message"));
}

TEST(CryptoTest, HexEncode) {
  const std::uint8_t bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
  EXPECT_EQ(HexEncode(bytes), "00017f80abff");
  EXPECT_EQ(HexEncode({}), "");
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", ""));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

TEST(CryptoTest, ThreadsGetTheSameResults) {
  const std::string expected = HexEncode(HmacSha256("key", "data"));
  const std::string expected_hash = Sha256Hex("data");
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (HexEncode(HmacSha256("key", "data")) != expected ||
            Sha256Hex("data") != expected_hash) {
          ++failures[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const int f : failures) {
    EXPECT_EQ(f, 0);
  }
}

}  // namespace
}  // namespace fulcrum
