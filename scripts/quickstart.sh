#!/usr/bin/env bash
# The main job: install, build, then `fulcrum quickstart`: start an account plane, sign up the
# management account of the "myexample" project (myexample-management, myexample-aws@example.com),
# enable root MFA, create mgmt-org-admin with AdministratorAccess and its access key, write the
# `me-bootstrap` profile, delete the root access key and audit the result. Then it restarts the
# account plane and calls `aws sts get-caller-identity` (Debian's AWS CLI v2) with that profile.
#
# Everything lives in $FULCRUM_QUICKSTART_DIR (default ./.fulcrum-quickstart); a second run reuses
# what the first one made. Your own ~/.aws is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh

fulcrum=$PWD/build/release/src/server/fulcrum
dir=${FULCRUM_QUICKSTART_DIR:-$PWD/.fulcrum-quickstart}
listen=${FULCRUM_QUICKSTART_LISTEN:-127.0.0.1:4599}

"$fulcrum" quickstart --dir "$dir" --listen "$listen"

echo
echo "== The profile at work: aws --profile me-bootstrap sts get-caller-identity"
"$fulcrum" server --data-dir "$dir/data" --listen "$listen" --access-log off >"$dir/server.out" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT
for _ in $(seq 100); do
  grep -q 'listening on' "$dir/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$dir/server.out"; exit 1; }
  sleep 0.05
done
env -u AWS_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
  AWS_CONFIG_FILE="$dir/aws/.aws/me/config" AWS_SHARED_CREDENTIALS_FILE="$dir/aws/.aws/me/credentials" \
  /usr/bin/aws --profile me-bootstrap --endpoint-url "http://$listen" sts get-caller-identity --output json
