#pragma once

// `fulcrum credentials configure` and `fulcrum aws`: the access keys of a Leverage-style project
// in ~/.aws/<short>/ (aws_files.h), and the AWS CLI run against them.
//
// `credentials configure --type T` reads an access key (AWS's CSV, access_key_csv.h, or prompts
// on a terminal with the secret not echoed), checks it with STS GetCallerIdentity, and only then
// writes [<short>-<type>] to ~/.aws/<short>/credentials and [profile <short>-<type>] to
// ~/.aws/<short>/config (region = project.yaml's primary_region unless --region, output json,
// endpoint_url when --endpoint-url or AWS_ENDPOINT_URL was given). Any failure before the write
// leaves every file as it was. On the first bootstrap it records the management account id in
// project.yaml. The secret is never printed or logged.
//
// Exit codes:
//   0  the profile was written (or was already as asked)
//   1  failure: no project.yaml, an unreadable CSV, keys STS refuses, an existing profile without
//      --overwrite-existing-credentials, a file that cannot be written
//   2  usage error found by the command (no key source on a non-terminal, a bad --type)
// `fulcrum aws` exits with the AWS CLI's code (1 when it cannot be started).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/project_commands.h"
#include "client/environment.h"
#include "client/profile.h"
#include "client/sts_client.h"
#include "common/result.h"

namespace CLI {
class App;
}

namespace fulcrum::cli {

struct CredentialsConfigureOptions {
  std::string type;                        // bootstrap | management | security
  std::filesystem::path credentials_file;  // the CSV; empty: prompt (terminal only)
  bool overwrite_existing_credentials = false;
  bool skip_access_keys_setup = false;  // keep the keys; (re)write only the config section
  // The answer to "delete the CSV?": true (--delete-csv) deletes it wherever it is, false
  // (--keep-csv) keeps it; nullopt asks on a terminal when its place is risky, keeps otherwise.
  std::optional<bool> delete_csv;
  std::filesystem::path project_dir = ".";
  std::string endpoint_url;     // --endpoint-url; empty: AWS_ENDPOINT_URL, then the profile's
  std::string region;           // --region; empty: project.yaml's primary_region
  std::string profile;          // --profile: where endpoint settings are read (default: the target)
  std::string output = "text";  // text (table is the same) | json
  bool debug = false;
};

// Calls STS GetCallerIdentity with `overrides` (explicit credentials set) and `environment`.
// Errors carry the AWS code and message, plus a field "endpoint" with the URL that was called
// when it is known.
using KeyValidator = std::function<Result<client::CallerIdentity>(
    const client::ClientOverrides& overrides, const client::Environment& environment)>;

// The validator used by the binary: client::Session over HTTP(S).
[[nodiscard]] KeyValidator StsKeyValidator();

// Runs `credentials configure`. HOME is read from `environment`, which is also what the
// validator gets, with AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE pointing at the project's
// files.
int RunCredentialsConfigure(const CredentialsConfigureOptions& options, const CommandIo& io,
                            const client::Environment& environment, const KeyValidator& validate);

struct AwsPassthroughOptions {
  std::filesystem::path project_dir = ".";
  std::string profile;       // sets AWS_PROFILE
  std::string region;        // sets AWS_REGION
  std::string endpoint_url;  // passed as --endpoint-url before `args`
  std::vector<std::string> args;
};

// The program and arguments `fulcrum aws` runs, and the variables it sets, for `options` and the
// project's files; a failure when project.yaml cannot be read. The program is FULCRUM_AWS_CLI
// from `environment`, else "aws" (looked up on PATH).
struct AwsInvocation {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> environment;
};
[[nodiscard]] Result<AwsInvocation> PrepareAwsInvocation(const AwsPassthroughOptions& options,
                                                         const client::Environment& environment);

// Adds `credentials configure` and `aws` to `app`, bound to this object's options. The object
// must outlive parsing; it cannot be copied or moved.
class CredentialsCommands {
 public:
  explicit CredentialsCommands(CLI::App& app);
  CredentialsCommands(const CredentialsCommands&) = delete;
  CredentialsCommands& operator=(const CredentialsCommands&) = delete;

  // After app.parse(): the exit code of the command given on the command line, run on the
  // process's stdin, stdout, stderr and environment; nullopt when it named neither command.
  // `fulcrum aws` replaces the process with the AWS CLI and returns only when it cannot.
  [[nodiscard]] std::optional<int> Run() const;

 private:
  CredentialsConfigureOptions configure_;
  bool delete_csv_ = false;
  bool keep_csv_ = false;
  AwsPassthroughOptions aws_;
  bool aws_debug_ = false;
  CLI::App* configure_command_ = nullptr;
  CLI::App* aws_command_ = nullptr;
};

}  // namespace fulcrum::cli
