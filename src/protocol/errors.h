#pragma once

// How an Error (code + message, raised anywhere in Fulcrum) appears on the wire of a service:
// its code in that protocol, its HTTP status and whether it is the sender's fault.
//
// Services and the auth layer raise the query-style names of the common AWS errors
// (InvalidClientTokenId, SignatureDoesNotMatch, IncompleteSignature, MissingAuthenticationToken,
// ExpiredToken, AccessDenied, Throttling, ValidationError, InvalidAction, InternalFailure /
// ServiceFailure); the JSON protocols receive their own names (UnrecognizedClientException,
// InvalidSignatureException, ..., TooManyRequestsException where the model has it, else
// ThrottlingException). The status comes from the model's error shape when it has one
// (httpStatusCode), else from a table of AWS's common errors per protocol, else 400.
// Common errors: https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
// All functions are pure and thread-safe.

#include <string>
#include <string_view>

#include "protocol/service_model.h"

namespace fulcrum::protocol {

struct WireError {
  std::string code;              // the code in `model`'s protocol
  int status = 400;              // HTTP status
  bool sender_fault = true;      // query <Type>: Sender, else Receiver
  const Shape* shape = nullptr;  // the modelled error shape, when there is one
};

// How `code` is reported by `model`'s protocol.
[[nodiscard]] WireError ResolveError(const ServiceModel& model, std::string_view code);

// The HTTP status of `code` in `model` (ResolveError(model, code).status).
[[nodiscard]] int ErrorStatus(const ServiceModel& model, std::string_view code);

}  // namespace fulcrum::protocol
