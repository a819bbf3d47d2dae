#pragma once

// The awsJson1_1 protocol (Organizations): POST / with X-Amz-Target "<targetPrefix>.<Op>" and a
// JSON body. https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
// Timestamps are epoch seconds (JSON numbers; JS v3 rejects strings), blobs base64, absent
// members are left out. All functions are thread-safe.

#include <boost/json/value.hpp>
#include <string_view>

#include "common/result.h"
#include "protocol/message.h"
#include "protocol/service_model.h"

namespace fulcrum::protocol {

// Decodes a request from its X-Amz-Target header value and body. On success, the operation and
// its validated input. Errors: UnknownOperationException (target without the model's prefix or
// naming no operation); SerializationException (malformed JSON, kinds that do not fit the
// shape); validation errors per validation.h (InvalidInputException with a Reason for
// Organizations).
// REQUIRES: model.protocol() == ProtocolKind::kJson.
[[nodiscard]] Result<DecodedInput> DecodeJson(const ServiceModel& model,
                                              std::string_view x_amz_target, std::string_view body);

// 200, application/x-amz-json-1.1, the output as JSON ({} for operations without output).
[[nodiscard]] EncodedResponse EncodeJsonResult(const ServiceModel& model,
                                               const Operation& operation,
                                               const boost::json::value& output,
                                               std::string_view request_id);

// {"__type":"<Code>","message":"..."} plus Error::fields, with the status of ResolveError.
[[nodiscard]] EncodedResponse EncodeJsonError(const ServiceModel& model, const Error& error,
                                              std::string_view request_id);

}  // namespace fulcrum::protocol
