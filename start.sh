#!/usr/bin/env bash
# Runs Streamscope on this machine: checks and installs what is missing, builds, starts the
# collector and the API, and stops all of it on Ctrl-C.
#
#   ./start.sh
#
# - DATABASE_URL (environment or .env) names your PostgreSQL; without it a private cluster is
#   kept in .data/postgres (created on the first run, reused after).
# - TWITCH_CLIENT_ID/TWITCH_CLIENT_SECRET, KICK_CLIENT_ID/KICK_CLIENT_SECRET and YOUTUBE_API_KEY
#   (environment or .env) make it collect from Twitch, Kick and YouTube; with none of them it
#   runs in demo mode against streamscope-mock, a fake Twitch, Kick and YouTube on this machine,
#   so that the whole path (HTTPS, OAuth, API keys, paging, feeds, storage, API) works offline.
# - Logs go to .data/logs/. API_PORT (8000) and COLLECTOR_HEALTH_PORT (8081) pick the ports.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
DATA=$ROOT/.data
BIN=$ROOT/build/bin
LOGS=$DATA/logs

say() { printf 'start.sh: %s\n' "$*"; }
die() { printf 'start.sh: %s\n' "$*" >&2; exit 1; }

# setting, port_in_use
. scripts/lib.sh

# --- 1. Prerequisites -------------------------------------------------------------------------
if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; then
  deploy/install-deps.sh || die "installing the missing packages failed (see above); ./setup-check.sh lists what is missing"
fi
if ! ./setup-check.sh --quiet; then
  ./setup-check.sh || true
  die "fix what setup-check lists as missing, then run ./start.sh again"
fi

# --- 2. Build (incremental: a second run reuses the first one's build) -----------------------
mkdir -p "$LOGS"
say "building (the first time takes a few minutes; later runs only rebuild what changed)"
make --no-print-directory build-run >"$LOGS/build.log" 2>&1 || {
  tail -30 "$LOGS/build.log" >&2
  die "the build failed; the whole log is in .data/logs/build.log"
}

# --- 3. Stop everything this script started, however it ends ------------------------------
PIDS=()
EMBEDDED_PG=""
stop_all() {
  trap - EXIT INT TERM
  if [ ${#PIDS[@]} -gt 0 ]; then
    say "stopping"
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    for _ in $(seq 1 100); do # 10 s for a graceful drain, then no more waiting
      local alive=0
      for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.1
    done
    kill -KILL "${PIDS[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
  if [ -n "$EMBEDDED_PG" ]; then
    scripts/pg.sh stop "$EMBEDDED_PG"
  fi
  say "stopped"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 4. Ports ---------------------------------------------------------------------------------
API_PORT=$(setting API_PORT 8000)
COLLECTOR_HEALTH_PORT=$(setting COLLECTOR_HEALTH_PORT 8081)
for pair in "API_PORT:$API_PORT" "COLLECTOR_HEALTH_PORT:$COLLECTOR_HEALTH_PORT"; do
  if port_in_use "${pair#*:}"; then
    die "port ${pair#*:} (${pair%%:*}) is in use, maybe by another ./start.sh; stop that, or set ${pair%%:*}=another port in .env"
  fi
done
export API_PORT COLLECTOR_HEALTH_PORT

# --- 5. Database ------------------------------------------------------------------------------
DATABASE_URL=$(setting DATABASE_URL)
if [ -z "$DATABASE_URL" ]; then
  EMBEDDED_PG=$DATA/postgres
  [ -d "$EMBEDDED_PG/data" ] || say "creating a private PostgreSQL in .data/postgres (kept between runs)"
  DATABASE_URL=$(PG_DURABLE=1 scripts/pg.sh start "$EMBEDDED_PG")
fi
export DATABASE_URL
"$BIN/streamscope-collector" migrate >>"$LOGS/migrate.log" 2>&1 || {
  tail -5 "$LOGS/migrate.log" >&2
  die "migrating the database failed (log: .data/logs/migrate.log); check DATABASE_URL"
}

# --- 6. The platforms, or the demo's fake ones -----------------------------------------------
# Each platform whose credentials are in .env (or the environment) is swept for real; with
# none, demo mode sweeps a fake Twitch, a fake Kick and a fake YouTube on this machine.
MODE=real
if { [ -z "$(setting TWITCH_CLIENT_ID)" ] || [ -z "$(setting TWITCH_CLIENT_SECRET)" ]; } &&
   { [ -z "$(setting KICK_CLIENT_ID)" ] || [ -z "$(setting KICK_CLIENT_SECRET)" ]; } &&
   [ -z "$(setting YOUTUBE_API_KEY)" ]; then
  MODE=demo
  say "no Twitch, Kick or YouTube credentials in .env: DEMO MODE, collecting from a fake Twitch,"
  say "  a fake Kick and a fake YouTube (streamscope-mock on this machine; put your apps'"
  say "  credentials in .env for real data)"
  DEMO=$DATA/demo
  mkdir -p "$DEMO"
  rm -f "$DEMO/mock.port" "$DEMO/mock-ca.pem"
  # YouTube: a world of 20 channels, about a third of them live at any time. Its seed is fixed
  # so that the channels are the same at every run: the watchlist is kept in the database.
  # Its quota is a demo's, far above the 10,000 units of a real key: a sweep a minute then
  # never makes the collector lengthen YouTube's interval.
  "$BIN/streamscope-mock" --listen 127.0.0.1:0 --port-file "$DEMO/mock.port" \
    --ca-out "$DEMO/mock-ca.pem" --client-id demo-client --client-secret demo-secret \
    --streams 2000 --churn --drift-per-request 2% --end-per-request 0.2% \
    --start-per-request 0.2% --seed "$RANDOM" \
    --kick-client-id demo-kick-client --kick-client-secret demo-kick-secret \
    --kick-streams 1000 --kick-churn --kick-end-per-request 0.2% \
    --kick-start-per-request 0.2% \
    --youtube-channels 20 --youtube-live-fraction 0.3 --youtube-seed 20261207 \
    --youtube-daily-quota 1000000 >>"$LOGS/mock.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    [ -s "$DEMO/mock.port" ] && [ -s "$DEMO/mock-ca.pem" ] && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || die "the fake platforms did not start (log: .data/logs/mock.log)"
    sleep 0.1
  done
  [ -s "$DEMO/mock.port" ] || die "the fake platforms did not start within 30 s (log: .data/logs/mock.log)"
  MOCK_URL=https://127.0.0.1:$(cat "$DEMO/mock.port")
  # The fake YouTube's channels (those it has not terminated) are the demo's watchlist.
  YOUTUBE_CHANNELS=$(python3 - "$MOCK_URL" "$DEMO/mock-ca.pem" <<'PY'
import json, ssl, sys, urllib.request
tls = ssl.create_default_context(cafile=sys.argv[2])
with urllib.request.urlopen(sys.argv[1] + "/_mock/youtube/world", context=tls, timeout=10) as r:
    world = json.load(r)
print(",".join(c["id"] for c in world["channels"] if not c["terminated"]))
PY
  ) || die "the fake YouTube did not say its channels (log: .data/logs/mock.log)"
  export PLATFORMS=twitch,kick,youtube
  export TWITCH_CLIENT_ID=demo-client TWITCH_CLIENT_SECRET=demo-secret
  export TWITCH_API_BASE_URL=$MOCK_URL/helix TWITCH_AUTH_BASE_URL=$MOCK_URL/oauth2
  export TWITCH_CA_FILE=$DEMO/mock-ca.pem
  export KICK_CLIENT_ID=demo-kick-client KICK_CLIENT_SECRET=demo-kick-secret
  export KICK_API_BASE_URL=$MOCK_URL KICK_AUTH_BASE_URL=$MOCK_URL
  export KICK_CA_FILE=$DEMO/mock-ca.pem
  # The mock's key: it accepts no other.
  export YOUTUBE_API_KEY=mock-youtube-api-key YOUTUBE_CHANNELS
  export YOUTUBE_API_BASE_URL=$MOCK_URL/youtube/v3 YOUTUBE_FEED_BASE_URL=$MOCK_URL/feeds
  export YOUTUBE_CA_FILE=$DEMO/mock-ca.pem
  export YOUTUBE_DAILY_QUOTA=1000000
  # The demo's API may be called from any page (a dashboard of your own on another port).
  export CORS_ALLOWED_ORIGINS=${CORS_ALLOWED_ORIGINS:-*}
  # A sweep a minute, so that a demo has a history to show soon.
  export COLLECTION_INTERVAL_MINUTES=${COLLECTION_INTERVAL_MINUTES:-1}
fi
export SPOOL_DIR=${SPOOL_DIR:-$(setting SPOOL_DIR "$DATA/spool")}

# --- 7. The services --------------------------------------------------------------------------
"$BIN/streamscope-collector" >>"$LOGS/collector.log" 2>&1 &
PIDS+=($!)
"$BIN/streamscope-api" >>"$LOGS/api.log" 2>&1 &
PIDS+=($!)

healthy=0
for _ in $(seq 1 60); do
  if "$BIN/streamscope-api" healthcheck >/dev/null 2>&1; then
    healthy=1
    break
  fi
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || die "a service stopped at start; see .data/logs/ (collector.log, api.log)"
  done
  sleep 0.5
done
[ $healthy = 1 ] || die "the API did not become healthy within 30 s; see .data/logs/api.log"

cat <<EOF

  Streamscope is running ($MODE mode).
    API            http://localhost:$API_PORT/live/top
    Docs           http://localhost:$API_PORT/docs
    Health         http://localhost:$API_PORT/health
    Collector      http://localhost:$COLLECTOR_HEALTH_PORT/health  (and /metrics)
    Logs           .data/logs/
  The first sweep lands within a minute. Try:
    curl 'http://localhost:$API_PORT/live/top?limit=5'
  Press Ctrl-C to stop everything this script started.

EOF

# Runs until Ctrl-C, or until a service stops by itself (then everything stops).
set +e
wait -n "${PIDS[@]}"
status=$?
set -e
say "a service stopped by itself (exit $status); see .data/logs/ for why"
exit 1
