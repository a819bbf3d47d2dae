#include "cli/terminal_qr.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace fulcrum::cli {
namespace {

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

Result<std::string> TerminalQrCode(std::string_view text) {
  if (text.empty()) return Fail("InvalidInput", "nothing to encode in a QR code");
  errno = 0;
  std::unique_ptr<QRcode, QrCodeDeleter> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (!code) {
    if (errno == ERANGE || errno == EINVAL) {
      return Fail("InvalidInput", "the text is too long for a QR code");
    }
    return Fail("InternalFailure", "the QR encoder failed");
  }
  const int width = code->width;
  const int size = width + 2 * kTerminalQrQuietZone;
  // True for a dark module; the quiet zone is light.
  auto dark = [&](int row, int column) {
    row -= kTerminalQrQuietZone;
    column -= kTerminalQrQuietZone;
    if (row < 0 || column < 0 || row >= width || column >= width) return false;
    return (code->data[row * width + column] & 1) != 0;
  };
  std::string out;
  for (int row = 0; row < size; row += 2) {
    for (int column = 0; column < size; ++column) {
      const bool top_light = !dark(row, column);
      const bool bottom_light = row + 1 < size ? !dark(row + 1, column) : false;
      if (top_light && bottom_light) {
        out += "\u2588";
      } else if (top_light) {
        out += "\u2580";
      } else if (bottom_light) {
        out += "\u2584";
      } else {
        out += " ";
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace fulcrum::cli
