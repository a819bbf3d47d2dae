#include "server/data_dir.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/crypto.h"
#include "common/key_file.h"
#include "common/random.h"
#include "common/secret_box.h"
#include "storage/sqlite/sqlite_store.h"

namespace fulcrum::server {
namespace {

constexpr std::size_t kMasterKeyBytes = 32;
constexpr std::size_t kAdminTokenBytes = 32;

// Reads the admin token, creating it (0600, hex text) on first use.
Result<std::string> LoadOrCreateAdminToken(const std::filesystem::path& file) {
  std::array<std::uint8_t, kAdminTokenBytes> bytes{};
  SecureRandom().Fill(bytes);
  const std::string fresh = HexEncode(bytes);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const std::string text = fresh + "\n";
    const bool written =
        ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      return Fail("ServiceFailure", fmt::format("cannot write {}", file.string()));
    }
    return fresh;
  }
  if (errno != EEXIST) {
    return Fail("ServiceFailure",
                fmt::format("cannot create {}: {}", file.string(),
                            std::error_code(errno, std::generic_category()).message()));
  }
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0 || (info.st_mode & 077) != 0) {
    return Fail("InvalidInput", fmt::format("{} is readable by others: run chmod 600 {}",
                                            file.string(), file.string()));
  }
  std::ifstream in(file);
  std::string token;
  std::getline(in, token);
  if (token.size() != 2 * kAdminTokenBytes) {
    return Fail("InvalidInput", fmt::format("{} does not hold an admin token: delete it and "
                                            "restart to make a new one",
                                            file.string()));
  }
  return token;
}

}  // namespace

std::filesystem::path DefaultDataDir() {
  // Read once at start-up, before any thread exists.
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  if (const char* dir = std::getenv("FULCRUM_DATA_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::filesystem::path(xdg) / "fulcrum";
  }
  const char* home = std::getenv("HOME");  // NOLINT(concurrency-mt-unsafe)
  return std::filesystem::path(home != nullptr ? home : ".") / ".local" / "share" / "fulcrum";
}

Result<DataDir> OpenDataDir(const std::filesystem::path& root) {
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) {
    return Fail("InvalidInput",
                fmt::format("cannot create the data dir {}: {}", root.string(), ec.message()));
  }
  std::filesystem::permissions(root, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  auto master_key = LoadOrCreateKeyFile(root / "master.key", kMasterKeyBytes);
  if (!master_key) {
    return Fail(master_key.error());
  }
  auto token = LoadOrCreateAdminToken(root / "admin-token");
  if (!token) {
    return Fail(token.error());
  }
  auto store = storage::OpenSqliteDatabase(root / "fulcrum.db", SecretBox(*master_key));
  if (!store) {
    return Fail(store.error());
  }
  return DataDir{root, std::move(*token), std::move(*store)};
}

}  // namespace fulcrum::server
