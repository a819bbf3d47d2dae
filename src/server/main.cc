// The `fulcrum` binary: the account plane (`fulcrum server`, `fulcrum account ...`) and the CLI
// (`fulcrum project ...`, `credentials ...`, `aws ...`, `management bootstrap`, `audit`,
// `quickstart`).
//
// Exit codes, the same for every command: 0 success; 1 a failure (a refused request, a failed
// check, an unreachable endpoint); 2 a usage error (including those found while parsing the
// command line). `fulcrum aws` passes the AWS CLI's exit code through.

#include <CLI/CLI.hpp>

#include "cli/audit_commands.h"
#include "cli/credentials_commands.h"
#include "cli/management_commands.h"
#include "cli/project_commands.h"
#include "cli/quickstart_commands.h"
#include "server/commands.h"
#include "server/data_dir.h"

int main(int argc, char** argv) {
  using fulcrum::server::AccountCreateOptions;
  using fulcrum::server::AccountMfaOptions;
  using fulcrum::server::ServeOptions;

  CLI::App app{"Fulcrum: an AWS-compatible account plane (IAM, STS, Organizations, Account)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "fulcrum 0.1.0");

  ServeOptions serve;
  serve.data_dir = fulcrum::server::DefaultDataDir();
  auto* server = app.add_subcommand("server", "Serve the account plane on one port");
  server->add_option("--listen", serve.listen, "ADDRESS:PORT to listen on (port 0: any free one)")
      ->capture_default_str();
  server->add_option("--data-dir", serve.data_dir, "Where state is kept")->capture_default_str();
  server->add_option("--threads", serve.threads, "Worker threads (0: one per core)")
      ->capture_default_str();
  server->add_option("--access-log", serve.access_log, "'-' for stderr, 'off', or a file")
      ->capture_default_str();

  AccountCreateOptions create;
  create.data_dir = fulcrum::server::DefaultDataDir();
  auto* account = app.add_subcommand("account", "Manage the accounts of the account plane");
  account->require_subcommand(1);
  auto* account_create = account->add_subcommand(
      "create", "Sign up an AWS account: a 12-digit id and a root user with a password");
  account_create->add_option("--name", create.name, "Account name, e.g. myexample-management")
      ->required();
  account_create
      ->add_option("--email", create.email, "Root user email, e.g. myexample-aws@example.com")
      ->required();
  account_create->add_flag("--password-stdin", create.password_stdin,
                           "Read the root password from stdin instead of generating one");
  account_create->add_flag("--root-access-key", create.root_access_key,
                           "Also create root access keys (not advised; delete them after use)");
  account_create->add_option("--output", create.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  account_create->add_option("--data-dir", create.data_dir, "Where state is kept")
      ->capture_default_str();

  AccountMfaOptions mfa;
  mfa.data_dir = fulcrum::server::DefaultDataDir();
  auto* account_mfa = account->add_subcommand(
      "mfa", "Enable a virtual MFA device for the root user, as the console does");
  account_mfa->add_option("--account-id", mfa.account_id, "The 12-digit account id")->required();
  account_mfa->add_option("--qr-png", mfa.qr_png,
                          "Where to save the QR code (default root-account-mfa-<id>.png)");
  account_mfa->add_option("--seed-file", mfa.seed_file,
                          "Also keep the secret in this file (0600), for automation");
  account_mfa->add_option("--data-dir", mfa.data_dir, "Where state is kept")->capture_default_str();

  fulcrum::cli::ProjectCommands project(app);
  fulcrum::cli::CredentialsCommands credentials(app);
  fulcrum::cli::ManagementCommands management(app);
  fulcrum::cli::AuditCommands audit(app);
  fulcrum::cli::QuickstartCommands quickstart(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version exit 0; every other parse error is a usage error.
    const int printed = app.exit(error);
    return printed == 0 ? 0 : fulcrum::cli::kExitUsage;
  }

  if (auto exit_code = project.Run()) {
    return *exit_code;
  }
  if (auto exit_code = credentials.Run()) {
    return *exit_code;
  }
  if (auto exit_code = management.Run()) {
    return *exit_code;
  }
  if (auto exit_code = audit.Run()) {
    return *exit_code;
  }
  if (auto exit_code = quickstart.Run()) {
    return *exit_code;
  }

  if (server->parsed()) {
    return fulcrum::server::RunServe(serve);
  }
  if (account_create->parsed()) {
    return fulcrum::server::RunAccountCreate(create);
  }
  if (account_mfa->parsed()) {
    return fulcrum::server::RunAccountMfa(mfa);
  }
  return fulcrum::cli::kExitUsage;
}
