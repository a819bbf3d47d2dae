#!/usr/bin/env bash
# The main job: install, build, start the account plane, sign up the management account of the
# "myexample" project and call STS GetCallerIdentity on it with the AWS CLI (Debian's v2).
#
# State lives in $FULCRUM_DATA_DIR (default: ./.fulcrum-quickstart); a second run reuses the
# account the first one made. The root access key is kept there in a 0600 file and never printed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh

fulcrum=build/release/src/server/fulcrum
data_dir=${FULCRUM_DATA_DIR:-$PWD/.fulcrum-quickstart}
mkdir -p "$data_dir" && chmod 700 "$data_dir"
signup="$data_dir/quickstart-account.json"

log=$(mktemp)
"$fulcrum" server --listen 127.0.0.1:0 --data-dir "$data_dir" >"$log.out" 2>"$log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; rm -f "$log" "$log.out"' EXIT
for _ in $(seq 100); do
  grep -q 'listening on' "$log.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.05
done
endpoint=$(sed -n 's/^fulcrum: listening on //p' "$log.out")
echo "== Account plane listening on $endpoint (data dir $data_dir)"

if [ ! -s "$signup" ]; then
  echo "== Signing up myexample-management (myexample-aws@example.com)"
  (umask 077 && "$fulcrum" account create --data-dir "$data_dir" --name myexample-management \
      --email myexample-aws@example.com --root-access-key --output json >"$signup")
else
  echo "== Reusing the account signed up by an earlier run"
fi
/usr/bin/python3 - "$signup" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
print(f"   account {a['AccountId']} ({a['AccountName']}, {a['Email']}), root user {a['RootUserArn']}")
print(f"   root access key {a['RootAccessKey']['AccessKeyId']} (secret kept in {sys.argv[1]}, mode 0600)")
PY

field() { /usr/bin/python3 -c "import json,sys; a=json.load(open(sys.argv[1])); print(a['RootAccessKey'][sys.argv[2]])" "$signup" "$1"; }
echo "== aws sts get-caller-identity --endpoint-url $endpoint"
env -u AWS_PROFILE AWS_ACCESS_KEY_ID="$(field AccessKeyId)" AWS_SECRET_ACCESS_KEY="$(field SecretAccessKey)" \
  AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  /usr/bin/aws --endpoint-url "$endpoint" sts get-caller-identity --output json
echo "== Done. Point any AWS client at $endpoint (see README.md)."
