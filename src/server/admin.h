#pragma once

// The loopback admin endpoint, under /_fulcrum/admin/ on the account plane's port. Every request
// needs `Authorization: Bearer <token>` with the data dir's admin token.
//
//   POST /_fulcrum/admin/accounts  {"name", "email", "password"?, "root_access_key"?}
//        201 with the sign-up result (see SignUpResultJson); 400 InvalidInput; 409 duplicate.
//   GET  /_fulcrum/admin/accounts  200 {"Accounts": [{AccountId, AccountName, Email, ...}]}
//   POST /_fulcrum/admin/accounts/<id>/root-mfa
//        Step 1 of enabling the root user's virtual MFA device, as the console does: 201
//        {"SerialNumber", "Base32StringSeed", "OtpauthUri", "QRCodePNG" (base64)}.
//   POST /_fulcrum/admin/accounts/<id>/root-mfa/enable  {"AuthenticationCode1",
//   "AuthenticationCode2"}
//        Step 2: 200 {"SerialNumber", "Enabled": true}; 403 InvalidAuthenticationCode.
// Errors are JSON {"error": {"code", "message"}}; 401 without a valid token.

#include <boost/json/object.hpp>
#include <string>

#include "http/message.h"
#include "services/iam/mfa.h"
#include "services/signup/signup_service.h"
#include "storage/account_store.h"

namespace fulcrum::server {

// The sign-up result as the CLI's `--output json` and the admin endpoint print it. Holds the
// generated password and root secret when present: print it once, never log it.
[[nodiscard]] boost::json::object SignUpResultJson(const services::signup::SignUpResult& result);

class AdminHandler {
 public:
  // REQUIRES: the references outlive the handler.
  AdminHandler(std::string token, services::signup::SignupService& signup,
               storage::AccountStore& store, services::iam::MfaService& mfa);

  [[nodiscard]] http::Response operator()(const http::Request& request) const;

 private:
  [[nodiscard]] http::Response RootMfa(const http::Request& request, std::string_view rest) const;

  std::string token_;
  services::signup::SignupService& signup_;
  storage::AccountStore& store_;
  services::iam::MfaService& mfa_;
};

}  // namespace fulcrum::server
