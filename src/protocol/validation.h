#pragma once

// Validation of a decoded input document against its shape's constraints, as AWS performs it
// before an operation runs: required members, length of strings (in code points), blobs (in
// bytes), lists and maps, numeric ranges, enum values and patterns (see pattern.h for limits).
//
// The error follows the service's protocol:
//  * query (IAM, STS): "ValidationError", "1 validation error detected: Value 'x' at 'roleArn'
//    failed to satisfy constraint: Member must have length greater than or equal to 20", several
//    joined by "; " after "N validation errors detected: ".
//  * a model with an InvalidInputException that has a Reason (Organizations):
//    InvalidInputException with the Reason of the first violation (INPUT_REQUIRED,
//    MIN_LENGTH_EXCEEDED, INVALID_PATTERN, ...) in Error::fields.
//  * other JSON models (Account): "ValidationException" with the same message as query.
// Member paths are lower camel case ("roleArn"); list elements read "tags.1.member.key" and map
// entries "summaryMap.entry.1.value".

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/service_model.h"

namespace fulcrum::protocol {

struct Violation {
  enum class Kind {
    kRequired,
    kMinLength,
    kMaxLength,
    kMinValue,
    kMaxValue,
    kPattern,
    kEnum,
    kType,  // a query parameter that does not parse as its shape's type
  };
  Kind kind = Kind::kRequired;
  std::string path;                  // "tags.1.member.key"
  std::optional<std::string> value;  // as printed in the message; nullopt prints "Value at"
  bool null = false;                 // prints "Value null at"
  std::string constraint;            // "Member must have length greater than or equal to 20"
};

// The violations of `document` against `shape`, in member order. Values whose kind does not fit
// their shape are not checked (the decoders reject those). Thread-safe.
[[nodiscard]] std::vector<Violation> Validate(const Shape& shape,
                                              const boost::json::value& document);
// The same for a structure shape and an object document.
[[nodiscard]] std::vector<Violation> ValidateStructure(const Shape& shape,
                                                       const boost::json::object& document);

// "Value 'x' at 'roleArn' failed to satisfy constraint: <constraint>".
[[nodiscard]] std::string DescribeViolation(const Violation& violation);

// The error `model`'s protocol reports for `violations`.
// REQUIRES: !violations.empty().
[[nodiscard]] Error ValidationFailure(const ServiceModel& model,
                                      std::span<const Violation> violations);

// Validates `input` against `operation`'s input shape. On success, nothing; else the error of
// ValidationFailure.
[[nodiscard]] Result<void> ValidateInput(const ServiceModel& model, const Operation& operation,
                                         const boost::json::object& input);

}  // namespace fulcrum::protocol
