#pragma once

// Whole-file writes that readers never see half done: the contents go to a temporary file in the
// same directory, are flushed to disk, and the temporary file is renamed over the target.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace fulcrum::cli {

// Replaces (or creates) `file` with `contents`, with permission bits `mode`, in one rename.
// On failure `file` is left as it was and the error ("InternalFailure") names the file and the
// system error. REQUIRES: the parent directory of `file` exists.
[[nodiscard]] Result<void> WriteFileAtomically(const std::filesystem::path& file,
                                               std::string_view contents, mode_t mode);

// On success, the whole contents of `file`. Fails with "NoSuchFile" when it does not exist and
// "InternalFailure" for other errors, both naming the file.
[[nodiscard]] Result<std::string> ReadWholeFile(const std::filesystem::path& file);

}  // namespace fulcrum::cli
