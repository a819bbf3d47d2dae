#pragma once

// The AWS CLI's shared files of a project, where Leverage keeps them: ~/.aws/<short>/credentials
// (static keys, "[<profile>]" sections) and ~/.aws/<short>/config ("[profile <profile>]"
// sections: region, output, role_arn, source_profile, mfa_serial, endpoint_url, ...). Tools reach
// them through AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE.
//
// Writes keep everything else in the files byte for byte (see IniEditor), go through a temporary
// file in the same directory and a rename, leave the files at mode 0600 and the directory at 0700
// (fixing them when they were looser), and first copy the file being replaced to "<file>.bkp"
// (0600). A write that changes nothing leaves the file and its backup alone. Not safe against
// another process editing the same files at the same moment (the last rename wins).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "cli/ini_editor.h"
#include "common/result.h"

namespace fulcrum::cli {

struct AwsFiles {
  std::filesystem::path directory;    // <home>/.aws/<short>
  std::filesystem::path config;       // <directory>/config
  std::filesystem::path credentials;  // <directory>/credentials
};

// The files of project `short_name` under `home`.
[[nodiscard]] AwsFiles ProjectAwsFilesIn(const std::filesystem::path& home,
                                         std::string_view short_name);

// The files of project `short_name` under $HOME; "InvalidEnvironment" when HOME is not set.
[[nodiscard]] Result<AwsFiles> ProjectAwsFiles(std::string_view short_name);

// The profile of a credentials type: "<short>-<type in lowercase>", e.g. ("me", "BOOTSTRAP") ->
// "me-bootstrap".
[[nodiscard]] std::string ProfileName(std::string_view short_name, std::string_view type);

// The config file's section of `profile`: "default" for the default profile, else
// "profile <profile>". (The credentials file uses the bare profile name.)
[[nodiscard]] std::string ConfigSectionName(std::string_view profile);

struct AwsProfile {
  // The profile's section of the credentials file and of the config file (empty if none), read
  // as the AWS CLI reads them (client::IniFile): keys lower-cased and sorted.
  IniValues credentials;
  IniValues config;

  // The value of `key`, from the credentials file first as the AWS CLI reads it.
  [[nodiscard]] std::optional<std::string> Get(std::string_view key) const;
};

// The profile as the files hold it, or nullopt when neither file has a section for it. Missing
// files count as empty; unreadable or malformed ones fail, naming the file.
[[nodiscard]] Result<std::optional<AwsProfile>> ReadProfile(const AwsFiles& files,
                                                            std::string_view profile);

// Settings written to the config file with a profile.
struct ProfileConfig {
  std::string region;
  std::string output = "json";
  IniValues extra;  // more keys in this order, e.g. endpoint_url, role_arn, source_profile
};

// Sets `values` in section `section` of `file`, creating the file and its directory (0700) as
// needed, with the write discipline described at the top of this header. Fails with
// "InvalidParameterValue" for a name or value with a line break (or a key with '=' or ':'), with
// "InvalidConfigFile" when the file has a duplicated section, and with "InternalFailure" for
// input/output errors, naming the file.
[[nodiscard]] Result<void> UpsertIniSection(const std::filesystem::path& file,
                                            std::string_view section, const IniValues& values);

// Records a profile with static keys: "[<profile>]" in the credentials file with
// aws_access_key_id and aws_secret_access_key, and "[profile <profile>]" in the config file with
// region (when not empty), output and `config.extra`. Other keys of the two sections are kept.
[[nodiscard]] Result<void> UpsertStaticProfile(const AwsFiles& files, std::string_view profile,
                                               std::string_view access_key_id,
                                               std::string_view secret_access_key,
                                               const ProfileConfig& config);

}  // namespace fulcrum::cli
