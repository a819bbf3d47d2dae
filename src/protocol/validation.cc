#include "protocol/validation.h"

#include <algorithm>
#include <boost/json.hpp>

#include "common/document.h"
#include "protocol/pattern.h"

namespace fulcrum::protocol {
namespace {

namespace json = boost::json;

// Renders a scalar as AWS prints it inside 'quotes'; nullopt for values it leaves out.
std::optional<std::string> Printable(const Shape& shape, const json::value& value) {
  if (shape.sensitive) return std::nullopt;
  if (const json::string* s = value.if_string()) return std::string(*s);
  return std::nullopt;
}

std::optional<std::string> PrintableList(const Shape& list, const json::array& items) {
  if (list.sensitive || list.member.shape->sensitive) return std::nullopt;
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json::string* s = items[i].if_string();
    if (s == nullptr) return std::nullopt;
    if (i > 0) out += ", ";
    out.append(s->data(), s->size());
  }
  out += "]";
  return out;
}

class Validator {
 public:
  std::vector<Violation> Run(const Shape& shape, const json::value& document) {
    Check(shape, document);
    return std::move(violations_);
  }
  std::vector<Violation> RunStructure(const Shape& shape, const json::object& document) {
    CheckStructure(shape, document);
    return std::move(violations_);
  }

 private:
  void Add(Violation::Kind kind, std::optional<std::string> value, std::string constraint,
           bool null = false) {
    violations_.push_back(Violation{kind, path_, std::move(value), null, std::move(constraint)});
  }

  // Appends ".segment" (or "segment" at the top) to the path; returns the length to restore.
  std::size_t Push(std::string_view segment) {
    const std::size_t mark = path_.size();
    if (!path_.empty()) path_ += '.';
    path_.append(segment);
    return mark;
  }
  void Pop(std::size_t mark) { path_.resize(mark); }

  void CheckLength(const Shape& shape, std::size_t length,
                   const std::optional<std::string>& shown) {
    const auto size = static_cast<std::int64_t>(length);
    if (shape.min && size < *shape.min) {
      Add(Violation::Kind::kMinLength, shown,
          "Member must have length greater than or equal to " + std::to_string(*shape.min));
    }
    if (shape.max && size > *shape.max) {
      Add(Violation::Kind::kMaxLength, shown,
          "Member must have length less than or equal to " + std::to_string(*shape.max));
    }
  }

  void CheckRange(const Shape& shape, const json::value& value) {
    const auto number = NumberOf(value);
    if (!number) return;
    // AWS leaves numbers out of these messages ("Value at 'maxSessionDuration' ...").
    if (shape.min && *number < static_cast<double>(*shape.min)) {
      Add(Violation::Kind::kMinValue, std::nullopt,
          "Member must have value greater than or equal to " + std::to_string(*shape.min));
    }
    if (shape.max && *number > static_cast<double>(*shape.max)) {
      Add(Violation::Kind::kMaxValue, std::nullopt,
          "Member must have value less than or equal to " + std::to_string(*shape.max));
    }
  }

  void CheckString(const Shape& shape, const json::value& value) {
    const json::string* s = value.if_string();
    if (s == nullptr) return;
    const std::string_view text(s->data(), s->size());
    const auto shown = Printable(shape, value);
    CheckLength(shape, CountCodePoints(text), shown);
    if (shape.matcher && !shape.matcher->Matches(text)) {
      Add(Violation::Kind::kPattern, shown,
          "Member must satisfy regular expression pattern: " + shape.pattern);
    }
    if (!shape.enum_values.empty() && std::find(shape.enum_values.begin(), shape.enum_values.end(),
                                                text) == shape.enum_values.end()) {
      std::string set = "Member must satisfy enum value set: [";
      for (std::size_t i = 0; i < shape.enum_values.size(); ++i) {
        if (i > 0) set += ", ";
        set += shape.enum_values[i];
      }
      set += "]";
      Add(Violation::Kind::kEnum, shown, std::move(set));
    }
  }

  void CheckStructure(const Shape& shape, const json::object& object) {
    for (const Member& member : shape.members) {
      const json::value* field = object.if_contains(member.name);
      const std::size_t mark = Push(member.path_name);
      if (field == nullptr || field->is_null()) {
        if (member.required) {
          Add(Violation::Kind::kRequired, std::nullopt, "Member must not be null", true);
        }
      } else {
        Check(*member.shape, *field);
      }
      Pop(mark);
    }
  }

  void Check(const Shape& shape, const json::value& value) {
    switch (shape.type) {
      case ShapeType::kStructure:
        if (const json::object* object = value.if_object()) CheckStructure(shape, *object);
        return;
      case ShapeType::kList: {
        const json::array* items = value.if_array();
        if (items == nullptr) return;
        CheckLength(shape, items->size(), PrintableList(shape, *items));
        for (std::size_t i = 0; i < items->size(); ++i) {
          if ((*items)[i].is_null()) continue;
          const std::size_t mark = Push(std::to_string(i + 1));
          path_ += ".member";
          Check(*shape.member.shape, (*items)[i]);
          Pop(mark);
        }
        return;
      }
      case ShapeType::kMap: {
        const json::object* entries = value.if_object();
        if (entries == nullptr) return;
        CheckLength(shape, entries->size(), std::nullopt);
        std::size_t index = 0;
        for (const auto& [key, entry] : *entries) {
          const std::size_t mark = Push("entry." + std::to_string(++index));
          const std::size_t key_mark = Push("key");
          Check(*shape.key.shape, json::value(key));
          Pop(key_mark);
          if (!entry.is_null()) {
            const std::size_t value_mark = Push("value");
            Check(*shape.value.shape, entry);
            Pop(value_mark);
          }
          Pop(mark);
        }
        return;
      }
      case ShapeType::kString:
        CheckString(shape, value);
        return;
      case ShapeType::kBlob:
        if (const json::string* bytes = value.if_string()) {
          CheckLength(shape, bytes->size(), std::nullopt);
        }
        return;
      case ShapeType::kInteger:
      case ShapeType::kLong:
      case ShapeType::kDouble:
      case ShapeType::kFloat:
        CheckRange(shape, value);
        return;
      case ShapeType::kBoolean:
      case ShapeType::kTimestamp:
        return;
    }
  }

  std::string path_;
  std::vector<Violation> violations_;
};

// Organizations' InvalidInputException reasons and messages for each kind of violation.
struct Reason {
  std::string_view reason;
  std::string_view message;
};

Reason OrganizationsReason(Violation::Kind kind) {
  switch (kind) {
    case Violation::Kind::kRequired:
      return {"INPUT_REQUIRED", "You must include a value for all required parameters."};
    case Violation::Kind::kMinLength:
      return {"MIN_LENGTH_EXCEEDED",
              "You provided a string parameter that is shorter than allowed."};
    case Violation::Kind::kMaxLength:
      return {"MAX_LENGTH_EXCEEDED",
              "You provided a string parameter that is longer than allowed."};
    case Violation::Kind::kMinValue:
      return {"MIN_VALUE_EXCEEDED",
              "You provided a numeric parameter that has a smaller value than allowed."};
    case Violation::Kind::kMaxValue:
      return {"MAX_VALUE_EXCEEDED",
              "You provided a numeric parameter that has a larger value than allowed."};
    case Violation::Kind::kPattern:
      return {"INVALID_PATTERN", "You provided a value that does not match the required pattern."};
    case Violation::Kind::kEnum:
    case Violation::Kind::kType:
      return {"INVALID_ENUM", "You specified an invalid value."};
  }
  return {"INVALID_ENUM", "You specified an invalid value."};
}

// Whether `model` reports validation failures as InvalidInputException with a Reason member
// that lists INPUT_REQUIRED (Organizations).
bool UsesInvalidInputReason(const ServiceModel& model) {
  const Shape* error = model.FindError("InvalidInputException");
  if (error == nullptr) return false;
  const Member* reason = error->FindMember("Reason");
  if (reason == nullptr) return false;
  const auto& values = reason->shape->enum_values;
  return std::find(values.begin(), values.end(), "INPUT_REQUIRED") != values.end();
}

}  // namespace

std::vector<Violation> Validate(const Shape& shape, const json::value& document) {
  return Validator().Run(shape, document);
}

std::vector<Violation> ValidateStructure(const Shape& shape, const json::object& document) {
  return Validator().RunStructure(shape, document);
}

std::string DescribeViolation(const Violation& violation) {
  std::string out = "Value ";
  if (violation.null) {
    out += "null ";
  } else if (violation.value) {
    out += '\'';
    out += *violation.value;
    out += "' ";
  }
  out += "at '";
  out += violation.path;
  out += "' failed to satisfy constraint: ";
  out += violation.constraint;
  return out;
}

Error ValidationFailure(const ServiceModel& model, std::span<const Violation> violations) {
  if (model.protocol() != ProtocolKind::kQuery && UsesInvalidInputReason(model)) {
    const Reason reason = OrganizationsReason(violations.front().kind);
    return Error{"InvalidInputException",
                 std::string(reason.message),
                 {{"Reason", std::string(reason.reason)}}};
  }
  std::string message = std::to_string(violations.size());
  message +=
      violations.size() == 1 ? " validation error detected: " : " validation errors detected: ";
  for (std::size_t i = 0; i < violations.size(); ++i) {
    if (i > 0) message += "; ";
    message += DescribeViolation(violations[i]);
  }
  const char* code =
      model.protocol() == ProtocolKind::kQuery ? "ValidationError" : "ValidationException";
  return Error{code, std::move(message), {}};
}

Result<void> ValidateInput(const ServiceModel& model, const Operation& operation,
                           const json::object& input) {
  if (operation.input == nullptr) return {};
  const std::vector<Violation> violations = ValidateStructure(*operation.input, input);
  if (violations.empty()) return {};
  return Fail(ValidationFailure(model, violations));
}

}  // namespace fulcrum::protocol
