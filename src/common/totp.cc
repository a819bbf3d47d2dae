#include "common/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <utility>

#include "common/crypto.h"

namespace fulcrum {
namespace {

constexpr std::array<uint32_t, 10> kPowersOfTen = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

// Floor division, so that times before the epoch fall into the step that contains them.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t quotient = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --quotient;
  }
  return quotient;
}

}  // namespace

int64_t TotpTimeStep(TimePoint time) {
  const int64_t seconds = std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
  return FloorDiv(seconds, kTotpStepSeconds);
}

std::string TotpCode(std::string_view key, int64_t time_step, int digits) {
  if (digits < 1 || digits > 9) {
    return {};
  }
  // RFC 4226 section 5.2: the counter is an 8-byte big-endian integer.
  std::array<unsigned char, 8> counter{};
  auto value = static_cast<uint64_t>(time_step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<size_t>(i)] = static_cast<unsigned char>(value & 0xffU);
    value >>= 8;
  }
  // OpenSSL reads a null key as "reuse the previous key", so an empty key points at a byte.
  static constexpr unsigned char kNoKey = 0;
  const auto* key_bytes =
      key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha1(), key_bytes, static_cast<int>(key.size()), counter.data(), counter.size(),
           mac.data(), &mac_size) == nullptr ||
      mac_size < 20) {
    return {};
  }
  // RFC 4226 section 5.3: dynamic truncation.
  const size_t offset = mac[mac_size - 1] & 0x0fU;
  const uint32_t binary = ((static_cast<uint32_t>(mac[offset]) & 0x7fU) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  uint32_t code = binary % kPowersOfTen[static_cast<size_t>(digits)];
  std::string text(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0 && code != 0; --i) {
    text[static_cast<size_t>(i)] = static_cast<char>('0' + code % 10);
    code /= 10;
  }
  return text;
}

std::optional<int64_t> FindTotpStep(std::string_view key, std::string_view code, int64_t now_step,
                                    int64_t steps_before, int64_t steps_after) {
  for (int64_t step = now_step - steps_before; step <= now_step + steps_after; ++step) {
    if (ConstantTimeEquals(TotpCode(key, step), code)) {
      return step;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> FindConsecutiveTotpSteps(std::string_view key, std::string_view code1,
                                                std::string_view code2, int64_t now_step,
                                                int64_t steps_before, int64_t steps_after) {
  // Each step's code is computed once: `previous` is the code of step - 1.
  std::string previous = TotpCode(key, now_step - steps_before - 1);
  for (int64_t step = now_step - steps_before; step <= now_step + steps_after; ++step) {
    std::string current = TotpCode(key, step);
    const bool first = ConstantTimeEquals(previous, code1);
    const bool second = ConstantTimeEquals(current, code2);
    if (first && second) {
      return step;
    }
    previous = std::move(current);
  }
  return std::nullopt;
}

}  // namespace fulcrum
