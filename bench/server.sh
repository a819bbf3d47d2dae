# Shared by the benchmark scripts: start a `fulcrum server` on a random loopback port over a
# fresh data dir, and stop it by PID on exit.
# Source it after setting `fulcrum` (the binary) and `work` (a temporary directory).
#
# bench_start_server   sets server_pid and endpoint; extra server flags come from SERVER_ARGS.

server_pid=""

# shellcheck disable=SC2317  # called by the EXIT trap
bench_cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

bench_start_server() {
  # shellcheck disable=SC2086  # SERVER_ARGS is a list of words
  "$fulcrum" server --listen 127.0.0.1:0 --data-dir "$work/data" ${SERVER_ARGS:-} \
    >"$work/server.stdout" 2>"$work/server.stderr" </dev/null &
  server_pid=$!
  endpoint=""
  local line
  for _ in $(seq 1 200); do
    line="$(head -n 1 "$work/server.stdout" 2>/dev/null || true)"
    if [[ "$line" =~ ^fulcrum:\ listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]]; then
      endpoint="${BASH_REMATCH[1]}"
      break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "bench: the server exited before it was ready:" >&2
      cat "$work/server.stdout" "$work/server.stderr" >&2
      exit 1
    fi
    sleep 0.05
  done
  if [[ -z "$endpoint" ]]; then
    echo "bench: no ready line within 10 s" >&2
    exit 1
  fi
  echo "server: pid $server_pid, $endpoint ($fulcrum ${SERVER_ARGS:-})"
}
