#pragma once

// The protocol-neutral entry points: encode an operation's output document or an Error in the
// wire format of the service's protocol (query.h, json.h, rest_json.h). Decoding depends on what
// the request carries, so callers use DecodeQuery, DecodeJson or DecodeRestJson directly.
// All functions are thread-safe.

#include <boost/json/value.hpp>
#include <string_view>

#include "common/result.h"
#include "protocol/errors.h"
#include "protocol/message.h"
#include "protocol/service_model.h"

namespace fulcrum::protocol {

// The success response of `operation` with `output` (its output document, message.h).
// REQUIRES: `operation` belongs to `model`.
[[nodiscard]] EncodedResponse EncodeResult(const ServiceModel& model, const Operation& operation,
                                           const boost::json::value& output,
                                           std::string_view request_id);

// The error response for `error`; code, status and form per errors.h and the protocol.
[[nodiscard]] EncodedResponse EncodeError(const ServiceModel& model, const Error& error,
                                          std::string_view request_id);

}  // namespace fulcrum::protocol
