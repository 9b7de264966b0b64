#!/usr/bin/env bash
# The demo profile's fake platforms (installed as streamscope-demo-mock in the images).
# The mock's own self-signed certificate names only localhost, but in docker-compose the
# collector reaches it as https://mock:8443, so this makes one for that name too, in the
# volume the collector mounts read-only and names in TWITCH_CA_FILE. Made once, kept after.
set -euo pipefail

dir=${MOCK_DIR:-/var/lib/streamscope/demo}
port=${MOCK_PORT:-8443}
cert=$dir/mock.crt
key=$dir/mock.key

if [ ! -s "$cert" ]; then
  # openssl prints progress dots on stderr: shown only when it fails.
  if ! out=$(openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj /CN=mock \
      -addext "subjectAltName=DNS:mock,DNS:localhost,IP:127.0.0.1" \
      -keyout "$key.tmp" -out "$cert.tmp" 2>&1); then
    echo "$out" >&2
    echo "run-mock: cannot make the demo certificate in $dir (is the volume writable?)" >&2
    exit 1
  fi
  # The certificate last: once it exists, the key beside it is complete.
  mv "$key.tmp" "$key"
  mv "$cert.tmp" "$cert"
fi

# --churn: streams start, end and change viewers between pages, like the real service.
# YouTube: 20 channels, about a third live at any time; the fixed seed keeps the channel ids
# that deploy/demo.env names in YOUTUBE_CHANNELS, and the quota is demo.env's YOUTUBE_DAILY_QUOTA.
exec streamscope-mock --listen "0.0.0.0:$port" --tls-cert "$cert" --tls-key "$key" \
  --churn --kick-churn \
  --youtube-channels 20 --youtube-seed 20261207 --youtube-live-fraction 0.3 --youtube-daily-quota 1000000 \
  "$@"
