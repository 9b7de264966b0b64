#!/usr/bin/env bash
# Installs what Streamscope needs to build, test and run, from Debian 12 packages.
# Idempotent: does nothing (and needs no network) when everything is present.
# Used by the Makefile, CI (.ci/run) and the Dockerfile's build stage.
#   deploy/install-deps.sh                build + test dependencies
#   deploy/install-deps.sh --build-only   only what compiling needs (the Dockerfile's build stage)
#   deploy/install-deps.sh --bench        also the load generator for benchmarks (wrk)
#   deploy/install-deps.sh --deploy       also the tools of the `deploy` tests: docker-compose,
#                                         prometheus (promtool), systemd (systemd-analyze)
set -euo pipefail

build_packages=(
  g++ cmake make ninja-build pkg-config ca-certificates openssl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpqxx-dev libpq-dev libssl-dev libspdlog-dev
)
test_packages=(catch2 postgresql-15 postgresql-contrib python3)
deploy_packages=(docker-compose prometheus systemd python3-yaml)

packages=("${build_packages[@]}")
case "${1:-}" in
  "") packages+=("${test_packages[@]}") ;;
  --build-only) ;;
  --bench) packages+=("${test_packages[@]}" wrk) ;;
  --deploy) packages+=("${test_packages[@]}" "${deploy_packages[@]}") ;;
  *) echo "install-deps: unknown option '$1' (use --build-only, --bench or --deploy)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo; missing: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends: the unversioned libboost-dev (1.74) would conflict with 1.81, and
# docker-compose would pull in the whole docker.io engine.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
