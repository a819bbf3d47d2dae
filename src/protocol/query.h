#pragma once

// The awsQuery protocol (IAM, STS): form parameters in, XML out.
// https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
//
// Request parameters: Action and Version, then members by name: nested structures as "A.B",
// lists as "Name.member.N" (1-based; "Name.N" when flattened; "Name=" is an empty list), maps as
// "Name.entry.N.key" / "Name.entry.N.value". Booleans are true/false, timestamps ISO 8601,
// blobs base64. Unknown parameters are ignored, as AWS does.
//
// All functions are thread-safe.

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "protocol/message.h"
#include "protocol/service_model.h"

namespace fulcrum::protocol {

// Decodes the form (or query string) parameters of a request to a query-protocol service,
// already split and percent-decoded, in order. On success, the operation named by Action and its
// validated input document. Errors: InvalidAction ("Could not find operation X for version V",
// also for a missing Action or a Version other than the model's); ValidationError for values
// that do not parse as their type or break the input shape's constraints (see validation.h).
// REQUIRES: model.protocol() == ProtocolKind::kQuery.
[[nodiscard]] Result<DecodedInput> DecodeQuery(
    const ServiceModel& model, const std::vector<std::pair<std::string, std::string>>& params);

// `<OpResponse xmlns=NS><OpResult>...</OpResult><ResponseMetadata><RequestId>id</RequestId>
// </ResponseMetadata></OpResponse>`, text/xml, 200; OpResult is left out when the operation has
// no output. Members follow the output shape's order; required lists are written even when
// absent (`<AccessKeyMetadata/>`). Values whose kind does not fit their shape are left out.
// REQUIRES: model.protocol() == ProtocolKind::kQuery; `operation` belongs to `model`.
[[nodiscard]] EncodedResponse EncodeQueryResult(const ServiceModel& model,
                                                const Operation& operation,
                                                const boost::json::value& output,
                                                std::string_view request_id);

// `<ErrorResponse xmlns=NS><Error><Type>Sender|Receiver</Type><Code>..</Code><Message>..
// </Message></Error><RequestId>..</RequestId></ErrorResponse>` with the status of
// ResolveError (errors.h).
[[nodiscard]] EncodedResponse EncodeQueryError(const ServiceModel& model, const Error& error,
                                               std::string_view request_id);

}  // namespace fulcrum::protocol
