#!/usr/bin/env bash
# Test only: first start creates the cluster, role and database (as the postgres:15 image
# does: POSTGRES_USER is a superuser), then PostgreSQL runs in the foreground on
# 127.0.0.1:$PGPORT.
set -euo pipefail

: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
socket_dir=/tmp

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # Set up over the Unix socket only, so that nobody connects before the password is set.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k $socket_dir" -w -t 30 start >/dev/null
  role=CREATE; [ "$POSTGRES_USER" = postgres ] && role=ALTER
  database="CREATE DATABASE :\"db\" OWNER :\"user\";"; [ "$POSTGRES_DB" = postgres ] && database=""
  # psql's :"name" and :'value' quote the identifiers and the password.
  psql -h "$socket_dir" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -v user="$POSTGRES_USER" -v password="$POSTGRES_PASSWORD" -v db="$POSTGRES_DB" <<SQL
$role ROLE :"user" SUPERUSER LOGIN PASSWORD :'password';
$database
SQL
  pg_ctl -D "$PGDATA" -m fast -w -t 30 stop >/dev/null
fi

exec postgres -D "$PGDATA" -p "$PGPORT" -k "$socket_dir" -c listen_addresses=127.0.0.1
