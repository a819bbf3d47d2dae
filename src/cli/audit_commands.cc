#include "cli/audit_commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "cli/aws_files.h"
#include "cli/project.h"
#include "client/session.h"
#include "common/clock.h"

namespace fulcrum::cli {
namespace {

constexpr std::string_view kCommand = "fulcrum audit";

std::string_view Colour(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass:
      return "\033[32m";
    case CheckStatus::kWarn:
      return "\033[33m";
    case CheckStatus::kFail:
      return "\033[31m";
  }
  return "";
}

bool IsTransportError(const Error& error) {
  return error.code == "EndpointConnectionError" || error.code == "ConnectTimeoutError" ||
         error.code == "ReadTimeoutError" || error.code == "NoRegion" ||
         error.code == "InvalidEndpoint";
}

}  // namespace

void PrintAudit(const std::vector<CheckResult>& checks, const std::string& profile,
                const std::string& output, bool colour, std::ostream& out) {
  int counts[3] = {0, 0, 0};
  for (const CheckResult& check : checks) ++counts[static_cast<int>(check.status)];
  if (output == "json") {
    boost::json::array list;
    for (const CheckResult& check : checks) {
      list.push_back(boost::json::object{{"id", check.id},
                                         {"title", check.title},
                                         {"status", CheckStatusName(check.status)},
                                         {"detail", check.detail},
                                         {"fix", check.fix}});
    }
    out << boost::json::serialize(boost::json::object{
               {"profile", profile},
               {"checks", std::move(list)},
               {"summary", {{"pass", counts[0]}, {"warn", counts[1]}, {"fail", counts[2]}}}})
        << "\n";
    return;
  }
  size_t id_width = 5;
  for (const CheckResult& check : checks) id_width = std::max(id_width, check.id.size());
  out << fmt::format("{:<8}{:<{}}  {}\n", "STATUS", "CHECK", id_width, "DETAIL");
  for (const CheckResult& check : checks) {
    const std::string status(CheckStatusName(check.status));
    out << (colour ? Colour(check.status) : "") << fmt::format("{:<8}", status)
        << (colour ? "\033[0m" : "")
        << fmt::format("{:<{}}  {}: {}\n", check.id, id_width, check.title, check.detail);
    if (!check.fix.empty()) {
      out << fmt::format("{:<8}{:<{}}  fix: {}\n", "", "", id_width, check.fix);
    }
  }
  out << fmt::format("profile {}: {} pass, {} warn, {} fail\n", profile, counts[0], counts[1],
                     counts[2]);
}

int RunAudit(const AuditOptions& options, const CommandIo& io,
             const client::Environment& environment, bool colour) {
  const std::filesystem::path project_file = options.project_dir / kProjectFileName;
  auto project = LoadProject(project_file);
  if (!project) {
    io.err << kCommand << ": "
           << (project.error().code == "NoSuchFile"
                   ? project_file.string() + " does not exist; pass --project-dir"
                   : project.error().message)
           << "\n";
    return kExitProblems;
  }
  const auto home = client::Lookup(environment, "HOME");
  if (!home) {
    io.err << kCommand << ": HOME is not set, so ~/.aws/<short>/ cannot be located\n";
    return kExitProblems;
  }
  const AwsFiles files = ProjectAwsFilesIn(*home, project->short_name);
  const std::string profile =
      options.profile.empty() ? ProfileName(project->short_name, "bootstrap") : options.profile;

  client::Environment session_environment = environment;
  session_environment["AWS_CONFIG_FILE"] = files.config.string();
  session_environment["AWS_SHARED_CREDENTIALS_FILE"] = files.credentials.string();
  client::ClientOverrides overrides;
  overrides.profile = profile;
  if (!options.endpoint_url.empty()) overrides.endpoint_url = options.endpoint_url;
  if (!options.region.empty()) {
    overrides.region = options.region;
  } else if (auto found = ReadProfile(files, profile);
             !(found && *found && (*found)->Get("region")) &&
             !client::Lookup(environment, "AWS_REGION") &&
             !client::Lookup(environment, "AWS_DEFAULT_REGION")) {
    overrides.region = project->primary_region;
  }

  static const SystemClock clock;
  auto session = client::Session::Open(overrides, session_environment, clock);
  if (!session) {
    io.err << kCommand << ": cannot use profile " << profile << " of " << files.directory.string()
           << ": " << session.error().code << ": " << session.error().message
           << "\n  configure it with `fulcrum credentials configure --type bootstrap`, or pass "
              "--profile\n";
    return kExitProblems;
  }
  auto iam = (*session)->Iam();
  if (!iam) {
    io.err << kCommand << ": " << iam.error().code << ": " << iam.error().message << "\n";
    return kExitProblems;
  }
  if (options.debug) {
    io.err << "debug: IAM at " << (*iam)->endpoint().url.ToString() << " ("
           << (*iam)->endpoint().source << "), profile " << profile << "\n";
  }

  std::vector<std::filesystem::path> csv_dirs{options.project_dir,
                                              std::filesystem::path(*home) / "Downloads"};
  csv_dirs.insert(csv_dirs.end(), options.csv_search_dirs.begin(), options.csv_search_dirs.end());
  const AuditInputs inputs = GatherAuditInputs(**iam, clock.Now(), files.directory, csv_dirs);
  if (!inputs.account_summary && IsTransportError(inputs.account_summary.error())) {
    io.err << kCommand << ": IAM GetAccountSummary at " << (*iam)->endpoint().url.ToString()
           << " failed: " << inputs.account_summary.error().code << ": "
           << inputs.account_summary.error().message
           << "\n  check --endpoint-url (or the profile's endpoint_url) and that the account plane "
              "is running\n";
    return kExitProblems;
  }
  const std::vector<CheckResult> checks = EvaluateAudit(inputs);
  PrintAudit(checks, profile, options.output, colour && options.output != "json", io.out);
  for (const CheckResult& check : checks) {
    if (check.status == CheckStatus::kFail) return kExitProblems;
  }
  return kExitOk;
}

AuditCommands::AuditCommands(CLI::App& app) {
  audit_command_ = app.add_subcommand(
      "audit", "Check the management account against the landing zone's security advice");
  audit_command_
      ->add_option("--project-dir", options_.project_dir, "The directory holding project.yaml")
      ->capture_default_str();
  audit_command_->add_option("--profile", options_.profile,
                             "Profile to audit with (default <short>-bootstrap)");
  audit_command_->add_option("--endpoint-url", options_.endpoint_url, "The account plane's URL");
  audit_command_->add_option("--region", options_.region, "Region to sign for");
  audit_command_->add_option("--output", options_.output, "text, table or json")
      ->check(CLI::IsMember({"text", "table", "json"}))
      ->capture_default_str();
  audit_command_->add_option("--csv-search-dir", options_.csv_search_dirs,
                             "Also look for leftover access-key CSVs here (repeatable)");
  audit_command_->add_flag("--debug", options_.debug, "Say what is called");
}

std::optional<int> AuditCommands::Run() const {
  if (!audit_command_->parsed()) return std::nullopt;
  const CommandIo io{std::cin, std::cout, std::cerr, ::isatty(STDIN_FILENO) == 1};
  const client::Environment environment = client::ProcessEnvironment();
  const bool colour =
      ::isatty(STDOUT_FILENO) == 1 && !client::Lookup(environment, "NO_COLOR").has_value();
  return RunAudit(options_, io, environment, colour);
}

}  // namespace fulcrum::cli
