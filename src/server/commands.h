#pragma once

// The commands of the account-plane face of the `fulcrum` binary. Each returns the process's exit
// code, the same in both faces of the binary: 0 on success, 1 on a failure (of the system, or a
// refused request), 2 on a usage or input error.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace fulcrum::server {

struct ServeOptions {
  std::filesystem::path data_dir;
  std::string listen = "127.0.0.1:4566";
  unsigned threads = 0;
  // "-" for stderr, "off", or a file path.
  std::string access_log = "-";
};

// `fulcrum server`: serves IAM, STS, Organizations and Account on one port until SIGINT/SIGTERM.
// Prints "fulcrum: listening on http://ADDR:PORT" on stdout once it accepts connections.
int RunServe(const ServeOptions& options);

struct AccountCreateOptions {
  std::filesystem::path data_dir;
  std::string name;
  std::string email;
  bool password_stdin = false;
  bool root_access_key = false;
  std::string output = "text";  // text | json
};

// `fulcrum account create`: signs up an account in the data dir and prints its id, root ARN, the
// generated password (once) and, when asked for, the root access key (once).
int RunAccountCreate(const AccountCreateOptions& options);

struct AccountMfaOptions {
  std::filesystem::path data_dir;
  std::string account_id;
  // Where the QR code PNG goes (0600); empty: root-account-mfa-<id>.png in the working directory.
  std::filesystem::path qr_png;
  // When set, the seed is also kept there (0600) for automation that computes its own codes.
  std::filesystem::path seed_file;
};

// `fulcrum account mfa`: enables a virtual MFA device for an account's root user, as the console
// does (the API cannot): creates the device, shows its otpauth URI and secret and saves its QR
// code, then reads two consecutive codes from stdin and enables it.
int RunAccountMfa(const AccountMfaOptions& options);

}  // namespace fulcrum::server
