#!/usr/bin/env python3
"""make bench-api: streamscope-api under load with wrk on loopback.

Usage: bench_api.py API SEEDER   (needs TEST_DATABASE_URL; scripts/pg.sh run sets it)

Seeds a fresh database with 2,000 channels and 7 days of 5-minute sweeps through the write
path, starts the API (server and wrk share this machine's cores), and drives GET /live/top,
/search/channels?q=... and /channels/twitch/user_0/history?window=7d with wrk at 64
connections, each after one warm-up request (cold_ms: what that first render took). The last
line is one JSON object with rps, p50_ms, p99_ms and cold_ms per route.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from bench_support import psql, running_api, scratch_database  # noqa: E402

API, SEEDER = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
DURATION = os.environ.get("BENCH_SECONDS", "10")


def millis(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url):
    # One request first: a running server has its answers cached; the burst of renders right
    # after each new sweep is measured apart (cold_ms).
    started = time.monotonic()
    urllib.request.urlopen(url, timeout=30).read()
    cold_ms = (time.monotonic() - started) * 1000
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{DURATION}s", "--latency", url],
                         check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = millis(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = millis(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": round(rps), "p50_ms": round(p50, 2), "p99_ms": round(p99, 2),
            "cold_ms": round(cold_ms, 1), "non_2xx": int(errors.group(1)) if errors else 0}


def main():
    with scratch_database("streamscope_bench_api") as url:
        started = time.monotonic()
        login = subprocess.run([SEEDER], env=dict(os.environ, DATABASE_URL=url), check=True,
                               capture_output=True, text=True).stdout.strip()
        rows = psql(url, "SELECT count(*) FROM snapshots")
        print(f"seeded {rows} snapshots in {time.monotonic() - started:.0f} s", flush=True)
        psql(url, "VACUUM ANALYZE")
        with running_api(API, url) as base:
            results = {}
            for route, path in [("live_top", "/live/top"),
                                ("search_channels", "/search/channels?q=user_12"),
                                ("history_7d", f"/channels/twitch/{login}/history?window=7d")]:
                results[route] = wrk(base + path)
                print(route, json.dumps(results[route]), flush=True)
        print(json.dumps(results))


if __name__ == "__main__":
    main()
