#include "arn/arn.h"

#include <fmt/format.h>

#include <array>

namespace fulcrum::arn {
namespace {

// "arn:aws:<service>::<account>:<type><path><name>", with "/" for an empty path.
std::string PathArn(std::string_view service, std::string_view account, std::string_view type,
                    std::string_view path, std::string_view name) {
  return fmt::format("arn:{}:{}::{}:{}{}{}", kPartition, service, account, type,
                     path.empty() ? "/" : path, name);
}

}  // namespace

std::string Arn::ToString() const {
  return fmt::format("arn:{}:{}:{}:{}:{}", partition, service, region, account, resource);
}

Result<Arn> Parse(std::string_view text) {
  std::array<std::string_view, 5> fields;
  std::string_view rest = text;
  bool ok = true;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) {
      ok = false;
      break;
    }
    fields[i] = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  if (!ok || fields[0] != "arn" || fields[1].empty() || fields[2].empty() || rest.empty()) {
    return Fail("InvalidInput", fmt::format("ARN {} is not valid.", text));
  }
  return Arn{std::string(fields[1]), std::string(fields[2]), std::string(fields[3]),
             std::string(fields[4]), std::string(rest)};
}

std::string RootArn(std::string_view account) {
  return fmt::format("arn:{}:iam::{}:root", kPartition, account);
}

std::string UserArn(std::string_view account, std::string_view path, std::string_view name) {
  return PathArn("iam", account, "user", path, name);
}

std::string RoleArn(std::string_view account, std::string_view path, std::string_view name) {
  return PathArn("iam", account, "role", path, name);
}

std::string GroupArn(std::string_view account, std::string_view path, std::string_view name) {
  return PathArn("iam", account, "group", path, name);
}

std::string PolicyArn(std::string_view account, std::string_view path, std::string_view name) {
  return PathArn("iam", account, "policy", path, name);
}

std::string AssumedRoleArn(std::string_view account, std::string_view role_name,
                           std::string_view session_name) {
  return fmt::format("arn:{}:sts::{}:assumed-role/{}/{}", kPartition, account, role_name,
                     session_name);
}

}  // namespace fulcrum::arn
