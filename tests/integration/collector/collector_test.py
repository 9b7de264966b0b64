#!/usr/bin/env python3
"""The real collector binary against the real mock over TLS and a real PostgreSQL.

Usage: collector_test.py COLLECTOR MOCK SCENARIO   (needs TEST_DATABASE_URL)

Each scenario starts its own mock on a free loopback port, creates its own database, runs
`streamscope-collector --once` as a user would and checks what was stored against what the
mock's world held. Exit code 0 when every check passed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, run  # noqa: E402
from platform_mock import PlatformMock  # noqa: E402

COLLECTOR, MOCK, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]
CLIENT_ID, SECRET = "it-client", "it-secret-do-not-log"


class Mock(PlatformMock):
    """The mock with this test's Twitch credentials (Kick's are platform_mock's)."""

    def __init__(self, work, *flags):
        super().__init__(MOCK, work, "--client-id", CLIENT_ID, "--client-secret", SECRET, *flags)


def collect(db, mock, *flags, env_extra=None, ca=True, secret=SECRET, timeout=600):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWITCH_", "DATABASE"))}
    env.update({
        "DATABASE_URL": db.url,
        "TWITCH_CLIENT_ID": CLIENT_ID,
        "TWITCH_CLIENT_SECRET": secret,
        "TWITCH_API_BASE_URL": f"https://127.0.0.1:{mock.port}/helix",
        "TWITCH_AUTH_BASE_URL": f"https://127.0.0.1:{mock.port}/oauth2",
        "HTTP_TIMEOUT_SECONDS": "5",
        "LOG_LEVEL": "info",
    })
    if ca:
        env["TWITCH_CA_FILE"] = mock.ca
    env.update(env_extra or {})
    started = time.time()
    out = subprocess.run([COLLECTOR, "--once", *flags], env=env, capture_output=True,
                         text=True, timeout=timeout, cwd=tempfile.gettempdir())
    took = time.time() - started
    log = out.stdout + out.stderr
    print(f"     collector exit {out.returncode} in {took:.1f} s", flush=True)
    if SECRET in log or "it-wrong-secret" in log:
        check(False, "the client secret appears in the collector's log")
    return out.returncode, log


def last_sweep(db):
    return db.json("""SELECT row_to_json(s) FROM sweeps s
                       WHERE platform_id = 1 ORDER BY started_at DESC LIMIT 1""")


def stored_streams(db, sweep_started_at):
    """Stream id -> what the database holds for it in the sweep at sweep_started_at."""
    rows = db.json(f"""
        SELECT json_agg(json_build_object(
                 'id', st.platform_stream_id, 'user_id', c.platform_user_id,
                 'user_login', c.login, 'user_name', c.display_name, 'title', st.title,
                 'viewer_count', s.viewer_count, 'language', st.language,
                 'game_id', COALESCE(g.platform_game_id, '')))
          FROM snapshots s
          JOIN streams st ON st.id = s.stream_id
          JOIN channels c ON c.id = st.channel_id
          LEFT JOIN games g ON g.id = st.game_id
         WHERE s.collected_at = '{sweep_started_at}'""") or []
    return {r["id"]: r for r in rows}


# ---------------------------------------------------------------------------------------------


def full_sweep(work, db):
    """20,000 streams, a world that holds still: all of them, byte-exact; a second sweep ends
    nothing and refreshes no profile."""
    mock = Mock(work, "--streams", "20000", "--rate-limit-per-minute", "0", "--seed", "7")
    try:
        world = {s["id"]: s for s in mock.world()["live"]}
        code, log = collect(db, mock)
        check(code == 0, "a complete sweep exits 0")
        sweep = last_sweep(db)
        check(sweep["status"] == "complete", f"the sweep is stored complete ({sweep['status']})")
        check(sweep["streams_seen"] == len(world),
              f"streams_seen {sweep['streams_seen']} == {len(world)} live")
        stored = stored_streams(db, sweep["started_at"])
        check(set(stored) == set(world), f"every live stream stored ({len(stored)} of {len(world)})")
        fields = ["user_id", "user_login", "user_name", "title", "viewer_count", "language",
                  "game_id"]
        mismatches = [(i, f) for i, s in world.items() for f in fields
                      if i in stored and stored[i][f] != s[f]]
        check(not mismatches, f"titles, names and counts byte-exact ({mismatches[:3]})")
        nasty = sum(1 for s in world.values() if any(ord(ch) > 0xFFFF for ch in s["title"]))
        check(nasty > 100, f"the world had titles beyond the BMP to test with ({nasty})")
        profiles = int(db.query("SELECT count(*) FROM channels WHERE profile_refreshed_at IS NOT NULL"))
        check(profiles > 0, f"enrichment fetched channel profiles ({profiles})")
        games = int(db.query("SELECT count(*) FROM games WHERE box_art_url IS NOT NULL"))
        check(games > 0, f"enrichment fetched games ({games})")
        followers = int(db.query("SELECT count(*) FROM channels WHERE follower_count IS NOT NULL"))
        check(followers > 0, f"enrichment fetched follower counts ({followers})")

        code, log = collect(db, mock)
        check(code == 0, "a second sweep exits 0")
        sweep2 = last_sweep(db)
        check(sweep2["streams_seen"] == len(world), "the second sweep sees every stream again")
        ended = int(db.query("SELECT count(*) FROM streams WHERE ended_at IS NOT NULL"))
        check(ended == 0, f"a world that holds still ends no broadcast ({ended})")
    finally:
        mock.stop()


def moving_world(work, db):
    """A world that re-sorts between pages: the look-ups must recover what paging missed."""
    mock = Mock(work, "--streams", "20000", "--rate-limit-per-minute", "0", "--churn",
                "--seed", "11")
    try:
        code, _ = collect(db, mock)
        check(code == 0, "the warm-up sweep exits 0")
        before = {s["id"]: s for s in mock.world()["live"]}
        code, log = collect(db, mock)
        after = {s["id"]: s for s in mock.world()["live"]}
        check(code == 0, "the measured sweep exits 0")
        throughout = set(before) & set(after)
        sweep = last_sweep(db)
        stored = stored_streams(db, sweep["started_at"])
        covered = len(throughout & set(stored)) / len(throughout)
        print(f"     {len(throughout)} streams live throughout, coverage {covered:.4%}, "
              f"{sweep['duplicates_dropped']} duplicates dropped")
        check(covered >= 0.995, f"coverage of streams live throughout >= 99.5% ({covered:.4%})")
        recovered = re.search(r"\((\d+) recovered by look-up\)", log)
        check(recovered is not None and int(recovered.group(1)) > 0,
              "the look-ups recovered streams that paging missed")
        ended = set(db.json("SELECT json_agg(platform_stream_id) FROM streams "
                            "WHERE ended_at IS NOT NULL") or [])
        check(not (ended & throughout), f"no broadcast live throughout was ended "
                                        f"({len(ended & throughout)})")
        check(len(set(before) - set(after)) > 0, "the world ended broadcasts during the sweep")
    finally:
        mock.stop()


def fast_churn(work, db):
    """A world that moves three times faster than the one above: new low-viewer streams that
    start after a sweep passed their place and are skipped by the next sweep's pages too are
    caught by the second pass over the stretch of the list that moved, sweep after sweep."""
    mock = Mock(work, "--streams", "8000", "--rate-limit-per-minute", "0", "--churn",
                "--drift-per-request", "6%", "--end-per-request", "0.6%",
                "--start-per-request", "0.6%", "--seed", "17")
    try:
        code, _ = collect(db, mock)
        check(code == 0, "the warm-up sweep exits 0")
        for n in range(4):
            before = {s["id"] for s in mock.world()["live"]}
            code, log = collect(db, mock)
            after = {s["id"] for s in mock.world()["live"]}
            check(code == 0, f"sweep {n + 1} exits 0")
            throughout = before & after
            sweep = last_sweep(db)
            stored = stored_streams(db, sweep["started_at"])
            covered = len(throughout & set(stored)) / len(throughout)
            again = re.search(r"(\d+) pages of the stretch that moved paged again, (\d+) streams",
                              log)
            print(f"     sweep {n + 1}: {len(throughout)} live throughout, coverage "
                  f"{covered:.4%}, {sweep['pages']} pages of which "
                  f"{again.group(1) if again else '?'} a second time, catching "
                  f"{again.group(2) if again else '?'}")
            check(covered >= 0.995, f"sweep {n + 1}: coverage of streams live throughout >= "
                                    f"99.5% ({covered:.4%})")
    finally:
        mock.stop()


def rate_limit_storm(work, db):
    mock = Mock(work, "--streams", "3000", "--rate-limit-per-minute", "0",
                "--fault", "rate_limit_storm:4:5")
    try:
        code, log = collect(db, mock)
        check(code == 0, "a 429 storm ends in a complete sweep")
        check(last_sweep(db)["streams_seen"] == 3000, "every stream stored after the storm")
        check("rate limited" in log, "the waits are logged")
    finally:
        mock.stop()


def paced_by_headers(work, db):
    """More pages than the bucket holds: the collector paces itself from the headers, never
    hits a 429 and takes little longer than the limit imposes."""
    limit = 120
    mock = Mock(work, "--streams", "13000", "--rate-limit-per-minute", str(limit))
    try:
        code, log = collect(db, mock)
        stats = mock.stats()
        check(code == 0, "a sweep paced by the headers is complete")
        check(stats["rate_limited"] == 0, f"no 429 was needed ({stats['rate_limited']})")
        sweep = db.json("""SELECT row_to_json(x) FROM (SELECT requests,
                             extract(epoch FROM finished_at - started_at)::float8 AS took
                             FROM sweeps) x""")
        bound = (sweep["requests"] - limit) / (limit / 60)
        print(f"     {sweep['requests']} requests in {sweep['took']:.1f} s; the limit allows "
              f"{bound:.1f} s at best")
        check(sweep["took"] >= bound * 0.95, "it never outruns the limit")
        # Loose on purpose: CI machines are shared. make bench-collector measures it exactly.
        check(sweep["took"] <= bound * 1.3 + 2, "pacing does not waste the budget")
    finally:
        mock.stop()


def server_errors(work, db):
    mock = Mock(work, "--streams", "3000", "--rate-limit-per-minute", "0",
                "--fault", "5xx:3:2", "--fault", "reset:2:8", "--fault", "truncate:2:14",
                "--fault", "invalid_json:1:20", "--fault", "slow:1:25")
    try:
        code, log = collect(db, mock, env_extra={"HTTP_TIMEOUT_SECONDS": "2"})
        check(code == 0, "5xx, resets, truncated and invalid bodies and a timeout are retried")
        sweep = last_sweep(db)
        check(sweep["streams_seen"] == 3000 and sweep["status"] == "complete",
              "every stream stored despite the faults")
        # 9 failures, but the first reset looks like a kept-alive connection the server had
        # closed, which the HTTP client resends at once without counting a retry.
        check(sweep["retries"] >= 8, f"the retries are recorded ({sweep['retries']})")
    finally:
        mock.stop()


def outage(work, db):
    """Helix fails for good after a few pages: a partial sweep is stored, exit 1, no hang."""
    mock = Mock(work, "--streams", "3000", "--rate-limit-per-minute", "0",
                "--fault", "5xx:0:5")
    try:
        code, log = collect(db, mock, env_extra={"HTTP_MAX_RETRIES": "2"})
        check(code == 1, "a sweep cut short exits 1")
        sweep = last_sweep(db)
        check(sweep["status"] == "partial", f"it is stored as partial ({sweep['status']})")
        check("503" in (sweep["error"] or ""), f"the sweep records why ({sweep['error']})")
    finally:
        mock.stop()


def token_revoked(work, db):
    mock = Mock(work, "--streams", "3000", "--rate-limit-per-minute", "0",
                "--fault", "revoke_tokens:1:10")
    try:
        code, log = collect(db, mock)
        check(code == 0, "a token revoked mid-sweep is replaced and the sweep completes")
        check(last_sweep(db)["streams_seen"] == 3000, "every stream stored")
        check(log.count("got a Twitch app access token") == 2, "exactly one new token")
    finally:
        mock.stop()


def wrong_secret(work, db):
    mock = Mock(work, "--streams", "100")
    try:
        code, log = collect(db, mock, secret="it-wrong-secret")
        check(code == 4, f"wrong credentials exit 4 ({code})")
        check("TWITCH_CLIENT_SECRET" in log, "the error names the settings")
        check(log.count("\n") < 10, "one clear error, no retry storm")
        check(db.query("SELECT count(*) FROM sweeps") == "0", "nothing stored")
    finally:
        mock.stop()


def untrusted_certificate(work, db):
    mock = Mock(work, "--streams", "100")
    try:
        code, log = collect(db, mock, ca=False)
        check(code == 5, f"an untrusted certificate exits 5 ({code})")
        check("not trusted" in log, "the error says the certificate is not trusted")
        stats = json.dumps(mock.stats())
        check('"/oauth2/token": 0' in stats or "/oauth2/token" not in stats,
              f"no request reached the server ({stats[:200]})")
    finally:
        mock.stop()


def cursor_bugs(work, db):
    mock = Mock(work, "--streams", "3000", "--rate-limit-per-minute", "0",
                "--fault", "invalid_cursor:1:3", "--fault", "empty_page_with_cursor:1:8")
    try:
        code, log = collect(db, mock)
        check(code == 0, "an invalid cursor and an empty page are retried once")
        check(last_sweep(db)["streams_seen"] == 3000, "every stream stored")
        mock.faults({"kind": "cursor_loop", "always": True, "path": "/helix/streams"})
        code, log = collect(db, mock)
        check(code == 1, "a cursor that loops ends the sweep as partial")
        sweep = last_sweep(db)
        check(sweep["status"] == "partial" and sweep["pages"] < 10,
              f"it stops at once ({sweep['status']}, {sweep['pages']} pages)")
    finally:
        mock.stop()


def followers_forbidden(work, db):
    mock = Mock(work, "--streams", "500", "--rate-limit-per-minute", "0", "--followers-forbidden")
    try:
        code, log = collect(db, mock)
        check(code == 0, "a token that may not read followers still sweeps")
        check(log.count("follower counts are off") == 1, "it is logged once")
    finally:
        mock.stop()


SCENARIOS = {f.__name__: f for f in [full_sweep, moving_world, fast_churn, rate_limit_storm,
                                     paced_by_headers,
                                     server_errors, outage, token_revoked, wrong_secret,
                                     untrusted_certificate, cursor_bugs, followers_forbidden]}


if __name__ == "__main__":
    run(SCENARIO, SCENARIOS[SCENARIO])
