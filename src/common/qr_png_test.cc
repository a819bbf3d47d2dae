#include "common/qr_png.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace fulcrum {
namespace {

namespace fs = std::filesystem;

// A fresh temporary directory, removed with everything in it when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "fulcrum-qr-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) {
      fs::remove_all(path_, ignored);
    }
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The standard output of a shell command, or nullopt when it cannot run or exits non-zero.
std::optional<std::string> RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return std::nullopt;
  }
  std::string out;
  std::array<char, 4096> buffer{};
  size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    out.append(buffer.data(), read);
  }
  if (pclose(pipe) != 0) {
    return std::nullopt;
  }
  return out;
}

bool HaveZbarimg() { return RunCommand("command -v zbarimg").has_value(); }

// What Debian's zbarimg reads from the PNG file `png`, or "<zbarimg failed>".
std::string DecodeWithZbarimg(const fs::path& png) {
  std::optional<std::string> out =
      RunCommand("zbarimg --raw -q '" + png.string() + "' 2>/dev/null");
  if (!out.has_value()) {
    return "<zbarimg failed>";
  }
  if (!out->empty() && out->back() == '\n') {
    out->pop_back();
  }
  return *out;
}

uint32_t BigEndian32(const std::string& bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<uint8_t>(bytes[offset + i]);
  }
  return value;
}

TEST(QrPngTest, WritesA1BitGrayscalePng) {
  const auto png = QrCodePng("otpauth://totp/x@123456789012?secret=ABCDEFGH");
  ASSERT_TRUE(png.has_value()) << png.error().message;
  ASSERT_GT(png->size(), 33u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // The first chunk is IHDR: width, height, bit depth 1, color type 0 (grayscale).
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  const uint32_t width = BigEndian32(*png, 16);
  const uint32_t height = BigEndian32(*png, 20);
  EXPECT_EQ(width, height);
  // A whole number of modules of 6 pixels, quiet zone included; QR versions are 21 + 4k wide.
  ASSERT_EQ(width % kQrModulePixels, 0u);
  const uint32_t modules = width / kQrModulePixels - 2 * kQrQuietZoneModules;
  EXPECT_GE(modules, 21u);
  EXPECT_EQ((modules - 21) % 4, 0u);
  EXPECT_EQ(static_cast<uint8_t>((*png)[24]), 1);
  EXPECT_EQ(static_cast<uint8_t>((*png)[25]), 0);
  EXPECT_EQ(png->substr(png->size() - 8, 4), "IEND");
}

TEST(QrPngTest, ZbarimgReadsTheTextBack) {
  if (!HaveZbarimg()) {
    GTEST_SKIP() << "zbarimg (Debian zbar-tools) is not installed";
  }
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string texts[] = {
      "otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret="
      "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
      "&issuer=Amazon%20Web%20Services",
      "a",
      std::string(700, 'Q') + "-end",
  };
  int index = 0;
  for (const std::string& text : texts) {
    const auto png = QrCodePng(text);
    ASSERT_TRUE(png.has_value()) << png.error().message;
    const fs::path file = dir.path() / ("code" + std::to_string(index++) + ".png");
    std::ofstream(file, std::ios::binary) << *png;
    EXPECT_EQ(DecodeWithZbarimg(file), text);
  }
}

TEST(QrPngTest, RefusesTextThatNoQrCodeHolds) {
  const struct {
    std::string name;
    std::string text;
  } errors[] = {{"empty", ""}, {"too long", std::string(3000, 'x')}};
  for (const auto& e : errors) {
    const auto png = QrCodePng(e.text);
    ASSERT_FALSE(png.has_value()) << e.name;
    EXPECT_EQ(png.error().code, "InvalidInput") << e.name;
  }
}

TEST(QrPngTest, LongestTextAtLevelMFits) {
  EXPECT_TRUE(QrCodePng(std::string(2331, 'x')).has_value());
  EXPECT_FALSE(QrCodePng(std::string(2332, 'x')).has_value());
}

}  // namespace
}  // namespace fulcrum
