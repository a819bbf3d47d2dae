#!/usr/bin/env bash
# The test command: installs, builds and runs every test (unit and integration) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --preset release
