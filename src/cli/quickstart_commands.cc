#include "cli/quickstart_commands.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <utility>
#include <vector>

#include "cli/access_key_csv.h"
#include "cli/aws_files.h"
#include "cli/bootstrap.h"
#include "cli/fulcrum_plane.h"
#include "cli/project.h"
#include "client/session.h"
#include "common/atomic_file.h"
#include "common/clock.h"

namespace fulcrum::cli {
namespace {

namespace json = boost::json;

constexpr std::string_view kProjectName = "myexample";
constexpr std::string_view kShortName = "me";
constexpr std::string_view kDomain = "example.com";
constexpr std::string_view kAccountName = "myexample-management";
constexpr std::string_view kAccountEmail = "myexample-aws@example.com";
constexpr std::string_view kRegion = "us-east-1";
constexpr std::string_view kReadyPrefix = "fulcrum: listening on ";
constexpr auto kServerStartTimeout = std::chrono::seconds(20);

// A child process of this binary. Runs `args` with `environment` (nothing inherited); stdout and
// stderr go to the given descriptors (-1: this process's).
struct ChildSpec {
  std::vector<std::string> args;
  client::Environment environment;
  int stdout_fd = -1;
  int stderr_fd = -1;
  bool die_with_parent = false;
};

Result<pid_t> Spawn(const std::filesystem::path& binary, const ChildSpec& spec) {
  std::vector<std::string> argv_storage{binary.string()};
  argv_storage.insert(argv_storage.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_storage;
  env_storage.reserve(spec.environment.size());
  for (const auto& [name, value] : spec.environment) {
    env_storage.push_back(fmt::format("{}={}", name, value));
  }
  std::vector<char*> argv;
  argv.reserve(argv_storage.size() + 1);
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(env_storage.size() + 1);
  for (std::string& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return Fail("InternalFailure", "fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls until execve.
    if (spec.die_with_parent &&
        (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != parent)) {
      ::_exit(127);
    }
    if (spec.stdout_fd >= 0) ::dup2(spec.stdout_fd, STDOUT_FILENO);
    if (spec.stderr_fd >= 0) ::dup2(spec.stderr_fd, STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

struct Captured {
  int exit_code = 0;
  std::string out;
};

// Runs a child to its end, keeping its stdout in memory (stderr is this process's).
Result<Captured> RunCaptured(const std::filesystem::path& binary, ChildSpec spec) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Fail("InternalFailure", "pipe failed");
  spec.stdout_fd = fds[1];
  auto pid = Spawn(binary, spec);
  ::close(fds[1]);
  if (!pid) {
    ::close(fds[0]);
    return Fail(pid.error());
  }
  Captured captured;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    captured.out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  captured.exit_code = Wait(*pid);
  return captured;
}

int RunInherited(const std::filesystem::path& binary, const ChildSpec& spec) {
  auto pid = Spawn(binary, spec);
  return pid ? Wait(*pid) : 127;
}

// The account plane child; stopped (SIGTERM, then waited for) when destroyed.
class ServerChild {
 public:
  ServerChild() = default;
  ServerChild(const ServerChild&) = delete;
  ServerChild& operator=(const ServerChild&) = delete;
  ~ServerChild() { Stop(); }

  // Starts the server and waits for its ready line; on success, its endpoint URL.
  Result<std::string> Start(const std::filesystem::path& binary, const ChildSpec& base,
                            const std::filesystem::path& log) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Fail("InternalFailure", "pipe failed");
    const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    ChildSpec spec = base;
    spec.stdout_fd = fds[1];
    spec.stderr_fd = log_fd;
    spec.die_with_parent = true;
    auto pid = Spawn(binary, spec);
    ::close(fds[1]);
    if (log_fd >= 0) ::close(log_fd);
    if (!pid) {
      ::close(fds[0]);
      return Fail(pid.error());
    }
    pid_ = *pid;
    stdout_fd_ = fds[0];
    const auto deadline = std::chrono::steady_clock::now() + kServerStartTimeout;
    std::string printed;
    for (;;) {
      const size_t end = printed.find('\n');
      if (end != std::string::npos) {
        const std::string line = printed.substr(0, end);
        if (line.starts_with(kReadyPrefix)) return line.substr(kReadyPrefix.size());
        printed.erase(0, end + 1);
        continue;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd ready{stdout_fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) == 0) {
        return Fail("ServerStartFailed", fmt::format("the account plane printed no ready line "
                                                     "within {}s; see {}",
                                                     kServerStartTimeout.count(), log.string()));
      }
      char buffer[512];
      const ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
      if (n == 0) {
        Stop();
        return Fail("ServerStartFailed",
                    fmt::format("the account plane exited before it was ready (is the address "
                                "in use? pass --listen 127.0.0.1:PORT); see {}",
                                log.string()));
      }
      if (n > 0) printed.append(buffer, static_cast<size_t>(n));
    }
  }

  // SIGTERM and wait; returns the exit code, or -1 when nothing runs.
  int Stop() {
    int code = -1;
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      code = Wait(pid_);
      pid_ = -1;
    }
    if (stdout_fd_ >= 0) {
      ::close(stdout_fd_);
      stdout_fd_ = -1;
    }
    return code;
  }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
};

// Prints the steps with the time elapsed since the start.
class Progress {
 public:
  explicit Progress(std::ostream& out) : out_(out) {}
  void Step(std::string_view mark, std::string_view text) {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    out_ << fmt::format("[{:5.1f}s] {} {}\n", elapsed.count(), mark, text) << std::flush;
  }
  void Done(std::string_view text) { Step("\u2192", text); }
  void Reused(std::string_view text) { Step("\u2713", text); }

 private:
  std::ostream& out_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

bool MakePrivateDir(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  return !error && ::chmod(dir.c_str(), 0700) == 0;
}

struct RootKey {
  std::string access_key_id;
  std::string secret_access_key;
};

Result<RootKey> ReadRootKey(const std::filesystem::path& file) {
  auto text = ReadWholeFile(file);
  if (!text) return Fail(text.error());
  boost::system::error_code error;
  const json::value doc = json::parse(*text, error);
  const json::object* object = !error && doc.is_object() ? &doc.as_object() : nullptr;
  const json::value* key = object ? object->if_contains("RootAccessKey") : nullptr;
  if (key == nullptr || !key->is_object() || !key->as_object().contains("AccessKeyId") ||
      !key->as_object().contains("SecretAccessKey")) {
    return Fail("InvalidRootKeyFile", file.string() + " holds no RootAccessKey");
  }
  return RootKey{json::value_to<std::string>(key->as_object().at("AccessKeyId")),
                 json::value_to<std::string>(key->as_object().at("SecretAccessKey"))};
}

int Failed(const CommandIo& io, std::string_view message) {
  io.err << "fulcrum quickstart: " << message << "\n"
         << "fulcrum quickstart: run it again to resume; nothing done so far is repeated\n";
  return kExitProblems;
}

}  // namespace

int RunQuickstart(const QuickstartOptions& options, const std::filesystem::path& binary,
                  const CommandIo& io, const client::Environment& environment) {
  std::error_code error;
  const std::filesystem::path dir = std::filesystem::absolute(options.dir, error);
  const std::filesystem::path data_dir = dir / "data";
  const std::filesystem::path project_dir = dir / "project";
  const std::filesystem::path root_key_file = dir / "root-access-key.json";
  std::filesystem::path home = dir / "aws";
  if (options.home_aws) {
    auto real_home = client::Lookup(environment, "HOME");
    if (!real_home) return Failed(io, "--home-aws needs HOME");
    home = *real_home;
  }
  if (!MakePrivateDir(dir) || (!options.home_aws && !MakePrivateDir(home))) {
    return Failed(io, fmt::format("cannot create {} (mode 0700)", dir.string()));
  }
  const AwsFiles files = ProjectAwsFilesIn(home, kShortName);
  const std::string profile = ProfileName(kShortName, "bootstrap");
  const std::filesystem::path csv = files.directory / AccessKeyCsvFileName(kBootstrapUserName);

  // Children see none of the caller's AWS settings: only what each step passes.
  client::Environment base;
  for (const auto& [name, value] : environment) {
    if (!name.starts_with("AWS_")) base.emplace(name, value);
  }
  base["HOME"] = home.string();
  base["AWS_CONFIG_FILE"] = files.config.string();
  base["AWS_SHARED_CREDENTIALS_FILE"] = files.credentials.string();
  base["AWS_EC2_METADATA_DISABLED"] = "true";
  base["AWS_PAGER"] = "";

  Progress progress(io.out);
  ServerChild server;
  auto endpoint =
      server.Start(binary,
                   ChildSpec{.args = {"server", "--listen", options.listen, "--data-dir",
                                      data_dir.string(), "--access-log", "off"},
                             .environment = base},
                   dir / "server.log");
  if (!endpoint) return Failed(io, endpoint.error().message);
  progress.Done(
      fmt::format("Account plane listening on {} (data in {})", *endpoint, data_dir.string()));
  auto endpoint_url = client::ParseEndpointUrl(*endpoint);
  if (!endpoint_url) return Failed(io, endpoint_url.error().message);

  // The account: signed up once; its root keys live in a 0600 file until they are deleted.
  std::optional<RootKey> root_key;
  if (std::filesystem::exists(root_key_file)) {
    auto key = ReadRootKey(root_key_file);
    if (!key) return Failed(io, key.error().message);
    root_key = *key;
    progress.Reused(fmt::format("Account {} signed up by an earlier run", kAccountName));
  } else {
    auto token = ReadAdminToken(data_dir / "admin-token");
    if (!token) return Failed(io, token.error().message);
    FulcrumPlane plane(*endpoint_url);
    auto accounts = plane.Admin("GET", "accounts", *token, {}, 200);
    if (!accounts) return Failed(io, accounts.error().message);
    bool exists = false;
    if (const json::value* list = accounts->if_contains("Accounts"); list && list->is_array()) {
      for (const json::value& account : list->as_array()) {
        const json::value* name =
            account.is_object() ? account.as_object().if_contains("AccountName") : nullptr;
        exists = exists || (name && name->is_string() && name->get_string() == kAccountName);
      }
    }
    if (exists) {
      progress.Reused(fmt::format("Account {} exists; its root keys were deleted", kAccountName));
    } else {
      auto created = RunCaptured(
          binary,
          ChildSpec{.args = {"account", "create", "--data-dir", data_dir.string(), "--name",
                             std::string(kAccountName), "--email", std::string(kAccountEmail),
                             "--root-access-key", "--output", "json"},
                    .environment = base});
      if (!created || created->exit_code != 0) {
        return Failed(io, "`fulcrum account create` failed");
      }
      // Keep the root keys only (the generated root password is not needed here).
      boost::system::error_code parse_error;
      json::value signup = json::parse(created->out, parse_error);
      const json::value* key_json = !parse_error && signup.is_object()
                                        ? signup.as_object().if_contains("RootAccessKey")
                                        : nullptr;
      if (key_json == nullptr) return Failed(io, "`fulcrum account create` printed no root key");
      const std::string kept = json::serialize(json::object{{"RootAccessKey", *key_json}});
      if (auto saved = WriteFileAtomically(root_key_file, kept, 0600); !saved) {
        return Failed(io, saved.error().message);
      }
      auto key = ReadRootKey(root_key_file);
      if (!key) return Failed(io, key.error().message);
      root_key = *key;
      progress.Done(fmt::format("Signed up {} ({}) with root access keys (kept in {}, 0600)",
                                kAccountName, kAccountEmail, root_key_file.string()));
    }
  }

  if (std::filesystem::exists(project_dir / kProjectFileName)) {
    progress.Reused(fmt::format("{} exists", (project_dir / kProjectFileName).string()));
  } else {
    const int code = RunInherited(
        binary, ChildSpec{.args = {"project", "init", "--project-name", std::string(kProjectName),
                                   "--short-name", std::string(kShortName), "--domain",
                                   std::string(kDomain), "--dir", project_dir.string()},
                          .environment = base});
    if (code != 0) return Failed(io, "`fulcrum project init` failed");
    progress.Done(fmt::format("Wrote {}", (project_dir / kProjectFileName).string()));
  }

  // Bootstrap with the root keys, or, once they are gone, with the profile it produced.
  client::Environment bootstrap_env = base;
  std::vector<std::string> bootstrap_args = {"management",
                                             "bootstrap",
                                             "--project-dir",
                                             project_dir.string(),
                                             "--endpoint-url",
                                             *endpoint,
                                             "--region",
                                             std::string(kRegion),
                                             "--admin-token-file",
                                             (data_dir / "admin-token").string(),
                                             "--mfa-seed-file",
                                             (dir / "root-mfa-seed").string(),
                                             "--csv-dir",
                                             files.directory.string(),
                                             "--yes"};
  if (root_key) {
    bootstrap_env["AWS_ACCESS_KEY_ID"] = root_key->access_key_id;
    bootstrap_env["AWS_SECRET_ACCESS_KEY"] = root_key->secret_access_key;
  } else {
    bootstrap_args.insert(bootstrap_args.end(), {"--profile", profile});
  }
  progress.Step("\u2026", "management bootstrap");
  if (RunInherited(binary, ChildSpec{.args = bootstrap_args, .environment = bootstrap_env}) != 0) {
    return Failed(io, "`fulcrum management bootstrap` failed");
  }
  progress.Done("Management account bootstrapped");

  if (std::filesystem::exists(csv)) {
    progress.Step("\u2026", "credentials configure --type bootstrap");
    const int code = RunInherited(
        binary,
        ChildSpec{.args = {"credentials", "configure", "--type", "bootstrap", "--credentials-file",
                           csv.string(), "--delete-csv", "--endpoint-url", *endpoint,
                           "--project-dir", project_dir.string()},
                  .environment = base});
    if (code != 0) return Failed(io, "`fulcrum credentials configure` failed");
    progress.Done(fmt::format("Profile {} written to {}", profile, files.directory.string()));
  } else {
    progress.Reused(fmt::format("Profile {} configured by an earlier run", profile));
  }

  if (root_key) {
    client::ClientOverrides overrides{
        .profile = std::nullopt,
        .region = std::string(kRegion),
        .endpoint_url = *endpoint,
        .credentials =
            sigv4::Credentials{root_key->access_key_id, root_key->secret_access_key, std::nullopt}};
    const client::Environment none{{"AWS_CONFIG_FILE", "/dev/null"},
                                   {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"}};
    const SystemClock clock;
    auto session = client::Session::Open(overrides, none, clock);
    if (!session) return Failed(io, session.error().message);
    auto iam = (*session)->Iam();
    if (!iam) return Failed(io, iam.error().message);
    auto deleted = (*iam)->DeleteAccessKey(root_key->access_key_id);
    if (!deleted && deleted.error().code != "NoSuchEntity" &&
        deleted.error().code != "InvalidClientTokenId") {
      return Failed(io, "IAM DeleteAccessKey (root) failed: " + deleted.error().message);
    }
    std::filesystem::remove(root_key_file, error);
    progress.Done(fmt::format("Deleted the root access key {} and {}", root_key->access_key_id,
                              root_key_file.string()));
  } else {
    progress.Reused("No root access keys");
  }

  progress.Step("\u2026", "audit");
  const int audit =
      RunInherited(binary, ChildSpec{.args = {"audit", "--profile", profile, "--endpoint-url",
                                              *endpoint, "--project-dir", project_dir.string()},
                                     .environment = base});
  if (audit != 0) return Failed(io, "`fulcrum audit` reported failures");
  progress.Done("Audit passed");

  io.out << fmt::format(
      "\nDone. Everything is in {}.\n"
      "  Restart the account plane:\n"
      "    {} server --data-dir {} --listen {}\n"
      "  Use the profile with the AWS CLI:\n"
      "    AWS_CONFIG_FILE={} AWS_SHARED_CREDENTIALS_FILE={} aws --profile {} --endpoint-url {} "
      "sts get-caller-identity\n",
      dir.string(), binary.string(), data_dir.string(), options.listen, files.config.string(),
      files.credentials.string(), profile, *endpoint);
  const int stopped = server.Stop();
  if (stopped != 0)
    io.err << "fulcrum quickstart: the account plane exited with " << stopped << "\n";
  progress.Done("Account plane stopped");
  return kExitOk;
}

QuickstartCommands::QuickstartCommands(CLI::App& app) {
  command_ = app.add_subcommand(
      "quickstart",
      "Account plane, management account, bootstrap, profile and audit, end to end in one dir");
  command_->add_option("--dir", options_.dir, "Where everything is kept")->capture_default_str();
  command_->add_option("--listen", options_.listen, "ADDRESS:PORT of the account plane")
      ->capture_default_str();
  command_->add_flag("--home-aws", options_.home_aws,
                     "Write the profile under the real ~/.aws/<short>/ instead of DIR/aws");
}

std::optional<int> QuickstartCommands::Run() const {
  if (!command_->parsed()) return std::nullopt;
  const CommandIo io{std::cin, std::cout, std::cerr, ::isatty(STDIN_FILENO) == 1};
  std::error_code error;
  const std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    io.err << "fulcrum quickstart: cannot find this program: " << error.message() << "\n";
    return kExitProblems;
  }
  return RunQuickstart(options_, binary, io, client::ProcessEnvironment());
}

}  // namespace fulcrum::cli
