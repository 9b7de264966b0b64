#!/usr/bin/env python3
"""The real collector sweeping the mock's Kick over TLS into a real PostgreSQL.

Usage: kick_test.py COLLECTOR MOCK SCENARIO   (needs TEST_DATABASE_URL)

Each scenario starts its own mock (Twitch and Kick on one port), creates its own database and
runs `streamscope-collector --once` as a user would, then checks what was stored against the
mock's Kick world. Exit code 0 when every check passed.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, run  # noqa: E402
from platform_mock import KICK_SECRET, PlatformMock  # noqa: E402

COLLECTOR, MOCK, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]
TWITCH_ID, TWITCH_SECRET = "it-client", "it-secret-do-not-log"
KICK = 2  # platforms.id


class Mock(PlatformMock):
    def __init__(self, work, *flags):
        super().__init__(MOCK, work, "--client-id", TWITCH_ID, "--client-secret", TWITCH_SECRET,
                         *flags)


def collect(db, mock, platforms="kick", env_extra=None, timeout=600):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWITCH_", "KICK_", "DATABASE", "PLATFORMS"))}
    env.update({
        "DATABASE_URL": db.url,
        "PLATFORMS": platforms,
        "TWITCH_CLIENT_ID": TWITCH_ID,
        "TWITCH_CLIENT_SECRET": TWITCH_SECRET,
        "TWITCH_API_BASE_URL": f"https://127.0.0.1:{mock.port}/helix",
        "TWITCH_AUTH_BASE_URL": f"https://127.0.0.1:{mock.port}/oauth2",
        "TWITCH_CA_FILE": mock.ca,
        "HTTP_TIMEOUT_SECONDS": "5",
        "KICK_REQUESTS_PER_MINUTE": "6000",
        "LOG_LEVEL": "info",
    })
    env.update(mock.kick_settings())
    env.update(env_extra or {})
    started = time.time()
    out = subprocess.run([COLLECTOR, "--once"], env=env, capture_output=True, text=True,
                         timeout=timeout, cwd=tempfile.gettempdir())
    log = out.stdout + out.stderr
    print(f"     collector exit {out.returncode} in {time.time() - started:.1f} s", flush=True)
    for secret in (KICK_SECRET, TWITCH_SECRET, "it-wrong-secret"):
        if secret in log:
            check(False, "a client secret appears in the collector's log")
    return out.returncode, log


def last_sweep(db, platform=KICK):
    return db.json(f"""SELECT row_to_json(s) FROM sweeps s
                        WHERE platform_id = {platform} ORDER BY started_at DESC LIMIT 1""")


def stored_streams(db, sweep_started_at):
    rows = db.json(f"""
        SELECT json_agg(json_build_object(
                 'id', st.platform_stream_id, 'broadcaster_user_id', c.platform_user_id,
                 'slug', c.login, 'username', c.display_name, 'title', st.title,
                 'viewer_count', s.viewer_count, 'language_code', st.language,
                 'category_id', g.platform_game_id))
          FROM snapshots s
          JOIN streams st ON st.id = s.stream_id AND st.platform_id = {KICK}
          JOIN channels c ON c.id = st.channel_id
          LEFT JOIN games g ON g.id = st.game_id
         WHERE s.collected_at = '{sweep_started_at}'""") or []
    return {r["id"]: r for r in rows}


def world_of(mock):
    return {s["id"]: s for s in mock.kick_world()["live"]}


# ---------------------------------------------------------------------------------------------


def full_sweep(work, db):
    """A Kick world that holds still: every stream stored once, byte-exact, with the categories
    and profile pictures of the listing, no follower count; a second sweep ends nothing."""
    mock = Mock(work, "--kick-streams", "5000", "--kick-rate-limit-per-minute", "0",
                "--kick-seed", "5")
    try:
        world = world_of(mock)
        code, log = collect(db, mock)
        check(code == 0, f"a complete Kick sweep exits 0 ({code})")
        sweep = last_sweep(db)
        check(sweep["status"] == "complete", f"stored complete ({sweep['status']})")
        check(sweep["streams_seen"] == len(world) and sweep["duplicates_dropped"] == 0,
              f"{sweep['streams_seen']} streams, {sweep['duplicates_dropped']} duplicates, "
              f"for {len(world)} live")
        stored = stored_streams(db, sweep["started_at"])
        check(set(stored) == set(world), f"every live stream stored ({len(stored)})")
        fields = ["broadcaster_user_id", "slug", "username", "title", "viewer_count",
                  "language_code"]
        mismatches = [(i, f, stored[i][f], s[f]) for i, s in world.items() for f in fields
                      if i in stored and stored[i][f] != (str(s[f]) if f == "broadcaster_user_id"
                                                           else s[f])]
        check(not mismatches, f"titles, names and counts byte-exact ({mismatches[:2]})")
        categories = [(i, s["category_id"], stored[i]["category_id"]) for i, s in world.items()
                      if i in stored and (s["category_id"] is None) !=
                      (stored[i]["category_id"] is None)]
        check(not categories, f"no category where Kick shows none, the id elsewhere "
                              f"({categories[:2]})")
        nasty = sum(1 for s in world.values() if any(ord(ch) > 0xFFFF for ch in s["title"]))
        check(nasty > 10, f"the world had titles beyond the BMP to test with ({nasty})")
        named = int(db.query(f"SELECT count(*) FROM games WHERE platform_id = {KICK} "
                             "AND name <> '' AND box_art_url IS NOT NULL"))
        check(named > 0, f"categories stored with their names and art ({named})")
        pictures = int(db.query(f"SELECT count(*) FROM channels WHERE platform_id = {KICK} "
                                "AND profile_image_url LIKE 'https://%'"))
        check(pictures > 0.9 * len(world), f"profile pictures from the listing ({pictures})")
        followers = int(db.query(f"SELECT count(*) FROM channels WHERE platform_id = {KICK} "
                                 "AND follower_count IS NOT NULL"))
        check(followers == 0, f"follower counts unknown, never 0 ({followers})")
        check(re.search(r"kick says \d+ streams are live; this sweep has \d+", log, re.I),
              "the log compares Kick's own count with the sweep's")
        stats = mock.kick_stats()
        check(stats["requests"].get("/public/v2/livestreams", 0) <= 6,
              f"1,000 streams a page ({stats['requests']})")

        code, log = collect(db, mock)
        check(code == 0, "a second sweep exits 0")
        ended = int(db.query("SELECT count(*) FROM streams WHERE ended_at IS NOT NULL"))
        check(ended == 0, f"a world that holds still ends no broadcast ({ended})")
        check(int(db.query("SELECT count(*) FROM sweeps WHERE platform_id = 1")) == 0,
              "PLATFORMS=kick sweeps Kick alone")
    finally:
        mock.stop()


def moving_world(work, db):
    """A Kick world that changes between pages (offset cursors skip streams when earlier ones
    end): the look-ups recover what paging missed."""
    mock = Mock(work, "--kick-streams", "20000", "--kick-rate-limit-per-minute", "0",
                "--kick-churn", "--kick-end-per-request", "0.5%",
                "--kick-start-per-request", "0.5%", "--kick-seed", "13")
    try:
        code, _ = collect(db, mock)
        check(code == 0, "the warm-up sweep exits 0")
        for n in range(3):
            before = world_of(mock)
            code, log = collect(db, mock)
            after = world_of(mock)
            check(code == 0, f"sweep {n + 1} exits 0")
            throughout = set(before) & set(after)
            sweep = last_sweep(db)
            stored = stored_streams(db, sweep["started_at"])
            covered = len(throughout & set(stored)) / len(throughout)
            recovered = re.search(r"\((\d+) recovered by look-up\)", log)
            print(f"     sweep {n + 1}: {len(throughout)} streams live throughout, coverage "
                  f"{covered:.4%}, {recovered.group(1) if recovered else '?'} recovered, "
                  f"{sweep['duplicates_dropped']} duplicates")
            check(covered >= 0.995, f"coverage of streams live throughout >= 99.5% "
                                    f"({covered:.4%})")
            check(sweep["duplicates_dropped"] == 0 or len(stored) == sweep["streams_seen"],
                  "one snapshot per stream")
            ended = set(db.json("SELECT json_agg(platform_stream_id) FROM streams "
                                f"WHERE platform_id = {KICK} AND ended_at IS NOT NULL") or [])
            check(not (ended & throughout), f"no broadcast live throughout was ended "
                                            f"({len(ended & throughout)})")
    finally:
        mock.stop()


def rate_limited(work, db):
    """An unpublished limit, with and without Retry-After: the sweep slows down, loses
    nothing, and logs each 429 with the pace that drew it."""
    mock = Mock(work, "--kick-streams", "24000", "--kick-rate-limit-per-minute", "20",
                "--kick-retry-after", "random", "--kick-seed", "3")
    try:
        world = world_of(mock)
        code, log = collect(db, mock, env_extra={"KICK_REQUESTS_PER_MINUTE": "600"})
        check(code == 0, f"a rate-limited sweep completes ({code})")
        stats = mock.kick_stats()
        sweep = last_sweep(db)
        check(sweep["streams_seen"] == len(world), f"every stream stored "
                                                  f"({sweep['streams_seen']} of {len(world)})")
        check(stats["rate_limited"] >= 1, f"the limit was hit ({stats['rate_limited']} 429s)")
        logged = re.findall(r"Kick answered 429 at (\d+) requests a minute", log)
        check(len(logged) == stats["rate_limited"],
              f"every 429 is logged with its pace ({len(logged)} of {stats['rate_limited']})")
    finally:
        mock.stop()


def malformed_record(work, db):
    """Records Kick sends malformed are left out and counted; the rest of their pages and the
    sweep go on."""
    mock = Mock(work, "--kick-streams", "3000", "--kick-rate-limit-per-minute", "0",
                "--kick-seed", "9")
    try:
        mock.kick_faults({"kind": "bad_record", "count": 3, "path": "/public/v2/livestreams"})
        world = world_of(mock)
        code, log = collect(db, mock)
        check(code == 0, f"the sweep completes ({code})")
        sweep = last_sweep(db)
        check(sweep["status"] == "complete" and sweep["malformed_records"] == 3,
              f"complete, 3 malformed records counted ({sweep['status']}, "
              f"{sweep['malformed_records']})")
        corrupted = {r["id"] for r in mock.kick_stats()["corrupted_records"]}
        stored = stored_streams(db, sweep["started_at"])
        check(len(corrupted) == 3 and not (corrupted & set(stored)),
              f"the broken records are left out ({corrupted & set(stored)})")
        check(set(stored) == set(world) - corrupted, "every other stream is stored")
        check(log.count("Kick sent a stream record that cannot be read") == 3,
              "each one is logged")
    finally:
        mock.stop()


def unreadable_in_look_up(work, db):
    """A stream unreadable in the list and again in the look-up of its channel: that look-up
    says nothing about the channel, so its broadcast stays open (it is not ended as offline)."""
    mock = Mock(work, "--kick-streams", "2000", "--kick-rate-limit-per-minute", "0",
                "--kick-seed", "5")
    try:
        code, _ = collect(db, mock)
        check(code == 0, f"the first sweep stores the world ({code})")
        mock.kick_faults([
            {"kind": "bad_record", "count": 1, "path": "/public/v2/livestreams"},
            {"kind": "bad_record", "count": 1, "path": "/public/v1/users/livestreams"},
        ])
        code, log = collect(db, mock)
        check(code == 0, f"the second sweep completes ({code})")
        corrupted = mock.kick_stats()["corrupted_records"]
        listed = [r["id"] for r in corrupted if r["path"] == "/public/v2/livestreams"]
        looked_up = [r["id"] for r in corrupted if r["path"] == "/public/v1/users/livestreams"]
        check(len(listed) == 1 and looked_up == listed,
              f"the same record was broken in the list and in the look-up ({corrupted})")
        sweep = last_sweep(db)
        check(sweep["status"] == "complete" and sweep["malformed_records"] == 2,
              f"both are counted ({sweep['status']}, {sweep['malformed_records']})")
        still_open = db.query(f"""SELECT ended_at IS NULL FROM streams
                                   WHERE platform_stream_id = '{listed[0]}'""")
        check(still_open == "t", f"its broadcast is not ended ({still_open!r})")
        check("unreadable records; the channels without a live stream in that answer stay "
              "undecided" in log, "the log says why it stays open")
    finally:
        mock.stop()


def wrong_secret(work, db):
    """Kick refuses the credentials: named in one clear line; Twitch sweeps on beside it, and
    with Kick alone the exit code says it."""
    mock = Mock(work, "--streams", "500", "--rate-limit-per-minute", "0",
                "--kick-streams", "500")
    try:
        code, log = collect(db, mock, platforms="twitch,kick",
                            env_extra={"KICK_CLIENT_SECRET": "it-wrong-secret"})
        check(code == 1, f"one platform refused while the other swept: exit 1 ({code})")
        check("KICK_CLIENT_ID" in log and "KICK_CLIENT_SECRET" in log,
              "the error names Kick's settings")
        check(last_sweep(db, 1)["status"] == "complete", "Twitch's sweep is stored complete")
        check(last_sweep(db) is None, "nothing is stored for Kick")
        code, log = collect(db, mock, env_extra={"KICK_CLIENT_SECRET": "it-wrong-secret"})
        check(code == 4, f"Kick alone, refused: exit 4 ({code})")
        check(log.count("\n") < 10, "one clear error, no retry storm")
    finally:
        mock.stop()


SCENARIOS = {f.__name__: f for f in [full_sweep, moving_world, rate_limited, malformed_record,
                                     unreadable_in_look_up, wrong_secret]}


if __name__ == "__main__":
    run(SCENARIO, SCENARIOS[SCENARIO])
