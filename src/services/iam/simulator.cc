#include "services/iam/simulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <span>
#include <unordered_map>

#include "arn/arn.h"
#include "policy/context_keys.h"
#include "policy/referenced_keys.h"
#include "policy/values.h"
#include "services/iam/errors.h"

namespace fulcrum::services::iam {
namespace {

constexpr std::size_t kPageSize = 100;
constexpr std::string_view kInputPolicyType = "IAM Policy";

// Calls `visit` on every item of a paged store listing.
template <class Item, class List, class Visit>
Result<void> ForEach(List list, Visit visit) {
  storage::PageRequest page{.marker = "", .max_items = kPageSize};
  do {
    Result<storage::Page<Item>> items = list(page);
    if (!items) {
      return Fail(FromStorage(items.error()));
    }
    for (const Item& item : items->items) {
      if (auto visited = visit(item); !visited) {
        return visited;
      }
    }
    page.marker = items->next_marker;
  } while (!page.marker.empty());
  return {};
}

// Reads the spans of a JSON text without building a value. Any syntax it does not expect makes
// it stop with ok_ false.
class SpanReader {
 public:
  explicit SpanReader(std::string_view text) : text_(text) {}

  std::vector<std::pair<std::size_t, std::size_t>> StatementOffsets() {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    SkipSpace();
    if (!Take('{')) return {};
    SkipSpace();
    if (TryTake('}')) return {};
    while (ok_) {
      SkipSpace();
      std::string key;
      if (!ReadString(&key)) return {};
      SkipSpace();
      if (!Take(':')) return {};
      SkipSpace();
      if (key == "Statement") {
        spans.clear();
        ReadStatements(spans);
      } else {
        SkipValue();
      }
      SkipSpace();
      if (TryTake('}')) break;
      if (!Take(',')) return {};
    }
    if (!ok_) return {};
    return spans;
  }

 private:
  void ReadStatements(std::vector<std::pair<std::size_t, std::size_t>>& spans) {
    if (Peek() == '{') {
      const std::size_t start = pos_;
      SkipValue();
      spans.emplace_back(start, pos_);
      return;
    }
    if (!Take('[')) return;
    SkipSpace();
    if (TryTake(']')) return;
    while (ok_) {
      SkipSpace();
      const std::size_t start = pos_;
      SkipValue();
      spans.emplace_back(start, pos_);
      SkipSpace();
      if (TryTake(']')) return;
      if (!Take(',')) return;
    }
  }

  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  // Consumes `c` if it comes next.
  bool TryTake(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  // Consumes `c`, which must come next.
  bool Take(char c) {
    if (Peek() != c) {
      ok_ = false;
      return false;
    }
    ++pos_;
    return true;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // Reads a string; `out`, when non-null, receives its raw content (escapes as written).
  bool ReadString(std::string* out) {
    if (!Take('"')) return false;
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      pos_ += text_[pos_] == '\\' ? 2 : 1;
    }
    if (pos_ >= text_.size()) {
      ok_ = false;
      return false;
    }
    if (out != nullptr) *out = std::string(text_.substr(start, pos_ - start));
    ++pos_;
    return true;
  }

  void SkipValue() {
    const char c = Peek();
    if (c == '"') {
      ReadString(nullptr);
    } else if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      SkipSpace();
      if (Peek() == close) {
        ++pos_;
        return;
      }
      while (ok_) {
        SkipSpace();
        if (c == '{') {
          ReadString(nullptr);
          SkipSpace();
          if (!Take(':')) return;
          SkipSpace();
        }
        SkipValue();
        SkipSpace();
        if (Peek() == close) {
          ++pos_;
          return;
        }
        if (!Take(',')) return;
      }
    } else {
      const std::size_t start = pos_;
      while (pos_ < text_.size() &&
             std::string_view(",}] \t\r\n").find(text_[pos_]) == std::string_view::npos) {
        ++pos_;
      }
      if (pos_ == start) ok_ = false;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

PolicyPosition PositionAt(std::string_view text, std::size_t offset) {
  PolicyPosition position;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

Result<SimulatorService::SourcePolicy> Source(std::string_view text, policy::PolicyKind kind,
                                              std::string id, std::string type) {
  auto parsed = policy::ParsePolicy(text, kind);
  if (!parsed) {
    return Fail(parsed.error());
  }
  SimulatorService::SourcePolicy source{
      .policy = *parsed, .id = std::move(id), .type = std::move(type), .spans = {}};
  source.spans = StatementSpans(text);
  if (source.spans.size() != (*parsed)->statements.size()) source.spans.clear();
  return source;
}

Result<std::vector<SimulatorService::SourcePolicy>> InputPolicies(
    const std::vector<std::string>& texts, policy::PolicyKind kind, std::string_view list_name) {
  std::vector<SimulatorService::SourcePolicy> sources;
  sources.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto source = Source(texts[i], kind, fmt::format("{}.{}", list_name, i + 1),
                         std::string(kInputPolicyType));
    if (!source) {
      return Fail(source.error());
    }
    sources.push_back(std::move(*source));
  }
  return sources;
}

bool IsListType(std::string_view type) { return type.ends_with("List"); }

// Checks one context entry: a known type, one value for a single-valued type, and values that
// read as the type (numeric, date, ip, boolean; string and binary values are taken as written).
Result<void> CheckContextEntry(const SimulationContextEntry& entry) {
  static constexpr std::string_view kTypes[] = {"string",  "stringList",  "numeric", "numericList",
                                                "boolean", "booleanList", "ip",      "ipList",
                                                "binary",  "binaryList",  "date",    "dateList"};
  if (entry.key_name.empty()) {
    return Fail(InvalidInput("Context entry is missing the ContextKeyName."));
  }
  if (std::find(std::begin(kTypes), std::end(kTypes), entry.type) == std::end(kTypes)) {
    return Fail(InvalidInput(fmt::format("Invalid ContextKeyType '{}' for context key {}.",
                                         entry.type, entry.key_name)));
  }
  if (!IsListType(entry.type) && entry.values.size() > 1) {
    return Fail(InvalidInput(fmt::format("Context key {} of type {} must have a single value.",
                                         entry.key_name, entry.type)));
  }
  const std::string_view base =
      std::string_view(entry.type).substr(0, entry.type.size() - (IsListType(entry.type) ? 4 : 0));
  for (const std::string& value : entry.values) {
    bool valid = true;
    if (base == "numeric") {
      valid = policy::ParseNumber(value).has_value();
    } else if (base == "date") {
      valid = policy::ParseDate(value).has_value();
    } else if (base == "ip") {
      valid = policy::ParseIpNetwork(value).has_value();
    } else if (base == "boolean") {
      valid = policy::EqualsIgnoreCase(value, "true") || policy::EqualsIgnoreCase(value, "false");
    }
    if (!valid) {
      return Fail(InvalidInput(fmt::format("Invalid value '{}' for context key {} of type {}.",
                                           value, entry.key_name, entry.type)));
    }
  }
  return {};
}

std::vector<std::string> KeysOf(std::span<const SimulatorService::SourcePolicy> sources) {
  std::vector<std::string> names;
  for (const auto& source : sources) {
    for (const policy::Statement& statement : source.policy->statements) {
      policy::AddReferencedKeys(statement, names);
    }
  }
  return names;
}

// The statement (in its policy) a StatementMatch names, with where it came from.
MatchedStatement Matched(std::span<const SimulatorService::SourcePolicy> sources,
                         const policy::StatementMatch& match) {
  for (const auto& source : sources) {
    if (source.policy.get() != match.policy) continue;
    MatchedStatement matched{
        .source_policy_id = source.id, .source_policy_type = source.type, .start = {}, .end = {}};
    if (match.statement_index < source.spans.size()) {
      matched.start = source.spans[match.statement_index].first;
      matched.end = source.spans[match.statement_index].second;
    }
    return matched;
  }
  return MatchedStatement{};
}

policy::PolicyDecision Evaluate(std::span<const SimulatorService::SourcePolicy> sources,
                                const policy::RequestContext& request) {
  std::vector<const policy::Policy*> pointers;
  pointers.reserve(sources.size());
  for (const auto& source : sources) pointers.push_back(source.policy.get());
  return policy::EvaluateIdentityPolicies(pointers, request);
}

// Condition keys of statements whose Action and Resource match the request but whose keys the
// request lacks.
void AddMissingKeys(std::vector<std::string>& missing,
                    std::span<const SimulatorService::SourcePolicy> sources,
                    const policy::RequestContext& request, const policy::ContextKeys& keys) {
  for (const auto& source : sources) {
    for (const policy::Statement& statement : source.policy->statements) {
      if (statement.conditions.empty()) continue;
      policy::Statement bare = statement;
      bare.conditions.clear();
      if (!policy::StatementMatches(bare, request)) continue;
      std::vector<std::string> used;
      policy::AddReferencedKeys(statement, used);
      for (const std::string& key : used) {
        if (keys.Find(key) == nullptr) policy::AddKeyOnce(key, missing);
      }
    }
  }
}

Result<std::size_t> MarkerOffset(std::string_view marker) {
  if (marker.empty()) return 0;
  std::size_t offset = 0;
  auto [end, error] = std::from_chars(marker.data(), marker.data() + marker.size(), offset);
  if (error != std::errc() || end != marker.data() + marker.size()) {
    return Fail(InvalidInput("Invalid Marker."));
  }
  return offset;
}

}  // namespace

std::string_view DecisionName(policy::Decision decision) {
  switch (decision) {
    case policy::Decision::kAllow:
      return "allowed";
    case policy::Decision::kExplicitDeny:
      return "explicitDeny";
    case policy::Decision::kImplicitDeny:
      break;
  }
  return "implicitDeny";
}

std::vector<std::pair<PolicyPosition, PolicyPosition>> StatementSpans(std::string_view text) {
  std::vector<std::pair<PolicyPosition, PolicyPosition>> spans;
  for (const auto& [start, end] : SpanReader(text).StatementOffsets()) {
    spans.emplace_back(PositionAt(text, start), PositionAt(text, end));
  }
  return spans;
}

SimulatorService::SimulatorService(const IamContext& context) : context_(context) {}

Result<SimulatorService::LoadedPrincipal> SimulatorService::LoadPrincipal(
    const services::Principal& caller, std::string_view policy_source_arn) {
  auto parsed = arn::Parse(policy_source_arn);
  if (!parsed) {
    return Fail(InvalidInput(parsed.error().message));
  }
  const std::string_view resource = parsed->resource;
  const std::size_t slash = resource.find('/');
  const std::string_view kind_name = resource.substr(0, slash);
  const std::string_view name = slash == std::string_view::npos
                                    ? std::string_view()
                                    : resource.substr(resource.rfind('/') + 1);
  if (parsed->service != "iam" ||
      (kind_name != "user" && kind_name != "group" && kind_name != "role") || name.empty()) {
    return Fail(InvalidInput(fmt::format(
        "Invalid ARN {}: PolicySourceArn must name a user, group or role.", policy_source_arn)));
  }
  const std::string& account = caller.account_id;
  auto no_such = [&] {
    return NoSuchEntity(fmt::format("The {} with name {} cannot be found.", kind_name, name));
  };
  if (parsed->account != account) {
    return Fail(no_such());
  }

  LoadedPrincipal loaded;
  loaded.arn = std::string(policy_source_arn);
  std::string boundary_arn;
  storage::PrincipalRef ref{
      .kind = storage::PrincipalKind::kUser, .account_id = account, .name = std::string(name)};
  if (kind_name == "user") {
    auto user = context_.iam.GetUser(account, name);
    if (!user) return Fail(FromStorage(user.error()));
    if (!user->has_value() || (*user)->arn != policy_source_arn) return Fail(no_such());
    boundary_arn = (*user)->permissions_boundary_arn;
    loaded.keys = {{"aws:username", (*user)->user_name},
                   {"aws:userid", (*user)->user_id},
                   {"aws:PrincipalArn", (*user)->arn}};
  } else if (kind_name == "group") {
    ref.kind = storage::PrincipalKind::kGroup;
    auto group = context_.iam.GetGroup(account, name);
    if (!group) return Fail(FromStorage(group.error()));
    if (!group->has_value() || (*group)->arn != policy_source_arn) return Fail(no_such());
  } else {
    ref.kind = storage::PrincipalKind::kRole;
    auto role = context_.iam.GetRole(account, name);
    if (!role) return Fail(FromStorage(role.error()));
    if (!role->has_value() || (*role)->arn != policy_source_arn) return Fail(no_such());
    boundary_arn = (*role)->permissions_boundary_arn;
    loaded.keys = {{"aws:PrincipalArn", (*role)->arn}};
  }

  auto managed_source = [&](const storage::ManagedPolicy& managed,
                            policy::PolicyKind kind) -> Result<SourcePolicy> {
    auto version = context_.iam.GetPolicyVersion(account, managed.arn, managed.default_version_id);
    if (!version) return Fail(FromStorage(version.error()));
    if (!version->has_value()) {
      return Fail(ServiceFailure(
          fmt::format("policy {} has no version {}", managed.arn, managed.default_version_id)));
    }
    return Source((*version)->document, kind, managed.policy_name,
                  managed.account_id.empty() ? "aws-managed" : "user-managed");
  };
  auto add_policies_of = [&](const storage::PrincipalRef& of) -> Result<void> {
    auto attached = ForEach<storage::ManagedPolicy>(
        [&](const storage::PageRequest& page) {
          return context_.iam.ListAttachedPolicies(of, "", page);
        },
        [&](const storage::ManagedPolicy& managed) -> Result<void> {
          auto source = managed_source(managed, policy::PolicyKind::kIdentity);
          if (!source) return Fail(source.error());
          loaded.identity.push_back(std::move(*source));
          return {};
        });
    if (!attached) return attached;
    const std::string type = of.kind == storage::PrincipalKind::kUser    ? "user"
                             : of.kind == storage::PrincipalKind::kGroup ? "group"
                                                                         : "role";
    return ForEach<storage::InlinePolicy>(
        [&](const storage::PageRequest& page) { return context_.iam.ListInlinePolicies(of, page); },
        [&](const storage::InlinePolicy& inline_policy) -> Result<void> {
          // Documents were validated on write; one that no longer parses grants nothing.
          auto source = Source(inline_policy.document, policy::PolicyKind::kIdentity,
                               inline_policy.policy_name, type);
          if (source) loaded.identity.push_back(std::move(*source));
          return {};
        });
  };

  if (auto added = add_policies_of(ref); !added) return Fail(added.error());
  if (ref.kind == storage::PrincipalKind::kUser) {
    auto groups = ForEach<storage::Group>(
        [&](const storage::PageRequest& page) {
          return context_.iam.ListGroupsForUser(account, ref.name, page);
        },
        [&](const storage::Group& group) {
          return add_policies_of(storage::PrincipalRef{.kind = storage::PrincipalKind::kGroup,
                                                       .account_id = account,
                                                       .name = group.group_name});
        });
    if (!groups) return Fail(groups.error());
  }
  if (!boundary_arn.empty()) {
    auto managed = context_.iam.GetPolicy(account, boundary_arn);
    if (!managed) return Fail(FromStorage(managed.error()));
    if (managed->has_value()) {
      auto source = managed_source(**managed, policy::PolicyKind::kPermissionsBoundary);
      if (!source) return Fail(source.error());
      loaded.boundary.push_back(std::move(*source));
    }
  }
  return loaded;
}

Result<SimulationResult> SimulatorService::Simulate(const LoadedPrincipal& principal,
                                                    const SimulationRequest& request) {
  auto inputs =
      InputPolicies(request.policy_input_list, policy::PolicyKind::kIdentity, "PolicyInputList");
  if (!inputs) return Fail(inputs.error());
  auto boundary_inputs =
      InputPolicies(request.permissions_boundary_policy_input_list,
                    policy::PolicyKind::kPermissionsBoundary, "PermissionsBoundaryPolicyInputList");
  if (!boundary_inputs) return Fail(boundary_inputs.error());
  for (const SimulationContextEntry& entry : request.context_entries) {
    if (auto checked = CheckContextEntry(entry); !checked) return Fail(checked.error());
  }
  auto offset = MarkerOffset(request.page.marker);
  if (!offset) return Fail(offset.error());

  std::vector<SourcePolicy> identity = principal.identity;
  for (auto& input : *inputs) identity.push_back(std::move(input));
  const std::vector<SourcePolicy>& boundary = request.permissions_boundary_policy_input_list.empty()
                                                  ? principal.boundary
                                                  : *boundary_inputs;

  policy::RequestContext base{.action = {},
                              .resource = {},
                              .principal_arn = request.caller_arn.value_or(principal.arn),
                              .keys = {}};
  for (const auto& [name, value] : principal.keys) base.keys[name] = {value};
  for (const SimulationContextEntry& entry : request.context_entries) {
    std::erase_if(base.keys, [&](const auto& key) {
      return policy::EqualsIgnoreCase(key.first, entry.key_name);
    });
    base.keys[entry.key_name] = entry.values;
  }
  const policy::ContextKeys keys(base.keys);

  const std::vector<std::string> resources =
      request.resource_arns.empty() ? std::vector<std::string>{"*"} : request.resource_arns;
  const std::size_t total = request.action_names.size() * resources.size();
  const std::size_t max_items = std::max<std::size_t>(request.page.max_items, 1);
  SimulationResult out;
  for (std::size_t index = *offset; index < total && out.results.size() < max_items; ++index) {
    policy::RequestContext pair = base;
    pair.action = request.action_names[index / resources.size()];
    pair.resource = resources[index % resources.size()];
    const policy::PolicyDecision by_identity = Evaluate(identity, pair);
    EvaluationResult result{.action_name = pair.action,
                            .resource_name = pair.resource,
                            .decision = policy::Decision::kImplicitDeny,
                            .matched_statements = {},
                            .missing_context_values = {},
                            .allowed_by_organizations = true,
                            .allowed_by_permissions_boundary = true};
    std::optional<policy::PolicyDecision> by_boundary;
    if (!boundary.empty()) {
      by_boundary = Evaluate(boundary, pair);
      result.allowed_by_permissions_boundary = by_boundary->decision == policy::Decision::kAllow;
    }
    auto add_matches = [&](const std::vector<SourcePolicy>& sources,
                           const policy::PolicyDecision& decision) {
      for (const auto& match : decision.deciding) {
        result.matched_statements.push_back(Matched(sources, match));
      }
    };
    if (by_identity.decision == policy::Decision::kExplicitDeny ||
        (by_boundary && by_boundary->decision == policy::Decision::kExplicitDeny)) {
      result.decision = policy::Decision::kExplicitDeny;
      if (by_identity.decision == policy::Decision::kExplicitDeny) {
        add_matches(identity, by_identity);
      }
      if (by_boundary && by_boundary->decision == policy::Decision::kExplicitDeny) {
        add_matches(boundary, *by_boundary);
      }
    } else if (by_identity.decision == policy::Decision::kAllow &&
               result.allowed_by_permissions_boundary) {
      result.decision = policy::Decision::kAllow;
      add_matches(identity, by_identity);
      if (by_boundary) add_matches(boundary, *by_boundary);
    }
    AddMissingKeys(result.missing_context_values, identity, pair, keys);
    AddMissingKeys(result.missing_context_values, boundary, pair, keys);
    out.results.push_back(std::move(result));
    if (out.results.size() == max_items && index + 1 < total) {
      out.next_marker = std::to_string(index + 1);
    }
  }
  return out;
}

Result<SimulationResult> SimulatorService::SimulatePrincipalPolicy(
    const services::Principal& caller, std::string_view policy_source_arn,
    const SimulationRequest& request) {
  auto principal = LoadPrincipal(caller, policy_source_arn);
  if (!principal) return Fail(principal.error());
  return Simulate(*principal, request);
}

Result<SimulationResult> SimulatorService::SimulateCustomPolicy(const services::Principal& caller,
                                                                const SimulationRequest& request) {
  LoadedPrincipal principal;
  principal.arn = caller.arn;
  return Simulate(principal, request);
}

Result<std::vector<std::string>> SimulatorService::GetContextKeysForPrincipalPolicy(
    const services::Principal& caller, std::string_view policy_source_arn,
    const std::vector<std::string>& policy_input_list) {
  auto inputs = InputPolicies(policy_input_list, policy::PolicyKind::kIdentity, "PolicyInputList");
  if (!inputs) return Fail(inputs.error());
  auto principal = LoadPrincipal(caller, policy_source_arn);
  if (!principal) return Fail(principal.error());
  std::vector<SourcePolicy> all = std::move(principal->identity);
  for (auto& input : *inputs) all.push_back(std::move(input));
  return KeysOf(all);
}

Result<std::vector<std::string>> SimulatorService::GetContextKeysForCustomPolicy(
    const std::vector<std::string>& policy_input_list) {
  auto inputs = InputPolicies(policy_input_list, policy::PolicyKind::kIdentity, "PolicyInputList");
  if (!inputs) return Fail(inputs.error());
  return KeysOf(*inputs);
}

}  // namespace fulcrum::services::iam
