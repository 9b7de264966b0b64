#!/usr/bin/env python3
"""API keys as an operator and their clients use them: `streamscope-api keys` and /admin/keys
against the real binary on a real PostgreSQL, in each AUTH_MODE.

The API and its keys command connect as the API's own role (api_role_url), which reads and
writes only api_keys: so nothing here needs more.

Usage: keys_test.py API COLLECTOR   (needs TEST_DATABASE_URL)
"""
import datetime
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, run  # noqa: E402
from api_process import ApiProcess, api_role_url  # noqa: E402

API, COLLECTOR = sys.argv[1], sys.argv[2]


def keys(db, *words, expect=0):
    """Runs `streamscope-api keys WORDS`; its output."""
    env = {k: v for k, v in os.environ.items() if k not in ("NAME", "SCOPE", "EXPIRES")}
    env["DATABASE_URL"] = db.api_url
    out = subprocess.run([API, "keys", *words], env=env, capture_output=True, text=True,
                         timeout=30, cwd=tempfile.gettempdir())
    check(out.returncode == expect, f"keys {' '.join(words)}: exit {out.returncode} "
                                    f"({out.stderr[-300:]})")
    return out.stdout


def create(db, name, scope, *more):
    """A new key: the last line of `keys create`'s output, alone."""
    return keys(db, "create", "--name", name, "--scope", scope, *more).splitlines()[-1]


def error_of(body):
    return json.loads(body).get("error", {})


def wait_for(condition, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def check_key_rate(db, api, get, other):
    """A key's own rate: a burst of that many, then 429 with Retry-After; other keys go on."""
    slow = create(db, "slow client", "read", "--rate", "5")
    check(wait_for(lambda: get("/stats/summary", slow)[0] == 200, 5), "a key with its own rate")
    answers = [get(f"/live/top?limit={n}", slow) for n in range(1, 5)]
    check(all(a[0] == 200 and a[1].get("RateLimit-Limit") == "5" for a in answers) and
          [a[1].get("RateLimit-Remaining") for a in answers] == ["3", "2", "1", "0"],
          f"RateLimit headers count down ({[a[1].get('RateLimit-Remaining') for a in answers]})")
    status, headers, body = get("/live/top", slow)
    check(status == 429 and error_of(body).get("code") == "rate_limited" and
          10 <= int(headers.get("Retry-After", "0")) <= 12 and
          headers.get("RateLimit-Remaining") == "0",
          f"the sixth request within the minute: 429 with Retry-After ({status} {headers} {body})")
    status, headers, _ = get("/live/top", other)
    check(status == 200 and headers.get("RateLimit-Limit") == "600",
          "another key is not held back, at API_KEY_RATE's default")


# One channel's broadcast with this many snapshots, a millisecond apart from midnight UTC today:
# an export of about 20 MB, more than the sockets' buffers hold.
EXPORT_ROWS = 150_000
SEED_EXPORT = f"""
WITH c AS (
  INSERT INTO channels (platform_id, platform_user_id, login, display_name, first_seen_at,
                        last_seen_at)
  VALUES (1, 'bulk-1', 'bulkchannel', 'Bulk Channel', now(), now()) RETURNING id),
s AS (
  INSERT INTO streams (platform_id, platform_stream_id, channel_id, started_at, language, title,
                       state_since, first_seen_at)
  SELECT 1, 'bulk-stream-1', id, today, 'en', 'a very long broadcast for exports', today, today
    FROM c, (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS today) t
  RETURNING id, started_at)
INSERT INTO snapshots (collected_at, stream_id, viewer_count)
SELECT s.started_at + n * interval '1 millisecond', s.id, n
  FROM s, generate_series(1, {EXPORT_ROWS}) n"""


def export_path():
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    return f"/export/snapshots?channel=bulkchannel&from={today}T00:00:00Z&to={today}T01:00:00Z"


def export_rows(api, key):
    """(status, headers, data rows received, whether the answer was complete)."""
    conn = http.client.HTTPConnection("127.0.0.1", api.port, timeout=30)
    conn.request("GET", export_path(), headers={"X-API-Key": key})
    res = conn.getresponse()
    try:
        body, complete = res.read(), True
    except http.client.IncompleteRead as cut:
        body, complete = cut.partial, False
    conn.close()
    lines = body.count(b"\r\n")
    return res.status, dict(res.getheaders()), max(lines - 1, 0), complete


def hold_export(api, key):
    """A client that asks for the export and reads none of it (a small receive window)."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", api.port))
    s.sendall(f"GET {export_path()} HTTP/1.1\r\nHost: x\r\nX-API-Key: {key}\r\n\r\n".encode())
    return s


def drain(s, timeout):
    """(the bytes a held export's server sent, whether it closed the connection within
    `timeout`)."""
    s.settimeout(timeout)
    got, closed = b"", True
    try:
        while True:
            piece = s.recv(1 << 20)
            if not piece:
                break
            got += piece
    except ConnectionResetError:
        pass
    except socket.timeout:
        closed = False
    s.close()
    return got, closed


def check_exports(work, db):
    """A key's daily row quota, its concurrent exports, and a client too slow to read."""
    db.query(SEED_EXPORT)
    quota = create(db, "export quota", "export", "--export-rows", "25000")
    holder = create(db, "export holder", "export")
    other = create(db, "another exporter", "export")
    api = ApiProcess(API, work, db.api_url, AUTH_MODE="keys", API_EXPORTS_PER_KEY="1",
                     API_EXPORT_MIN_RATE_KB="10240", API_EXPORT_GRACE_SECONDS="1")
    try:
        check(wait_for(lambda: api.call("GET", "/live/top", {"X-API-Key": other})[0] == 200, 5),
              "exports: the keys are loaded")
        status, headers, rows, complete = export_rows(api, other)
        check(status == 200 and rows == EXPORT_ROWS and complete,
              f"a client reading at full speed gets all {EXPORT_ROWS} rows, floor or not "
              f"({status}, {rows} rows, complete: {complete})")
        check(headers.get("Export-Quota-Limit") == "20000000" and
              headers.get("Export-Quota-Remaining") == str(20_000_000 - 10_000),
              f"... and the headers say its quota, API_EXPORT_ROWS_PER_DAY by default ({headers})")

        status, headers, rows, complete = export_rows(api, quota)
        check(status == 200 and headers.get("Export-Quota-Limit") == "25000" and
              rows == 25_000 and not complete,
              f"a key's export stops at its quota of 25000 rows, cut off ({rows}, {complete})")
        status, headers, body = api.call("GET", export_path(), {"X-API-Key": quota})
        check(status == 429 and error_of(body).get("code") == "export_quota_exceeded" and
              0 < int(headers.get("Retry-After", "0")) <= 86400,
              f"... then 429 export_quota_exceeded until midnight UTC ({status} {headers})")
        check(api.call("GET", "/live/top", {"X-API-Key": quota})[0] == 200,
              "... while it can still read")

        held = hold_export(api, holder)
        time.sleep(0.5)
        status, headers, body = api.call("GET", export_path(), {"X-API-Key": holder})
        check(status == 429 and error_of(body).get("code") == "too_many_exports" and
              headers.get("Retry-After") == "60",
              f"API_EXPORTS_PER_KEY=1: a key's second export at once is refused ({status} {body})")
        # The server fills the sockets' buffers (a few MB), then waits for the client; after
        # the grace and what the floor allows for those bytes (well under a second) it gives up.
        time.sleep(3)
        got, closed = drain(held, 5)
        check(closed and 0 < len(got) < 10_000_000 and not got.endswith(b"0\r\n\r\n"),
              f"a client that stops reading is cut off (floor 10 MiB/s, grace 1 s): it got "
              f"{len(got)} B of about 22 MB, without the last chunk")
        check(wait_for(lambda: export_rows(api, holder)[0] == 200, 5),
              "... and its slot is free again")
        log = open(api.log.name).read()
        check("read slower than 10485760 B/s" in log and "rows a day is used up" in log,
              "the log says why each export was cut off")
    finally:
        api.stop()
    line = next((l for l in keys(db, "list").splitlines() if quota[:12] in l), "")
    check(line.split()[5] == "25000" and line.split()[10] == "25000",
          f"keys list shows the key's quota and its rows today ({line})")


def check_anonymous_rate(work, db):
    """open-read: each address has API_ANON_RATE; X-Forwarded-For counts only from a proxy
    named in TRUSTED_PROXIES."""
    api = ApiProcess(API, work, db.api_url, AUTH_MODE="open-read", API_ANON_RATE="3")
    try:
        statuses = [api.call("GET", "/live/top", {"X-Forwarded-For": f"198.51.100.{n}"})[0]
                    for n in range(4)]
        check(statuses == [200, 200, 200, 429],
              f"3 a minute for an address; a forged X-Forwarded-For changes nothing ({statuses})")
    finally:
        api.stop()
    api = ApiProcess(API, work, db.api_url, AUTH_MODE="open-read", API_ANON_RATE="3",
                     TRUSTED_PROXIES="127.0.0.0/8")
    try:
        behind = [api.call("GET", "/live/top", {"X-Forwarded-For": "203.0.113.7"})[0]
                  for _ in range(4)]
        other = api.call("GET", "/live/top", {"X-Forwarded-For": "203.0.113.8, 127.0.0.1"})[0]
        check(behind == [200, 200, 200, 429] and other == 200,
              f"behind a trusted proxy, each forwarded client has its own rate ({behind}, {other})")
    finally:
        api.stop()


def main(work, db):
    db.api_url = api_role_url(COLLECTOR, db.url)
    reader = create(db, "research team", "read")
    exporter = create(db, "exports", "export", "--expires", "2099-01-01")
    admin = create(db, "ops", "admin")
    check(reader.startswith("ssk_") and len(reader) == 47 and reader != exporter,
          f"keys create prints the key alone on its last line ({reader[:12]}...)")
    hashed = db.query(f"SELECT count(*) FROM api_keys WHERE prefix = '{reader[:12]}' "
                      f"AND key_hash = sha256('{reader}'::bytea)")
    leaked = db.query("SELECT count(*) FROM api_keys WHERE row_to_json(api_keys)::text "
                      f"LIKE '%{reader[12:]}%'")
    check(hashed.strip() == "1" and leaked.strip() == "0",
          "... and stores its SHA-256 and prefix, never the key")
    keys(db, "create", "--name", "x", "--scope", "root", expect=2)
    keys(db, "create", "--scope", "read", expect=2)
    keys(db, "create", "--name", "x", "--expires", "2001-01-01", expect=2)
    keys(db, "revoke", "ssk_nosuchkey", expect=1)

    api = ApiProcess(API, work, db.api_url, AUTH_MODE="keys")
    try:
        def get(path, key=None, header="Authorization"):
            headers = {}
            if key is not None:
                headers[header] = f"Bearer {key}" if header == "Authorization" else key
            return api.call("GET", path, headers)
        check(wait_for(lambda: get("/live/top", reader)[0] == 200, 5), "a read key reads")
        status, headers, body = get("/live/top")
        check(status == 401 and error_of(body).get("code") == "unauthorized" and
              headers.get("WWW-Authenticate", "").startswith("Bearer"),
              f"no key: 401 in the error shape with WWW-Authenticate ({status} {body})")
        status, _, body = get("/live/top", reader[:-1] + "x")
        check(status == 401 and "unknown, revoked or expired" in body, "a wrong key: 401")
        check(get("/live/top", reader, "X-API-Key")[0] == 200, "X-API-Key works too")
        status, _, body = get("/export/snapshots?window=1h", reader)
        check(status == 403 and error_of(body).get("code") == "forbidden" and
              "needs a key of scope export" in body, f"a read key cannot export: 403 ({body})")
        check(get("/export/snapshots?window=1h", exporter)[0] == 200, "an export key exports")
        check(get("/metrics", reader)[0] == 403 and get("/metrics", admin)[0] == 200,
              "/metrics needs the admin scope")
        check(get("/health")[0] in (200, 503) and get("/openapi.json")[0] == 200,
              "/health and the API's description need no key")
        check_key_rate(db, api, get, reader)

        # The admin API: create, list, revoke.
        status, _, body = api.call("POST", "/admin/keys", {"Authorization": f"Bearer {admin}",
                                                           "Content-Type": "application/json"},
                                   body=json.dumps({"name": "partner", "scope": "read"}))
        made = json.loads(body).get("data", {}) if status == 201 else {}
        check(status == 201 and made.get("key", "").startswith("ssk_") and
              made.get("scope") == "read", f"POST /admin/keys creates a key ({status} {body})")
        check(get("/live/top", made.get("key"))[0] == 200, "... usable at once on this server")
        status, _, body = api.call("POST", "/admin/keys", {"Authorization": f"Bearer {admin}"},
                                   body=json.dumps({"name": "x", "scope": "superuser"}))
        check(status == 400 and error_of(body).get("parameter") == "scope",
              f"a bad scope: 400 naming it ({body})")
        status, _, body = api.call("POST", "/admin/keys", {"Authorization": f"Bearer {reader}"},
                                   body=json.dumps({"name": "x", "scope": "admin"}))
        check(status == 403, "a read key cannot make keys")
        status, _, body = get("/admin/keys", admin)
        listed = json.loads(body)["data"] if status == 200 else []
        check(len(listed) == 5 and all("key" not in k and "key_hash" not in k for k in listed),
              f"GET /admin/keys lists the keys, never a key or its hash ({len(listed)})")
        status, _, body = api.call("DELETE", f"/admin/keys/{made.get('prefix')}",
                                   {"Authorization": f"Bearer {admin}"})
        check(status == 200 and json.loads(body)["data"]["state"] == "revoked",
              f"DELETE /admin/keys/PREFIX revokes ({status})")
        check(get("/live/top", made.get("key"))[0] == 401, "... at once on this server")

        # Revoked from the command line, as on another replica: effective within seconds.
        started = time.time()
        keys(db, "revoke", reader[:12])
        gone = wait_for(lambda: get("/live/top", reader)[0] == 401, 10)
        took = time.time() - started
        check(gone and took < 5, f"a key revoked by `keys revoke` stops working in {took:.1f} s")
        log = open(api.log.name).read()
        check(reader[12:] not in log and exporter[12:] not in log and admin[12:] not in log,
              "the log names keys by their prefix, never more")
        check(f"key {exporter[:12]}" in log, "... and the access log says which key was used")
    finally:
        api.stop()
    listed = keys(db, "list")
    line = next((l for l in listed.splitlines() if exporter[:12] in l), "")
    check(" valid " in line and line.split()[8] == "1" and int(line.split()[9]) > 0,
          f"keys list shows the use recorded at stop: requests and bytes exported ({line})")
    line = next((l for l in listed.splitlines() if reader[:12] in l), "")
    check(" revoked " in line and int(line.split()[8]) >= 3, f"... and what was revoked ({line})")

    # open-read: anonymous reads, keys for export; off: /admin does not exist.
    api = ApiProcess(API, work, db.api_url, AUTH_MODE="open-read")
    try:
        check(wait_for(lambda: api.call("GET", "/live/top")[0] == 200, 5),
              "open-read: reading needs no key")
        check(api.call("GET", "/live/top", {"X-API-Key": "ssk_wrong"})[0] == 401,
              "open-read: a wrong key is still refused")
        check(api.call("GET", "/export/snapshots?window=1h")[0] == 401,
              "open-read: exporting needs a key")
        check(api.call("GET", "/export/snapshots?window=1h", {"X-API-Key": exporter})[0] == 200,
              "open-read: ... and works with one")
    finally:
        api.stop()
    check_anonymous_rate(work, db)
    check_exports(work, db)
    api = ApiProcess(API, work, db.api_url)
    try:
        check(api.call("GET", "/export/snapshots?window=1h")[0] == 200,
              "AUTH_MODE=off (the default): no key needed")
        check(api.call("GET", "/admin/keys", {"X-API-Key": admin})[0] == 404,
              "AUTH_MODE=off: /admin/keys does not exist")
    finally:
        api.stop()


if __name__ == "__main__":
    run("keys", main)
