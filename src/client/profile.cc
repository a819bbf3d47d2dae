#include "client/profile.h"

#include <fmt/format.h>

namespace fulcrum::client {
namespace {

// AWS_CONFIG_FILE-style variable, or HOME/.aws/<file>. A leading "~/" is expanded with HOME.
std::filesystem::path FilePath(const Environment& environment, std::string_view variable,
                               std::string_view default_name) {
  const auto home = Lookup(environment, "HOME");
  if (auto path = Lookup(environment, variable)) {
    if (home && (*path == "~" || path->starts_with("~/"))) {
      return std::filesystem::path(*home) /
             std::string_view(*path).substr(std::min<size_t>(path->size(), 2));
    }
    return *path;
  }
  if (!home) {
    return {};
  }
  return std::filesystem::path(*home) / ".aws" / default_name;
}

Result<IniFile> LoadIfNamed(const std::filesystem::path& path) {
  if (path.empty()) {
    return IniFile{};
  }
  return IniFile::Load(path);
}

std::optional<std::string> NonEmpty(const IniFile::Section& section, std::string_view key) {
  const auto found = section.find(key);
  if (found == section.end() || found->second.empty()) {
    return std::nullopt;
  }
  return found->second;
}

// Key id, secret and token from one source; nullopt when neither key id nor secret is there.
Result<std::optional<sigv4::Credentials>> CredentialsFrom(std::optional<std::string> key_id,
                                                          std::optional<std::string> secret,
                                                          std::optional<std::string> token,
                                                          std::string_view where) {
  if (!key_id && !secret) {
    return std::nullopt;
  }
  if (!key_id || !secret) {
    return Fail("PartialCredentials",
                fmt::format("{} set {} but not {}", where,
                            key_id ? "an access key id" : "a secret access key",
                            key_id ? "its secret access key" : "the access key id"));
  }
  return sigv4::Credentials{std::move(*key_id), std::move(*secret), std::move(token)};
}

}  // namespace

std::optional<std::string> Profile::Setting(std::string_view key) const {
  if (auto value = NonEmpty(credentials_settings, key)) {
    return value;
  }
  return NonEmpty(config_settings, key);
}

Result<Profile> ResolveProfile(const ClientOverrides& overrides, const Environment& environment) {
  Profile profile;
  bool named = true;
  if (overrides.profile && !overrides.profile->empty()) {
    profile.name = *overrides.profile;
  } else if (auto from_env = Lookup(environment, "AWS_PROFILE")) {
    profile.name = *from_env;
  } else if (auto legacy = Lookup(environment, "AWS_DEFAULT_PROFILE")) {
    profile.name = *legacy;
  } else {
    profile.name = "default";
    named = false;
  }

  profile.config_path = FilePath(environment, "AWS_CONFIG_FILE", "config");
  profile.credentials_path = FilePath(environment, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  auto config = LoadIfNamed(profile.config_path);
  if (!config) {
    return Fail(config.error());
  }
  auto credentials = LoadIfNamed(profile.credentials_path);
  if (!credentials) {
    return Fail(credentials.error());
  }
  profile.config_file = std::move(*config);

  // The config file names profiles "[profile NAME]"; "default" may also be "[default]", and
  // "[profile default]" wins over it where both set a key.
  if (profile.name == "default") {
    if (const auto* section = profile.config_file.Find("default")) {
      profile.config_settings = *section;
      profile.exists = true;
    }
  }
  if (const auto* section = profile.config_file.Find("profile " + profile.name)) {
    for (const auto& [key, value] : *section) {
      profile.config_settings[key] = value;
    }
    profile.exists = true;
  }
  if (const auto* section = credentials->Find(profile.name)) {
    profile.credentials_settings = *section;
    profile.exists = true;
  }
  if (!profile.exists && (named && profile.name != "default")) {
    return Fail("ProfileNotFound",
                fmt::format("The config profile ({}) could not be found in {} or {}", profile.name,
                            profile.config_path.string(), profile.credentials_path.string()));
  }

  if (overrides.region && !overrides.region->empty()) {
    profile.region = overrides.region;
  } else if (auto region = Lookup(environment, "AWS_REGION")) {
    profile.region = std::move(region);
  } else if (auto default_region = Lookup(environment, "AWS_DEFAULT_REGION")) {
    profile.region = std::move(default_region);
  } else {
    profile.region = profile.Setting("region");
  }
  profile.output = profile.Setting("output");
  return profile;
}

Result<ResolvedCredentials> ResolveCredentials(const ClientOverrides& overrides,
                                               const Profile& profile,
                                               const Environment& environment) {
  if (overrides.credentials) {
    if (overrides.credentials->access_key_id.empty() ||
        overrides.credentials->secret_access_key.empty()) {
      return Fail("PartialCredentials",
                  "explicit credentials need both an access key id and a secret access key");
    }
    return ResolvedCredentials{*overrides.credentials, CredentialSource::kExplicit};
  }

  if (!overrides.profile) {
    auto token = Lookup(environment, "AWS_SESSION_TOKEN");
    if (!token) {
      token = Lookup(environment, "AWS_SECURITY_TOKEN");
    }
    auto from_env = CredentialsFrom(Lookup(environment, "AWS_ACCESS_KEY_ID"),
                                    Lookup(environment, "AWS_SECRET_ACCESS_KEY"), std::move(token),
                                    "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
    if (!from_env) {
      return Fail(from_env.error());
    }
    if (*from_env) {
      return ResolvedCredentials{std::move(**from_env), CredentialSource::kEnvironment};
    }
  }

  const struct {
    const IniFile::Section& section;
    CredentialSource source;
    const std::filesystem::path& path;
  } files[] = {
      {profile.credentials_settings, CredentialSource::kCredentialsFile, profile.credentials_path},
      {profile.config_settings, CredentialSource::kConfigFile, profile.config_path},
  };
  for (const auto& file : files) {
    auto found = CredentialsFrom(NonEmpty(file.section, "aws_access_key_id"),
                                 NonEmpty(file.section, "aws_secret_access_key"),
                                 NonEmpty(file.section, "aws_session_token"),
                                 fmt::format("profile {} in {}", profile.name, file.path.string()));
    if (!found) {
      return Fail(found.error());
    }
    if (*found) {
      return ResolvedCredentials{std::move(**found), file.source};
    }
  }

  for (const char* key : {"role_arn", "sso_start_url", "sso_session", "credential_process",
                          "web_identity_token_file"}) {
    if (profile.Setting(key)) {
      return Fail("UnsupportedCredentialSource",
                  fmt::format("profile {} gets its credentials through {}, which this client does "
                              "not support yet; give it static keys or use a profile that has them",
                              profile.name, key));
    }
  }
  return Fail("NoCredentials",
              fmt::format("Unable to locate credentials for profile {}: set AWS_ACCESS_KEY_ID and "
                          "AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and "
                          "aws_secret_access_key to [{}] in {}",
                          profile.name, profile.name, profile.credentials_path.string()));
}

std::string Describe(CredentialSource source, const Profile& profile) {
  switch (source) {
    case CredentialSource::kExplicit:
      return "the command line";
    case CredentialSource::kEnvironment:
      return "environment variables";
    case CredentialSource::kCredentialsFile:
      return fmt::format("profile {} in {}", profile.name, profile.credentials_path.string());
    case CredentialSource::kConfigFile:
      return fmt::format("profile {} in {}", profile.name, profile.config_path.string());
  }
  return "an unknown source";
}

}  // namespace fulcrum::client
