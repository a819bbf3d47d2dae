#pragma once

// QR codes drawn with text, for a terminal: the otpauth:// URI of a virtual MFA device shown so an
// authenticator app can scan it from the screen, as `qrencode -t UTF8` does. Each character
// holds two modules stacked (Unicode half blocks U+2580, U+2584, full block U+2588, space); a
// block is a light module, so the code reads on the usual dark terminal background. A quiet zone
// of kTerminalQrQuietZone modules surrounds it.
//
// Encoding as common/qr_png.h: libqrencode, level M, 8-bit mode. Thread-safe.

#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum::cli {

inline constexpr int kTerminalQrQuietZone = 2;

// On success, the lines of the QR code of `text`, each ending in '\n'. Fails with "InvalidInput"
// when `text` is empty or too long for a QR code, and "InternalFailure" if the encoder fails.
[[nodiscard]] Result<std::string> TerminalQrCode(std::string_view text);

}  // namespace fulcrum::cli
