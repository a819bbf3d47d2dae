#pragma once

// Service resolution: which of the four AWS services a request is for, from the request alone
// (wire notes, section 0): X-Amz-Target "AWSOrganizationsV20161128.*" is Organizations; a path of
// the Account API ("/getAlternateContact") is Account; a form with Version 2010-05-08 is IAM and
// with 2011-06-15 STS. The SigV4 credential scope must then name the same service (checked by
// auth/).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/service_model.h"
#include "sigv4/request.h"

namespace fulcrum::http {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// The value of the first parameter named `name`, or nullptr.
[[nodiscard]] const std::string* FindParam(const FormParams& params, std::string_view name);

// The query parameters of a query-protocol request: the form body of a POST, or the query string
// of a GET (presigned URLs). '+' decodes as a space, as in HTML forms.
[[nodiscard]] FormParams QueryProtocolParams(const sigv4::HttpRequest& request);

// nullopt when the request names none of the services.
[[nodiscard]] std::optional<protocol::ServiceId> ResolveService(const sigv4::HttpRequest& request,
                                                                const FormParams& params);

// The service whose SigV4 signing name is `signing_name` ("iam", "sts", ...), if any.
[[nodiscard]] std::optional<protocol::ServiceId> ServiceBySigningName(
    std::string_view signing_name);

}  // namespace fulcrum::http
