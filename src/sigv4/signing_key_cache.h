#pragma once

// SigningKeyCache: kSigning keys (SigV4 step 3) by access key, secret, date, region and service.
// A key is valid for one day, one region and one service, so a client sending many requests needs
// four HMACs once per day instead of on every request.
//
// Entries are keyed by a SHA-256 of the secret as well, so a rotated or different secret never
// gets a key derived from another one, and the cache holds no secret in clear.
//
// Thread-safe: the entries are split over shards, each with its own mutex, held only for a
// lookup or an insert. Bounded: a full shard drops an entry before adding one.

#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sigv4/canonical.h"

namespace fulcrum::sigv4 {

class SigningKeyCache {
 public:
  // REQUIRES: capacity > 0. The cache holds at most about `capacity` keys.
  explicit SigningKeyCache(std::size_t capacity = 16384);

  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  // The signing key of `secret` for `date` (YYYYMMDD), `region` and `service`: from the cache, or
  // derived with DeriveSigningKey and remembered.
  [[nodiscard]] SigningKey Get(std::string_view access_key_id, std::string_view secret,
                               std::string_view date, std::string_view region,
                               std::string_view service);

  // The number of cached keys (for tests and metrics).
  [[nodiscard]] std::size_t Size() const;

 private:
  static constexpr std::size_t kShards = 16;

  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, SigningKey> keys;
  };

  std::size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace fulcrum::sigv4
