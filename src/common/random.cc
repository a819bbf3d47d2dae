#include "common/random.h"

#include <openssl/rand.h>

#include <cstdlib>

namespace fulcrum {
namespace {

constexpr std::uint64_t RotateLeft(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// SplitMix64, used to spread a seed over xoshiro's 256-bit state.
std::uint64_t SplitMix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman and Vigna), one step.
std::uint64_t Xoshiro(std::array<std::uint64_t, 4>& s) {
  const std::uint64_t result = RotateLeft(s[1] * 5, 7) * 9;
  const std::uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = RotateLeft(s[3], 45);
  return result;
}

std::array<std::uint64_t, 4> SeedState(std::uint64_t seed) {
  std::array<std::uint64_t, 4> state{};
  for (auto& word : state) {
    word = SplitMix64(seed);
  }
  return state;
}

}  // namespace

void SecureRandom::Fill(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int length; fill in chunks that fit.
  constexpr std::size_t kChunk = 1 << 30;
  while (!out.empty()) {
    const std::size_t n = out.size() < kChunk ? out.size() : kChunk;
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
      std::abort();
    }
    out = out.subspan(n);
  }
}

SeededRandom::SeededRandom(std::uint64_t seed) : state_(SeedState(seed)) {}

std::uint64_t SeededRandom::Next() { return Xoshiro(state_); }

void SeededRandom::Fill(std::span<std::uint8_t> out) {
  const std::lock_guard lock(mutex_);
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    // Bytes are taken little-end first so the stream is the same on every platform.
    if (i % 8 == 0) {
      word = Next();
    }
    out[i] = static_cast<std::uint8_t>(word >> (8 * (i % 8)));
  }
}

std::uint64_t FastRandom64() {
  thread_local std::array<std::uint64_t, 4> state = [] {
    std::uint64_t seed = 0;
    SecureRandom().Fill(
        std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&seed), sizeof(seed)));
    return SeedState(seed);
  }();
  return Xoshiro(state);
}

}  // namespace fulcrum
