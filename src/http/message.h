#pragma once

// The HTTP layer's request and response values. The router is a pure function from one to the
// other; only server.cc touches sockets.

#include <string>
#include <utility>
#include <vector>

#include "sigv4/request.h"

namespace fulcrum::http {

struct Request {
  // Method, raw target, headers as received (original case, in order) and body.
  sigv4::HttpRequest message;
  // The peer's address, for the access log and for loopback-only endpoints.
  std::string remote_address;
  bool remote_is_loopback = false;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// The value of the first header named `name` (ASCII case-insensitive), or empty.
[[nodiscard]] std::string_view HeaderValue(const sigv4::HttpRequest& request,
                                           std::string_view name);

// The path of a request target, without the query; the absolute form ("http://host:port/p?q")
// gives "/p". An empty path is "/".
[[nodiscard]] std::string_view TargetPath(std::string_view target);
// The raw query of a request target, without '?'; empty when there is none.
[[nodiscard]] std::string_view TargetQuery(std::string_view target);

}  // namespace fulcrum::http
