#!/usr/bin/env python3
"""Webhook subscriptions and deliveries end to end: the real API (POST /webhooks and the rest),
the real collector daemon delivering, a real PostgreSQL, and receivers on 127.0.0.1 (a Python
HTTP server; Debian's python3-aiosmtpd for e-mail). Every delivery's signature is checked as a
receiver would, from the Standard Webhooks spec: HMAC-SHA256 over "id.timestamp.body" with the
base64-decoded secret after whsec_.

Usage: delivery_test.py API COLLECTOR MOCK SCENARIO   (needs TEST_DATABASE_URL)

  deliver  subscribe, events happen, each arrives once, in order, signed; filters; GET
           deliveries with attempts; replay (the same webhook-id); another key's subscription is
           404; a private target refused without WEBHOOK_ALLOW_PRIVATE_TARGETS
  outage   the receiver answers 500, then refuses connections, then is back: every event
           arrives afterwards, in order, none lost; a 410 disables its subscription
  formats  Slack and Discord bodies have their shape; e-mail through an SMTP relay
  sweep    the collector sweeps the mock's YouTube: a channel going live reaches the receiver
  takeover two collectors on the database: one delivers; killed (-9), the other takes over and
           delivers what came since
"""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from e2e import check, free_port, run  # noqa: E402
from api_process import ApiProcess, api_role_url  # noqa: E402
from platform_mock import YOUTUBE_API_KEY, PlatformMock  # noqa: E402

API, COLLECTOR, MOCK, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]


def verify(secret, headers, body):
    """Whether the delivery's signature is right, as the Standard Webhooks spec says."""
    key = base64.b64decode(secret[len("whsec_"):])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(s == "v1," + expected for s in headers.get("webhook-signature", "").split())


class Receiver:
    """An HTTP receiver on 127.0.0.1: records each request; answers what `answer` says (a
    status), or refuses connections while down."""

    def __init__(self):
        self.requests, self.answer, self.lock = [], 200, threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    status = receiver.answer
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()},
                                              body, status, time.time()))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.handler = Handler
        self.port = free_port()
        self.server = None
        self.up()

    def up(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.port}{path}"

    def delivered(self, path=None):
        """The requests answered 2xx, in arrival order: (headers, body bytes, time)."""
        with self.lock:
            return [(h, b, t) for h, b, s, t in self.requests if 200 <= s < 300
                    and (path is None or h.get("_path", path) == path)]

    def wait(self, count, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.delivered()) < count:
            time.sleep(0.05)
        return self.delivered()


def emit(db, n=1, type_="stream.live", platform=1, channel="somebody", game_name="",
         viewers=None):
    """Writes n events as the collector does; their ids."""
    v = "NULL" if viewers is None else str(viewers)
    rows = db.query(f"""
        INSERT INTO events (platform_id, sweep_id, at, type, channel, game_id, game_name,
                            viewers, data)
        SELECT {platform}, 1, now(), '{type_}', '{channel}', '', '{game_name}', {v},
               '{{"n":' || g || '}}'
          FROM generate_series(1, {n}) g ORDER BY g
        RETURNING id""")
    return [int(x) for x in rows.split()]


def make_key(db, scope="webhooks", name="hooks"):
    env = {k: v for k, v in os.environ.items() if k not in ("NAME", "SCOPE", "EXPIRES")}
    env["DATABASE_URL"] = db.api_url
    out = subprocess.run([API, "keys", "create", "--name", name, "--scope", scope], env=env,
                         capture_output=True, text=True, timeout=30, cwd=tempfile.gettempdir())
    check(out.returncode == 0, f"keys create ({out.stderr[-300:]})")
    return out.stdout.splitlines()[-1]


class System:
    """The mock (for the collector's YouTube), the collector daemon and the API."""

    def __init__(self, work, db, allow_private=True, **collector_settings):
        self.work, self.db = work, db
        self.mock = PlatformMock(MOCK, work, "--youtube-channels", "30", "--youtube-time-scale",
                                 "1", "--youtube-feed-requests-per-second", "0")
        self.api = self.collector = None
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TWITCH_", "KICK_", "YOUTUBE_", "DATABASE", "PLATFORMS",
                                    "WEBHOOK_", "SMTP_"))}
        env.update({"DATABASE_URL": db.url, "PLATFORMS": "youtube", "LOG_LEVEL": "info",
                    "YOUTUBE_API_KEY": YOUTUBE_API_KEY, "YOUTUBE_CA_FILE": self.mock.ca,
                    "YOUTUBE_API_BASE_URL": f"{self.mock.url}/youtube/v3",
                    "YOUTUBE_FEED_BASE_URL": f"{self.mock.url}/feeds",
                    "YOUTUBE_COLLECTION_INTERVAL_MINUTES": str(2 / 60),
                    "YOUTUBE_FEED_REQUESTS_PER_SECOND": "50",
                    "COLLECTOR_HEALTH_ADDRESS": "127.0.0.1",
                    "COLLECTOR_HEALTH_PORT": str(free_port()),
                    "SPOOL_DIR": os.path.join(work, "spool"),
                    "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true" if allow_private else "false",
                    "WEBHOOK_TIMEOUT_SECONDS": "2"})
        env.update(collector_settings)
        self.env = env
        db.api_url = api_role_url(COLLECTOR, db.url)
        self.collector = subprocess.Popen([COLLECTOR], env=env,
                                          stdout=open(os.path.join(work, "collector.log"), "a"),
                                          stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())
        self.key = make_key(db)  # before the API starts: it reads the keys then
        self.api = ApiProcess(API, work, db.api_url, AUTH_MODE="keys",
                              WEBHOOK_ALLOW_PRIVATE_TARGETS="true" if allow_private else "false")

    def call(self, method, path, body=None, key=None):
        headers = {"Authorization": f"Bearer {key or self.key}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        status, _, text = self.api.call(method, path, headers=headers, body=body)
        return status, (json.loads(text) if text else None)

    def subscribe(self, **fields):
        status, body = self.call("POST", "/webhooks", fields)
        check(status == 201, f"POST /webhooks subscribes ({status} {body})")
        return body["data"] if status == 201 else {}

    def stop(self):
        if self.api:
            self.api.stop()
        if self.collector:
            self.collector.terminate()
            self.collector.wait(30)
        self.mock.stop()


def events_of(deliveries):
    return [json.loads(b)["id"] for _, b, _ in deliveries]


def deliver(work, db):
    s = System(work, db)
    receiver, other = Receiver(), Receiver()
    try:
        hook = s.subscribe(url=receiver.url(), events=[])
        check(hook.get("secret", "").startswith("whsec_") and hook.get("format") == "json"
              and hook.get("events") == [] and "created_at" in hook,
              f"the answer holds the secret once, and the subscription ({hook})")
        only = s.subscribe(url=other.url(), events=["stream.live"],
                           filters={"platform": ["kick"], "min_viewers": 100})
        ids = emit(db, 3, "stream.live", 1, "a", viewers=50)
        kick = emit(db, 1, "stream.live", 2, "b", viewers=500)
        low = emit(db, 1, "stream.live", 2, "c", viewers=5)
        ended = emit(db, 1, "stream.ended", 2, "d", viewers=500)
        got = receiver.wait(6)
        check(events_of(got) == ids + kick + low + ended,
              f"every event arrives once, in order ({events_of(got)})")
        for headers, body, _ in got:
            event = json.loads(body)
            check(verify(hook["secret"], headers, body)
                  and headers["webhook-id"] == f"evt_{event['id']}"
                  and headers["content-type"] == "application/json"
                  and abs(int(headers["webhook-timestamp"]) - time.time()) < 60,
                  f"signed as Standard Webhooks says ({headers})")
        first = json.loads(got[0][1]) if got else {}
        check(set(first) == {"id", "type", "timestamp", "sweep_id", "platform", "data"}
              and first["platform"] == "twitch" and first["data"] == {"n": 1},
              f"the body is the event as the live feed sends it ({first})")
        filtered = other.wait(1)
        time.sleep(1)
        check(events_of(other.delivered()) == kick,
              f"filters: only Kick's stream.live with 100 viewers ({events_of(filtered)})")

        status, listing = s.call("GET", f"/webhooks/{hook['id']}/deliveries?limit=10")
        rows = listing["data"] if status == 200 else []
        check(status == 200 and len(rows) == 6 and rows[0]["event_id"] == ended[0]
              and all(r["state"] == "delivered" and r["attempts"] == 1
                      and len(r["attempt_log"]) == 1 and r["attempt_log"][0]["status"] == 200
                      for r in rows),
              f"deliveries newest first with their attempts ({status} {rows[:1]})")
        status, one = s.call("GET", f"/webhooks/{hook['id']}")
        check(status == 200 and "secret" not in one["data"] and one["data"]["url"] == receiver.url(),
              f"GET /webhooks/{{id}} without the secret ({status} {one})")
        status, mine = s.call("GET", "/webhooks")
        check(status == 200 and [h["id"] for h in mine["data"]] == [hook["id"], only["id"]],
              f"GET /webhooks lists the key's ({status} {mine})")

        # Replay: the delivery goes again, with the same webhook-id.
        replayed = rows[-1]["id"] if rows else 0
        status, body = s.call("POST", f"/webhooks/{hook['id']}/deliveries/{replayed}/replay")
        check(status == 202, f"replay accepted ({status} {body})")
        again = receiver.wait(7)
        check(len(again) == 7 and again[-1][0]["webhook-id"] == f"evt_{ids[0]}"
              and verify(hook["secret"], again[-1][0], again[-1][1]),
              f"the replayed delivery arrives again, same webhook-id ({events_of(again)})")
        status, body = s.call("POST", f"/webhooks/{hook['id']}/deliveries/999999/replay")
        check(status == 404 and body["error"]["code"] == "not_found", f"unknown delivery: 404 ({status})")

        # Another key's subscription does not exist for this one (the API reads new keys when
        # one is created through it, or every few seconds).
        stranger = make_key(db, name="stranger")
        reader = make_key(db, scope="read", name="reader")
        deadline = time.time() + 15
        while time.time() < deadline and s.call("GET", "/webhooks", key=stranger)[0] == 401:
            time.sleep(0.2)
        for method, path in (("GET", f"/webhooks/{hook['id']}"),
                             ("DELETE", f"/webhooks/{hook['id']}"),
                             ("GET", f"/webhooks/{hook['id']}/deliveries")):
            status, body = s.call(method, path, key=stranger)
            check(status == 404, f"{method} {path} with another key: 404 ({status} {body})")
        status, body = s.call("GET", "/webhooks", key=reader)
        check(status == 403, f"a read key may not subscribe ({status})")
        for bad, field in (({"url": "ftp://x"}, "url"), ({"url": receiver.url(), "events": ["x"]}, "events"),
                           ({"url": receiver.url(), "format": "xml"}, "format"),
                           ({"url": receiver.url(), "filters": {"colour": "red"}}, "filters.colour"),
                           ({"url": "https://example.com", "format": "email"}, "url")):
            status, body = s.call("POST", "/webhooks", bad)
            check(status == 400 and body["error"].get("parameter") == field,
                  f"{bad} refused by field ({status} {body})")
        status, body = s.call("DELETE", f"/webhooks/{only['id']}")
        check(status == 200, f"DELETE /webhooks/{{id}} ({status} {body})")
        status, body = s.call("GET", f"/webhooks/{only['id']}")
        check(status == 404, f"and it is gone ({status})")

        # Without WEBHOOK_ALLOW_PRIVATE_TARGETS, a private target is refused at creation.
        strict = ApiProcess(API, work, db.api_url, AUTH_MODE="keys")
        try:
            status, _, text = strict.call(
                "POST", "/webhooks", headers={"Authorization": f"Bearer {s.key}"},
                body=json.dumps({"url": "https://127.0.0.1/hook"}))
            check(status == 400 and "loopback" in text, f"a loopback target refused ({status} {text})")
            status, _, text = strict.call(
                "POST", "/webhooks", headers={"Authorization": f"Bearer {s.key}"},
                body=json.dumps({"url": "https://10.1.2.3/hook"}))
            check(status == 400 and "private" in text, f"a private one too ({status} {text})")
        finally:
            strict.stop()
    finally:
        receiver.down()
        other.down()
        s.stop()


def outage(work, db):
    s = System(work, db, WEBHOOK_RETRY_SCALE="0.001")
    receiver, gone = Receiver(), Receiver()
    try:
        hook = s.subscribe(url=receiver.url())
        dead = s.subscribe(url=gone.url())
        gone.answer = 410
        receiver.answer = 500
        ids = emit(db, 5)
        deadline = time.time() + 10
        while time.time() < deadline and len(receiver.requests) < 3:
            time.sleep(0.05)
        check(len(receiver.requests) >= 3 and all(r[2] == 500 for r in receiver.requests)
              and {r[0]["webhook-id"] for r in receiver.requests} == {f"evt_{ids[0]}"},
              f"a failing receiver gets the first event again, and nothing after it "
              f"({[r[0]['webhook-id'] for r in receiver.requests]})")
        receiver.down()  # refusing connections now
        time.sleep(2)
        receiver.answer = 200
        receiver.up()
        got = receiver.wait(5, timeout=30)
        delivered = events_of(got)
        check(delivered == ids, f"after the outage every event arrives, in order ({delivered})")
        check(all(verify(hook["secret"], h, b) for h, b, _ in got), "each signed")
        status, listing = s.call("GET", f"/webhooks/{hook['id']}/deliveries")
        first = [r for r in listing["data"] if r["event_id"] == ids[0]] if status == 200 else []
        check(first and first[0]["state"] == "delivered" and first[0]["attempts"] >= 4
              and any(a["status"] == 500 for a in first[0]["attempt_log"])
              and any(a["status"] is None and a["error"] for a in first[0]["attempt_log"]),
              f"its attempts are recorded: 500s, refusals, the success ({first[:1]})")

        status, body = s.call("GET", f"/webhooks/{dead['id']}")
        data = body["data"] if status == 200 else {}
        check(data.get("disabled_at") and "410" in (data.get("disabled_reason") or ""),
              f"a 410 disables the subscription, with the reason ({data})")
        check(len(gone.requests) == 1, f"and nothing more goes there ({len(gone.requests)})")
        emit(db, 1)
        time.sleep(1.5)
        check(len(gone.requests) == 1, "not even new events")
        log = open(os.path.join(work, "collector.log")).read()
        check("410" in log and "disabled" in log, "the collector's log says why")
        check(hook["secret"] not in log and hook["secret"][6:] not in log, "and never a secret")
    finally:
        receiver.down()
        gone.down()
        s.stop()


def formats(work, db):
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        debian = "/usr/bin/python3"
        if os.path.exists(debian) and os.path.realpath(sys.executable) != os.path.realpath(debian):
            os.execv(debian, [debian] + sys.argv)
        raise
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                                  envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    sink = Sink()
    relay = Controller(sink, hostname="127.0.0.1", port=free_port())
    relay.start()
    s = System(work, db, SMTP_URL=f"smtp://127.0.0.1:{relay.port}?starttls=off",
               SMTP_FROM="alerts@example.com")
    slack, discord = Receiver(), Receiver()
    try:
        s.subscribe(url=slack.url(), format="slack")
        s.subscribe(url=discord.url(), format="discord")
        mail = s.subscribe(url="mailto:ops@example.com", format="email")
        check(mail.get("format") == "email", f"an e-mail subscription ({mail})")
        emit(db, 1, "stream.live", 1, "xqc", game_name="Just Chatting", viewers=45210)
        got = slack.wait(1)
        body = json.loads(got[0][1]) if got else {}
        check(isinstance(body.get("text"), str) and body["text"]
              and isinstance(body.get("blocks"), list) and body["blocks"],
              f"Slack: text and blocks ({body})")
        got = discord.wait(1)
        body = json.loads(got[0][1]) if got else {}
        embeds = body.get("embeds") or [{}]
        check(embeds[0].get("title") and body.get("allowed_mentions") == {"parse": []},
              f"Discord: an embed, no mentions ({body})")
        deadline = time.time() + 15
        while time.time() < deadline and not sink.messages:
            time.sleep(0.05)
        check(sink.messages and sink.messages[0][0] == "alerts@example.com"
              and sink.messages[0][1] == ["ops@example.com"]
              and "Subject:" in sink.messages[0][2],
              f"the e-mail through the relay ({sink.messages[:1]})")
    finally:
        slack.down()
        discord.down()
        s.stop()
        relay.stop()


def sweep(work, db):
    s = System(work, db)
    receiver = Receiver()
    try:
        channels = [c for c in s.mock.youtube_world()["channels"]
                    if not c["terminated"] and c["state"] == "idle"]
        subprocess.run([COLLECTOR, "youtube", "add", *[c["id"] for c in channels]], env=s.env,
                       check=True, capture_output=True, timeout=60, cwd=tempfile.gettempdir())
        hook = s.subscribe(url=receiver.url(), events=["stream.live"],
                           filters={"platform": "youtube"})
        deadline = time.time() + 30
        while time.time() < deadline and db.query(
                "SELECT count(*) FROM sweeps WHERE platform_id = 3") in ("", "0"):
            time.sleep(0.2)
        s.mock.youtube_channel(channels[0]["id"], state="live")
        got = receiver.wait(1, timeout=45)
        event = json.loads(got[0][1]) if got else {}
        check(event.get("type") == "stream.live" and event.get("platform") == "youtube"
              and verify(hook["secret"], got[0][0], got[0][1]),
              f"the channel going live reaches the receiver, signed ({event})")
        if got:
            committed = float(db.query(
                f"SELECT extract(epoch FROM w.finished_at) FROM events e JOIN sweeps w "
                f"ON w.id = e.sweep_id WHERE e.id = {event['id']}") or 0)
            if committed:
                print(f"delivery latency after the sweep's commit: {got[0][2] - committed:.2f} s")
    finally:
        receiver.down()
        s.stop()


def takeover(work, db):
    s = System(work, db)
    receiver = Receiver()
    standby = None
    try:
        s.subscribe(url=receiver.url())
        first = emit(db, 2)
        check(events_of(receiver.wait(2)) == first, "the first collector delivers")
        env = dict(s.env, COLLECTOR_HEALTH_PORT=str(free_port()))
        standby = subprocess.Popen([COLLECTOR], env=env,
                                   stdout=open(os.path.join(work, "standby.log"), "w"),
                                   stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())
        time.sleep(1)
        s.collector.kill()  # -9: no goodbye; its lock goes with its connection
        s.collector.wait(10)
        s.collector = None
        later = emit(db, 3)
        got = receiver.wait(5, timeout=20)
        check(events_of(got) == first + later,
              f"the standby takes over and delivers the rest, in order ({events_of(got)})")
        log = open(os.path.join(work, "standby.log")).read()
        check("delivers the webhooks of this database" in log, "and says so")
    finally:
        receiver.down()
        if standby:
            standby.terminate()
            standby.wait(30)
        s.stop()


SCENARIOS = {f.__name__: f for f in (deliver, outage, formats, sweep, takeover)}

if __name__ == "__main__":
    run(SCENARIO, SCENARIOS[SCENARIO])
