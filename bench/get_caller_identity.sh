#!/usr/bin/env bash
# Load benchmark: signed STS GetCallerIdentity against a real `fulcrum server`.
#
# Usage: bench/get_caller_identity.sh [PATH_TO_FULCRUM]
#   default binary: build/release/src/server/fulcrum (relative to the repository root)
# Environment:
#   DURATION=10s        length of each measured wrk run
#   CONNECTIONS="1 64"  the connection counts to measure
#   WRK_THREADS=1       wrk threads (the machine's 2 cores are shared by wrk and the server)
#   BENCH_ENFORCE=1     exit 1 when the 64-connection run misses the target below
#   SERVER_ARGS=...     extra `fulcrum server` arguments, e.g. "--access-log off --threads 1"
#
# Target (2-core machine): >= 20000 requests/s with p99 < 5 ms at 64 connections.
#
# Starts the server on a random loopback port over a fresh temporary data dir, signs up an account
# with root access keys, pre-signs one request (header-mode SigV4, valid for 15 minutes), checks it
# once, runs wrk --latency for each connection count, prints requests/s, p50 and p99, then stops
# the server with SIGTERM by PID.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fulcrum="${1:-$repo_root/build/release/src/server/fulcrum}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-1 64}"
threads="${WRK_THREADS:-1}"
python=/usr/bin/python3
target_rps=20000
target_p99_ms=5

if [[ ! -x "$fulcrum" ]]; then
  echo "bench: no fulcrum binary at $fulcrum (build it: cmake --preset release && cmake --build --preset release)" >&2
  exit 2
fi
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 2; }

work="$(mktemp -d -t fulcrum-bench-XXXXXX)"
# shellcheck source=bench/server.sh
source "$repo_root/bench/server.sh"
trap bench_cleanup EXIT

# --- start the server and wait for its ready line ---------------------------------------------
bench_start_server

# --- an account with root access keys, and one pre-signed request --------------------------------
name="bench-$(date +%s)-$$"
account_json="$("$fulcrum" account create --data-dir "$work/data" --name "$name" \
  --email "$name@example.com" --root-access-key --output json)"
read -r account_id key_id secret < <("$python" -c '
import json, sys
d = json.load(sys.stdin)
print(d["AccountId"], d["RootAccessKey"]["AccessKeyId"], d["RootAccessKey"]["SecretAccessKey"])
' <<<"$account_json")
"$python" "$repo_root/bench/make_wrk_script.py" "$endpoint" "$key_id" "$secret" us-east-1 \
  "$work/request.lua" >"$work/request.json"

# The pre-signed request must succeed once before it is measured.
"$python" - "$endpoint" "$account_id" "$work/request.json" <<'PY'
import http.client, json, sys
endpoint, account_id, spec_path = sys.argv[1:]
spec = json.load(open(spec_path))
host, port = endpoint.split("://", 1)[1].rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port), timeout=10)
conn.request(spec["method"], spec["path"], spec["body"].encode(), spec["headers"])
response = conn.getresponse()
body = response.read().decode("utf-8", "replace")
if response.status != 200 or account_id not in body:
    sys.exit("bench: the pre-signed request failed: %d %s" % (response.status, body))
PY
echo "account: $account_id, pre-signed request checked (200)"

# --- load ---------------------------------------------------------------------------------------
# wrk prints latencies as e.g. 812.00us, 1.23ms, 1.01s; convert to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000;
    else if (v ~ /s$/) n = n * 1000;
    printf "%.3f", n }'
}

# Warm-up, not reported.
wrk -t "$threads" -c 64 -d 2s -s "$work/request.lua" "$endpoint/" >/dev/null

status=0
printf '\n%-12s %-8s %14s %10s %10s %8s\n' connections threads "requests/s" "p50 ms" "p99 ms" errors
results=()
for c in $connections; do
  t="$threads"
  ((t > c)) && t="$c"
  out="$(wrk -t "$t" -c "$c" -d "$duration" --latency -s "$work/request.lua" "$endpoint/")"
  echo "$out" >"$work/wrk-$c.txt"
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")"
  socket_errors="$(grep -o 'Socket errors:.*' <<<"$out" || true)"
  errors="${non2xx:-0}"
  printf '%-12s %-8s %14s %10s %10s %8s\n' "$c" "$t" "$rps" "$p50" "$p99" "$errors"
  [[ -n "$socket_errors" ]] && echo "  $socket_errors"
  if [[ "$errors" != 0 ]]; then
    echo "bench: $errors responses were not 2xx at $c connections" >&2
    status=1
  fi
  results+=("$c $rps $p99")
done

for r in "${results[@]}"; do
  read -r c rps p99 <<<"$r"
  if [[ "$c" == 64 ]]; then
    if awk -v r="$rps" -v p="$p99" -v tr="$target_rps" -v tp="$target_p99_ms" \
        'BEGIN { exit !(r >= tr && p < tp) }'; then
      echo "target (64 connections: >= $target_rps req/s, p99 < $target_p99_ms ms): met"
    else
      echo "target (64 connections: >= $target_rps req/s, p99 < $target_p99_ms ms): MISSED"
      [[ "${BENCH_ENFORCE:-0}" == 1 ]] && status=1
    fi
  fi
done

# --- stop by PID ---------------------------------------------------------------------------------
kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=""
echo "server stopped (exit code $code); server output: $(wc -c <"$work/server.stdout") B stdout, $(wc -c <"$work/server.stderr") B stderr"
if [[ "$code" != 0 ]]; then
  status=1
fi
exit "$status"
