#include "cli/aws_files.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "client/ini_file.h"
#include "common/atomic_file.h"

namespace fulcrum::cli {
namespace {

constexpr mode_t kFileMode = 0600;
constexpr mode_t kDirectoryMode = 0700;

tl::unexpected<Error> IoFailure(const std::string& what, const std::filesystem::path& path,
                                int error) {
  return Fail("InternalFailure", fmt::format("cannot {} {}: {}", what, path.string(),
                                             std::generic_category().message(error)));
}

Result<void> CheckText(std::string_view what, std::string_view text, bool is_key) {
  const bool bad =
      text.find_first_of("\r\n") != std::string_view::npos ||
      (is_key && (text.empty() || text.find_first_of("=:[") != std::string_view::npos));
  if (!bad) return {};
  return Fail("InvalidParameterValue",
              fmt::format("{} \"{}\" cannot be written to an AWS config file: it is empty or holds "
                          "a line break{}",
                          what, text, is_key ? " or one of = : [" : ""));
}

// Creates `directory` (and missing parents) with mode 0700 and tightens it to 0700 if it exists.
Result<void> PrepareDirectory(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::path missing;
  for (std::filesystem::path dir = directory; !dir.empty() && !std::filesystem::exists(dir, error);
       dir = dir.parent_path()) {
    missing = dir;
    if (dir == dir.parent_path()) break;
  }
  if (!missing.empty()) {
    std::filesystem::create_directories(directory, error);
    if (error) return IoFailure("create directory", directory, error.value());
    for (std::filesystem::path dir = directory;; dir = dir.parent_path()) {
      ::chmod(dir.c_str(), kDirectoryMode);
      if (dir == missing) break;
    }
  }
  if (::chmod(directory.c_str(), kDirectoryMode) != 0) {
    return IoFailure("set the permissions of", directory, errno);
  }
  return {};
}

// The file to edit; nullopt when it does not exist yet.
Result<std::optional<IniEditor>> ReadIni(const std::filesystem::path& file) {
  auto text = ReadWholeFile(file);
  if (!text) {
    if (text.error().code == "NoSuchFile") return std::optional<IniEditor>();
    return Fail(text.error());
  }
  auto ini = IniEditor::Parse(*text, file.string());
  if (!ini) return Fail(ini.error());
  return std::optional<IniEditor>(std::move(*ini));
}

// The settings of `section` in `file` as the AWS CLI reads them; nullopt when the file or the
// section is absent.
Result<std::optional<IniValues>> ReadSection(const std::filesystem::path& file,
                                             std::string_view section) {
  auto ini = client::IniFile::Load(file);
  if (!ini) return Fail(ini.error());
  const client::IniFile::Section* found = ini->Find(section);
  if (found == nullptr) return std::optional<IniValues>();
  return std::optional<IniValues>(IniValues(found->begin(), found->end()));
}

}  // namespace

AwsFiles ProjectAwsFilesIn(const std::filesystem::path& home, std::string_view short_name) {
  const std::filesystem::path directory = home / ".aws" / std::string(short_name);
  return AwsFiles{directory, directory / "config", directory / "credentials"};
}

Result<AwsFiles> ProjectAwsFiles(std::string_view short_name) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the CLI sets no environment variables.
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    return Fail("InvalidEnvironment",
                "HOME is not set, so ~/.aws/" + std::string(short_name) + " cannot be located");
  }
  return ProjectAwsFilesIn(home, short_name);
}

std::string ProfileName(std::string_view short_name, std::string_view type) {
  std::string profile = fmt::format("{}-{}", short_name, type);
  std::transform(profile.begin(), profile.end(), profile.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return profile;
}

std::string ConfigSectionName(std::string_view profile) {
  return profile == "default" ? "default" : fmt::format("profile {}", profile);
}

std::optional<std::string> AwsProfile::Get(std::string_view key) const {
  for (const IniValues* values : {&credentials, &config}) {
    for (const auto& [name, value] : *values) {
      if (name == key) return value;
    }
  }
  return std::nullopt;
}

Result<std::optional<AwsProfile>> ReadProfile(const AwsFiles& files, std::string_view profile) {
  auto credential_values = ReadSection(files.credentials, profile);
  if (!credential_values) return Fail(credential_values.error());
  auto config_values = ReadSection(files.config, ConfigSectionName(profile));
  if (!config_values) return Fail(config_values.error());
  if (!*credential_values && !*config_values) return std::optional<AwsProfile>();
  return std::optional<AwsProfile>(
      AwsProfile{credential_values->value_or(IniValues{}), config_values->value_or(IniValues{})});
}

Result<void> UpsertIniSection(const std::filesystem::path& file, std::string_view section,
                              const IniValues& values) {
  if (auto ok = CheckText("section name", section, false); !ok) return ok;
  if (section.empty() || section.find(']') != std::string_view::npos) {
    return Fail("InvalidParameterValue",
                fmt::format("section name \"{}\" is empty or holds ']'", section));
  }
  for (const auto& [key, value] : values) {
    if (auto ok = CheckText("key", key, true); !ok) return ok;
    if (auto ok = CheckText("value of " + key, value, false); !ok) return ok;
  }
  const std::filesystem::path directory =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  if (auto ok = PrepareDirectory(directory); !ok) return ok;

  auto existing = ReadIni(file);
  if (!existing) return Fail(existing.error());
  IniEditor ini = existing->value_or(IniEditor());
  const std::string before = existing->has_value() ? ini.Text() : std::string();
  ini.Set(section, values);
  const std::string after = ini.Text();

  if (existing->has_value() && after == before) {
    if (::chmod(file.c_str(), kFileMode) != 0) {
      return IoFailure("set the permissions of", file, errno);
    }
    return {};
  }
  if (existing->has_value()) {
    std::filesystem::path backup = file;
    backup += ".bkp";
    if (auto ok = WriteFileAtomically(backup, before, kFileMode); !ok) return ok;
  }
  return WriteFileAtomically(file, after, kFileMode);
}

Result<void> UpsertStaticProfile(const AwsFiles& files, std::string_view profile,
                                 std::string_view access_key_id, std::string_view secret_access_key,
                                 const ProfileConfig& config) {
  IniValues settings;
  if (!config.region.empty()) settings.emplace_back("region", config.region);
  if (!config.output.empty()) settings.emplace_back("output", config.output);
  settings.insert(settings.end(), config.extra.begin(), config.extra.end());
  // The config file first: if the keys cannot be written after it, a profile without keys is
  // harmless, while keys without their region and endpoint could reach the wrong place.
  if (auto ok = UpsertIniSection(files.config, ConfigSectionName(profile), settings); !ok) {
    return ok;
  }
  return UpsertIniSection(files.credentials, profile,
                          {{"aws_access_key_id", std::string(access_key_id)},
                           {"aws_secret_access_key", std::string(secret_access_key)}});
}

}  // namespace fulcrum::cli
