#!/usr/bin/env bash
# The systemd units as `cmake --install` lays them out pass `systemd-analyze verify`, offline:
# installed with DESTDIR into a temporary root (binaries at their ExecStart= paths) that also
# holds the host's own units (sysinit.target and the rest that every service depends on).
# verify only warns about a bad value and exits 0, so any output counts as a failure.
# Least privilege: the API's unit reads its own environment file, not the collector's; the
# installed example of it holds only API settings and the API's own role; the collector's unit
# makes that role (migrate) before it starts.
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
share=$(dirname "$(find "$root" -path '*/share/streamscope/api.env.example' | head -1)")
unit_dir=$(dirname "${units[0]}")
api_env_files=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit_dir/streamscope-api.service")
if [ "$api_env_files" = /etc/streamscope/api.env ]; then
  echo "ok   streamscope-api.service reads /etc/streamscope/api.env alone"
else
  echo "FAIL streamscope-api.service reads: $api_env_files (not /etc/streamscope/api.env alone)"
  failures=$((failures + 1))
fi
if grep -q '^ExecStartPre=-\{0,1\}[^ ]*/streamscope-collector migrate$' "$unit_dir/streamscope-collector.service"; then
  echo "ok   streamscope-collector.service migrates (and makes the API's role) before it starts"
else
  echo "FAIL streamscope-collector.service has no ExecStartPre=... streamscope-collector migrate"
  failures=$((failures + 1))
fi
api_binary=$(find "$root" -path '*/bin/streamscope-api' | head -1)
if [ ! -f "$share/api.env.example" ]; then
  echo "FAIL cmake --install did not install api.env.example"
  failures=$((failures + 1))
elif out=$(python3 - "$share/api.env.example" "$api_binary" <<'PY'
import re, subprocess, sys
help_text = subprocess.run([sys.argv[2], "--help"], capture_output=True, text=True).stdout
known = set(re.findall(r" / ([A-Z][A-Z0-9_]*)", help_text))
lines = [l for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
settings = dict(l.rstrip("\n").split("=", 1) for l in lines)
problems = []
unknown = sorted(k for k in settings if k not in known)
if unknown:
    problems.append(f"not settings of streamscope-api: {unknown}")
if not settings.get("DATABASE_URL", "").startswith("postgresql://streamscope_api:"):
    problems.append(f"DATABASE_URL is not the API's role's: {settings.get('DATABASE_URL')}")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
); then
  echo "ok   api.env.example holds API settings only, and the API's own role"
else
  echo "FAIL api.env.example: $out"
  failures=$((failures + 1))
fi
echo "systemd units: $failures failure(s)"
[ "$failures" = 0 ]
