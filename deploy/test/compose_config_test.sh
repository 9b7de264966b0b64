#!/usr/bin/env bash
# docker-compose.yml is accepted by docker-compose 1.29 (`config -q`) with the shipped
# .env.example and deploy/demo.env, alone and with the podman test override; a missing
# POSTGRES_PASSWORD is refused with our message; every long-running service has a health check
# and a restart policy; no `version:` key.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v docker-compose >/dev/null \
  || { echo "FAIL docker-compose is missing: run deploy/install-deps.sh --deploy" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
# expect DESCRIPTION COMMAND...: ok when COMMAND succeeds, else a failure.
expect() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

# A project folder of its own, so that the test never reads or writes the repository's .env.
compose() { docker-compose --project-directory "$work" -f docker-compose.yml "$@"; }

expect "no version: key" test -z "$(grep '^version:' docker-compose.yml)"

sed 's/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=test-only/' .env.example >"$work/.env"
expect "config -q with .env.example" compose config -q
export TEST_PG_PORT=1 TEST_API_PORT=2 TEST_COLLECTOR_PORT=3 TEST_MOCK_PORT=4
expect "config -q with the podman override" compose -f deploy/test/compose.podman.yml config -q

cp deploy/demo.env "$work/.env"
expect "config -q with deploy/demo.env" compose config -q
expect "demo.env enables the demo profile" grep -qx 'COMPOSE_PROFILES=demo' deploy/demo.env

# Health checks and restart policies, from the resolved file with every profile.
COMPOSE_PROFILES=demo,monitoring compose config >"$work/resolved.yml"
if python3 - "$work/resolved.yml" <<'PY'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
bad = [f"{n}: {what}" for n, s in services.items() if n != "migrate"
       for what, good in (("healthcheck", "test" in s.get("healthcheck", {})),
                          ("restart", s.get("restart") == "unless-stopped")) if not good]
profiles = {n: s.get("profiles", []) for n, s in services.items()}
expected = dict.fromkeys(["db", "migrate", "collector", "api"], [])
expected.update({"mock": ["demo"], "prometheus": ["monitoring"], "grafana": ["monitoring"]})
if profiles != expected:
    bad.append(f"profiles: {profiles}")
bad += [f"{n}: depends on db without service_healthy" for n, s in services.items()
        if "db" in s.get("depends_on", {}) and s["depends_on"]["db"].get("condition") != "service_healthy"]
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
then ok "profiles as documented; every service has a health check and restart: unless-stopped"
else fail "health checks / restart policies (above)"
fi

sed '/^POSTGRES_PASSWORD=/d' .env.example >"$work/.env"
if out=$(compose config -q 2>&1); then
  fail "config accepted a .env without POSTGRES_PASSWORD"
else
  expect "a missing POSTGRES_PASSWORD is refused with a hint" \
    grep -q "set POSTGRES_PASSWORD in .env" <<<"$out"
fi

echo "compose config: $failures failure(s)"
[ "$failures" = 0 ]
