#!/usr/bin/env bash
# A private PostgreSQL 15 cluster on 127.0.0.1, for tests, benchmarks and ./start.sh.
#
#   scripts/pg.sh start DIR [PORT]   create the cluster in DIR if needed, start it (on PORT, or on a
#                                    free port) and print its DATABASE_URL
#   scripts/pg.sh stop DIR           stop the cluster in DIR (no-op when it is not running)
#   scripts/pg.sh url DIR            print the DATABASE_URL of the running cluster in DIR
#   scripts/pg.sh run CMD [ARG...]   run CMD with TEST_DATABASE_URL set: the given one when the
#                                    caller set it, else a throwaway cluster in a temp folder that
#                                    is stopped and deleted afterwards, also on failure or Ctrl-C
#
# Clusters listen on 127.0.0.1 only and trust local connections: they are for this machine's own
# tests and ./start.sh's private database, never for a shared server (use your own PostgreSQL
# and DATABASE_URL there). PG_DURABLE=1: crash-safe settings (fsync on) for data to keep.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DB_NAME=streamscope

die() { echo "pg.sh: $*" >&2; exit 1; }

[ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 is not installed ($PG_BIN/pg_ctl missing); run deploy/install-deps.sh"

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# free_port
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Test clusters skip fsync: a crash loses nothing that matters and tests run faster.
# PG_DURABLE=1 (./start.sh's cluster, which keeps the user's data) makes it crash-safe.
durability() {
  if [ "${PG_DURABLE:-0}" = 1 ]; then
    echo "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  else
    echo "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
}

url_of() { echo "postgresql://postgres@127.0.0.1:$(cat "$1/port")/$DB_NAME"; }

cmd_start() {
  local dir=$1 port=${2:-}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    url_of "$dir"
    return 0
  fi
  local tries=0
  while :; do
    local p=${port:-$(free_port)}
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start -o \
      "-p $p -c listen_addresses=127.0.0.1 -k $dir $(durability) -c max_connections=200 \
       -c shared_buffers=256MB" >/dev/null; then
      echo "$p" >"$dir/port"
      break
    fi
    tries=$((tries + 1))
    if [ -n "$port" ] || [ "$tries" -ge 5 ]; then
      tail -5 "$dir/server.log" >&2 || true
      die "PostgreSQL did not start (log: $dir/server.log)"
    fi
  done
  if ! as_owner "$PG_BIN/psql" -h 127.0.0.1 -p "$p" -U postgres -d postgres -XAtq \
    -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$p" -U postgres "$DB_NAME"
  fi
  url_of "$dir"
}

cmd_stop() {
  local dir=$1
  [ -f "$dir/data/PG_VERSION" ] || return 0
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

cmd_run() {
  [ $# -gt 0 ] || die "usage: pg.sh run CMD [ARG...]"
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    "$@"
    return
  fi
  # Global, not local: the EXIT trap runs after this function has returned.
  PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/streamscope-pg.XXXXXX")
  # Tear down on every way out: normal exit, failure, Ctrl-C, TERM.
  trap 'cmd_stop "$PG_TMP"; rm -rf "$PG_TMP"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  TEST_DATABASE_URL=$(cmd_start "$PG_TMP")
  export TEST_DATABASE_URL
  echo "pg.sh: throwaway PostgreSQL at $TEST_DATABASE_URL" >&2
  local rc=0
  "$@" || rc=$?
  return "$rc"
}

case "${1:-}" in
  start) [ $# -ge 2 ] || die "usage: pg.sh start DIR [PORT]"; cmd_start "$2" "${3:-}" ;;
  stop) [ $# -eq 2 ] || die "usage: pg.sh stop DIR"; cmd_stop "$2" ;;
  url) [ $# -eq 2 ] || die "usage: pg.sh url DIR"; url_of "$2" ;;
  run) shift; cmd_run "$@" ;;
  *) die "usage: pg.sh start DIR [PORT] | stop DIR | url DIR | run CMD [ARG...]" ;;
esac
