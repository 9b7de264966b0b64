#!/usr/bin/env python3
"""HTTPS on the API's own port (API_TLS_CERT/API_TLS_KEY) against the real binary: a client
that trusts the certificate gets the same answers as over HTTP, streamed and kept alive; a
plain-HTTP client gets nothing; `healthcheck` asks over HTTPS; a wrong key or half the
settings stop the server at start with one clear line.

Usage: tls_test.py API   (needs TEST_DATABASE_URL)
"""
import gzip
import http.client
import os
import ssl
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, run  # noqa: E402
from api_process import ApiProcess  # noqa: E402

API = sys.argv[1]


def make_certificate(work, name):
    """A self-signed certificate for 127.0.0.1 and its key: (cert path, key path)."""
    cert, key = os.path.join(work, f"{name}.crt"), os.path.join(work, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                    "/CN=streamscope-test", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


def start_refused(db, **settings):
    """(exit code, output) of a server that should not start."""
    env = dict(os.environ, DATABASE_URL=db.url, API_HOST="127.0.0.1", API_PORT="0", **settings)
    out = subprocess.run([API], env=env, capture_output=True, text=True, timeout=30,
                         cwd=tempfile.gettempdir())
    return out.returncode, out.stdout + out.stderr


def main(work, db):
    subprocess.run([API, "migrate"], env=dict(os.environ, DATABASE_URL=db.url), check=True,
                   capture_output=True, cwd=tempfile.gettempdir())
    cert, key = make_certificate(work, "api")
    api = ApiProcess(API, work, db.url, API_TLS_CERT=cert, API_TLS_KEY=key)
    try:
        trusting = ssl.create_default_context(cafile=cert)
        conn = http.client.HTTPSConnection("127.0.0.1", api.port, context=trusting, timeout=10)
        answers = []
        for path in ("/live/top?limit=5", "/stats/summary"):
            conn.request("GET", path)
            res = conn.getresponse()
            answers.append((res.status, res.read()))
        check([a[0] for a in answers] == [200, 200] and answers[0][1].startswith(b'{"data"'),
              f"HTTPS: a client that trusts the certificate gets answers, two on one "
              f"connection ({[a[0] for a in answers]})")
        conn.request("GET", "/export/snapshots?window=1h", headers={"Accept-Encoding": "gzip"})
        res = conn.getresponse()
        body = gzip.decompress(res.read())
        check(res.status == 200 and res.getheader("Transfer-Encoding") == "chunked" and
              body.startswith(b"collected_at,platform,"),
              "HTTPS: a streamed, gzipped export arrives whole")
        conn.close()

        strict = ssl.create_default_context()  # the system's CAs: our certificate is not one
        try:
            other = http.client.HTTPSConnection("127.0.0.1", api.port, context=strict,
                                                timeout=10)
            other.request("GET", "/health")
            other.getresponse()
            check(False, "a client that does not trust the certificate refuses the server")
        except ssl.SSLCertVerificationError:
            check(True, "a client that does not trust the certificate refuses the server")

        plain = http.client.HTTPConnection("127.0.0.1", api.port, timeout=5)
        try:
            plain.request("GET", "/health")
            status = plain.getresponse().status
        except (http.client.HTTPException, ConnectionError, OSError):
            status = None
        check(status is None, f"plain HTTP on the HTTPS port gets no answer ({status})")

        env = dict(api.env)
        probe = subprocess.run([API, "healthcheck"], env=env, capture_output=True, text=True,
                               timeout=30, cwd=tempfile.gettempdir())
        check(probe.returncode == 0 and '"database"' in probe.stdout,
              f"healthcheck asks over HTTPS ({probe.returncode}: {probe.stderr.strip()})")
        env.pop("API_TLS_CERT")
        env.pop("API_TLS_KEY")
        probe = subprocess.run([API, "healthcheck"], env=env, capture_output=True, text=True,
                               timeout=30, cwd=tempfile.gettempdir())
        check(probe.returncode == 1, "... and a plain-HTTP healthcheck is refused")
    finally:
        api.stop()
    log = open(api.log.name).read()
    check("(HTTPS)" in log, "the server says it listens with HTTPS")

    other_cert, other_key = make_certificate(work, "other")
    code, out = start_refused(db, API_TLS_CERT=cert, API_TLS_KEY=other_key)
    check(code == 2 and "does not belong to the certificate" in out,
          f"a key of another certificate: exit 2, saying so ({code}: {out.strip()[-200:]})")
    code, out = start_refused(db, API_TLS_CERT=os.path.join(work, "missing.crt"),
                              API_TLS_KEY=key)
    check(code == 2 and "cannot load the TLS certificate" in out and "missing.crt" in out,
          f"a missing certificate: exit 2 naming it ({code}: {out.strip()[-200:]})")
    code, out = start_refused(db, API_TLS_CERT=cert)
    check(code == 2 and "API_TLS_CERT and API_TLS_KEY go together" in out,
          f"half the settings: exit 2 ({code}: {out.strip()[-200:]})")


if __name__ == "__main__":
    run("tls", main)
