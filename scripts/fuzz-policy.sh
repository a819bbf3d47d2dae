#!/usr/bin/env bash
# Builds the policy parser's libFuzzer target (src/policy/policy_parser_fuzz.cc) with clang++,
# ASan and UBSan, and runs it for FUZZ_SECONDS (default 20) seeded with the accepted-policy
# corpus. Exits non-zero when the fuzzer finds a crash, a leak or undefined behaviour.
# Usage: scripts/fuzz-policy.sh [build dir]   (default build/fuzz-policy)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/build/fuzz-policy}"
seconds="${FUZZ_SECONDS:-20}"
cxx="${CLANGXX:-clang++}"
mkdir -p "$out/corpus"

sources=("$root/src/policy/policy_parser_fuzz.cc" "$root/src/arn/arn.cc")
for f in "$root"/src/policy/*.cc; do
  case "$f" in *_test.cc | *_fuzz.cc) ;; *) sources+=("$f") ;; esac
done

binary="$out/policy_parser_fuzz"
# Rebuild only when a source is newer than the binary.
rebuild=0
[[ -x "$binary" ]] || rebuild=1
for f in "${sources[@]}" "$root"/src/policy/*.h "$root"/src/arn/arn.h; do
  [[ "$f" -nt "$binary" ]] && rebuild=1
done
if ((rebuild)); then
  flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
    -I"$root/src")
  mkdir -p "$out/obj"
  rm -f "$out"/obj/*.o
  # Two compilers at a time, as the build rules allow; `wait` fails the script on an error.
  pids=()
  for f in "${sources[@]}"; do
    "$cxx" "${flags[@]}" -c "$f" -o "$out/obj/$(basename "$f" .cc).o" &
    pids+=("$!")
    if ((${#pids[@]} >= 2)); then
      wait "${pids[0]}"
      pids=("${pids[@]:1}")
    fi
  done
  for pid in "${pids[@]}"; do
    wait "$pid"
  done
  "$cxx" "${flags[@]}" "$out"/obj/*.o -lboost_json -lfmt -o "$binary.tmp"
  mv "$binary.tmp" "$binary"
fi

# Seeds: the accepted corpus; new inputs the fuzzer finds go to $out/corpus (kept between runs).
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/" "$out/corpus" "$root/tests/data/policy/accepted"
