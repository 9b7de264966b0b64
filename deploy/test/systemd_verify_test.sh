#!/usr/bin/env bash
# The systemd units as `cmake --install` lays them out pass `systemd-analyze verify`, offline:
# installed with DESTDIR into a temporary root (binaries at their ExecStart= paths) that also
# holds the host's own units (sysinit.target and the rest that every service depends on).
# verify only warns about a bad value and exits 0, so any output counts as a failure.
#   systemd_verify_test.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: systemd_verify_test.sh BUILD_DIR}
command -v systemd-analyze >/dev/null \
  || { echo "FAIL systemd-analyze is missing: run deploy/install-deps.sh --deploy" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

DESTDIR=$root cmake --install "$build" >/dev/null
mkdir -p "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
mapfile -t units < <(find "$root" -path '*/systemd/system/streamscope-*.service' | sort)
[ ${#units[@]} = 2 ] || { echo "FAIL expected 2 installed units, found: ${units[*]}"; exit 1; }

failures=0
for unit in "${units[@]}"; do
  name=${unit##*/}
  exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
  if [ ! -x "$root$exec_start" ]; then
    echo "FAIL $name: ExecStart=$exec_start is not what cmake --install installed"
    failures=$((failures + 1))
    continue
  fi
  out=$(systemd-analyze verify --root="$root" "$unit" 2>&1) || true
  if [ -n "$out" ]; then
    echo "FAIL $name: systemd-analyze verify says:"; echo "$out"
    failures=$((failures + 1))
  else
    echo "ok   $name verifies (ExecStart=$exec_start)"
  fi
done
echo "systemd units: $failures failure(s)"
[ "$failures" = 0 ]
