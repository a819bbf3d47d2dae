#pragma once

// The stripped service models, embedded at build time (see embed_file.cmake and
// CMakeLists.txt). Each function returns the JSON text of one model; the storage is static.

#include <string_view>

namespace fulcrum::protocol::embedded {

[[nodiscard]] std::string_view IamModelJson();
[[nodiscard]] std::string_view StsModelJson();
[[nodiscard]] std::string_view OrganizationsModelJson();
[[nodiscard]] std::string_view AccountModelJson();

}  // namespace fulcrum::protocol::embedded
