#include "common/key_file.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

#include "common/atomic_file.h"

namespace fulcrum {
namespace {

// Owns a file descriptor; closes it on destruction.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  // Closes now and reports whether close succeeded.
  [[nodiscard]] bool Close() { return ::close(std::exchange(fd_, -1)) == 0; }

 private:
  int fd_;
};

std::string SystemError(int error) { return std::generic_category().message(error); }

tl::unexpected<Error> IoFailure(const std::string& what, const std::filesystem::path& file,
                                int error) {
  return Fail("InternalFailure",
              "cannot " + what + " key file " + file.string() + ": " + SystemError(error));
}

std::string ModeString(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Result<std::string> ReadKeyFile(const std::filesystem::path& file, size_t bytes) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return IoFailure("open", file, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return IoFailure("inspect", file, errno);
  if (!S_ISREG(info.st_mode)) {
    return Fail("InvalidKeyFile", "key file " + file.string() + " is not a regular file");
  }
  if ((info.st_mode & 077) != 0) {
    return Fail("InvalidKeyFile", "key file " + file.string() + " has mode " +
                                      ModeString(info.st_mode) +
                                      ", so users other than its owner can access it; "
                                      "fix with: chmod 600 " +
                                      file.string());
  }
  if (static_cast<size_t>(info.st_size) != bytes) {
    return Fail("InvalidKeyFile", "key file " + file.string() + " holds " +
                                      std::to_string(info.st_size) + " bytes, " +
                                      std::to_string(bytes) +
                                      " expected; it is damaged or not a key file of this kind");
  }
  std::string key(bytes, '\0');
  size_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::read(fd.get(), key.data() + done, bytes - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      OPENSSL_cleanse(key.data(), key.size());
      return IoFailure("read", file, error);
    }
    done += static_cast<size_t>(n);
  }
  return key;
}

// Creates `file` holding `key`, unless it already exists. Returns true if this call created it,
// false if another one did first.
Result<bool> CreateKeyFile(const std::filesystem::path& file, const std::string& key) {
  const std::filesystem::path directory =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::string pattern = (directory / ("." + file.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> temp_name(pattern.begin(), pattern.end());
  temp_name.push_back('\0');
  // mkstemp opens with O_CREAT | O_EXCL and mode 0600.
  FileDescriptor fd(::mkostemp(temp_name.data(), O_CLOEXEC));
  if (!fd.valid()) return IoFailure("create a temporary file for", file, errno);
  const std::filesystem::path temp(temp_name.data());
  auto remove_temp = [&temp] { ::unlink(temp.c_str()); };

  if (::fchmod(fd.get(), 0600) != 0 || !WriteFully(fd.get(), key) || ::fsync(fd.get()) != 0) {
    const int error = errno;
    remove_temp();
    return IoFailure("write", file, error);
  }
  if (!fd.Close()) {
    const int error = errno;
    remove_temp();
    return IoFailure("write", file, error);
  }
  // link() fails with EEXIST instead of replacing an existing file.
  const bool created = ::link(temp.c_str(), file.c_str()) == 0;
  const int link_error = errno;
  remove_temp();
  if (!created && link_error != EEXIST) return IoFailure("create", file, link_error);
  SyncDirectory(directory);
  return created;
}

}  // namespace

Result<std::string> LoadOrCreateKeyFile(const std::filesystem::path& file, size_t bytes) {
  constexpr size_t kMaxBytes = size_t{1} << 20;
  if (bytes == 0 || bytes > kMaxBytes) {
    return Fail("InvalidParameterValue", "a key file holds 1 to " + std::to_string(kMaxBytes) +
                                             " bytes, not " + std::to_string(bytes));
  }
  struct stat info {};
  if (::stat(file.c_str(), &info) == 0) return ReadKeyFile(file, bytes);
  if (errno != ENOENT) return IoFailure("inspect", file, errno);

  std::string key(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(bytes)) != 1) {
    return Fail("InternalFailure", "cannot generate random bytes for key file " + file.string());
  }
  auto created = CreateKeyFile(file, key);
  if (created.has_value() && *created) return key;
  OPENSSL_cleanse(key.data(), key.size());
  if (!created.has_value()) return Fail(created.error());
  return ReadKeyFile(file, bytes);
}

}  // namespace fulcrum
