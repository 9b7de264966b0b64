#!/usr/bin/env bash
# The binaries as a user runs them: help, version, settings errors, migrate, schema refusal.
# Usage: cli_test.sh COLLECTOR API   (needs TEST_DATABASE_URL)
set -uo pipefail
collector=$1 api=$2
[ -n "${TEST_DATABASE_URL:-}" ] || { echo "TEST_DATABASE_URL is not set"; exit 1; }

failures=0 passes=0
check() { # check NAME EXPECTED_EXIT CMD...: runs CMD, output in $out
  local name=$1 want=$2; shift 2
  out=$("$@" 2>&1); local got=$?
  if [ "$got" = "$want" ]; then passes=$((passes + 1)); else
    failures=$((failures + 1)); echo "FAIL $name: exit $got, wanted $want; output:"; echo "$out"; fi
}
expect() { # expect NAME PATTERN: $out contains PATTERN
  if grep -qF -- "$2" <<<"$out"; then passes=$((passes + 1)); else
    failures=$((failures + 1)); echo "FAIL $1: no '$2' in:"; echo "$out"; fi
}
refute() { # refute NAME PATTERN: $out does not contain PATTERN
  if grep -qF -- "$2" <<<"$out"; then failures=$((failures + 1)); echo "FAIL $1: '$2' in:"; echo "$out"
  else passes=$((passes + 1)); fi
}

# The newest migration in sql/migrations/: what a fresh database ends at.
newest=$(ls "$(dirname "$0")/../../../sql/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -1)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work" # no stray .env from the caller's folder
db="streamscope_cli_$$"
psql "$TEST_DATABASE_URL" -Xqc "CREATE DATABASE $db" || exit 1
trap 'psql "$TEST_DATABASE_URL" -Xqc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; rm -rf "$work"' EXIT
url=$(sed -E "s#/[^/?]*(\?|$)#/$db\1#" <<<"${TEST_DATABASE_URL#postgresql://}")
url="postgresql://$url"

for bin in "$collector" "$api"; do
  name=$(basename "$bin")
  check "$name --help" 0 env -u DATABASE_URL "$bin" --help
  expect "$name help lists DATABASE_URL" "--database-url / DATABASE_URL"
  expect "$name help lists LOG_LEVEL default" "--log-level / LOG_LEVEL (default: info)"
  expect "$name help lists migrate" "migrate"
  check "$name --version" 0 "$bin" --version
  expect "$name version" "$name 0."
  check "$name without DATABASE_URL" 2 env -u DATABASE_URL "$bin" migrate
  expect "$name names the missing setting" "DATABASE_URL is not set"
  check "$name with a malformed URL" 2 env DATABASE_URL='postgresql://u:hunter2@h:port/d' "$bin" migrate
  expect "$name says the port is invalid" "DATABASE_URL has an invalid port 'port'"
  refute "$name keeps the password out" "hunter2"
  check "$name with an unparsable URL" 2 env DATABASE_URL='postgresql://u:hunter2@h/d?nosuch=1' "$bin" migrate
  expect "$name says the URL is invalid" "DATABASE_URL is not a valid PostgreSQL URI"
  refute "$name keeps the password out of parse errors" "hunter2"
  check "$name reports every problem" 2 env -u DATABASE_URL "$bin" migrate --log-level loud --bogus 1
  expect "$name: unknown option" "unknown option --bogus"
  expect "$name: bad level" "LOG_LEVEL must be one of"
  expect "$name: missing url" "DATABASE_URL is not set"
done
# The API's default is to serve; bad settings stop it before it listens.
check "api with bad settings" 2 env DATABASE_URL="$url" "$api" --api-port 70000 \
  --api-host not-an-address --cors-allowed-origins ftp://x
expect "api: bad port" "API_PORT must be a whole number from 0 to 65535"
expect "api: bad host" "API_HOST must be an IP address"
expect "api: bad origin" "CORS_ALLOWED_ORIGINS: 'ftp://x'"
check "api help lists its settings" 0 "$api" --help
expect "api help: port" "--api-port / API_PORT (default: 8000)"
check "api healthcheck without a server" 1 env -u DATABASE_URL "$api" healthcheck --api-port 1
# The collector's default is to run the daemon, which needs Twitch credentials: every missing
# piece is one line, all reported together.
check "collector without credentials" 2 env DATABASE_URL="$url" "$collector"
expect "collector asks for the client id" "TWITCH_CLIENT_ID is required"
expect "collector asks for the secret" "TWITCH_CLIENT_SECRET is required"
check "collector with bad values" 2 env DATABASE_URL="$url" "$collector" --once \
  --twitch-client-id x --twitch-client-secret y --twitch-api-base-url http://insecure \
  --max-streams-per-collection -5 --twitch-languages english
expect "collector: http refused" "TWITCH_API_BASE_URL must be an https:// URL"
expect "collector: negative max" "MAX_STREAMS_PER_COLLECTION must be a whole number"
expect "collector: bad language" "TWITCH_LANGUAGES: 'english' is not a valid value"
check "collector help lists its settings" 0 "$collector" --help
expect "collector help: once" "--once / ONCE"
expect "collector help: api base default" "(default: https://api.twitch.tv/helix)"
expect "collector help: exit code 4" "4 every platform refused its credentials"
expect "collector help: healthcheck" "healthcheck"
check "collector healthcheck without a daemon" 1 env -u DATABASE_URL "$collector" healthcheck \
  --collector-health-port 1
check "collector with a bad interval" 2 env DATABASE_URL="$url" "$collector" \
  --twitch-client-id x --twitch-client-secret y --collection-interval-minutes 0
expect "collector: bad interval" "COLLECTION_INTERVAL_MINUTES must be a number of minutes"

check "migrate a fresh database" 0 env DATABASE_URL="$url" "$collector" migrate
expect "migrate says what it did" "migrated from schema version 0 to $newest"
check "migrate again" 0 env DATABASE_URL="$url" "$collector" migrate --log-format json
expect "migrate again is a no-op" "is up to date at schema version $newest"
expect "json log lines" '"level":"info","program":"streamscope-collector"'
check "settings from .env" 0 env -u DATABASE_URL sh -c "echo 'DATABASE_URL=$url' > .env && '$api' migrate"
expect ".env was read" "is up to date"
rm -f .env

check "unreachable database" 1 timeout 30 env DATABASE_URL='postgresql://u:hunter2@127.0.0.1:1/x' "$collector" migrate
expect "unreachable: what to do" "check DATABASE_URL and that PostgreSQL is running"
refute "unreachable: no password" "hunter2"

psql "$url" -Xqc "INSERT INTO schema_migrations VALUES (99, '0099_future.sql', 'x')"
check "newer schema refused" 3 env DATABASE_URL="$url" "$collector" migrate
expect "refusal says why" "the database schema is at version 99"

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
