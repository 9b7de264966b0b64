#!/usr/bin/env python3
"""./start.sh as a new user runs it: from a clean copy of the repository (the tracked files
only: no build/, .data/ or .env), in demo mode. Waits for health, finds live streams that came
through the fake Twitch, the fake Kick and the fake YouTube, stops it with Ctrl-C (SIGINT) and
checks that nothing it started is left running; then a second run reuses the build and the
stored data.

Usage: start_test.py SOURCE_DIR
"""
import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, free_port, psql, run  # noqa: E402

SOURCE = os.path.abspath(sys.argv[1])


def clean_copy(dest):
    """The tracked files as they are in the working tree: what a clone would hold."""
    files = subprocess.run(["git", "-C", SOURCE, "ls-files", "-z"], check=True,
                           capture_output=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = os.path.join(SOURCE.encode(), name)
        if not os.path.exists(src):  # deleted in the working tree, not yet committed
            continue
        dst = os.path.join(dest.encode(), name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        subprocess.run(["cp", "-p", src, dst], check=True)


def get(url, timeout=5, context=None):
    with urllib.request.urlopen(url, timeout=timeout, context=context) as res:
        return json.loads(res.read())


def processes_under(path):
    """PIDs of processes whose command line names a file under `path`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if path in cmd and int(pid) != os.getpid():
            found.append((int(pid), cmd[:160]))
    return found


def live_names(platform, world):
    """The lower-case names under which a mock's live streams may appear as `username`."""
    if platform == "twitch":
        return {s["user_login"].lower() for s in world["live"]}
    if platform == "kick":
        return {s["slug"].lower() for s in world["live"]}
    # YouTube: a channel's @handle, with or without its @, or its id when it has none.
    live = {s["channel_id"] for s in world["live"]}
    names = set()
    for c in world["channels"]:
        if c["id"] in live:
            names |= {c["id"].lower(), c["handle"].lower(), c["handle"].lower().lstrip("@")}
    return names


class StartRun:
    def __init__(self, clone, log_name):
        self.api_port, self.health_port = free_port(), free_port()
        # A user's terminal: none of the settings, nor the make running this test's flags.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TWITCH_", "KICK_", "YOUTUBE_", "PLATFORMS",
                                    "DATABASE_URL", "TEST_DATABASE", "API_", "COLLECTOR_",
                                    "COLLECTION_", "MAKE", "MFLAGS"))}
        env.update(API_PORT=str(self.api_port), COLLECTOR_HEALTH_PORT=str(self.health_port))
        self.log_path = os.path.join(clone, "..", log_name)
        self.log = open(self.log_path, "w")
        self.started = time.time()
        # A session of its own, as a terminal would give it: SIGINT reaches the script.
        self.proc = subprocess.Popen(["./start.sh"], cwd=clone, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_running(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if "Streamscope is running" in self.output():
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(1)
        return False

    def live_top(self, platform="twitch", timeout=90):
        """One platform's /live/top once its first sweep has landed (an empty list before)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                top = get(f"http://127.0.0.1:{self.api_port}/live/top?platform={platform}"
                          "&limit=20")
                if top["data"]:
                    return top
            except OSError:
                pass
            time.sleep(1)
        return None

    def interrupt(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(60)
        except subprocess.TimeoutExpired:
            return None


def main(work):
    clone = os.path.join(work, "streamscope")
    clean_copy(clone)

    first = StartRun(clone, "start-1.log")
    try:
        running = first.wait_running(timeout=1200)  # the first run builds everything
        took = time.time() - first.started
        check(running, f"./start.sh says it is running ({took:.0f} s, build included)")
        out = first.output()
        check("DEMO MODE" in out, "no Twitch credentials: it says it runs in demo mode")
        check(f"http://localhost:{first.api_port}/docs" in out and "Ctrl-C" in out,
              "it prints where the API and docs are and how to stop")
        health = get(f"http://127.0.0.1:{first.api_port}/health")
        check(health["status"] == "ok" and health["database"] == "up", f"/health ok ({health})")
        demo = os.path.join(clone, ".data", "demo")
        port = open(os.path.join(demo, "mock.port")).read().strip()
        tls = ssl.create_default_context(cafile=os.path.join(demo, "mock-ca.pem"))
        worlds = {
            "twitch": "/_mock/world",
            "kick": "/_mock/kick/world",
            "youtube": "/_mock/youtube/world",
        }
        for platform, path in worlds.items():
            # YouTube's first sweep may find no candidate yet: its feeds are read beside the
            # sweeps, spread over the first interval.
            top = first.live_top(platform, timeout=180 if platform == "youtube" else 90)
            check(top is not None, f"/live/top lists {platform} streams after its first sweep")
            if not top:
                continue
            world = get(f"https://127.0.0.1:{port}{path}", context=tls)
            live = live_names(platform, world)
            names = [s["username"].lower() for s in top["data"]]
            known = [n for n in names if n in live]
            # The demo's world moves (streams end and start): a few may have ended since.
            check(len(known) >= 0.75 * len(names),
                  f"... and they came through the fake {platform} ({len(known)}/{len(names)} "
                  "still live there)")
        collector = get(f"http://127.0.0.1:{first.health_port}/health")
        roles = {name: p["role"] for name, p in collector["platforms"].items()}
        check(collector["status"] == "ok" and
              roles == {"twitch": "leader", "kick": "leader", "youtube": "leader"},
              f"the collector is healthy and sweeps all three ({collector['status']}, {roles})")
        quota = collector["platforms"]["youtube"].get("quota", {})
        check(quota.get("exhausted") is False and
              0 < quota.get("projected_units", 0) <= quota.get("daily_units", 0),
              f"YouTube's quota lasts the day at the demo's interval ({quota})")
        interval = collector["platforms"]["youtube"].get("interval_s")
        check(interval == 60, f"... and the planner keeps YouTube's sweep a minute ({interval} s)")
        twitch = collector["platforms"]["twitch"]
        first_sweep = twitch["last_sweep"]["started_at"]
    finally:
        code = first.interrupt()
    check(code is not None, f"Ctrl-C stops it (exit {code})")
    time.sleep(1)
    left = processes_under(clone)
    check(not left, f"nothing it started is left running ({left})")

    second = StartRun(clone, "start-2.log")
    try:
        running = second.wait_running(timeout=300)
        took = time.time() - second.started
        check(running and took < 120, f"a second run reuses the build ({took:.0f} s)")
        check("creating a private PostgreSQL" not in second.output(),
              "... and the database of the first run")
        top = second.live_top()
        check(top is not None, "the second run serves live streams")
        pg_port = open(os.path.join(clone, ".data", "postgres", "port")).read().strip()
        sweeps = psql(f"postgresql://postgres@127.0.0.1:{pg_port}/streamscope",
                      f"SELECT count(*) FROM sweeps WHERE started_at <= '{first_sweep}'")
        check(sweeps not in ("", "0"), f"the first run's sweeps are still stored ({sweeps})")
    finally:
        code = second.interrupt()
    check(code is not None, f"Ctrl-C stops the second run too (exit {code})")
    time.sleep(1)
    left = processes_under(clone)
    check(not left, f"nothing left running after the second run ({left})")


def kill_leftovers(work):
    for pid, _ in processes_under(os.path.join(work, "streamscope")):
        os.kill(pid, signal.SIGKILL)  # only what this test's copy started


if __name__ == "__main__":
    run("start", main, database=False, cleanup=kill_leftovers, prefix="streamscope-start-")
