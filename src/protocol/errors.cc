#include "protocol/errors.h"

#include <optional>
#include <utility>

namespace fulcrum::protocol {
namespace {

struct StatusEntry {
  std::string_view code;
  int status;
};

// AWS's common errors, per protocol. Query: the IAM/STS common errors; JSON 1.1: as
// Organizations answers them (400 for client errors); restJson1: as Account answers them (403
// for authentication failures, 429 for throttling, 404 for an unknown route).
constexpr StatusEntry kQueryStatuses[] = {
    {"AccessDenied", 403},
    {"ExpiredToken", 403},
    {"IncompleteSignature", 400},
    {"InternalFailure", 500},
    {"InvalidAction", 400},
    {"InvalidClientTokenId", 403},
    {"InvalidParameterCombination", 400},
    {"InvalidParameterValue", 400},
    {"InvalidQueryParameter", 400},
    {"MalformedQueryString", 404},
    {"MissingAction", 400},
    {"MissingAuthenticationToken", 403},
    {"MissingParameter", 400},
    {"NotAuthorized", 400},
    {"OptInRequired", 403},
    {"RequestExpired", 400},
    {"ServiceFailure", 500},
    {"ServiceUnavailable", 503},
    {"SignatureDoesNotMatch", 403},
    {"Throttling", 400},
    {"ValidationError", 400},
};

constexpr StatusEntry kJsonStatuses[] = {
    {"AccessDeniedException", 400},
    {"ExpiredTokenException", 400},
    {"IncompleteSignatureException", 400},
    {"InternalFailure", 500},
    {"InternalServerException", 500},
    {"InvalidSignatureException", 400},
    {"MissingAuthenticationTokenException", 400},
    {"RequestExpired", 400},
    {"SerializationException", 400},
    {"ServiceException", 500},
    {"ServiceUnavailable", 503},
    {"ThrottlingException", 400},
    {"TooManyRequestsException", 400},
    {"UnknownOperationException", 400},
    {"UnrecognizedClientException", 400},
    {"ValidationException", 400},
};

constexpr StatusEntry kRestJsonStatuses[] = {
    {"AccessDeniedException", 403},
    {"ExpiredTokenException", 403},
    {"IncompleteSignatureException", 403},
    {"InternalFailure", 500},
    {"InternalServerException", 500},
    {"InvalidSignatureException", 403},
    {"MissingAuthenticationTokenException", 403},
    {"RequestExpired", 403},
    {"SerializationException", 400},
    {"ServiceException", 500},
    {"ServiceUnavailable", 503},
    {"ThrottlingException", 429},
    {"TooManyRequestsException", 429},
    {"UnknownOperationException", 404},
    {"UnrecognizedClientException", 403},
    {"ValidationException", 400},
};

// The JSON protocols' names of the query-style common errors.
constexpr std::pair<std::string_view, std::string_view> kJsonNames[] = {
    {"AccessDenied", "AccessDeniedException"},
    {"ExpiredToken", "ExpiredTokenException"},
    {"IncompleteSignature", "IncompleteSignatureException"},
    {"InvalidAction", "UnknownOperationException"},
    {"InvalidClientTokenId", "UnrecognizedClientException"},
    {"MissingAction", "UnknownOperationException"},
    {"MissingAuthenticationToken", "MissingAuthenticationTokenException"},
    {"SignatureDoesNotMatch", "InvalidSignatureException"},
    {"ValidationError", "ValidationException"},
};

template <std::size_t N>
std::optional<int> Lookup(const StatusEntry (&table)[N], std::string_view code) {
  for (const StatusEntry& entry : table) {
    if (entry.code == code) return entry.status;
  }
  return std::nullopt;
}

std::string JsonCode(const ServiceModel& model, std::string_view code) {
  for (const auto& [query_name, json_name] : kJsonNames) {
    if (query_name == code) return std::string(json_name);
  }
  if (code == "Throttling") {
    return model.FindError("TooManyRequestsException") != nullptr ? "TooManyRequestsException"
                                                                  : "ThrottlingException";
  }
  if (code == "InternalFailure" || code == "ServiceFailure") {
    if (model.FindError("ServiceException") != nullptr) return "ServiceException";
    if (model.FindError("InternalServerException") != nullptr) return "InternalServerException";
    return "InternalFailure";
  }
  return std::string(code);
}

}  // namespace

WireError ResolveError(const ServiceModel& model, std::string_view code) {
  WireError wire;
  wire.code = model.protocol() == ProtocolKind::kQuery ? std::string(code) : JsonCode(model, code);
  wire.shape = model.FindError(wire.code);
  if (wire.shape == nullptr && model.protocol() == ProtocolKind::kQuery) {
    // STS models ExpiredToken as "ExpiredTokenException" (400); the auth layer raises the
    // shorter common name.
    wire.shape = model.FindError(wire.code + "Exception");
  }
  std::optional<int> status;
  if (wire.shape != nullptr && wire.shape->error && wire.shape->error->http_status) {
    status = wire.shape->error->http_status;
  }
  if (!status) {
    switch (model.protocol()) {
      case ProtocolKind::kQuery:
        status = Lookup(kQueryStatuses, wire.code);
        break;
      case ProtocolKind::kJson:
        status = Lookup(kJsonStatuses, wire.code);
        break;
      case ProtocolKind::kRestJson:
        status = Lookup(kRestJsonStatuses, wire.code);
        break;
    }
  }
  wire.status = status.value_or(400);
  if (wire.shape != nullptr && wire.shape->error) {
    wire.sender_fault = wire.shape->error->sender_fault;
  } else if (wire.shape != nullptr && wire.shape->fault) {
    wire.sender_fault = false;
  } else {
    wire.sender_fault = wire.status < 500;
  }
  return wire;
}

int ErrorStatus(const ServiceModel& model, std::string_view code) {
  return ResolveError(model, code).status;
}

}  // namespace fulcrum::protocol
