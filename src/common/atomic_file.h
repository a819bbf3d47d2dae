#pragma once

// Whole-file writes that readers never see half done: the contents go to a temporary file in the
// same directory, are flushed to disk, and the temporary file is renamed over the target.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum {

// Replaces (or creates) `file` with `contents`, with permission bits `mode`, in one rename.
// On failure `file` is left as it was and the error ("InternalFailure") names the file and the
// system error. REQUIRES: the parent directory of `file` exists.
[[nodiscard]] Result<void> WriteFileAtomically(const std::filesystem::path& file,
                                               std::string_view contents, mode_t mode);

// Writes all of `data` to the open descriptor `fd`, retrying short writes and EINTR. False on
// any other error, with errno set.
[[nodiscard]] bool WriteFully(int fd, std::string_view data);

// Makes the directory entry of a file just created or renamed in `directory` durable (fsync of
// the directory); errors are ignored, as the data itself is already on disk.
void SyncDirectory(const std::filesystem::path& directory);

// On success, the whole contents of `file`. Fails with "NoSuchFile" when it does not exist and
// "InternalFailure" for other errors, both naming the file.
[[nodiscard]] Result<std::string> ReadWholeFile(const std::filesystem::path& file);

}  // namespace fulcrum
