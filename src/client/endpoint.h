#pragma once

// Endpoint resolution: the URL a service is called at and the SigV4 region and service name it is
// signed for. Follows the SDKs' configured-endpoint rules,
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html, first found wins:
//  1. ClientOverrides::endpoint_url (--endpoint-url);
//  2. AWS_ENDPOINT_URL_<SERVICE> (AWS_ENDPOINT_URL_IAM, _STS, _ORGANIZATIONS, _ACCOUNT);
//  3. AWS_ENDPOINT_URL;
//  4. `<service> = \n  endpoint_url = URL` in the `[services NAME]` section that the profile's
//     `services = NAME` names;
//  5. `endpoint_url` in the profile.
// Sources 2-5 are ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true or the profile sets
// `ignore_configured_endpoint_urls = true`.
//
// An overridden endpoint is signed for the configured region (the region is then required), as
// botocore's endpoint rule sets do when `Endpoint` is set. Otherwise the AWS defaults apply, from
// botocore's endpoints.json and endpoint-rule-set-1.json (partitions aws, aws-cn, aws-us-gov):
//   IAM            https://iam.amazonaws.com, us-east-1 (global; iam.cn-north-1.amazonaws.com.cn,
//                  iam.us-gov.amazonaws.com signed us-gov-west-1)
//   STS            https://sts.<region>.amazonaws.com, the region (regional endpoints are the
//                  default of current SDKs; region "aws-global" gives https://sts.amazonaws.com)
//   Organizations  https://organizations.us-east-1.amazonaws.com, us-east-1 (global;
//                  cn-northwest-1, us-gov-west-1 in the other partitions)
//   Account        https://account.us-east-1.amazonaws.com, us-east-1 (global)
// FIPS and dual-stack variants are not modelled.
//
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "client/environment.h"
#include "client/profile.h"
#include "common/result.h"

namespace fulcrum::client {

enum class Service { kIam, kSts, kOrganizations, kAccount };

// The SigV4 signing name ("iam", "sts", "organizations", "account").
[[nodiscard]] std::string_view SigningName(Service service);

// An http(s) URL split for a request: scheme "http" or "https", `authority` as written (host and
// optional port, IPv6 in brackets; this is the Host header), `path` without query ("" or "/x").
struct EndpointUrl {
  std::string scheme;
  std::string authority;
  std::string path;

  // scheme://authority/path, with "/" for an empty path.
  [[nodiscard]] std::string ToString() const;
};

// On success, the parts of `url`. Fails with InvalidEndpoint for anything but an absolute http or
// https URL with a host (user info, fragments and queries are refused).
[[nodiscard]] Result<EndpointUrl> ParseEndpointUrl(std::string_view url);

struct ServiceEndpoint {
  Service service = Service::kIam;
  EndpointUrl url;
  std::string signing_region;
  std::string signing_name;
  // Where the URL came from: "--endpoint-url", "AWS_ENDPOINT_URL_IAM", "profile default", ...
  // or "AWS default".
  std::string source;
};

// On success, the endpoint of `service` for `profile`. Fails with NoRegion when the endpoint needs
// a region (an overridden endpoint, or STS) and none is configured, and with InvalidEndpoint when
// the configured URL is not an http(s) URL.
[[nodiscard]] Result<ServiceEndpoint> ResolveEndpoint(Service service,
                                                      const ClientOverrides& overrides,
                                                      const Profile& profile,
                                                      const Environment& environment);

}  // namespace fulcrum::client
