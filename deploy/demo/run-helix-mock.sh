#!/usr/bin/env bash
# The demo profile's fake Twitch (installed as streamscope-demo-helix-mock in the images).
# The mock's own self-signed certificate names only localhost, but in docker-compose the
# collector reaches it as https://helix-mock:8443, so this makes one for that name too, in the
# volume the collector mounts read-only and names in TWITCH_CA_FILE. Made once, kept after.
set -euo pipefail

dir=${HELIX_MOCK_DIR:-/var/lib/streamscope/demo}
port=${HELIX_MOCK_PORT:-8443}
cert=$dir/helix-mock.crt
key=$dir/helix-mock.key

if [ ! -s "$cert" ]; then
  # openssl prints progress dots on stderr: shown only when it fails.
  if ! out=$(openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj /CN=helix-mock \
      -addext "subjectAltName=DNS:helix-mock,DNS:localhost,IP:127.0.0.1" \
      -keyout "$key.tmp" -out "$cert.tmp" 2>&1); then
    echo "$out" >&2
    echo "run-helix-mock: cannot make the demo certificate in $dir (is the volume writable?)" >&2
    exit 1
  fi
  # The certificate last: once it exists, the key beside it is complete.
  mv "$key.tmp" "$key"
  mv "$cert.tmp" "$cert"
fi

# --churn: streams start, end and change viewers between pages, like the real service.
exec streamscope-helix-mock --listen "0.0.0.0:$port" --tls-cert "$cert" --tls-key "$key" \
  --churn "$@"
