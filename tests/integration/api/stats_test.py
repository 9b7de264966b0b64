#!/usr/bin/env python3
"""/stats and /games/.../history against values this test computes itself from the raw
snapshots (its own SQL of the documented definitions), on a history seeded through the real
write path with rollups kept after each sweep (streamscope-seed-stats: channels going on and
off, five languages, game switches, growing and shrinking channels, a collector outage).

Usage: stats_test.py API SEED_STATS COLLECTOR   (needs TEST_DATABASE_URL)
"""
import datetime as dt
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
API, SEEDER, COLLECTOR = (os.path.abspath(a) for a in sys.argv[1:4])
sys.argv = [sys.argv[0], API, "unused", "unused"]  # what api_test reads at import
from api_test import Api  # noqa: E402
from api_process import api_role_url  # noqa: E402
from e2e import check, psql, run  # noqa: E402

# Every snapshot with the span it stands for (to the platform's next sweep, at most 30
# minutes; the newest sweep has none yet) and the game its broadcast had at the time.
FACTS = """
SET TIME ZONE 'UTC';
CREATE TEMP VIEW facts AS
WITH gaps AS (
  SELECT platform_id, started_at,
         floor(extract(epoch FROM lead(started_at) OVER (PARTITION BY platform_id
               ORDER BY started_at) - started_at) * 1000)::bigint AS gap
    FROM sweeps),
sp AS (SELECT platform_id, started_at, CASE WHEN gap > 1800000 THEN 1800000 ELSE gap END AS span
         FROM gaps)
SELECT s.collected_at, date_trunc('hour', s.collected_at) AS hour, st.channel_id,
       c.login, st.language, COALESCE(s.viewer_count, 0)::float8 AS v, sp.span::float8 AS span,
       COALESCE((SELECT g.platform_game_id FROM stream_states x JOIN games g ON g.id = x.game_id
                  WHERE x.stream_id = st.id AND x.since <= s.collected_at
                    AND s.collected_at < st.state_since ORDER BY x.since DESC LIMIT 1),
                (SELECT g.platform_game_id FROM games g WHERE g.id = st.game_id)) AS game
  FROM snapshots s JOIN streams st ON st.id = s.stream_id JOIN channels c ON c.id = st.channel_id
  JOIN sp ON sp.platform_id = st.platform_id AND sp.started_at = s.collected_at
 WHERE sp.span IS NOT NULL;
"""


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def query(db, sql):
    return [line.split("|") for line in psql(db, FACTS + sql).splitlines() if line]


def near(a, b, tolerance=0.011):
    return abs(float(a) - float(b)) <= tolerance * max(1.0, abs(float(b)) * 0.0001)


def same_ranking(got, want, tolerance=0.011):
    """The API's (key, value) rows against the test's own: the same keys in the same order,
    each value near."""
    return ([w[0] for w in want] == [x[0] for x in got] and
            all(near(x[1], w[1], tolerance) for x, w in zip(got, want)))


def most_followed(db, facts_filter):
    """The test's own channels/top by followers: the channels with a fact matching the filter,
    most followed first, as [login, followers]."""
    return [[login, int(n)] for login, n in query(db, f"""
        SELECT c.login, c.follower_count FROM channels c
         WHERE c.id IN (SELECT channel_id FROM facts WHERE {facts_filter})
         ORDER BY c.follower_count DESC NULLS LAST, c.id LIMIT 5""")]


def channel_ranking(db, facts_filter, sort, limit):
    """The test's own channels/top by `sort` (a channel streaming two broadcasts at once has
    their viewers in one sweep and streams once), ties by channel as the API breaks them, as
    (login, value)."""
    value = {"hours_watched": "sum(v * span) / 3.6e6", "hours_streamed": "sum(span) / 3.6e6",
             "avg_viewers": "sum(v * span) / sum(span)", "peak_viewers": "max(v)"}[sort]
    return query(db, f"""
        SELECT login, {value} FROM (SELECT login, channel_id, collected_at, span, sum(v) AS v
                                      FROM facts WHERE {facts_filter}
                                     GROUP BY login, channel_id, collected_at, span) s
         GROUP BY login, channel_id ORDER BY {value} DESC, channel_id LIMIT {limit}""")


def rising_ranking(db, now_filter, prev_filter, first_day, end_day, by, limit):
    """The test's own channels/rising: the channels with an hour streamed in both windows (and
    viewers in the previous one), by growth of their average viewers as (login, growth %), or
    by follower gain as [login, gain or 'null']: the last total before end_day minus the last
    before first_day (follower totals are not in the raw snapshots: read from
    channel_follower_days). Ties by channel, as the API breaks them."""
    def figures(facts_filter):
        return f"""SELECT login, channel_id, sum(v * span) / sum(span) a, sum(span) l
                     FROM (SELECT login, channel_id, collected_at, span, sum(v) AS v FROM facts
                            WHERE {facts_filter} GROUP BY 1, 2, 3, 4) s GROUP BY 1, 2"""
    qualified = f"""
        WITH n AS ({figures(now_filter)}), p AS ({figures(prev_filter)}),
             q AS (SELECT login, channel_id, (n.a - p.a) / p.a * 100 AS growth
                     FROM n JOIN p USING (login, channel_id)
                    WHERE n.l >= 3600000 AND p.l >= 3600000 AND p.a > 0)"""
    if by == "growth":
        return query(db, f"{qualified} SELECT login, growth FROM q "
                         f"ORDER BY growth DESC, channel_id LIMIT {limit}")
    total_before = ("(SELECT followers FROM channel_follower_days d WHERE d.channel_id = "
                    "q.channel_id AND d.day < '{}' ORDER BY d.day DESC LIMIT 1)")
    return query(db, f"""{qualified},
        g AS (SELECT login, channel_id, {total_before.format(end_day)} -
                     {total_before.format(first_day)} AS gain FROM q)
        SELECT login, COALESCE(gain::text, 'null') FROM g
         ORDER BY gain DESC NULLS LAST, channel_id LIMIT {limit}""")


def rising_answer(rows, by):
    """The API's channels/rising rows as rising_ranking() gives its own."""
    if by == "growth":
        return [(x["username"], x["growth_pct"]) for x in rows]
    return [[x["username"], "null" if x["follower_gain"] is None else str(x["follower_gain"])]
            for x in rows]


def check_rising(api, db, window, now_filter, prev_filter, first_day, end_day):
    """channels/rising over `window` (query parameters) against rising_ranking(): by growth,
    and by follower gain with limit 3 (answered by walking the channels that gained) and 40
    (more than gained: by ranking every qualifying channel)."""
    for by, limit in (("growth", 5), ("followers", 3), ("followers", 40)):
        status, r = get(api, f"/stats/channels/rising?{window}&min_avg_viewers=0"
                             f"&limit={limit}&sort={'avg_viewers' if by == 'growth' else by}")
        want = rising_ranking(db, now_filter, prev_filter, first_day, end_day, by, limit)
        got = rising_answer(r["data"], by)
        same = same_ranking(got, want, 0.06) if by == "growth" else got == want
        check(status == 200 and same and len(got) >= 3,
              f"channels/rising over {window} by {by}, limit {limit}: {got} vs {want}")


def get(api, path):
    status, _, body = api.call("GET", path)
    return status, json.loads(body)


def main(work, db):
    # 16 days: both windows of window=7d hold data.
    seeded = subprocess.run([SEEDER], env=dict(os.environ, DATABASE_URL=db, DAYS="16"),
                            check=True, capture_output=True, text=True,
                            timeout=600).stdout.splitlines()[-1]
    print("     seeded:", seeded, flush=True)
    newest = dt.datetime.fromisoformat(psql(db, "SET TIME ZONE 'UTC'; SELECT max(started_at) FROM sweeps")
                                       .splitlines()[-1][:19])
    # A 24-hour window on hour boundaries that ends after the newest sweep, and the one before.
    t1 = newest.replace(minute=0, second=0) + dt.timedelta(hours=1)
    t0 = t1 - dt.timedelta(hours=24)
    p0 = t0 - dt.timedelta(hours=24)
    win = f"from={iso(t0)}&to={iso(t1)}"
    in_win = f"collected_at >= '{iso(t0)}' AND collected_at < '{iso(t1)}'"
    in_prev = f"collected_at >= '{iso(p0)}' AND collected_at < '{iso(t0)}'"
    # Channel figures come with each hour's fold: the hours before the newest sweep's
    # (sql/functions/rollup_fold_pending.sql), so the window's channels are those of its folded
    # hours.
    newest_hour = "date_trunc('hour', (SELECT max(started_at) FROM sweeps))"
    in_win_folded = f"{in_win} AND hour < {newest_hour}"
    api = Api(work, api_role_url(COLLECTOR, db))
    try:
        # /stats/summary
        status, s = get(api, f"/stats/summary?{win}")
        [[watched, streamed, channels, covered]] = query(db, f"""
            SELECT sum(v * span), sum(span),
                   (SELECT count(DISTINCT channel_id) FROM facts WHERE {in_win_folded}),
                   (SELECT sum(span) FROM (SELECT DISTINCT collected_at, span FROM facts
                                            WHERE {in_win}) x)
              FROM facts WHERE {in_win}""")
        [[peak]] = query(db, f"SELECT max(t) FROM (SELECT sum(v) t FROM facts WHERE {in_win} "
                             "GROUP BY collected_at) x")
        d = s["data"]
        check(status == 200 and near(d["hours_watched"], float(watched) / 3.6e6) and
              near(d["hours_streamed"], float(streamed) / 3.6e6) and
              d["channels_live"] == int(channels) and d["peak_viewers"] == int(float(peak)) and
              near(d["avg_viewers"], float(watched) / float(covered), 0.06),
              f"summary: {d} vs watched {float(watched) / 3.6e6:.2f} h, "
              f"streamed {float(streamed) / 3.6e6:.2f} h, {channels} channels, peak {peak}")

        # /stats/games/top: the ranking and the hours
        status, g = get(api, f"/stats/games/top?{win}&limit=5")
        want = query(db, f"SELECT game, sum(v * span) / 3.6e6 FROM facts WHERE {in_win} "
                         "AND game IS NOT NULL GROUP BY game ORDER BY 2 DESC LIMIT 5")
        got = [(x["game_id"], x["hours_watched"]) for x in g["data"]]
        check(status == 200 and same_ranking(got, want),
              f"games/top: {got} vs {[(w[0], round(float(w[1]), 2)) for w in want]}")

        # /stats/channels/top by average viewers (hours watched / hours streamed)
        status, c = get(api, f"/stats/channels/top?{win}&limit=5&sort=avg_viewers")
        want = query(db, f"SELECT login, sum(v * span) / sum(span) FROM facts "
                         f"WHERE {in_win_folded} "
                         "GROUP BY login ORDER BY 2 DESC LIMIT 5")
        got = [(x["username"], x["avg_viewers"]) for x in c["data"]]
        check(status == 200 and same_ranking(got, want, 0.06),
              f"channels/top by avg_viewers: {got} vs {want}")
        status, c = get(api, f"/stats/channels/top?{win}&limit=50&game=game-3&language=pt")
        want = query(db, f"SELECT login, sum(v * span) / 3.6e6 FROM facts "
                         f"WHERE {in_win_folded} AND game = 'game-3' AND language = 'pt' "
                         "GROUP BY login ORDER BY 2 DESC")
        got = [(x["username"], x["hours_watched"]) for x in c["data"]]
        check(status == 200 and same_ranking(got, want),
              f"channels/top narrowed to a game and a language: {got} vs {want}")

        # /stats/channels/top by followers: the channels live in the window, most followed
        # first (walked in follower order, sql/migrations/0008), also narrowed to a language
        for extra, narrow in [("", ""), ("&language=pt", "AND language = 'pt'")]:
            status, c = get(api, f"/stats/channels/top?{win}&limit=5&sort=followers{extra}")
            want = most_followed(db, f"{in_win_folded} {narrow}")
            got = [[x["username"], x["followers"]] for x in c["data"]]
            # Five of the 40 channels are live in any 24 hours; of the eight that speak pt,
            # how many depends on the hour the test runs (one, just after midnight UTC).
            enough = len(got) == 5 if not extra else len(got) >= 1
            check(status == 200 and got == want and enough,
                  f"channels/top by followers{extra}: {got} vs {want}")

        # /stats/languages and /stats/platforms
        status, l = get(api, f"/stats/languages?{win}")
        want = dict(query(db, f"SELECT language, sum(v * span) / 3.6e6 FROM facts "
                              f"WHERE {in_win} GROUP BY language"))
        got = {x["language"]: x["hours_watched"] for x in l["data"]}
        check(status == 200 and got.keys() == want.keys() and
              all(near(got[k], want[k]) for k in want) and
              near(sum(x["share_pct"] for x in l["data"]), 100, 0.2),
              f"languages: {got} vs {want}")
        status, p = get(api, f"/stats/platforms?{win}")
        check(status == 200 and len(p["data"]) == 1 and p["data"][0]["platform"] == "twitch" and
              near(p["data"][0]["hours_watched"], float(watched) / 3.6e6),
              f"platforms: {p['data']}")

        # /stats/heatmap: every cell's average concurrent viewers
        status, h = get(api, f"/stats/heatmap?{win}&tz=UTC")
        want = {(int(a), int(b)): float(x) for a, b, x in query(db, f"""
            SELECT extract(isodow FROM hour), extract(hour FROM hour), sum(w) / sum(c)
              FROM (SELECT collected_at, hour, sum(v * span) AS w, max(span) AS c FROM facts
                     WHERE {in_win} GROUP BY collected_at, hour) x GROUP BY 1, 2""")}
        got = {(x["weekday"], x["hour"]): x["avg_viewers"] for x in h["data"]}
        check(status == 200 and got.keys() == want.keys() and
              all(near(got[k], want[k], 0.06) for k in want),
              f"heatmap: {len(got)} cells ({sorted(got.items())[:2]} vs {sorted(want.items())[:2]})")
        # A channel's cells: its folded hours only (not zero for the hour still open). The
        # channel most watched in them (which channels stream today depends on the day).
        [[login]] = query(db, f"SELECT login FROM facts WHERE {in_win_folded} "
                              "GROUP BY login ORDER BY sum(v * span) DESC LIMIT 1")
        status, hc = get(api, f"/stats/heatmap?{win}&tz=UTC&channel={login}")
        want = {(int(a), int(b)): float(x) for a, b, x in query(db, f"""
            SELECT extract(isodow FROM hour), extract(hour FROM hour), sum(w) / sum(c)
              FROM (SELECT collected_at, hour,
                           sum(CASE WHEN login = '{login}' THEN v * span ELSE 0 END) AS w,
                           max(span) AS c FROM facts
                     WHERE {in_win_folded} GROUP BY collected_at, hour) x GROUP BY 1, 2""")}
        got = {(x["weekday"], x["hour"]): x["avg_viewers"] for x in hc["data"]}
        check(status == 200 and got.keys() == want.keys() and any(want.values()) and
              all(near(got[k], want[k], 0.06) for k in want),
              f"heatmap of {login}: {len(got)} cells vs {len(want)}")
        status, berlin = get(api, f"/stats/heatmap?{win}&tz=Europe/Berlin")
        check(status == 200 and {x["avg_viewers"] for x in berlin["data"]} ==
              {x["avg_viewers"] for x in h["data"]} and
              {(x["weekday"], x["hour"]) for x in berlin["data"]} != set(got),
              "heatmap: tz moves the cells, not the values")

        # /games/{platform}/{id}/history, hourly
        status, gh = get(api, f"/games/twitch/game-3/history?{win}")
        want = query(db, f"SELECT to_char(hour, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                         f"sum(v * span) / 3.6e6 FROM facts WHERE {in_win} AND game = 'game-3' "
                         "GROUP BY hour ORDER BY hour")
        got = [(x["time"], x["hours_watched"]) for x in gh["data"]]
        check(status == 200 and same_ranking(got, want) and gh["meta"]["game_name"] == "Game 3",
              f"game history: {got[:3]} vs {want[:3]}")

        # Trending games and rising channels: growth against the previous 24 hours
        status, t = get(api, f"/stats/games/trending?{win}&min_avg_viewers=0&limit=3")
        want = query(db, f"""
            WITH now_g AS (SELECT game, sum(v * span) w FROM facts WHERE {in_win} GROUP BY game),
                 prev_g AS (SELECT game, sum(v * span) w FROM facts WHERE {in_prev} GROUP BY game),
                 cov AS (SELECT (SELECT sum(span) FROM (SELECT DISTINCT collected_at, span
                                  FROM facts WHERE {in_win}) a) n,
                                (SELECT sum(span) FROM (SELECT DISTINCT collected_at, span
                                  FROM facts WHERE {in_prev}) b) p)
            SELECT n.game, ((n.w / cov.n) - (p.w / cov.p)) / (p.w / cov.p) * 100
              FROM now_g n JOIN prev_g p USING (game), cov
             WHERE n.game IS NOT NULL ORDER BY 2 DESC LIMIT 3""")
        got = [(x["game_id"], x["growth_pct"]) for x in t["data"]]
        check(status == 200 and same_ranking(got, want, 0.06),
              f"games/trending: {got} vs {want}")
        check_rising(api, db, win, in_win_folded, in_prev, t0.date(), t1.date())

        # A 7-day window reads the day rollups: whole UTC days, hours already folded.
        d1 = (t1 - dt.timedelta(hours=1)).replace(hour=0) + dt.timedelta(days=1)
        d0 = d1 - dt.timedelta(days=7)
        status, c7 = get(api, f"/stats/channels/top?from={iso(d0)}&to={iso(d1)}&limit=5")
        want = query(db, f"SELECT login, sum(v * span) / 3.6e6 FROM facts "
                         f"WHERE collected_at >= '{iso(d0)}' AND hour < {newest_hour} "
                         f"AND collected_at < '{iso(d1)}' "
                         "GROUP BY login ORDER BY 2 DESC LIMIT 5")
        got = [(x["username"], x["hours_watched"]) for x in c7["data"]]
        check(status == 200 and c7["meta"]["resolution"] == "1d" and same_ranking(got, want),
              f"channels/top over days: {got} vs {want}")
        status, f7 = get(api, f"/stats/channels/top?from={iso(d0)}&to={iso(d1)}&limit=5"
                              "&sort=followers")
        want = most_followed(db, f"collected_at >= '{iso(d0)}' AND collected_at < '{iso(d1)}' "
                                 f"AND hour < {newest_hour}")
        got = [[x["username"], x["followers"]] for x in f7["data"]]
        check(status == 200 and got == want and len(got) == 5,
              f"channels/top by followers over days: {got} vs {want}")

        # By hours streamed over the same days (no leaderboard holds them: ranked from the
        # channels with a day long enough to reach the top), and over window=7d, whose
        # leaderboards the seeder's fold ranked for today (again here, should the seeding
        # have crossed midnight), by hours streamed and watched.
        folded = f"AND hour < {newest_hour}"
        status, s7 = get(api, f"/stats/channels/top?from={iso(d0)}&to={iso(d1)}&limit=10"
                              "&sort=hours_streamed")
        want = channel_ranking(db, f"collected_at >= '{iso(d0)}' AND collected_at < '{iso(d1)}' "
                                   f"{folded}", "hours_streamed", 10)
        got = [(x["username"], x["hours_streamed"]) for x in s7["data"]]
        check(status == 200 and same_ranking(got, want) and len(got) == 10,
              f"channels/top by hours streamed over days: {got} vs {want}")
        query(db, "SELECT rollup_refresh_leaderboards(current_date)")
        [[boards]] = query(db, "SELECT count(*) FROM rollup_channel_leaderboards l "
                               "JOIN rollup_day_version v ON v.version = l.version "
                               "WHERE l.to_day = current_date + 1")
        check(int(boards) > 0, "today's leaderboards are ranked")
        # Peaks and averages over the same days: ranked from the channels that lead some day.
        for sort in ("avg_viewers", "peak_viewers"):
            status, ld = get(api, f"/stats/channels/top?from={iso(d0)}&to={iso(d1)}&limit=10"
                                  f"&sort={sort}")
            want = channel_ranking(db, f"collected_at >= '{iso(d0)}' "
                                       f"AND collected_at < '{iso(d1)}' {folded}", sort, 10)
            got = [(x["username"], x[sort]) for x in ld["data"]]
            check(status == 200 and same_ranking(got, want, 0.06) and len(got) == 10,
                  f"channels/top by {sort} over days: {got} vs {want}")
        for sort in ("hours_streamed", "hours_watched"):
            status, lb = get(api, f"/stats/channels/top?window=7d&limit=10&sort={sort}")
            first = lb["meta"]["from"][:10]
            end = dt.date.fromisoformat(lb["meta"]["to"][:10]) + dt.timedelta(days=1)
            want = channel_ranking(db, f"collected_at >= '{first}' AND collected_at < '{end}' "
                                       f"{folded}", sort, 10)
            got = [(x["username"], x[sort]) for x in lb["data"]]
            check(status == 200 and same_ranking(got, want) and len(got) == 10,
                  f"channels/top by {sort} over window=7d: {got} vs {want}")

        # Rising channels over days (from the days' running totals at the windows' edges):
        # over the same custom days, and over window=7d (the seven days before today, and
        # today).
        week = dt.timedelta(days=7)
        check_rising(api, db, f"from={iso(d0)}&to={iso(d1)}",
                     f"collected_at >= '{iso(d0)}' AND collected_at < '{iso(d1)}' {folded}",
                     f"collected_at >= '{iso(d0 - week)}' AND collected_at < '{iso(d0)}'",
                     d0.date(), d1.date())
        _, r7 = get(api, "/stats/channels/rising?window=7d&limit=1")
        first = dt.date.fromisoformat(r7["meta"]["from"][:10])
        end = dt.date.fromisoformat(r7["meta"]["to"][:10]) + dt.timedelta(days=1)
        before = first - (end - first)
        check_rising(api, db, "window=7d",
                     f"collected_at >= '{first}' AND collected_at < '{end}' {folded}",
                     f"collected_at >= '{before}' AND collected_at < '{first}'", first, end)

        # Validation, 404 and CSV in the API's shapes
        status, body = get(api, "/stats/games/top?sort=viewers")
        check(status == 400 and body["error"]["parameter"] == "sort", "a bad sort is a 400")
        status, body = get(api, "/stats/heatmap?tz=Mars/Olympus")
        check(status == 400 and body["error"]["parameter"] == "tz", "an unknown tz is a 400")
        status, body = get(api, "/stats/heatmap?game=1&channel=x")
        check(status == 400 and body["error"]["parameter"] == "channel", "game and channel: 400")
        status, body = get(api, "/games/twitch/no-such-game/history")
        check(status == 404 and body["error"]["code"] == "not_found", "an unknown game is a 404")
        status, headers, text = api.call("GET", f"/stats/games/top?{win}&format=csv&limit=2")
        lines = text.splitlines()
        check(status == 200 and headers.get("Content-Type", "").startswith("text/csv") and
              lines[0].startswith("platform,game_id,game_name,hours_watched") and len(lines) == 3
              and "E" not in lines[1].split(",", 3)[3], f"CSV, plain numbers ({lines[:2]})")
        check(api.stop() == 0, "SIGTERM: exit 0")
    finally:
        if api.proc.poll() is None:
            api.proc.kill()


if __name__ == "__main__":
    run("stats", lambda work, db: main(work, db.url))
