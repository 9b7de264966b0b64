# Shell functions that ./start.sh, ./setup-check.sh, scripts/pg.sh and
# deploy/test/container-test.sh share. Source it.

# A setting as the binaries see it: the environment first, then the last KEY=VALUE line of
# ./.env (quotes and a trailing " # comment" removed), else $2.
setting() {
  local key=$1 default=${2:-}
  if [ -n "${!key:-}" ]; then
    printf '%s' "${!key}"
    return
  fi
  if [ -f .env ]; then
    local value
    value=$(grep -E "^[[:space:]]*(export[[:space:]]+)?$key[[:space:]]*=" .env | tail -1 |
      cut -d= -f2- |
      sed -E 's/^[[:space:]]+//; s/[[:space:]]+#.*$//; s/[[:space:]]+$//; s/^["'\'']//; s/["'\'']$//' || true)
    if [ -n "$value" ]; then
      printf '%s' "$value"
      return
    fi
  fi
  printf '%s' "$default"
}

# Whether something listens on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A loopback port nothing listens on (a random one from 20000-59999), or an error.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || { echo "$port"; return 0; }
  done
  echo "no free port found on 127.0.0.1" >&2
  return 1
}
