#include "client/endpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace fulcrum::client {
namespace {

std::string_view EnvSuffix(Service service) {
  switch (service) {
    case Service::kIam:
      return "IAM";
    case Service::kSts:
      return "STS";
    case Service::kOrganizations:
      return "ORGANIZATIONS";
    case Service::kAccount:
      return "ACCOUNT";
  }
  return "";
}

bool IsTrue(const std::optional<std::string>& value) {
  if (!value) {
    return false;
  }
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "true";
}

// A configured URL and where it came from.
struct Configured {
  std::string url;
  std::string source;
};

std::optional<Configured> FindConfigured(Service service, const ClientOverrides& overrides,
                                         const Profile& profile, const Environment& environment) {
  if (overrides.endpoint_url && !overrides.endpoint_url->empty()) {
    return Configured{*overrides.endpoint_url, "--endpoint-url"};
  }
  if (IsTrue(Lookup(environment, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
      IsTrue(profile.Setting("ignore_configured_endpoint_urls"))) {
    return std::nullopt;
  }
  const std::string service_variable = fmt::format("AWS_ENDPOINT_URL_{}", EnvSuffix(service));
  if (auto url = Lookup(environment, service_variable)) {
    return Configured{*url, service_variable};
  }
  if (auto url = Lookup(environment, "AWS_ENDPOINT_URL")) {
    return Configured{*url, "AWS_ENDPOINT_URL"};
  }
  if (auto services = profile.Setting("services")) {
    const std::string section = "services " + *services;
    if (auto url =
            profile.config_file.Get(section, fmt::format("{}.endpoint_url", SigningName(service)));
        url && !url->empty()) {
      return Configured{*url, fmt::format("[{}] in {}", section, profile.config_path.string())};
    }
  }
  if (auto url = profile.Setting("endpoint_url")) {
    return Configured{*url, fmt::format("profile {}", profile.name)};
  }
  return std::nullopt;
}

Error NoRegion(const Profile& profile, std::string_view why) {
  return Error{"NoRegion",
               fmt::format("You must specify a region {}: pass --region, set AWS_REGION or "
                           "AWS_DEFAULT_REGION, or add region to profile {}",
                           why, profile.name),
               {}};
}

// The default endpoint of `service` and its signing region, by partition.
Result<std::pair<std::string, std::string>> DefaultEndpoint(Service service,
                                                            const Profile& profile) {
  const std::string region = profile.region.value_or("");
  const bool china = region.starts_with("cn-");
  const bool gov = region.starts_with("us-gov-");
  switch (service) {
    case Service::kIam:
      if (china) {
        return std::pair<std::string, std::string>{"https://iam.cn-north-1.amazonaws.com.cn",
                                                   "cn-north-1"};
      }
      if (gov) {
        return std::pair<std::string, std::string>{"https://iam.us-gov.amazonaws.com",
                                                   "us-gov-west-1"};
      }
      return std::pair<std::string, std::string>{"https://iam.amazonaws.com", "us-east-1"};
    case Service::kSts:
      if (region.empty()) {
        return Fail(NoRegion(profile, "for STS"));
      }
      if (region == "aws-global") {
        return std::pair<std::string, std::string>{"https://sts.amazonaws.com", "us-east-1"};
      }
      return std::pair<std::string, std::string>{
          fmt::format("https://sts.{}.amazonaws.com{}", region, china ? ".cn" : ""), region};
    case Service::kOrganizations:
      if (china) {
        return std::pair<std::string, std::string>{
            "https://organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"};
      }
      if (gov) {
        return std::pair<std::string, std::string>{
            "https://organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"};
      }
      return std::pair<std::string, std::string>{"https://organizations.us-east-1.amazonaws.com",
                                                 "us-east-1"};
    case Service::kAccount:
      if (china) {
        return std::pair<std::string, std::string>{
            "https://account.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"};
      }
      return std::pair<std::string, std::string>{"https://account.us-east-1.amazonaws.com",
                                                 "us-east-1"};
  }
  return Fail("InvalidEndpoint", "unknown service");
}

}  // namespace

std::string_view SigningName(Service service) {
  switch (service) {
    case Service::kIam:
      return "iam";
    case Service::kSts:
      return "sts";
    case Service::kOrganizations:
      return "organizations";
    case Service::kAccount:
      return "account";
  }
  return "";
}

std::string EndpointUrl::ToString() const {
  return fmt::format("{}://{}{}", scheme, authority, path.empty() ? "/" : path);
}

Result<EndpointUrl> ParseEndpointUrl(std::string_view url) {
  const auto invalid = [url](std::string_view why) {
    return Fail("InvalidEndpoint", fmt::format("Invalid endpoint: {} ({})", url, why));
  };
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return invalid("expected http://HOST[:PORT] or https://HOST[:PORT]");
  }
  std::string scheme(url.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https") {
    return invalid("the scheme must be http or https");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.empty()) {
    return invalid("no host");
  }
  if (authority.find('@') != std::string_view::npos) {
    return invalid("user information is not allowed");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return invalid("a query or fragment is not allowed");
  }
  // The port, when present, is digits after the last ':' outside IPv6 brackets.
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (authority.front() == '[' && bracket == std::string_view::npos) {
    return invalid("unclosed IPv6 address");
  }
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        colon == 0) {
      return invalid("bad port");
    }
  }
  std::string path(rest);
  if (path == "/") {
    path.clear();
  }
  return EndpointUrl{std::move(scheme), std::string(authority), std::move(path)};
}

Result<ServiceEndpoint> ResolveEndpoint(Service service, const ClientOverrides& overrides,
                                        const Profile& profile, const Environment& environment) {
  ServiceEndpoint endpoint;
  endpoint.service = service;
  endpoint.signing_name = std::string(SigningName(service));
  if (auto configured = FindConfigured(service, overrides, profile, environment)) {
    auto url = ParseEndpointUrl(configured->url);
    if (!url) {
      url.error().message += fmt::format(", from {}", configured->source);
      return Fail(url.error());
    }
    if (!profile.region) {
      return Fail(NoRegion(profile, fmt::format("to sign requests to {}", configured->url)));
    }
    endpoint.url = std::move(*url);
    endpoint.signing_region = *profile.region;
    endpoint.source = std::move(configured->source);
    return endpoint;
  }
  auto fallback = DefaultEndpoint(service, profile);
  if (!fallback) {
    return Fail(fallback.error());
  }
  auto url = ParseEndpointUrl(fallback->first);
  if (!url) {
    return Fail(url.error());
  }
  endpoint.url = std::move(*url);
  endpoint.signing_region = std::move(fallback->second);
  endpoint.source = "AWS default";
  return endpoint;
}

}  // namespace fulcrum::client
