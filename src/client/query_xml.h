#pragma once

// Reading the XML of AWS's query protocol (IAM, STS): success documents
// `<OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>` and error documents
// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
// https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
//
// Like the AWS SDKs, the readers tolerate a missing XML declaration, namespace or
// ResponseMetadata, any root element name, entities (`&amp;`, `&#233;`) and `<L/>` for an empty
// list. The functions are pure and thread-safe; an XmlReader is a short-lived value owned by one
// parser.

#include <boost/property_tree/ptree.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace fulcrum::client {

// An element: `data()` is its text, children are its elements in order (attributes sit under
// "<xmlattr>").
using XmlNode = boost::property_tree::ptree;

// On success, the response's `<{action}Result>` element, or an empty node when the document has
// none (operations without output). `status` is the HTTP status. For any status outside 200-299
// the error is ParseQueryError's. Fails with ResponseParserError when a 2xx body is not XML.
[[nodiscard]] Result<XmlNode> ParseQueryResponse(std::string_view action, long status,
                                                 std::string_view body, std::string_view url);

// The AWS error in an error response: Error{Code, Message} with fields "Type" (when sent),
// "RequestId" (when sent) and "HttpStatus". When the body is not an AWS error document (a proxy's
// HTML page, an empty body), the code is the status as text ("502", as botocore reports it) and
// the message names the URL, the status and the start of the body.
[[nodiscard]] Error ParseQueryError(long status, std::string_view body, std::string_view url);

// Typed reads of an element's children, remembering the first missing required member so that a
// parser can read every member and check once. Names are element names, not paths.
class XmlReader {
 public:
  // `context` names the element in messages ("GetUserResult.User").
  XmlReader(const XmlNode& node, std::string context);

  [[nodiscard]] std::optional<std::string> OptionalText(std::string_view name) const;
  [[nodiscard]] std::string Text(std::string_view name);
  [[nodiscard]] std::optional<TimePoint> OptionalTime(std::string_view name);
  [[nodiscard]] TimePoint Time(std::string_view name);
  [[nodiscard]] std::optional<bool> OptionalBool(std::string_view name);
  [[nodiscard]] std::optional<long long> OptionalInteger(std::string_view name);
  // Base64-decoded bytes; a present member that is not base64 is an error.
  [[nodiscard]] std::optional<std::string> OptionalBlob(std::string_view name);

  // The child element `name`, or nullptr.
  [[nodiscard]] const XmlNode* Child(std::string_view name) const;
  // The `<member>` elements of list `name` (absent or empty: none).
  [[nodiscard]] std::vector<const XmlNode*> Members(std::string_view name) const;
  // Records that required child `name` is missing (for nested structures read by the caller).
  void Missing(std::string_view name);
  // Records the first failure of `nested` (a reader of one of this element's children).
  void Include(const XmlReader& nested);

  // The first failure, as ResponseParserError, or success.
  [[nodiscard]] Result<void> status() const;

  [[nodiscard]] const std::string& context() const { return context_; }

 private:
  void Record(std::string message);

  const XmlNode& node_;
  std::string context_;
  std::optional<std::string> failure_;
};

}  // namespace fulcrum::client
