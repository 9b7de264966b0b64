#!/usr/bin/env bash
# docker-compose.yml is accepted by docker-compose 1.29 (`config -q`) with the shipped
# .env.example and deploy/demo.env, alone and with the podman test override; a missing
# POSTGRES_PASSWORD or API_DATABASE_PASSWORD is refused with our message; every long-running
# service has a health check and a restart policy; no `version:` key. Least privilege: the api
# service connects as streamscope_api, gets no env_file and no platform secret or owner
# password, and lists each of its settings with the binary's own default; every published port
# but the API's is on 127.0.0.1.
#   compose_config_test.sh STREAMSCOPE_API   (the built binary: its --help lists the settings)
set -euo pipefail
api_binary=$(realpath "${1:?usage: compose_config_test.sh STREAMSCOPE_API}")
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

sed -e 's/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=test-only/' \
    -e 's/^API_DATABASE_PASSWORD=.*/API_DATABASE_PASSWORD=test-only-api/' \
    -e 's/^TWITCH_CLIENT_SECRET=.*/TWITCH_CLIENT_SECRET=twitch-secret-for-the-test/' \
    .env.example >"$work/.env"
expect "config -q with .env.example" compose config -q
export TEST_PG_PORT=1 TEST_API_PORT=2 TEST_COLLECTOR_PORT=3 TEST_MOCK_PORT=4
expect "config -q with the podman override" compose -f deploy/test/compose.podman.yml config -q

# What the API receives, from .env.example with its secrets filled in.
compose config >"$work/example.yml"
# And from a .env that names nothing but the passwords: the defaults written in the file.
printf 'POSTGRES_PASSWORD=test-only\nAPI_DATABASE_PASSWORD=test-only-api\n' >"$work/.env"
compose config >"$work/bare.yml"
"$api_binary" --help >"$work/api-help.txt"
if python3 - "$work/example.yml" "$work/bare.yml" "$work/api-help.txt" <<'PY'
import re, sys, yaml
example, bare = (yaml.safe_load(open(f))["services"] for f in sys.argv[1:3])
settings = dict(re.findall(r"/ ([A-Z][A-Z0-9_]*)(?: \(default: ([^)]*)\))?", open(sys.argv[3]).read()))
# Not the server's: the URL is the role's own, the others are keys-command words.
own = {k: v for k, v in settings.items()
       if k not in ("DATABASE_URL", "ENV_FILE", "NAME", "SCOPE", "RATE", "EXPIRES",
                     "EXPORT_ROWS")}
bad = []
api = example["api"]
env = api.get("environment", {})
if "env_file" in api:
    bad.append(f"the api service reads {api['env_file']}")
secret = [k for k in env if k.startswith(("TWITCH_", "KICK_", "YOUTUBE_", "POSTGRES_"))
          or k == "API_DATABASE_PASSWORD"]
if secret:
    bad.append(f"the api service gets {secret}")
if "twitch-secret-for-the-test" in str(api) or ":test-only@" in str(api):
    bad.append("a platform secret or the owner's password reaches the api service")
if not env.get("DATABASE_URL", "").startswith("postgresql://streamscope_api:test-only-api@"):
    bad.append(f"the api's DATABASE_URL is not streamscope_api's: {env.get('DATABASE_URL')}")
missing = sorted(set(own) - set(env))
if missing:
    bad.append(f"API settings the api service does not pass on: {missing}")
unknown = sorted(set(env) - set(settings))
if unknown:
    bad.append(f"api service variables the API does not know: {unknown}")
defaults = {k: str(v) for k, v in bare["api"]["environment"].items() if k in own}
wrong = {k: (v, own[k]) for k, v in defaults.items()
         if k not in ("API_HOST", "API_PORT") and v != own[k]}
if wrong:
    bad.append(f"api defaults differ from the binary's (file, binary): {wrong}")
if "API_DATABASE_PASSWORD" not in example["migrate"].get("environment", {}):
    bad.append("the migrate service does not make the API's role (no API_DATABASE_PASSWORD)")
if "env_file" in example["migrate"]:
    bad.append("the migrate service reads .env: it needs only the passwords")
for name, service in example.items():
    for port in service.get("ports", []):
        text = port if isinstance(port, str) else \
            f"{port.get('host_ip', '')}:{port.get('published')}:{port.get('target')}"
        if name != "api" and not text.startswith("127.0.0.1:"):
            bad.append(f"{name} publishes {text} beyond this machine")
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
then ok "least privilege: the api service gets its own role and settings, nothing else; monitoring ports on 127.0.0.1"
else fail "least privilege (above)"
fi
printf 'POSTGRES_PASSWORD=x\nAPI_DATABASE_PASSWORD=y\nAUTH_MODE=keys\nMONITORING_BIND_ADDRESS=0.0.0.0\n' \
  >"$work/.env"
COMPOSE_PROFILES=monitoring compose config >"$work/set.yml"
expect "a setting in .env reaches the api; MONITORING_BIND_ADDRESS publishes monitoring" python3 -c '
import sys, yaml
s = yaml.safe_load(open(sys.argv[1]))["services"]
ports = [str(p) for p in s["prometheus"]["ports"]] + [str(p) for p in s["collector"]["ports"]]
sys.exit(0 if s["api"]["environment"]["AUTH_MODE"] == "keys" and
         all("0.0.0.0" in p for p in ports) else 1)' "$work/set.yml"

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

for password in POSTGRES_PASSWORD API_DATABASE_PASSWORD; do
  sed -e 's/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=x/' -e 's/^API_DATABASE_PASSWORD=.*/API_DATABASE_PASSWORD=y/' \
    -e "/^$password=/d" .env.example >"$work/.env"
  if out=$(compose config -q 2>&1); then
    fail "config accepted a .env without $password"
  else
    expect "a missing $password is refused with a hint" \
      grep -q "set $password in .env" <<<"$out"
  fi
done

echo "compose config: $failures failure(s)"
[ "$failures" = 0 ]
