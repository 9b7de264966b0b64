#!/usr/bin/env bash
# Installs what Streamscope needs to build, test and run, from Debian 12 packages.
# Idempotent: does nothing (and needs no network) when everything is present.
# Used by the Makefile, CI (.ci/run), ./start.sh and the Dockerfile's build stage.
#   deploy/install-deps.sh                build + test dependencies
#   deploy/install-deps.sh --build-only   only what compiling needs (the Dockerfile's build stage)
#   deploy/install-deps.sh --bench        also the load generator for benchmarks (wrk)
#   deploy/install-deps.sh --deploy       also the tools of the `deploy` tests: docker-compose,
#                                         systemd (systemd-analyze), PyYAML, and Prometheus
#                                         with promtool (unpacked, see below)
#   deploy/install-deps.sh --missing      print the missing build + test packages, one per line
set -euo pipefail

build_packages=(
  g++ cmake make ninja-build pkg-config ca-certificates openssl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpqxx-dev libpq-dev libssl-dev libspdlog-dev zlib1g-dev
)
# ccache: the start.sh test builds the project a second time, in a copy of the checkout.
# clang-14 and its runtimes (libclang-rt-14-dev: ASan, UBSan, libFuzzer): make test-sanitize, make fuzz.
# python3-aiosmtpd: the SMTP server that the e-mail notification tests send to.
test_packages=(catch2 postgresql-15 postgresql-contrib python3 ccache clang-14 libclang-rt-14-dev
  python3-aiosmtpd)
deploy_packages=(docker-compose systemd python3-yaml)
# Prometheus is unpacked into this folder instead of installed: the package would start and
# enable a Prometheus service on every machine that runs systemd, which a test run must not do.
# The deploy tests look for prometheus and promtool on PATH, then in $PROMETHEUS_DIR/usr/bin.
PROMETHEUS_DIR=${STREAMSCOPE_TOOLS_DIR:-/var/cache/streamscope-tools}/prometheus

packages=("${build_packages[@]}")
case "${1:-}" in
  "" | --missing) packages+=("${test_packages[@]}") ;;
  --build-only) ;;
  --bench) packages+=("${test_packages[@]}" wrk) ;;
  --deploy) packages+=("${test_packages[@]}" "${deploy_packages[@]}") ;;
  *) echo "install-deps: unknown option '$1' (use --build-only, --bench, --deploy or --missing)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${1:-}" = "--missing" ]; then
  [ ${#missing[@]} -eq 0 ] || printf '%s\n' "${missing[@]}"
  exit 0
fi
need_prometheus=0
if [ "${1:-}" = "--deploy" ] && ! command -v promtool >/dev/null &&
  [ ! -x "$PROMETHEUS_DIR/usr/bin/promtool" ]; then
  need_prometheus=1
fi
[ ${#missing[@]} -eq 0 ] && [ $need_prometheus = 0 ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo; missing: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  # --no-install-recommends: the unversioned libboost-dev (1.74) would conflict with 1.81, and
  # docker-compose would pull in the whole docker.io engine.
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $need_prometheus = 1 ]; then
  echo "install-deps: unpacking Debian's prometheus into $PROMETHEUS_DIR (no service)" >&2
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  (cd "$download" && apt-get download -qq prometheus >/dev/null)
  $sudo mkdir -p "$PROMETHEUS_DIR"
  $sudo dpkg-deb -x "$download"/prometheus_*.deb "$PROMETHEUS_DIR"
fi
