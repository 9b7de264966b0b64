#!/usr/bin/env python3
"""The live feed of the real API over real sockets: /live/events (Server-Sent Events) and /live/ws
(WebSocket), on a real PostgreSQL.

Usage: events_test.py API COLLECTOR MOCK SCENARIO   (needs TEST_DATABASE_URL)

  sweeps  the real collector sweeps the mock's YouTube: a channel taken live and then ended
          reaches both feeds as stream.live and stream.ended, with the stream as /live shows it
  feed    events written to the events table as the collector writes them: SSE framing, each
          filter, heartbeats, resume after a restart with Last-Event-ID (SSE) and last_event_id=
          (WebSocket), reset for an id no longer kept or unknown, SIGTERM ends feeds at once
  slow    a burst of 5,000 events reaches a client in order; a client that reads too slowly
          for a small buffer is cut off with a reason, and resumes from where it was
  limits  feeds per key, per address without a key (open-read) and per server
"""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, free_port, run  # noqa: E402
from api_process import ApiProcess, api_role_url  # noqa: E402
from platform_mock import YOUTUBE_API_KEY, PlatformMock  # noqa: E402

import websocket  # noqa: E402  Debian's python3-websocket

API, COLLECTOR, MOCK, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]


class SseClient:
    """A reader of one event stream, frame by frame."""

    def __init__(self, port, path, headers=None, timeout=10):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.conn.request("GET", path, headers=headers or {})
        self.res = self.conn.getresponse()
        self.status = self.res.status
        self.headers = dict(self.res.getheaders())

    def frame(self):
        """The next frame as a dict of its fields ('comment' for a comment line), or None when
        the stream ended."""
        fields = {}
        while True:
            line = self.res.readline()
            if not line:
                return None
            line = line.decode().rstrip("\n")
            if line == "":
                if fields:
                    return fields
                continue
            if line.startswith(":"):
                fields["comment"] = line[1:].strip()
                continue
            name, _, value = line.partition(": ")
            fields[name] = value

    def events(self, count, timeout=15):
        """The next `count` events (frames with an event name), as (id, name, data)."""
        out = []
        deadline = time.time() + timeout
        while len(out) < count and time.time() < deadline:
            f = self.frame()
            if f is None:
                break
            if "event" in f:
                out.append((int(f["id"]) if "id" in f else None, f["event"],
                            json.loads(f["data"])))
        return out

    def close(self):
        self.conn.close()


def emit(db, n=1, type_="stream.live", platform=1, channel="somebody", game_id="",
         game_name="", viewers=None):
    """Writes n events as the collector does (one sweep's); their ids."""
    v = "NULL" if viewers is None else str(viewers)
    rows = db.query(f"""
        INSERT INTO events (platform_id, sweep_id, at, type, channel, game_id, game_name,
                            viewers, data)
        SELECT {platform}, 1, now(), '{type_}', '{channel}', '{game_id}', '{game_name}', {v},
               '{{"n":' || g || '}}'
          FROM generate_series(1, {n}) g ORDER BY g
        RETURNING id""")
    return [int(x) for x in rows.split()]


def start_api(work, db, **settings):
    return ApiProcess(API, work, db.api_url, **settings)


def feed(work, db):
    db.api_url = api_role_url(COLLECTOR, db.url)
    api = start_api(work, db, API_FEED_HEARTBEAT_SECONDS="1")
    try:
        time.sleep(0.5)  # the feed's first poll
        sse = SseClient(api.port, "/live/events")
        check(sse.status == 200 and sse.headers.get("Content-Type") == "text/event-stream",
              f"an event stream ({sse.status} {sse.headers.get('Content-Type')})")
        check("Content-Encoding" not in sse.headers, "never gzipped")
        check(sse.frame() == {"retry": "3000"}, "it tells the client when to reconnect")
        check(sse.frame() == {"comment": "keep-alive"}, "a quiet feed sends a comment")
        ids = emit(db, 3, "stream.live", 2, "kick_streamer", "g7", "Chess", 1500)
        got = sse.events(3)
        check([g[0] for g in got] == ids, f"each event once, in order ({got} vs {ids})")
        first = got[0][2] if got else {}
        check(got and got[0][1] == "stream.live" and first.get("type") == "stream.live"
              and first.get("platform") == "kick" and first.get("id") == ids[0]
              and first.get("sweep_id") == 1 and first.get("data") == {"n": 1}
              and first.get("timestamp", "").endswith("Z"),
              f"the event as the API describes it ({got[:1]})")
        last_seen = ids[1]
        sse.close()

        # Each filter lets through its own.
        mixed = [("stream.live", 1, "a", "g1", "Chess", 10), ("stream.ended", 1, "b", "g1", "Chess", 5000),
                 ("top.entered", 3, "c", "g2", "Music", None), ("viewers.crossed", 2, "A", "g3", "Just Chatting", 20000)]
        filters = {"type=stream.ended,viewers.crossed": ["b", "A"], "platform=youtube": ["c"],
                   "channel=a": ["a", "A"], "game=chess": ["a", "b"], "game=g2": ["c"],
                   "min_viewers=5000": ["b", "A"], "platform=twitch&min_viewers=100": ["b"]}
        clients = {q: SseClient(api.port, "/live/events?" + q) for q in filters}
        time.sleep(0.5)
        for t, p, c, gid, gname, v in mixed:
            emit(db, 1, t, p, c, gid, gname, v)
        for q, want in filters.items():
            got = clients[q].events(len(want), timeout=5)
            names = [g[2]["data"]["n"] and emitted_channel(db, g[0]) for g in got]
            check(names == want, f"{q}: {want} ({names})")
            clients[q].close()
        status, _, body = api.call("GET", "/live/events?type=stream.begun")
        check(status == 400 and json.loads(body)["error"]["parameter"] == "type",
              f"an unknown type is refused by name ({status} {body[:120]})")
        status, _, body = api.call("GET", "/live/events", {"Last-Event-ID": "abc"})
        check(status == 400, f"a Last-Event-ID that is no id is refused ({status})")
        status, _, body = api.call("GET", "/live/ws")
        check(status == 426, f"/live/ws without an upgrade says so ({status})")

        # Resume after a restart: exactly what came after the last id seen, over both.
        api.stop()
        more = emit(db, 2, "stream.changed", 1, "z")
        api = start_api(work, db, API_FEED_HEARTBEAT_SECONDS="1")
        time.sleep(0.5)
        every = [int(x) for x in db.query("SELECT id FROM events ORDER BY id").split()]
        after = [i for i in every if i > last_seen]
        sse = SseClient(api.port, "/live/events", {"Last-Event-ID": str(last_seen)})
        got = [g[0] for g in sse.events(len(after))]
        check(got == after and more[-1] in got,
              f"SSE resumes after Last-Event-ID across a restart ({got} vs {after})")
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{api.port}/live/ws?last_event_id={last_seen}", timeout=10)
        got_ws = [json.loads(ws.recv())["id"] for _ in after]
        check(got_ws == after, f"the WebSocket resumes after last_event_id ({got_ws})")
        later = emit(db, 1, "top.left", 1, "y")
        message = json.loads(ws.recv())
        check(message["id"] == later[0] and message["type"] == "top.left",
              f"and goes on live ({message})")

        # An id no longer kept, and one never given: a reset with the current state.
        db.query(f"DELETE FROM events WHERE id <= {last_seen + 1}")
        old = SseClient(api.port, "/live/events?last_event_id=1")
        reset = old.events(1)
        check(reset and reset[0][1] == "reset" and reset[0][2]["reason"] == "expired"
              and reset[0][0] == reset[0][2]["last_event_id"] and "streams" in reset[0][2],
              f"an expired id gets a reset ({reset})")
        unknown = SseClient(api.port, "/live/events?last_event_id=999999999")
        reset = unknown.events(1)
        check(reset and reset[0][2]["reason"] == "unknown_id", f"an unknown id too ({reset})")
        newer = emit(db, 1)
        check([g[0] for g in old.events(1)] == newer, "and the feed goes on after a reset")

        # SIGTERM: every feed ends at once with a reason.
        started = time.time()
        api.proc.send_signal(signal.SIGTERM)
        end = unknown.events(2, timeout=5)
        cut = [e for e in end if e[1] == "cutoff"]
        check(cut and cut[0][2]["reason"] == "server_stopping",
              f"SIGTERM cuts feeds off with a reason ({end})")
        ws_end = {}
        try:
            while ws_end.get("type") != "cutoff":
                ws_end = json.loads(ws.recv())
            ws.recv()  # the close frame, which the client answers
        except Exception as e:  # noqa: BLE001
            ws_end.setdefault("error", str(e))
        check(ws_end.get("type") == "cutoff" and ws_end["data"]["reason"] == "server_stopping",
              f"the WebSocket's too ({ws_end})")
        code = api.proc.wait(15)
        check(code == 0 and time.time() - started < 5,
              f"and the server stops without waiting for them ({code}, "
              f"{time.time() - started:.1f} s)")
        api = None
    finally:
        if api:
            api.stop()


def emitted_channel(db, event_id):
    return db.query(f"SELECT channel FROM events WHERE id = {event_id}")


def slow(work, db):
    db.api_url = api_role_url(COLLECTOR, db.url)
    api = start_api(work, db)
    small = None
    try:
        time.sleep(0.5)
        sse = SseClient(api.port, "/live/events")
        burst = emit(db, 5000)
        got = [g[0] for g in sse.events(5000, timeout=30)]
        check(got == burst, f"a burst of 5,000 reaches a client in order ({len(got)} of 5000)")
        sse.close()

        # A client that reads 4 KB at a time and slowly, and events of 4 KB coming in batches
        # that the buffer of 100 holds: the server fills what the sockets take (megabytes),
        # then waits for the reader while the buffer moves on.
        small = start_api(work, db, API_EVENTS_BUFFER="100")
        time.sleep(0.5)
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", small.port))
        s.sendall(b"GET /live/events HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)
        padding = "x" * 4000
        first = None
        for _ in range(30):
            ids = [int(x) for x in db.query(f"""
                INSERT INTO events (platform_id, sweep_id, at, type, data)
                SELECT 1, 1, now(), 'stream.live', '{{"pad":"{padding}"}}'
                  FROM generate_series(1, 60) RETURNING id""").split()]
            first = first or ids[0]
            time.sleep(0.3)
        received = b""
        s.settimeout(10)
        while b"event: cutoff" not in received:
            piece = s.recv(65536)
            if not piece:
                break
            received += piece
        s.close()
        text = received.decode(errors="replace")
        check("event: cutoff" in text and '"too_slow"' in text,
              f"a client too slow for the buffer is cut off with a reason ({text[-300:]})")
        seen = [int(line[4:]) for line in text.splitlines() if line.startswith("id: ")]
        check(seen and seen[0] == first and seen == sorted(seen),
              f"what it got before is in order ({seen[:3]}...)")
        resumed = SseClient(small.port, f"/live/events?last_event_id={seen[-1]}")
        rest = [g[0] for g in resumed.events(5, timeout=10)]
        check(rest and rest[0] == seen[-1] + 1, f"and it resumes where it was ({rest})")
        resumed.close()
    finally:
        api.stop()
        if small:
            small.stop()


def limits(work, db):
    db.api_url = api_role_url(COLLECTOR, db.url)
    env = {k: v for k, v in os.environ.items() if k not in ("NAME", "SCOPE", "EXPIRES")}
    env["DATABASE_URL"] = db.api_url
    key = subprocess.run([API, "keys", "create", "--name", "feeds", "--scope", "read"], env=env,
                         capture_output=True, text=True, timeout=30,
                         cwd=tempfile.gettempdir()).stdout.splitlines()[-1]
    api = start_api(work, db, AUTH_MODE="open-read", API_ANON_FEEDS_PER_IP="1",
                    API_FEEDS_PER_KEY="2", API_MAX_FEEDS="4", API_FEED_HEARTBEAT_SECONDS="1")
    try:
        time.sleep(2.5)  # keys loaded
        anon = SseClient(api.port, "/live/events")
        check(anon.status == 200, "an address without a key has a feed")
        status, headers, body = api.call("GET", "/live/events")
        check(status == 429 and json.loads(body)["error"]["code"] == "too_many_feeds"
              and "Retry-After" in headers, f"and not two ({status} {body[:100]})")
        keyed = [SseClient(api.port, "/live/events", {"X-API-Key": key}) for _ in range(2)]
        check(all(k.status == 200 for k in keyed), "a key has its two")
        status, _, body = api.call("GET", "/live/events", {"X-API-Key": key})
        check(status == 429, f"and not three ({status})")
        try:
            websocket.create_connection(f"ws://127.0.0.1:{api.port}/live/ws",
                                        header=[f"X-API-Key: {key}"], timeout=5)
            refused = None
        except websocket.WebSocketBadStatusException as e:
            refused = e.status_code
        check(refused == 429, f"a WebSocket counts as a feed too ({refused})")
        # The server learns that a feed's client left when a write fails: the first heartbeat
        # after the close reaches the socket, the second fails.
        keyed[0].close()
        ws, deadline = None, time.time() + 10
        while ws is None and time.time() < deadline:
            try:
                ws = websocket.create_connection(f"ws://127.0.0.1:{api.port}/live/ws",
                                                 header=[f"X-API-Key: {key}"], timeout=5)
            except websocket.WebSocketBadStatusException:
                time.sleep(0.5)
        check(ws is not None and ws.connected, "a feed closed gives its slot back")
        other = SseClient(api.port, "/live/events", {"X-API-Key": key})
        check(other.status == 429, f"(the key's two again: {other.status})")
        status, _, body = api.call("GET", "/live/events", {"Authorization": "Bearer ssk_wrong"})
        check(status == 401, f"an unknown key gets no feed ({status})")
        ws.close()
        anon.close()
        keyed[1].close()
    finally:
        api.stop()


def sweeps(work, db):
    mock = PlatformMock(MOCK, work, "--youtube-channels", "30", "--youtube-time-scale", "1",
                        "--youtube-feed-requests-per-second", "0")
    api = collector = None
    try:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TWITCH_", "KICK_", "YOUTUBE_", "DATABASE", "PLATFORMS"))}
        env.update({"DATABASE_URL": db.url, "PLATFORMS": "youtube", "LOG_LEVEL": "info",
                    "YOUTUBE_API_KEY": YOUTUBE_API_KEY, "YOUTUBE_CA_FILE": mock.ca,
                    "YOUTUBE_API_BASE_URL": f"{mock.url}/youtube/v3",
                    "YOUTUBE_FEED_BASE_URL": f"{mock.url}/feeds",
                    "YOUTUBE_COLLECTION_INTERVAL_MINUTES": str(2 / 60),
                    "YOUTUBE_FEED_REQUESTS_PER_SECOND": "50",
                    "COLLECTOR_HEALTH_ADDRESS": "127.0.0.1",
                    "COLLECTOR_HEALTH_PORT": str(free_port()),
                    "SPOOL_DIR": os.path.join(work, "spool")})
        channels = [c for c in mock.youtube_world()["channels"]
                    if not c["terminated"] and c["state"] == "idle"]
        watched = [c["id"] for c in channels]
        subprocess.run([COLLECTOR, "youtube", "add", *watched], env=env, check=True,
                       capture_output=True, timeout=60, cwd=tempfile.gettempdir())
        collector = subprocess.Popen([COLLECTOR], env=env,
                                     stdout=open(os.path.join(work, "collector.log"), "w"),
                                     stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())
        db.api_url = api_role_url(COLLECTOR, db.url)
        api = start_api(work, db)
        # The platform's first sweep is a baseline without events.
        deadline = time.time() + 30
        while time.time() < deadline and db.query(
                "SELECT count(*) FROM sweeps WHERE platform_id = 3") in ("", "0"):
            time.sleep(0.2)
        query = "platform=youtube&type=stream.live,stream.ended"
        sse = SseClient(api.port, "/live/events?" + query, timeout=30)
        ws = websocket.create_connection(f"ws://127.0.0.1:{api.port}/live/ws?{query}",
                                         timeout=30)
        chosen = channels[0]
        mock.youtube_channel(chosen["id"], state="live")
        video = mock.youtube_channel(chosen["id"])["current_video_id"]
        live = sse.events(1, timeout=30)
        check(live and live[0][1] == "stream.live", f"the channel going live is an event ({live})")
        stream = live[0][2]["data"]["stream"] if live else {}
        check(stream.get("stream_url") == f"https://www.youtube.com/watch?v={video}"
              and stream.get("channel_id") == chosen["id"] and stream.get("platform") == "youtube",
              f"with the stream as /live shows it ({stream})")
        shown = json.loads(api.call("GET", "/live/streams?platform=youtube&limit=500")[2])["data"]
        same = [s for s in shown if s["stream_url"] == stream.get("stream_url")]
        check(same and {k: v for k, v in same[0].items() if k != "collected_at"}
              == {k: v for k, v in stream.items() if k != "collected_at"},
              f"field for field ({same[:1]})")
        by_ws = json.loads(ws.recv())
        check(live and by_ws["id"] == live[0][0], "the WebSocket has the same event")
        mock.youtube_channel(chosen["id"], state="ended")
        ended = sse.events(1, timeout=30)
        check(ended and ended[0][1] == "stream.ended"
              and ended[0][2]["data"]["stream"]["stream_url"] == stream.get("stream_url")
              and ended[0][2]["data"]["ended_at"].endswith("Z"),
              f"and ending is one ({ended})")
        stored = db.query(f"SELECT count(*) FROM events e JOIN sweeps w ON w.id = e.sweep_id "
                          f"WHERE e.type IN ('stream.live', 'stream.ended') "
                          f"AND e.at = w.started_at AND e.channel = '{stream.get('username')}'")
        check(stored == "2", f"both stored with their sweep ({stored})")
        ws.close()
        sse.close()
    finally:
        if api:
            api.stop()
        if collector:
            collector.terminate()
            collector.wait(30)
        mock.stop()


SCENARIOS = {f.__name__: f for f in (sweeps, feed, slow, limits)}

if __name__ == "__main__":
    run(SCENARIO, SCENARIOS[SCENARIO])
