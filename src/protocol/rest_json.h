#pragma once

// The restJson1 protocol (Account): the operation is chosen by HTTP method and path
// ("POST /getAlternateContact"), the input is the JSON body. Errors carry the
// `x-amzn-ErrorType` header and {"message": ...}.
// https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
//
// Limits: members bound to the URI, query string or headers ("location") are not supported;
// none of the Account operations in the models has one. All functions are thread-safe.

#include <boost/json/value.hpp>
#include <string_view>

#include "common/result.h"
#include "protocol/message.h"
#include "protocol/service_model.h"

namespace fulcrum::protocol {

// Decodes a request from its method, path (a "?query" suffix is ignored) and body. On success,
// the operation and its validated input. Errors: UnknownOperationException (no operation bound
// to the route; 404), SerializationException, ValidationException (validation.h).
// REQUIRES: model.protocol() == ProtocolKind::kRestJson.
[[nodiscard]] Result<DecodedInput> DecodeRestJson(const ServiceModel& model,
                                                  std::string_view method, std::string_view path,
                                                  std::string_view body);

// The operation's modelled status (200), application/json, the output as JSON; an empty body
// for operations without output, as AWS answers them.
[[nodiscard]] EncodedResponse EncodeRestJsonResult(const ServiceModel& model,
                                                   const Operation& operation,
                                                   const boost::json::value& output,
                                                   std::string_view request_id);

// `x-amzn-ErrorType: <Code>` and {"message":"..."} plus Error::fields, with the status of
// ResolveError.
[[nodiscard]] EncodedResponse EncodeRestJsonError(const ServiceModel& model, const Error& error,
                                                  std::string_view request_id);

}  // namespace fulcrum::protocol
