#include "common/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>

namespace fulcrum {
namespace {

// OpenSSL fails here only when it cannot allocate or has no SHA-256 at all: nothing to recover.
void Check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

// The algorithm objects, fetched once. They live as long as the process: freeing them at exit
// would race OpenSSL's own exit-time clean-up.
struct Algorithms {
  EVP_MD* sha256 = nullptr;
  EVP_MAC* hmac = nullptr;
};

const Algorithms& Fetched() {
  static const Algorithms algorithms = [] {
    Algorithms fetched;
    fetched.sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    fetched.hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    Check(fetched.sha256 != nullptr && fetched.hmac != nullptr);
    return fetched;
  }();
  return algorithms;
}

// Per-thread contexts, reused by every call on that thread.
class ThreadContexts {
 public:
  ThreadContexts() : digest_(EVP_MD_CTX_new()), mac_(EVP_MAC_CTX_new(Fetched().hmac)) {
    Check(digest_ != nullptr && mac_ != nullptr);
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    Check(EVP_MAC_CTX_set_params(mac_, params) == 1);
  }
  ~ThreadContexts() {
    EVP_MAC_CTX_free(mac_);
    EVP_MD_CTX_free(digest_);
  }
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;

  EVP_MD_CTX* Digest() { return digest_; }
  EVP_MAC_CTX* Mac() { return mac_; }

 private:
  EVP_MD_CTX* digest_;
  EVP_MAC_CTX* mac_;
};

ThreadContexts& Contexts() {
  thread_local ThreadContexts contexts;
  return contexts;
}

constexpr char kHexDigits[] = "0123456789abcdef";

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  EVP_MD_CTX* ctx = Contexts().Digest();
  Sha256Digest digest{};
  unsigned int length = 0;
  Check(EVP_DigestInit_ex2(ctx, Fetched().sha256, nullptr) == 1);
  Check(EVP_DigestUpdate(ctx, data.data(), data.size()) == 1);
  Check(EVP_DigestFinal_ex(ctx, digest.data(), &length) == 1);
  return digest;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

Sha256Digest HmacSha256(std::span<const std::uint8_t> key, std::string_view data) {
  // EVP_MAC_init with a null key would reuse the previous key, so an empty key still needs a
  // non-null pointer.
  static constexpr std::uint8_t kEmptyKey[1] = {0};
  EVP_MAC_CTX* ctx = Contexts().Mac();
  Sha256Digest mac{};
  std::size_t length = 0;
  Check(EVP_MAC_init(ctx, key.empty() ? kEmptyKey : key.data(), key.size(), nullptr) == 1);
  Check(EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1);
  Check(EVP_MAC_final(ctx, mac.data(), &length, mac.size()) == 1);
  return mac;
}

Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  return HmacSha256(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()),
      data);
}

std::string HexEncode(std::span<const std::uint8_t> bytes) {
  std::string hex(bytes.size() * 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    hex[2 * i] = kHexDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kHexDigits[bytes[i] & 0x0f];
  }
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace fulcrum
