#pragma once

// `fulcrum audit`: runs the checks of audit.h against the management account with one profile
// (default <short>-bootstrap, from the project's ~/.aws/<short>/ files) and prints them as a table
// (colour on a terminal only) or as JSON:
//   {"profile": P, "checks": [{"id", "title", "status", "detail", "fix"}, ...],
//    "summary": {"pass": n, "warn": n, "fail": n}}
// Only read-only IAM calls are made.
//
// Exit codes:
//   0  no check failed (warnings allowed)
//   1  a check failed, or the audit could not run (no project.yaml, no credentials, the endpoint
//      cannot be reached)
//   2  usage error found by the command

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/audit.h"
#include "cli/project_commands.h"
#include "client/environment.h"

namespace CLI {
class App;
}

namespace fulcrum::cli {

struct AuditOptions {
  std::filesystem::path project_dir = ".";
  std::string profile;  // empty: <short>-bootstrap
  std::string endpoint_url;
  std::string region;           // empty: the profile's, else project.yaml's primary_region
  std::string output = "text";  // text | json | table (table is text)
  std::vector<std::filesystem::path> csv_search_dirs;  // besides the project dir and ~/Downloads
  bool debug = false;
};

// Prints `checks` as the table or JSON described above; `colour` adds ANSI colours to the table.
void PrintAudit(const std::vector<CheckResult>& checks, const std::string& profile,
                const std::string& output, bool colour, std::ostream& out);

// Runs the audit with the process's clock; HOME and the AWS variables come from `environment`.
int RunAudit(const AuditOptions& options, const CommandIo& io,
             const client::Environment& environment, bool colour);

// Adds `audit` to `app`, bound to this object's options. The object must outlive parsing; it
// cannot be copied or moved.
class AuditCommands {
 public:
  explicit AuditCommands(CLI::App& app);
  AuditCommands(const AuditCommands&) = delete;
  AuditCommands& operator=(const AuditCommands&) = delete;

  // After app.parse(): the exit code of `audit` when the command line named it, else nullopt.
  [[nodiscard]] std::optional<int> Run() const;

 private:
  AuditOptions options_;
  CLI::App* audit_command_ = nullptr;
};

}  // namespace fulcrum::cli
