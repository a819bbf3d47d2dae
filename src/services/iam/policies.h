#pragma once

// PoliciesService: the managed policies (AWS managed and the caller account's own) with their
// versions, their attachments to users, groups and roles, and the inline policies of users,
// groups and roles, as AWS IAM has them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
//
// Every method acts in the caller's account (caller.account_id): other accounts' principals and
// policies are reported as missing. AWS managed policies (see managed_catalogue.h) are visible to
// every account, read-only, with the attachment counts of the caller's account.
//
// Documents are checked on write: policy::ParsePolicy validates the grammar
// (MalformedPolicyDocument), and the size quotas of IAM are checked here (LimitExceeded):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
//
// The codec has checked lengths, patterns and enums against the IAM model before a method is
// called; the methods check the rules the model cannot express.
//
// Thread safety: safe to call from any number of threads at once (the service keeps no state of
// its own; the stores and the Random of the context are thread-safe).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "policy/document.h"
#include "services/iam/context.h"
#include "services/operation.h"
#include "services/principal.h"
#include "storage/iam_records.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

// IAM quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
inline constexpr size_t kMaxManagedPoliciesPerPrincipal = 10;
inline constexpr size_t kMaxPolicyVersions = 5;
inline constexpr size_t kMaxTagsPerPolicy = 50;
// Characters, not counting white space.
inline constexpr size_t kMaxManagedPolicySize = 6144;
inline constexpr size_t kMaxUserInlinePoliciesSize = 2048;   // All of a user's, together.
inline constexpr size_t kMaxGroupInlinePoliciesSize = 5120;  // All of a group's, together.
inline constexpr size_t kMaxRoleInlinePoliciesSize = 10240;  // All of a role's, together.
inline constexpr size_t kMaxTrustPolicySize = 2048;

// The size IAM counts against its quotas: the characters of `document` (UTF-8 code points)
// other than JSON white space (space, tab, line feed, carriage return).
[[nodiscard]] size_t PolicySize(std::string_view document);

// Parses `document` as a policy of `kind` (policy::ParsePolicy). On failure, its
// MalformedPolicyDocument (or LimitExceeded) error.
[[nodiscard]] Result<void> CheckPolicyGrammar(std::string_view document, policy::PolicyKind kind);

// A policy document as IAM puts it in responses (GetPolicyVersion, GetUserPolicy, GetRole's
// AssumeRolePolicyDocument, GetAccountAuthorizationDetails): percent-encoded as RFC 3986 says,
// every byte outside A-Za-z0-9-_.~ as %XX. The AWS CLI and boto3 decode it; other SDKs hand it
// to the caller as is.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html
[[nodiscard]] std::string UrlEncodedDocument(std::string_view document);

// "arn:aws:iam::<account_id>:policy<path><policy_name>".
[[nodiscard]] std::string CustomerPolicyArn(std::string_view account_id, std::string_view path,
                                            std::string_view policy_name);

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
struct CreatePolicyRequest {
  std::string policy_name;
  std::string path = "/";
  std::string policy_document;
  std::string description;
  storage::Tags tags;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
struct ListPoliciesRequest {
  storage::PolicyScope scope = storage::PolicyScope::kAll;
  bool only_attached = false;
  std::string path_prefix;  // Empty = every path.
  // PolicyUsageFilter: nullopt = any use.
  std::optional<storage::PolicyUse> usage;
};

// A user, group or role of the caller's account, by name.
struct PrincipalName {
  storage::PrincipalKind kind = storage::PrincipalKind::kUser;
  std::string name;
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUserPolicy.html (and Group, Role).
struct InlinePolicyDocument {
  std::string principal_name;  // As the request named it.
  std::string policy_name;
  std::string document;  // As written.
};

using Tag = std::pair<std::string, std::string>;

// A page of `tags` from an offset marker (the decimal index of the first tag). Fails with
// InvalidInput ("Invalid Marker.") for any other marker.
[[nodiscard]] Result<storage::Page<Tag>> TagPage(storage::Tags tags,
                                                 const storage::PageRequest& page);

class PoliciesService {
 public:
  // The service keeps a copy of `context`. REQUIRES: the context's references outlive the
  // service.
  explicit PoliciesService(const IamContext& context);

  // Ships the AWS managed policies into the store (InstallAwsManagedPolicies). The server calls it
  // once at start-up, before serving requests.
  [[nodiscard]] Result<void> InstallAwsManagedPolicies();

  // ---- Managed policies

  // On success, the new policy ("ANPA..." id, ARN from path and name, version v1 the default,
  // created now). Fails with MalformedPolicyDocument (grammar, or no "Version": "2012-10-17"),
  // LimitExceeded ("Cannot exceed quota for PolicySize: 6144", or more than kMaxTagsPerPolicy
  // tags), InvalidInput (duplicate tag keys) or EntityAlreadyExists ("A policy called X already
  // exists. Duplicate names are not allowed.").
  [[nodiscard]] Result<storage::ManagedPolicy> CreatePolicy(const Principal& caller,
                                                            const CreatePolicyRequest& request);
  // The policy with the caller account's counts. Fails with InvalidInput (not an ARN) or
  // NoSuchEntity ("Policy X was not found.").
  [[nodiscard]] Result<storage::ManagedPolicy> GetPolicy(const Principal& caller,
                                                         std::string_view policy_arn);
  // Policies visible to the caller's account, by name, AWS managed before local ones of the same
  // name. Fails with InvalidInput (marker).
  [[nodiscard]] Result<storage::Page<storage::ManagedPolicy>> ListPolicies(
      const Principal& caller, const ListPoliciesRequest& request,
      const storage::PageRequest& page);
  // Fails with InvalidInput, NoSuchEntity, or DeleteConflict while the policy is attached, is a
  // permissions boundary, or has versions besides the default one.
  [[nodiscard]] Result<void> DeletePolicy(const Principal& caller, std::string_view policy_arn);

  // ---- Versions

  // On success, the new version ("v<N>", created now). Fails with InvalidInput, NoSuchEntity,
  // MalformedPolicyDocument, or LimitExceeded (the policy has kMaxPolicyVersions versions: "A
  // managed policy can have up to 5 versions. ...", or the document is over
  // kMaxManagedPolicySize).
  [[nodiscard]] Result<storage::PolicyVersion> CreatePolicyVersion(const Principal& caller,
                                                                   std::string_view policy_arn,
                                                                   std::string_view document,
                                                                   bool set_as_default);
  // Fails with InvalidInput or NoSuchEntity (policy or version).
  [[nodiscard]] Result<storage::PolicyVersion> GetPolicyVersion(const Principal& caller,
                                                                std::string_view policy_arn,
                                                                std::string_view version_id);
  // Newest first. Fails with InvalidInput or NoSuchEntity.
  [[nodiscard]] Result<storage::Page<storage::PolicyVersion>> ListPolicyVersions(
      const Principal& caller, std::string_view policy_arn, const storage::PageRequest& page);
  // Fails with InvalidInput, NoSuchEntity, or DeleteConflict for the default version.
  [[nodiscard]] Result<void> DeletePolicyVersion(const Principal& caller,
                                                 std::string_view policy_arn,
                                                 std::string_view version_id);
  // Fails with InvalidInput or NoSuchEntity (policy or version).
  [[nodiscard]] Result<void> SetDefaultPolicyVersion(const Principal& caller,
                                                     std::string_view policy_arn,
                                                     std::string_view version_id);

  // ---- Tags of the caller account's policies (keys match exactly)

  // Fails with InvalidInput (duplicate keys), NoSuchEntity, or LimitExceeded (more than
  // kMaxTagsPerPolicy).
  [[nodiscard]] Result<void> TagPolicy(const Principal& caller, std::string_view policy_arn,
                                       const storage::Tags& tags);
  [[nodiscard]] Result<void> UntagPolicy(const Principal& caller, std::string_view policy_arn,
                                         const std::vector<std::string>& keys);
  [[nodiscard]] Result<storage::Page<Tag>> ListPolicyTags(const Principal& caller,
                                                          std::string_view policy_arn,
                                                          const storage::PageRequest& page);

  // ---- Attachments

  // Attaching an attached policy again succeeds. Fails with InvalidInput (not an ARN),
  // NoSuchEntity (principal, or "Policy X does not exist or is not attachable."),
  // PolicyNotAttachable, UnmodifiableEntity (a service-linked role), or LimitExceeded ("Cannot
  // exceed quota for PoliciesPerUser: 10").
  [[nodiscard]] Result<void> AttachPolicy(const Principal& caller, const PrincipalName& principal,
                                          std::string_view policy_arn);
  // Fails with InvalidInput, NoSuchEntity (principal, or the policy is not attached to it) or
  // UnmodifiableEntity.
  [[nodiscard]] Result<void> DetachPolicy(const Principal& caller, const PrincipalName& principal,
                                          std::string_view policy_arn);
  // In the order they were attached. Fails with NoSuchEntity or InvalidInput (marker).
  [[nodiscard]] Result<storage::Page<storage::ManagedPolicy>> ListAttachedPolicies(
      const Principal& caller, const PrincipalName& principal, std::string_view path_prefix,
      const storage::PageRequest& page);
  // The principals the policy is attached to, users then groups then roles, each by name; of
  // `kind` only when set. `boundaries` asks for the users and roles that use the policy as their
  // permissions boundary instead (the store cannot list them yet: an empty page). Fails with
  // InvalidInput or NoSuchEntity.
  [[nodiscard]] Result<storage::Page<storage::PolicyEntity>> ListEntitiesForPolicy(
      const Principal& caller, std::string_view policy_arn,
      std::optional<storage::PrincipalKind> kind, std::string_view path_prefix, bool boundaries,
      const storage::PageRequest& page);

  // ---- Inline policies

  // Creates or replaces the inline policy. Fails with NoSuchEntity, MalformedPolicyDocument,
  // UnmodifiableEntity, or LimitExceeded when the principal's inline policies together would
  // exceed their quota ("Maximum policy size of 2048 bytes exceeded for user X").
  [[nodiscard]] Result<void> PutInlinePolicy(const Principal& caller,
                                             const PrincipalName& principal,
                                             std::string_view policy_name,
                                             std::string_view document);
  // Fails with NoSuchEntity ("The user policy with name X cannot be found.").
  [[nodiscard]] Result<InlinePolicyDocument> GetInlinePolicy(const Principal& caller,
                                                             const PrincipalName& principal,
                                                             std::string_view policy_name);
  // The names, bytewise ordered. Fails with NoSuchEntity or InvalidInput (marker).
  [[nodiscard]] Result<storage::Page<std::string>> ListInlinePolicies(
      const Principal& caller, const PrincipalName& principal, const storage::PageRequest& page);
  // Fails with NoSuchEntity or UnmodifiableEntity.
  [[nodiscard]] Result<void> DeleteInlinePolicy(const Principal& caller,
                                                const PrincipalName& principal,
                                                std::string_view policy_name);

  // ---- Resources for authorization (OperationRow::resource)

  // The ARN of the user, group or role of the caller's account (its stored path, "/" when it does
  // not exist).
  [[nodiscard]] std::string PrincipalResource(const Principal& caller,
                                              const PrincipalName& principal) const;

 private:
  [[nodiscard]] storage::PrincipalRef RefOf(const Principal& caller,
                                            const PrincipalName& principal) const;
  // Fails with NoSuchEntity unless the principal exists; with UnmodifiableEntity for a
  // service-linked role when `changing`.
  [[nodiscard]] Result<void> CheckPrincipal(const Principal& caller, const PrincipalName& principal,
                                            bool changing) const;
  // The visible policy with the caller's counts, as AWS reports it, or NoSuchEntity.
  [[nodiscard]] Result<storage::ManagedPolicy> FindPolicy(const Principal& caller,
                                                          std::string_view policy_arn) const;

  IamContext context_;
};

// Appends the rows of the managed policy, version, attachment and inline policy operations
// (CreatePolicy ... DeleteRolePolicy). REQUIRES: `service` outlives the rows.
void AddPoliciesOperations(PoliciesService& service, std::vector<OperationRow>& rows);

}  // namespace fulcrum::services::iam
