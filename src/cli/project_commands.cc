#include "cli/project_commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <system_error>
#include <vector>

#include "cli/project.h"
#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

constexpr std::string_view kDefaultPrimaryRegion = "us-east-1";
constexpr std::string_view kDefaultSecondaryRegion = "us-west-2";

using Check = std::optional<std::string> (*)(std::string_view);

// One value `project init` needs: its flag, how to ask for it, and its check.
struct Field {
  std::string* value;
  const char* flag;
  const char* prompt;
  Check check;
  std::string_view fallback;  // used when not given; empty: the value is required
};

std::string TrimLine(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.pop_back();
  }
  const size_t begin = line.find_first_not_of(" \t");
  return begin == std::string::npos ? std::string() : line.substr(begin);
}

// Asks for `field` until the answer passes its check. False at the end of input.
bool Ask(const Field& field, const CommandIo& io) {
  for (;;) {
    io.err << field.prompt;
    if (!field.fallback.empty()) io.err << " [" << field.fallback << "]";
    io.err << ": " << std::flush;
    std::string line;
    if (!std::getline(io.in, line)) return false;
    std::string answer = TrimLine(std::move(line));
    if (answer.empty()) answer = std::string(field.fallback);
    if (answer.empty()) continue;
    if (auto problem = field.check(answer)) {
      io.err << "\"" << answer << "\" " << *problem << "\n";
      continue;
    }
    *field.value = std::move(answer);
    return true;
  }
}

boost::json::array ProblemsJson(const std::vector<Problem>& problems) {
  boost::json::array list;
  for (const Problem& problem : problems) {
    list.push_back(boost::json::object{{"file", problem.file},
                                       {"line", problem.line},
                                       {"column", problem.column},
                                       {"message", problem.message}});
  }
  return list;
}

}  // namespace

int RunProjectInit(const ProjectInitOptions& options, const CommandIo& io) {
  ProjectSettings settings{options.project_name, options.short_name, options.domain,
                           options.primary_region, options.secondary_region};
  const Field fields[] = {
      {&settings.project_name, "--project-name",
       "Project name (3-25 lowercase letters, digits or hyphens, e.g. myexample)",
       &ProjectNameProblem, ""},
      {&settings.short_name, "--short-name", "Short name (2-4 lowercase letters, e.g. me)",
       &ShortNameProblem, ""},
      {&settings.email_domain, "--domain", "Email domain of the account emails (e.g. example.com)",
       &EmailDomainProblem, ""},
      {&settings.primary_region, "--primary-region", "Primary region", &RegionProblem,
       kDefaultPrimaryRegion},
      {&settings.secondary_region, "--secondary-region", "Secondary region", &RegionProblem,
       kDefaultSecondaryRegion},
  };

  // Flag values first, so that a bad flag is reported before anything is asked.
  bool usage_error = false;
  std::vector<std::string> missing;
  for (const Field& field : fields) {
    if (field.value->empty()) {
      if (field.fallback.empty()) missing.push_back(field.flag);
      continue;
    }
    if (auto problem = field.check(*field.value)) {
      io.err << "fulcrum project init: " << field.flag << " \"" << *field.value << "\" " << *problem
             << "\n";
      usage_error = true;
    }
  }
  if (usage_error) return kExitUsage;
  if (!missing.empty() && !io.interactive) {
    std::string list;
    for (const std::string& flag : missing) list += (list.empty() ? "" : ", ") + flag;
    io.err << "fulcrum project init: missing " << list
           << "; stdin is not a terminal, so they cannot be asked for: pass them as flags\n";
    return kExitUsage;
  }
  for (const Field& field : fields) {
    if (!field.value->empty()) continue;
    if (!io.interactive) {
      *field.value = std::string(field.fallback);
    } else if (!Ask(field, io)) {
      io.err << "\nfulcrum project init: no answer for " << field.flag << "\n";
      return kExitUsage;
    }
  }

  const std::filesystem::path file = options.dir / kProjectFileName;
  std::error_code error;
  if (std::filesystem::exists(file, error) && !options.force) {
    io.err << "fulcrum project init: " << file.string()
           << " already exists; pass --force to replace it\n";
    return kExitProblems;
  }
  std::filesystem::create_directories(options.dir, error);
  if (error) {
    io.err << "fulcrum project init: cannot create " << options.dir.string() << ": "
           << error.message() << "\n";
    return kExitProblems;
  }
  const std::string text = RenderProjectYaml(DefaultProject(settings));
  if (auto problems = ValidateProject(text, file.string()); !problems.empty()) {
    for (const Problem& problem : problems) io.err << FormatProblem(problem) << "\n";
    return kExitProblems;
  }
  if (auto written = WriteFileAtomically(file, text, 0644); !written) {
    io.err << "fulcrum project init: " << written.error().message << "\n";
    return kExitProblems;
  }
  io.out << "wrote " << file.string() << "\n"
         << "next: review it (accounts, emails, OUs), then run `fulcrum project validate`\n";
  return kExitOk;
}

int RunProjectValidate(const ProjectValidateOptions& options, const CommandIo& io) {
  const std::string name = options.file.string();
  std::vector<Problem> problems;
  if (auto text = ReadWholeFile(options.file); !text) {
    const bool missing = text.error().code == "NoSuchFile";
    problems.push_back(
        Problem{name, 0, 0,
                missing ? "no such file; run `fulcrum project init` to write one, or pass --file"
                        : text.error().message});
  } else {
    problems = ValidateProject(*text, name);
  }
  if (options.output == "json") {
    io.out << boost::json::serialize(ProblemsJson(problems)) << "\n";
  } else if (problems.empty()) {
    io.out << name << ": OK\n";
  } else {
    for (const Problem& problem : problems) io.out << FormatProblem(problem) << "\n";
  }
  return problems.empty() ? kExitOk : kExitProblems;
}

ProjectCommands::ProjectCommands(CLI::App& app) {
  CLI::App* project = app.add_subcommand("project", "Create and check a project's project.yaml");
  project->require_subcommand(1);

  init_command_ = project->add_subcommand(
      "init", "Write project.yaml with Leverage's default accounts, emails and OUs");
  init_command_->add_option("--project-name", init_.project_name,
                            "Long name, e.g. myexample (AWS accounts: myexample-<account>)");
  init_command_->add_option("--short-name", init_.short_name, "2-4 lowercase letters, e.g. me");
  init_command_->add_option("--domain", init_.domain,
                            "Email domain: accounts get <project>-aws[+<account>]@<domain>");
  init_command_->add_option("--primary-region", init_.primary_region,
                            "Region of the layers (default us-east-1)");
  init_command_->add_option("--secondary-region", init_.secondary_region,
                            "Region of the state replica (default us-west-2)");
  init_command_->add_option("--dir", init_.dir, "Project directory")->capture_default_str();
  init_command_->add_flag("--force", init_.force, "Replace an existing project.yaml");

  validate_command_ = project->add_subcommand(
      "validate", "Check project.yaml and list every problem with its line");
  validate_command_->add_option("--file", validate_.file, "The file to check")
      ->capture_default_str();
  validate_command_->add_option("--output", validate_.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

std::optional<int> ProjectCommands::Run() const {
  const CommandIo io{std::cin, std::cout, std::cerr, ::isatty(STDIN_FILENO) == 1};
  if (init_command_->parsed()) return RunProjectInit(init_, io);
  if (validate_command_->parsed()) return RunProjectValidate(validate_, io);
  return std::nullopt;
}

}  // namespace fulcrum::cli
