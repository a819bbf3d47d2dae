#include "cli/terminal_qr.h"

#include <gtest/gtest.h>

#include <string>

namespace fulcrum::cli {
namespace {

TEST(TerminalQrCodeTest, DrawsSquareWithQuietZone) {
  auto qr = TerminalQrCode("otpauth://totp/Fulcrum:root?secret=JBSWY3DPEHPK3PXP&issuer=Fulcrum");
  ASSERT_TRUE(qr.has_value());
  const std::string first_line = qr->substr(0, qr->find('\n'));
  // The top quiet-zone rows are light: full blocks only (3 bytes each in UTF-8).
  ASSERT_EQ(first_line.size() % 3, 0u);
  for (size_t at = 0; at < first_line.size(); at += 3) {
    EXPECT_EQ(first_line.substr(at, 3), "\u2588");
  }
  const size_t columns = first_line.size() / 3;
  size_t lines = 0;
  for (char c : *qr) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, (columns + 1) / 2);  // two module rows per line
}

TEST(TerminalQrCodeTest, RefusesEmptyText) {
  EXPECT_EQ(TerminalQrCode("").error().code, "InvalidInput");
}

}  // namespace
}  // namespace fulcrum::cli
