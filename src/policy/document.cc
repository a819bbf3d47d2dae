#include "policy/document.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <exception>
#include <set>
#include <utility>

#include "arn/arn.h"
#include "policy/condition.h"
#include "policy/values.h"
#include "policy/variables.h"
#include "policy/wildcard.h"

namespace fulcrum::policy {
namespace {

namespace json = boost::json;

constexpr std::string_view kMalformed = "MalformedPolicyDocument";
constexpr std::string_view kSyntaxErrors = "Syntax errors in policy.";
constexpr std::string_view kInvalidJson = "This policy contains invalid Json";
constexpr std::string_view kLegacyParsing = "The policy failed legacy parsing";
constexpr std::string_view kNoPrincipalAllowed = "Policy document should not specify a principal.";
constexpr std::string_view kPrincipalRequired = "Missing required field Principal";
constexpr std::string_view kNoActions = "Policy statement must contain actions.";
constexpr std::string_view kNoResources = "Policy statement must contain resources.";
constexpr std::string_view kDuplicateSid = "Statement IDs (SID) in a single policy must be unique.";
constexpr std::string_view kSidNotAlphanumeric =
    "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular "
    "expression [0-9A-Za-z]*";
constexpr std::string_view kNoVendor =
    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
constexpr std::string_view kOneColon = "Actions/Condition can contain only one colon.";

constexpr std::string_view kVersion2012 = "2012-10-17";
constexpr std::string_view kVersion2008 = "2008-10-17";

tl::unexpected<Error> Malformed(std::string message) {
  return Fail(std::string(kMalformed), std::move(message));
}

// IAM's generic message, followed by the element at fault.
tl::unexpected<Error> Malformed(std::string_view message, std::string_view detail) {
  return Malformed(fmt::format("{} {}", message, detail));
}

bool IsIdentityLike(PolicyKind kind) { return kind != PolicyKind::kResource; }

// IAM checks the Sids of the permissions policies it stores; resource policies (S3 and KMS accept
// spaces) and Organizations are laxer.
bool RequiresAlphanumericSid(PolicyKind kind) {
  return kind == PolicyKind::kIdentity || kind == PolicyKind::kPermissionsBoundary ||
         kind == PolicyKind::kSession;
}

bool IsAlphanumeric(std::string_view text) {
  for (const char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool IsDigits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

// The text of a JSON scalar as a condition value: strings as they are, booleans as
// "true"/"false", numbers in their shortest decimal form.
std::optional<std::string> ScalarText(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      return std::string(value.get_string());
    case json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case json::kind::int64:
      return fmt::format("{}", value.get_int64());
    case json::kind::uint64:
      return fmt::format("{}", value.get_uint64());
    case json::kind::double_:
      return fmt::format("{}", value.get_double());
    default:
      return std::nullopt;
  }
}

// Reads one policy document; each Read* step returns the first fault it finds.
class Parser {
 public:
  Parser(std::string_view text, PolicyKind kind) : text_(text) { policy_.kind = kind; }

  Result<std::shared_ptr<const Policy>> Parse() {
    json::error_code error;
    const json::value root = json::parse(json::string_view(text_.data(), text_.size()), error);
    if (error) {
      return Malformed(
          std::string(policy_.kind == PolicyKind::kResource ? kInvalidJson : kSyntaxErrors));
    }
    if (auto read = ReadDocument(root); !read) {
      return tl::unexpected(std::move(read.error()));
    }
    if (auto checked = Check(); !checked) {
      return tl::unexpected(std::move(checked.error()));
    }
    policy_.text = std::string(text_);
    return std::make_shared<const Policy>(std::move(policy_));
  }

 private:
  // --- Syntax: the shape of the JSON, element names and types. ---

  Result<void> ReadDocument(const json::value& root) {
    const json::object* object = root.if_object();
    if (object == nullptr) {
      return Malformed(kSyntaxErrors, "The policy must be a JSON object.");
    }
    const json::value* statements = nullptr;
    for (const auto& [name, value] : *object) {
      if (name == "Version") {
        const json::string* version = value.if_string();
        if (version != nullptr && *version == kVersion2012) {
          policy_.version = PolicyVersion::k2012_10_17;
        } else if (version != nullptr && *version == kVersion2008) {
          policy_.version = PolicyVersion::k2008_10_17;
        } else {
          return Malformed(kSyntaxErrors, fmt::format("Invalid Version {}: use \"2012-10-17\".",
                                                      json::serialize(value)));
        }
        policy_.has_version = true;
      } else if (name == "Id") {
        const json::string* id = value.if_string();
        if (id == nullptr) {
          return Malformed(kSyntaxErrors, "Id must be a string.");
        }
        policy_.id = std::string(*id);
      } else if (name == "Statement") {
        statements = &value;
      } else {
        return Malformed(kSyntaxErrors, fmt::format("Unknown field {}.", std::string_view(name)));
      }
    }
    if (statements == nullptr) {
      return Malformed(kSyntaxErrors, "Missing required field Statement.");
    }
    if (const json::object* single = statements->if_object()) {
      statement_is_array_ = false;
      return ReadStatement(*single, 0);
    }
    const json::array* list = statements->if_array();
    if (list == nullptr || list->empty()) {
      return Malformed(kSyntaxErrors, "Statement must be an object or a non-empty array.");
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json::object* statement = (*list)[i].if_object();
      if (statement == nullptr) {
        return Malformed(kSyntaxErrors, fmt::format("{} must be an object.", Where(i)));
      }
      if (auto read = ReadStatement(*statement, i); !read) {
        return read;
      }
    }
    return {};
  }

  // "Statement" or "Statement[i]", for messages.
  std::string Where(std::size_t index) const {
    return statement_is_array_ ? fmt::format("Statement[{}]", index) : "Statement";
  }

  Result<void> ReadStatement(const json::object& object, std::size_t index) {
    Statement statement;
    bool has_effect = false;
    bool has_action = false;
    bool has_not_action = false;
    const json::value* principal = nullptr;
    const json::value* not_principal = nullptr;
    const json::value* resource = nullptr;
    const json::value* not_resource = nullptr;
    for (const auto& [key, value] : object) {
      const std::string_view name(key);
      if (name == "Sid") {
        const json::string* sid = value.if_string();
        if (sid == nullptr) {
          return Malformed(kSyntaxErrors, fmt::format("Sid in {} must be a string.", Where(index)));
        }
        statement.sid = std::string(*sid);
      } else if (name == "Effect") {
        const json::string* effect = value.if_string();
        if (effect == nullptr) {
          return Malformed(kSyntaxErrors,
                           fmt::format("Effect in {} must be a string.", Where(index)));
        }
        const std::string_view text(*effect);
        if (EqualsIgnoreCase(text, "Allow")) {
          statement.effect = Effect::kAllow;
        } else if (EqualsIgnoreCase(text, "Deny")) {
          statement.effect = Effect::kDeny;
        } else {
          return Malformed(kSyntaxErrors, fmt::format("Invalid Effect \"{}\" in {}: use Allow or "
                                                      "Deny.",
                                                      text, Where(index)));
        }
        if (text != "Allow" && text != "Deny" && !miscased_effect_) {
          // IAM accepts the spelling in its syntax check and rejects it in legacy parsing.
          miscased_effect_.emplace(std::string(text), index);
        }
        has_effect = true;
      } else if (name == "Action" || name == "NotAction") {
        auto patterns = ReadStrings(value, name, index);
        if (!patterns) {
          return tl::unexpected(std::move(patterns.error()));
        }
        statement.actions.patterns = std::move(*patterns);
        statement.actions.negated = name == "NotAction";
        (name == "Action" ? has_action : has_not_action) = true;
      } else if (name == "Resource") {
        resource = &value;
      } else if (name == "NotResource") {
        not_resource = &value;
      } else if (name == "Principal") {
        principal = &value;
      } else if (name == "NotPrincipal") {
        not_principal = &value;
      } else if (name == "Condition") {
        if (auto read = ReadConditions(value, index, statement); !read) {
          return read;
        }
      } else {
        return Malformed(kSyntaxErrors, fmt::format("Unknown field {} in {}.", name, Where(index)));
      }
    }
    if (!has_effect) {
      return Malformed(kSyntaxErrors,
                       fmt::format("Missing required field Effect in {}.", Where(index)));
    }
    if (has_action && has_not_action) {
      return Malformed(kSyntaxErrors,
                       fmt::format("{} has both Action and NotAction.", Where(index)));
    }
    if (resource != nullptr && not_resource != nullptr) {
      return Malformed(kSyntaxErrors,
                       fmt::format("{} has both Resource and NotResource.", Where(index)));
    }
    if (principal != nullptr && not_principal != nullptr) {
      return Malformed(kSyntaxErrors,
                       fmt::format("{} has both Principal and NotPrincipal.", Where(index)));
    }
    if (resource != nullptr || not_resource != nullptr) {
      const bool negated = resource == nullptr;
      auto patterns = ReadStrings(negated ? *not_resource : *resource,
                                  negated ? "NotResource" : "Resource", index);
      if (!patterns) {
        return tl::unexpected(std::move(patterns.error()));
      }
      ResourceSet resources;
      resources.negated = negated;
      for (std::string& pattern : *patterns) {
        resources.patterns.push_back(MakeString(std::move(pattern)));
      }
      statement.resources = std::move(resources);
    }
    if (principal != nullptr || not_principal != nullptr) {
      const bool negated = principal == nullptr;
      auto principals = ReadPrincipal(negated ? *not_principal : *principal, index);
      if (!principals) {
        return tl::unexpected(std::move(principals.error()));
      }
      principals->negated = negated;
      statement.principals = std::move(*principals);
    }
    has_actions_.push_back(has_action || has_not_action);
    policy_.statements.push_back(std::move(statement));
    return {};
  }

  // A string or an array of strings.
  Result<std::vector<std::string>> ReadStrings(const json::value& value, std::string_view name,
                                               std::size_t index) const {
    std::vector<std::string> out;
    if (const json::string* single = value.if_string()) {
      out.emplace_back(*single);
      return out;
    }
    const json::array* list = value.if_array();
    if (list != nullptr) {
      for (const json::value& item : *list) {
        const json::string* text = item.if_string();
        if (text == nullptr) {
          list = nullptr;
          break;
        }
        out.emplace_back(*text);
      }
    }
    if (list == nullptr) {
      return Malformed(kSyntaxErrors, fmt::format("{} in {} must be a string or an array of "
                                                  "strings.",
                                                  name, Where(index)));
    }
    return out;
  }

  PolicyString MakeString(std::string text) const {
    const bool variables = policy_.version == PolicyVersion::k2012_10_17 && MayHoldVariables(text);
    return PolicyString{std::move(text), variables};
  }

  Result<PrincipalSet> ReadPrincipal(const json::value& value, std::size_t index) const {
    PrincipalSet principals;
    if (const json::string* text = value.if_string()) {
      if (*text != "*") {
        return Malformed(fmt::format("Invalid principal in policy: {}", json::serialize(value)));
      }
      principals.wildcard = true;
      return principals;
    }
    const json::object* object = value.if_object();
    if (object == nullptr) {
      return Malformed(kSyntaxErrors,
                       fmt::format("Principal in {} must be \"*\" or an object.", Where(index)));
    }
    for (const auto& [key, entries] : *object) {
      const std::string_view type(key);
      auto names = ReadStrings(entries, fmt::format("Principal {}", type), index);
      if (!names) {
        return tl::unexpected(std::move(names.error()));
      }
      if (type == "AWS") {
        for (std::string& name : *names) {
          if (name.size() == 12 && IsDigits(name)) {
            name = arn::RootArn(name);
          }
        }
        principals.aws = std::move(*names);
      } else if (type == "Service") {
        principals.service = std::move(*names);
      } else if (type == "Federated") {
        principals.federated = std::move(*names);
      } else if (type == "CanonicalUser") {
        principals.canonical_user = std::move(*names);
      } else {
        return Malformed(
            fmt::format("Invalid principal in policy: \"{}\":{}", type, json::serialize(entries)));
      }
    }
    return principals;
  }

  Result<void> ReadConditions(const json::value& value, std::size_t index, Statement& statement) {
    const json::object* block = value.if_object();
    if (block == nullptr) {
      return Malformed(kSyntaxErrors,
                       fmt::format("Condition in {} must be an object.", Where(index)));
    }
    for (const auto& [op_key, keys_value] : *block) {
      const std::string_view op_name(op_key);
      const json::object* keys = keys_value.if_object();
      if (keys == nullptr) {
        return Malformed(kSyntaxErrors, fmt::format("Condition operator {} in {} must map keys to "
                                                    "values.",
                                                    op_name, Where(index)));
      }
      const std::optional<OperatorName> parsed = ParseOperatorName(op_name);
      if (!parsed) {
        // IAM lets an unknown operator through only when its block is empty.
        if (keys->empty()) {
          continue;
        }
        return Malformed(kSyntaxErrors, fmt::format("Invalid condition operator {} in {}.", op_name,
                                                    Where(index)));
      }
      for (const auto& [key_name, values] : *keys) {
        Condition condition;
        condition.operator_name = std::string(op_name);
        condition.op = parsed->op;
        condition.set_operator = parsed->set_operator;
        condition.if_exists = parsed->if_exists;
        condition.key = std::string(key_name);
        auto read = ReadConditionValues(values, condition, index);
        if (!read) {
          return read;
        }
        statement.conditions.push_back(std::move(condition));
      }
    }
    return {};
  }

  Result<void> ReadConditionValues(const json::value& values, Condition& condition,
                                   std::size_t index) const {
    std::vector<const json::value*> items;
    if (const json::array* list = values.if_array()) {
      for (const json::value& item : *list) {
        items.push_back(&item);
      }
    } else {
      items.push_back(&values);
    }
    for (const json::value* item : items) {
      std::optional<std::string> text = ScalarText(*item);
      if (!text) {
        return Malformed(kSyntaxErrors,
                         fmt::format("Condition {} {} in {} has a value that is not a string, "
                                     "number or boolean.",
                                     condition.operator_name, condition.key, Where(index)));
      }
      ConditionValue value;
      value.text = MakeString(std::move(*text));
      if (!value.text.has_variables) {
        value.number = ParseNumber(value.text.text);
        value.epoch_ms = ParseDate(value.text.text);
        value.network = ParseIpNetwork(value.text.text);
      }
      condition.values.push_back(std::move(value));
    }
    return {};
  }

  // --- Semantics, in the order IAM reports them. ---

  Result<void> Check() const {
    if (auto checked = CheckLegacyParsing(); !checked) {
      return checked;
    }
    if (auto checked = CheckPrincipals(); !checked) {
      return checked;
    }
    if (auto checked = CheckSids(); !checked) {
      return checked;
    }
    for (std::size_t i = 0; i < policy_.statements.size(); ++i) {
      if (!has_actions_[i] || policy_.statements[i].actions.patterns.empty()) {
        return Malformed(kNoActions, fmt::format("({})", Where(i)));
      }
    }
    for (std::size_t i = 0; i < policy_.statements.size(); ++i) {
      const std::optional<ResourceSet>& resources = policy_.statements[i].resources;
      const bool required = IsIdentityLike(policy_.kind);
      if ((required && !resources) || (resources && resources->patterns.empty())) {
        return Malformed(kNoResources, fmt::format("({})", Where(i)));
      }
    }
    if (auto checked = CheckResourceFormats(); !checked) {
      return checked;
    }
    if (auto checked = CheckActionsAndKeys(); !checked) {
      return checked;
    }
    return {};
  }

  Result<void> CheckLegacyParsing() const {
    if (miscased_effect_) {
      return Malformed(fmt::format("{}: Effect \"{}\" in {} must be spelled Allow or Deny.",
                                   kLegacyParsing, miscased_effect_->first,
                                   Where(miscased_effect_->second)));
    }
    for (std::size_t i = 0; i < policy_.statements.size(); ++i) {
      for (const Condition& condition : policy_.statements[i].conditions) {
        if (!IsDateOperator(condition.op)) {
          continue;
        }
        for (const ConditionValue& value : condition.values) {
          if (!value.text.has_variables && !value.epoch_ms) {
            return Malformed(fmt::format("{}: \"{}\" in {} {} of {} is not a date.", kLegacyParsing,
                                         value.text.text, condition.operator_name, condition.key,
                                         Where(i)));
          }
        }
      }
      const std::optional<ResourceSet>& resources = policy_.statements[i].resources;
      if (!resources) {
        continue;
      }
      for (const PolicyString& pattern : resources->patterns) {
        const std::string_view text = pattern.text;
        if (text == "*" || text.find(':') == std::string_view::npos) {
          continue;
        }
        const std::size_t colons =
            static_cast<std::size_t>(std::count(text.begin(), text.end(), ':'));
        const std::size_t second = text.find(':', text.find(':') + 1);
        const bool short_with_empty_part = colons < 5 && text.find("::") != std::string_view::npos;
        const bool empty_vendor = second != std::string_view::npos &&
                                  (second + 1 == text.size() || text[second + 1] == ':');
        if (short_with_empty_part || empty_vendor) {
          return Malformed(fmt::format("{}: Resource {} in {} is not a valid ARN.", kLegacyParsing,
                                       text, Where(i)));
        }
      }
    }
    return {};
  }

  Result<void> CheckPrincipals() const {
    for (std::size_t i = 0; i < policy_.statements.size(); ++i) {
      const std::optional<PrincipalSet>& principals = policy_.statements[i].principals;
      if (IsIdentityLike(policy_.kind)) {
        if (principals) {
          return Malformed(std::string(kNoPrincipalAllowed));
        }
        continue;
      }
      if (!principals) {
        return Malformed(kPrincipalRequired, fmt::format("in {}.", Where(i)));
      }
      for (const std::string& aws : principals->aws) {
        if (!IsValidAwsPrincipal(aws)) {
          return Malformed(fmt::format("Invalid principal in policy: \"AWS\":\"{}\"", aws));
        }
      }
      for (const std::string& service : principals->service) {
        if (!IsValidServicePrincipal(service)) {
          return Malformed(fmt::format("Invalid principal in policy: \"SERVICE\":\"{}\"", service));
        }
      }
      for (const std::string& federated : principals->federated) {
        if (federated.empty() || federated.find(' ') != std::string::npos) {
          return Malformed(
              fmt::format("Invalid principal in policy: \"FEDERATED\":\"{}\"", federated));
        }
      }
      for (const std::string& canonical : principals->canonical_user) {
        if (canonical.empty()) {
          return Malformed(
              fmt::format("Invalid principal in policy: \"CANONICALUSER\":\"{}\"", canonical));
        }
      }
    }
    return {};
  }

  // "*", a 12-digit account id, or an IAM/STS principal ARN of the aws partition.
  static bool IsValidAwsPrincipal(std::string_view text) {
    if (text == "*" || (text.size() == 12 && IsDigits(text))) {
      return true;
    }
    const Result<arn::Arn> parsed = arn::Parse(text);
    if (!parsed || parsed->partition != arn::kPartition || !parsed->region.empty() ||
        parsed->account.size() != 12 || !IsDigits(parsed->account)) {
      return false;
    }
    const std::string_view resource = parsed->resource;
    if (parsed->service == "iam") {
      return resource == "root" || resource.starts_with("user/") || resource.starts_with("role/") ||
             resource.starts_with("federated-user/");
    }
    if (parsed->service == "sts") {
      return resource.starts_with("assumed-role/") || resource.starts_with("federated-user/");
    }
    return false;
  }

  // A DNS-like service name such as "ec2.amazonaws.com".
  static bool IsValidServicePrincipal(std::string_view text) {
    if (text.empty() || text.find('.') == std::string_view::npos) {
      return false;
    }
    for (const char c : text) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  Result<void> CheckSids() const {
    std::set<std::string_view> seen;
    for (const Statement& statement : policy_.statements) {
      if (statement.sid.empty()) {
        continue;
      }
      if (!seen.insert(statement.sid).second) {
        return Malformed(fmt::format("{} Duplicate Sid \"{}\".", kDuplicateSid, statement.sid));
      }
    }
    if (!RequiresAlphanumericSid(policy_.kind)) {
      return {};
    }
    for (const Statement& statement : policy_.statements) {
      if (!IsAlphanumeric(statement.sid)) {
        return Malformed(std::string(kSidNotAlphanumeric));
      }
    }
    return {};
  }

  Result<void> CheckResourceFormats() const {
    for (const Statement& statement : policy_.statements) {
      if (!statement.resources) {
        continue;
      }
      for (const PolicyString& pattern : statement.resources->patterns) {
        if (auto checked = CheckResourceFormat(pattern.text); !checked) {
          return checked;
        }
      }
    }
    return {};
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
  static Result<void> CheckResourceFormat(std::string_view text) {
    if (text == "*") {
      return {};
    }
    const std::size_t first = text.find(':');
    if (first == std::string_view::npos || text.substr(0, first) != "arn") {
      return Malformed(fmt::format("Resource {} must be in ARN format or \"*\".", text));
    }
    const std::size_t second = text.find(':', first + 1);
    const std::string_view partition = text.substr(
        first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
    // A wildcard partition ("arn:*:glue:...", as AWS's own managed policies write) is valid when
    // it can match this plane's partition.
    if (partition != arn::kPartition && !MatchWildcard(partition, arn::kPartition)) {
      return Malformed(
          fmt::format("Partition \"{}\" is not valid for resource \"{}\".", partition, text));
    }
    if (second == std::string_view::npos) {
      return Malformed(
          std::string("Resource vendor must be fully qualified and cannot contain "
                      "regexes."));
    }
    const std::size_t third = text.find(':', second + 1);
    const std::string_view service = text.substr(second + 1, third - second - 1);
    if (third != std::string_view::npos && third + 1 < text.size() && text[third + 1] != ':') {
      if (service == "iam") {
        return Malformed(fmt::format("IAM resource {} cannot contain region information.", text));
      }
      if (service == "s3") {
        return Malformed(fmt::format("Resource {} can not contain region information.", text));
      }
    }
    return {};
  }

  Result<void> CheckActionsAndKeys() const {
    for (const Statement& statement : policy_.statements) {
      for (const std::string& action : statement.actions.patterns) {
        if (action == "*") {
          continue;
        }
        const std::size_t colon = action.find(':');
        if (colon == std::string::npos) {
          return Malformed(kNoVendor, fmt::format("(Action \"{}\")", action));
        }
        if (action.find(':', colon + 1) != std::string::npos) {
          return Malformed(kOneColon, fmt::format("(Action \"{}\")", action));
        }
        const std::string_view vendor = std::string_view(action).substr(0, colon);
        bool vendor_ok = !vendor.empty();
        for (const char c : vendor) {
          vendor_ok = vendor_ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                    (c >= '0' && c <= '9') || c == '-' || c == '.');
        }
        if (!vendor_ok && vendor != "*") {
          return Malformed(fmt::format("Vendor {} is not valid", vendor));
        }
      }
      for (const Condition& condition : statement.conditions) {
        if (condition.key.find(':') == std::string::npos) {
          return Malformed(kNoVendor, fmt::format("(Condition key \"{}\")", condition.key));
        }
      }
    }
    return {};
  }

  std::string_view text_;
  Policy policy_;
  bool statement_is_array_ = true;
  std::vector<bool> has_actions_;  // Per statement: whether Action or NotAction was present.
  std::optional<std::pair<std::string, std::size_t>> miscased_effect_;
};

}  // namespace

Result<std::shared_ptr<const Policy>> ParsePolicy(std::string_view text, PolicyKind kind) {
  try {
    return Parser(text, kind).Parse();
  } catch (const std::exception& e) {
    return Malformed(kSyntaxErrors, e.what());
  }
}

}  // namespace fulcrum::policy
