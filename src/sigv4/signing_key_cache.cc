#include "sigv4/signing_key_cache.h"

#include <functional>

#include "common/crypto.h"

namespace fulcrum::sigv4 {

SigningKeyCache::SigningKeyCache(std::size_t capacity)
    : shard_capacity_(capacity / kShards > 0 ? capacity / kShards : 1) {}

SigningKey SigningKeyCache::Get(std::string_view access_key_id, std::string_view secret,
                                std::string_view date, std::string_view region,
                                std::string_view service) {
  const Sha256Digest secret_hash = Sha256(secret);
  std::string cache_key;
  cache_key.reserve(access_key_id.size() + date.size() + region.size() + service.size() +
                    secret_hash.size() + 4);
  cache_key += access_key_id;
  cache_key += '\n';
  cache_key += date;
  cache_key += '\n';
  cache_key += region;
  cache_key += '\n';
  cache_key += service;
  cache_key += '\n';
  cache_key.append(reinterpret_cast<const char*>(secret_hash.data()), secret_hash.size());

  Shard& shard = shards_[std::hash<std::string>{}(cache_key) % kShards];
  {
    const std::lock_guard lock(shard.mutex);
    if (const auto it = shard.keys.find(cache_key); it != shard.keys.end()) {
      return it->second;
    }
  }
  // Derived outside the lock; two threads may both derive the same key, which is harmless.
  const SigningKey key = DeriveSigningKey(secret, date, region, service);
  const std::lock_guard lock(shard.mutex);
  if (shard.keys.size() >= shard_capacity_) {
    shard.keys.erase(shard.keys.begin());
  }
  shard.keys.emplace(std::move(cache_key), key);
  return key;
}

std::size_t SigningKeyCache::Size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    total += shard.keys.size();
  }
  return total;
}

}  // namespace fulcrum::sigv4
