#include "client/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace fulcrum::client {
namespace {

constexpr const char* kLibraryName = "libcurl.so.4";

// Loads `symbol` into `target`; false when it is missing.
template <class Function>
bool Bind(void* library, const char* symbol, Function& target) {
  void* address = ::dlsym(library, symbol);
  if (address == nullptr) return false;
  target = reinterpret_cast<Function>(address);
  return true;
}

struct Loaded {
  CurlLibrary library;
  std::string error;  // Empty on success.
};

Loaded Load() {
  Loaded loaded;
  void* handle = ::dlopen(kLibraryName, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): runs once, under the static initialiser's lock.
    const char* reason = ::dlerror();
    loaded.error = std::string("cannot load ") + kLibraryName + ": " +
                   (reason != nullptr ? reason : "unknown error");
    return loaded;
  }
  CurlLibrary& curl = loaded.library;
  decltype(&curl_global_init) global_init = nullptr;
  const bool bound = Bind(handle, "curl_global_init", global_init) &&
                     Bind(handle, "curl_easy_init", curl.easy_init) &&
                     Bind(handle, "curl_easy_cleanup", curl.easy_cleanup) &&
                     Bind(handle, "curl_easy_reset", curl.easy_reset) &&
                     Bind(handle, "curl_easy_setopt", curl.easy_setopt) &&
                     Bind(handle, "curl_easy_getinfo", curl.easy_getinfo) &&
                     Bind(handle, "curl_easy_perform", curl.easy_perform) &&
                     Bind(handle, "curl_easy_strerror", curl.easy_strerror) &&
                     Bind(handle, "curl_slist_append", curl.slist_append) &&
                     Bind(handle, "curl_slist_free_all", curl.slist_free_all);
  if (!bound) {
    loaded.error = std::string(kLibraryName) + " lacks a function Fulcrum needs (too old?)";
    return loaded;
  }
  if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    loaded.error = "libcurl failed to initialise";
  }
  return loaded;
}

}  // namespace

Result<const CurlLibrary*> LoadCurl() {
  // Initialised once, thread-safely; curl_global_init itself is not thread-safe.
  static const Loaded loaded = Load();
  if (!loaded.error.empty()) return Fail("EndpointConnectionError", loaded.error);
  return &loaded.library;
}

}  // namespace fulcrum::client
