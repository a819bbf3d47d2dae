#include "protocol/rest_json.h"

#include <boost/json.hpp>

#include "protocol/errors.h"
#include "protocol/json_shape.h"
#include "protocol/validation.h"

namespace fulcrum::protocol {

namespace {
constexpr std::string_view kContentType = "application/json";
}  // namespace

Result<DecodedInput> DecodeRestJson(const ServiceModel& model, std::string_view method,
                                    std::string_view path, std::string_view body) {
  const Operation* operation = model.FindOperationByHttp(method, path);
  if (operation == nullptr) {
    return Fail("UnknownOperationException",
                "No operation matches " + std::string(method) + " " + std::string(path));
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

EncodedResponse EncodeRestJsonResult(const ServiceModel& /*model*/, const Operation& operation,
                                     const boost::json::value& output,
                                     std::string_view request_id) {
  EncodedResponse response;
  response.status = operation.http_response_code;
  response.content_type = kContentType;
  response.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  if (operation.output == nullptr) return response;
  const boost::json::object* object = output.if_object();
  if (object == nullptr) {
    response.body = "{}";
    return response;
  }
  response.body.reserve(256);
  WriteJsonStructure(response.body, *operation.output, *object);
  return response;
}

EncodedResponse EncodeRestJsonError(const ServiceModel& model, const Error& error,
                                    std::string_view request_id) {
  const WireError wire = ResolveError(model, error.code);
  EncodedResponse response;
  response.status = wire.status;
  response.content_type = kContentType;
  response.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  response.headers.emplace_back("x-amzn-ErrorType", wire.code);
  WriteJsonError(response.body, {}, wire.shape, error);
  return response;
}

}  // namespace fulcrum::protocol
