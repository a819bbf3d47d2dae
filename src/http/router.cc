#include "http/router.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "common/ids.h"
#include "common/time_format.h"
#include "http/service_resolver.h"
#include "protocol/codec.h"
#include "protocol/json.h"
#include "protocol/query.h"
#include "protocol/rest_json.h"

namespace fulcrum::http {
namespace {

constexpr std::string_view kFulcrumPrefix = "/_fulcrum/";

Response FromEncoded(protocol::EncodedResponse encoded) {
  Response response{encoded.status, std::move(encoded.headers), std::move(encoded.body)};
  response.headers.emplace_back("Content-Type", std::move(encoded.content_type));
  return response;
}

Response JsonResponse(int status, std::string body) {
  return Response{status, {{"Content-Type", "application/json"}}, std::move(body)};
}

// True for operations that change nothing (by AWS's naming of its read operations).
bool IsReadOnly(std::string_view operation) {
  for (const std::string_view prefix : {"Get", "List", "Generate", "Simulate", "Describe"}) {
    if (operation.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

// The Date header value, formatted once per second per thread.
const std::string& HttpDate(TimePoint now) {
  thread_local std::chrono::sys_seconds cached_second{};
  thread_local std::string cached;
  const auto second = std::chrono::floor<std::chrono::seconds>(now);
  if (second != cached_second || cached.empty()) {
    cached_second = second;
    cached = FormatHttpDate(now);
  }
  return cached;
}

}  // namespace

Router::Router(auth::Authenticator& authenticator, auth::Authorizer& authorizer, const Clock& clock,
               RouterServices services, AdminHandler admin,
               std::shared_ptr<spdlog::logger> access_log)
    : authenticator_(authenticator),
      authorizer_(authorizer),
      clock_(clock),
      services_(services),
      admin_(std::move(admin)),
      access_log_(std::move(access_log)) {}

Response Router::Handle(const Request& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string request_id = NewRequestId();
  const std::string_view path = TargetPath(request.message.target);
  Outcome outcome = path.starts_with(kFulcrumPrefix) ? HandleFulcrum(request, path)
                                                     : HandleAws(request, request_id);
  // The protocol codecs already set it on AWS responses.
  const bool has_request_id = std::any_of(
      outcome.response.headers.begin(), outcome.response.headers.end(),
      [](const auto& header) { return sigv4::EqualsIgnoreCase(header.first, "x-amzn-RequestId"); });
  if (!has_request_id) {
    outcome.response.headers.emplace_back("x-amzn-RequestId", request_id);
  }
  outcome.response.headers.emplace_back("Date", HttpDate(clock_.Now()));
  if (access_log_) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
    access_log_->info("{} {} {} {} {}.{} {} {} key={} {}us", request_id, request.remote_address,
                      request.message.method, path, outcome.service.empty() ? "-" : outcome.service,
                      outcome.operation.empty() ? "-" : outcome.operation, outcome.response.status,
                      outcome.error_code.empty() ? "-" : outcome.error_code,
                      outcome.access_key_id.empty() ? "-" : outcome.access_key_id, micros);
  }
  return std::move(outcome.response);
}

Router::Outcome Router::HandleAws(const Request& request, std::string_view request_id) {
  const sigv4::HttpRequest& message = request.message;
  Outcome outcome;
  const FormParams params = QueryProtocolParams(message);
  const auto service = ResolveService(message, params);
  auto auth_params = sigv4::ParseAuthentication(message);
  if (auth_params) {
    outcome.access_key_id = auth_params->access_key_id;
  }

  if (!service) {
    // The request names no operation we know; answer in the protocol of the service its
    // credential scope names, if any.
    const auto scoped = auth_params ? ServiceBySigningName(auth_params->service)
                                    : std::optional<protocol::ServiceId>();
    const auto& model = protocol::Model(scoped.value_or(protocol::ServiceId::kIam));
    Error error = !auth_params
                      ? auth_params.error()
                      : Error{"InvalidAction",
                              "Could not find an operation in the request: send Action and Version "
                              "(IAM, STS), X-Amz-Target (Organizations) or an Account API path.",
                              {}};
    outcome.error_code = error.code;
    outcome.response = FromEncoded(protocol::EncodeError(model, error, request_id));
    return outcome;
  }

  const auto& model = protocol::Model(*service);
  outcome.service = model.signing_name();
  auto fail = [&](const Error& error) {
    outcome.error_code = error.code;
    outcome.response = FromEncoded(protocol::EncodeError(model, error, request_id));
    return std::move(outcome);
  };
  if (!auth_params) {
    return fail(auth_params.error());
  }
  auto principal = authenticator_.Authenticate(message, *auth_params, model.signing_name());
  if (!principal) {
    return fail(principal.error());
  }

  Result<protocol::DecodedInput> decoded = [&]() -> Result<protocol::DecodedInput> {
    switch (model.protocol()) {
      case protocol::ProtocolKind::kQuery:
        return protocol::DecodeQuery(model, params);
      case protocol::ProtocolKind::kJson:
        return protocol::DecodeJson(model, HeaderValue(message, "x-amz-target"), message.body);
      case protocol::ProtocolKind::kRestJson:
        return protocol::DecodeRestJson(model, message.method, TargetPath(message.target),
                                        message.body);
    }
    return Fail("InternalFailure", "unknown protocol");
  }();
  if (!decoded) {
    return fail(decoded.error());
  }
  outcome.operation = decoded->operation->name;

  const services::OperationTable* table = services_.tables[static_cast<std::size_t>(*service)];
  const services::OperationRow* row = table == nullptr ? nullptr : table->Find(outcome.operation);
  if (row == nullptr) {
    return fail(Error{"InvalidAction",
                      fmt::format("Fulcrum does not implement {}:{} yet.", model.signing_name(),
                                  outcome.operation),
                      {}});
  }

  const services::RequestContext context{.principal = *principal,
                                         .region = auth_params->region,
                                         .request_id = request_id,
                                         .now = clock_.Now(),
                                         .source_ip = request.remote_address,
                                         .iam_action = row->iam_action};
  if (!row->skip_authorization) {
    const std::string resource =
        row->resource ? row->resource(context, decoded->input) : std::string("*");
    auth::AuthorizationRequest authorization{.action = row->iam_action,
                                             .resource = resource,
                                             .region = auth_params->region,
                                             .source_ip = request.remote_address,
                                             .request_keys = {},
                                             .resource_keys = {}};
    if (row->condition_keys) {
      authorization.request_keys = [&] { return row->condition_keys(context, decoded->input); };
    }
    if (row->resource_keys) {
      authorization.resource_keys = [&] { return row->resource_keys(context, resource); };
    }
    if (auto allowed = authorizer_.Authorize(*principal, authorization); !allowed) {
      return fail(allowed.error());
    }
  }
  auto output = row->handler(context, decoded->input);
  if (*service == protocol::ServiceId::kIam && !IsReadOnly(outcome.operation)) {
    // Whatever an IAM write changed (policies, groups, users) must count from the next request.
    authorizer_.InvalidateAll();
  }
  if (!output) {
    return fail(output.error());
  }
  outcome.response =
      FromEncoded(protocol::EncodeResult(model, *decoded->operation, *output, request_id));
  return outcome;
}

Router::Outcome Router::HandleFulcrum(const Request& request, std::string_view path) {
  Outcome outcome;
  outcome.service = "fulcrum";
  if (path == "/_fulcrum/health") {
    outcome.operation = "Health";
    outcome.response = JsonResponse(200, R"({"status":"ok"})");
    return outcome;
  }
  if (path.starts_with("/_fulcrum/admin/")) {
    outcome.operation = "Admin";
    if (!request.remote_is_loopback) {
      outcome.response = JsonResponse(
          403,
          R"({"error":{"code":"AccessDenied","message":"the admin endpoint is loopback-only"}})");
    } else if (admin_) {
      outcome.response = admin_(request);
    } else {
      outcome.response = JsonResponse(
          404, R"({"error":{"code":"NotFound","message":"the admin endpoint is not enabled"}})");
    }
    return outcome;
  }
  outcome.response =
      JsonResponse(404, R"({"error":{"code":"NotFound","message":"no such Fulcrum endpoint"}})");
  return outcome;
}

}  // namespace fulcrum::http
