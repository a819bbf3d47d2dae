#include "protocol/codec.h"

#include "protocol/json.h"
#include "protocol/query.h"
#include "protocol/rest_json.h"

namespace fulcrum::protocol {

EncodedResponse EncodeResult(const ServiceModel& model, const Operation& operation,
                             const boost::json::value& output, std::string_view request_id) {
  switch (model.protocol()) {
    case ProtocolKind::kQuery:
      return EncodeQueryResult(model, operation, output, request_id);
    case ProtocolKind::kJson:
      return EncodeJsonResult(model, operation, output, request_id);
    case ProtocolKind::kRestJson:
      return EncodeRestJsonResult(model, operation, output, request_id);
  }
  return EncodeJsonResult(model, operation, output, request_id);
}

EncodedResponse EncodeError(const ServiceModel& model, const Error& error,
                            std::string_view request_id) {
  switch (model.protocol()) {
    case ProtocolKind::kQuery:
      return EncodeQueryError(model, error, request_id);
    case ProtocolKind::kJson:
      return EncodeJsonError(model, error, request_id);
    case ProtocolKind::kRestJson:
      return EncodeRestJsonError(model, error, request_id);
  }
  return EncodeJsonError(model, error, request_id);
}

}  // namespace fulcrum::protocol
