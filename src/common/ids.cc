#include "common/ids.h"

#include <array>
#include <cstdint>
#include <limits>

namespace fulcrum {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kSecretAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::uint64_t RandomWord(Random& random) {
  std::array<std::uint8_t, 8> bytes{};
  random.Fill(bytes);
  std::uint64_t word = 0;
  for (const std::uint8_t byte : bytes) {
    word = (word << 8) | byte;
  }
  return word;
}

// A uniform value in [0, bound), by rejection so that no value is favoured.
std::uint64_t Uniform(Random& random, std::uint64_t bound) {
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() / bound * bound;
  for (;;) {
    const std::uint64_t word = RandomWord(random);
    if (word < limit) {
      return word % bound;
    }
  }
}

// `prefix` followed by `count` characters of `alphabet`, whose size must divide 256 so that
// masking a random byte is unbiased.
std::string FromAlphabet(Random& random, std::string_view prefix, std::size_t count,
                         std::string_view alphabet) {
  std::array<std::uint8_t, 64> bytes{};
  const std::span<std::uint8_t> used(bytes.data(), count);
  random.Fill(used);
  std::string id(prefix);
  id.reserve(prefix.size() + count);
  for (const std::uint8_t byte : used) {
    id += alphabet[byte % alphabet.size()];
  }
  return id;
}

}  // namespace

std::string NewAccountId(Random& random) {
  constexpr std::uint64_t kLowest = 100'000'000'000;  // 10^11, the smallest 12-digit number.
  return std::to_string(kLowest + Uniform(random, 9 * kLowest));
}

std::string NewAccessKeyId(Random& random, std::string_view prefix) {
  return FromAlphabet(random, prefix, 16, kBase32Alphabet);
}

std::string NewSecretAccessKey(Random& random) {
  return FromAlphabet(random, "", 40, kSecretAlphabet);
}

std::string NewUniqueId(Random& random, std::string_view prefix) {
  return FromAlphabet(random, prefix, 17, kBase32Alphabet);
}

std::string NewRequestId() {
  constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t high = FastRandom64();
  std::uint64_t low = FastRandom64();
  high = (high & ~0xf000ULL) | 0x4000ULL;            // Version 4.
  low = (low & ~(0xc0ULL << 56)) | (0x80ULL << 56);  // Variant 10xx (RFC 4122).
  std::string id(36, '-');
  std::size_t pos = 0;
  auto put = [&](std::uint64_t word, int nibbles) {
    for (int shift = (nibbles - 1) * 4; shift >= 0; shift -= 4) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
        ++pos;
      }
      id[pos++] = kHex[(word >> shift) & 0xf];
    }
  };
  put(high, 16);
  put(low, 16);
  return id;
}

}  // namespace fulcrum
