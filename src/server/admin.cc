#include "server/admin.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace fulcrum::server {
namespace {

namespace json = boost::json;

http::Response JsonReply(int status, const json::value& body) {
  return http::Response{status, {{"Content-Type", "application/json"}}, json::serialize(body)};
}

http::Response ErrorReply(int status, std::string_view code, std::string_view message) {
  return JsonReply(status,
                   json::object{{"error", json::object{{"code", code}, {"message", message}}}});
}

int StatusOf(const Error& error) {
  if (error.code == "EntityAlreadyExists") {
    return 409;
  }
  if (error.code == "InvalidInput") {
    return 400;
  }
  if (error.code == "NoSuchEntity") {
    return 404;
  }
  if (error.code == "InvalidAuthenticationCode") {
    return 403;
  }
  return 500;
}

constexpr std::string_view kAccountsPath = "/_fulcrum/admin/accounts";

json::object AccountJson(const storage::Account& account) {
  return json::object{{"AccountId", account.id},
                      {"AccountName", account.name},
                      {"Email", account.email},
                      {"CreatedAt", FormatIso8601(account.created)}};
}

// The string member `name` of `body`, or nullopt; `present` tells a wrong type from absence.
std::optional<std::string> StringMember(const json::object& body, std::string_view name,
                                        bool& wrong_type) {
  const json::value* value = body.if_contains(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    wrong_type = true;
    return std::nullopt;
  }
  return std::string(value->get_string());
}

}  // namespace

json::object SignUpResultJson(const services::signup::SignUpResult& result) {
  json::object out = AccountJson(result.account);
  out["RootUserArn"] = result.root_arn;
  if (result.generated_password) {
    out["RootPassword"] = *result.generated_password;
  }
  if (result.root_access_key) {
    out["RootAccessKey"] =
        json::object{{"AccessKeyId", result.root_access_key->access_key_id},
                     {"SecretAccessKey", result.root_access_key->secret_access_key}};
  }
  return out;
}

AdminHandler::AdminHandler(std::string token, services::signup::SignupService& signup,
                           storage::AccountStore& store, services::iam::MfaService& mfa)
    : token_(std::move(token)), signup_(signup), store_(store), mfa_(mfa) {}

http::Response AdminHandler::operator()(const http::Request& request) const {
  const std::string_view authorization = http::HeaderValue(request.message, "authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization.starts_with(kBearer) ||
      !ConstantTimeEquals(authorization.substr(kBearer.size()), token_)) {
    return ErrorReply(
        401, "Unauthorized",
        "send Authorization: Bearer <token>, the token in the data dir's admin-token");
  }
  const std::string_view path = http::TargetPath(request.message.target);
  if (path.starts_with(kAccountsPath) && path.size() > kAccountsPath.size() &&
      path[kAccountsPath.size()] == '/') {
    return RootMfa(request, path.substr(kAccountsPath.size() + 1));
  }
  if (path != kAccountsPath) {
    return ErrorReply(404, "NotFound", "no such admin resource");
  }
  if (request.message.method == "GET") {
    auto accounts = store_.ListAccounts();
    if (!accounts) {
      return ErrorReply(500, accounts.error().code, accounts.error().message);
    }
    json::array list;
    for (const auto& account : *accounts) {
      list.push_back(AccountJson(account));
    }
    return JsonReply(200, json::object{{"Accounts", std::move(list)}});
  }
  if (request.message.method != "POST") {
    return ErrorReply(405, "MethodNotAllowed", "use GET or POST");
  }

  boost::system::error_code ec;
  const json::value body = json::parse(request.message.body, ec);
  if (ec || !body.is_object()) {
    return ErrorReply(400, "InvalidInput", "the body must be a JSON object");
  }
  const json::object& fields = body.get_object();
  bool wrong_type = false;
  services::signup::SignUpRequest signup;
  signup.name = StringMember(fields, "name", wrong_type).value_or("");
  signup.email = StringMember(fields, "email", wrong_type).value_or("");
  signup.password = StringMember(fields, "password", wrong_type);
  if (const json::value* keys = fields.if_contains("root_access_key"); keys != nullptr) {
    if (!keys->is_bool()) {
      wrong_type = true;
    } else {
      signup.create_root_access_key = keys->get_bool();
    }
  }
  if (wrong_type) {
    return ErrorReply(400, "InvalidInput",
                      "name, email and password must be strings; root_access_key a boolean");
  }
  auto result = signup_.SignUp(signup);
  if (!result) {
    return ErrorReply(StatusOf(result.error()), result.error().code, result.error().message);
  }
  return JsonReply(201, SignUpResultJson(*result));
}

http::Response AdminHandler::RootMfa(const http::Request& request, std::string_view rest) const {
  // rest: "<account id>/root-mfa" or "<account id>/root-mfa/enable".
  const auto slash = rest.find('/');
  const std::string account_id(rest.substr(0, slash));
  const std::string_view action =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (request.message.method != "POST" || (action != "root-mfa" && action != "root-mfa/enable")) {
    return ErrorReply(404, "NotFound", "no such admin resource");
  }
  if (action == "root-mfa") {
    auto device = mfa_.CreateRootVirtualMfa(account_id);
    if (!device) {
      return ErrorReply(StatusOf(device.error()), device.error().code, device.error().message);
    }
    return JsonReply(201, json::object{{"SerialNumber", device->serial_number},
                                       {"Base32StringSeed", device->base32_seed},
                                       {"OtpauthUri", device->otpauth_uri},
                                       {"QRCodePNG", Base64Encode(device->qr_code_png)}});
  }
  boost::system::error_code ec;
  const json::value body = json::parse(request.message.body, ec);
  bool wrong_type = false;
  std::optional<std::string> code1;
  std::optional<std::string> code2;
  if (!ec && body.is_object()) {
    code1 = StringMember(body.get_object(), "AuthenticationCode1", wrong_type);
    code2 = StringMember(body.get_object(), "AuthenticationCode2", wrong_type);
  }
  if (!code1 || !code2) {
    return ErrorReply(400, "InvalidInput",
                      "the body must be {\"AuthenticationCode1\": \"...\", "
                      "\"AuthenticationCode2\": \"...\"}");
  }
  if (auto enabled = mfa_.EnableRootVirtualMfa(account_id, *code1, *code2); !enabled) {
    return ErrorReply(StatusOf(enabled.error()), enabled.error().code, enabled.error().message);
  }
  return JsonReply(200,
                   json::object{{"SerialNumber", services::iam::RootMfaSerialNumber(account_id)},
                                {"Enabled", true}});
}

}  // namespace fulcrum::server
