#!/usr/bin/env bash
# Load benchmark: IAM CreateUser and ListUsers with up to 100,000 users in one account.
#
# Usage: bench/iam_users.sh [PATH_TO_FULCRUM [PATH_TO_FULCRUM_LOAD]]
#   defaults: build/release/src/server/fulcrum and build/release/bench/fulcrum_load
#             (relative to the repository root); this script builds nothing.
# Environment:
#   USERS=100000          the number of users at the last step
#   STEPS="1000 10000"    the user counts measured before USERS (those below USERS are kept)
#   CREATE_CONNECTIONS=8  connections of the CreateUser batches
#   LIST_CONNECTIONS=4    connections of the ListUsers runs from random markers
#   PAGES=2000            ListUsers pages fetched from random markers at each step
#   MAX_ITEMS=100         ListUsers MaxItems
#   SERVER_ARGS=...       extra `fulcrum server` arguments, e.g. "--access-log off"
#
# Starts the server on a random loopback port over a fresh temporary data dir, signs up an account
# with root access keys, then for each step creates users up to that count with fulcrum_load
# (every request signed with Fulcrum's SigV4 signer at send time) and measures ListUsers: one full
# walk from the first page (its user count must equal the step), then PAGES pages from random
# markers of that walk. Prints one table row per step, the data dir size, and stops the server
# with SIGTERM by PID (also on failure).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fulcrum="${1:-$repo_root/build/release/src/server/fulcrum}"
load="${2:-$repo_root/build/release/bench/fulcrum_load}"
top="${USERS:-100000}"
create_connections="${CREATE_CONNECTIONS:-8}"
list_connections="${LIST_CONNECTIONS:-4}"
pages="${PAGES:-2000}"
max_items="${MAX_ITEMS:-100}"
python=/usr/bin/python3

for binary in "$fulcrum" "$load"; do
  if [[ ! -x "$binary" ]]; then
    echo "bench: no binary at $binary (build the targets fulcrum and fulcrum_load)" >&2
    exit 2
  fi
done
if ! [[ "$top" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench: USERS must be a positive integer" >&2
  exit 2
fi

# The measured user counts: STEPS below USERS, then USERS, ascending.
steps=()
for s in ${STEPS:-1000 10000}; do
  ((s < top)) && steps+=("$s")
done
steps+=("$top")

work="$(mktemp -d -t fulcrum-bench-iam-XXXXXX)"
# shellcheck source=bench/server.sh
source "$repo_root/bench/server.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# --- start the server and wait for its ready line ---------------------------------------------
bench_start_server

# --- an account with root access keys ------------------------------------------------------------
name="bench-$(date +%s)-$$"
account_json="$("$fulcrum" account create --data-dir "$work/data" --name "$name" \
  --email "$name@example.com" --root-access-key --output json 2>"$work/account.stderr")" \
  || { cat "$work/account.stderr" >&2; echo "bench: account create failed" >&2; exit 1; }
read -r account_id key_id secret < <("$python" -c '
import json, sys
d = json.load(sys.stdin)
print(d["AccountId"], d["RootAccessKey"]["AccessKeyId"], d["RootAccessKey"]["SecretAccessKey"])
' <<<"$account_json")
# fulcrum_load reads the credentials from the environment, so they stay out of `ps`.
export FULCRUM_LOAD_KEY="$key_id" FULCRUM_LOAD_SECRET="$secret"
echo "account: $account_id; steps: ${steps[*]} users"

# field FILE PYTHON_EXPRESSION: evaluates the expression over the JSON object `d` read from FILE.
field() {
  "$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- steps ---------------------------------------------------------------------------------------
rows=()
created=0
for target in "${steps[@]}"; do
  batch=$((target - created))
  echo
  echo "== creating users $created..$((target - 1)) ($batch CreateUser, $create_connections connections)"
  "$load" create-users --endpoint "$endpoint" --start "$created" --count "$batch" \
    --connections "$create_connections" --output json >"$work/create-$target.json" \
    || { cat "$work/create-$target.json" >&2; echo "bench: CreateUser batch failed" >&2; exit 1; }
  created=$target
  create_rps="$(field "$work/create-$target.json" '"%.0f" % d["result"]["per_second"]')"
  create_p99="$(field "$work/create-$target.json" '"%.2f" % d["result"]["p99_ms"]')"
  echo "   $create_rps CreateUser/s, p99 $create_p99 ms"

  echo "== ListUsers with $target users (full walk, then $pages pages from random markers, $list_connections connections)"
  "$load" list-users --endpoint "$endpoint" --pages "$pages" --max-items "$max_items" \
    --connections "$list_connections" --output json >"$work/list-$target.json" \
    || { cat "$work/list-$target.json" >&2; echo "bench: ListUsers failed" >&2; exit 1; }
  seen="$(field "$work/list-$target.json" 'd["users_seen"]')"
  if [[ "$seen" != "$target" ]]; then
    echo "bench: the ListUsers walk saw $seen users, expected $target" >&2
    exit 1
  fi
  read -r p50 p99 pages_per_s walk_pages walk_s < <(field "$work/list-$target.json" \
    '"%.2f %.2f %.0f %d %.2f" % (d["random"]["p50_ms"], d["random"]["p99_ms"], d["random"]["per_second"], d["walk_pages"], d["walk"]["seconds"])')
  echo "   random pages: p50 $p50 ms, p99 $p99 ms, $pages_per_s pages/s; walk: $walk_pages pages in $walk_s s"
  rows+=("$target|$create_rps|$create_p99|$p50|$p99|$pages_per_s|$walk_pages|$walk_s")
done

running_size="$(du -sb "$work/data" | cut -f1)"

# --- stop by PID ---------------------------------------------------------------------------------
kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=""
stopped_size="$(du -sb "$work/data" | cut -f1)"

echo
widths=(16 16 14 22 8 24)
cells() {
  local line="|" i
  for i in "${!widths[@]}"; do line+="$(printf ' %*s |' "${widths[$i]}" "${@:$((i + 1)):1}")"; done
  echo "$line"
}
cells "users in account" "CreateUser req/s" "CreateUser p99" "ListUsers p50 / p99 ms" "pages/s" \
  "full walk (MaxItems $max_items)"
separator="|"
for w in "${widths[@]}"; do separator+="$(printf '%*s|' $((w + 2)) '' | tr ' ' -)"; done
echo "$separator"
for row in "${rows[@]}"; do
  IFS='|' read -r users rps cp99 p50 p99 pps wpages ws <<<"$row"
  cells "$users" "$rps" "$cp99 ms" "$p50 / $p99" "$pps" "$wpages pages, $ws s"
done
echo
echo "CreateUser req/s is for the batch that brought the account to that many users" \
  "($create_connections connections); ListUsers figures are $pages pages from random markers" \
  "($list_connections connections)."
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "data dir: $(mib "$running_size") with the server running, $(mib "$stopped_size") after it stopped"
echo "server stopped (exit code $code); server output: $(wc -c <"$work/server.stdout") B stdout, $(wc -c <"$work/server.stderr") B stderr"
[[ "$code" == 0 ]] || exit 1
