#pragma once

// Time-based one-time passwords as virtual MFA devices compute them: RFC 6238 TOTP over RFC 4226
// HOTP with HMAC-SHA-1, a 30-second time step counted from the Unix epoch, and 6 decimal digits.
// https://www.rfc-editor.org/rfc/rfc6238
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html
//
// Keys are the raw secret bytes (a virtual MFA seed is their base32 text; decode it with
// Base32Decode from common/encoding.h). Pure functions; all are thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace fulcrum {

inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

// The RFC 6238 time step of `time`: floor(Unix seconds / 30). Times before the epoch give
// negative steps.
[[nodiscard]] int64_t TotpTimeStep(TimePoint time);

// The RFC 4226 HOTP value of `key` at counter `time_step` (HMAC-SHA-1, dynamic truncation),
// as `digits` decimal digits with leading zeros.
// REQUIRES: 1 <= digits <= 9 (else the result is empty).
[[nodiscard]] std::string TotpCode(std::string_view key, int64_t time_step,
                                   int digits = kTotpDigits);

// The earliest time step in [now_step - steps_before, now_step + steps_after] whose code is
// `code`, or nullopt when there is none. Codes are compared in constant time.
// REQUIRES: steps_before >= 0, steps_after >= 0.
[[nodiscard]] std::optional<int64_t> FindTotpStep(std::string_view key, std::string_view code,
                                                  int64_t now_step, int64_t steps_before,
                                                  int64_t steps_after);

// Two consecutive codes as an MFA device shows them one after the other: on success, the step t
// of `code2`, where `code1` is the code of t - 1, `code2` the code of t, and t lies in
// [now_step - steps_before, now_step + steps_after] (the earliest such t). nullopt when no step
// matches both codes.
// REQUIRES: steps_before >= 0, steps_after >= 0.
[[nodiscard]] std::optional<int64_t> FindConsecutiveTotpSteps(
    std::string_view key, std::string_view code1, std::string_view code2, int64_t now_step,
    int64_t steps_before, int64_t steps_after);

}  // namespace fulcrum
