#pragma once

// project.yaml: the file that describes a Leverage-style project (its names, regions, AWS
// accounts, organizational units, SSO users and networks). This header holds the model of that
// file, the defaults `fulcrum project init` writes, a validator that reports every problem of a
// file at once (with its line), and the one edit the CLI makes to an existing file: recording the
// management account's id without disturbing the rest of the text.
//
// The layout is Leverage's (template le-resources/project.yaml), so a project can move between
// Leverage and Fulcrum without changes. Functions here are pure or touch only the file they name;
// all are thread-compatible.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace fulcrum::cli {

inline constexpr std::string_view kProjectFileName = "project.yaml";

// One problem found in a file the user edits.
struct Problem {
  std::string file;     // the file as the user named it
  int line = 0;         // 1-based; 0 when the problem concerns the whole file
  int column = 0;       // 1-based; 0 when no single column is to blame
  std::string message;  // what is wrong and how to fix it, without the "file:line: " prefix

  bool operator==(const Problem&) const = default;
};

// "file:line: message", or "file: message" when the line is 0.
[[nodiscard]] std::string FormatProblem(const Problem& problem);

struct ProjectAccount {
  std::string name;   // logical name: management, security, shared, apps-devstg, ...
  std::string email;  // the account's root user email, unique per account
  std::string id;     // the 12-digit account id; empty until known
};

struct ProjectOrganizationalUnit {
  std::string name;
  std::vector<std::string> policy;    // Terraform addresses of its SCPs; the first one is used
  std::vector<std::string> accounts;  // logical account names
};

// The parts of project.yaml the CLI acts on. Users and networks are validated but not modelled.
struct Project {
  std::string project_name;  // long name, also the prefix of AWS account names
  std::string short_name;    // prefix of profiles, buckets and tables
  std::string primary_region;
  std::string secondary_region;
  std::vector<ProjectAccount> accounts;  // in file order; includes "management"
  std::vector<ProjectOrganizationalUnit> organizational_units;
  bool mfa_enabled = false;
};

// What `fulcrum project init` asks for.
struct ProjectSettings {
  std::string project_name;
  std::string short_name;
  std::string email_domain;  // the part after '@' of the account emails, e.g. "example.com"
  std::string primary_region = "us-east-1";
  std::string secondary_region = "us-west-2";
};

// Checks of single values, shared by the validator and `project init`. Each returns nullopt when
// the value is fine, else a phrase that completes a sentence naming the value, e.g.
// `must be 2-4 lowercase letters (e.g. "bb")`.
//   project_name: ^[a-z0-9]([a-z0-9]|-){1,23}[a-z0-9]$ (Leverage's rule, 3-25 characters)
//   short_name:   ^[a-z]{2,4}$
//   email domain: a DNS name with at least one dot, no '@'
//   region:       one of KnownAwsRegions(); the phrase suggests the closest known code
[[nodiscard]] std::optional<std::string> ProjectNameProblem(std::string_view project_name);
[[nodiscard]] std::optional<std::string> ShortNameProblem(std::string_view short_name);
[[nodiscard]] std::optional<std::string> EmailDomainProblem(std::string_view domain);
[[nodiscard]] std::optional<std::string> RegionProblem(std::string_view region);
[[nodiscard]] std::optional<std::string> EmailProblem(std::string_view email);

// The root email Leverage's guide derives for an account: "<project>-aws@<domain>" for
// management, and plus-aliases "<project>-aws+<account>@<domain>" for member accounts.
[[nodiscard]] std::string AccountEmail(std::string_view project_name, std::string_view account,
                                       std::string_view email_domain);

// The account's name in AWS Organizations: "<project_name>-<account>", e.g. "myexample-shared".
[[nodiscard]] std::string OrganizationsAccountName(std::string_view project_name,
                                                   std::string_view account);

// The project Leverage's template describes: accounts management, security and shared (emails as
// AccountEmail gives them) and one OU per member account (security:
// aws_organizations_policy.default, shared: aws_organizations_policy.standard).
[[nodiscard]] Project DefaultProject(const ProjectSettings& settings);

// project.yaml text for `project`, with comments that explain each key, plus the template's
// default network for the shared account. REQUIRES: the names and emails of `project` pass the
// checks above (they are written as plain YAML scalars where safe, quoted otherwise).
[[nodiscard]] std::string RenderProjectYaml(const Project& project);

// Every problem of the project.yaml `text` (YAML syntax, required and unknown keys with a "did you
// mean", names, regions, emails and their uniqueness, account ids, OU membership: every member
// account in exactly one OU, OUs naming known accounts, users and networks), in file order.
// `file` is used in the problems only. A syntax error stops the check, so it is then the only
// problem. Empty when the file is valid.
[[nodiscard]] std::vector<Problem> ValidateProject(std::string_view text, std::string_view file);

// On success, the project in `file`. Fails with "NoSuchFile" when it is missing and with
// "InvalidProjectFile" when ValidateProject finds problems; the message then lists every one, one
// per line.
[[nodiscard]] Result<Project> LoadProject(const std::filesystem::path& file);

// `text` with organization.accounts[name=management].id set to `account_id`, written as a quoted
// string ('000123456789') as Leverage does. Only the id's characters change (or one `id:` is
// added to the entry, in its style: flow `{...}` or block); comments, order, quoting and line
// endings elsewhere stay byte for byte. Fails with "InvalidParameterValue" unless `account_id` is
// 12 digits, and "InvalidProjectFile" when the text does not parse or has no management account.
[[nodiscard]] Result<std::string> WithManagementAccountId(std::string_view text,
                                                          std::string_view file,
                                                          std::string_view account_id);

// Applies WithManagementAccountId to `file` and writes it back atomically, keeping its mode.
[[nodiscard]] Result<void> SetManagementAccountId(const std::filesystem::path& file,
                                                  std::string_view account_id);

}  // namespace fulcrum::cli
