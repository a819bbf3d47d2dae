#pragma once

// The catalogue of AWS managed policies (arn:aws:iam::aws:policy/...): their metadata and the
// document of their default version as AWS has them, from data/aws-managed-policies/*.json,
// embedded in the binary at build time.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
//
// The policies are the same in every account, so the IAM store keeps each once, with an empty
// account_id (IamStore::CreatePolicy), and counts attachments per account. The store numbers a
// policy's first version "v1" and dates it with the policy's creation, so the store's default
// version of an AWS managed policy holds the catalogue's document under another id and date:
// AsAwsHasIt() maps the store's records to what AWS reports (DefaultVersionId "v188", UpdateDate,
// the version's CreateDate). Every reader of AWS managed policies from the store applies it.
//
// Thread safety: everything here is safe to call from any number of threads at once.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "storage/iam_records.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html
struct AwsManagedPolicy {
  std::string policy_name;  // "ReadOnlyAccess"
  std::string policy_id;    // "ANPAILL3HVNFSB6DCOWYQ"
  std::string arn;          // "arn:aws:iam::aws:policy/ReadOnlyAccess"
  std::string path;         // "/", "/job-function/", "/aws-service-role/"
  std::string version_id;   // The default version: "v188".
  bool is_attachable = true;
  std::string description;  // Empty when not known.
  TimePoint created;
  // When the default version was created (AWS's UpdateDate of the policy).
  TimePoint updated;
  std::string document;  // The default version's document, as compact JSON.

  bool operator==(const AwsManagedPolicy&) const = default;
};

// On success, the policy described by one data file (see data/aws-managed-policies/README.md).
// Fails with InvalidInput naming the fault.
[[nodiscard]] Result<AwsManagedPolicy> ParseAwsManagedPolicy(std::string_view file_text);

// The embedded catalogue, parsed on first use, ordered by ARN. Fails (every time) with the error
// of the first malformed data file; the unit tests rule that out.
[[nodiscard]] const Result<std::vector<AwsManagedPolicy>>& AwsManagedPolicies();

// The catalogue's policy with this ARN (exact match), or nullptr.
[[nodiscard]] const AwsManagedPolicy* FindAwsManagedPolicy(std::string_view arn);

// Ships the catalogue into `store`: creates the AWS managed policies it lacks, and where a stored
// policy's default document differs from the catalogue's (Fulcrum was upgraded), adds the new
// document as the default version and deletes the others. Idempotent; the server calls it at
// start-up, before serving requests. Costs one read per policy when nothing changed.
[[nodiscard]] Result<void> InstallAwsManagedPolicies(storage::IamStore& store);

// The stored policy as AWS reports it: for an AWS managed policy of the catalogue, its
// default_version_id, created and updated come from the catalogue; other policies are unchanged.
[[nodiscard]] storage::ManagedPolicy AsAwsHasIt(storage::ManagedPolicy policy);

// The stored default version of an AWS managed policy of the catalogue as AWS reports it (the
// catalogue's version id and date); other versions are unchanged.
// REQUIRES: for an AWS managed policy, `version` is the store's default version.
[[nodiscard]] storage::PolicyVersion AsAwsHasIt(storage::PolicyVersion version);

}  // namespace fulcrum::services::iam
