#include "cli/management_commands.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <set>
#include <system_error>

#include "cli/access_key_csv.h"
#include "cli/aws_files.h"
#include "cli/bootstrap.h"
#include "cli/fulcrum_plane.h"
#include "cli/project.h"
#include "cli/terminal_qr.h"
#include "client/session.h"
#include "common/atomic_file.h"
#include "common/clock.h"
#include "common/encoding.h"
#include "common/totp.h"

namespace fulcrum::cli {
namespace {

namespace json = boost::json;

constexpr std::string_view kConsoleMfaSteps =
    "Enable MFA for the root user in the console (only the console can):\n"
    "  1. Sign in as the root user at https://console.aws.amazon.com/ (root user email).\n"
    "  2. Account menu (top right) > Security credentials > Multi-factor authentication (MFA) >\n"
    "     Assign MFA device; choose Authenticator app (or a security key) and follow the steps.\n"
    "  3. Scan the QR code with the app and type two consecutive codes.\n"
    "  https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html\n";

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  const size_t begin = text.find_first_not_of(" \t");
  return begin == std::string::npos ? std::string() : text.substr(begin);
}

std::string StringMember(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

std::optional<std::string> AskLine(const CommandIo& io, std::string_view prompt) {
  io.err << prompt << std::flush;
  std::string line;
  if (!std::getline(io.in, line)) return std::nullopt;
  return Trim(std::move(line));
}

struct MfaContext {
  const ManagementBootstrapOptions& options;
  const CommandIo& io;
  client::Session& session;
  std::filesystem::path csv_dir;
};

// Enables root MFA through the admin endpoint, as the console does.
Result<void> EnableRootMfaOnFulcrum(const MfaContext& context, FulcrumPlane& plane) {
  const CommandIo& io = context.io;
  auto token = ReadAdminToken(context.options.admin_token_file);
  if (!token) return Fail(token.error());
  auto sts = context.session.Sts();
  if (!sts) return Fail(sts.error());
  auto identity = (*sts)->GetCallerIdentity();
  if (!identity) {
    return Fail(identity.error().code, "STS GetCallerIdentity failed: " + identity.error().message);
  }
  const std::string account = identity->account;
  auto device = plane.Admin("POST", fmt::format("accounts/{}/root-mfa", account), *token, {}, 201);
  if (!device) return Fail(device.error());
  const std::string serial = StringMember(*device, "SerialNumber");
  const std::string seed = StringMember(*device, "Base32StringSeed");
  const std::string uri = StringMember(*device, "OtpauthUri");
  const auto png = Base64Decode(StringMember(*device, "QRCodePNG"));
  const auto key = Base32Decode(seed);
  if (serial.empty() || !key || !png) {
    return Fail("AdminEndpointError", "the admin endpoint's root-mfa answer lacks fields");
  }
  const std::filesystem::path png_file =
      context.csv_dir / fmt::format("root-account-mfa-{}.png", account);
  if (auto saved = WriteFileAtomically(png_file, *png, 0600); !saved) return Fail(saved.error());
  io.err << fmt::format("  Virtual MFA device {} for the root user; QR code saved in {} (0600)\n",
                        serial, png_file.string());

  std::string code1;
  std::string code2;
  if (!context.options.mfa_seed_file.empty()) {
    if (auto saved = WriteFileAtomically(context.options.mfa_seed_file, seed + "\n", 0600);
        !saved) {
      return Fail(saved.error());
    }
    io.err << fmt::format("  Seed kept in {} (0600); computing the two codes\n",
                          context.options.mfa_seed_file.string());
    const int64_t step = TotpTimeStep(SystemClock().Now());
    code1 = TotpCode(*key, step - 1);
    code2 = TotpCode(*key, step);
  } else {
    if (!context.io.interactive) {
      return Fail("RootMfaNotEnabled",
                  "two MFA codes are needed and stdin is not a terminal: pass --mfa-seed-file F "
                  "to keep the seed in F and compute them, or run on a terminal");
    }
    if (auto qr = TerminalQrCode(uri)) {
      io.err << "  Scan this QR code with an authenticator app:\n" << *qr;
    }
    auto first = AskLine(io, "  MFA code 1: ");
    auto second = first ? AskLine(io, "  MFA code 2 (the next one): ") : std::nullopt;
    if (!first || !second) return Fail("RootMfaNotEnabled", "two MFA codes are needed");
    code1 = *first;
    code2 = *second;
  }
  auto enabled = plane.Admin(
      "POST", fmt::format("accounts/{}/root-mfa/enable", account), *token,
      json::object{{"AuthenticationCode1", code1}, {"AuthenticationCode2", code2}}, 200);
  if (!enabled) return Fail(enabled.error());
  return {};
}

// Root MFA when it is off: the admin endpoint when possible, else the console steps.
Result<void> EnableRootMfa(const MfaContext& context) {
  auto iam = context.session.Iam();
  if (!iam) return Fail(iam.error());
  const client::ServiceEndpoint& endpoint = (*iam)->endpoint();
  if (endpoint.source != "AWS default" && !context.options.admin_token_file.empty()) {
    FulcrumPlane plane(endpoint.url);
    if (plane.Healthy()) return EnableRootMfaOnFulcrum(context, plane);
    context.io.err << fmt::format(
        "  {} is not a Fulcrum account plane (no /_fulcrum/health): --admin-token-file is "
        "ignored\n",
        endpoint.url.ToString());
  }
  context.io.err << kConsoleMfaSteps;
  if (!context.io.interactive) {
    return Fail("RootMfaNotEnabled",
                "root MFA is off; enable it in the console as shown above, then run again");
  }
  if (!AskLine(context.io, "  Press Enter once root MFA is enabled: ")) {
    return Fail("RootMfaNotEnabled", "no answer; run again once root MFA is enabled");
  }
  return {};
}

// Key ids whose secret the caller holds besides the CSV: the caller's own, and the project's
// bootstrap profile's.
std::set<std::string> HeldKeyIds(const client::Session& session,
                                 const std::optional<Project>& project) {
  std::set<std::string> held{session.credentials().credentials.access_key_id};
  if (project) {
    if (auto files = ProjectAwsFiles(project->short_name)) {
      auto profile = ReadProfile(*files, ProfileName(project->short_name, "bootstrap"));
      if (profile && *profile) {
        if (auto id = (*profile)->Get("aws_access_key_id")) held.insert(*id);
      }
    }
  }
  return held;
}

int Failure(const CommandIo& io, std::string_view message) {
  io.err << "fulcrum: " << message << "\n";
  return kExitProblems;
}

}  // namespace

int RunManagementBootstrap(const ManagementBootstrapOptions& options, const CommandIo& io,
                           const client::Environment& environment) {
  const bool text = options.output != "json";
  std::optional<Project> project;
  const std::filesystem::path project_file = options.project_dir / kProjectFileName;
  if (auto loaded = LoadProject(project_file)) {
    project = std::move(*loaded);
  } else if (loaded.error().code != "NoSuchFile" || options.csv_dir.empty()) {
    io.err << "fulcrum: " << loaded.error().message << "\n";
    if (loaded.error().code == "NoSuchFile") {
      io.err << "fulcrum: run `fulcrum project init` or pass --project-dir or --csv-dir\n";
      return kExitUsage;
    }
    return kExitProblems;
  }
  std::filesystem::path csv_dir = options.csv_dir;
  if (csv_dir.empty()) {
    auto files = ProjectAwsFiles(project->short_name);
    if (!files) return Failure(io, files.error().message);
    csv_dir = files->directory;
  }
  std::error_code error;
  if (!std::filesystem::exists(csv_dir)) {
    std::filesystem::create_directories(csv_dir, error);
    if (error || ::chmod(csv_dir.c_str(), 0700) != 0) {
      return Failure(io, fmt::format("cannot create {}: {}", csv_dir.string(), error.message()));
    }
  }
  const std::filesystem::path csv = csv_dir / AccessKeyCsvFileName(kBootstrapUserName);

  client::ClientOverrides overrides;
  if (!options.profile.empty()) overrides.profile = options.profile;
  if (!options.endpoint_url.empty()) overrides.endpoint_url = options.endpoint_url;
  if (!options.region.empty()) {
    overrides.region = options.region;
  } else if (auto profile = client::ResolveProfile(overrides, environment);
             profile && !profile->region) {
    overrides.region = project ? project->primary_region : "us-east-1";
  }
  client::TransportOptions transport;
  if (options.debug) {
    transport.debug = [&io](std::string_view line) { io.err << "debug: " << line << "\n"; };
  }
  const SystemClock clock;
  auto session = client::Session::Open(overrides, environment, clock, transport);
  if (!session) return Failure(io, session.error().message);
  auto iam_client = (*session)->Iam();
  if (!iam_client) return Failure(io, iam_client.error().message);
  ClientBootstrapIam iam(**iam_client);

  auto state = ReadBootstrapState(iam, csv, HeldKeyIds(**session, project));
  if (!state) return Failure(io, state.error().message);
  const BootstrapPlan plan =
      PlanBootstrap(*state, BootstrapPlanOptions{.rotate_key = options.rotate_key, .csv = csv});

  json::array steps;
  for (const BootstrapCheck& check : plan.satisfied) {
    if (text) io.out << "\u2713 " << check.description << "\n";
    steps.push_back(
        json::object{{"step", check.name}, {"status", "ok"}, {"description", check.description}});
  }
  for (const std::string& warning : plan.warnings) io.err << "warning: " << warning << "\n";
  if (plan.blocker) return Failure(io, *plan.blocker);

  if (!plan.steps.empty() && io.interactive && !options.yes && text) {
    io.err << "To do:\n";
    for (const BootstrapStep& step : plan.steps) io.err << "  " << step.description << "\n";
    auto answer = AskLine(io, "Proceed? [y/N] ");
    if (!answer || (*answer != "y" && *answer != "Y" && *answer != "yes")) {
      return Failure(io, "nothing changed");
    }
  }
  const MfaContext mfa{options, io, **session, csv_dir};
  auto outcome = ApplyBootstrap(iam, plan, *state, csv, [&mfa]() { return EnableRootMfa(mfa); });
  const std::vector<BootstrapStep>& done = outcome ? outcome->done : std::vector<BootstrapStep>{};
  for (const BootstrapStep& step : done) {
    if (text) io.out << "\u2192 " << step.description << "\n";
    steps.push_back(json::object{{"step", ActionName(step.action)},
                                 {"status", "changed"},
                                 {"description", step.description}});
  }
  if (!outcome) return Failure(io, outcome.error().message);

  json::array warnings(plan.warnings.begin(), plan.warnings.end());
  const std::vector<std::string> billing = BillingReviewChecklist();
  if (text) {
    if (plan.NothingToChange()) io.out << "Nothing to change.\n";
    io.out << "Billing review (by hand, in the console):\n";
    for (const std::string& item : billing) io.out << "  [ ] " << item << "\n";
    io.out << "csv: " << csv.string() << "\n";
  } else {
    io.out << json::serialize(
                  json::object{{"csv", csv.string()},
                               {"changed", !plan.steps.empty()},
                               {"steps", std::move(steps)},
                               {"warnings", std::move(warnings)},
                               {"billing_review", json::array(billing.begin(), billing.end())}})
           << "\n";
  }
  return kExitOk;
}

ManagementCommands::ManagementCommands(CLI::App& app) {
  CLI::App* management =
      app.add_subcommand("management", "Set up the management account of a project");
  management->require_subcommand(1);
  bootstrap_command_ = management->add_subcommand(
      "bootstrap",
      "Root MFA, IAM user mgmt-org-admin with AdministratorAccess and its access-key CSV");
  CLI::App* command = bootstrap_command_;
  ManagementBootstrapOptions& options = bootstrap_;
  command->add_option("--project-dir", options.project_dir, "Directory holding project.yaml")
      ->capture_default_str();
  command->add_option("--endpoint-url", options.endpoint_url, "Account plane URL");
  command->add_option("--region", options.region, "Signing region");
  command->add_option("--profile", options.profile, "AWS profile (default: the standard chain)");
  command->add_option("--output", options.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->add_flag("--debug", options.debug, "Show HTTP requests (secrets redacted)");
  command->add_option("--mfa-seed-file", options.mfa_seed_file,
                      "Keep the root MFA seed in this file (0600) and compute the codes");
  command->add_option("--admin-token-file", options.admin_token_file,
                      "A Fulcrum data dir's admin-token: enable root MFA as the console does");
  command->add_option("--csv-dir", options.csv_dir,
                      "Where to write mgmt-org-admin_accessKeys.csv (default ~/.aws/<short>/)");
  command->add_flag("--yes", options.yes, "Do not ask before changing the account");
  command->add_flag("--rotate-key", options.rotate_key,
                    "Replace an access key whose secret is lost (new key, CSV, delete old)");
}

std::optional<int> ManagementCommands::Run() const {
  if (!bootstrap_command_->parsed()) return std::nullopt;
  const CommandIo io{std::cin, std::cout, std::cerr, ::isatty(STDIN_FILENO) == 1};
  return RunManagementBootstrap(bootstrap_, io, client::ProcessEnvironment());
}

}  // namespace fulcrum::cli
