#include "http/service_resolver.h"

#include "common/encoding.h"
#include "http/message.h"

namespace fulcrum::http {

const std::string* FindParam(const FormParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

FormParams QueryProtocolParams(const sigv4::HttpRequest& request) {
  if (request.method == "GET") {
    return ParseQueryString(TargetQuery(request.target), /*plus_as_space=*/true);
  }
  const std::string_view content_type = HeaderValue(request, "content-type");
  if (!content_type.starts_with("application/x-www-form-urlencoded")) {
    return {};
  }
  return ParseQueryString(request.body, /*plus_as_space=*/true);
}

std::optional<protocol::ServiceId> ResolveService(const sigv4::HttpRequest& request,
                                                  const FormParams& params) {
  const std::string_view target = HeaderValue(request, "x-amz-target");
  if (!target.empty()) {
    const auto& organizations = protocol::Model(protocol::ServiceId::kOrganizations);
    if (target.starts_with(organizations.target_prefix()) &&
        target.size() > organizations.target_prefix().size() &&
        target[organizations.target_prefix().size()] == '.') {
      return protocol::ServiceId::kOrganizations;
    }
    return std::nullopt;
  }
  if (const std::string* version = FindParam(params, "Version"); version != nullptr) {
    for (const auto id : {protocol::ServiceId::kIam, protocol::ServiceId::kSts}) {
      if (*version == protocol::Model(id).api_version()) {
        return id;
      }
    }
    return std::nullopt;
  }
  const std::string_view path = TargetPath(request.target);
  if (path != "/" &&
      protocol::Model(protocol::ServiceId::kAccount).FindOperationByHttp(request.method, path) !=
          nullptr) {
    return protocol::ServiceId::kAccount;
  }
  return std::nullopt;
}

std::optional<protocol::ServiceId> ServiceBySigningName(std::string_view signing_name) {
  for (const auto id : {protocol::ServiceId::kIam, protocol::ServiceId::kSts,
                        protocol::ServiceId::kOrganizations, protocol::ServiceId::kAccount}) {
    if (protocol::Model(id).signing_name() == signing_name) {
      return id;
    }
  }
  return std::nullopt;
}

}  // namespace fulcrum::http
