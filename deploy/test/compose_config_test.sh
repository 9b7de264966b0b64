#!/usr/bin/env bash
# docker-compose.yml is accepted by docker-compose 1.29 (`config -q`) with the shipped
# .env.example and deploy/demo.env, alone and with the podman test override; a missing
# POSTGRES_PASSWORD or API_DATABASE_PASSWORD is refused with our message; every long-running
# service has a health check and a restart policy; no `version:` key. Least privilege: the api
# service connects as streamscope_api, gets no env_file and no platform secret or owner
# password, and lists each of its settings with the binary's own default; every published port
# but the API's is on 127.0.0.1. The collector service gets from .env.example every YouTube
# setting a user sets, no command word (ONCE, FROM, TO, FILE), and the binary's defaults; the
# demo's YOUTUBE_CHANNELS are the channels of the world deploy/demo/run-mock.sh makes.
#   compose_config_test.sh STREAMSCOPE_API STREAMSCOPE_COLLECTOR STREAMSCOPE_MOCK
#   (the built binaries: the --help texts list the settings; the mock makes the demo's world)
set -euo pipefail
usage="usage: compose_config_test.sh STREAMSCOPE_API STREAMSCOPE_COLLECTOR STREAMSCOPE_MOCK"
api_binary=$(realpath "${1:?$usage}")
collector_binary=$(realpath "${2:?$usage}")
mock_binary=$(realpath "${3:?$usage}")
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
"$collector_binary" --help >"$work/collector-help.txt"
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
if python3 - "$work/example.yml" "$work/collector-help.txt" <<'PY'
import re, sys, yaml
env = yaml.safe_load(open(sys.argv[1]))["services"]["collector"]["environment"]
settings = dict(re.findall(r"/ ([A-Z][A-Z0-9_]*)(?: \(default: ([^)]*)\))?",
                           open(sys.argv[2]).read()))
# Words of the collector's commands, not the daemon's settings: ONCE would make the service
# sweep once and exit (and restart), FROM/TO are rollup's, FILE is `youtube add --file`'s.
words = ("ONCE", "FROM", "TO", "FILE", "ENV_FILE")
# What docker-compose.yml itself sets for the collector.
fixed = ("DATABASE_URL", "SPOOL_DIR", "COLLECTOR_HEALTH_ADDRESS", "COLLECTOR_HEALTH_PORT")
bad = [f"the collector service gets the command word {w}" for w in words if w in env]
# Test servers' settings (another base URL, an extra CA) are not in .env.example.
youtube = sorted(k for k in settings if k.startswith("YOUTUBE_")
                 and not k.endswith(("_BASE_URL", "_CA_FILE")))
missing = [k for k in youtube if k not in env]
if missing:
    bad.append(f"YouTube settings the collector service does not get from .env.example: {missing}")
wrong = {k: (str(v), settings[k]) for k, v in env.items()
         if k in settings and k not in words + fixed and settings[k] and str(v) != settings[k]}
if wrong:
    bad.append(f"collector defaults in .env.example differ from the binary's (file, binary): {wrong}")
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
then ok "the collector service gets every YouTube setting, no command word, the binary's defaults"
else fail "the collector service's settings (above)"
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
COMPOSE_PROFILES=demo compose config >"$work/demo.yml"
if python3 - "$work/demo.yml" "$mock_binary" deploy/demo/run-mock.sh "$work" <<'PY'
import json, os, re, ssl, subprocess, sys, time, urllib.request, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
env = services["collector"]["environment"]
mock, run_mock, work = sys.argv[2:5]
# The mock service's YouTube world, as run-mock.sh makes it (its --youtube-NAME VALUE pairs).
flags = re.findall(r"(--youtube-[a-z-]+) ([^\s\\]+)", open(run_mock).read())
port_file, ca = os.path.join(work, "mock.port"), os.path.join(work, "mock.pem")
proc = subprocess.Popen([mock, "--listen", "127.0.0.1:0", "--port-file", port_file,
                         "--ca-out", ca, *[x for pair in flags for x in pair]],
                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
try:
    deadline = time.time() + 30
    while not (os.path.exists(port_file) and os.path.getsize(port_file) > 0 and
               os.path.exists(ca)) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    port = open(port_file).read().strip()
    tls = ssl.create_default_context(cafile=ca)
    with urllib.request.urlopen(f"https://127.0.0.1:{port}/_mock/youtube/world", context=tls,
                                timeout=10) as r:
        world = json.load(r)
finally:
    proc.terminate()
    proc.wait(10)
channels = [c["id"] for c in world["channels"] if not c["terminated"]]
named = env.get("YOUTUBE_CHANNELS", "").split(",")
bad = []
if named != channels:
    bad.append(f"demo.env's YOUTUBE_CHANNELS are not the mock's channels: {channels}")
live = sum(1 for c in world["channels"] if c["id"] in named and c["state"] == "live")
if not live:
    bad.append("none of the demo's YouTube channels is live")
quota = dict(flags).get("--youtube-daily-quota")
if str(env.get("YOUTUBE_DAILY_QUOTA")) != quota:
    bad.append(f"YOUTUBE_DAILY_QUOTA {env.get('YOUTUBE_DAILY_QUOTA')} is not the mock's {quota}")
if env.get("PLATFORMS") != "twitch,kick,youtube":
    bad.append(f"the demo sweeps {env.get('PLATFORMS')}")
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
then ok "the demo's collector watches the mock's YouTube channels, with the mock's quota"
else fail "the demo's YouTube settings (above)"
fi

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
