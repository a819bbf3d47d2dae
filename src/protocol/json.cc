#include "protocol/json.h"

#include <boost/json.hpp>

#include "protocol/errors.h"
#include "protocol/json_shape.h"
#include "protocol/validation.h"

namespace fulcrum::protocol {

namespace {
constexpr std::string_view kContentType = "application/x-amz-json-1.1";
}  // namespace

Result<DecodedInput> DecodeJson(const ServiceModel& model, std::string_view x_amz_target,
                                std::string_view body) {
  const Operation* operation = nullptr;
  const std::string& prefix = model.target_prefix();
  if (x_amz_target.size() > prefix.size() + 1 && x_amz_target.starts_with(prefix) &&
      x_amz_target[prefix.size()] == '.') {
    operation = model.FindOperation(x_amz_target.substr(prefix.size() + 1));
  }
  if (operation == nullptr) {
    return Fail("UnknownOperationException",
                "Unknown operation " +
                    std::string(x_amz_target.empty() ? "(no X-Amz-Target)" : x_amz_target));
  }
  DecodedInput decoded{operation, {}};
  if (operation->input == nullptr) return decoded;
  auto input = ReadJsonInput(*operation->input, body);
  if (!input) return tl::unexpected(input.error());
  decoded.input = std::move(*input);
  if (auto valid = ValidateInput(model, *operation, decoded.input); !valid) {
    return tl::unexpected(valid.error());
  }
  return decoded;
}

EncodedResponse EncodeJsonResult(const ServiceModel& /*model*/, const Operation& operation,
                                 const boost::json::value& output, std::string_view request_id) {
  EncodedResponse response;
  response.status = 200;
  response.content_type = kContentType;
  response.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  const boost::json::object* object = output.if_object();
  if (operation.output == nullptr || object == nullptr) {
    response.body = "{}";
    return response;
  }
  response.body.reserve(256);
  WriteJsonStructure(response.body, *operation.output, *object);
  return response;
}

EncodedResponse EncodeJsonError(const ServiceModel& model, const Error& error,
                                std::string_view request_id) {
  const WireError wire = ResolveError(model, error.code);
  EncodedResponse response;
  response.status = wire.status;
  response.content_type = kContentType;
  response.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  WriteJsonError(response.body, wire.code, wire.shape, error);
  return response;
}

}  // namespace fulcrum::protocol
