#pragma once

// Random: the only source of randomness for ids, keys and secrets, injected so that tests can pin
// it. Production uses SecureRandom; tests use SeededRandom.

#include <array>
#include <cstdint>
#include <mutex>
#include <span>

namespace fulcrum {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with random bytes. Thread-safe.
  virtual void Fill(std::span<std::uint8_t> out) = 0;
};

// Cryptographically secure bytes from OpenSSL's RAND_bytes. Thread-safe. Aborts the process if
// the system cannot provide randomness at all.
class SecureRandom final : public Random {
 public:
  void Fill(std::span<std::uint8_t> out) override;
};

// A deterministic stream of bytes from a 64-bit seed (xoshiro256**), for tests only: the same
// seed always gives the same bytes. Thread-safe (calls are serialised).
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed);
  void Fill(std::span<std::uint8_t> out) override;

 private:
  std::uint64_t Next();

  std::mutex mutex_;
  std::array<std::uint64_t, 4> state_;
};

// A fast, non-cryptographic 64-bit random number from a per-thread generator seeded once from
// the OS. For request ids and jitter only: never for keys, secrets, tokens or anything an
// attacker must not guess. Thread-safe, lock-free.
[[nodiscard]] std::uint64_t FastRandom64();

}  // namespace fulcrum
