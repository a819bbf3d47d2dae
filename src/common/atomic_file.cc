#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

namespace fulcrum {
namespace {

std::string SystemError(int error) { return std::generic_category().message(error); }

tl::unexpected<Error> IoFailure(const std::string& what, const std::filesystem::path& file,
                                int error) {
  return Fail("InternalFailure",
              "cannot " + what + " " + file.string() + ": " + SystemError(error));
}

}  // namespace

bool WriteFully(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

void SyncDirectory(const std::filesystem::path& directory) {
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

Result<void> WriteFileAtomically(const std::filesystem::path& file, std::string_view contents,
                                 mode_t mode) {
  const std::filesystem::path directory =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  const std::string pattern =
      (directory / ("." + file.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> temp_name(pattern.begin(), pattern.end());
  temp_name.push_back('\0');
  // mkostemp creates the file with O_EXCL and mode 0600, so a secret is never readable by others,
  // not even for the moment before fchmod.
  const int fd = ::mkostemp(temp_name.data(), O_CLOEXEC);
  if (fd < 0) return IoFailure("create a temporary file to write", file, errno);
  const std::string temp(temp_name.data());

  bool ok = ::fchmod(fd, mode) == 0 && WriteFully(fd, contents) && ::fsync(fd) == 0;
  int error = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok && ::rename(temp.c_str(), file.c_str()) != 0) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    return IoFailure("write", file, error);
  }
  SyncDirectory(directory);
  return {};
}

Result<std::string> ReadWholeFile(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    if (error) return IoFailure("inspect", file, error.value());
    return Fail("NoSuchFile", file.string() + ": no such file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return IoFailure("open", file, errno);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return IoFailure("read", file, errno);
  return std::move(text).str();
}

}  // namespace fulcrum
