#!/usr/bin/env bash
# Wall time of the CLI: `fulcrum --version` (start-up cost; RUNS runs, median) and
# `fulcrum quickstart` in a fresh temporary directory (first run, then a second run that reuses
# everything). The quickstart needs `credentials configure` and `audit`; when the binary lacks
# them its time is still reported, with the exit code.
#
# Usage: bench/cli.sh [PATH_TO_FULCRUM]
#   default binary: build/release/src/server/fulcrum (relative to the repository root)
# Environment:
#   RUNS=200   runs of `fulcrum --version`
#
# Target: --version in a few milliseconds, quickstart in a few seconds.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fulcrum="${1:-$repo_root/build/release/src/server/fulcrum}"
runs="${RUNS:-200}"
python=/usr/bin/python3

if [[ ! -x "$fulcrum" ]]; then
  echo "bench/cli.sh: no binary at $fulcrum; build it first" >&2
  exit 1
fi

"$python" - "$fulcrum" "$runs" <<'PY'
import os, shutil, socket, statistics, subprocess, sys, tempfile, time

fulcrum, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run([fulcrum, "--version"], check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print("fulcrum --version: median %.2f ms, p90 %.2f ms, min %.2f ms (%d runs)"
      % (statistics.median(times), times[int(len(times) * 0.9)], times[0], runs))

root = tempfile.mkdtemp(prefix="fulcrum-bench-cli-")
try:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HOME"] = os.path.join(root, "home")
    os.makedirs(env["HOME"])
    args = [fulcrum, "quickstart", "--dir", os.path.join(root, "qs"),
            "--listen", "127.0.0.1:%d" % port]
    for label in ("first", "second"):
        start = time.perf_counter()
        result = subprocess.run(args, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("fulcrum quickstart (%s run): %.2f s, exit %d"
              % (label, time.perf_counter() - start, result.returncode))
finally:
    shutil.rmtree(root, ignore_errors=True)
PY
