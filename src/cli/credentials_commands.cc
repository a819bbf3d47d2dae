#include "cli/credentials_commands.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>
#include <system_error>

#include "cli/access_key_csv.h"
#include "cli/aws_files.h"
#include "cli/project.h"
#include "client/session.h"
#include "common/atomic_file.h"
#include "common/clock.h"

namespace fulcrum::cli {
namespace {

constexpr std::string_view kCommand = "fulcrum credentials configure";

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
    text.pop_back();
  }
  const size_t begin = text.find_first_not_of(" \t");
  return begin == std::string::npos ? std::string() : text.substr(begin);
}

// Where the key came from, for messages: "<file> line N" or "the key you typed".
struct KeySource {
  std::string access_key_id;
  std::string secret_access_key;
  std::string where;  // "the CSV x.csv line 2", "what you typed"
};

// The 1-based line of the CSV's data row: the second non-blank line.
int DataRowLine(std::string_view text) {
  int line = 0;
  int non_blank = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line;
    std::string_view row = text.substr(start, end - start);
    if (row.find_first_not_of(" \t\r\xEF\xBB\xBF") != std::string_view::npos) {
      if (++non_blank == 2) return line;
    }
    start = end + 1;
  }
  return 2;
}

// Reads a line from `io.in` with the terminal's echo off when it is one.
bool ReadSecret(const CommandIo& io, std::string& line) {
  termios saved{};
  const bool tty =
      io.interactive && ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  const bool ok = static_cast<bool>(std::getline(io.in, line));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    io.err << "\n";
  }
  return ok;
}

bool AskYes(const CommandIo& io, const std::string& question) {
  io.err << question << " [y/N]: " << std::flush;
  std::string line;
  if (!std::getline(io.in, line)) return false;
  line = Trim(std::move(line));
  return line == "y" || line == "Y" || line == "yes" || line == "Yes";
}

// A sentence that says what a failed GetCallerIdentity means for these keys.
std::string ExplainStsError(const Error& error, const KeySource& key) {
  if (error.code == "SignatureDoesNotMatch") {
    return fmt::format(
        "the secret access key in {} does not match the key id {}; copy both "
        "values of the same key again (or download a new key)",
        key.where, key.access_key_id);
  }
  if (error.code == "InvalidClientTokenId") {
    return fmt::format(
        "the access key id {} from {} is not known to this account plane (deleted, "
        "deactivated, or from another endpoint); check --endpoint-url and the key",
        key.access_key_id, key.where);
  }
  if (error.code == "EndpointConnectionError" || error.code == "ConnectTimeoutError" ||
      error.code == "ReadTimeoutError") {
    return "the endpoint could not be reached; check --endpoint-url (or AWS_ENDPOINT_URL) and that "
           "the account plane is running";
  }
  if (error.code == "NoRegion") return "no region is configured; pass --region";
  if (error.code == "InvalidEndpoint") return "the endpoint URL is not valid; fix --endpoint-url";
  return "check the key and the endpoint";
}

std::string EndpointOf(const Error& error) {
  for (const auto& [name, value] : error.fields) {
    if (name == "endpoint") return value;
  }
  return {};
}

// The environment the validator sees: the project's files as the AWS files, and no profile
// selection from outside (the profile is chosen explicitly).
client::Environment ValidationEnvironment(const client::Environment& environment,
                                          const AwsFiles& files) {
  client::Environment result = environment;
  result.erase("AWS_PROFILE");
  result.erase("AWS_DEFAULT_PROFILE");
  result["AWS_CONFIG_FILE"] = files.config.string();
  result["AWS_SHARED_CREDENTIALS_FILE"] = files.credentials.string();
  return result;
}

std::optional<std::string> ManagementAccountId(const Project& project) {
  for (const ProjectAccount& account : project.accounts) {
    if (account.name == "management" && !account.id.empty()) return account.id;
  }
  return std::nullopt;
}

int Failure(const CommandIo& io, const std::string& message) {
  io.err << kCommand << ": " << message << "\n";
  return kExitProblems;
}

}  // namespace

KeyValidator StsKeyValidator() {
  return [](const client::ClientOverrides& overrides,
            const client::Environment& environment) -> Result<client::CallerIdentity> {
    static const SystemClock clock;
    auto session = client::Session::Open(overrides, environment, clock);
    if (!session) return Fail(session.error());
    auto sts = (*session)->Sts();
    if (!sts) return Fail(sts.error());
    auto identity = (*sts)->GetCallerIdentity();
    if (!identity) {
      Error error = identity.error();
      error.fields.emplace_back("endpoint", (*sts)->endpoint().url.ToString());
      return Fail(std::move(error));
    }
    return identity;
  };
}

int RunCredentialsConfigure(const CredentialsConfigureOptions& options, const CommandIo& io,
                            const client::Environment& environment, const KeyValidator& validate) {
  if (options.type != "bootstrap" && options.type != "management" && options.type != "security") {
    io.err << kCommand << ": --type must be bootstrap, management or security\n";
    return kExitUsage;
  }
  const std::filesystem::path project_file = options.project_dir / kProjectFileName;
  auto project = LoadProject(project_file);
  if (!project) {
    if (project.error().code == "NoSuchFile") {
      return Failure(io, fmt::format("{} does not exist; run `fulcrum project init` first or pass "
                                     "--project-dir",
                                     project_file.string()));
    }
    return Failure(io, project.error().message);
  }
  const auto home = client::Lookup(environment, "HOME");
  if (!home) return Failure(io, "HOME is not set, so ~/.aws/<short>/ cannot be located");
  const AwsFiles files = ProjectAwsFilesIn(*home, project->short_name);
  const std::string profile = ProfileName(project->short_name, options.type);

  auto existing = ReadProfile(files, profile);
  if (!existing) return Failure(io, existing.error().message);
  const bool has_keys = existing->has_value() && (*existing)->Get("aws_access_key_id").has_value();

  if (!options.skip_access_keys_setup && has_keys && !options.overwrite_existing_credentials) {
    return Failure(io, fmt::format("profile {} already has access keys in {}; pass "
                                   "--overwrite-existing-credentials to replace them (the old file "
                                   "is kept as {}.bkp), or --skip-access-keys-setup to keep them "
                                   "and only rewrite its config",
                                   profile, files.credentials.string(),
                                   files.credentials.filename().string()));
  }
  if (options.skip_access_keys_setup && !has_keys) {
    return Failure(io, fmt::format("--skip-access-keys-setup: profile {} has no access keys in {} "
                                   "yet; run without it to set them up",
                                   profile, files.credentials.string()));
  }

  // The key: the existing one, the CSV, or what the user types.
  KeySource key;
  if (options.skip_access_keys_setup) {
    key.access_key_id = *(*existing)->Get("aws_access_key_id");
    key.secret_access_key = (*existing)->Get("aws_secret_access_key").value_or("");
    key.where = fmt::format("profile {} of {}", profile, files.credentials.string());
  } else if (!options.credentials_file.empty()) {
    auto text = ReadWholeFile(options.credentials_file);
    if (!text) {
      return Failure(io, text.error().code == "NoSuchFile"
                             ? fmt::format("{} does not exist; pass the CSV the console downloaded "
                                           "with --credentials-file",
                                           options.credentials_file.string())
                             : text.error().message);
    }
    auto csv = ParseAccessKeyCsv(*text, options.credentials_file.string());
    if (!csv) return Failure(io, csv.error().message);
    key.access_key_id = csv->access_key_id;
    key.secret_access_key = csv->secret_access_key;
    key.where = fmt::format("{} line {}", options.credentials_file.string(), DataRowLine(*text));
  } else if (!io.interactive) {
    io.err << kCommand
           << ": no --credentials-file and stdin is not a terminal, so the key cannot be asked "
              "for: pass --credentials-file <the access-key CSV>\n";
    return kExitUsage;
  } else {
    io.err << "Access key ID: " << std::flush;
    std::string line;
    if (!std::getline(io.in, line)) return Failure(io, "no access key id given");
    key.access_key_id = Trim(std::move(line));
    io.err << "Secret access key (not shown): " << std::flush;
    if (!ReadSecret(io, line)) return Failure(io, "no secret access key given");
    key.secret_access_key = Trim(std::move(line));
    if (key.access_key_id.empty() || key.secret_access_key.empty()) {
      return Failure(io, "the access key id and the secret access key must both be given");
    }
    key.where = "what you typed";
  }

  // Validate before any write.
  const client::Environment validation_environment = ValidationEnvironment(environment, files);
  client::ClientOverrides overrides;
  overrides.credentials = sigv4::Credentials{key.access_key_id, key.secret_access_key, {}};
  if (!options.profile.empty()) {
    overrides.profile = options.profile;
  } else if (existing->has_value()) {
    overrides.profile = profile;
  }
  if (!options.endpoint_url.empty()) overrides.endpoint_url = options.endpoint_url;
  const std::string region = options.region.empty() ? project->primary_region : options.region;
  overrides.region = region;
  if (options.debug) {
    io.err << "debug: validating " << key.access_key_id << " from " << key.where
           << " with STS GetCallerIdentity (region " << region << ")\n";
  }
  auto identity = validate(overrides, validation_environment);
  if (!identity) {
    const std::string endpoint = EndpointOf(identity.error());
    return Failure(io,
                   fmt::format("STS GetCallerIdentity{} failed: {}: {}\n  {}\nNo file was "
                               "changed.",
                               endpoint.empty() ? "" : " at " + endpoint, identity.error().code,
                               identity.error().message, ExplainStsError(identity.error(), key)));
  }

  const std::optional<std::string> recorded_id = ManagementAccountId(*project);
  if (options.type == "bootstrap" && recorded_id && *recorded_id != identity->account) {
    return Failure(io, fmt::format("the key belongs to account {}, but {} records {} as the "
                                   "management account; use a key of the management account, or "
                                   "fix the id in the file. No file was changed.",
                                   identity->account, project_file.string(), *recorded_id));
  }

  if (identity->arn.ends_with(":root")) {
    io.err << "warning: these are the root user's keys; keep them only to bootstrap, then give "
              "profile "
           << profile
           << " mgmt-org-admin's keys (`fulcrum management bootstrap`) and delete the root keys\n";
  }

  // Write.
  ProfileConfig config;
  config.region = region;
  std::string endpoint_url = options.endpoint_url;
  if (endpoint_url.empty())
    endpoint_url = client::Lookup(environment, "AWS_ENDPOINT_URL").value_or("");
  if (!endpoint_url.empty()) config.extra.emplace_back("endpoint_url", endpoint_url);
  Result<void> written;
  if (options.skip_access_keys_setup) {
    IniValues values{{"region", config.region}, {"output", config.output}};
    values.insert(values.end(), config.extra.begin(), config.extra.end());
    written = UpsertIniSection(files.config, ConfigSectionName(profile), values);
  } else {
    written = UpsertStaticProfile(files, profile, key.access_key_id, key.secret_access_key, config);
  }
  if (!written) return Failure(io, written.error().message);

  bool recorded = false;
  if (options.type == "bootstrap" && !recorded_id) {
    if (auto set = SetManagementAccountId(project_file, identity->account); !set) {
      return Failure(io, fmt::format("the profile was written, but the management account id could "
                                     "not be recorded: {}",
                                     set.error().message));
    }
    recorded = true;
  }

  // The CSV: warn about risky places, delete when asked.
  bool csv_deleted = false;
  if (!options.credentials_file.empty() && !options.skip_access_keys_setup) {
    const std::vector<std::string> risks =
        RiskyCsvLocation(options.credentials_file, options.project_dir);
    for (const std::string& risk : risks) io.err << "warning: " << risk << "\n";
    bool remove = options.delete_csv.value_or(false);
    if (!options.delete_csv && !risks.empty() && io.interactive) {
      remove =
          AskYes(io, fmt::format("The key is now in {}. Delete {}?", files.credentials.string(),
                                 options.credentials_file.string()));
    }
    if (remove) {
      std::error_code error;
      std::filesystem::remove(options.credentials_file, error);
      if (error) {
        io.err << "warning: cannot delete " << options.credentials_file.string() << ": "
               << error.message() << "\n";
      } else {
        csv_deleted = true;
      }
    }
  }

  if (options.output == "json") {
    boost::json::object result{{"profile", profile},
                               {"account", identity->account},
                               {"arn", identity->arn},
                               {"access_key_id", key.access_key_id},
                               {"credentials_file", files.credentials.string()},
                               {"config_file", files.config.string()},
                               {"keys_written", !options.skip_access_keys_setup},
                               {"management_account_id_recorded", recorded},
                               {"csv_deleted", csv_deleted}};
    io.out << boost::json::serialize(result) << "\n";
  } else {
    io.out << "profile " << profile << ": " << identity->arn << " (account " << identity->account
           << ")\n";
    if (options.skip_access_keys_setup) {
      io.out << "updated [" << ConfigSectionName(profile) << "] in " << files.config.string()
             << "\n";
    } else {
      io.out << "wrote [" << profile << "] to " << files.credentials.string() << " and ["
             << ConfigSectionName(profile) << "] to " << files.config.string() << "\n";
    }
    if (recorded) {
      io.out << "recorded management account id " << identity->account << " in "
             << project_file.string() << "\n";
    }
    if (csv_deleted) io.out << "deleted " << options.credentials_file.string() << "\n";
    io.out << "try: fulcrum aws --profile " << profile << " -- sts get-caller-identity\n";
  }
  return kExitOk;
}

Result<AwsInvocation> PrepareAwsInvocation(const AwsPassthroughOptions& options,
                                           const client::Environment& environment) {
  auto project = LoadProject(options.project_dir / kProjectFileName);
  if (!project) return Fail(project.error());
  const auto home = client::Lookup(environment, "HOME");
  if (!home) {
    return Fail("InvalidEnvironment", "HOME is not set, so ~/.aws/<short>/ cannot be located");
  }
  const AwsFiles files = ProjectAwsFilesIn(*home, project->short_name);
  AwsInvocation invocation;
  invocation.argv.push_back(client::Lookup(environment, "FULCRUM_AWS_CLI").value_or("aws"));
  // Older AWS CLIs (Debian's 2.9) ignore endpoint_url in the config file: pass the profile's as a
  // flag, unless the command line names one.
  std::string endpoint_url = options.endpoint_url;
  const bool args_name_endpoint =
      std::find(options.args.begin(), options.args.end(), "--endpoint-url") != options.args.end();
  if (endpoint_url.empty() && !args_name_endpoint) {
    std::string profile = options.profile;
    for (std::size_t i = 0; profile.empty() && i + 1 < options.args.size(); ++i) {
      if (options.args[i] == "--profile") profile = options.args[i + 1];
    }
    if (profile.empty()) profile = client::Lookup(environment, "AWS_PROFILE").value_or("");
    if (!profile.empty()) {
      auto read = ReadProfile(files, profile);
      if (read && read->has_value()) endpoint_url = (*read)->Get("endpoint_url").value_or("");
    }
  }
  if (!endpoint_url.empty() && !args_name_endpoint) {
    invocation.argv.push_back("--endpoint-url");
    invocation.argv.push_back(endpoint_url);
  }
  invocation.argv.insert(invocation.argv.end(), options.args.begin(), options.args.end());
  invocation.environment.emplace_back("AWS_CONFIG_FILE", files.config.string());
  invocation.environment.emplace_back("AWS_SHARED_CREDENTIALS_FILE", files.credentials.string());
  if (!options.profile.empty()) invocation.environment.emplace_back("AWS_PROFILE", options.profile);
  if (!options.region.empty()) invocation.environment.emplace_back("AWS_REGION", options.region);
  return invocation;
}

CredentialsCommands::CredentialsCommands(CLI::App& app) {
  CLI::App* credentials =
      app.add_subcommand("credentials", "Set up the project's access keys in ~/.aws/<short>/");
  credentials->require_subcommand(1);
  configure_command_ = credentials->add_subcommand(
      "configure", "Check an access key with STS and write it as profile <short>-<type>");
  configure_command_->add_option("--type", configure_.type, "bootstrap, management or security")
      ->required()
      ->check(CLI::IsMember({"bootstrap", "management", "security"}, CLI::ignore_case));
  configure_command_->add_option("--credentials-file", configure_.credentials_file,
                                 "The access-key CSV the console downloaded (default: prompt)");
  configure_command_->add_flag("--overwrite-existing-credentials",
                               configure_.overwrite_existing_credentials,
                               "Replace the profile's keys when it has some");
  configure_command_->add_flag("--skip-access-keys-setup", configure_.skip_access_keys_setup,
                               "Keep the profile's keys; only (re)write its config");
  auto* delete_csv = configure_command_->add_flag("--delete-csv", delete_csv_,
                                                  "Delete the CSV once the key is configured");
  auto* keep_csv =
      configure_command_->add_flag("--keep-csv", keep_csv_, "Keep the CSV without asking");
  delete_csv->excludes(keep_csv);
  configure_command_
      ->add_option("--project-dir", configure_.project_dir, "The directory holding project.yaml")
      ->capture_default_str();
  configure_command_->add_option("--endpoint-url", configure_.endpoint_url,
                                 "The account plane's URL (also written to the profile)");
  configure_command_->add_option("--region", configure_.region,
                                 "Region of the profile (default: project.yaml primary_region)");
  configure_command_->add_option("--profile", configure_.profile,
                                 "Profile whose endpoint settings are used to validate the key");
  configure_command_->add_option("--output", configure_.output, "text (or table) or json")
      ->check(CLI::IsMember({"text", "table", "json"}))
      ->capture_default_str();
  configure_command_->add_flag("--debug", configure_.debug, "Say what is called");

  aws_command_ = app.add_subcommand(
      "aws", "Run the AWS CLI on the project's ~/.aws/<short>/ files: fulcrum aws -- ARGS");
  aws_command_->add_option("--project-dir", aws_.project_dir, "The directory holding project.yaml")
      ->capture_default_str();
  aws_command_->add_option("--profile", aws_.profile, "Sets AWS_PROFILE");
  aws_command_->add_option("--region", aws_.region, "Sets AWS_REGION");
  aws_command_->add_option("--endpoint-url", aws_.endpoint_url,
                           "Passed to the AWS CLI as --endpoint-url");
  aws_command_->add_option("args", aws_.args, "The AWS CLI's arguments, after --");
  aws_command_->add_flag("--debug", aws_debug_, "Print the command and the files it uses");
}

std::optional<int> CredentialsCommands::Run() const {
  const CommandIo io{std::cin, std::cout, std::cerr, ::isatty(STDIN_FILENO) == 1};
  if (configure_command_->parsed()) {
    CredentialsConfigureOptions options = configure_;
    for (char& c : options.type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (delete_csv_) options.delete_csv = true;
    if (keep_csv_) options.delete_csv = false;
    return RunCredentialsConfigure(options, io, client::ProcessEnvironment(), StsKeyValidator());
  }
  if (aws_command_->parsed()) {
    auto invocation = PrepareAwsInvocation(aws_, client::ProcessEnvironment());
    if (!invocation) {
      io.err << "fulcrum aws: " << invocation.error().message << "\n";
      return kExitProblems;
    }
    for (const auto& [name, value] : invocation->environment) {
      if (aws_debug_) io.err << "debug: " << name << "=" << value << "\n";
      // NOLINTNEXTLINE(concurrency-mt-unsafe): single-threaded, just before exec.
      ::setenv(name.c_str(), value.c_str(), 1);
    }
    std::vector<char*> argv;
    for (const std::string& arg : invocation->argv) {
      if (aws_debug_) io.err << (argv.empty() ? "debug: exec " : " ") << arg;
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    if (aws_debug_) io.err << "\n";
    argv.push_back(nullptr);
    std::cout.flush();
    std::cerr.flush();
    ::execvp(argv[0], argv.data());
    io.err << "fulcrum aws: cannot run " << invocation->argv[0] << ": "
           << std::error_code(errno, std::generic_category()).message()
           << "; install the AWS CLI or set FULCRUM_AWS_CLI to its path\n";
    return kExitProblems;
  }
  return std::nullopt;
}

}  // namespace fulcrum::cli
