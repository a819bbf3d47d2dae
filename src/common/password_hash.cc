#include "common/password_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

namespace fulcrum {
namespace {

constexpr std::string_view kPrefix = "$scrypt$";
constexpr size_t kSaltSize = 16;
constexpr size_t kHashSize = 32;
// Sizes accepted when verifying, so that hashes made with other sizes still verify.
constexpr size_t kMinSaltSize = 8;
constexpr size_t kMaxSaltSize = 64;
constexpr size_t kMinHashSize = 16;
constexpr size_t kMaxHashSize = 64;

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fatal: HashPassword: %s\n", what);
  std::abort();
}

bool CostIsAccepted(const ScryptCost& cost) {
  return cost.log2_n >= 1 && cost.log2_n <= 20 && cost.r >= 1 && cost.r <= 32 && cost.p >= 1 &&
         cost.p <= 16;
}

// Standard base64 without padding.
std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64Alphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kBase64Alphabet[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

// Decodes standard base64 without padding; rejects any other character, an impossible length, and
// non-zero unused trailing bits (so each byte string has exactly one accepted encoding).
std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const size_t value = kBase64Alphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// Returns scrypt(password, salt, cost) of `size` bytes, or nullopt if OpenSSL fails.
std::optional<std::string> Scrypt(std::string_view password, std::string_view salt,
                                  const ScryptCost& cost, size_t size) {
  const uint64_t n = uint64_t{1} << cost.log2_n;
  const uint64_t r = static_cast<uint64_t>(cost.r);
  const uint64_t p = static_cast<uint64_t>(cost.p);
  // OpenSSL refuses to use more than `maxmem`; its default (32 MiB) is just below what the
  // default cost needs, so pass the actual need plus room for its working buffers.
  const uint64_t max_memory = 128 * r * (n + 2) + 128 * r * p + (uint64_t{1} << 20);
  std::string out(size, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n, r, p,
                     max_memory, reinterpret_cast<unsigned char*>(out.data()), out.size()) != 1) {
    return std::nullopt;
  }
  return out;
}

// Parses a decimal int that makes up all of `text`.
std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// Parses "ln=<int>,r=<int>,p=<int>".
std::optional<ScryptCost> ParseCost(std::string_view text) {
  ScryptCost cost;
  const std::pair<std::string_view, int*> fields[] = {
      {"ln=", &cost.log2_n}, {"r=", &cost.r}, {"p=", &cost.p}};
  for (size_t i = 0; i < std::size(fields); ++i) {
    const auto& [name, value] = fields[i];
    if (text.substr(0, name.size()) != name) return std::nullopt;
    text.remove_prefix(name.size());
    const size_t comma = text.find(',');
    const bool last = i + 1 == std::size(fields);
    if (last != (comma == std::string_view::npos)) return std::nullopt;
    auto parsed = ParseInt(text.substr(0, comma));
    if (!parsed.has_value()) return std::nullopt;
    *value = *parsed;
    text.remove_prefix(last ? text.size() : comma + 1);
  }
  return cost;
}

struct StoredHash {
  ScryptCost cost;
  std::string salt;
  std::string hash;
};

std::optional<StoredHash> ParseStored(std::string_view stored) {
  if (stored.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  stored.remove_prefix(kPrefix.size());
  std::vector<std::string_view> parts;
  for (size_t dollar; (dollar = stored.find('$')) != std::string_view::npos;) {
    parts.push_back(stored.substr(0, dollar));
    stored.remove_prefix(dollar + 1);
  }
  parts.push_back(stored);
  if (parts.size() != 3) return std::nullopt;
  auto cost = ParseCost(parts[0]);
  auto salt = Base64Decode(parts[1]);
  auto hash = Base64Decode(parts[2]);
  if (!cost.has_value() || !CostIsAccepted(*cost) || !salt.has_value() || !hash.has_value() ||
      salt->size() < kMinSaltSize || salt->size() > kMaxSaltSize || hash->size() < kMinHashSize ||
      hash->size() > kMaxHashSize) {
    return std::nullopt;
  }
  return StoredHash{*cost, std::move(*salt), std::move(*hash)};
}

}  // namespace

std::string HashPassword(std::string_view password, ScryptCost cost) {
  if (!CostIsAccepted(cost)) Die("scrypt cost outside the accepted ranges");
  std::string salt(kSaltSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
      1) {
    Die("RAND_bytes failed");
  }
  auto hash = Scrypt(password, salt, cost, kHashSize);
  if (!hash.has_value()) Die("EVP_PBE_scrypt failed");
  return std::string(kPrefix) + "ln=" + std::to_string(cost.log2_n) +
         ",r=" + std::to_string(cost.r) + ",p=" + std::to_string(cost.p) + "$" +
         Base64Encode(salt) + "$" + Base64Encode(*hash);
}

bool VerifyPassword(std::string_view password, std::string_view stored) {
  auto parsed = ParseStored(stored);
  if (!parsed.has_value()) return false;
  auto hash = Scrypt(password, parsed->salt, parsed->cost, parsed->hash.size());
  if (!hash.has_value()) return false;
  std::string& computed = *hash;
  const std::string& expected = parsed->hash;
  const bool equal = CRYPTO_memcmp(computed.data(), expected.data(), computed.size()) == 0;
  OPENSSL_cleanse(computed.data(), computed.size());
  return equal;
}

}  // namespace fulcrum
