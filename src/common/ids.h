#pragma once

// Identifiers in the shapes AWS gives them. Every generator but NewRequestId takes the injected
// Random, so tests can pin ids. Thread-safe when the Random is (SecureRandom and SeededRandom
// are).

#include <string>
#include <string_view>

#include "common/random.h"

namespace fulcrum {

// A 12-digit AWS account id whose first digit is not 0 ("123456789012").
[[nodiscard]] std::string NewAccountId(Random& random);

// An access key id: `prefix` ("AKIA" for long-term keys, "ASIA" for temporary ones) followed by
// 16 characters of [A-Z2-7], e.g. "AKIAIOSFODNN7EXAMPL2".
[[nodiscard]] std::string NewAccessKeyId(Random& random, std::string_view prefix);

// A secret access key: 40 characters of [A-Za-z0-9+/], 240 bits of randomness.
[[nodiscard]] std::string NewSecretAccessKey(Random& random);

// An IAM unique id: `prefix` ("AIDA" user, "AROA" role, "AGPA" group, "ANPA" managed policy)
// followed by 17 characters of [A-Z2-7]; 21 characters with a 4-character prefix.
[[nodiscard]] std::string NewUniqueId(Random& random, std::string_view prefix);

// A request id: a random (version 4) UUID in lower-case text,
// "0f8fad5b-d9cb-469f-a165-70867728950e". Uses the fast per-thread generator, not the injected
// Random: request ids are not secrets and are made on every request.
[[nodiscard]] std::string NewRequestId();

}  // namespace fulcrum
