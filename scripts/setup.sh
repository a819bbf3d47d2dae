#!/usr/bin/env bash
# Installs everything Fulcrum needs to build, run and test on Debian 12.
# Idempotent: packages already present are left alone; npm versions come from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  # build
  build-essential cmake ninja-build ccache pkg-config clang-format clang-tidy clang libclang-rt-14-dev
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libpq-dev libexpected-dev libcli11-dev libyaml-cpp-dev
  libfmt-dev libspdlog-dev libqrencode-dev libpng-dev zlib1g-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # real clients and tools used by the tests and benchmarks
  awscli python3-boto3 python3-botocore aws-nuke zbar-tools oathtool wrk faketime
  curl sqlite3
)
# Node.js and npm: Debian's packages unless a Node.js with npm is already installed.
command -v npm >/dev/null 2>&1 || debian_packages+=(nodejs npm)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm clients (pinned by package-lock.json).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
