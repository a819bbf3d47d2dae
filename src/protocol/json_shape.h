#pragma once

// Shape-driven JSON reading and writing shared by awsJson1_1 (json.h) and restJson1
// (rest_json.h). Timestamps are epoch-second numbers, blobs base64 strings; members are keyed by
// locationName when the model gives one, else by member name. Thread-safe.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "protocol/service_model.h"

namespace fulcrum::protocol {

// Parses `body` (empty or whitespace is {}) and converts it to the input document of
// `shape` (a structure): unknown members and nulls are dropped, blobs base64-decoded, ISO 8601
// timestamp strings turned into epoch numbers. Errors: SerializationException for malformed
// JSON, a body that is not an object, or a value whose JSON kind does not fit its shape.
[[nodiscard]] Result<boost::json::object> ReadJsonInput(const Shape& shape, std::string_view body);

// Appends `object` as a JSON object of structure `shape`, members in shape order, absent and
// null members and values whose kind does not fit their shape left out.
void WriteJsonStructure(std::string& out, const Shape& shape, const boost::json::object& object);

// Appends the JSON error body {"__type": ..., "message": ..., <fields>...}; `type` is left out
// when empty. The message key is "Message" when the error shape has such a member (as
// Organizations writes it), else "message".
void WriteJsonError(std::string& out, std::string_view type, const Shape* shape,
                    const Error& error);

}  // namespace fulcrum::protocol
