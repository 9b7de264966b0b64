#!/usr/bin/env python3
"""The real collector following the mock's YouTube over TLS into a real PostgreSQL.

Usage: youtube_test.py COLLECTOR MOCK SCENARIO   (needs TEST_DATABASE_URL)

Each scenario starts its own mock (Twitch, Kick and YouTube on one port) and database, and runs
the collector as a user would: `youtube add/remove/list`, the daemon, or --once. Exit code 0
when every check passed.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, free_port, run  # noqa: E402
from platform_mock import YOUTUBE_API_KEY, PlatformMock  # noqa: E402

COLLECTOR, MOCK, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]
TWITCH_ID, TWITCH_SECRET = "it-client", "it-secret-do-not-log"
YOUTUBE = 3  # platforms.id
INTERVAL_S = 6  # YOUTUBE_COLLECTION_INTERVAL_MINUTES=0.1


class Mock(PlatformMock):
    def __init__(self, work, *flags):
        super().__init__(MOCK, work, "--client-id", TWITCH_ID, "--client-secret", TWITCH_SECRET,
                         *flags)

    def settings(self, key=YOUTUBE_API_KEY):
        return {"YOUTUBE_API_KEY": key,
                "YOUTUBE_API_BASE_URL": f"{self.url}/youtube/v3",
                "YOUTUBE_FEED_BASE_URL": f"{self.url}/feeds",
                "YOUTUBE_CA_FILE": self.ca}

    def units(self, key=YOUTUBE_API_KEY):
        return self.youtube_quota()["keys"].get(key, {}).get("units", 0)


def environment(db, mock, extra=None, key=YOUTUBE_API_KEY):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWITCH_", "KICK_", "YOUTUBE_", "DATABASE", "PLATFORMS"))}
    env.update({"DATABASE_URL": db.url, "PLATFORMS": "youtube", "HTTP_TIMEOUT_SECONDS": "5",
                "LOG_LEVEL": "info"})
    env.update(mock.settings(key))
    env.update(extra or {})
    return env


def command(db, mock, *words, extra=None):
    out = subprocess.run([COLLECTOR, *words], env=environment(db, mock, extra),
                         capture_output=True, text=True, timeout=300,
                         cwd=tempfile.gettempdir())
    check(YOUTUBE_API_KEY not in out.stdout + out.stderr, "the API key never reaches the output")
    return out


def ledger(db):
    return {m: int(u) for m, u in (line.split("|") for line in db.query(
        "SELECT method, units FROM youtube_quota ORDER BY 1").splitlines() if line)}


class Daemon:
    def __init__(self, work, db, mock, extra=None, port=None):
        self.port = port or free_port()
        self.log_path = os.path.join(work, "collector.log")
        env = environment(db, mock, {
            "YOUTUBE_COLLECTION_INTERVAL_MINUTES": str(INTERVAL_S / 60),
            "YOUTUBE_FEED_REQUESTS_PER_SECOND": "20",
            "COLLECTOR_HEALTH_ADDRESS": "127.0.0.1",
            "COLLECTOR_HEALTH_PORT": str(self.port),
            "SPOOL_DIR": os.path.join(work, "spool"),
            **(extra or {})})
        self.proc = subprocess.Popen([COLLECTOR], env=env, stdout=open(self.log_path, "w"),
                                     stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())

    def health(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        conn.request("GET", "/health")
        body = json.loads(conn.getresponse().read())
        conn.close()
        return body["platforms"]["youtube"]

    def log(self):
        return open(self.log_path).read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)
        check(YOUTUBE_API_KEY not in self.log(), "the API key never reaches the log")


def wait_for(condition, seconds, step=0.5):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def idle_channels(mock, count):
    return [c["id"] for c in mock.youtube_world()["channels"]
            if c["state"] == "idle" and not c["terminated"]][:count]


# ---------------------------------------------------------------------------------------------


def watchlist(work, db):
    """add (words, a file of 2,000 lines, URLs, handles), what YouTube does not know reported
    and not fatal, every unit paid in the ledger, list, remove by handle and by id."""
    mock = Mock(work, "--youtube-channels", "2200", "--youtube-time-scale", "0")
    try:
        channels = mock.youtube_world()["channels"]
        known = [c for c in channels if not c["terminated"]]
        terminated = [c["id"] for c in channels if c["terminated"]]
        check(len(terminated) > 5, f"the world has terminated channels ({len(terminated)})")
        listing = os.path.join(work, "channels.txt")
        with open(listing, "w") as f:
            f.write("# a watchlist\n\n")
            for c in known[:2000]:
                f.write(c["id"] + "\n")
        out = command(db, mock, "youtube", "add", "--file", listing)
        check(out.returncode == 0, f"adding 2,000 channels works ({out.returncode}: "
                                   f"{out.stderr[-300:]})")
        check("added 2000 channels" in out.stdout, f"all added ({out.stdout.strip()})")
        check(ledger(db).get("channels.list") == 40 and mock.units() == 40,
              f"40 units for 2,000 ids, in our ledger and YouTube's ({ledger(db)}, "
              f"{mock.units()})")

        extra = known[2000:2003]
        words = [extra[0]["id"], "https://www.youtube.com/" + extra[1]["handle"],
                 extra[2]["handle"].upper(), terminated[0], "@nobody-here-at-all", "garbage",
                 known[0]["id"]]
        out = command(db, mock, "youtube", "add", *words)
        check(out.returncode == 0, f"unknown channels are not fatal ({out.returncode})")
        check("added 3 channels" in out.stdout and "1 were on it already" in out.stdout,
              f"three new, one known ({out.stdout.strip()})")
        check(terminated[0] in out.stderr and "@nobody-here-at-all" in out.stderr,
              f"unknown and terminated channels reported ({out.stderr.strip()[-300:]})")
        check("garbage" in out.stderr, "a word that names no channel is reported")
        check(ledger(db).get("channels.list") == mock.units(),
              f"every call paid in the ledger ({ledger(db)} vs {mock.units()})")

        out = command(db, mock, "youtube", "list")
        check(out.returncode == 0 and len(out.stdout.splitlines()) == 2003 + 2,
              f"list shows 2,003 channels ({len(out.stdout.splitlines())} lines)")
        check(extra[1]["handle"].lower() in out.stdout, "handles listed")

        out = command(db, mock, "youtube", "remove", extra[1]["handle"], extra[0]["id"],
                      "@not-watched")
        check(out.returncode == 0 and "removed 2 channels" in out.stdout,
              f"removed by handle and id ({out.stdout.strip()} {out.stderr.strip()})")
        check("@not-watched" in out.stderr, "a channel not on the list is reported")
        count = int(db.query("SELECT count(*) FROM youtube_channels"))
        check(count == 2001, f"2,001 channels left ({count})")

        out = command(db, mock, "youtube", "add", known[5]["id"], extra={"YOUTUBE_API_KEY": ""})
        check(out.returncode == 2 and "YOUTUBE_API_KEY" in out.stderr,
              f"add without a key names the setting ({out.returncode}: {out.stderr.strip()})")
        out = command(db, mock, "youtube", "add", extra[0]["id"],
                      extra={"YOUTUBE_API_KEY": "AIza-wrong"})
        check(out.returncode == 4 and "YOUTUBE_API_KEY" in out.stderr,
              f"a wrong key is one clear error ({out.returncode}: {out.stderr.strip()[-300:]})")
    finally:
        mock.stop()


def daemon(work, db):
    """Channels going live are stored within two intervals, hidden counts as NULL, a broadcast
    ends at actualEndTime, a channel taken off the watchlist is closed, the ledger matches
    YouTube's count and /health and /metrics show the quota."""
    # Time compressed 50 times: a 6 s interval stands for 5 minutes, so the quota is 50 times
    # 10,000 for the planner to keep the configured interval.
    quota = 500_000
    # The feeds unlimited (youtube.com's pace is the quota test's and the feed test's): the
    # daemon reads them at 20 a second, every feed twice an interval.
    mock = Mock(work, "--youtube-channels", "120", "--youtube-live-fraction", "0.1",
                "--youtube-time-scale", "1", "--youtube-daily-quota", str(quota),
                "--youtube-feed-requests-per-second", "0")
    d = None
    try:
        watched = [c["id"] for c in mock.youtube_world()["channels"] if not c["terminated"]][:60]
        out = command(db, mock, "youtube", "add", *watched)
        check(out.returncode == 0, f"watchlist of 60 ({out.stderr[-200:]})")
        d = Daemon(work, db, mock, {"YOUTUBE_DAILY_QUOTA": str(quota)})
        going_live = idle_channels(mock, 100)
        going_live = [c for c in going_live if c in watched][:2]
        check(len(going_live) == 2, "two idle watched channels to take live")
        time.sleep(INTERVAL_S)
        went_live_at = time.time()
        for c in going_live:
            mock.youtube_channel(c, state="live")
        mock.youtube_channel(going_live[1], viewers_hidden=True)
        videos = {c: mock.youtube_channel(c)["current_video_id"] for c in going_live}

        def stored(video):
            return db.query(f"""SELECT count(*) FROM snapshots s JOIN streams st
                                 ON st.id = s.stream_id WHERE st.platform_stream_id = '{video}'""")
        found = wait_for(lambda: all(int(stored(v)) > 0 for v in videos.values()),
                         2 * INTERVAL_S + 10, step=0.2)
        took = time.time() - went_live_at
        check(found and took <= 2 * INTERVAL_S + 2,
              f"both live channels stored within two intervals ({took:.1f} s)")
        hidden = db.query(f"""SELECT count(*), count(s.viewer_count) FROM snapshots s
                               JOIN streams st ON st.id = s.stream_id
                              WHERE st.platform_stream_id = '{videos[going_live[1]]}'""")
        n, counted = map(int, hidden.split("|"))
        check(n > 0 and counted == 0, f"a hidden count is stored as NULL, never 0 ({hidden})")
        shown = db.query(f"""SELECT min(s.viewer_count) FROM snapshots s JOIN streams st
                              ON st.id = s.stream_id
                             WHERE st.platform_stream_id = '{videos[going_live[0]]}'""")
        check(shown != "" and int(shown) >= 0, f"a shown count is stored ({shown})")

        mock.youtube_channel(going_live[0], state="ended")
        status, _, answer = mock.youtube_get("videos", [("part", "liveStreamingDetails"),
                                                        ("id", videos[going_live[0]])])
        end = answer["items"][0]["liveStreamingDetails"]["actualEndTime"]
        closed = wait_for(lambda: db.query(f"""
            SELECT to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') FROM streams
             WHERE platform_stream_id = '{videos[going_live[0]]}'"""), 2 * INTERVAL_S + 5)
        check(closed and end.startswith(closed),
              f"the ended broadcast is closed at actualEndTime ({closed} vs {end})")

        out = command(db, mock, "youtube", "remove", going_live[1])
        check(out.returncode == 0, f"the live channel taken off the watchlist ({out.stderr[-200:]})")
        removed = wait_for(lambda: db.query(f"""
            SELECT ended_at IS NOT NULL FROM streams
             WHERE platform_stream_id = '{videos[going_live[1]]}'""") == "t",
            3 * INTERVAL_S + 10)
        check(removed, "a live channel taken off the watchlist is closed after two misses")

        health = d.health()
        shown_quota = health.get("quota", {})
        check(shown_quota.get("daily_units") == quota and shown_quota.get("spent_units", 0) > 0,
              f"/health shows the quota ({shown_quota})")
        check(shown_quota.get("projected_units", 10**9) <= quota,
              f"the projected day stays within the quota ({shown_quota})")
        conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=5)
        conn.request("GET", "/metrics")
        metrics = conn.getresponse().read().decode()
        check(re.search(r'quota_units_spent\{platform="youtube"\} \d+', metrics) is not None,
              "/metrics has the quota")
        d.stop()
        d = None
        # YouTube also counted this test's own videos.list call.
        ours = sum(ledger(db).values())
        check(ours + 1 == mock.units(),
              f"every call paid in the ledger ({ours} + 1 vs {mock.units()})")
    finally:
        if d:
            d.stop()
        mock.stop()


def quota(work, db):
    """A quota too small for the interval lengthens it (said once) and is never passed; a
    quotaExceeded from YouTube stops YouTube until the day turns, without retrying."""
    mock = Mock(work, "--youtube-channels", "150", "--youtube-live-fraction", "0.2",
                "--youtube-time-scale", "1")
    d = None
    try:
        watched = [c["id"] for c in mock.youtube_world()["channels"] if not c["terminated"]][:100]
        command(db, mock, "youtube", "add", *watched)
        d = Daemon(work, db, mock, {"YOUTUBE_DAILY_QUOTA": "40"})
        lengthened = wait_for(lambda: "s instead," in d.log(), 4 * INTERVAL_S)
        check(lengthened, "the planner says it lengthens the interval")
        time.sleep(3 * INTERVAL_S)
        check(d.log().count("s instead,") == 1, "said once")
        interval = d.health()["interval_s"]
        check(interval > INTERVAL_S, f"the interval is lengthened ({interval} s)")
        spent = sum(ledger(db).values())
        check(spent <= 40 and mock.units() <= 40,
              f"the ledger never passes the quota ({spent}, YouTube counted {mock.units()})")
        d.stop()

        # Another application spends the key's quota: YouTube answers quotaExceeded.
        db.query("DELETE FROM youtube_quota")
        mock.youtube_set_quota(units=10000)
        refused_before = mock.youtube_quota()["keys"][YOUTUBE_API_KEY]["refused"]
        d = Daemon(work, db, mock)
        said = wait_for(lambda: "quotaExceeded" in d.log(), 3 * INTERVAL_S)
        check(said, "quotaExceeded is logged")
        time.sleep(3 * INTERVAL_S)
        refused = mock.youtube_quota()["keys"][YOUTUBE_API_KEY]["refused"] - refused_before
        check(refused == 1, f"no retry loop: one refused call ({refused})")
        check(ledger(db).get("elsewhere", 0) > 0, f"the ledger marks the day spent ({ledger(db)})")
        health = d.health()
        check(health.get("quota", {}).get("exhausted") is True or health["interval_s"] > 3600,
              f"YouTube waits for the day to turn ({health})")
    finally:
        if d:
            d.stop()
        mock.stop()


def bad_key(work, db):
    """A key YouTube refuses is one clear error naming YOUTUBE_API_KEY; Twitch is swept."""
    mock = Mock(work, "--youtube-channels", "50", "--streams", "300")
    try:
        command(db, mock, "youtube", "add",
                *[c["id"] for c in mock.youtube_world()["channels"] if not c["terminated"]][:5])
        env = environment(db, mock, {
            "PLATFORMS": "twitch,youtube", "TWITCH_CLIENT_ID": TWITCH_ID,
            "TWITCH_CLIENT_SECRET": TWITCH_SECRET,
            "TWITCH_API_BASE_URL": f"{mock.url}/helix",
            "TWITCH_AUTH_BASE_URL": f"{mock.url}/oauth2", "TWITCH_CA_FILE": mock.ca},
            key="AIza-not-a-key")
        out = subprocess.run([COLLECTOR, "--once"], env=env, capture_output=True, text=True,
                             timeout=300, cwd=tempfile.gettempdir())
        log = out.stdout + out.stderr
        check(out.returncode == 1, f"exit 1: a platform refused while another swept "
                                   f"({out.returncode})")
        check(re.search(r"YouTube refuses YOUTUBE_API_KEY", log) is not None,
              f"the error names YOUTUBE_API_KEY ({log[-600:]})")
        check("AIza-not-a-key" not in log, "the key is not in the log")
        twitch = db.query("SELECT status FROM sweeps WHERE platform_id = 1")
        check(twitch == "complete", f"Twitch was swept and stored ({twitch})")
    finally:
        mock.stop()


def feed_fallback(work, db):
    """Feeds that fail: the uploads playlist finds the live video instead (a unit each)."""
    mock = Mock(work, "--youtube-channels", "40", "--youtube-time-scale", "1",
                "--youtube-feed-requests-per-second", "0")
    d = None
    try:
        watched = [c["id"] for c in mock.youtube_world()["channels"] if not c["terminated"]][:20]
        command(db, mock, "youtube", "add", *watched)
        target = [c for c in idle_channels(mock, 40) if c in watched][0]
        for c in watched:
            mock.youtube_channel(c, feed_status=500)
        mock.youtube_channel(target, state="live")
        video = mock.youtube_channel(target)["current_video_id"]
        d = Daemon(work, db, mock)
        found = wait_for(lambda: int(db.query(f"""SELECT count(*) FROM streams
                                   WHERE platform_stream_id = '{video}'""")) > 0,
                         3 * INTERVAL_S + 10)
        check(found, "the live video is found through the uploads playlist")
        playlist_calls = ledger(db).get("playlistItems.list", 0)
        check(playlist_calls > 0, f"playlistItems.list paid for ({ledger(db)})")
        failures = int(db.query(f"SELECT feed_failures FROM youtube_channels "
                                f"WHERE channel_id = '{target}'"))
        check(failures > 0, f"the failing feed is counted ({failures})")
    finally:
        if d:
            d.stop()
        mock.stop()


def discovery(work, db):
    """YOUTUBE_DISCOVERY_QUERIES: one search.list call from its own bucket finds live channels
    not watched yet; those above the viewer threshold join the watchlist as discovered and
    their live video is stored by the same sweep."""
    mock = Mock(work, "--youtube-channels", "200", "--youtube-live-fraction", "0.2",
                "--youtube-time-scale", "0")
    try:
        env = {"YOUTUBE_DISCOVERY_QUERIES": "a", "YOUTUBE_DISCOVERY_MIN_VIEWERS": "50"}
        out = subprocess.run([COLLECTOR, "--once"], env=environment(db, mock, env),
                             capture_output=True, text=True, timeout=300,
                             cwd=tempfile.gettempdir())
        log = out.stdout + out.stderr
        check(out.returncode == 0, f"the sweep is complete ({out.returncode}: {log[-800:]})")
        live = {v["channel_id"]: v for v in mock.youtube_world()["live"]}
        expected = {c for c, v in live.items() if (v["concurrent_viewers"] or 0) >= 50}
        added = set(db.query("SELECT channel_id FROM youtube_channels "
                             "WHERE source = 'discovered'").split())
        check(added and added <= expected,
              f"live channels with 50 viewers or more discovered ({len(added)} of "
              f"{len(expected)} that qualify)")
        stored = set(db.query("SELECT c.platform_user_id FROM streams st JOIN channels c "
                              "ON c.id = st.channel_id WHERE st.platform_id = 3").split())
        check(added <= stored, f"their live videos are in the same sweep ({len(stored)})")
        check(ledger(db).get("search.list") == 1 and
              mock.youtube_quota()["keys"][YOUTUBE_API_KEY]["search_calls"] == 1,
              f"one search.list call, from its own bucket ({ledger(db)})")
    finally:
        mock.stop()


def websub(work, db):
    """WebSub beside slow feeds: the collector subscribes every watched channel at the hub
    (verified, signed), a channel going live is pushed and stored within about an interval,
    and a push without the right signature is refused and changes nothing."""
    mock = Mock(work, "--youtube-channels", "40", "--youtube-time-scale", "1",
                "--youtube-feed-requests-per-second", "0")
    d = None
    secret = "it-websub-secret-do-not-log"
    try:
        watched = [c["id"] for c in mock.youtube_world()["channels"] if not c["terminated"]][:20]
        command(db, mock, "youtube", "add", *watched)
        port = free_port()
        callback = f"http://127.0.0.1:{port}/youtube/websub"
        # Feeds so slow that polling alone would take minutes to reach a channel.
        d = Daemon(work, db, mock, {
            "YOUTUBE_FEED_REQUESTS_PER_SECOND": "0.02",
            "YOUTUBE_WEBSUB_CALLBACK_URL": callback,
            "YOUTUBE_WEBSUB_HUB_URL": f"{mock.url}/youtube/websub/subscribe",
            "YOUTUBE_WEBSUB_SECRET": secret}, port=port)

        def verified():
            subs = mock.request("GET", "/_mock/youtube/websub")["subscriptions"]
            return [s for s in subs if s["verified"] and s["signed"] and s["callback"] == callback]
        subs = wait_for(lambda: len(verified()) == len(watched), 40)
        check(subs, f"every watched channel subscribed, verified and signed "
                    f"({len(verified())} of {len(watched)})")
        polled = int(db.query("SELECT count(*) FROM youtube_channels "
                              "WHERE feed_polled_at IS NOT NULL"))
        target = [c for c in idle_channels(mock, 40) if c in watched][-1]
        went_live_at = time.time()
        mock.youtube_channel(target, state="live")
        video = mock.youtube_channel(target)["current_video_id"]
        stored = wait_for(lambda: int(db.query(
            f"SELECT count(*) FROM streams WHERE platform_stream_id = '{video}'")) > 0,
            2 * INTERVAL_S + 5, step=0.2)
        took = time.time() - went_live_at
        check(stored and took <= 2 * INTERVAL_S,
              f"the pushed live video is stored within two intervals ({took:.1f} s; "
              f"{polled} of {len(watched)} feeds read by then)")

        # A push that the hub did not sign, or signed with another secret: refused.
        body = (f'<feed xmlns="http://www.w3.org/2005/Atom" '
                f'xmlns:yt="http://www.youtube.com/xml/schemas/2015"><entry>'
                f'<yt:videoId>AAAAAAAAAAA</yt:videoId><yt:channelId>{watched[0]}</yt:channelId>'
                f'<title>forged</title></entry></feed>').encode()
        for headers in ({}, {"X-Hub-Signature": "sha1=" + "0" * 40}):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/youtube/websub", body,
                         {"Content-Type": "application/atom+xml", **headers})
            status = conn.getresponse().status
            conn.close()
            check(status == 403, f"a push {'with a wrong' if headers else 'without a'} "
                                 f"signature is refused ({status})")
        forged = db.query("SELECT count(*) FROM youtube_videos WHERE video_id = 'AAAAAAAAAAA'")
        check(forged == "0", "a refused push records nothing")
        d.stop()
        d = None
        check(secret not in open(os.path.join(work, "collector.log")).read(),
              "the WebSub secret is not in the log")
    finally:
        if d:
            d.stop()
        mock.stop()


def pacific_seconds_left():
    """Seconds until YouTube's quota day turns (midnight America/Los_Angeles)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo
    now = datetime.now(ZoneInfo("America/Los_Angeles"))
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()


def parse_time(text):
    from datetime import datetime
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# YouTube's units per call (search.list is charged in its own bucket).
UNITS = {"/youtube/v3/videos": 1, "/youtube/v3/channels": 1, "/youtube/v3/playlistItems": 1,
         "/youtube/v3/search": 100}


def day(work, db):
    """A simulated day, time compressed 1,000 times: 288 intervals of 0.3 s for 5 minutes, the
    mock's clock at the same pace. Every broadcast of a watched channel that went live is stored
    from its actualStartTime, every one that ended is closed at its actualEndTime, nothing else
    is stored, the sweeps keep the interval, the ledger matches YouTube's count and the day's
    units stay within 10,000 and within what the planner projected."""
    from datetime import datetime, timedelta, timezone
    scale = 1000
    interval_s = 300 / scale
    intervals = 288
    # The simulated day runs from 12 hours before the collector's clock to 12 hours after it:
    # the collector asks about upcoming broadcasts scheduled within a day of its own clock, as
    # it would about real ones.
    start = (datetime.now(timezone.utc) - timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
    mock = Mock(work, "--youtube-channels", "60", "--youtube-live-fraction", "0.1",
                "--youtube-time-scale", str(scale), "--youtube-daily-quota", "1000000000",
                "--youtube-feed-requests-per-second", "0", "--start-time", start)
    # 10,000 units a simulated day, for the rest of the collector's quota day.
    quota = int(10_000 * pacific_seconds_left() * scale / 86_400)
    d = None
    try:
        watched = [c["id"] for c in mock.youtube_world()["channels"] if not c["terminated"]]
        out = command(db, mock, "youtube", "add", *watched)
        check(out.returncode == 0, f"a watchlist of {len(watched)} ({out.stderr[-200:]})")
        # Every feed twice an interval, at 100 reads a second.
        d = Daemon(work, db, mock, {"YOUTUBE_DAILY_QUOTA": str(quota),
                                    "YOUTUBE_COLLECTION_INTERVAL_MINUTES": str(interval_s / 60),
                                    "YOUTUBE_FEED_REQUESTS_PER_SECOND": "100",
                                    "LOG_LEVEL": "warn"})

        def spent():
            return int(db.query("SELECT coalesce(sum(units), 0) FROM youtube_quota") or 0)

        def sweeps():
            return int(db.query(f"""SELECT count(*) FROM sweeps
                                     WHERE platform_id = {YOUTUBE} AND status = 'complete'"""))

        polled = wait_for(lambda: db.query("""SELECT count(*) FROM youtube_channels
                                               WHERE feed_polled_at IS NOT NULL""")
                          == str(len(watched)), 30, step=0.2)
        check(polled, "every feed read once")
        time.sleep(2 * interval_s)
        day_began = parse_time(mock.youtube_world()["now"])
        units_before, sweeps_before = spent(), sweeps()
        time.sleep(intervals * interval_s)
        world = mock.youtube_world()
        day_ended = parse_time(world["now"])
        units_day, sweeps_day = spent() - units_before, sweeps() - sweeps_before
        health = d.health()
        d.stop()
        d = None

        watched_set = set(watched)
        broadcasts = [b for b in world["broadcasts"] if b["channel_id"] in watched_set]
        stored = {}
        for line in db.query(f"""
                SELECT platform_stream_id,
                       to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                       coalesce(to_char(ended_at AT TIME ZONE 'UTC',
                                        'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
                  FROM streams WHERE platform_id = {YOUTUBE}""").splitlines():
            video, started, ended = line.split("|")
            stored[video] = (started, ended)
        # Two intervals to be seen (or seen ended) and stored.
        settled = day_ended - timedelta(seconds=2 * 300)
        started = [b for b in broadcasts
                   if day_began <= parse_time(b["actual_start_time"]) <= settled]
        ended = [b for b in broadcasts if b["actual_end_time"]
                 and day_began <= parse_time(b["actual_end_time"]) <= settled]
        check(len(started) >= 5 and len(ended) >= 5,
              f"the day had broadcasts starting ({len(started)}) and ending ({len(ended)})")
        missed = [b["video_id"] for b in started if b["video_id"] not in stored]
        check(not missed, f"every broadcast that went live is stored ({len(started)}; "
                          f"missed {missed[:5]})")
        wrong_start = [(b["video_id"], b["actual_start_time"], stored[b["video_id"]][0])
                       for b in broadcasts if b["video_id"] in stored
                       and stored[b["video_id"]][0] != b["actual_start_time"]]
        check(not wrong_start, f"each from its actualStartTime ({wrong_start[:3]})")
        wrong_end = [(b["video_id"], b["actual_end_time"], stored.get(b["video_id"]))
                     for b in ended if stored.get(b["video_id"], ("", ""))[1]
                     != b["actual_end_time"]]
        check(not wrong_end, f"every one that ended is closed at its actualEndTime "
                             f"({len(ended)}; wrong {wrong_end[:3]})")
        known = {b["video_id"] for b in broadcasts}
        invented = [v for v in stored if v not in known]
        check(not invented, f"nothing else is stored ({invented[:5]})")
        check(sweeps_day >= 0.8 * intervals,
              f"the sweeps kept the interval ({sweeps_day} complete in {intervals} intervals)")

        requests = mock.youtube_stats()["requests"]
        youtube_count = sum(n * UNITS.get(path, 0) for path, n in requests.items())
        check(spent() == youtube_count,
              f"every call paid in the ledger ({spent()} vs YouTube's {youtube_count})")
        q = health.get("quota", {})
        sweeps_left = pacific_seconds_left() / health["interval_s"]
        planned_day = (q.get("projected_units", 0) - q.get("spent_units", 0)) * intervals \
            / sweeps_left
        check(units_day <= 10_000 and units_day <= planned_day,
              f"the day's units within 10,000 and the planner's projection "
              f"({units_day}; planned {planned_day:.0f} a day)")
    finally:
        if d:
            d.stop()
        mock.stop()


SCENARIOS = {f.__name__: f for f in (watchlist, daemon, quota, bad_key, feed_fallback,
                                     discovery, websub, day)}

if __name__ == "__main__":
    run(SCENARIO, SCENARIOS[SCENARIO])
