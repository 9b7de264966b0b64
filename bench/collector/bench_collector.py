#!/usr/bin/env python3
"""make bench-collector: the collector's cost for one full sweep of 100,000 live streams.

Usage: bench_collector.py COLLECTOR MOCK   (needs TEST_DATABASE_URL; scripts/pg.sh run sets it)

1. Unlimited: the mock without a rate limit. Two sweeps into a fresh database: the first finds
   every channel new; the second is the steady state of a running collector. For each, the
   collector process's CPU seconds (user + sys) and peak RSS, measured by the kernel (wait4).
2. Limited: the mock enforcing 800 requests a minute from a full bucket. The sweep's wall
   time (its started_at .. finished_at, i.e. paging, look-ups and enrichment; the database
   write follows) against the least time that many requests can take under the limit:
   (requests - 800) / (800 / 60 s).
The last line is one JSON object with the figures.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

COLLECTOR, MOCK = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ADMIN_URL = os.environ["TEST_DATABASE_URL"]
STREAMS = int(os.environ.get("BENCH_STREAMS", "100000"))
LIMIT = int(os.environ.get("BENCH_RATE_LIMIT", "800"))


def psql(url, sql):
    return subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def fresh_database():
    name = "streamscope_bench_" + uuid.uuid4().hex[:8]
    psql(ADMIN_URL, f"CREATE DATABASE {name}")
    url = "postgresql://" + re.sub(r"/[^/?]*(\?|$)", "/" + name + r"\1",
                                   ADMIN_URL.replace("postgresql://", "", 1), count=1)
    return name, url


def start_mock(work, *flags):
    port_file, ca = os.path.join(work, "port"), os.path.join(work, "ca.pem")
    for f in (port_file, ca):
        if os.path.exists(f):
            os.remove(f)
    proc = subprocess.Popen([MOCK, "--listen", "127.0.0.1:0", "--port-file", port_file,
                             "--ca-out", ca, "--streams", str(STREAMS), "--client-id", "bench",
                             "--client-secret", "bench-secret", *flags],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (os.path.exists(port_file) and os.path.exists(ca)):
        if proc.poll() is not None:
            sys.exit("the mock did not start")
        time.sleep(0.05)
    return proc, int(open(port_file).read()), ca


def sweep(url, port, ca):
    env = dict(os.environ, DATABASE_URL=url, TWITCH_CLIENT_ID="bench",
               TWITCH_CLIENT_SECRET="bench-secret", TWITCH_CA_FILE=ca, LOG_LEVEL="warn",
               TWITCH_API_BASE_URL=f"https://127.0.0.1:{port}/helix",
               TWITCH_AUTH_BASE_URL=f"https://127.0.0.1:{port}/oauth2")
    started = time.monotonic()
    proc = subprocess.Popen([COLLECTOR, "--once"], env=env, cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"the collector exited {code}")
    row = json.loads(psql(url, """SELECT row_to_json(x) FROM (
        SELECT streams_seen, requests, pages,
               extract(epoch FROM finished_at - started_at)::float8 AS sweep_s
          FROM sweeps ORDER BY started_at DESC LIMIT 1) x"""))
    row.update(cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
               peak_rss_mb=round(usage.ru_maxrss / 1024, 1), wall_s=round(wall, 2))
    return row


def main():
    with tempfile.TemporaryDirectory() as work:
        mock, port, ca = start_mock(work, "--rate-limit-per-minute", "0")
        name, url = fresh_database()
        try:
            first = sweep(url, port, ca)
            print("first sweep (every channel new):", json.dumps(first), flush=True)
            steady = sweep(url, port, ca)
            print("second sweep (steady state):    ", json.dumps(steady), flush=True)
        finally:
            mock.terminate()
            mock.wait()
            psql(ADMIN_URL, f"DROP DATABASE {name} WITH (FORCE)")

        mock, port, ca = start_mock(work, "--rate-limit-per-minute", str(LIMIT))
        name, url = fresh_database()
        try:
            limited = sweep(url, port, ca)
            print("rate-limited sweep:             ", json.dumps(limited), flush=True)
        finally:
            mock.terminate()
            mock.wait()
            psql(ADMIN_URL, f"DROP DATABASE {name} WITH (FORCE)")

    bound = max(0.0, (limited["requests"] - LIMIT) / (LIMIT / 60.0))
    print(json.dumps({
        "streams": steady["streams_seen"],
        "cpu_s": steady["cpu_s"],
        "peak_rss_mb": steady["peak_rss_mb"],
        "cpu_s_first_sweep": first["cpu_s"],
        "peak_rss_mb_first_sweep": first["peak_rss_mb"],
        "wall_s": steady["wall_s"],
        "limited_requests": limited["requests"],
        "limited_wall_s": round(limited["sweep_s"], 2),
        "limited_bound_s": round(bound, 2),
        "limited_ratio": round(limited["sweep_s"] / bound, 3) if bound else None,
        "limited_process_wall_s": limited["wall_s"],
    }))


if __name__ == "__main__":
    main()
