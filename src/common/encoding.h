#pragma once

// Text encodings used on the wire: base64 (blobs), base32 (TOTP seeds), percent-encoding (URLs,
// form bodies, SigV4) and query strings. Pure functions; all are thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fulcrum {

// Base64 with the standard alphabet and '=' padding (RFC 4648 section 4).
[[nodiscard]] std::string Base64Encode(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::string Base64Encode(std::string_view bytes);
// The decoded bytes, or nullopt when `text` is not padded standard base64 (a length that is not
// a multiple of 4, a character outside the alphabet, misplaced padding, non-zero trailing bits).
[[nodiscard]] std::optional<std::string> Base64Decode(std::string_view text);

// Base32 (RFC 4648 section 6), upper case, without '=' padding.
[[nodiscard]] std::string Base32Encode(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::string Base32Encode(std::string_view bytes);
// The decoded bytes, or nullopt on a character outside the alphabet or an impossible length.
// Accepts lower case and trailing '=' padding.
[[nodiscard]] std::optional<std::string> Base32Decode(std::string_view text);

// Percent-encodes every byte outside the RFC 3986 unreserved set (A-Za-z0-9-_.~), with upper-case
// hex; '/' is kept as is when `keep_slash`. This is the encoding SigV4 specifies.
[[nodiscard]] std::string PercentEncode(std::string_view text, bool keep_slash = false);

// Decodes %XX escapes (either case), and '+' to a space when `plus_as_space` (form bodies).
// Returns nullopt when a '%' is not followed by two hex digits.
[[nodiscard]] std::optional<std::string> PercentDecode(std::string_view text,
                                                       bool plus_as_space = false);

// Splits a query string or form body on '&', then each piece on its first '=' (a piece without
// '=' has an empty value), and percent-decodes both sides. Empty pieces are skipped; a piece with
// a malformed escape keeps that side's raw text. Order and repeats are kept.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> ParseQueryString(
    std::string_view query, bool plus_as_space = false);

}  // namespace fulcrum
