#pragma once

// Result<T>: the value of a step that can fail with an AWS-style Error. Every layer returns it;
// exceptions never cross a layer boundary.

#include <string>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

namespace fulcrum {

// An error as AWS reports it: the code clients key on ("NoSuchEntity", "InvalidClientTokenId") and
// a message for people. The HTTP status and the wire form are chosen by protocol/ from the code,
// never here. `fields` holds the extra members some errors carry (Organizations' "Reason").
struct Error {
  std::string code;
  std::string message;
  std::vector<std::pair<std::string, std::string>> fields;

  bool operator==(const Error&) const = default;
};

template <class T>
using Result = tl::expected<T, Error>;

// Shorthand for `return Fail("NoSuchEntity", "...")` inside a function returning Result<T>.
[[nodiscard]] inline tl::unexpected<Error> Fail(std::string code, std::string message) {
  return tl::unexpected<Error>(Error{std::move(code), std::move(message), {}});
}

[[nodiscard]] inline tl::unexpected<Error> Fail(Error error) {
  return tl::unexpected<Error>(std::move(error));
}

}  // namespace fulcrum
