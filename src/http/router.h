#pragma once

// Router: the pure request handler of the account plane. One pipeline for every request:
// resolve the service -> authenticate (SigV4) -> decode the operation's input (protocol codec) ->
// find the operation's table row -> authorize -> execute -> encode the result or the error.
// Paths under /_fulcrum/ are Fulcrum's own: the health check and the admin endpoint.
//
// Every response carries x-amzn-RequestId and Date. Each request writes one access-log line that
// holds no secret: no signature, session token, password or secret key. Thread-safe.

#include <spdlog/logger.h>

#include <array>
#include <functional>
#include <memory>

#include "auth/authenticator.h"
#include "auth/authorizer.h"
#include "common/clock.h"
#include "http/message.h"
#include "protocol/service_model.h"
#include "services/operation.h"

namespace fulcrum::http {

// Serves /_fulcrum/admin/...; called only for loopback peers.
using AdminHandler = std::function<Response(const Request&)>;

// The operation tables of the four services, indexed by protocol::ServiceId.
struct RouterServices {
  static constexpr std::size_t kServiceCount = 4;
  std::array<const services::OperationTable*, kServiceCount> tables{};
};

class Router {
 public:
  // REQUIRES: the references and tables outlive the router. `access_log` may be null.
  Router(auth::Authenticator& authenticator, auth::Authorizer& authorizer, const Clock& clock,
         RouterServices services, AdminHandler admin, std::shared_ptr<spdlog::logger> access_log);

  [[nodiscard]] Response Handle(const Request& request);

 private:
  struct Outcome {
    Response response;
    std::string_view service;
    std::string operation;
    std::string error_code;
    std::string access_key_id;
  };

  [[nodiscard]] Outcome HandleAws(const Request& request, std::string_view request_id);
  [[nodiscard]] Outcome HandleFulcrum(const Request& request, std::string_view path);

  auth::Authenticator& authenticator_;
  auth::Authorizer& authorizer_;
  const Clock& clock_;
  RouterServices services_;
  AdminHandler admin_;
  std::shared_ptr<spdlog::logger> access_log_;
};

}  // namespace fulcrum::http
