#!/usr/bin/env bash
# `make container-test`: the real images and docker-compose.yml (demo profile) on podman.
# Builds the images from deploy/Dockerfile, brings the stack up through podman's Docker API with
# docker-compose, waits for every service's own health check, reads /live/top for streams that
# came from the mock, checks that the API runs as its own database role without the platforms'
# secrets (and may make a key), restarts and then kills the collector and checks each time that it comes
# back healthy and sweeps again, then takes everything down (also on failure or Ctrl-C).
#
# Needs root on Debian 12 (podman, runc, debootstrap, docker-compose are installed if missing).
# The podman flags and the health-check loop are explained in shared/containers.md: no systemd
# here, so nothing runs health checks unless this script does.
#
# Between runs, /var/tmp/streamscope-container-cache keeps the debootstrapped base (refreshed
# weekly) and the built images keyed by a hash of the build context; STREAMSCOPE_REBUILD=1
# forces a fresh build.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
CACHE=${STREAMSCOPE_CONTAINER_CACHE:-/var/tmp/streamscope-container-cache}
started=$(date +%s)
phase_start=$started

say() { echo "container-test: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }
# Elapsed seconds of each phase, summarised at the end.
timings=()
phase_done() {
  local now; now=$(date +%s)
  timings+=("$1=$((now - phase_start))s")
  say "$1 done in $((now - phase_start)) s"
  phase_start=$now
}

[ "$(id -u)" = 0 ] || die "run as root (podman here runs rootful; see shared/containers.md)"

# --- tools --------------------------------------------------------------------------------
need=()
for p in podman runc debootstrap; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! dpkg-query -W -f='${Status}' docker-compose 2>/dev/null | grep -q "install ok installed"; then
  say "installing docker-compose"
  # Without --no-install-recommends it pulls in the docker.io engine.
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi

# --- podman state in a temp folder, torn down on every way out ------------------------------
WORK=$(mktemp -d /var/tmp/streamscope-ct.XXXXXX)
# --network-config-dir: docker-compose creates its (unused) default network; its definition
# goes here too, not into /etc/containers/networks.
P=(podman --root "$WORK/root" --runroot "$WORK/run" --cgroup-manager=cgroupfs
   --events-backend=file --runtime runc --network-config-dir "$WORK/networks")
U=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
PROJECT=streamscope-ct-$$
SERVICE_PID=""
HEALTH_LOOP_PID=""
COMPOSE=(docker-compose --project-directory "$WORK/project" -p "$PROJECT"
         -f "$WORK/project/docker-compose.yml" -f "$ROOT/deploy/test/compose.podman.yml")

cleanup() {
  local rc=$?
  set +e
  if [ "$rc" != 0 ] && [ -S "$WORK/podman.sock" ]; then
    say "logs of the stack (last 40 lines per service):"
    timeout 30 "${COMPOSE[@]}" logs --no-color --tail 40 >&2
  fi
  if [ -S "$WORK/podman.sock" ]; then
    timeout 60 "${COMPOSE[@]}" down -v -t 5 >/dev/null 2>&1
  fi
  [ -n "$HEALTH_LOOP_PID" ] && kill "$HEALTH_LOOP_PID" 2>/dev/null && wait "$HEALTH_LOOP_PID" 2>/dev/null
  timeout 60 "${P[@]}" rm -af -t 1 >/dev/null 2>&1
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
  # podman leaves its storage (overlay) mounted under --root: unmount before deleting.
  grep -o " $WORK/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$WORK"
  [ "$rc" = 0 ] || say "FAILED (exit $rc) after $(($(date +%s) - started)) s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- base image: debootstrap once a week, reused in between -------------------------------
mkdir -p "$CACHE"
base_tar=$CACHE/debian-bookworm-minbase.tar
if [ -z "$(find "$base_tar" -mtime -7 2>/dev/null)" ]; then
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  [ -n "$MIRROR" ] || die "no Debian mirror in /etc/apt/sources.list.d/debian.sources"
  say "debootstrap bookworm from $MIRROR (cached in $CACHE)"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
  # Downloaded .debs are of no use in an image.
  rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar"
  rm -rf "$WORK/rootfs"
fi
"${P[@]}" import -q "$base_tar" localhost/debian:bookworm >/dev/null
# The Dockerfile names the public images; here both are the local minbase bootstrap (slim is
# the same minbase with documentation removed).
"${P[@]}" tag localhost/debian:bookworm docker.io/library/debian:bookworm \
  docker.io/library/debian:bookworm-slim
phase_done base

# --- images ---------------------------------------------------------------------------------
# The cache key: the name and content of every file in the build context (the files git knows
# or would add, less what .dockerignore leaves out; its last matching line wins, `!` keeps).
# Outside a git checkout there is no key and the images are always built.
key=none
if git rev-parse --git-dir >/dev/null 2>&1; then
  key=$(git ls-files -co --exclude-standard -z | python3 -c '
import fnmatch, hashlib, os, sys
rules = [l.strip() for l in open(".dockerignore") if l.strip() and not l.startswith("#")]
def ignored(path):
    out = False
    for rule in rules:
        keep = rule.startswith("!")
        pattern = rule.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern + "/*"):
            out = not keep
    return out
digest = hashlib.sha256()
for path in sorted(p for p in sys.stdin.read().split("\0") if p and os.path.isfile(p)):
    if not ignored(path):
        digest.update(path.encode() + b"\0" + open(path, "rb").read())
print(digest.hexdigest()[:16])')
fi
images_tar=$CACHE/images-$key.tar
build=(build --format docker --network=host --pull=never "${U[@]}")
if [ "$key" != none ] && [ -s "$images_tar" ] && [ "${STREAMSCOPE_REBUILD:-0}" != 1 ]; then
  say "images of this source ($key) from the cache"
  "${P[@]}" load -q -i "$images_tar" >/dev/null
else
  say "building the collector and API images (a cold build takes several minutes)"
  # --format docker: podman's default OCI format drops HEALTHCHECK.
  "${P[@]}" "${build[@]}" -f deploy/Dockerfile --target collector \
    -t localhost/streamscope-collector:test . >"$WORK/build-collector.log" 2>&1 \
    || { tail -40 "$WORK/build-collector.log" >&2; die "building the collector image failed"; }
  "${P[@]}" "${build[@]}" -f deploy/Dockerfile --target api -t localhost/streamscope-api:test . \
    >"$WORK/build-api.log" 2>&1 \
    || { tail -40 "$WORK/build-api.log" >&2; die "building the API image failed"; }
  rm -f "$CACHE"/images-*.tar
  "${P[@]}" save -q -m -o "$images_tar.tmp" localhost/streamscope-collector:test \
    localhost/streamscope-api:test && mv "$images_tar.tmp" "$images_tar"
fi
"${P[@]}" "${build[@]}" -t localhost/streamscope-test-postgres:latest deploy/test/postgres \
  >"$WORK/build-postgres.log" 2>&1 \
  || { tail -40 "$WORK/build-postgres.log" >&2; die "building the test PostgreSQL image failed"; }
for image in streamscope-collector:test streamscope-api:test; do
  health=$("${P[@]}" inspect --format '{{json .HealthCheck}}' "localhost/$image")
  case "$health" in *healthcheck*) ;; *) die "$image has no HEALTHCHECK ($health)" ;; esac
  user=$("${P[@]}" inspect --format '{{.Config.User}}' "localhost/$image")
  [ "$user" = 10001:10001 ] || die "$image runs as '$user', not the streamscope user 10001"
done
say "image sizes:"
"${P[@]}" images --format '  {{.Repository}}:{{.Tag}} {{.Size}}' | grep -v -e debian -e '<none>' >&2
phase_done images

# --- the stack ------------------------------------------------------------------------------
. "$ROOT/scripts/lib.sh" # free_port
export TEST_PG_PORT TEST_API_PORT TEST_COLLECTOR_PORT TEST_MOCK_PORT
TEST_PG_PORT=$(free_port); TEST_API_PORT=$(free_port)
TEST_COLLECTOR_PORT=$(free_port); TEST_MOCK_PORT=$(free_port)

# The project folder holds the .env that docker-compose.yml reads: the demo settings with the
# mock's address on this host, and a sweep every 6 s so that the test need not wait minutes.
mkdir -p "$WORK/project"
sed -e "s|https://mock:8443|https://127.0.0.1:$TEST_MOCK_PORT|" \
    -e "s|^COLLECTION_INTERVAL_MINUTES=.*|COLLECTION_INTERVAL_MINUTES=0.1|" \
    deploy/demo.env >"$WORK/project/.env"
echo "HTTP_TIMEOUT_SECONDS=5" >>"$WORK/project/.env"
# docker-compose.yml as shipped, less `ports:`: host networking publishes nothing, docker-compose
# refuses the two together, and an override file cannot remove a list.
python3 - "$ROOT/docker-compose.yml" "$WORK/project/docker-compose.yml" <<'PY'
import sys, yaml
compose = yaml.safe_load(open(sys.argv[1]))
for service in compose["services"].values():
    service.pop("ports", None)
yaml.safe_dump(compose, open(sys.argv[2], "w"), sort_keys=False)
PY

"${P[@]}" system service --time=0 "unix://$WORK/podman.sock" >"$WORK/podman-service.log" 2>&1 &
SERVICE_PID=$!
export DOCKER_HOST=unix://$WORK/podman.sock
for _ in $(seq 1 100); do [ -S "$WORK/podman.sock" ] && break; sleep 0.1; done
[ -S "$WORK/podman.sock" ] || die "podman system service did not open $WORK/podman.sock"

# No systemd: run every container's health check every 2 s while the stack is up.
( while :; do
    for c in $("${P[@]}" ps --format '{{.Names}}'); do
      "${P[@]}" healthcheck run "$c" >/dev/null 2>&1 || true
    done
    sleep 2
  done ) &
HEALTH_LOOP_PID=$!

say "docker-compose up (demo profile): db $TEST_PG_PORT, api $TEST_API_PORT," \
    "collector $TEST_COLLECTOR_PORT, mock $TEST_MOCK_PORT"
timeout 240 "${COMPOSE[@]}" up -d --no-build >"$WORK/up.log" 2>&1 \
  || { cat "$WORK/up.log" >&2; die "docker-compose up failed or took over 240 s"; }

container_of() { "${COMPOSE[@]}" ps -q "$1"; }
health_of() { "${P[@]}" inspect --format '{{.State.Health.Status}}' "$(container_of "$1")" 2>/dev/null; }
wait_healthy() {
  local deadline=$(($(date +%s) + $2)) service
  for service in $1; do
    until [ "$(health_of "$service")" = healthy ]; do
      [ "$(date +%s)" -lt "$deadline" ] || die "$service is not healthy after $2 s ($(health_of "$service"))"
      sleep 1
    done
  done
}
wait_healthy "db mock collector api" 120
migrate_exit=$("${P[@]}" inspect --format '{{.State.ExitCode}}' "$(container_of migrate)")
[ "$migrate_exit" = 0 ] || die "the migrate service exited $migrate_exit"
phase_done up

# --- what a user would check --------------------------------------------------------------
# The number of streams /live/top returns; 0 until the first sweep is in.
live_streams() {
  curl -fsS --max-time 5 "http://127.0.0.1:$TEST_API_PORT/live/top?limit=10" \
    | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]))'
}
complete_sweeps() {
  curl -fsS --max-time 5 "http://127.0.0.1:$TEST_COLLECTOR_PORT/metrics" \
    | awk '/^streamscope_collector_sweeps_total\{platform="twitch",status="complete"\}/{print $2}'
}
wait_until() { # SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$(($(date +%s) + limit))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$what: not within $limit s"
    sleep 1
  done
}
has_live_streams() { [ "$(live_streams 2>/dev/null || echo 0)" -ge 10 ]; }
has_new_sweep() { [ "$(complete_sweeps 2>/dev/null || echo 0)" -ge 1 ]; }

wait_until 60 "/live/top lists the mock's streams" has_live_streams
say "/live/top: $(live_streams) streams; first: $(curl -fsS "http://127.0.0.1:$TEST_API_PORT/live/top?limit=1" | head -c 300)"
# The mock's Twitch world has 2,000 live streams (docker-compose.yml: --streams 2000), and its
# Kick world as many again (the demo sweeps both); some start and end between pages (--churn).
channels=$(curl -fsS --max-time 5 "http://127.0.0.1:$TEST_API_PORT/live/summary?platform=twitch" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["live_channels"])')
say "/live/summary?platform=twitch: $channels live channels"
if [ "$channels" -lt 1800 ] || [ "$channels" -gt 2200 ]; then
  die "/live/summary counts $channels live Twitch channels, not the mock's ~2000"
fi
uid=$("${P[@]}" exec "$(container_of collector)" id -u)
[ "$uid" = 10001 ] || die "the collector runs as uid $uid"
# Least privilege: the API holds no platform secret or owner password, logs in (with a real
# password check here) as its own role, and that role is enough to make a key.
leaked=$("${P[@]}" exec "$(container_of api)" env \
  | grep -E '^(TWITCH_|KICK_|YOUTUBE_|POSTGRES_PASSWORD|API_DATABASE_PASSWORD)' | cut -d= -f1 || true)
[ -z "$leaked" ] || die "the api container holds $leaked"
"${P[@]}" exec "$(container_of api)" env | grep -q '^DATABASE_URL=postgresql://streamscope_api:' \
  || die "the api container does not connect as streamscope_api"
"${P[@]}" exec "$(container_of api)" streamscope-api keys create --name container-test \
  >"$WORK/keys.log" 2>&1 || { cat "$WORK/keys.log" >&2; die "streamscope_api cannot create a key"; }
say "the API runs as streamscope_api without the platforms' secrets, and creates keys"
phase_done sweep

# --- heal: a restart, then a crash of the collector --------------------------------------------
say "docker-compose restart collector"
timeout 90 "${COMPOSE[@]}" restart -t 30 collector >/dev/null 2>&1 || die "docker-compose restart collector failed"
# Its counters start at 0 again: a complete sweep now is one after the restart.
wait_until 60 "the restarted collector sweeps again" has_new_sweep
wait_healthy "collector api" 60
phase_done restart

before=$(container_of collector)
pid=$("${P[@]}" inspect --format '{{.State.Pid}}' "$before")
restarts=$("${P[@]}" inspect --format '{{.RestartCount}}' "$before")
say "killing the collector (pid $pid) with SIGKILL"
kill -KILL "$pid"
restarted() { [ "$("${P[@]}" inspect --format '{{.RestartCount}}' "$before")" -gt "$restarts" ]; }
wait_until 60 "the restart policy restarts the collector" restarted
wait_until 60 "the collector sweeps again after the crash" has_new_sweep
wait_healthy "collector api" 60
phase_done crash

echo "container-test: passed in $(($(date +%s) - started)) s (${timings[*]})"
