#pragma once

// `fulcrum project init` and `fulcrum project validate`: the project.yaml half of a Leverage-style
// workflow, run on local files only.
//
// Exit codes of both commands:
//   0  success (init wrote the file; validate found no problem)
//   1  problems found, or a failure (file exists without --force, cannot read or write a file)
//   2  usage error found by the command (a missing value that cannot be asked for, an invalid
//      flag value). Errors CLI11 finds while parsing keep the exit codes main.cc gives them.

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's namespace.
class App;
}

namespace fulcrum::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;
inline constexpr int kExitUsage = 2;

// Where a command reads answers and writes results (stdout: `out`) and prompts and errors
// (stderr: `err`). `interactive` says whether `in` is a terminal a person can answer on.
struct CommandIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool interactive = false;
};

struct ProjectInitOptions {
  // Empty means "not given": asked for when interactive, else a usage error (the regions then
  // default to us-east-1 and us-west-2, as in Leverage's template).
  std::string project_name;
  std::string short_name;
  std::string domain;  // email domain of the account emails
  std::string primary_region;
  std::string secondary_region;
  std::filesystem::path dir = ".";  // created if missing
  bool force = false;               // replace an existing project.yaml
};

// Writes <dir>/project.yaml (mode 0644, atomically) for the default project of DefaultProject().
// Refuses to replace an existing file unless `force`.
int RunProjectInit(const ProjectInitOptions& options, const CommandIo& io);

struct ProjectValidateOptions {
  std::filesystem::path file = "project.yaml";
  std::string output = "text";  // text | json
};

// Checks `file` with ValidateProject. Text output: one "file:line: message" line per problem, or
// "<file>: OK". JSON output: a list of {"file", "line", "column", "message"} objects (line and
// column 1-based, 0 when not applicable), "[]" when there is none. A file that cannot be read is
// reported as a problem at line 0.
int RunProjectValidate(const ProjectValidateOptions& options, const CommandIo& io);

// Adds the `project` command with `init` and `validate` to `app`, bound to this object's options.
// The object must outlive parsing; it cannot be copied or moved.
class ProjectCommands {
 public:
  explicit ProjectCommands(CLI::App& app);
  ProjectCommands(const ProjectCommands&) = delete;
  ProjectCommands& operator=(const ProjectCommands&) = delete;

  // After app.parse(): the exit code of the project command given on the command line, run on the
  // process's stdin, stdout and stderr; nullopt when the command line named no project command.
  [[nodiscard]] std::optional<int> Run() const;

 private:
  ProjectInitOptions init_;
  ProjectValidateOptions validate_;
  CLI::App* init_command_ = nullptr;
  CLI::App* validate_command_ = nullptr;
};

}  // namespace fulcrum::cli
