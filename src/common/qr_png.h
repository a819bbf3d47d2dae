#pragma once

// QR codes as PNG images: the QRCodePNG bootstrap datum of a virtual MFA device, which an
// authenticator app scans to learn the device's otpauth:// URI.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html
//
// Encoding: libqrencode, error correction level M, 8-bit byte mode, the smallest version that
// fits. Image: libpng, 1-bit grayscale, kQrModulePixels pixels per module and a quiet zone of
// kQrQuietZoneModules modules on every side (ISO/IEC 18004 asks for at least 4).
//
// Thread-safe: each call uses its own encoder and writer state.

#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum {

inline constexpr int kQrModulePixels = 6;
inline constexpr int kQrQuietZoneModules = 4;

// On success, the bytes of a PNG image of the QR code of `text` (any bytes, NUL included).
// Fails with "InvalidInput" when `text` is empty or too long for any QR code version at level M
// (more than 2331 bytes), and with "InternalFailure" if the encoder or the PNG writer fails.
[[nodiscard]] Result<std::string> QrCodePng(std::string_view text);

}  // namespace fulcrum
