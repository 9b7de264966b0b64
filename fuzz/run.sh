#!/usr/bin/env bash
# Runs each fuzz target (one per folder of fuzz/corpus/) for a while and prints what it did:
# executions, executions a second, findings. A target stops at its first finding; the input
# that caused it is saved in BUILD/fuzz/TARGET/findings/, libFuzzer's report in
# BUILD/fuzz/TARGET/last-run.log. Inputs that found new code are kept in BUILD/fuzz/TARGET/corpus/,
# so a later run goes on from there. Exit status 1 when any target found something.
#   fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET
set -euo pipefail
[ $# = 2 ] || { echo "usage: fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET" >&2; exit 2; }
build=$(cd "$1" && pwd)
seconds=$2
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
# UBSan aborts on a finding (-fno-sanitize-recover): its report should say where from.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

found_any=0
printf '%-16s %12s %8s  %s\n' target executions exec/s findings
for seeds in "$fuzz_dir"/corpus/*/; do
  target=$(basename "$seeds")
  work=$build/fuzz/$target
  log=$work/last-run.log
  mkdir -p "$work/corpus" "$work/findings"
  rc=0
  "$build/bin/fuzz_$target" "$work/corpus" "$seeds" -dict="$fuzz_dir/dict/$target.dict" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/findings/" >"$log" 2>&1 || rc=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  if [ $rc = 0 ]; then
    findings=0
  else
    found_any=1
    saved=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
    findings="1 (exit $rc; input ${saved:-not saved}; report $log)"
    # The report's end names the check and the stack: CI keeps only what is printed.
    tail -n 40 "$log" >&2
  fi
  printf '%-16s %12s %8s  %s\n' "$target" "${executions:-?}" "${rate:-?}" "$findings"
done
exit $found_any
