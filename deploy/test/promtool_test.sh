#!/usr/bin/env bash
# deploy/monitoring with Debian's promtool: the Prometheus config, the alert rules, and the
# rules' unit tests (alerts_test.yml: each alert fires on its failure and not otherwise).
set -euo pipefail
cd "$(dirname "$0")/../monitoring"

# install-deps.sh --deploy unpacks Prometheus there rather than installing the package.
PATH=$PATH:${STREAMSCOPE_TOOLS_DIR:-/var/cache/streamscope-tools}/prometheus/usr/bin
command -v promtool >/dev/null \
  || { echo "FAIL promtool is missing: run deploy/install-deps.sh --deploy" >&2; exit 1; }
promtool check config prometheus.yml
promtool check rules alerts.yml
promtool test rules alerts_test.yml
echo "promtool: 0 failures"
