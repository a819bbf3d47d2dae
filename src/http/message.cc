#include "http/message.h"

namespace fulcrum::http {

std::string_view HeaderValue(const sigv4::HttpRequest& request, std::string_view name) {
  return sigv4::FindHeader(request, name).value_or(std::string_view());
}

std::string_view TargetPath(std::string_view target) {
  const std::string_view path = sigv4::SplitTarget(target).path;
  return path.empty() ? std::string_view("/") : path;
}

std::string_view TargetQuery(std::string_view target) { return sigv4::SplitTarget(target).query; }

}  // namespace fulcrum::http
