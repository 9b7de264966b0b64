#!/usr/bin/env bash
# Installs what Streamscope needs to build, test and run, from Debian 12 packages.
# Idempotent: does nothing (and needs no network) when everything is present.
# Used by the Makefile, CI (.ci/run) and the Dockerfile's build stage.
#   deploy/install-deps.sh           build + test dependencies
#   deploy/install-deps.sh --bench   also the load generator for benchmarks (wrk)
#   deploy/install-deps.sh --missing only print the missing packages, one per line (no install)
set -euo pipefail

packages=(
  g++ cmake make ninja-build pkg-config ca-certificates openssl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpqxx-dev libpq-dev libssl-dev libspdlog-dev zlib1g-dev catch2
  postgresql-15 postgresql-contrib python3
)
[ "${1:-}" = "--bench" ] && packages+=(wrk)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${1:-}" = "--missing" ]; then
  [ ${#missing[@]} -eq 0 ] || printf '%s\n' "${missing[@]}"
  exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo; missing: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends: the unversioned libboost-dev (1.74) would conflict with 1.81.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
