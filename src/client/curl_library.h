#pragma once

// libcurl, loaded with dlopen on first use rather than linked: libcurl pulls in about thirty shared
// libraries (TLS, Kerberos, LDAP, compression...), and loading them at every start of the binary
// would cost the server and the commands that never make a request several milliseconds each.
// Thread-safe.

#include <curl/curl.h>

#include "common/result.h"

namespace fulcrum::client {

// The libcurl functions the transport calls, with libcurl's own signatures.
struct CurlLibrary {
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_reset) easy_reset = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

// On success, libcurl (libcurl.so.4), loaded and globally initialised once per process; the
// library stays loaded until exit. Fails with EndpointConnectionError naming the loader's reason
// when libcurl cannot be loaded (the package libcurl4 is missing).
[[nodiscard]] Result<const CurlLibrary*> LoadCurl();

}  // namespace fulcrum::client
