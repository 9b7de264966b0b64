#!/usr/bin/env python3
"""The collector daemon as a user leaves it running: the real binary, the mock Helix over TLS
and a real PostgreSQL.

Usage: daemon_test.py COLLECTOR MOCK SCENARIO   (needs TEST_DATABASE_URL)

The outage scenarios stop and restart a PostgreSQL cluster of their own (scripts/pg.sh), so
that the shared test server is never disturbed.
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from collector_test import CLIENT_ID, SECRET, Mock  # noqa: E402
from e2e import Database, check, free_port, run  # noqa: E402

COLLECTOR, MOCK, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]
PG_SH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts", "pg.sh")
INTERVAL_S = 6  # COLLECTION_INTERVAL_MINUTES=0.1


class Daemon:
    def __init__(self, work, name, database_url, mock, extra=None):
        self.port = free_port()
        self.spool = os.path.join(work, name + "-spool")
        self.log_path = os.path.join(work, name + ".log")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TWITCH_", "DATABASE"))}
        env.update({
            "DATABASE_URL": database_url,
            "TWITCH_CLIENT_ID": CLIENT_ID,
            "TWITCH_CLIENT_SECRET": SECRET,
            "TWITCH_API_BASE_URL": f"https://127.0.0.1:{mock.port}/helix",
            "TWITCH_AUTH_BASE_URL": f"https://127.0.0.1:{mock.port}/oauth2",
            "TWITCH_CA_FILE": mock.ca,
            "COLLECTION_INTERVAL_MINUTES": str(INTERVAL_S / 60),
            "COLLECTOR_HEALTH_ADDRESS": "127.0.0.1",
            "COLLECTOR_HEALTH_PORT": str(self.port),
            "SPOOL_DIR": self.spool,
            "HTTP_TIMEOUT_SECONDS": "5",
        })
        env.update(extra or {})
        self.env = env
        self.start()

    def start(self):
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([COLLECTOR], env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                self.get("/health")
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError("the daemon did not start: " + self.output()[-2000:])

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        conn.request("GET", path)
        res = conn.getresponse()
        body = res.read().decode()
        conn.close()
        return res.status, body

    def health(self):
        status, body = self.get("/health")
        return status, json.loads(body)

    def twitch(self):
        """/health's part about Twitch, the platform these tests sweep."""
        return self.health()[1]["platforms"]["twitch"]

    def metric(self, name):
        _, text = self.get("/metrics")
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def healthcheck(self):
        return subprocess.run([COLLECTOR, "healthcheck"], env=self.env, capture_output=True,
                              timeout=20).returncode

    def output(self):
        self.log.flush()
        return open(self.log_path).read()

    def terminate(self, timeout=15):
        started = time.time()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        return code, time.time() - started

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def wait_for(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if condition():
                return True
        # A poll of the database may fail as the daemon starts up (seen once under parallel
        # ctest; psql() prints what the server said): the next poll asks again.
        except (OSError, ValueError, KeyError, TypeError, subprocess.CalledProcessError):
            pass
        time.sleep(0.2)
    check(False, f"waited {timeout} s for: {what}")
    return False


def sweep_rows(db):
    return db.json("""SELECT json_agg(row_to_json(x) ORDER BY started_at) FROM (
        SELECT started_at, finished_at, status, streams_seen,
               (SELECT count(*) FROM snapshots s WHERE s.collected_at = w.started_at) AS rows
          FROM sweeps w) x""") or []


class Cluster:
    """A PostgreSQL cluster of the test's own, to stop and start."""

    def __init__(self, work):
        os.chmod(work, 0o755)  # the cluster runs as the postgres user when we are root
        self.dir = os.path.join(work, "pg")
        self.url = subprocess.run(["bash", PG_SH, "start", self.dir], check=True,
                                  capture_output=True, text=True).stdout.strip()
        self.port = self.url.split(":")[-1].split("/")[0]

    def stop(self):
        subprocess.run(["bash", PG_SH, "stop", self.dir], check=True)

    def start(self):
        subprocess.run(["bash", PG_SH, "start", self.dir, self.port], check=True,
                       capture_output=True)


# ---------------------------------------------------------------------------------------------


def interval_and_health(work, db):
    mock = Mock(work, "--streams", "2000", "--rate-limit-per-minute", "0")
    daemon = Daemon(work, "d", db.url, mock)
    try:
        # An empty sweep of three hours ago (a restored backup, say): the daemon's next sweep
        # has it rolled up, and its fold job then folds its complete hour.
        wait_for(lambda: len(sweep_rows(db)) >= 1, 2 * INTERVAL_S, "the first sweep")
        db.query("INSERT INTO sweeps (platform_id, started_at, finished_at, status) "
                 "SELECT 1, t, t, 'complete' "
                 "FROM (SELECT date_trunc('hour', now()) - interval '3 hours' AS t) x")
        wait_for(lambda: len(sweep_rows(db)) >= 4, 4 * INTERVAL_S, "three more sweeps")
        rows = sweep_rows(db)[1:]
        check(all(r["status"] == "complete" and r["rows"] == 2000 for r in rows),
              f"every sweep complete with 2000 snapshots ({[(r['status'], r['rows']) for r in rows]})")
        starts = db.json("SELECT json_agg(extract(epoch FROM started_at)::float8 "
                         "ORDER BY started_at) FROM sweeps WHERE started_at > now() - "
                         "interval '1 hour'")
        offsets = [s % INTERVAL_S for s in starts[1:]]
        check(all(o < 2.0 for o in offsets),
              f"sweeps after the first start on interval boundaries (offsets {offsets})")
        status, health = daemon.health()
        check(status == 200 and health["status"] == "ok", f"/health is 200 ok ({status})")
        twitch = health["platforms"]["twitch"]
        check(twitch["role"] == "leader", f"the only collector leads ({twitch['role']})")
        check(health["database"] == "up", "the database is up")
        check(twitch["last_sweep"]["streams"] == 2000, "/health shows the last sweep's size")
        check(daemon.metric("streamscope_collector_sweeps_total") >= 3, "/metrics counts sweeps")
        check(daemon.metric("streamscope_collector_leader") == 1, "/metrics: leader 1")
        stored_in = daemon.metric("streamscope_collector_last_store_duration_seconds")
        check(0 < stored_in < 10, f"/metrics: how long storing the last sweep took ({stored_in})")
        with open(daemon.log_path) as log:
            check(re.search(r"2000 snapshots written in \d+\.\d\d s", log.read()),
                  "the sweep's log line says how long storing it took")
        wait_for(lambda: db.json("SELECT json_agg(hour) FROM rollup_platform_hours "
                                 "WHERE folded_at IS NOT NULL"), 2 * INTERVAL_S,
                 "the fold job folds the old sweep's hour")
        with open(daemon.log_path) as log:
            check(re.search(r"rollups: \d+ complete hour\(s\) folded \(channels, days, "
                            r"broadcasts\) in \d+\.\d\d s", log.read()),
                  "the fold job says what it folded")
        wait_for(lambda: db.json("SELECT json_agg(l.sort) FROM rollup_channel_leaderboards l "
                                 "JOIN rollup_day_version v ON v.version = l.version "
                                 "WHERE l.to_day = (now() AT TIME ZONE 'UTC')::date + 1"),
                 2 * INTERVAL_S, "the fold job ranks today's channel leaderboards after it")
        check(daemon.healthcheck() == 0, "healthcheck exits 0 while healthy")
        code, took = daemon.terminate()
        check(code == 0 and took < 10, f"SIGTERM: exit {code} in {took:.1f} s")
        check(daemon.healthcheck() == 1, "healthcheck exits 1 when nothing answers")
    finally:
        if daemon.proc.poll() is None:
            daemon.kill()
        mock.stop()


def database_outage(work, db):
    cluster = Cluster(work)
    try:
        own = "postgresql://postgres@127.0.0.1:" + cluster.port + "/streamscope"
        mock = Mock(work, "--streams", "2000", "--rate-limit-per-minute", "0", "--churn")
        daemon = Daemon(work, "d", own, mock)
        try:
            wait_for(lambda: daemon.twitch()["last_sweep"] is not None, 3 * INTERVAL_S,
                     "a first sweep")
            cluster.stop()
            outage_started = time.time()
            wait_for(lambda: daemon.health()[1]["spool"]["files"] >= 3, 5 * INTERVAL_S,
                     "three sweeps spooled while the database is down")
            _, health = daemon.health()
            check(health["database"] == "down", "/health says the database is down")
            spooled = health["spool"]["files"]
            print(f"     {spooled} sweeps spooled in {time.time() - outage_started:.0f} s")
            cluster.start()
            wait_for(lambda: daemon.health()[1]["spool"]["files"] == 0, 4 * INTERVAL_S,
                     "the spool drained")
            code, took = daemon.terminate()
            check(code == 0, f"SIGTERM after the outage: exit {code}")
            log = daemon.output()
            # SIGTERM may land mid-sweep: that one is stored as partial, with what it fetched.
            sweeps_done = len(re.findall(r"sweep (?:complete|partial|failed) in", log))
            rows = sweep_rows(Database.attach(own))
            check(len(rows) == sweeps_done,
                  f"every sweep stored once: {len(rows)} rows for {sweeps_done} sweeps")
            check(all(r["rows"] == r["streams_seen"] for r in rows) and
                  all(r["rows"] > 1900 for r in rows if r["status"] == "complete"),
                  "every stored sweep has all its snapshots")
            check(len(re.findall(r"replayed the twitch sweep of", log)) >= spooled,
                  "the spooled sweeps were replayed")
        finally:
            if daemon.proc.poll() is None:
                daemon.kill()
            mock.stop()
    finally:
        cluster.stop()


def database_down_at_start(work, db):
    """The database is down when the daemon starts: it sweeps into the spool, and when the
    database comes up it migrates it, replays the spool and goes on."""
    cluster = Cluster(work)
    cluster.stop()
    try:
        own = "postgresql://postgres@127.0.0.1:" + cluster.port + "/streamscope"
        mock = Mock(work, "--streams", "1500", "--rate-limit-per-minute", "0")
        daemon = Daemon(work, "d", own, mock)
        try:
            wait_for(lambda: daemon.health()[1]["spool"]["files"] >= 2, 4 * INTERVAL_S,
                     "two sweeps spooled with the database down from the start")
            status, health = daemon.health()
            role = health["platforms"]["twitch"]["role"]
            check(health["database"] == "down" and role == "detached",
                  f"/health: database down, role detached ({health['database']}, {role})")
            check(status == 200, "sweeping into the spool is healthy")
            cluster.start()
            wait_for(lambda: daemon.health()[1]["spool"]["files"] == 0, 4 * INTERVAL_S,
                     "the spool drained once the database is up")
            check(daemon.twitch()["role"] == "leader", "the daemon leads once it can")
            daemon.terminate()
            log = daemon.output()
            rows = sweep_rows(Database.attach(own))
            done = len(re.findall(r"sweep (?:complete|partial|failed) in", log))
            check(len(rows) == done and all(r["rows"] == 1500 for r in rows
                                            if r["status"] == "complete"),
                  f"every sweep stored once, whole ({len(rows)} rows for {done} sweeps)")
        finally:
            if daemon.proc.poll() is None:
                daemon.kill()
            mock.stop()
    finally:
        cluster.stop()


def kill_while_spooling(work, db):
    cluster = Cluster(work)
    try:
        own = "postgresql://postgres@127.0.0.1:" + cluster.port + "/streamscope"
        mock = Mock(work, "--streams", "40000", "--rate-limit-per-minute", "0")
        daemon = Daemon(work, "d", own, mock)
        try:
            wait_for(lambda: daemon.twitch()["last_sweep"] is not None, 4 * INTERVAL_S,
                     "a first sweep")
            cluster.stop()
            wait_for(lambda: daemon.health()[1]["spool"]["files"] >= 1, 4 * INTERVAL_S,
                     "a sweep spooled")
            # Kill it while it writes the next spool file, if we catch it; else right away.
            deadline = time.time() + 3 * INTERVAL_S
            caught = False
            while time.time() < deadline and not caught:
                caught = any(n.startswith(".") or n.endswith(".tmp")
                             for n in os.listdir(daemon.spool))
                if not caught:
                    time.sleep(0.005)
            daemon.kill()
            print(f"     killed {'while writing a spool file' if caught else 'between sweeps'}")
            on_disk = [n for n in os.listdir(daemon.spool) if n.endswith(".sweep")]
            cluster.start()
            daemon.start()
            wait_for(lambda: daemon.health()[1]["spool"]["files"] == 0, 6 * INTERVAL_S,
                     "the spool replayed after the restart")
            daemon.terminate()
            log = daemon.output()
            check(log.count("replayed the twitch sweep of") >= len(on_disk),
                  f"the restarted daemon replays the {len(on_disk)} spooled sweeps")
            rows = sweep_rows(Database.attach(own))
            check(len(rows) >= 1 + len(on_disk), f"{len(rows)} sweeps stored, spooled ones included")
            check(all(r["rows"] == r["streams_seen"] for r in rows), "none stored half")
            if caught:
                check("torn" in log or "cut short" in log or "lost" in log,
                      "the torn spool file is reported")
        finally:
            if daemon.proc.poll() is None:
                daemon.kill()
            mock.stop()
    finally:
        cluster.stop()


def sigterm_mid_sweep(work, db):
    # 300 ms a page: a sweep of 100 pages takes 30 s, so SIGTERM lands in the middle.
    mock = Mock(work, "--streams", "10000", "--rate-limit-per-minute", "0")
    mock.faults([{"kind": "slow", "always": True, "delay_ms": 300, "path": "/helix/streams"}])
    daemon = Daemon(work, "d", db.url, mock, {"COLLECTION_INTERVAL_MINUTES": "5"})
    try:
        time.sleep(5)
        code, took = daemon.terminate()
        check(code == 0, f"SIGTERM mid-sweep exits 0 ({code})")
        check(took < 10, f"within 10 s ({took:.1f} s)")
        rows = sweep_rows(db)
        check(len(rows) == 1 and rows[0]["status"] == "partial" and rows[0]["rows"] > 0,
              f"what was fetched is stored as a partial sweep ({rows})")
    finally:
        if daemon.proc.poll() is None:
            daemon.kill()
        mock.stop()


def one_leader(work, db):
    mock = Mock(work, "--streams", "1000", "--rate-limit-per-minute", "0")
    first = Daemon(work, "a", db.url, mock)
    time.sleep(1)
    second = Daemon(work, "b", db.url, mock)
    try:
        wait_for(lambda: len(sweep_rows(db)) >= 3, 4 * INTERVAL_S, "three sweeps")
        roles = sorted([first.twitch()["role"], second.twitch()["role"]])
        check(roles == ["leader", "standby"], f"one leader, one standby ({roles})")
        check(first.healthcheck() == 0 and second.healthcheck() == 0,
              "both are healthy (the standby while the leader sweeps)")
        leader, standby = (first, second) if first.twitch()["role"] == "leader" else (second, first)
        leader.kill()
        killed_at = time.time()
        wait_for(lambda: standby.twitch()["role"] == "leader", INTERVAL_S + 3,
                 "the standby takes over within one interval")
        print(f"     took over after {time.time() - killed_at:.1f} s")
        before = len(sweep_rows(db))
        wait_for(lambda: len(sweep_rows(db)) > before, 2 * INTERVAL_S, "the new leader sweeps")
        rows = sweep_rows(db)
        overlaps = [(a["started_at"], b["started_at"]) for a, b in zip(rows, rows[1:])
                    if b["started_at"] < a["finished_at"]]
        check(not overlaps, f"never two sweeps at a time ({overlaps})")
        standby.terminate()
    finally:
        for d in (first, second):
            if d.proc.poll() is None:
                d.kill()
        mock.stop()


def kick_down(work, db):
    """Kick fails while Twitch sweeps on: each platform on its own schedule, neither waits for
    the other; Kick comes back by itself once it answers again."""
    mock = Mock(work, "--streams", "1000", "--rate-limit-per-minute", "0",
                "--kick-streams", "500", "--kick-rate-limit-per-minute", "0")
    mock.kick_faults({"kind": "5xx", "always": True, "path": "/public/"})
    daemon = Daemon(work, "d", db.url, mock,
                    {"PLATFORMS": "twitch,kick", "HTTP_MAX_RETRIES": "1",
                     "KICK_REQUESTS_PER_MINUTE": "6000", **mock.kick_settings()})
    rows = lambda platform: db.json(f"""SELECT json_agg(row_to_json(w) ORDER BY at)
        FROM (SELECT extract(epoch FROM started_at)::float8 AS at, status, streams_seen
                FROM sweeps WHERE platform_id = {platform}) w""") or []
    try:
        wait_for(lambda: len(rows(1)) >= 4, 5 * INTERVAL_S, "four Twitch sweeps")
        twitch, kick = rows(1), rows(2)
        check(all(r["status"] == "complete" and r["streams_seen"] == 1000 for r in twitch),
              f"Twitch's sweeps are complete ({[r['status'] for r in twitch]})")
        offsets = [r["at"] % INTERVAL_S for r in twitch[1:]]
        check(all(o < 2.0 for o in offsets),
              f"... and on their interval boundaries, Kick's failures beside them ({offsets})")
        check(len(kick) >= 2 and all(r["status"] == "failed" for r in kick),
              f"Kick's sweeps are stored as failed ({[r['status'] for r in kick]})")
        # Kick counts as failing once 2.5 intervals passed without a good sweep; four Twitch
        # sweeps may have come after only a little over two (the first one runs at start).
        kick_failing = lambda: daemon.health()[1]["platforms"]["kick"]["status"] == "failing"
        wait_for(kick_failing, 2 * INTERVAL_S, "/health reports Kick failing")
        status, health = daemon.health()
        platforms = health["platforms"]
        check(status == 503 and platforms["twitch"]["status"] == "ok"
              and platforms["kick"]["status"] == "failing",
              f"/health says which platform fails ({status}: {platforms['twitch']['status']}, "
              f"{platforms['kick']['status']})")
        check(daemon.metric('streamscope_collector_sweeps_total{platform="kick",status="failed"}')
              >= 2, "/metrics counts Kick's failed sweeps")

        mock.request("DELETE", "/_mock/kick/faults")
        wait_for(lambda: any(r["status"] == "complete" for r in rows(2)), 3 * INTERVAL_S,
                 "a complete Kick sweep once Kick answers again")
        wait_for(lambda: daemon.health()[0] == 200, 3 * INTERVAL_S, "/health is 200 again")
    finally:
        daemon.terminate()
        mock.stop()


SCENARIOS = {f.__name__: f for f in [interval_and_health, database_outage, database_down_at_start,
                                     kill_while_spooling,
                                     sigterm_mid_sweep, one_leader, kick_down]}

if __name__ == "__main__":
    run(SCENARIO, SCENARIOS[SCENARIO])
