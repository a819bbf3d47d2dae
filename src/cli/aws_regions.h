#pragma once

// The AWS region codes the CLI accepts in project.yaml: every public region of the aws, aws-cn and
// aws-us-gov partitions as of 2025
// (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). A region AWS
// launches later must be added here before a project can use it.

#include <span>
#include <string_view>

namespace fulcrum::cli {

// Every known region code, e.g. "us-east-1", "mx-central-1".
[[nodiscard]] std::span<const std::string_view> KnownAwsRegions();

[[nodiscard]] bool IsKnownAwsRegion(std::string_view region);

}  // namespace fulcrum::cli
