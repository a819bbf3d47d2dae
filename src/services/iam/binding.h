#pragma once

// Helpers for binding the IAM operations' input and output documents (see services/operation.h)
// to typed values. Members are named as in the IAM model ("UserName", "Tags").

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "services/operation.h"
#include "storage/iam_records.h"
#include "storage/iam_store.h"

namespace fulcrum::services::iam {

// The string member `name`, or nullopt when absent. The codec has already checked types,
// lengths and patterns against the model.
[[nodiscard]] std::optional<std::string> OptionalString(const boost::json::object& input,
                                                        std::string_view name);
// The string member `name`, or `fallback` when absent.
[[nodiscard]] std::string StringOr(const boost::json::object& input, std::string_view name,
                                   std::string_view fallback);
[[nodiscard]] std::optional<std::int64_t> OptionalInteger(const boost::json::object& input,
                                                          std::string_view name);
[[nodiscard]] std::optional<bool> OptionalBool(const boost::json::object& input,
                                               std::string_view name);
// A list of strings ("TagKeys"); empty when absent.
[[nodiscard]] std::vector<std::string> StringList(const boost::json::object& input,
                                                  std::string_view name);
// A list of {Key, Value} ("Tags"); empty when absent.
[[nodiscard]] storage::Tags TagList(const boost::json::object& input, std::string_view name);
// Marker and MaxItems (IAM's default page size is 100).
[[nodiscard]] storage::PageRequest PageOf(const boost::json::object& input);

// A view of the optional string, for methods that take optional views.
[[nodiscard]] std::optional<std::string_view> ViewOf(const std::optional<std::string>& text);

// The output of an operation without output members: {} on success, else the error.
[[nodiscard]] Result<boost::json::value> NoOutput(const Result<void>& result);

// The resource of operations that act on no one resource: "*".
[[nodiscard]] std::string AnyResource(const RequestContext& context,
                                      const boost::json::object& input);

// The resource of the List operations of `kind` ("user", "role", "group"): the caller's
// account's "arn:aws:iam::<id>:<kind>" followed by PathPrefix (default "/"), as AWS names it in
// AccessDenied ("on resource: arn:aws:iam::123456789012:role/").
[[nodiscard]] ResourceResolver ListedUnder(std::string_view kind);

// Timestamps in output documents.
[[nodiscard]] boost::json::value Timestamp(TimePoint time);
[[nodiscard]] boost::json::array TagsJson(const storage::Tags& tags);
// Sets IsTruncated and, when truncated, Marker.
void AddPageFields(boost::json::object& output, const std::string& next_marker);

}  // namespace fulcrum::services::iam
