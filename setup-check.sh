#!/usr/bin/env bash
# Checks what Streamscope needs on this machine and prints a table: each item OK, MISSING
# (required: ./start.sh cannot go on) or WARN/INFO (optional or worth knowing), with the fix.
#
#   ./setup-check.sh            the table; exit 1 when something required is missing
#   ./setup-check.sh --quiet    no output, only the exit status (used by ./start.sh)
set -uo pipefail
cd "$(dirname "$0")"

QUIET=0
[ "${1:-}" = "--quiet" ] && QUIET=1
FAILED=0

row() { # status item detail
  [ "$1" = MISSING ] && FAILED=1
  [ $QUIET = 1 ] && return
  printf '  %-8s %-34s %s\n' "$1" "$2" "$3"
}

# setting, port_in_use
. scripts/lib.sh

version_at_least() { # have want: true when have >= want (dotted numbers)
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]
}


[ $QUIET = 1 ] || printf 'Streamscope setup check\n\n  %-8s %-34s %s\n' STATUS ITEM DETAIL

# --- The system and the build tools -----------------------------------------------------------
if command -v apt-get >/dev/null && [ -r /etc/os-release ]; then
  row OK "system" "$(. /etc/os-release; echo "$PRETTY_NAME")"
else
  row WARN "system" "not Debian/Ubuntu: install the packages of deploy/install-deps.sh by hand"
fi
if command -v g++ >/dev/null; then
  gxx=$(g++ -dumpfullversion 2>/dev/null || g++ -dumpversion)
  if version_at_least "$gxx" 12; then row OK "C++ compiler" "g++ $gxx"
  else row MISSING "C++ compiler" "g++ $gxx is too old for C++20 coroutines; install g++ 12 or newer"; fi
else
  row MISSING "C++ compiler" "g++ not found; fix: sudo deploy/install-deps.sh"
fi
if command -v cmake >/dev/null; then
  cm=$(cmake --version | awk 'NR==1{print $3}')
  if version_at_least "$cm" 3.25; then row OK "CMake" "$cm"
  else row MISSING "CMake" "$cm is older than 3.25; install Debian 12's cmake"; fi
else
  row MISSING "CMake" "not found; fix: sudo deploy/install-deps.sh"
fi

# --- Libraries and tools from Debian packages -------------------------------------------------
missing=$(deploy/install-deps.sh --missing)
if [ -z "$missing" ]; then
  row OK "packages" "Boost 1.81, libpqxx, OpenSSL, spdlog, zlib, Catch2, PostgreSQL 15, ..."
else
  for p in $missing; do
    row MISSING "package $p" "fix: sudo deploy/install-deps.sh (or: sudo apt-get install $p)"
  done
fi

# --- The database -----------------------------------------------------------------------------
url=$(setting DATABASE_URL)
if [ -z "$url" ]; then
  if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
    row OK "database" "no DATABASE_URL: ./start.sh keeps a private PostgreSQL 15 in .data/postgres"
  else
    row MISSING "database" "no DATABASE_URL and no PostgreSQL 15; fix: sudo deploy/install-deps.sh, or set DATABASE_URL in .env"
  fi
elif [[ ! "$url" =~ ^postgres(ql)?:// ]]; then
  row MISSING "DATABASE_URL" "not a postgresql:// URI; see .env.example"
elif command -v pg_isready >/dev/null; then
  if pg_isready -q -t 3 -d "$url"; then row OK "DATABASE_URL" "the server answers"
  else row MISSING "DATABASE_URL" "the server does not answer; is it running, and are host and port right?"; fi
else
  row INFO "DATABASE_URL" "set (not checked: pg_isready is not installed)"
fi

# --- Platforms --------------------------------------------------------------------------------
# credentials NAME PREFIX WHERE: one row about PREFIX_CLIENT_ID and PREFIX_CLIENT_SECRET.
credentials() {
  local name=$1 prefix=$2 where=$3
  local id secret
  id=$(setting "${prefix}_CLIENT_ID")
  secret=$(setting "${prefix}_CLIENT_SECRET")
  if [ -n "$id" ] && [ -n "$secret" ]; then
    row OK "$name credentials" "set: $name is swept (checked against $name when the collector starts)"
  elif [ -n "$id$secret" ]; then
    row MISSING "$name credentials" "only one of ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET is set in .env; set both, or neither"
  else
    row INFO "$name credentials" "none: $name is not swept (add your app's from $where to .env; with no platform's, ./start.sh runs in demo mode)"
  fi
}
credentials Twitch TWITCH "dev.twitch.tv/console"
credentials Kick KICK "kick.com, Settings > Developer"
# YouTube: one API key, and a watchlist (it is never a list of every live stream).
if [ -n "$(setting YOUTUBE_API_KEY)" ]; then
  if [ -n "$(setting YOUTUBE_CHANNELS)" ]; then
    row OK "YouTube API key" "set: YouTube's watchlist is swept, YOUTUBE_CHANNELS and what 'streamscope-collector youtube add' added (key checked when the collector starts)"
  else
    row OK "YouTube API key" "set: YouTube's watchlist is swept; fill it with 'streamscope-collector youtube add' or YOUTUBE_CHANNELS (key checked when the collector starts)"
  fi
else
  row INFO "YouTube API key" "none: YouTube is not swept (add YOUTUBE_API_KEY from console.cloud.google.com, YouTube Data API v3, to .env; with no platform's, ./start.sh runs in demo mode)"
fi

# --- Settings that must be numbers, and the ports ---------------------------------------------
for key in API_PORT COLLECTOR_HEALTH_PORT API_THREADS API_DB_POOL_SIZE SPOOL_MAX_MB \
  MAX_STREAMS_PER_COLLECTION CHANNEL_REFRESH_HOURS YOUTUBE_DAILY_QUOTA YOUTUBE_SEARCH_DAILY_CALLS; do
  value=$(setting "$key")
  if [ -n "$value" ] && ! [[ "$value" =~ ^[0-9]+$ ]]; then
    row MISSING "$key" "'$value' is not a whole number; fix it in .env"
  fi
done
for key in COLLECTION_INTERVAL_MINUTES KICK_COLLECTION_INTERVAL_MINUTES \
  YOUTUBE_COLLECTION_INTERVAL_MINUTES; do
  interval=$(setting "$key")
  if [ -n "$interval" ] && ! [[ "$interval" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    row MISSING "$key" "'$interval' is not a number of minutes; fix it in .env"
  fi
done
for pair in "API_PORT:$(setting API_PORT)" "COLLECTOR_HEALTH_PORT:$(setting COLLECTOR_HEALTH_PORT)"; do
  key=${pair%%:*}
  port=${pair#*:}
  [ -n "$port" ] || { [ "$key" = API_PORT ] && port=8000 || port=8081; }
  if [[ "$port" =~ ^[0-9]+$ ]] && port_in_use "$port"; then
    row MISSING "port $port ($key)" "in use (another ./start.sh?); stop that program or set $key in .env"
  elif [[ "$port" =~ ^[0-9]+$ ]]; then
    row OK "port $port ($key)" "free"
  fi
done

# --- Containers (optional) --------------------------------------------------------------------
if command -v docker >/dev/null; then
  if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; then
    row OK "Docker" "$(docker --version 2>/dev/null | head -1) with compose"
  else
    row WARN "Docker" "found, but no compose: install the compose plugin for 'make up'"
  fi
elif command -v podman >/dev/null; then
  row INFO "Docker" "not found; podman is ('make container-test' runs the images with it)"
else
  row INFO "Docker" "not found (optional: only for 'make up' / docker-compose)"
fi

if [ $QUIET = 0 ]; then
  echo
  if [ $FAILED = 1 ]; then
    echo "Something required is MISSING: fix it as shown, then run ./start.sh."
  else
    echo "Everything required is here: ./start.sh runs Streamscope, make test tests it."
  fi
fi
exit $FAILED
