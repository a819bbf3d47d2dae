// libFuzzer target: ParsePolicy must never crash, whatever the input and the policy kind, and a
// policy it accepts must evaluate without crashing. Built only with clang (src/policy/
// CMakeLists.txt) or by scripts/fuzz-policy.sh.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "policy/document.h"
#include "policy/evaluate.h"

namespace {

using fulcrum::policy::Policy;
using fulcrum::policy::PolicyKind;

constexpr PolicyKind kKinds[] = {PolicyKind::kIdentity, PolicyKind::kResource,
                                 PolicyKind::kPermissionsBoundary, PolicyKind::kServiceControl,
                                 PolicyKind::kSession};

// A request with a few keys of each type, so that conditions and variables get exercised.
const fulcrum::policy::RequestContext& Request() {
  static const fulcrum::policy::RequestContext request{
      .action = "iam:CreateUser",
      .resource = "arn:aws:iam::111122223333:user/alice",
      .principal_arn = "arn:aws:iam::111122223333:user/alice",
      .keys = {{"aws:username", {"alice"}},
               {"aws:PrincipalArn", {"arn:aws:iam::111122223333:user/alice"}},
               {"aws:PrincipalAccount", {"111122223333"}},
               {"aws:SourceIp", {"203.0.113.7"}},
               {"aws:CurrentTime", {"2026-01-01T00:00:00Z"}},
               {"aws:MultiFactorAuthPresent", {"true"}},
               {"aws:TagKeys", {"team", "project"}},
               {"aws:PrincipalTag/team", {"dev"}}}};
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const PolicyKind kind : kKinds) {
    const auto parsed = fulcrum::policy::ParsePolicy(text, kind);
    if (!parsed) {
      continue;
    }
    const Policy* policy = parsed->get();
    const std::vector<const Policy*> policies{policy};
    fulcrum::policy::EvaluationInput input;
    switch (kind) {
      case PolicyKind::kResource:
        input.resource = policies;
        input.same_account = false;
        break;
      case PolicyKind::kPermissionsBoundary:
        input.identity = policies;
        input.permissions_boundary = std::span<const Policy* const>(policies);
        break;
      case PolicyKind::kServiceControl:
        input.scp_levels.emplace_back(policies);
        break;
      case PolicyKind::kSession:
        input.session = std::span<const Policy* const>(policies);
        break;
      case PolicyKind::kIdentity:
        input.identity = policies;
        break;
    }
    (void)fulcrum::policy::Evaluate(input, Request());
    (void)fulcrum::policy::EvaluateIdentityPolicies(policies, Request());
  }
  return 0;
}
