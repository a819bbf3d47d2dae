#include "protocol/errors.h"

#include <gtest/gtest.h>

namespace fulcrum::protocol {
namespace {

TEST(ErrorsTest, StatusAndWireCodePerService) {
  const struct {
    ServiceId service;
    const char* raised;
    const char* code;
    int status;
    bool sender_fault;
  } cases[] = {
      // Query: modelled errors take the model's status.
      {ServiceId::kIam, "NoSuchEntity", "NoSuchEntity", 404, true},
      {ServiceId::kIam, "EntityAlreadyExists", "EntityAlreadyExists", 409, true},
      {ServiceId::kIam, "LimitExceeded", "LimitExceeded", 409, true},
      {ServiceId::kIam, "ReportNotPresent", "ReportNotPresent", 410, true},
      {ServiceId::kIam, "ServiceFailure", "ServiceFailure", 500, false},
      {ServiceId::kSts, "MalformedPolicyDocument", "MalformedPolicyDocument", 400, true},
      {ServiceId::kSts, "RegionDisabledException", "RegionDisabledException", 403, true},
      // Query: AWS's common errors.
      {ServiceId::kIam, "InvalidClientTokenId", "InvalidClientTokenId", 403, true},
      {ServiceId::kIam, "SignatureDoesNotMatch", "SignatureDoesNotMatch", 403, true},
      {ServiceId::kIam, "IncompleteSignature", "IncompleteSignature", 400, true},
      {ServiceId::kIam, "MissingAuthenticationToken", "MissingAuthenticationToken", 403, true},
      {ServiceId::kIam, "ExpiredToken", "ExpiredToken", 403, true},
      {ServiceId::kSts, "ExpiredToken", "ExpiredToken", 400, true},
      {ServiceId::kSts, "AccessDenied", "AccessDenied", 403, true},
      {ServiceId::kIam, "ValidationError", "ValidationError", 400, true},
      {ServiceId::kIam, "InvalidAction", "InvalidAction", 400, true},
      {ServiceId::kIam, "Throttling", "Throttling", 400, true},
      {ServiceId::kSts, "InternalFailure", "InternalFailure", 500, false},
      {ServiceId::kIam, "SomethingNew", "SomethingNew", 400, true},
      // JSON 1.1.
      {ServiceId::kOrganizations, "InvalidClientTokenId", "UnrecognizedClientException", 400, true},
      {ServiceId::kOrganizations, "SignatureDoesNotMatch", "InvalidSignatureException", 400, true},
      {ServiceId::kOrganizations, "Throttling", "TooManyRequestsException", 400, true},
      {ServiceId::kOrganizations, "AccessDenied", "AccessDeniedException", 400, true},
      {ServiceId::kOrganizations, "ServiceFailure", "ServiceException", 500, false},
      {ServiceId::kOrganizations, "AccountNotFoundException", "AccountNotFoundException", 400,
       true},
      // restJson1.
      {ServiceId::kAccount, "SignatureDoesNotMatch", "InvalidSignatureException", 403, true},
      {ServiceId::kAccount, "Throttling", "TooManyRequestsException", 429, true},
      {ServiceId::kAccount, "ValidationError", "ValidationException", 400, true},
      {ServiceId::kAccount, "InternalFailure", "InternalServerException", 500, false},
      {ServiceId::kAccount, "ResourceNotFoundException", "ResourceNotFoundException", 404, true},
  };
  for (const auto& c : cases) {
    const WireError wire = ResolveError(Model(c.service), c.raised);
    EXPECT_EQ(wire.code, c.code) << c.raised;
    EXPECT_EQ(wire.status, c.status) << c.raised;
    EXPECT_EQ(wire.sender_fault, c.sender_fault) << c.raised;
    EXPECT_EQ(ErrorStatus(Model(c.service), c.raised), c.status) << c.raised;
  }
}

}  // namespace
}  // namespace fulcrum::protocol
