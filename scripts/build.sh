#!/usr/bin/env bash
# Installs the dependencies (scripts/setup.sh), then configures and builds the release preset.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
