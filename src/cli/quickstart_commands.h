#pragma once

// `fulcrum quickstart`: the management-account page end to end on this machine. In DIR (default
// ./fulcrum-quickstart) it starts an account plane as a child process (`fulcrum server --data-dir
// DIR/data`, default 127.0.0.1:4599 so the profile it writes stays valid after a restart), signs
// up myexample-management / myexample-aws@example.com with root access keys, writes
// DIR/project/project.yaml, runs `management bootstrap` with the root keys (root MFA through the
// admin endpoint, seed in DIR/root-mfa-seed), `credentials configure --type bootstrap` on the CSV
// (HOME=DIR/aws unless --home-aws), deletes the root access keys, runs `audit`, prints how to use
// the result and stops its server. Each step is a child process of this binary; secrets pass only
// through the environment or 0600 files in DIR (the root keys: DIR/root-access-key.json, deleted
// with the keys). A second run reuses everything the first made.
//
// Exit codes: 0 every step passed (audit included); 1 a step failed (its output says why; a next
// run resumes); 2 a usage error.

#include <filesystem>
#include <optional>
#include <string>

#include "cli/project_commands.h"
#include "client/environment.h"

namespace CLI {
class App;
}

namespace fulcrum::cli {

struct QuickstartOptions {
  std::filesystem::path dir = "fulcrum-quickstart";
  std::string listen = "127.0.0.1:4599";
  bool home_aws = false;  // use the real ~/.aws/<short>/ instead of DIR/aws
};

// Runs the quickstart with `binary` (this program) for the child processes and `environment` as
// the base of their environments.
int RunQuickstart(const QuickstartOptions& options, const std::filesystem::path& binary,
                  const CommandIo& io, const client::Environment& environment);

// Adds `quickstart` to `app`, bound to this object's options. The object must outlive parsing.
class QuickstartCommands {
 public:
  explicit QuickstartCommands(CLI::App& app);
  QuickstartCommands(const QuickstartCommands&) = delete;
  QuickstartCommands& operator=(const QuickstartCommands&) = delete;

  // After app.parse(): the exit code of `quickstart`, or nullopt when it was not given.
  [[nodiscard]] std::optional<int> Run() const;

 private:
  QuickstartOptions options_;
  CLI::App* command_ = nullptr;
};

}  // namespace fulcrum::cli
