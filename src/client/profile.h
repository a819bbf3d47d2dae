#pragma once

// Profile resolution: which named profile applies, its settings (region, output, endpoint_url...),
// and the credentials to sign with, following the AWS SDKs' documented order:
// https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html
// https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-quickstart.html#cli-configure-quickstart-precedence
//
// Files: AWS_CONFIG_FILE (default ~/.aws/config, sections `[default]` and `[profile NAME]`) and
// AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials, sections `[NAME]`). A leading "~/" in
// either variable is the home directory (HOME). As in botocore, the credentials file's settings are
// merged over the config file's for the same profile.
//
// All functions are pure over their arguments plus the two files they read; thread-safe.

#include <filesystem>
#include <optional>
#include <string>

#include "client/environment.h"
#include "client/ini_file.h"
#include "common/result.h"
#include "sigv4/signer.h"

namespace fulcrum::client {

// What the command line says; each set member wins over the environment and the files.
struct ClientOverrides {
  std::optional<std::string> profile{};       // --profile
  std::optional<std::string> region{};        // --region
  std::optional<std::string> endpoint_url{};  // --endpoint-url (applies to every service)
  std::optional<sigv4::Credentials> credentials{};
};

// A resolved profile. Setting keys are lower case; nested settings appear as "parent.key".
struct Profile {
  std::string name;
  bool exists = false;  // The profile has a section in either file.
  std::optional<std::string> region;
  std::optional<std::string> output;
  IniFile::Section config_settings;       // `[default]` / `[profile NAME]` of the config file.
  IniFile::Section credentials_settings;  // `[NAME]` of the credentials file.
  IniFile config_file;                    // The whole config file, for `[services NAME]`.
  std::filesystem::path config_path;
  std::filesystem::path credentials_path;

  // The non-empty value of `key`, the credentials file before the config file; or nullopt.
  [[nodiscard]] std::optional<std::string> Setting(std::string_view key) const;
};

// The profile name: overrides.profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
// Region: overrides.region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region`.
// Output: the profile's `output`.
// Fails with ProfileNotFound when a profile other than "default" is named and neither file has it,
// and with InvalidConfigFile when a file cannot be parsed.
[[nodiscard]] Result<Profile> ResolveProfile(const ClientOverrides& overrides,
                                             const Environment& environment);

// Where the credentials came from, for messages ("using credentials from ...").
enum class CredentialSource { kExplicit, kEnvironment, kCredentialsFile, kConfigFile };

struct ResolvedCredentials {
  sigv4::Credentials credentials;
  CredentialSource source = CredentialSource::kExplicit;
};

// The credentials, first found wins:
//  1. overrides.credentials;
//  2. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN, or the older
//     AWS_SECURITY_TOKEN), skipped when overrides.profile is set, as botocore skips them for an
//     explicit --profile;
//  3. aws_access_key_id + aws_secret_access_key (+ aws_session_token) of the profile, the
//     credentials file before the config file.
// Fails with PartialCredentials when only one of the key id and the secret is set in a source,
// with UnsupportedCredentialSource when the profile asks for a role, SSO or a credential process
// (not supported by this client yet), and with NoCredentials when nothing is found.
[[nodiscard]] Result<ResolvedCredentials> ResolveCredentials(const ClientOverrides& overrides,
                                                             const Profile& profile,
                                                             const Environment& environment);

// "environment variables", "the shared credentials file (PATH)", ...
[[nodiscard]] std::string Describe(CredentialSource source, const Profile& profile);

}  // namespace fulcrum::client
