#!/usr/bin/env python3
"""make bench-collector: what the collector costs and how close it runs to each platform's limit.

Usage: bench_collector.py COLLECTOR MOCK   (needs TEST_DATABASE_URL; scripts/pg.sh run sets it)

Each case runs the real collector against the real mock over TLS into a fresh database.

1. Cost. Twitch (100,000 streams) and Kick (50,000), no rate limit, each alone: two `--once`
   sweeps, the first finding every channel new, the second the steady state of a running
   collector. CPU seconds (user + sys) and peak RSS of the collector process, from the kernel
   (wait4).
2. Twitch within its limit (800 requests a minute, from a full bucket), alone and with Kick
   sweeping beside it in the same process, alternated: the Twitch sweep's wall time (its
   started_at .. finished_at: paging, look-ups, enrichment) against the least time that many
   requests take under the limit, (requests - bucket) / (800 / 60 s).
3. Kick's hidden limit: the mock answers 429 beyond 60 requests in any 60 s and says nothing
   of it beforehand. The daemon sweeps 50,000 streams every minute, as a user would run it;
   per sweep: streams stored, 429s, and the wall time against requests / (60 / 60 s).
4. Fast churn within Twitch's limit: 8,000 streams in a world that moves with every request,
   the limit at 300 a minute. Per sweep: how many of the streams live throughout it were
   stored, and the wall time against the bound the bucket it started with leaves.
5. YouTube, a simulated day: 2,000 watched channels (about 100 live at a time) at a 5-minute
   interval, with time compressed BENCH_YOUTUBE_SCALE (100) times: the mock's world, the
   interval (3 s), the feed pace (2 a second becomes 200) and the quota all scaled alike, so
   that the collector makes a real day's requests and plans its quota as it would in a real
   day. The daemon first adds the watchlist and reads every feed once (every video new); then
   288 intervals: the units spent (by method), the figure the planner projected for a day,
   the collector's CPU seconds and peak RSS over the day (the same requests as a real day).
The last line is one JSON object with the figures.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integration"))
from platform_mock import PlatformMock  # noqa: E402

COLLECTOR, MOCK = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ADMIN_URL = os.environ["TEST_DATABASE_URL"]
TWITCH_STREAMS = int(os.environ.get("BENCH_STREAMS", "100000"))
KICK_STREAMS = int(os.environ.get("BENCH_KICK_STREAMS", "50000"))
TWITCH_LIMIT = int(os.environ.get("BENCH_RATE_LIMIT", "800"))
KICK_LIMIT = 60
KICK_SWEEPS = int(os.environ.get("BENCH_KICK_SWEEPS", "4"))
CHURN_LIMIT = 300
TWITCH_ID, TWITCH_SECRET = "bench", "bench-secret"


def psql(url, sql):
    return subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


class FreshDatabase:
    def __enter__(self):
        self.name = "streamscope_bench_" + uuid.uuid4().hex[:8]
        psql(ADMIN_URL, f"CREATE DATABASE {self.name}")
        self.url = "postgresql://" + re.sub(r"/[^/?]*(\?|$)", "/" + self.name + r"\1",
                                            ADMIN_URL.replace("postgresql://", "", 1), count=1)
        return self

    def __exit__(self, *_):
        psql(ADMIN_URL, f"DROP DATABASE {self.name} WITH (FORCE)")


class Mock(PlatformMock):
    def __init__(self, work, *flags):
        super().__init__(MOCK, work, "--client-id", TWITCH_ID, "--client-secret", TWITCH_SECRET,
                         *flags)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()


def collector_env(db, mock, platforms, extra=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWITCH_", "KICK_", "YOUTUBE_", "DATABASE", "PLATFORMS",
                                "COLLECT"))}
    env.update(DATABASE_URL=db.url, PLATFORMS=platforms, LOG_LEVEL="warn",
               TWITCH_CLIENT_ID=TWITCH_ID, TWITCH_CLIENT_SECRET=TWITCH_SECRET,
               TWITCH_CA_FILE=mock.ca, TWITCH_API_BASE_URL=f"{mock.url}/helix",
               TWITCH_AUTH_BASE_URL=f"{mock.url}/oauth2")
    env.update(mock.kick_settings())
    env.update(extra or {})
    return env


def sweeps(db, platform, after=None):
    """The platform's stored sweeps, oldest first (those started after `after` only)."""
    where = f"AND started_at > '{after}'" if after else ""
    rows = psql(db.url, f"""SELECT coalesce(json_agg(x ORDER BY started_at), '[]') FROM (
        SELECT started_at, status, streams_seen, requests, pages, retries, malformed_records,
               extract(epoch FROM finished_at - started_at)::float8 AS sweep_s
          FROM sweeps JOIN platforms p ON p.id = platform_id
         WHERE p.name = '{platform}' {where}) x""")
    return json.loads(rows)


def sweep_once(db, mock, platforms, extra=None):
    """One `collector --once`: the newest sweep of each platform, with the process's costs."""
    started = time.monotonic()
    proc = subprocess.Popen([COLLECTOR, "--once"], env=collector_env(db, mock, platforms, extra),
                            cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"the collector exited {code} (PLATFORMS={platforms})")
    costs = dict(cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
                 peak_rss_mb=round(usage.ru_maxrss / 1024, 1), wall_s=round(wall, 2))
    return {p: dict(sweeps(db, p)[-1], **costs) for p in platforms.split(",")}


def cost(work, platform, flags, extra=None):
    """First and steady sweep of one platform alone, without a limit."""
    with Mock(work, *flags) as mock, FreshDatabase() as db:
        first = sweep_once(db, mock, platform, extra)[platform]
        print(f"{platform}, first sweep (every channel new):", json.dumps(first), flush=True)
        steady = sweep_once(db, mock, platform, extra)[platform]
        print(f"{platform}, second sweep (steady state):    ", json.dumps(steady), flush=True)
        return first, steady


def twitch_bound(requests, bucket, limit):
    return max(0.0, (requests - bucket) / (limit / 60.0))


def twitch_within_limit(work, platforms):
    """One Twitch sweep from a full bucket, with `platforms` swept by the same process."""
    flags = ("--streams", str(TWITCH_STREAMS), "--rate-limit-per-minute", str(TWITCH_LIMIT),
             "--kick-streams", str(KICK_STREAMS), "--kick-rate-limit-per-minute", "0")
    with Mock(work, *flags) as mock, FreshDatabase() as db:
        bucket = mock.stats()["bucket_remaining"]
        swept = sweep_once(db, mock, platforms, {"KICK_REQUESTS_PER_MINUTE": "6000"})
        twitch = swept["twitch"]
        twitch["bound_s"] = round(twitch_bound(twitch["requests"], bucket, TWITCH_LIMIT), 2)
        print(f"twitch within {TWITCH_LIMIT}/min, PLATFORMS={platforms}:", json.dumps(swept),
              flush=True)
        return twitch


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kick_hidden_limit(work):
    """The daemon against a limit Kick does not publish, sweep after sweep."""
    flags = ("--kick-streams", str(KICK_STREAMS), "--kick-rate-limit-per-minute", str(KICK_LIMIT),
             "--kick-retry-after", "off")
    with Mock(work, *flags) as mock, FreshDatabase() as db:
        env = collector_env(db, mock, "kick", {"KICK_COLLECTION_INTERVAL_MINUTES": "1",
                                               "COLLECTOR_HEALTH_PORT": str(free_port()),
                                               "SPOOL_DIR": os.path.join(work, "spool")})
        proc = subprocess.Popen([COLLECTOR], env=env, cwd=tempfile.gettempdir(),
                                stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 150 * KICK_SWEEPS
            while len(sweeps(db, "kick") if table_ready(db) else []) < KICK_SWEEPS:
                if proc.poll() is not None or time.monotonic() > deadline:
                    sys.exit("the collector daemon stopped sweeping Kick")
                time.sleep(2)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
        stored = sweeps(db, "kick")[:KICK_SWEEPS]
        stats = mock.kick_stats()
        throttled = stats["rate_limited"]
    for s in stored:  # the world holds still: every sweep must store all of it
        s["lost"] = stats["live"] - s["streams_seen"]
    # Nothing else fails against this mock: a sweep's retries are its 429s.
    if sum(s["retries"] for s in stored) != throttled:
        print(f"warning: the mock answered {throttled} 429s, the sweeps count "
              f"{sum(s['retries'] for s in stored)} retries", flush=True)
    for n, s in enumerate(stored, 1):
        s["bound_s"] = s["requests"] / (KICK_LIMIT / 60.0)
        print(f"kick under a hidden {KICK_LIMIT}/min, sweep {n}:", json.dumps(s), flush=True)
    return stored


def table_ready(db):
    return psql(db.url, "SELECT to_regclass('sweeps') IS NOT NULL") == "t"


def fast_churn(work):
    """Sweeps of a world that moves three times faster than the collector test's, paced."""
    flags = ("--streams", "8000", "--rate-limit-per-minute", str(CHURN_LIMIT), "--churn",
             "--drift-per-request", "6%", "--end-per-request", "0.6%",
             "--start-per-request", "0.6%", "--seed", "17")
    results = []
    with Mock(work, *flags) as mock, FreshDatabase() as db:
        sweep_once(db, mock, "twitch")  # warm-up: every channel known, as in a running collector
        for n in range(3):
            before = {s["id"] for s in mock.world()["live"]}
            bucket = mock.stats()["bucket_remaining"]
            sweep = sweep_once(db, mock, "twitch")["twitch"]
            after = {s["id"] for s in mock.world()["live"]}
            throughout = before & after
            stored = set(psql(db.url, f"""SELECT st.platform_stream_id FROM snapshots s
                JOIN streams st ON st.id = s.stream_id
               WHERE s.collected_at = '{sweep['started_at']}'""").split())
            sweep["coverage"] = round(len(throughout & stored) / len(throughout), 5)
            sweep["bound_s"] = round(twitch_bound(sweep["requests"], bucket, CHURN_LIMIT), 2)
            print(f"fast churn within {CHURN_LIMIT}/min, sweep {n + 1}:", json.dumps(sweep),
                  flush=True)
            results.append(sweep)
    return results


YOUTUBE_SCALE = int(os.environ.get("BENCH_YOUTUBE_SCALE", "100"))
YOUTUBE_CHANNELS = int(os.environ.get("BENCH_YOUTUBE_CHANNELS", "2000"))
# Intervals measured (288: a whole day); fewer give a day's figures by proportion.
YOUTUBE_INTERVALS = int(os.environ.get("BENCH_YOUTUBE_INTERVALS", "288"))
YOUTUBE_KEY = "mock-youtube-api-key"


def pacific_seconds_left():
    """Seconds until YouTube's quota day turns (midnight America/Los_Angeles)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo
    now = datetime.now(ZoneInfo("America/Los_Angeles"))
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()


def proc_cpu_s(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_peak_rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def youtube_day(work):
    """A simulated day of 2,000 watched channels: units, the planner's projection, CPU, RSS."""
    k = YOUTUBE_SCALE
    interval_s = 300 / k
    flags = ("--youtube-channels", str(int(YOUTUBE_CHANNELS * 1.05)), "--youtube-live-fraction",
             "0.05", "--youtube-time-scale", str(k), "--youtube-daily-quota", "1000000000",
             "--youtube-feed-requests-per-second", "0")
    with Mock(work, *flags) as mock, FreshDatabase() as db:
        # The quota for the rest of the real quota day, 10,000 a simulated day: the planner
        # then sees the day as it would at real speed.
        sim_days_left = pacific_seconds_left() * k / 86_400
        quota = int(10_000 * sim_days_left)
        env = collector_env(db, mock, "youtube", {
            "YOUTUBE_API_KEY": YOUTUBE_KEY, "YOUTUBE_CA_FILE": mock.ca,
            "YOUTUBE_API_BASE_URL": f"{mock.url}/youtube/v3",
            "YOUTUBE_FEED_BASE_URL": f"{mock.url}/feeds",
            "YOUTUBE_COLLECTION_INTERVAL_MINUTES": str(interval_s / 60),
            "YOUTUBE_FEED_REQUESTS_PER_SECOND": str(2 * k),
            "YOUTUBE_DAILY_QUOTA": str(quota),
            "COLLECTOR_HEALTH_ADDRESS": "127.0.0.1", "COLLECTOR_HEALTH_PORT": str(free_port()),
            "SPOOL_DIR": os.path.join(work, "spool"), "LOG_LEVEL": "info"})
        ids = [c["id"] for c in mock.youtube_world()["channels"]
               if not c["terminated"]][:YOUTUBE_CHANNELS]
        listing = os.path.join(work, "watchlist.txt")
        with open(listing, "w") as f:
            f.write("\n".join(ids) + "\n")
        added = subprocess.run([COLLECTOR, "youtube", "add", "--file", listing], env=env,
                               cwd=tempfile.gettempdir(), capture_output=True, text=True)
        if added.returncode != 0:
            sys.exit("youtube add failed: " + added.stderr[-1000:])
        log_path = os.path.join(work, "youtube-day.log")
        proc = subprocess.Popen([COLLECTOR], env=env, cwd=tempfile.gettempdir(),
                                stdout=open(log_path, "w"), stderr=subprocess.STDOUT)

        def ledger():
            rows = psql(db.url, "SELECT method, sum(units) FROM youtube_quota GROUP BY 1")
            return {m: int(u) for m, u in (r.split("|") for r in rows.splitlines() if r)}

        def health():
            import http.client
            conn = http.client.HTTPConnection("127.0.0.1", int(env["COLLECTOR_HEALTH_PORT"]),
                                              timeout=5)
            conn.request("GET", "/health")
            return json.loads(conn.getresponse().read())["platforms"]["youtube"]

        try:
            # Warm-up: every feed read once (its 15 videos new), then a sweep over them all.
            deadline = time.monotonic() + 600
            while psql(db.url, "SELECT count(*) FROM youtube_channels "
                               "WHERE feed_polled_at IS NOT NULL") != str(len(ids)):
                if proc.poll() is not None or time.monotonic() > deadline:
                    sys.exit("the collector did not read every feed; see " + log_path)
                time.sleep(1)
            time.sleep(2 * interval_s)
            before, cpu_before = ledger(), proc_cpu_s(proc.pid)
            sweeps_before = len(sweeps(db, "youtube"))
            started = time.monotonic()
            time.sleep(YOUTUBE_INTERVALS * interval_s)
            took = time.monotonic() - started
            after, cpu_after = ledger(), proc_cpu_s(proc.pid)
            sweeps_after = len(sweeps(db, "youtube"))
            h = health()
            peak = proc_peak_rss_mb(proc.pid)
            live_now = len(mock.youtube_world()["live"])
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
        by_method = {m: after.get(m, 0) - before.get(m, 0) for m in after}
        day_units = sum(by_method.values()) * 288 * interval_s / took
        q = h["quota"]
        sweeps_left = pacific_seconds_left() / h["interval_s"]
        planned_per_day = ((q["projected_units"] - q["spent_units"]) * 288 / sweeps_left
                           if sweeps_left > 0 else None)
        stored = sweeps(db, "youtube")
        figures = {
            "youtube_watched_channels": len(ids),
            "youtube_live_at_end": live_now,
            "youtube_warmup_units": sum(before.values()),
            "youtube_units_per_day": round(day_units),
            "youtube_units_per_day_by_method": by_method,
            "youtube_planner_units_per_day": round(planned_per_day) if planned_per_day else None,
            "youtube_interval_s_at_end": h["interval_s"],
            "youtube_ledger_total": sum(after.values()),
            "youtube_ledger_quota": quota,
            "youtube_ledger_within_quota": sum(after.values()) <= quota,
            "youtube_sweeps_in_day": sweeps_after - sweeps_before,
            "youtube_sweeps_incomplete": sum(1 for s in stored if s["status"] != "complete"),
            "youtube_intervals_measured": YOUTUBE_INTERVALS,
            "youtube_cpu_s_per_day": round((cpu_after - cpu_before) * 288 * interval_s / took, 1),
            "youtube_peak_rss_mb": peak,
        }
        print("youtube, a simulated day:", json.dumps(figures), flush=True)
        return figures


def ratio(took, bound):
    return round(took / bound, 3) if bound else None


def main():
    if os.environ.get("BENCH_CASES") == "youtube":  # only the YouTube day
        with tempfile.TemporaryDirectory() as work:
            print(json.dumps(youtube_day(work)))
        return
    with tempfile.TemporaryDirectory() as work:
        twitch_first, twitch = cost(work, "twitch", (
            "--streams", str(TWITCH_STREAMS), "--rate-limit-per-minute", "0"))
        kick_first, kick = cost(work, "kick", (
            "--kick-streams", str(KICK_STREAMS), "--kick-rate-limit-per-minute", "0"),
            {"KICK_REQUESTS_PER_MINUTE": "6000"})
        alone, beside = [], []
        for _ in range(2):
            alone.append(twitch_within_limit(work, "twitch"))
            beside.append(twitch_within_limit(work, "twitch,kick"))
        hidden = kick_hidden_limit(work)
        churn = fast_churn(work)
        youtube = youtube_day(work)

    def mean(rows, key):
        return sum(r[key] for r in rows) / len(rows)

    adapted = hidden[1:]
    print(json.dumps({
        "twitch_streams": twitch["streams_seen"],
        "twitch_cpu_s": twitch["cpu_s"],
        "twitch_peak_rss_mb": twitch["peak_rss_mb"],
        "twitch_cpu_s_first_sweep": twitch_first["cpu_s"],
        "twitch_peak_rss_mb_first_sweep": twitch_first["peak_rss_mb"],
        "twitch_wall_s": twitch["wall_s"],
        "kick_streams": kick["streams_seen"],
        "kick_cpu_s": kick["cpu_s"],
        "kick_peak_rss_mb": kick["peak_rss_mb"],
        "kick_cpu_s_first_sweep": kick_first["cpu_s"],
        "kick_peak_rss_mb_first_sweep": kick_first["peak_rss_mb"],
        "kick_wall_s": kick["wall_s"],
        "limited_requests": alone[0]["requests"],
        "limited_wall_s": [round(r["sweep_s"], 2) for r in alone],
        "limited_bound_s": alone[0]["bound_s"],
        "limited_ratio": ratio(mean(alone, "sweep_s"), mean(alone, "bound_s")),
        "limited_with_kick_wall_s": [round(r["sweep_s"], 2) for r in beside],
        "limited_with_kick_ratio": ratio(mean(beside, "sweep_s"), mean(beside, "bound_s")),
        "with_kick_vs_alone": ratio(mean(beside, "sweep_s"), mean(alone, "sweep_s")),
        "kick_hidden_limit_streams": [s["streams_seen"] for s in hidden],
        "kick_hidden_limit_lost": [s["lost"] for s in hidden],
        "kick_hidden_limit_429s": [s["retries"] for s in hidden],
        "kick_hidden_limit_requests": [s["requests"] for s in hidden],
        "kick_hidden_limit_wall_s": [round(s["sweep_s"], 1) for s in hidden],
        "kick_hidden_limit_max_429s_adapted": max(s["retries"] for s in adapted),
        "kick_hidden_limit_max_ratio_adapted": max(ratio(s["sweep_s"], s["bound_s"])
                                                   for s in adapted),
        "fast_churn_coverage": [s["coverage"] for s in churn],
        "fast_churn_requests": [s["requests"] for s in churn],
        "fast_churn_ratio": [ratio(s["sweep_s"], s["bound_s"]) for s in churn],
        **youtube,
    }))


if __name__ == "__main__":
    main()
