#include "sigv4/canonical.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "common/crypto.h"

namespace fulcrum::sigv4 {
namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Appends `text` percent-encoded with the unreserved set (and '/' when `keep_slash`).
void AppendEncoded(std::string& out, std::string_view text, bool keep_slash) {
  for (const char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kUpperHex[byte >> 4];
      out += kUpperHex[byte & 0x0f];
    }
  }
}

// Decodes %XX escapes; a '%' that does not start a valid escape is kept as is. '+' stays '+'.
std::string DecodeLenient(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && text.size() - i >= 3) {
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// Re-encodes one side of a query parameter; the common case (nothing to decode or encode) is a
// plain copy.
std::string CanonicalQueryPart(std::string_view raw) {
  if (std::all_of(raw.begin(), raw.end(), IsUnreserved)) {
    return std::string(raw);
  }
  const std::string decoded = DecodeLenient(raw);
  std::string out;
  out.reserve(decoded.size() + 8);
  AppendEncoded(out, decoded, /*keep_slash=*/false);
  return out;
}

void AppendCanonicalUri(std::string& out, std::string_view raw_path) {
  if (raw_path == "/" || raw_path.empty()) {
    out += '/';
    return;
  }
  // Resolve the segments, keeping views into `raw_path`.
  std::vector<std::string_view> segments;
  std::string_view rest = raw_path;
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") {
      continue;
    }
    if (segment == "..") {
      if (!segments.empty()) {
        segments.pop_back();
      }
      continue;
    }
    segments.push_back(segment);
  }
  for (const std::string_view segment : segments) {
    out += '/';
    AppendEncoded(out, segment, /*keep_slash=*/false);
  }
  if (segments.empty() || raw_path.back() == '/') {
    out += '/';
  }
}

void AppendCanonicalQuery(std::string& out, std::string_view raw_query) {
  if (raw_query.empty()) {
    return;
  }
  std::vector<std::pair<std::string, std::string>> params;
  while (!raw_query.empty()) {
    const std::size_t amp = raw_query.find('&');
    const std::string_view piece = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (piece.empty()) {
      continue;
    }
    const std::size_t eq = piece.find('=');
    std::string key = CanonicalQueryPart(piece.substr(0, eq));
    if (key == "X-Amz-Signature") {
      continue;
    }
    params.emplace_back(std::move(key),
                        CanonicalQueryPart(eq == std::string_view::npos ? std::string_view()
                                                                        : piece.substr(eq + 1)));
  }
  std::sort(params.begin(), params.end());
  bool first = true;
  for (const auto& [key, value] : params) {
    if (!first) {
      out += '&';
    }
    first = false;
    out += key;
    out += '=';
    out += value;
  }
}

// Appends `value` trimmed, with runs of blanks collapsed to one space.
void AppendHeaderValue(std::string& out, std::string_view value) {
  while (!value.empty()) {
    const std::size_t word_start = value.find_first_not_of(" \t");
    if (word_start == std::string_view::npos) {
      return;
    }
    value.remove_prefix(word_start);
    const std::size_t word_end = value.find_first_of(" \t");
    out.append(value.substr(0, word_end));
    if (word_end == std::string_view::npos) {
      return;
    }
    value.remove_prefix(word_end);
    if (value.find_first_not_of(" \t") != std::string_view::npos) {
      out += ' ';
    }
  }
}

void AppendCanonicalHeaders(std::string& out, const HttpRequest& request,
                            std::span<const std::string> signed_headers) {
  for (const std::string& name : signed_headers) {
    bool found = false;
    for (const auto& [header_name, value] : request.headers) {
      if (!EqualsIgnoreCase(header_name, name)) {
        continue;
      }
      if (!found) {
        out += name;
        out += ':';
        found = true;
      } else {
        out += ',';
      }
      AppendHeaderValue(out, value);
    }
    if (found) {
      out += '\n';
    }
  }
}

void AppendSignedHeaders(std::string& out, std::span<const std::string> signed_headers) {
  for (std::size_t i = 0; i < signed_headers.size(); ++i) {
    if (i > 0) {
      out += ';';
    }
    out += signed_headers[i];
  }
}

}  // namespace

std::string CanonicalUri(std::string_view raw_path) {
  std::string out;
  out.reserve(raw_path.size() + 16);
  AppendCanonicalUri(out, raw_path);
  return out;
}

std::string CanonicalQueryString(std::string_view raw_query) {
  std::string out;
  out.reserve(raw_query.size() + 16);
  AppendCanonicalQuery(out, raw_query);
  return out;
}

std::string CanonicalHeaders(const HttpRequest& request,
                             std::span<const std::string> signed_headers) {
  std::string out;
  AppendCanonicalHeaders(out, request, signed_headers);
  return out;
}

std::string SignedHeadersLine(std::span<const std::string> signed_headers) {
  std::string out;
  AppendSignedHeaders(out, signed_headers);
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, std::string_view canonical_headers,
                             std::string_view signed_headers_line, std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() +
              canonical_headers.size() + signed_headers_line.size() + payload_hash.size() + 5);
  out += method;
  out += '\n';
  out += canonical_uri;
  out += '\n';
  out += canonical_query;
  out += '\n';
  out += canonical_headers;
  out += '\n';
  out += signed_headers_line;
  out += '\n';
  out += payload_hash;
  return out;
}

std::string CanonicalRequestFor(const HttpRequest& request,
                                std::span<const std::string> signed_headers,
                                std::string_view payload_hash) {
  const TargetParts target = SplitTarget(request.target);
  std::string out;
  out.reserve(512 + target.query.size());
  out += request.method;
  out += '\n';
  AppendCanonicalUri(out, target.path);
  out += '\n';
  AppendCanonicalQuery(out, target.query);
  out += '\n';
  AppendCanonicalHeaders(out, request, signed_headers);
  out += '\n';
  AppendSignedHeaders(out, signed_headers);
  out += '\n';
  out += payload_hash;
  return out;
}

std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string scope;
  scope.reserve(date.size() + region.size() + service.size() + kTerminator.size() + 3);
  scope += date;
  scope += '/';
  scope += region;
  scope += '/';
  scope += service;
  scope += '/';
  scope += kTerminator;
  return scope;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out;
  out.reserve(kAlgorithm.size() + amz_date.size() + scope.size() + 64 + 3);
  out += kAlgorithm;
  out += '\n';
  out += amz_date;
  out += '\n';
  out += scope;
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

SigningKey DeriveSigningKey(std::string_view secret, std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string first_key;
  first_key.reserve(4 + secret.size());
  first_key += "AWS4";
  first_key += secret;
  const SigningKey date_key = HmacSha256(first_key, date);
  // Do not leave the secret behind in freed memory.
  OPENSSL_cleanse(first_key.data(), first_key.size());
  const SigningKey region_key = HmacSha256(date_key, region);
  const SigningKey service_key = HmacSha256(region_key, service);
  return HmacSha256(service_key, kTerminator);
}

std::string ComputeSignature(const SigningKey& key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(key, string_to_sign));
}

}  // namespace fulcrum::sigv4
