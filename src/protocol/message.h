#pragma once

// What the codecs exchange with the HTTP layer and the services.
//
// A service never sees the wire: each operation binding converts its typed request and response
// to and from a neutral document, a boost::json::value shaped like the operation's input or
// output shape in the AWS model:
//   structure -> object keyed by member name (not locationName), absent members left out
//   list -> array; map -> object; string and enum -> string; integer, long, double, float ->
//   number; boolean -> bool;
//   timestamp -> epoch seconds as a number (int64, or double for fractions; see document.h);
//   blob -> the raw bytes in a string.
// The codecs render each of these per protocol (ISO 8601 in XML, epoch numbers in JSON, base64
// for blobs in both).

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "protocol/service_model.h"

namespace fulcrum::protocol {

// A request decoded and validated against its operation's input shape.
struct DecodedInput {
  const Operation* operation = nullptr;  // never null on success; points into a ServiceModel
  boost::json::object input;             // the input document ({} for operations without input)
};

// An HTTP response, ready to write.
struct EncodedResponse {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  std::string body;
};

}  // namespace fulcrum::protocol
