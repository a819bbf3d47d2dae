#include "common/qr_png.h"

#include <png.h>
#include <qrencode.h>

#include <cerrno>
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace fulcrum {
namespace {

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeDeleter>;

// Owns libpng's writer and info structures.
class PngWriter {
 public:
  PngWriter() = default;
  PngWriter(const PngWriter&) = delete;
  PngWriter& operator=(const PngWriter&) = delete;
  ~PngWriter() { png_destroy_write_struct(&png_, &info_); }

  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

// libpng error handler: unwinds to the setjmp in WriteImage without printing anything.
[[noreturn]] void OnPngError(png_structp png, png_const_charp /*message*/) { png_longjmp(png, 1); }

void OnPngWarning(png_structp /*png*/, png_const_charp /*message*/) {}

// libpng output callback: appends to the std::string given as the io pointer.
void AppendToString(png_structp png, png_bytep data, size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  bool failed = false;
  try {
    out->append(reinterpret_cast<const char*>(data), length);
  } catch (...) {
    failed = true;
  }
  if (failed) {
    png_error(png, "out of memory");
  }
}

void FlushNothing(png_structp /*png*/) {}

// Writes a square 1-bit grayscale image of `size` pixels from `rows`. libpng reports errors by
// longjmp back into this frame, so it holds no object with a destructor. Returns false when
// libpng failed.
bool WriteImage(png_structp png, png_infop info, png_uint_32 size, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png)) != 0) {
    return false;
  }
  png_set_IHDR(png, info, size, size, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_rows(png, info, rows);
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  return true;
}

}  // namespace

Result<std::string> QrCodePng(std::string_view text) {
  if (text.empty()) {
    return Fail("InvalidInput", "A QR code needs at least one byte of text.");
  }
  errno = 0;
  QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()),
                                   reinterpret_cast<const unsigned char*>(text.data()), 0,
                                   QR_ECLEVEL_M));
  if (code == nullptr) {
    if (errno == ERANGE) {
      return Fail("InvalidInput", "The text is too long for a QR code.");
    }
    return Fail("InternalFailure", "The QR code encoder failed.");
  }

  // Modules in libqrencode's data are dark when bit 0 is set. In a 1-bit grayscale PNG a set
  // bit is white, so the image starts white and dark modules clear their bits.
  const size_t modules = static_cast<size_t>(code->width);
  const size_t quiet = static_cast<size_t>(kQrQuietZoneModules);
  const size_t scale = static_cast<size_t>(kQrModulePixels);
  const size_t size = (modules + 2 * quiet) * scale;
  const size_t row_bytes = (size + 7) / 8;
  std::vector<uint8_t> pixels(row_bytes * size, 0xff);
  for (size_t y = 0; y < modules; ++y) {
    for (size_t x = 0; x < modules; ++x) {
      if ((code->data[y * modules + x] & 1U) == 0) {
        continue;
      }
      for (size_t py = (y + quiet) * scale; py < (y + quiet + 1) * scale; ++py) {
        for (size_t px = (x + quiet) * scale; px < (x + quiet + 1) * scale; ++px) {
          pixels[py * row_bytes + px / 8] &= static_cast<uint8_t>(~(0x80U >> (px % 8)));
        }
      }
    }
  }
  std::vector<png_bytep> rows(size);
  for (size_t y = 0; y < size; ++y) {
    rows[y] = pixels.data() + y * row_bytes;
  }

  std::string out;
  PngWriter writer;
  writer.png_ = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, OnPngError, OnPngWarning);
  if (writer.png_ == nullptr) {
    return Fail("InternalFailure", "The PNG writer could not start.");
  }
  writer.info_ = png_create_info_struct(writer.png_);
  if (writer.info_ == nullptr) {
    return Fail("InternalFailure", "The PNG writer could not start.");
  }
  png_set_write_fn(writer.png_, &out, AppendToString, FlushNothing);
  if (!WriteImage(writer.png_, writer.info_, static_cast<png_uint_32>(size), rows.data())) {
    return Fail("InternalFailure", "The PNG writer failed.");
  }
  return out;
}

}  // namespace fulcrum
