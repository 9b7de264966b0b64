#!/usr/bin/env python3
"""make bench-stats: rollup maintenance and every /stats route.

Usage: bench_stats.py API SEEDER   (needs TEST_DATABASE_URL; scripts/pg.sh run sets it)

Seeds a fresh database with 30 days of 5-minute sweeps for 5,000 channels going on and off
(streamscope-seed-stats: through the write path, rolling up after each sweep and folding each
complete hour as the collector does, timing each), then an hour of 100,000-stream sweeps two
UTC days on (so that no window timed here holds it, even past midnight) whose rollups are
timed apart (with the hour's fold). Then times every stats route uncached on the 5,000
channels' 30 days: each request asks for a window that ends a second later than the one
before, so that no answer comes from the cache, for a 24-hour window (hour rollups) and a
30-day one (day rollups), ending now (a 30-day window ending now is one the fold job keeps
leaderboards for) or, for the routes marked so, three days earlier (one it does not);
channels/rising also over 7 and 14 days, whose previous windows lie in the seeded world.
The last line is one JSON object: the seeding figures, and p50/p95 per route and window.
"""
import datetime as dt
import json
import os
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from bench_support import psql, running_api, scratch_database  # noqa: E402

API, SEEDER = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
ROUTES = [
    ("summary", "/stats/summary?"),
    ("games_top", "/stats/games/top?sort=hours_watched&"),
    ("games_trending", "/stats/games/trending?"),
    ("channels_top", "/stats/channels/top?sort=avg_viewers&"),
    ("channels_top_game", "/stats/channels/top?game=game-3&"),
    # the sorts that rank every channel of the window (no per-day leaders to start from)
    ("channels_top_watched", "/stats/channels/top?sort=hours_watched&"),
    ("channels_top_streamed", "/stats/channels/top?sort=hours_streamed&"),
    # the same on windows that end three days ago: no leaderboard, ranked from the day totals
    ("channels_top_watched_earlier", "/stats/channels/top?sort=hours_watched&", 3),
    ("channels_top_streamed_earlier", "/stats/channels/top?sort=hours_streamed&", 3),
    ("channels_top_followers", "/stats/channels/top?sort=followers&"),
    # rising also over 7 and 14 days (below): over 30 it compares with the 30 days before the
    # seeded world, where no channel qualifies
    ("channels_rising", "/stats/channels/rising?"),
    ("channels_rising_followers", "/stats/channels/rising?sort=followers&"),
    ("languages", "/stats/languages?"),
    ("platforms", "/stats/platforms?"),
    ("heatmap", "/stats/heatmap?tz=America/New_York&"),
    ("game_history", "/games/twitch/game-3/history?"),
]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def time_route(base, path, length, days_earlier=0):
    took = []
    end = (dt.datetime.now(dt.timezone.utc).replace(microsecond=0) -
           dt.timedelta(days=days_earlier))
    for i in range(REQUESTS):
        to = end + dt.timedelta(seconds=i)
        url = f"{base}{path}from={iso(to - length)}&to={iso(to)}"
        started = time.monotonic()
        with urllib.request.urlopen(url, timeout=30) as res:
            res.read()
            if res.status != 200:
                raise RuntimeError(f"{url}: HTTP {res.status}")
        took.append((time.monotonic() - started) * 1000)
    took.sort()
    return {"p50_ms": round(took[len(took) // 2], 1),
            "p95_ms": round(took[int(0.95 * (len(took) - 1))], 1)}


def main():
    with scratch_database("streamscope_bench_stats") as url:
        started = time.monotonic()
        env = dict(os.environ, DATABASE_URL=url, CHANNELS=os.environ.get("CHANNELS", "5000"),
                   DAYS=os.environ.get("DAYS", "30"), INTERVAL_MINUTES="5",
                   BIG_SWEEP=os.environ.get("BIG_SWEEP", "100000"))
        seeded = json.loads(subprocess.run([SEEDER], env=env, check=True, capture_output=True,
                                           text=True).stdout.splitlines()[-1])
        seeded["seed_s"] = round(time.monotonic() - started)
        print("seeded", json.dumps(seeded), flush=True)
        psql(url, "VACUUM ANALYZE")
        results = {"rollup": seeded}
        worst = 0.0
        with running_api(API, url) as base:
            for route, path, *earlier in ROUTES:
                windows = [("24h", dt.timedelta(hours=24)), ("30d", dt.timedelta(days=30))]
                if route.startswith("channels_rising"):
                    windows += [("7d", dt.timedelta(days=7)), ("14d", dt.timedelta(days=14))]
                for label, length in windows:
                    figures = time_route(base, path, length, *earlier)
                    results[f"{route}_{label}"] = figures
                    worst = max(worst, figures["p95_ms"])
                    print(route, label, json.dumps(figures), flush=True)
        results["worst_p95_ms"] = worst
        print(json.dumps(results))


if __name__ == "__main__":
    main()
