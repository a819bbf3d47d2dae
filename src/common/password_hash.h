#pragma once

// Password hashing with scrypt (RFC 7914, OpenSSL EVP_PBE_scrypt), stored in the PHC string form
//   $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>
// where salt (16 random bytes) and hash (32 bytes) are standard base64 without padding.
//
// Thread-safe: no shared state.

#include <string>
#include <string_view>

namespace fulcrum {

// scrypt cost parameters: N = 2^log2_n, block size r, parallelism p. Memory use is about
// 128 * r * N bytes (32 MiB for the default).
struct ScryptCost {
  int log2_n = 15;
  int r = 8;
  int p = 1;
};

// The cost every stored password uses. Tests may pass a cheaper ScryptCost explicitly.
inline constexpr ScryptCost kDefaultScryptCost{};

// Returns the stored form of `password` hashed with a fresh random salt at `cost`.
// REQUIRES: 1 <= cost.log2_n <= 20, 1 <= cost.r <= 32, 1 <= cost.p <= 16 (the ranges
// VerifyPassword accepts). Aborts the process only if OpenSSL cannot hash at all.
[[nodiscard]] std::string HashPassword(std::string_view password,
                                       ScryptCost cost = kDefaultScryptCost);

// Returns true if `stored` (from HashPassword, at any accepted cost) is the hash of `password`.
// The hashes are compared in constant time. A malformed `stored`, or one whose cost lies outside
// the accepted ranges, yields false.
[[nodiscard]] bool VerifyPassword(std::string_view password, std::string_view stored);

}  // namespace fulcrum
