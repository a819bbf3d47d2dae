#include "protocol/service_model.h"

#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "protocol/embedded_models.h"

namespace fulcrum::protocol {
namespace {

namespace json = boost::json;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail("InvalidModel", std::move(message));
}

std::string_view StringOr(const json::object& object, std::string_view key,
                          std::string_view fallback = {}) {
  const json::value* found = object.if_contains(key);
  if (found == nullptr || !found->is_string()) return fallback;
  return found->get_string();
}

bool BoolOr(const json::object& object, std::string_view key, bool fallback = false) {
  const json::value* found = object.if_contains(key);
  if (found == nullptr || !found->is_bool()) return fallback;
  return found->get_bool();
}

std::optional<std::int64_t> IntOf(const json::object& object, std::string_view key) {
  const json::value* found = object.if_contains(key);
  if (found == nullptr) return std::nullopt;
  if (found->is_int64()) return found->get_int64();
  if (found->is_uint64()) return static_cast<std::int64_t>(found->get_uint64());
  if (found->is_double()) return static_cast<std::int64_t>(found->get_double());
  return std::nullopt;
}

std::optional<ShapeType> ParseShapeType(std::string_view type) {
  static constexpr std::pair<std::string_view, ShapeType> kTypes[] = {
      {"structure", ShapeType::kStructure},
      {"list", ShapeType::kList},
      {"map", ShapeType::kMap},
      {"string", ShapeType::kString},
      {"integer", ShapeType::kInteger},
      {"long", ShapeType::kLong},
      {"boolean", ShapeType::kBoolean},
      {"timestamp", ShapeType::kTimestamp},
      {"blob", ShapeType::kBlob},
      {"double", ShapeType::kDouble},
      {"float", ShapeType::kFloat},
  };
  for (const auto& [name, value] : kTypes) {
    if (name == type) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string LowerCamel(std::string_view name) {
  std::string out(name);
  if (!out.empty()) {
    out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  }
  return out;
}

const Member* Shape::FindMember(std::string_view member_name) const {
  for (const Member& m : members) {
    if (m.name == member_name) return &m;
  }
  return nullptr;
}

std::string_view Shape::ErrorCode() const {
  if (error && !error->code.empty()) return error->code;
  return name;
}

// Builds a ServiceModel from botocore JSON in two passes: create every shape, then resolve the
// references between them.
class ModelBuilder {
 public:
  Result<std::unique_ptr<const ServiceModel>> Build(std::string_view text) {
    boost::system::error_code ec;
    json::value root = json::parse(text, ec);
    if (ec || !root.is_object()) return Invalid("service model is not a JSON object");
    const json::object& doc = root.get_object();
    const json::object* metadata = ObjectAt(doc, "metadata");
    const json::object* shapes = ObjectAt(doc, "shapes");
    const json::object* operations = ObjectAt(doc, "operations");
    if (metadata == nullptr || shapes == nullptr || operations == nullptr) {
      return Invalid("service model lacks metadata, shapes or operations");
    }
    if (auto ok = ReadMetadata(*metadata); !ok) return tl::unexpected(ok.error());

    model_->shapes_.reserve(shapes->size());
    for (const auto& [name, definition] : *shapes) {
      auto shape = std::make_unique<Shape>();
      shape->name = std::string(name);
      model_->shapes_.push_back(std::move(shape));
    }
    for (const auto& shape : model_->shapes_) {
      model_->shapes_by_name_.emplace(shape->name, shape.get());
    }
    std::size_t index = 0;
    for (const auto& [name, definition] : *shapes) {
      if (!definition.is_object())
        return Invalid("shape " + std::string(name) + " is not an object");
      if (auto ok = ReadShape(*model_->shapes_[index++], definition.get_object()); !ok) {
        return tl::unexpected(ok.error());
      }
    }
    for (const auto& shape : model_->shapes_) {
      if (shape->exception) model_->errors_by_code_.emplace(shape->ErrorCode(), shape.get());
    }

    model_->operations_.reserve(operations->size());
    for (const auto& [name, definition] : *operations) {
      if (!definition.is_object()) {
        return Invalid("operation " + std::string(name) + " is not an object");
      }
      auto operation = ReadOperation(name, definition.get_object());
      if (!operation) return tl::unexpected(operation.error());
      model_->operations_.push_back(std::move(*operation));
    }
    for (const Operation& operation : model_->operations_) {
      model_->operations_by_name_.emplace(operation.name, &operation);
      model_->operations_by_http_.emplace(operation.http_method + " " + operation.request_uri,
                                          &operation);
    }
    return std::unique_ptr<const ServiceModel>(std::move(model_));
  }

 private:
  static const json::object* ObjectAt(const json::object& object, std::string_view key) {
    const json::value* found = object.if_contains(key);
    return found != nullptr ? found->if_object() : nullptr;
  }

  Result<void> ReadMetadata(const json::object& metadata) {
    const std::string_view protocol = StringOr(metadata, "protocol");
    if (protocol == "query") {
      model_->protocol_ = ProtocolKind::kQuery;
    } else if (protocol == "json") {
      model_->protocol_ = ProtocolKind::kJson;
    } else if (protocol == "rest-json") {
      model_->protocol_ = ProtocolKind::kRestJson;
    } else {
      return Invalid("unsupported protocol '" + std::string(protocol) + "'");
    }
    model_->api_version_ = StringOr(metadata, "apiVersion");
    model_->signing_name_ = StringOr(metadata, "signingName", StringOr(metadata, "endpointPrefix"));
    model_->target_prefix_ = StringOr(metadata, "targetPrefix");
    model_->xml_namespace_ = StringOr(metadata, "xmlNamespace");
    model_->service_id_ = StringOr(metadata, "serviceId");
    return {};
  }

  const Shape* Resolve(std::string_view name) const { return model_->FindShape(name); }

  // Reads a shape reference ({"shape": "...", "locationName": ...}) into `member`.
  Result<Member> ReadMember(std::string_view name, const json::value& reference,
                            std::string_view owner) const {
    const json::object* ref = reference.if_object();
    if (ref == nullptr)
      return Invalid("bad member " + std::string(name) + " in " + std::string(owner));
    Member member;
    member.name = std::string(name);
    member.shape = Resolve(StringOr(*ref, "shape"));
    if (member.shape == nullptr) {
      return Invalid("member " + std::string(name) + " of " + std::string(owner) +
                     " refers to an undefined shape");
    }
    member.location_name = StringOr(*ref, "locationName");
    member.path_name = LowerCamel(name);
    member.flattened = BoolOr(*ref, "flattened");
    return member;
  }

  Result<void> ReadShape(Shape& shape, const json::object& definition) const {
    const auto type = ParseShapeType(StringOr(definition, "type"));
    if (!type) return Invalid("shape " + shape.name + " has an unsupported type");
    shape.type = *type;
    shape.flattened = BoolOr(definition, "flattened");
    shape.min = IntOf(definition, "min");
    shape.max = IntOf(definition, "max");
    shape.sensitive = BoolOr(definition, "sensitive");
    shape.exception = BoolOr(definition, "exception");
    shape.fault = BoolOr(definition, "fault");
    shape.timestamp_format = StringOr(definition, "timestampFormat");
    shape.pattern = StringOr(definition, "pattern");
    if (!shape.pattern.empty()) shape.matcher = PatternMatcher::Compile(shape.pattern);
    if (const json::value* values = definition.if_contains("enum"); values && values->is_array()) {
      for (const json::value& v : values->get_array()) {
        if (v.is_string()) shape.enum_values.emplace_back(v.get_string());
      }
    }
    if (const json::object* error = ObjectAt(definition, "error")) {
      ErrorInfo info;
      info.code = StringOr(*error, "code");
      if (const auto status = IntOf(*error, "httpStatusCode")) {
        info.http_status = static_cast<int>(*status);
      }
      info.sender_fault = BoolOr(*error, "senderFault");
      shape.error = std::move(info);
    }
    switch (shape.type) {
      case ShapeType::kStructure: {
        if (const json::object* members = ObjectAt(definition, "members")) {
          shape.members.reserve(members->size());
          for (const auto& [name, reference] : *members) {
            auto member = ReadMember(name, reference, shape.name);
            if (!member) return tl::unexpected(member.error());
            shape.members.push_back(std::move(*member));
          }
        }
        if (const json::value* required = definition.if_contains("required");
            required && required->is_array()) {
          for (const json::value& name : required->get_array()) {
            if (!name.is_string()) continue;
            for (Member& m : shape.members) {
              if (m.name == name.get_string()) m.required = true;
            }
          }
        }
        break;
      }
      case ShapeType::kList: {
        const json::value* member = definition.if_contains("member");
        if (member == nullptr) return Invalid("list " + shape.name + " has no member");
        auto read = ReadMember("member", *member, shape.name);
        if (!read) return tl::unexpected(read.error());
        shape.member = std::move(*read);
        break;
      }
      case ShapeType::kMap: {
        const json::value* key = definition.if_contains("key");
        const json::value* value = definition.if_contains("value");
        if (key == nullptr || value == nullptr) {
          return Invalid("map " + shape.name + " lacks key or value");
        }
        auto read_key = ReadMember("key", *key, shape.name);
        if (!read_key) return tl::unexpected(read_key.error());
        auto read_value = ReadMember("value", *value, shape.name);
        if (!read_value) return tl::unexpected(read_value.error());
        shape.key = std::move(*read_key);
        shape.value = std::move(*read_value);
        break;
      }
      default:
        break;
    }
    return {};
  }

  Result<Operation> ReadOperation(std::string_view name, const json::object& definition) const {
    Operation operation;
    operation.name = std::string(StringOr(definition, "name", name));
    if (const json::object* http = ObjectAt(definition, "http")) {
      operation.http_method = StringOr(*http, "method", "POST");
      operation.request_uri = StringOr(*http, "requestUri", "/");
      if (const auto code = IntOf(*http, "responseCode")) {
        operation.http_response_code = static_cast<int>(*code);
      }
    } else {
      operation.http_method = "POST";
      operation.request_uri = "/";
    }
    const auto shape_of = [&](std::string_view key) -> Result<const Shape*> {
      const json::object* ref = ObjectAt(definition, key);
      if (ref == nullptr) return nullptr;
      const Shape* shape = Resolve(StringOr(*ref, "shape"));
      if (shape == nullptr) {
        return Invalid("operation " + operation.name + " refers to an undefined " +
                       std::string(key) + " shape");
      }
      return shape;
    };
    auto input = shape_of("input");
    if (!input) return tl::unexpected(input.error());
    auto output = shape_of("output");
    if (!output) return tl::unexpected(output.error());
    operation.input = *input;
    operation.output = *output;
    if (const json::object* ref = ObjectAt(definition, "output")) {
      operation.result_wrapper = StringOr(*ref, "resultWrapper");
    }
    if (const json::value* errors = definition.if_contains("errors");
        errors && errors->is_array()) {
      for (const json::value& ref : errors->get_array()) {
        const json::object* object = ref.if_object();
        const Shape* shape = object ? Resolve(StringOr(*object, "shape")) : nullptr;
        if (shape == nullptr) {
          return Invalid("operation " + operation.name + " refers to an undefined error shape");
        }
        operation.errors.push_back(shape);
      }
    }
    return operation;
  }

  std::unique_ptr<ServiceModel> model_{new ServiceModel()};
};

Result<std::unique_ptr<const ServiceModel>> ServiceModel::Parse(std::string_view json_text) {
  try {
    return ModelBuilder().Build(json_text);
  } catch (const std::exception& e) {
    return Invalid(std::string("service model: ") + e.what());
  }
}

const Operation* ServiceModel::FindOperation(std::string_view name) const {
  const auto it = operations_by_name_.find(name);
  return it == operations_by_name_.end() ? nullptr : it->second;
}

const Operation* ServiceModel::FindOperationByHttp(std::string_view method,
                                                   std::string_view path) const {
  if (const std::size_t query = path.find('?'); query != std::string_view::npos) {
    path = path.substr(0, query);
  }
  std::string key;
  key.reserve(method.size() + 1 + path.size());
  key.append(method).append(" ").append(path);
  const auto it = operations_by_http_.find(key);
  return it == operations_by_http_.end() ? nullptr : it->second;
}

const Shape* ServiceModel::FindError(std::string_view code) const {
  const auto it = errors_by_code_.find(code);
  return it == errors_by_code_.end() ? nullptr : it->second;
}

const Shape* ServiceModel::FindShape(std::string_view name) const {
  const auto it = shapes_by_name_.find(name);
  return it == shapes_by_name_.end() ? nullptr : it->second;
}

namespace {

std::unique_ptr<const ServiceModel> LoadEmbedded(std::string_view name, std::string_view text) {
  auto model = ServiceModel::Parse(text);
  if (!model) {
    std::fprintf(stderr, "fulcrum: the embedded %.*s model does not load: %s\n",
                 static_cast<int>(name.size()), name.data(), model.error().message.c_str());
    std::abort();
  }
  return std::move(*model);
}

}  // namespace

const ServiceModel& Model(ServiceId service) {
  switch (service) {
    case ServiceId::kIam: {
      static const auto model = LoadEmbedded("IAM", embedded::IamModelJson());
      return *model;
    }
    case ServiceId::kSts: {
      static const auto model = LoadEmbedded("STS", embedded::StsModelJson());
      return *model;
    }
    case ServiceId::kOrganizations: {
      static const auto model = LoadEmbedded("Organizations", embedded::OrganizationsModelJson());
      return *model;
    }
    case ServiceId::kAccount: {
      static const auto model = LoadEmbedded("Account", embedded::AccountModelJson());
      return *model;
    }
  }
  std::abort();
}

}  // namespace fulcrum::protocol
