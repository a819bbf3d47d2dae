#pragma once

// The IAM condition keys that come from a request and the resource it acts on, for the authorizer.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-policy-keys
//
// - aws:RequestTag/<key> and aws:TagKeys from the request's Tags; aws:TagKeys from TagKeys
//   (the Untag* operations).
// - iam:PolicyARN from PolicyArn (Attach*/Detach*, the policy and version operations).
// - iam:PermissionsBoundary from PermissionsBoundary (CreateUser, CreateRole,
//   Put*PermissionsBoundary) or, for the other operations AWS lists for the key, the boundary the
//   target user or role already has.
// - iam:AWSServiceName from AWSServiceName (CreateServiceLinkedRole).
// - aws:ResourceTag/<key> and iam:ResourceTag/<key> from the tags of the target user, role or
//   customer managed policy of the caller's account.
// Keys that do not apply are absent, as on AWS.

#include "services/iam/context.h"
#include "services/operation.h"

namespace fulcrum::services::iam {

// The keys of the request's input: aws:RequestTag/*, aws:TagKeys, iam:PolicyARN,
// iam:PermissionsBoundary (requested), iam:AWSServiceName.
[[nodiscard]] ConditionKeysResolver IamRequestKeys();

// The keys of the target: aws:ResourceTag/*, iam:ResourceTag/*, and iam:PermissionsBoundary (the
// target's own, for the operations AWS lists). The request's keys are applied after these, so a
// requested boundary wins. REQUIRES: `context` outlives the resolver.
[[nodiscard]] ResourceKeysResolver IamResourceKeys(const IamContext& context);

}  // namespace fulcrum::services::iam
