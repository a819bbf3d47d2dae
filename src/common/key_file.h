#pragma once

// Key files: small files of random bytes that only their owner may read, such as the data
// directory's master key (32 bytes, the SecretBox key that encrypts secrets at rest).

#include <cstddef>
#include <filesystem>
#include <string>

#include "common/result.h"

namespace fulcrum {

// On success, the `bytes` bytes held in the key file at `file`.
//
// If `file` does not exist, it is created with `bytes` fresh random bytes (OpenSSL RAND_bytes) and
// mode 0600: the bytes are written and fsynced under a temporary name in the same directory, then
// linked to `file` in one step, so that no process ever sees a partly written key. When several
// processes race to create the same file, one wins and all of them return its bytes.
//
// If `file` exists, it must be a regular file of exactly `bytes` bytes that neither group nor
// others can read or write; otherwise this fails with "InvalidKeyFile" and a message that names the
// file and the fix (for the mode: "chmod 600 <file>"). Input/output failures (a missing directory,
// no permission) fail with "InternalFailure" naming the file and the system error.
//
// REQUIRES: 0 < bytes <= 1 MiB (else "InvalidParameterValue"). The parent directory of `file`
// exists (it is not created here). Thread-safe (no shared state).
[[nodiscard]] Result<std::string> LoadOrCreateKeyFile(const std::filesystem::path& file,
                                                      size_t bytes);

}  // namespace fulcrum
