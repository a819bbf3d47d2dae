#include "cli/project.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <regex>
#include <span>
#include <utility>

#include "cli/aws_regions.h"
#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

constexpr std::string_view kManagement = "management";
constexpr std::array<std::string_view, 5> kSsoGroups = {"administrators", "devops", "finops",
                                                        "securityauditor", "readonly"};

// Keys a mapping of project.yaml may hold, the required ones first.
struct KeySchema {
  std::span<const std::string_view> keys;
  size_t required;  // keys[0, required) must be present
};

constexpr std::array<std::string_view, 8> kTopKeys = {
    "project_name", "short_name", "primary_region", "secondary_region",
    "organization", "users",      "accounts",       "mfa_enabled"};
constexpr std::array<std::string_view, 2> kOrganizationKeys = {"accounts", "organizational_units"};
constexpr std::array<std::string_view, 4> kAccountKeys = {"name", "email", "id",
                                                          "enable_dynamo_encryption"};
constexpr std::array<std::string_view, 3> kOuKeys = {"name", "accounts", "policy"};
constexpr std::array<std::string_view, 4> kUserKeys = {"first_name", "last_name", "email",
                                                       "groups"};
constexpr std::array<std::string_view, 2> kAccountSettingsKeys = {"networks", "groups"};
constexpr std::array<std::string_view, 6> kNetworkKeys = {
    "cidr_block",      "availability_zones",  "private_subnets_cidr",
    "private_subnets", "public_subnets_cidr", "public_subnets"};

constexpr KeySchema kTopSchema{kTopKeys, 5};
constexpr KeySchema kOrganizationSchema{kOrganizationKeys, 1};
constexpr KeySchema kAccountSchema{kAccountKeys, 2};
constexpr KeySchema kOuSchema{kOuKeys, 2};
constexpr KeySchema kUserSchema{kUserKeys, 3};
constexpr KeySchema kAccountSettingsSchema{kAccountSettingsKeys, 0};
constexpr KeySchema kNetworkSchema{kNetworkKeys, 0};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The candidate closest to `word` when it is close enough to be a likely typo.
std::optional<std::string_view> Closest(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  std::optional<std::string_view> best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (std::string_view candidate : candidates) {
    const size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  const auto closest = Closest(word, candidates);
  return closest ? fmt::format("; did you mean \"{}\"?", *closest) : std::string();
}

std::string JoinNames(std::span<const std::string_view> names) {
  std::string joined;
  for (std::string_view name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

bool Matches(std::string_view value, const char* pattern) {
  return std::regex_match(value.begin(), value.end(), std::regex(pattern));
}

bool IsAccountId(std::string_view id) {
  return id.size() == 12 && std::all_of(id.begin(), id.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c));
         });
}

// Walks the parsed document and records every problem with the line of the node to blame.
class Checker {
 public:
  explicit Checker(std::string_view file) : file_(file) {}

  void Check(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) {
      Add(0, 0, "the file is empty; run `fulcrum project init` to write one");
      return;
    }
    if (!root.IsMap()) {
      Add(root.Mark(),
          "the top level must be a mapping (project_name: ..., short_name: ...), not a list or "
          "a single value");
      return;
    }
    CheckKeys(root, "the top level", kTopSchema);
    if (auto value = Scalar(root, "project_name")) {
      project_.project_name = *value;
      if (auto problem = ProjectNameProblem(*value)) {
        Add(root["project_name"].Mark(), fmt::format("project_name \"{}\" {}", *value, *problem));
      }
    }
    if (auto value = Scalar(root, "short_name")) {
      project_.short_name = *value;
      if (auto problem = ShortNameProblem(*value)) {
        Add(root["short_name"].Mark(), fmt::format("short_name \"{}\" {}", *value, *problem));
      }
    }
    for (auto [key, field] : {std::pair{"primary_region", &project_.primary_region},
                              std::pair{"secondary_region", &project_.secondary_region}}) {
      if (auto value = Scalar(root, key)) {
        *field = *value;
        if (auto problem = RegionProblem(*value)) {
          Add(root[key].Mark(), fmt::format("{} \"{}\" {}", key, *value, *problem));
        }
      }
    }
    if (root["mfa_enabled"]) {
      const YAML::Node value = root["mfa_enabled"];
      bool enabled = false;
      if (!value.IsScalar() || !YAML::convert<bool>::decode(value, enabled)) {
        Add(MarkOf(root, "mfa_enabled"), "mfa_enabled must be true or false");
      }
      project_.mfa_enabled = enabled;
    }
    if (const YAML::Node organization = root["organization"]) {
      CheckOrganization(organization, MarkOf(root, "organization"));
    }
    if (const YAML::Node users = root["users"]) CheckUsers(users, MarkOf(root, "users"));
    if (const YAML::Node settings = root["accounts"]) {
      CheckAccountSettings(settings, MarkOf(root, "accounts"));
    }
  }

  std::vector<Problem> TakeProblems() {
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const Problem& a, const Problem& b) { return a.line < b.line; });
    return std::move(problems_);
  }
  const Project& project() const { return project_; }

  void Add(int line, int column, std::string message) {
    problems_.push_back(Problem{std::string(file_), line, column, std::move(message)});
  }
  void Add(const YAML::Mark& mark, std::string message) {
    if (mark.line < 0) {
      Add(0, 0, std::move(message));
    } else {
      Add(mark.line + 1, mark.column + 1, std::move(message));
    }
  }

 private:
  // The mark of `key` inside `map` (the key's own position: null values have none of their own).
  static YAML::Mark MarkOf(const YAML::Node& map, std::string_view key) {
    for (const auto& entry : map) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.first.Mark();
    }
    return map.Mark();
  }

  // Unknown, duplicated and missing keys of a mapping.
  void CheckKeys(const YAML::Node& map, std::string_view where, const KeySchema& schema) {
    std::map<std::string, int> seen;
    for (const auto& entry : map) {
      if (!entry.first.IsScalar()) {
        Add(entry.first.Mark(), fmt::format("a key in {} is not a plain name", where));
        continue;
      }
      const std::string& key = entry.first.Scalar();
      const int line = entry.first.Mark().line + 1;
      if (auto [it, inserted] = seen.emplace(key, line); !inserted) {
        Add(entry.first.Mark(), fmt::format("key \"{}\" appears twice in {} (first on line {}); "
                                            "keep one",
                                            key, where, it->second));
        continue;
      }
      if (std::find(schema.keys.begin(), schema.keys.end(), key) == schema.keys.end()) {
        const auto closest = Closest(key, schema.keys);
        Add(entry.first.Mark(), closest
                                    ? fmt::format("unknown key \"{}\" in {}; did you mean \"{}\"?",
                                                  key, where, *closest)
                                    : fmt::format("unknown key \"{}\" in {}; known keys: {}", key,
                                                  where, JoinNames(schema.keys)));
      }
    }
    for (size_t i = 0; i < schema.required; ++i) {
      if (!seen.contains(std::string(schema.keys[i]))) {
        // On the mapping's first line; no column is to blame for what is absent.
        Add(map.Mark().line + 1, 0,
            fmt::format("{} lacks the required key \"{}\"{}", where, schema.keys[i],
                        RequiredHint(schema.keys[i])));
      }
    }
  }

  static std::string RequiredHint(std::string_view key) {
    if (key == "project_name") return " (e.g. project_name: myexample)";
    if (key == "short_name") return " (2-4 lowercase letters, e.g. short_name: me)";
    if (key == "primary_region") return " (e.g. primary_region: us-east-1)";
    if (key == "secondary_region") return " (e.g. secondary_region: us-west-2)";
    if (key == "organization") return " (with the accounts list)";
    return "";
  }

  // The text of `map[key]` when it is a scalar; a problem when it is present but not one.
  std::optional<std::string> Scalar(const YAML::Node& map, std::string_view key) {
    const YAML::Node value = map[std::string(key)];
    if (!value) return std::nullopt;
    if (!value.IsScalar()) {
      Add(MarkOf(map, key), fmt::format("{} must be a single value, not {}", key,
                                        value.IsNull() ? "empty" : "a list or mapping"));
      return std::nullopt;
    }
    return value.Scalar();
  }

  // A sequence, or a problem naming `what` when the node is anything else.
  bool ExpectSequence(const YAML::Node& node, const YAML::Mark& key_mark, std::string_view what) {
    if (node.IsSequence()) return true;
    Add(key_mark, fmt::format("{} must be a list (\"- ...\" items or [a, b])", what));
    return false;
  }

  std::vector<std::pair<std::string, YAML::Mark>> NameList(const YAML::Node& list,
                                                           std::string_view what) {
    std::vector<std::pair<std::string, YAML::Mark>> names;
    for (const auto& item : list) {
      if (!item.IsScalar()) {
        Add(item.Mark(), fmt::format("each item of {} must be a name", what));
        continue;
      }
      names.emplace_back(item.Scalar(), item.Mark());
    }
    return names;
  }

  void CheckOrganization(const YAML::Node& organization, const YAML::Mark& key_mark) {
    if (!organization.IsMap()) {
      Add(key_mark, "organization must be a mapping with accounts and organizational_units");
      return;
    }
    CheckKeys(organization, "organization", kOrganizationSchema);
    if (const YAML::Node accounts = organization["accounts"]) {
      if (ExpectSequence(accounts, MarkOf(organization, "accounts"), "organization.accounts")) {
        CheckAccounts(accounts, MarkOf(organization, "accounts"));
      }
    }
    if (const YAML::Node units = organization["organizational_units"]) {
      const YAML::Mark mark = MarkOf(organization, "organizational_units");
      if (ExpectSequence(units, mark, "organization.organizational_units")) {
        CheckOrganizationalUnits(units);
      }
    }
    CheckMembership();
  }

  void CheckAccounts(const YAML::Node& accounts, const YAML::Mark& list_mark) {
    std::map<std::string, int> emails;  // lowercased email -> index into project_.accounts
    size_t index = 0;
    for (const auto& entry : accounts) {
      const std::string where = fmt::format("organization.accounts[{}]", index++);
      if (!entry.IsMap()) {
        Add(entry.Mark(), fmt::format("{} must be a mapping such as {{name: security, email: "
                                      "aws+security@example.com}}",
                                      where));
        continue;
      }
      CheckKeys(entry, where, kAccountSchema);
      ProjectAccount account;
      if (auto name = Scalar(entry, "name")) {
        account.name = *name;
        if (!Matches(*name, "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")) {
          Add(entry["name"].Mark(),
              fmt::format("account name \"{}\" must be lowercase letters, digits and hyphens, "
                          "e.g. \"apps-devstg\" (it becomes part of profile and bucket names)",
                          *name));
        } else if (auto other = account_lines_.find(*name); other != account_lines_.end()) {
          Add(entry["name"].Mark(), fmt::format("account \"{}\" is listed twice (first on line "
                                                "{}); remove one",
                                                *name, other->second));
        } else {
          account_lines_[*name] = entry["name"].Mark().line + 1;
          account_marks_.emplace_back(*name, entry.Mark());
        }
      }
      const std::string label =
          account.name.empty() ? where : fmt::format("account \"{}\"", account.name);
      if (auto email = Scalar(entry, "email")) {
        account.email = *email;
        std::string lower = *email;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (auto problem = EmailProblem(*email)) {
          Add(entry["email"].Mark(), fmt::format("email \"{}\" of {} {}", *email, label, *problem));
        } else if (auto [it, inserted] =
                       emails.emplace(lower, static_cast<int>(project_.accounts.size()));
                   !inserted) {
          const ProjectAccount& first = project_.accounts[static_cast<size_t>(it->second)];
          Add(entry["email"].Mark(),
              fmt::format("email \"{}\" of {} is already the email of account \"{}\"; every AWS "
                          "account needs its own address, e.g. a plus-alias such as \"{}\"",
                          *email, label, first.name, PlusAlias(*email, account.name)));
        }
      }
      if (const YAML::Node id = entry["id"]) {
        if (!id.IsScalar() || !IsAccountId(id.Scalar())) {
          Add(MarkOf(entry, "id"),
              fmt::format("id of {} must be the 12-digit account id, quoted (id: '000123456789'), "
                          "or be left out until it is known",
                          label));
        } else if (id.Tag() == "?") {
          Add(id.Mark(),
              fmt::format("id of {} must be quoted (id: '{}'): unquoted, YAML tools read "
                          "it as a number and drop its leading zeros",
                          label, id.Scalar()));
          account.id = id.Scalar();
        } else {
          account.id = id.Scalar();
        }
      }
      if (const YAML::Node encryption = entry["enable_dynamo_encryption"]) {
        bool value = false;
        if (!encryption.IsScalar() || !YAML::convert<bool>::decode(encryption, value)) {
          Add(MarkOf(entry, "enable_dynamo_encryption"),
              fmt::format("enable_dynamo_encryption of {} must be true or false", label));
        }
      }
      project_.accounts.push_back(std::move(account));
    }
    if (!account_lines_.contains(std::string(kManagement))) {
      Add(list_mark,
          "organization.accounts has no account named \"management\"; add the account you signed "
          "up by hand, e.g. {name: management, email: myexample-aws@example.com}");
    }
  }

  static std::string PlusAlias(std::string_view email, std::string_view account) {
    const size_t at = email.find('@');
    std::string local(email.substr(0, at));
    if (const size_t plus = local.find('+'); plus != std::string::npos) local.resize(plus);
    return fmt::format("{}+{}{}", local, account.empty() ? "account" : account, email.substr(at));
  }

  void CheckOrganizationalUnits(const YAML::Node& units) {
    std::map<std::string, int> unit_lines;
    size_t index = 0;
    for (const auto& entry : units) {
      const std::string where = fmt::format("organization.organizational_units[{}]", index++);
      if (!entry.IsMap()) {
        Add(entry.Mark(), fmt::format("{} must be a mapping such as {{name: shared, policy: "
                                      "[aws_organizations_policy.standard], accounts: [shared]}}",
                                      where));
        continue;
      }
      CheckKeys(entry, where, kOuSchema);
      ProjectOrganizationalUnit unit;
      if (auto name = Scalar(entry, "name")) {
        unit.name = *name;
        const int line = entry["name"].Mark().line + 1;
        if (auto [it, inserted] = unit_lines.emplace(*name, line); !inserted) {
          Add(entry["name"].Mark(), fmt::format("organizational unit \"{}\" is listed twice "
                                                "(first on line {}); merge them",
                                                *name, it->second));
        }
      }
      const std::string label =
          unit.name.empty() ? where : fmt::format("organizational unit \"{}\"", unit.name);
      if (const YAML::Node policy = entry["policy"]) {
        if (ExpectSequence(policy, MarkOf(entry, "policy"), "policy of " + label)) {
          for (auto& [text, mark] : NameList(policy, "policy of " + label)) {
            unit.policy.push_back(text);
          }
        }
      }
      if (const YAML::Node accounts = entry["accounts"]) {
        if (ExpectSequence(accounts, MarkOf(entry, "accounts"), "accounts of " + label)) {
          for (auto& [name, mark] : NameList(accounts, "accounts of " + label)) {
            memberships_.push_back(Membership{name, label, mark});
            unit.accounts.push_back(name);
          }
        }
      }
      project_.organizational_units.push_back(std::move(unit));
    }
  }

  // Every OU member is a known account; every member account is in exactly one OU.
  void CheckMembership() {
    std::vector<std::string_view> known;
    for (const auto& [name, line] : account_lines_) known.push_back(name);
    std::map<std::string, const Membership*> placed;
    for (const Membership& membership : memberships_) {
      if (!account_lines_.contains(membership.account)) {
        Add(membership.mark,
            fmt::format("{} lists account \"{}\", which is not under organization.accounts{}",
                        membership.unit, membership.account,
                        Closest(membership.account, known) ? DidYouMean(membership.account, known)
                                                           : "; add it there or fix the name"));
        continue;
      }
      if (auto [it, inserted] = placed.emplace(membership.account, &membership); !inserted) {
        Add(membership.mark,
            fmt::format("account \"{}\" is in {} and also in {} (line {}); an account belongs to "
                        "exactly one OU, remove it from one",
                        membership.account, membership.unit, it->second->unit,
                        it->second->mark.line + 1));
      }
    }
    for (const auto& [name, mark] : account_marks_) {
      if (name == kManagement || placed.contains(name)) continue;
      Add(mark, fmt::format("account \"{}\" is in no organizational unit; add it to the accounts "
                            "of one under organization.organizational_units",
                            name));
    }
  }

  void CheckUsers(const YAML::Node& users, const YAML::Mark& key_mark) {
    if (!ExpectSequence(users, key_mark, "users")) return;
    size_t index = 0;
    for (const auto& user : users) {
      const std::string where = fmt::format("users[{}]", index++);
      if (!user.IsMap()) {
        Add(user.Mark(), fmt::format("{} must be a mapping with first_name, last_name, email and "
                                     "groups",
                                     where));
        continue;
      }
      CheckKeys(user, where, kUserSchema);
      Scalar(user, "first_name");
      Scalar(user, "last_name");
      if (auto email = Scalar(user, "email")) {
        if (auto problem = EmailProblem(*email)) {
          Add(user["email"].Mark(), fmt::format("email \"{}\" of {} {}", *email, where, *problem));
        }
      }
      if (const YAML::Node groups = user["groups"]) {
        if (!ExpectSequence(groups, MarkOf(user, "groups"), "groups of " + where)) continue;
        for (auto& [group, mark] : NameList(groups, "groups of " + where)) {
          if (std::find(kSsoGroups.begin(), kSsoGroups.end(), group) == kSsoGroups.end()) {
            Add(mark, fmt::format("group \"{}\" of {} is not one of {}{}", group, where,
                                  JoinNames(kSsoGroups), DidYouMean(group, kSsoGroups)));
          }
        }
      }
    }
  }

  void CheckAccountSettings(const YAML::Node& settings, const YAML::Mark& key_mark) {
    if (!settings.IsMap()) {
      Add(key_mark, "accounts must be a mapping from account name to its settings (networks)");
      return;
    }
    std::vector<std::string_view> known;
    for (const auto& [name, line] : account_lines_) known.push_back(name);
    for (const auto& entry : settings) {
      const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "";
      if (!account_lines_.contains(name)) {
        Add(entry.first.Mark(),
            fmt::format("accounts.{} names an account that is not under organization.accounts{}",
                        name, Closest(name, known) ? DidYouMean(name, known) : ""));
      }
      const std::string where = "accounts." + name;
      if (entry.second.IsNull()) continue;
      if (!entry.second.IsMap()) {
        Add(entry.first.Mark(), where + " must be a mapping (networks: ...)");
        continue;
      }
      CheckKeys(entry.second, where, kAccountSettingsSchema);
      const YAML::Node networks = entry.second["networks"];
      if (!networks) continue;
      if (!ExpectSequence(networks, MarkOf(entry.second, "networks"), where + ".networks")) {
        continue;
      }
      size_t index = 0;
      for (const auto& network : networks) {
        const std::string network_where = fmt::format("{}.networks[{}]", where, index++);
        if (!network.IsMap()) {
          Add(network.Mark(), network_where + " must be a mapping (cidr_block: ..., ...)");
          continue;
        }
        CheckKeys(network, network_where, kNetworkSchema);
        for (const char* key : {"cidr_block", "private_subnets_cidr", "public_subnets_cidr"}) {
          if (auto cidr = Scalar(network, key); cidr && !IsCidr(*cidr)) {
            Add(network[key].Mark(), fmt::format("{} \"{}\" of {} is not an IPv4 CIDR block such "
                                                 "as 172.18.0.0/20",
                                                 key, *cidr, network_where));
          }
        }
        for (const char* key : {"private_subnets", "public_subnets"}) {
          const YAML::Node list = network[key];
          if (!list || !ExpectSequence(list, MarkOf(network, key), network_where + "." + key)) {
            continue;
          }
          for (auto& [cidr, mark] : NameList(list, network_where + "." + key)) {
            if (!IsCidr(cidr)) {
              Add(mark, fmt::format("subnet \"{}\" in {}.{} is not an IPv4 CIDR block such as "
                                    "172.18.0.0/23",
                                    cidr, network_where, key));
            }
          }
        }
      }
    }
  }

  static bool IsCidr(std::string_view text) {
    std::match_results<std::string_view::const_iterator> match;
    static const std::regex kCidr(R"(^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})$)");
    if (!std::regex_match(text.begin(), text.end(), match, kCidr)) return false;
    for (size_t i = 1; i <= 4; ++i) {
      if (std::stoi(match[i].str()) > 255) return false;
    }
    return std::stoi(match[5].str()) <= 32;
  }

  struct Membership {
    std::string account;
    std::string unit;  // "organizational unit \"x\"", for messages
    YAML::Mark mark;
  };

  std::string_view file_;
  std::vector<Problem> problems_;
  Project project_;
  std::map<std::string, int> account_lines_;  // account name -> line of its name
  std::vector<std::pair<std::string, YAML::Mark>> account_marks_;  // in file order
  std::vector<Membership> memberships_;
};

struct Checked {
  Project project;
  std::vector<Problem> problems;
};

Checked CheckProjectText(std::string_view text, std::string_view file) {
  Checker checker(file);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& error) {
    // Errors found at the end of the input ("end of sequence flow not found") carry the line after
    // the last one; they are reported on the last line instead.
    YAML::Mark mark = error.mark;
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
                      (text.empty() || text.back() == '\n' ? 0 : 1);
    if (mark.line >= lines) {
      mark.line = std::max(lines - 1, 0);
      mark.column = 0;
    }
    checker.Add(mark, fmt::format("YAML syntax error: {}; fix the syntax (indent with "
                                  "spaces, close quotes and brackets) and validate again",
                                  error.msg));
    return {Project{}, checker.TakeProblems()};
  }
  checker.Check(root);
  return {checker.project(), checker.TakeProblems()};
}

// Plain YAML scalar when that reads back as the same string, single-quoted otherwise.
std::string YamlString(std::string_view value) {
  static const std::regex kPlain(R"(^[A-Za-z][A-Za-z0-9._@+/-]*$)");
  static const std::regex kReserved(
      R"(^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$)");
  std::string text(value);
  if (std::regex_match(text, kPlain) && !std::regex_match(text, kReserved)) return text;
  std::string quoted = "'";
  for (char c : value) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

}  // namespace

std::string FormatProblem(const Problem& problem) {
  if (problem.line <= 0) return fmt::format("{}: {}", problem.file, problem.message);
  return fmt::format("{}:{}: {}", problem.file, problem.line, problem.message);
}

std::optional<std::string> ProjectNameProblem(std::string_view project_name) {
  if (Matches(project_name, "^[a-z0-9]([a-z0-9]|-){1,23}[a-z0-9]$")) return std::nullopt;
  return "must be 3-25 lowercase letters, digits or hyphens, starting and ending with a letter or "
         "digit (e.g. \"myexample\")";
}

std::optional<std::string> ShortNameProblem(std::string_view short_name) {
  if (Matches(short_name, "^[a-z]{2,4}$")) return std::nullopt;
  return "must be 2-4 lowercase letters (e.g. \"bb\")";
}

std::optional<std::string> EmailDomainProblem(std::string_view domain) {
  if (Matches(domain, R"(^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$)")) {
    return std::nullopt;
  }
  return "must be a domain name such as \"example.com\" (the part after '@', without it)";
}

std::optional<std::string> RegionProblem(std::string_view region) {
  if (IsKnownAwsRegion(region)) return std::nullopt;
  const auto closest = Closest(region, KnownAwsRegions());
  if (closest) return fmt::format("is not an AWS region; did you mean \"{}\"?", *closest);
  return "is not an AWS region (e.g. \"us-east-1\"; `aws ec2 describe-regions` lists them)";
}

std::optional<std::string> EmailProblem(std::string_view email) {
  const size_t at = email.rfind('@');
  if (at != std::string_view::npos && at > 0 && at <= 64 &&
      Matches(email.substr(0, at), R"(^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$)") &&
      email.front() != '.' && email.substr(0, at).back() != '.' &&
      !EmailDomainProblem(email.substr(at + 1))) {
    return std::nullopt;
  }
  return "is not an email address (expected name@domain, e.g. \"aws+security@example.com\")";
}

std::string AccountEmail(std::string_view project_name, std::string_view account,
                         std::string_view email_domain) {
  if (account == kManagement) return fmt::format("{}-aws@{}", project_name, email_domain);
  return fmt::format("{}-aws+{}@{}", project_name, account, email_domain);
}

std::string OrganizationsAccountName(std::string_view project_name, std::string_view account) {
  return fmt::format("{}-{}", project_name, account);
}

Project DefaultProject(const ProjectSettings& settings) {
  Project project;
  project.project_name = settings.project_name;
  project.short_name = settings.short_name;
  project.primary_region = settings.primary_region;
  project.secondary_region = settings.secondary_region;
  for (std::string_view account : {"management", "security", "shared"}) {
    project.accounts.push_back(
        ProjectAccount{std::string(account),
                       AccountEmail(settings.project_name, account, settings.email_domain), ""});
  }
  project.organizational_units = {
      {"security", {"aws_organizations_policy.default"}, {"security"}},
      {"shared", {"aws_organizations_policy.standard"}, {"shared"}},
  };
  return project;
}

std::string RenderProjectYaml(const Project& project) {
  std::string out;
  out += "# A Leverage-style project. Check it with: fulcrum project validate\n\n";
  out += "# Long name: 3-25 lowercase letters, digits or hyphens. AWS account names are\n";
  out += "# <project_name>-<account>, e.g. " +
         OrganizationsAccountName(project.project_name, kManagement) + ".\n";
  out += "project_name: " + YamlString(project.project_name) + "\n";
  out += "# Short name: 2-4 lowercase letters; the prefix of profiles, state buckets and tables.\n";
  out += "short_name: " + YamlString(project.short_name) + "\n";
  out += "# Region of the layers and of the Terraform state; the state is replicated to the\n";
  out += "# secondary region.\n";
  out += "primary_region: " + YamlString(project.primary_region) + "\n";
  out += "secondary_region: " + YamlString(project.secondary_region) + "\n";
  if (project.mfa_enabled) out += "mfa_enabled: true\n";
  out += "\norganization:\n";
  out += "  # 'management' is the account signed up by hand; its id is recorded once its keys\n";
  out += "  # are configured. Every account needs its own email (plus-aliases work).\n";
  out += "  accounts:\n";
  for (const ProjectAccount& account : project.accounts) {
    out += "    - name: " + YamlString(account.name) +
           "  # AWS account name: " + OrganizationsAccountName(project.project_name, account.name) +
           "\n";
    out += "      email: " + YamlString(account.email) + "\n";
    if (!account.id.empty()) out += "      id: '" + account.id + "'\n";
  }
  out += "  # Every member account belongs to exactly one OU; policy lists the Terraform address\n";
  out += "  # of the OU's service control policy.\n";
  out += "  organizational_units:\n";
  for (const ProjectOrganizationalUnit& unit : project.organizational_units) {
    out += "    - name: " + YamlString(unit.name) + "\n";
    out += "      policy:\n";
    for (const std::string& policy : unit.policy) out += "        - " + YamlString(policy) + "\n";
    out += "      accounts:\n";
    for (const std::string& account : unit.accounts) {
      out += "        - " + YamlString(account) + "\n";
    }
  }
  out +=
      "\n# SSO users (IAM Identity Center). groups: administrators, devops, finops,\n"
      "# securityauditor, readonly. For example:\n"
      "# users:\n"
      "#   - first_name: Jane\n"
      "#     last_name: Doe\n"
      "#     email: jane.doe@example.com\n"
      "#     groups: [administrators, devops]\n";
  out +=
      "\n# Networks per account; only the first network of a list is used.\n"
      "accounts:\n"
      "  shared:\n"
      "    networks:\n"
      "      - cidr_block: 172.18.0.0/20\n"
      "        availability_zones: [a, b]\n"
      "        private_subnets_cidr: 172.18.0.0/21\n"
      "        private_subnets: [172.18.0.0/23, 172.18.2.0/23]\n"
      "        public_subnets_cidr: 172.18.8.0/21\n"
      "        public_subnets: [172.18.8.0/23, 172.18.10.0/23]\n";
  return out;
}

std::vector<Problem> ValidateProject(std::string_view text, std::string_view file) {
  return CheckProjectText(text, file).problems;
}

Result<Project> LoadProject(const std::filesystem::path& file) {
  auto text = ReadWholeFile(file);
  if (!text) return Fail(text.error());
  Checked checked = CheckProjectText(*text, file.string());
  if (checked.problems.empty()) return std::move(checked.project);
  std::string message;
  for (const Problem& problem : checked.problems) {
    if (!message.empty()) message += "\n";
    message += FormatProblem(problem);
  }
  return Fail("InvalidProjectFile", message);
}

namespace {

std::string_view LineEnding(std::string_view text) {
  const size_t newline = text.find('\n');
  return newline != std::string_view::npos && newline > 0 && text[newline - 1] == '\r' ? "\r\n"
                                                                                       : "\n";
}

// The end (exclusive) of the scalar token that starts at `begin`: a quoted scalar ends after its
// closing quote; a plain one before a line break, a " #" comment or, in a flow collection, a
// ",", "}" or "]", with trailing spaces dropped.
size_t ScalarEnd(std::string_view text, size_t begin, bool in_flow) {
  if (begin >= text.size()) return begin;
  const char quote = text[begin];
  if (quote == '\'' || quote == '"') {
    for (size_t i = begin + 1; i < text.size(); ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;
      } else if (text[i] == quote) {
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
        } else {
          return i + 1;
        }
      }
    }
    return text.size();
  }
  size_t end = begin;
  while (end < text.size()) {
    const char c = text[end];
    if (c == '\n' || c == '\r') break;
    if (c == '#' && end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) break;
    if (in_flow && (c == ',' || c == '}' || c == ']')) break;
    ++end;
  }
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return end;
}

// The position of the "}" that closes the flow mapping opened at `open`.
std::optional<size_t> FlowMappingEnd(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'' || c == '"') {
      i = ScalarEnd(text, i, true) - 1;
    } else if (c == '#' && i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i;
    }
  }
  return std::nullopt;
}

tl::unexpected<Error> EditFailure(std::string_view file, std::string_view id,
                                  std::string_view why) {
  return Fail("InvalidProjectFile",
              fmt::format("{}: cannot record the management account id: {}; add `id: '{}'` to the "
                          "management entry under organization.accounts by hand",
                          file, why, id));
}

}  // namespace

Result<std::string> WithManagementAccountId(std::string_view text, std::string_view file,
                                            std::string_view account_id) {
  if (!IsAccountId(account_id)) {
    return Fail("InvalidParameterValue",
                fmt::format("account id \"{}\" is not 12 digits", account_id));
  }
  // yaml-cpp skips a byte order mark without counting it in its marks' positions.
  const std::string_view bom = text.starts_with("\xEF\xBB\xBF") ? text.substr(0, 3) : "";
  text.remove_prefix(bom.size());
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& error) {
    return EditFailure(
        file, account_id,
        fmt::format("line {}: YAML syntax error: {}", error.mark.line + 1, error.msg));
  }
  YAML::Node accounts;
  if (root.IsMap() && root["organization"].IsMap()) accounts = root["organization"]["accounts"];
  if (!accounts.IsSequence())
    return EditFailure(file, account_id, "it has no organization.accounts list");
  std::optional<YAML::Node> found;
  for (size_t i = 0; i < accounts.size() && !found; ++i) {
    const YAML::Node candidate = accounts[i];
    if (candidate.IsMap() && candidate["name"].IsScalar() &&
        candidate["name"].Scalar() == kManagement) {
      found = candidate;
    }
  }
  if (!found) return EditFailure(file, account_id, "it has no account named \"management\"");
  const YAML::Node& entry = *found;

  const bool flow = entry.Style() == YAML::EmitterStyle::Flow;
  const std::string quoted = fmt::format("'{}'", account_id);
  std::string edited(text);
  YAML::Mark id_key = YAML::Mark::null_mark();
  for (const auto& key_value : entry) {
    if (key_value.first.IsScalar() && key_value.first.Scalar() == "id")
      id_key = key_value.first.Mark();
  }
  if (id_key.pos >= 0) {
    const YAML::Node id = entry["id"];
    if (id.IsScalar()) {
      const size_t begin = static_cast<size_t>(id.Mark().pos);
      edited.replace(begin, ScalarEnd(text, begin, flow) - begin, quoted);
    } else if (id.IsNull()) {
      const size_t colon = text.find(':', static_cast<size_t>(id_key.pos));
      if (colon == std::string_view::npos)
        return EditFailure(file, account_id, "its id key has no ':'");
      edited.insert(colon + 1, " " + quoted);
    } else {
      return EditFailure(file, account_id, "the id of management is a list or mapping");
    }
  } else if (flow) {
    const auto close = FlowMappingEnd(text, static_cast<size_t>(entry.Mark().pos));
    if (!close) return EditFailure(file, account_id, "the management entry's '}' was not found");
    size_t insert_at = *close;
    while (insert_at > 0 && (text[insert_at - 1] == ' ' || text[insert_at - 1] == '\t')) {
      --insert_at;
    }
    edited.insert(insert_at, ", id: " + quoted);
  } else {
    // After the line that holds `name: management`, indented as the entry's keys.
    const YAML::Mark name_mark = entry["name"].Mark();
    size_t line_end = text.find('\n', static_cast<size_t>(name_mark.pos));
    const std::string eol(LineEnding(text));
    std::string line = std::string(static_cast<size_t>(entry.Mark().column), ' ') + "id: " + quoted;
    if (line_end == std::string_view::npos) {
      edited += eol + line;
    } else {
      edited.insert(line_end + 1, line + eol);
    }
  }

  // The edit must read back as intended; anything else means the text had a shape not handled
  // above, and the file is left alone.
  try {
    const YAML::Node check = YAML::Load(edited);
    for (const auto& candidate : check["organization"]["accounts"]) {
      if (candidate["name"].IsScalar() && candidate["name"].Scalar() == kManagement) {
        if (candidate["id"].IsScalar() && candidate["id"].Scalar() == account_id) {
          return std::string(bom) + edited;
        }
        break;
      }
    }
  } catch (const YAML::Exception&) {
  }
  return EditFailure(file, account_id, "its layout is not one this edit understands");
}

Result<void> SetManagementAccountId(const std::filesystem::path& file,
                                    std::string_view account_id) {
  auto text = ReadWholeFile(file);
  if (!text) return Fail(text.error());
  auto edited = WithManagementAccountId(*text, file.string(), account_id);
  if (!edited) return Fail(edited.error());
  if (*edited == *text) return {};
  struct stat info {};
  const mode_t mode = ::stat(file.c_str(), &info) == 0 ? (info.st_mode & 07777) : 0644;
  return WriteFileAtomically(file, *edited, mode);
}

}  // namespace fulcrum::cli
