#!/usr/bin/env python3
"""/stats/channels/* when viewer counts are hidden (YouTube lets a channel's owner hide it; the
snapshot's viewer_count is NULL): a channel's average viewers is over the time its count was
known, its average and peak are null (an empty CSV field) when none was, and such a channel
ranks after every channel with a value; channels/rising asks for an hour with a known count in
each window. Over hours (rollup_channel_hours) and over days (the day totals, their leaders and
running totals), on a history written here in SQL as the collector stores it, rolled up and
folded by the rollup functions the collector calls.

Usage: stats_hidden_test.py API COLLECTOR   (needs TEST_DATABASE_URL)
"""
import datetime as dt
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, run  # noqa: E402
from api_process import ApiProcess, api_role_url  # noqa: E402

API, COLLECTOR = sys.argv[1], sys.argv[2]

# Three blocks of three hours, each swept every 10 minutes and closed by an empty sweep (so
# that its last snapshots stand for 10 minutes, and its hours are complete): A for the previous
# window of the day windows, B for the previous window of the 24-hour one, C in both windows.
# Viewers per channel, block and sweep k (0..17; k // 6 is the block's hour), None: hidden.
NAMED = ["known", "partly", "hidden", "more", "brief"]
FILLERS = 100  # channels whose count is always hidden, live in C: a day of C lists > 100


def viewers(login, block, k):
    if login == "known":
        return 100
    if login == "partly":  # C: 300 in its first hour, hidden in the next two
        return 100 if block < 2 else (300 if k < 6 else None)
    if login == "more":
        return 200 if block < 2 else 250
    if login == "brief":  # C: 50 for two sweeps (20 minutes), hidden after
        return 50 if block < 2 or k < 2 else None
    return None  # "hidden" and the fillers


def sql_time(t):
    return t.strftime("%Y-%m-%d %H:%M:%S+00")


def seed(db, blocks):
    """The channels, one broadcast each per block it is live in, the sweeps and snapshots, then
    every sweep rolled up and every complete hour folded."""
    first = min(blocks)
    statements = [f"SELECT ensure_snapshot_partitions('{(first - dt.timedelta(days=1)).date()}', "
                  f"{(max(blocks) - first).days + 3});"]
    # One statement each, in order: the named channels get the lowest ids (ties rank by id).
    for n, login in enumerate(NAMED + [f"filler{i:03d}" for i in range(FILLERS)]):
        statements.append(
            "INSERT INTO channels (platform_id, platform_user_id, login, display_name, "
            f"first_seen_at, last_seen_at) VALUES (3, 'UC{n:022d}', '{login}', "
            f"'{login.title()}', '{sql_time(first)}', '{sql_time(max(blocks))}');")
    rows = []
    for b, start in enumerate(blocks):
        statements.append(
            "INSERT INTO sweeps (platform_id, started_at, finished_at, status, streams_seen) "
            f"SELECT 3, t, t, 'complete', 0 FROM generate_series('{sql_time(start)}'::timestamptz, "
            f"'{sql_time(start + dt.timedelta(hours=3))}', interval '10 minutes') t;")
        live = NAMED if b < 2 else NAMED + [f"filler{i:03d}" for i in range(FILLERS)]
        statements.append(
            "INSERT INTO streams (platform_id, platform_stream_id, channel_id, started_at, "
            "language, title, state_since, first_seen_at) "
            f"SELECT 3, 'v{b}-' || c.login, c.id, '{sql_time(start)}', 'en', 'live', "
            f"'{sql_time(start)}', '{sql_time(start)}' FROM channels c "
            f"WHERE c.login IN ({', '.join(repr(x) for x in live)});")
        for login in live:
            for k in range(18):
                v = viewers(login, b, k)
                rows.append(f"('{sql_time(start + dt.timedelta(minutes=10 * k))}', "
                            f"'v{b}-{login}', {'NULL' if v is None else v})")
    statements.append(
        "INSERT INTO snapshots (collected_at, stream_id, viewer_count) "
        "SELECT x.at::timestamptz, st.id, x.v FROM (VALUES " + ", ".join(rows) + ") "
        "x(at, video, v) JOIN streams st ON st.platform_stream_id = x.video ORDER BY 1, 2;")
    statements.append("SELECT rollup_pending(3::smallint, 1000);")
    statements.append("SELECT rollup_fold_pending(3::smallint, true, 1000);")
    db.query("\n".join(statements))


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def ranking(api, path, key):
    status, _, body = api.get_json(path)
    check(status == 200, f"{path}: {status}")
    return [(x["username"], x[key]) for x in body["data"]], body


def main(work, db):
    now = dt.datetime.now(dt.timezone.utc)
    hour = now.replace(minute=0, second=0, microsecond=0)
    blocks = [hour - dt.timedelta(days=10), hour - dt.timedelta(hours=30),
              hour - dt.timedelta(hours=6)]
    api_url = api_role_url(COLLECTOR, db.url)
    seed(db, blocks)
    api = ApiProcess(API, work, api_url)
    try:
        hours = f"platform=youtube&from={iso(hour - dt.timedelta(hours=24))}&to={iso(hour)}"
        last_day = (blocks[2] + dt.timedelta(hours=3)).date()
        days = (f"platform=youtube&from={last_day - dt.timedelta(days=6)}T00:00:00Z"
                f"&to={last_day + dt.timedelta(days=1)}T00:00:00Z")

        # Over the 24 hours (block C): partly's average is its known hour's, 300 (counting the
        # hidden hours as none gave 100), brief's its 20 known minutes', 50; hidden has none.
        got, body = ranking(api, f"/stats/channels/top?{hours}&sort=avg_viewers&limit=5",
                            "avg_viewers")
        check(body["meta"]["resolution"] == "1h" and
              got == [("partly", 300), ("more", 250), ("known", 100), ("brief", 50),
                      ("hidden", None)],
              f"channels/top by average over hours: over the time with a known count, an "
              f"unknown one last ({got})")
        row = {x["username"]: x for x in body["data"]}
        check(row["partly"]["hours_streamed"] == 3 and row["partly"]["hours_watched"] == 300 and
              row["hidden"]["hours_streamed"] == 3 and row["hidden"]["hours_watched"] == 0 and
              row["hidden"]["peak_viewers"] is None,
              f"... hours streamed count the hidden time, hours watched do not; no peak known "
              f"({row['partly']}, {row['hidden']})")
        got, _ = ranking(api, f"/stats/channels/top?{hours}&sort=peak_viewers&limit=5",
                         "peak_viewers")
        check(got == [("partly", 300), ("more", 250), ("known", 100), ("brief", 50),
                      ("hidden", None)],
              f"channels/top by peak over hours: the largest known count, none last ({got})")

        # Over days (blocks B and C), from each day's leaders: C's day lists more than 100
        # channels, most of them without a value.
        want = [("more", 225), ("partly", 150), ("known", 100), ("brief", 50)]
        for limit in (3, 5):
            got, body = ranking(
                api, f"/stats/channels/top?{days}&sort=avg_viewers&limit={limit}", "avg_viewers")
            check(body["meta"]["resolution"] == "1d" and
                  got == (want + [("hidden", None)])[:limit],
                  f"channels/top by average over days, limit {limit} ({got})")
        got, _ = ranking(api, f"/stats/channels/top?{days}&sort=avg_viewers&limit=100",
                         "avg_viewers")
        fillers = [(f"filler{i:03d}", None) for i in range(FILLERS)]
        check(got == (want + [("hidden", None)] + fillers)[:100],
              f"... every unknown average after the known ones, by channel ({got[:6]}...)")
        got, _ = ranking(api, f"/stats/channels/top?{days}&sort=avg_viewers&limit=5"
                              "&language=en", "avg_viewers")
        check(got == want + [("hidden", None)],
              f"... and narrowed to a language (every channel's days per language) ({got})")
        got, _ = ranking(api, f"/stats/channels/top?{days}&sort=peak_viewers&limit=5",
                         "peak_viewers")
        check(got == [("partly", 300), ("more", 250), ("known", 100), ("brief", 50),
                      ("hidden", None)],
              f"channels/top by peak over days ({got})")

        status, _, csv = api.call("GET", f"/stats/channels/top?{hours}&sort=avg_viewers"
                                         "&limit=5&format=csv")
        lines = csv.strip().split("\r\n")
        header = lines[0].split(",")
        hidden = dict(zip(header, lines[-1].split(",")))
        check(status == 200 and hidden["username"] == "hidden" and
              hidden["avg_viewers"] == "" and hidden["peak_viewers"] == "",
              f"... as CSV, an unknown average and peak are empty fields ({lines[-1]})")

        # Rising: partly grew from 100 to 300 over hours (block B to C), from 100 to 150 over
        # days (A to B and C); brief's 20 known minutes in C are no trend.
        for window, want in ((hours, [("partly", 200), ("more", 25), ("known", 0)]),
                             (days, [("partly", 50), ("more", 12.5), ("known", 0),
                                     ("brief", 0)])):
            got, _ = ranking(api, f"/stats/channels/rising?{window}&min_avg_viewers=0&limit=10",
                             "growth_pct")
            check(got == want, f"channels/rising over {window.split('&')[1][:15]}...: growth of "
                               f"the averages over known counts ({got})")
    finally:
        check(api.stop() == 0, "SIGTERM: exit 0")


if __name__ == "__main__":
    run("api_stats_hidden", main)
