#pragma once

// FulcrumPlane: the two non-AWS endpoints of a Fulcrum account plane that the CLI uses,
// GET /_fulcrum/health and the loopback admin endpoint /_fulcrum/admin/ (JSON over HTTP with
// `Authorization: Bearer <admin token>`; see the server's admin.h for the operations). Never
// called for an endpoint that AWS's defaults resolve to.
//
// Thread-safety: not thread-safe (one transport).

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>
#include <string_view>

#include "client/endpoint.h"
#include "client/http_transport.h"
#include "common/result.h"

namespace fulcrum::cli {

class FulcrumPlane {
 public:
  explicit FulcrumPlane(client::EndpointUrl endpoint);

  // True when GET /_fulcrum/health answers 200 {"status":"ok"}.
  [[nodiscard]] bool Healthy();

  // Sends `method` /_fulcrum/admin/<path> with `body` (none when empty) and the bearer `token`.
  // On success, the JSON object answered with status `expected`. Fails with "AdminEndpointError"
  // naming the URL and the server's error code and message, or with the transport's error.
  [[nodiscard]] Result<boost::json::object> Admin(std::string_view method, std::string_view path,
                                                  const std::string& token,
                                                  const boost::json::object& body, long expected);

  [[nodiscard]] const client::EndpointUrl& endpoint() const { return endpoint_; }

 private:
  [[nodiscard]] Result<client::HttpResponse> Send(std::string_view method, std::string_view path,
                                                  std::string body, const std::string& token);

  client::EndpointUrl endpoint_;
  client::CurlTransport transport_;
};

// The admin token kept in `file` (a data dir's admin-token), trimmed.
[[nodiscard]] Result<std::string> ReadAdminToken(const std::filesystem::path& file);

}  // namespace fulcrum::cli
