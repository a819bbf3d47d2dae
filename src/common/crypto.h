#pragma once

// Hashes, MACs and comparisons over OpenSSL 3, for SigV4 and for anything else that needs them.
//
// Thread safety: every function is thread-safe. Each thread keeps its own reusable OpenSSL
// contexts, and the algorithm objects are fetched once per process, so a call costs no fetch and
// no allocation beyond its result.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fulcrum {

using Sha256Digest = std::array<std::uint8_t, 32>;

// SHA-256 of `data` (FIPS 180-4).
[[nodiscard]] Sha256Digest Sha256(std::string_view data);

// Lower-case hex of SHA-256 of `data`: 64 characters.
[[nodiscard]] std::string Sha256Hex(std::string_view data);

// HMAC-SHA-256 (RFC 2104) of `data` under `key`. Any key length is allowed.
[[nodiscard]] Sha256Digest HmacSha256(std::span<const std::uint8_t> key, std::string_view data);
[[nodiscard]] Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// Lower-case hex of `bytes`, two characters per byte.
[[nodiscard]] std::string HexEncode(std::span<const std::uint8_t> bytes);

// True when `a` and `b` are equal. The time taken depends only on the lengths, never on where
// the contents differ, so it is safe for comparing signatures and tokens.
[[nodiscard]] bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace fulcrum
