#include "server/commands.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cerrno>
#include <charconv>
#include <iostream>
#include <system_error>

#include "auth/authenticator.h"
#include "common/clock.h"
#include "common/random.h"
#include "http/router.h"
#include "http/server.h"
#include "server/admin.h"
#include "server/data_dir.h"
#include "services/account/operations.h"
#include "services/iam/mfa.h"
#include "services/iam/operations.h"
#include "services/organizations/operations.h"
#include "services/signup/signup_service.h"
#include "services/sts/operations.h"

namespace fulcrum::server {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// Parses "HOST:PORT" or "[V6]:PORT".
std::optional<ListenAddress> ParseListen(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) {
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) {
    host = host.substr(1, host.size() - 2);
  }
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
      host.empty()) {
    return std::nullopt;
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

std::shared_ptr<spdlog::logger> MakeAccessLog(const std::string& where) {
  std::shared_ptr<spdlog::logger> logger;
  if (where == "off") {
    return nullptr;
  }
  if (where == "-") {
    logger = std::make_shared<spdlog::logger>("access",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
  } else {
    logger = std::make_shared<spdlog::logger>(
        "access", std::make_shared<spdlog::sinks::basic_file_sink_mt>(where));
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %v", spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  return logger;
}

void PrintError(const Error& error) {
  std::cerr << "fulcrum: " << error.message << " (" << error.code << ")\n";
}

// Writes `content` to `file`, readable by its owner only. On failure, a message naming the file.
Result<void> WritePrivateFile(const std::filesystem::path& file, std::string_view content) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail("InvalidInput",
                fmt::format("cannot write {}: {}", file.string(),
                            std::error_code(errno, std::generic_category()).message()));
  }
  const bool written =
      ::fchmod(fd, 0600) == 0 &&
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    return Fail("InvalidInput", fmt::format("cannot write {}", file.string()));
  }
  return {};
}

// A line from stdin with the trailing CR/LF and spaces removed; nullopt at end of input.
std::optional<std::string> ReadCode(std::string_view prompt) {
  std::cerr << prompt << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
    line.pop_back();
  }
  return line;
}

}  // namespace

int RunServe(const ServeOptions& options) {
  const auto listen = ParseListen(options.listen);
  if (!listen) {
    std::cerr << "fulcrum: --listen '" << options.listen
              << "' is not ADDRESS:PORT; for example 127.0.0.1:4566\n";
    return kExitUsage;
  }
  auto data_dir = OpenDataDir(options.data_dir);
  if (!data_dir) {
    PrintError(data_dir.error());
    return kExitFailure;
  }
  std::shared_ptr<spdlog::logger> access_log;
  try {
    access_log = MakeAccessLog(options.access_log);
  } catch (const spdlog::spdlog_ex& e) {
    std::cerr << "fulcrum: cannot open the access log " << options.access_log << ": " << e.what()
              << "\n";
    return kExitUsage;
  }

  // Parse the four service models now rather than on the first request.
  for (const auto id : {protocol::ServiceId::kIam, protocol::ServiceId::kSts,
                        protocol::ServiceId::kOrganizations, protocol::ServiceId::kAccount}) {
    (void)protocol::Model(id);
  }
  const SystemClock clock;
  SecureRandom random;
  storage::Database& store = *data_dir->database;
  auth::KeyUsageRecorder key_usage(store, clock);
  auth::Authenticator authenticator(store, store, clock, &key_usage);
  auth::Authorizer authorizer(store, clock);

  const services::sts::StsService sts;
  const services::OperationTable sts_table = services::sts::MakeOperationTable(sts);
  const services::iam::IamContext iam_context{
      .iam = store,
      .accounts = store,
      .random = random,
      .clock = clock,
      .access_key_changed = [&authenticator](const std::string& access_key_id) {
        authenticator.Invalidate(access_key_id);
      }};
  services::iam::IamService iam(iam_context);
  if (auto installed = iam.InstallAwsManagedPolicies(); !installed) {
    PrintError(installed.error());
    return kExitFailure;
  }
  const services::OperationTable iam_table = iam.MakeOperationTable();
  const services::OperationTable organizations_table =
      services::organizations::MakeOperationTable();
  const services::OperationTable account_table = services::account::MakeOperationTable();
  http::RouterServices tables;
  tables.tables[static_cast<std::size_t>(protocol::ServiceId::kIam)] = &iam_table;
  tables.tables[static_cast<std::size_t>(protocol::ServiceId::kSts)] = &sts_table;
  tables.tables[static_cast<std::size_t>(protocol::ServiceId::kOrganizations)] =
      &organizations_table;
  tables.tables[static_cast<std::size_t>(protocol::ServiceId::kAccount)] = &account_table;

  services::signup::SignupService signup(store, random, clock);
  const AdminHandler admin(data_dir->admin_token, signup, store, iam.mfa());
  http::Router router(
      authenticator, authorizer, clock, tables,
      [&admin](const http::Request& request) { return admin(request); }, access_log);

  http::Server server(
      http::ServerOptions{
          .address = listen->host, .port = listen->port, .threads = options.threads},
      [&router](const http::Request& request) { return router.Handle(request); });
  auto port = server.Listen();
  if (!port) {
    PrintError(port.error());
    return kExitFailure;
  }
  const std::string host =
      listen->host.find(':') != std::string::npos ? "[" + listen->host + "]" : listen->host;
  std::cout << "fulcrum: listening on http://" << host << ":" << *port << std::endl;
  std::cerr << "fulcrum: data dir " << data_dir->root.string() << "\n";
  server.Run();
  std::cerr << "fulcrum: stopped\n";
  return kExitOk;
}

int RunAccountCreate(const AccountCreateOptions& options) {
  services::signup::SignUpRequest request{.name = options.name,
                                          .email = options.email,
                                          .password = std::nullopt,
                                          .create_root_access_key = options.root_access_key};
  if (options.password_stdin) {
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') {
      password.pop_back();
    }
    request.password = std::move(password);
  }
  // Check the input before touching the data dir, so a typo creates nothing.
  for (auto check : {services::signup::ValidateAccountName(request.name),
                     services::signup::ValidateEmail(request.email)}) {
    if (!check) {
      PrintError(check.error());
      return kExitUsage;
    }
  }
  auto data_dir = OpenDataDir(options.data_dir);
  if (!data_dir) {
    PrintError(data_dir.error());
    return kExitFailure;
  }
  const SystemClock clock;
  SecureRandom random;
  services::signup::SignupService signup(*data_dir->database, random, clock);
  auto result = signup.SignUp(request);
  if (!result) {
    PrintError(result.error());
    return result.error().code == "ServiceFailure" ? kExitFailure : kExitUsage;
  }

  if (options.output == "json") {
    std::cout << boost::json::serialize(SignUpResultJson(*result)) << std::endl;
  } else {
    std::cout << fmt::format(
        "Account created\n"
        "  Account ID:  {}\n"
        "  Name:        {}\n"
        "  Email:       {}\n"
        "  Root user:   {}\n",
        result->account.id, result->account.name, result->account.email, result->root_arn);
    if (result->generated_password) {
      std::cout << fmt::format(
          "  Root password: {}\n"
          "    Shown once. Keep it in a password manager, then enable MFA for the root user.\n",
          *result->generated_password);
    }
    if (result->root_access_key) {
      std::cout << fmt::format(
          "Root access key (shown once):\n"
          "  Access key ID:     {}\n"
          "  Secret access key: {}\n",
          result->root_access_key->access_key_id, result->root_access_key->secret_access_key);
    }
    std::cout.flush();
  }
  if (result->root_access_key) {
    std::cerr << "fulcrum: warning: root access keys can do anything in the account and IAM "
                 "policies cannot limit them. The management-account guide advises against them: "
                 "use them only to bootstrap, then delete them.\n";
  }
  return kExitOk;
}

int RunAccountMfa(const AccountMfaOptions& options) {
  auto data_dir = OpenDataDir(options.data_dir);
  if (!data_dir) {
    PrintError(data_dir.error());
    return kExitFailure;
  }
  const SystemClock clock;
  SecureRandom random;
  storage::Database& store = *data_dir->database;
  const services::iam::IamContext context{
      .iam = store, .accounts = store, .random = random, .clock = clock, .access_key_changed = {}};
  services::iam::MfaService mfa(context);
  auto device = mfa.CreateRootVirtualMfa(options.account_id);
  if (!device) {
    PrintError(device.error());
    return device.error().code == "ServiceFailure" ? kExitFailure : kExitUsage;
  }
  const std::filesystem::path png =
      options.qr_png.empty()
          ? std::filesystem::path(fmt::format("root-account-mfa-{}.png", options.account_id))
          : options.qr_png;
  if (auto saved = WritePrivateFile(png, device->qr_code_png); !saved) {
    PrintError(saved.error());
    return kExitUsage;
  }
  if (!options.seed_file.empty()) {
    if (auto saved = WritePrivateFile(options.seed_file, device->base32_seed + "\n"); !saved) {
      PrintError(saved.error());
      return kExitUsage;
    }
  }
  std::cout
      << fmt::format(
             "Virtual MFA device for the root user of {}: {}\n"
             "  Scan the QR code saved in {} (mode 0600) with an authenticator app, or enter\n"
             "  the secret by hand. Both are shown this once; delete the PNG afterwards.\n"
             "  URI:    {}\n"
             "  Secret: {}\n",
             options.account_id, device->serial_number, png.string(), device->otpauth_uri,
             device->base32_seed)
      << std::flush;
  const auto code1 = ReadCode("MFA code 1: ");
  const auto code2 = code1 ? ReadCode("MFA code 2 (the next one): ") : std::nullopt;
  if (!code1 || !code2) {
    std::cerr << "fulcrum: two codes are needed; run the command again to start over\n";
    return kExitUsage;
  }
  if (auto enabled = mfa.EnableRootVirtualMfa(options.account_id, *code1, *code2); !enabled) {
    PrintError(enabled.error());
    std::cerr << "fulcrum: type two consecutive codes as the app shows them; run the command "
                 "again to start over\n";
    return kExitUsage;
  }
  std::cout << "Root MFA is enabled for account " << options.account_id << ".\n";
  return kExitOk;
}

}  // namespace fulcrum::server
