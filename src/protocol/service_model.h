#pragma once

// The AWS service models (botocore's JSON service definitions) as typed, immutable tables: the
// protocol, the operations and the shapes of their inputs, outputs and errors. The codecs in this
// folder are driven by these tables; nothing else in Fulcrum needs to know the wire forms.
//
// The models of IAM, STS, Organizations and Account are embedded in the library at build time
// (models/stripped/*.json) and parsed once, at first use. Every object reachable from a
// ServiceModel is immutable and lives as long as the model (the embedded ones: the program), so
// pointers into it may be kept. Thread-safe.
//
// Model format: https://github.com/boto/botocore/blob/develop/botocore/model.py

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "protocol/pattern.h"

namespace fulcrum::protocol {

enum class ServiceId { kIam, kSts, kOrganizations, kAccount };

// The wire protocols of the four services: awsQuery (form in, XML out), awsJson1_1, restJson1.
enum class ProtocolKind { kQuery, kJson, kRestJson };

enum class ShapeType {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kTimestamp,
  kBlob,
  kDouble,
  kFloat,
};

struct Shape;

// A reference from a structure, list or map to the shape of one of its parts, with the
// serialization traits the reference carries.
struct Member {
  std::string name;  // the member name ("RoleArn"); "member"/"key"/"value" otherwise
  const Shape* shape = nullptr;
  std::string location_name;  // "locationName", or empty
  std::string path_name;      // lower camel case name used in validation messages ("roleArn")
  bool required = false;
  bool flattened = false;

  // The element name in XML and the key in JSON: location_name when set, else name.
  [[nodiscard]] const std::string& WireName() const {
    return location_name.empty() ? name : location_name;
  }
};

// A modelled error: the shape's "error" trait (absent for Organizations' errors, whose code is the
// shape name).
struct ErrorInfo {
  std::string code;
  std::optional<int> http_status;
  bool sender_fault = false;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kString;
  std::vector<Member> members;  // structure: in model order, which is the wire order
  Member member;                // list: the element
  Member key;                   // map
  Member value;                 // map
  bool flattened = false;       // list or map
  std::vector<std::string> enum_values;
  std::optional<std::int64_t> min;  // length (string, blob, list, map) or value (numbers)
  std::optional<std::int64_t> max;
  std::string pattern;                    // as written in the model; empty when none
  std::optional<PatternMatcher> matcher;  // compiled `pattern`; nullopt when unsupported/absent
  bool sensitive = false;
  bool exception = false;
  bool fault = false;
  std::optional<ErrorInfo> error;
  std::string timestamp_format;  // "timestampFormat" trait, or empty for the protocol default

  // The structure member called `name` (not locationName), or nullptr.
  [[nodiscard]] const Member* FindMember(std::string_view member_name) const;
  // The error code clients see: error.code when modelled, else the shape name.
  [[nodiscard]] std::string_view ErrorCode() const;
};

struct Operation {
  std::string name;
  std::string http_method;  // "POST"
  std::string request_uri;  // "/" or, for restJson1, "/getAlternateContact"
  int http_response_code = 200;
  const Shape* input = nullptr;   // nullptr when the operation takes no input
  const Shape* output = nullptr;  // nullptr when the operation returns nothing
  std::string result_wrapper;     // query: "<Op>Result"; empty when the model names none
  std::vector<const Shape*> errors;
};

class ServiceModel {
 public:
  // On success, the model described by `json` (botocore's service-2.json format, with or without
  // documentation). Fails with "InvalidModel" on malformed JSON, an unknown protocol or shape
  // type, or a reference to an undefined shape.
  [[nodiscard]] static Result<std::unique_ptr<const ServiceModel>> Parse(std::string_view json);

  ServiceModel(const ServiceModel&) = delete;
  ServiceModel& operator=(const ServiceModel&) = delete;

  [[nodiscard]] ProtocolKind protocol() const { return protocol_; }
  [[nodiscard]] const std::string& api_version() const { return api_version_; }
  [[nodiscard]] const std::string& signing_name() const { return signing_name_; }
  [[nodiscard]] const std::string& target_prefix() const { return target_prefix_; }
  [[nodiscard]] const std::string& xml_namespace() const { return xml_namespace_; }
  [[nodiscard]] const std::string& service_id() const { return service_id_; }

  // Operations in model order (alphabetical in botocore's files).
  [[nodiscard]] std::span<const Operation> operations() const { return operations_; }
  // The operation with this exact name, or nullptr.
  [[nodiscard]] const Operation* FindOperation(std::string_view name) const;
  // restJson1: the operation bound to `method` and `path` (the request path, any "?query" is
  // ignored), or nullptr.
  [[nodiscard]] const Operation* FindOperationByHttp(std::string_view method,
                                                     std::string_view path) const;
  // The modelled error whose wire code (Shape::ErrorCode) is `code`, or nullptr.
  [[nodiscard]] const Shape* FindError(std::string_view code) const;
  // The shape with this name, or nullptr.
  [[nodiscard]] const Shape* FindShape(std::string_view name) const;

 private:
  ServiceModel() = default;
  friend class ModelBuilder;

  ProtocolKind protocol_ = ProtocolKind::kQuery;
  std::string api_version_;
  std::string signing_name_;
  std::string target_prefix_;
  std::string xml_namespace_;
  std::string service_id_;
  std::vector<std::unique_ptr<Shape>> shapes_;
  std::vector<Operation> operations_;
  std::unordered_map<std::string_view, const Shape*> shapes_by_name_;
  std::unordered_map<std::string_view, const Operation*> operations_by_name_;
  std::unordered_map<std::string, const Operation*> operations_by_http_;  // "POST /path"
  std::unordered_map<std::string_view, const Shape*> errors_by_code_;
};

// The embedded model of `service`, parsed at the first call. Thread-safe; never fails (a model
// that does not parse is a build defect and aborts the program).
[[nodiscard]] const ServiceModel& Model(ServiceId service);

// "roleArn" for "RoleArn": the member name with its first character in lower case, as AWS names
// members in validation messages.
[[nodiscard]] std::string LowerCamel(std::string_view name);

}  // namespace fulcrum::protocol
