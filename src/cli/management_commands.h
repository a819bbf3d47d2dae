#pragma once

// `fulcrum management bootstrap`: the steps of Leverage's "Set Up your AWS Management account"
// page, done through the IAM API with the credentials of the standard chain (normally the root
// user's keys): root MFA, the IAM user mgmt-org-admin with AdministratorAccess, no console
// password and no group, its access key written as AWS's CSV, and the billing review as a
// checklist. The plan and its idempotence live in bootstrap.h.
//
// Root MFA, when off: on a Fulcrum account plane (the endpoint answers GET /_fulcrum/health) and
// with --admin-token-file, it is enabled as the console does, through the loopback admin
// endpoint: the QR code is shown in the terminal and saved as a PNG (0600) beside the CSV, and two
// consecutive codes are asked for, or, with --mfa-seed-file, the Base32 seed is kept in that file
// (0600) and the codes are computed. Elsewhere (real AWS, where only the console can) the console
// steps are printed and, on a terminal, the command waits for the user, then checks again.
//
// Output: text, one line per step ("✓" already in place, "→" done now), the billing checklist,
// then "csv: <path>" as the last line; or JSON {"csv", "changed", "steps": [{"step", "status"
// ("ok" | "changed"), "description"}], "warnings", "billing_review"}.
//
// Exit codes: 0 the account is bootstrapped; 1 a failure (an API call, a lost key secret without
// --rotate-key, root MFA still off); 2 a usage error (no project.yaml and no --csv-dir).

#include <filesystem>
#include <optional>
#include <string>

#include "cli/project_commands.h"
#include "client/environment.h"

namespace CLI {
class App;
}

namespace fulcrum::cli {

struct ManagementBootstrapOptions {
  std::filesystem::path project_dir = ".";
  std::string endpoint_url;  // empty: the standard resolution (endpoint.h)
  std::string region;        // empty: the profile's, else project.yaml's primary region
  std::string profile;       // empty: the standard chain
  std::string output = "text";
  bool debug = false;
  std::filesystem::path mfa_seed_file;     // empty: ask for the codes
  std::filesystem::path admin_token_file;  // empty: never use the admin endpoint
  std::filesystem::path csv_dir;           // empty: ~/.aws/<short>/
  bool yes = false;                        // do not ask before changing the account
  bool rotate_key = false;                 // replace a key whose secret is lost
};

// Runs the bootstrap with `environment` as the process environment.
int RunManagementBootstrap(const ManagementBootstrapOptions& options, const CommandIo& io,
                           const client::Environment& environment);

// Adds `management bootstrap` to `app`, bound to this object's options. The object must outlive
// parsing; it cannot be copied or moved.
class ManagementCommands {
 public:
  explicit ManagementCommands(CLI::App& app);
  ManagementCommands(const ManagementCommands&) = delete;
  ManagementCommands& operator=(const ManagementCommands&) = delete;

  // After app.parse(): the exit code of the command given, run on the process's standard streams
  // and environment; nullopt when the command line named no management command.
  [[nodiscard]] std::optional<int> Run() const;

 private:
  ManagementBootstrapOptions bootstrap_;
  CLI::App* bootstrap_command_ = nullptr;
};

}  // namespace fulcrum::cli
