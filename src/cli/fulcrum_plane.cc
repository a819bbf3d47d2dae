#include "cli/fulcrum_plane.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <utility>

#include "common/atomic_file.h"

namespace fulcrum::cli {

namespace json = boost::json;

FulcrumPlane::FulcrumPlane(client::EndpointUrl endpoint)
    : endpoint_(std::move(endpoint)),
      transport_(client::TransportOptions{.connect_timeout = std::chrono::seconds(3),
                                          .total_timeout = std::chrono::seconds(15)}) {}

bool FulcrumPlane::Healthy() {
  auto response = Send("GET", "/_fulcrum/health", "", "");
  if (!response || response->status != 200) return false;
  boost::system::error_code error;
  const json::value body = json::parse(response->body, error);
  if (error || !body.is_object()) return false;
  const json::value* status = body.as_object().if_contains("status");
  return status != nullptr && status->is_string() && status->get_string() == "ok";
}

Result<json::object> FulcrumPlane::Admin(std::string_view method, std::string_view path,
                                         const std::string& token, const json::object& body,
                                         long expected) {
  const std::string target = fmt::format("/_fulcrum/admin/{}", path);
  auto response = Send(method, target, body.empty() ? "" : json::serialize(body), token);
  if (!response) return Fail(response.error());
  boost::system::error_code error;
  json::value parsed = json::parse(response->body, error);
  if (response->status == expected && !error && parsed.is_object()) {
    return std::move(parsed.as_object());
  }
  std::string reason = fmt::format("HTTP {}", response->status);
  if (!error && parsed.is_object()) {
    const json::value* failure = parsed.as_object().if_contains("error");
    if (failure != nullptr && failure->is_object()) {
      const json::value* code = failure->as_object().if_contains("code");
      const json::value* message = failure->as_object().if_contains("message");
      if (code != nullptr && code->is_string() && message != nullptr && message->is_string()) {
        reason = fmt::format("{}: {}", std::string_view(code->get_string()),
                             std::string_view(message->get_string()));
      }
    }
  }
  return Fail("AdminEndpointError",
              fmt::format("{} {}{} failed: {}", method, endpoint_.ToString(), target, reason));
}

Result<client::HttpResponse> FulcrumPlane::Send(std::string_view method, std::string_view path,
                                                std::string body, const std::string& token) {
  std::string base = endpoint_.path;
  while (!base.empty() && base.back() == '/') base.pop_back();
  sigv4::HttpRequest request{std::string(method), base + std::string(path), {}, std::move(body)};
  request.headers.emplace_back("Host", endpoint_.authority);
  if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  return transport_.Send(endpoint_, request);
}

Result<std::string> ReadAdminToken(const std::filesystem::path& file) {
  auto text = ReadWholeFile(file);
  if (!text) return Fail(text.error());
  std::string token = std::move(*text);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) return Fail("InvalidAdminToken", file.string() + " is empty");
  return token;
}

}  // namespace fulcrum::cli
