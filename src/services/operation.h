#pragma once

// The operation table: one row per AWS operation a service implements. The HTTP layer finds the
// row by wire name after decoding, authorizes with the row's IAM action and resource, and runs the
// row's handler. Handlers exchange the protocol-neutral document (boost::json) with the codecs; the
// binding from document to typed request lives in each service's operations.cc, so service logic
// only sees typed values.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "services/principal.h"

namespace fulcrum::services {

// What every handler may know about the request besides its input.
struct RequestContext {
  const Principal& principal;
  // The region of the SigV4 credential scope.
  std::string_view region;
  std::string_view request_id;
  TimePoint now;
  // The caller's IP address as the server saw it (aws:SourceIp); empty when unknown.
  std::string_view source_ip = {};
  // The operation's IAM action ("iam:CreateUser").
  std::string_view iam_action = {};
};

using Handler =
    std::function<Result<boost::json::value>(const RequestContext&, const boost::json::object&)>;

// Returns the ARN of the resource an operation acts on, for authorization ("*" when none).
using ResourceResolver =
    std::function<std::string(const RequestContext&, const boost::json::object&)>;

// Condition keys of one request and their values ("aws:RequestTag/team" -> {"infra"}).
using ConditionKeys = std::unordered_map<std::string, std::vector<std::string>>;

// Returns the condition keys that come from the request's input (aws:RequestTag/*, aws:TagKeys,
// iam:PolicyARN, ...), for authorization. Keys that do not apply are left out, as on AWS. Must not
// read the store.
using ConditionKeysResolver =
    std::function<ConditionKeys(const RequestContext&, const boost::json::object&)>;

// Returns the condition keys that come from the resource the operation acts on (`resource`, as
// the row's ResourceResolver returned it): aws:ResourceTag/*, the target's permissions
// boundary, ... They may be read from the store; the authorizer keeps them, per action and
// resource, until the next IAM write through this process (and for at most its cache lifetime).
using ResourceKeysResolver =
    std::function<ConditionKeys(const RequestContext&, std::string_view resource)>;

struct OperationRow {
  // The wire name, as in the AWS model ("GetCallerIdentity").
  std::string_view name;
  // The IAM action the caller needs ("sts:GetCallerIdentity").
  std::string_view iam_action = {};
  // True for the few operations AWS lets anyone with valid credentials call.
  bool skip_authorization = false;
  ResourceResolver resource;
  Handler handler;
  // May be empty: the operation adds no condition keys of its own.
  ConditionKeysResolver condition_keys = {};
  // May be empty: the resource brings no condition keys.
  ResourceKeysResolver resource_keys = {};
};

// An immutable set of rows, looked up by wire name. Thread-safe after construction.
class OperationTable {
 public:
  explicit OperationTable(std::vector<OperationRow> rows);

  // nullptr when the service does not implement `name`.
  [[nodiscard]] const OperationRow* Find(std::string_view name) const;
  [[nodiscard]] std::span<const OperationRow> rows() const { return rows_; }

 private:
  std::vector<OperationRow> rows_;  // sorted by name
};

}  // namespace fulcrum::services
