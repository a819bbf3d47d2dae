#pragma once

// The commands of the account-plane face of the `fulcrum` binary. Each returns the process's exit
// code: 0 on success, 1 on a usage or input error, 2 on a failure of the system.

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

}  // namespace fulcrum::server
