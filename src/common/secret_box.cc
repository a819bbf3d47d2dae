#include "common/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace fulcrum {
namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
using UpdateFunction = int (*)(EVP_CIPHER_CTX*, unsigned char*, int*, const unsigned char*, int);

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fatal: SecretBox: %s\n", what);
  std::abort();
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* Bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

// Feeds `in` to the cipher in pieces that fit an int. With `out` null the input is associated
// data; otherwise GCM writes exactly as many bytes as it reads. Returns false if OpenSSL fails.
bool CipherUpdate(UpdateFunction update, EVP_CIPHER_CTX* ctx, unsigned char* out,
                  const unsigned char* in, size_t size) {
  constexpr size_t kMaxChunk = size_t{1} << 30;
  while (size > 0) {
    const size_t chunk = std::min(size, kMaxChunk);
    int written = 0;
    if (update(ctx, out, &written, in, static_cast<int>(chunk)) != 1) return false;
    if (out != nullptr) {
      if (static_cast<size_t>(written) != chunk) return false;
      out += chunk;
    }
    in += chunk;
    size -= chunk;
  }
  return true;
}

tl::unexpected<Error> OpenFailure(std::string message) {
  return Fail("InternalFailure", std::move(message));
}

}  // namespace

Result<SecretBox> SecretBox::FromKey(std::string_view key) {
  if (key.size() != kKeySize) {
    return Fail("InvalidParameterValue", "a SecretBox key must be " + std::to_string(kKeySize) +
                                             " bytes, got " + std::to_string(key.size()));
  }
  return SecretBox(key);
}

SecretBox::SecretBox(std::string_view key) {
  if (key.size() != kKeySize) Die("the key must be 32 bytes");
  std::copy(key.begin(), key.end(), key_.begin());
}

SecretBox::~SecretBox() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated_data) const {
  std::string sealed(kOverhead + plaintext.size(), '\0');
  unsigned char* out = Bytes(sealed);
  out[0] = kVersion;
  unsigned char* nonce = out + 1;
  unsigned char* ciphertext = nonce + kNonceSize;
  unsigned char* tag = ciphertext + plaintext.size();
  if (RAND_bytes(nonce, static_cast<int>(kNonceSize)) != 1) Die("RAND_bytes failed");

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (ctx == nullptr) Die("EVP_CIPHER_CTX_new failed");
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), nonce) != 1) {
    Die("cannot initialise AES-256-GCM");
  }
  const unsigned char version = kVersion;
  if (!CipherUpdate(&EVP_EncryptUpdate, ctx.get(), nullptr, &version, 1) ||
      !CipherUpdate(&EVP_EncryptUpdate, ctx.get(), nullptr, Bytes(associated_data),
                    associated_data.size()) ||
      !CipherUpdate(&EVP_EncryptUpdate, ctx.get(), ciphertext, Bytes(plaintext),
                    plaintext.size())) {
    Die("AES-256-GCM encryption failed");
  }
  int final_size = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), tag, &final_size) != 1 || final_size != 0 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), tag) != 1) {
    Die("AES-256-GCM finalisation failed");
  }
  return sealed;
}

Result<std::string> SecretBox::Open(std::string_view sealed,
                                    std::string_view associated_data) const {
  if (sealed.size() < kOverhead) {
    return OpenFailure("sealed secret is truncated: " + std::to_string(sealed.size()) +
                       " bytes, at least " + std::to_string(kOverhead) + " expected");
  }
  const unsigned char* in = Bytes(sealed);
  if (in[0] != kVersion) {
    return OpenFailure("sealed secret has unknown format version " + std::to_string(in[0]));
  }
  const unsigned char* nonce = in + 1;
  const unsigned char* ciphertext = nonce + kNonceSize;
  const size_t ciphertext_size = sealed.size() - kOverhead;
  // EVP_CIPHER_CTX_ctrl takes a non-const tag buffer.
  std::array<unsigned char, kTagSize> tag{};
  std::copy_n(ciphertext + ciphertext_size, kTagSize, tag.begin());

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (ctx == nullptr) return OpenFailure("cannot allocate a cipher context");
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize),
                          nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), nonce) != 1) {
    return OpenFailure("cannot initialise AES-256-GCM");
  }
  std::string plaintext(ciphertext_size, '\0');
  const unsigned char version = kVersion;
  if (!CipherUpdate(&EVP_DecryptUpdate, ctx.get(), nullptr, &version, 1) ||
      !CipherUpdate(&EVP_DecryptUpdate, ctx.get(), nullptr, Bytes(associated_data),
                    associated_data.size()) ||
      !CipherUpdate(&EVP_DecryptUpdate, ctx.get(), Bytes(plaintext), ciphertext, ciphertext_size) ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                          tag.data()) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return OpenFailure("AES-256-GCM decryption failed");
  }
  std::array<unsigned char, kTagSize> final_block{};
  int final_size = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), final_block.data(), &final_size) != 1 || final_size != 0) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return OpenFailure(
        "sealed secret failed authentication: wrong key, wrong associated data, or altered data");
  }
  return plaintext;
}

}  // namespace fulcrum
