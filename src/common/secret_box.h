#pragma once

// SecretBox: authenticated encryption of small secrets at rest (AES-256-GCM, OpenSSL EVP).
//
// A sealed value is: 1 version byte | 12-byte random nonce | ciphertext | 16-byte GCM tag.
// The version byte and the caller's associated data are authenticated but not stored, so a sealed
// value opens only with the same key and the same associated data (for example the id of the row
// it belongs to: a ciphertext copied to another row fails to open).
//
// Thread safety: a SecretBox is immutable after construction; Seal and Open may be called from any
// number of threads at once (each call uses its own cipher context).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum {

class SecretBox {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kNonceSize = 12;
  static constexpr size_t kTagSize = 16;
  static constexpr uint8_t kVersion = 1;
  // Size of a sealed value whose plaintext is empty.
  static constexpr size_t kOverhead = 1 + kNonceSize + kTagSize;

  // A box that seals and opens with `key`.
  // REQUIRES: key.size() == kKeySize (the process aborts otherwise; use FromKey for keys that
  // were not checked yet).
  explicit SecretBox(std::string_view key);

  // On success, a box that seals and opens with `key`.
  // Fails with "InvalidParameterValue" unless key.size() == kKeySize.
  [[nodiscard]] static Result<SecretBox> FromKey(std::string_view key);

  SecretBox(const SecretBox&) = default;
  SecretBox& operator=(const SecretBox&) = default;
  SecretBox(SecretBox&&) = default;
  SecretBox& operator=(SecretBox&&) = default;
  // Wipes the key from memory.
  ~SecretBox();

  // Returns plaintext encrypted under a fresh random nonce and authenticated together with
  // associated_data. Two calls with the same input return different values.
  // Aborts the process only if OpenSSL cannot encrypt at all (no randomness, no memory).
  [[nodiscard]] std::string Seal(std::string_view plaintext,
                                 std::string_view associated_data) const;

  // On success, the plaintext that Seal(plaintext, associated_data) sealed with this key.
  // Fails with "InternalFailure" if `sealed` is truncated, has an unknown version, was sealed with
  // another key or other associated data, or was altered in any way.
  [[nodiscard]] Result<std::string> Open(std::string_view sealed,
                                         std::string_view associated_data) const;

 private:
  std::array<unsigned char, kKeySize> key_{};
};

}  // namespace fulcrum
