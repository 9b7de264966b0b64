#!/usr/bin/env python3
"""streamscope-api as its users call it: the real binary over a real socket, on a database
seeded by the real collector from the mock Helix (so the expected answers come from the
mock's world, not from the code under test).

Usage: api_test.py API COLLECTOR MOCK   (needs TEST_DATABASE_URL)
"""
import concurrent.futures
import csv
import gzip
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "collector"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
API, COLLECTOR, MOCK = sys.argv[1], sys.argv[2], sys.argv[3]
sys.argv = [sys.argv[0], COLLECTOR, MOCK, "api"]  # what collector_test reads at import
from collector_test import Mock, collect  # noqa: E402
from e2e import check, free_port, run  # noqa: E402
from api_process import ApiProcess, api_role_url  # noqa: E402


def Api(work, database_url, **settings):  # noqa: N802 (the class of api_process, for this binary)
    return ApiProcess(API, work, database_url, **settings)


def error_shape(body, status, code, parameter=None):
    e = json.loads(body).get("error", {})
    ok = e.get("status") == status and e.get("code") == code and e.get("message")
    return bool(ok) and (parameter is None or e.get("parameter") == parameter)


def main(work, db):
    mock = Mock(work, "--streams", "400", "--rate-limit-per-minute", "0", "--seed", "5")
    try:
        for _ in range(3):  # three sweeps: a history to look at
            code, _ = collect(db, mock)
            check(code == 0, "the collector seeded the database")
        world = sorted(mock.world()["live"], key=lambda s: -s["viewer_count"])
    finally:
        mock.stop()

    # The API connects as in every deployment: as the role that reads, and writes only api_keys.
    api_url = api_role_url(COLLECTOR, db.url)
    api = Api(work, api_url)
    try:
        status, _, health = api.get_json("/health")
        check(status == 200 and health["status"] == "ok" and health["database"] == "up",
              f"/health is 200 ok ({status} {health})")
        check(health["schema_version"] >= 1, "/health names the schema version")
        check("twitch" in health["last_complete_sweep_age_s"], "/health: the sweep's age")
        users = db.query("SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity "
                         f"WHERE datname = '{db.name}' AND application_name = 'streamscope-api'")
        check(users == "streamscope_api", f"the API connects as streamscope_api ({users})")

        status, headers, top = api.get_json("/live/top?limit=10")
        check(status == 200, f"/live/top answers 200 ({status})")
        counts = [s["viewer_count"] for s in top["data"]]
        check(counts == [s["viewer_count"] for s in world[:10]],
              f"/live/top has the world's ten largest, in order ({counts})")
        first = top["data"][0]
        expected = next(s for s in world if s["id"] and s["user_login"] == first["username"])
        check(first["title"] == expected["title"] and first["display_name"] == expected["user_name"],
              "titles and names byte-exact")
        check(first["stream_url"] == "https://www.twitch.tv/" + first["username"], "stream_url")
        check(all(k in first for k in ["platform", "channel_id", "username", "display_name",
                                       "title", "game_id", "game_name", "viewer_count",
                                       "language", "started_at", "collected_at",
                                       "thumbnail_url", "stream_url"]),
              "items carry the original design's fields")
        check(top["meta"]["sweeps"][0]["status"] == "complete" and
              top["meta"]["sweeps"][0]["streams"] == 400, "meta names the sweep")
        check(headers.get("Content-Type", "").startswith("application/json"), "JSON")

        language = world[0]["language"]
        _, _, by_lang = api.get_json(f"/live/top?limit=500&language={language}")
        want = sum(1 for s in world if s["language"] == language)
        check(len(by_lang["data"]) == want and all(s["language"] == language
                                                   for s in by_lang["data"]),
              f"language filter: {len(by_lang['data'])} of {want}")
        game = next(s["game_id"] for s in world if s["game_id"])
        _, _, by_game = api.get_json(f"/live/top?limit=500&game={game}")
        want = sum(1 for s in world if s["game_id"] == game)
        check(len(by_game["data"]) == want, f"game filter: {len(by_game['data'])} of {want}")
        _, _, kick = api.get_json("/live/top?platform=kick")
        check(kick["data"] == [], "no Kick data yet: an empty list, not an error")

        # /live/streams: every page, in order, no duplicates, no gaps.
        seen, cursor, pages = [], None, 0
        while True:
            path = "/live/streams?limit=37" + (f"&cursor={cursor}" if cursor else "")
            status, _, page = api.get_json(path)
            if status != 200:
                check(False, f"/live/streams page {pages + 1}: {status}")
                break
            seen += page["data"]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor or pages > 20:
                break
        ids = [(s["username"], s["viewer_count"]) for s in seen]
        check(len(ids) == 400 and len(set(ids)) == 400,
              f"/live/streams pages through all 400 streams once ({len(ids)} in {pages} pages)")
        check([s["viewer_count"] for s in seen] == [s["viewer_count"] for s in world],
              "... most viewers first")
        status, _, big = api.get_json("/live/streams?min_viewers=100")
        want = sum(1 for s in world if s["viewer_count"] >= 100)
        check(len(big["data"]) == want, f"min_viewers: {len(big['data'])} of {want}")
        word = next(s["title"] for s in world if len(s["title"]) > 8 and s["title"].isascii())[2:7]
        _, _, found = api.get_json("/live/streams?limit=500&q=" + urllib.parse.quote(word))
        want = sum(1 for s in world if word.lower() in s["title"].lower())
        check(len(found["data"]) == want, f"q={word!r}: {len(found['data'])} of {want}")
        status, _, body = api.call("GET", "/live/streams?cursor=zz")
        check(status == 400 and error_shape(body, 400, "invalid_parameter", "cursor"),
              "a forged cursor is a 400")

        # /live/summary: the world's own totals.
        _, _, summary = api.get_json("/live/summary")
        totals = summary["data"]
        check(totals["live_channels"] == 400 and
              totals["viewers"] == sum(s["viewer_count"] for s in world),
              f"/live/summary totals ({totals['live_channels']}, {totals['viewers']})")
        by_language = {}
        for s in world:
            by_language[s["language"]] = by_language.get(s["language"], 0) + s["viewer_count"]
        top_language = max(by_language.items(), key=lambda kv: (kv[1], kv[0]))
        check(totals["languages"][0]["language"] == top_language[0] and
              totals["languages"][0]["viewers"] == top_language[1], "top language by viewers")

        # /search: an exact login first; a prefix finds it too.
        login = world[0]["user_login"]
        _, _, found = api.get_json("/search/channels?q=" + urllib.parse.quote(login))
        check(found["data"] and found["data"][0]["username"] == login and found["data"][0]["live"],
              f"/search/channels: the exact login first, live ({found['data'][:1]})")
        _, _, found = api.get_json("/search/channels?q=" + urllib.parse.quote(login[:4]))
        check(any(c["username"] == login for c in found["data"]) and
              all(c["username"].lower().startswith(login[:4].lower()) for c in found["data"][:1]),
              "/search/channels: by prefix")
        status, _, body = api.call("GET", "/search/channels")
        check(status == 400 and error_shape(body, 400, "invalid_parameter", "q"), "q is required")
        _, _, everything = api.get_json("/live/top?limit=500")
        game_name = next(s["game_name"] for s in everything["data"] if s["game_name"])
        _, _, found = api.get_json("/search/games?q=" + urllib.parse.quote(game_name))
        check(found["data"] and found["data"][0]["name"] == game_name, "/search/games: exact name first")

        _, headers, doc = api.get_json("/openapi.json")
        check(doc["openapi"] == "3.1.0" and "/live/streams" in doc["paths"], "/openapi.json")
        status, headers, page = api.call("GET", "/docs")
        check(status == 200 and headers.get("Content-Type", "").startswith("text/html") and
              "openapi.json" in page and "http" not in page.split("<script>")[1].split("fetch(")[0],
              "/docs is a page that reads /openapi.json from the same host")

        # /channels: the numbers, computed here from the sweeps' own times.
        star = world[0]
        times = [float(t) for t in db.query(
            "SELECT extract(epoch FROM started_at) FROM sweeps ORDER BY started_at").split()]
        span = times[-1] - times[0]
        vc = star["viewer_count"]
        status, _, channel = api.get_json(f"/channels/twitch/{star['user_login']}")
        check(status == 200, f"/channels answers 200 ({status})")
        ch = channel["data"]
        check(ch["live"] and ch["current_stream"]["viewer_count"] == vc and
              ch["current_stream"]["title"] == star["title"], "the current stream")
        check(ch["last_seen_at"] == ch["current_stream"]["collected_at"] and
              ch["last_seen_at"] > ch["first_seen_at"],
              f"a live channel was last seen in the newest sweep ({ch['last_seen_at']})")
        sm = ch["summary"]
        check(sm["snapshots"] == 3 and sm["broadcasts"] == 1 and sm["peak_viewers"] == vc and
              sm["avg_viewers"] == vc, f"summary counts ({sm})")
        check(abs(sm["hours_streamed"] - span / 3600) < 0.011 and
              abs(sm["hours_watched"] - vc * span / 3600) < 0.011 + vc * 1e-5,
              f"hours streamed and watched ({sm['hours_streamed']}, {sm['hours_watched']} for "
              f"{span:.1f} s at {vc})")
        status, _, _ = api.get_json(f"/channels/twitch/{star['user_login'].upper()}")
        check(status == 200, "a login typed in capitals is found")
        status, _, body = api.call("GET", "/channels/twitch/nobody_has_this_login")
        check(status == 404 and error_shape(body, 404, "not_found"), "an unknown channel is 404")
        status, _, body = api.call("GET", "/channels/myspace/x")
        check(status == 400 and error_shape(body, 400, "invalid_parameter", "platform"),
              "an unknown platform is 400")
        _, _, history = api.get_json(f"/channels/twitch/{star['user_login']}/history?window=1h")
        check([p["viewers"] for p in history["data"]] == [vc, vc, vc], "raw history: 3 points")
        check(len(history["changes"]) == 1 and history["changes"][0]["title"] == star["title"],
              f"history marks the broadcast's state ({history['changes']})")
        _, _, hourly = api.get_json(f"/channels/twitch/{star['user_login']}/history"
                                    "?window=24h&resolution=1h")
        check(sum(p["snapshots"] for p in hourly["data"]) == 3 and
              all(p["peak_viewers"] == vc for p in hourly["data"]), "hourly buckets")
        for bad, param in [("window=2d", "window"), ("window=1h&from=2026-01-01T00:00:00Z", "window"),
                           ("window=30d&resolution=raw", "resolution"),
                           ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
                           ("from=yesterday", "from")]:
            status, _, body = api.call(
                "GET", f"/channels/twitch/{star['user_login']}/history?{bad}")
            check(status == 400 and error_shape(body, 400, "invalid_parameter", param),
                  f"history?{bad} is a 400 naming {param}")
        _, _, broadcasts = api.get_json(f"/channels/twitch/{star['user_login']}/streams")
        b = broadcasts["data"][0]
        check(len(broadcasts["data"]) == 1 and b["live"] and b["snapshots"] == 3 and
              b["peak_viewers"] == vc and b["title"] == star["title"],
              f"/streams: the broadcast ({b})")
        check(not star["game_id"] or any(g["game_id"] == star["game_id"] for g in b["games"]),
              "/streams: the games played")

        # format=csv: RFC 4180 that Python's csv module reads back, titles intact (a title that
        # a spreadsheet would run comes back with a leading apostrophe).
        status, headers, text = api.call("GET", "/live/top?limit=500&format=csv")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        check(status == 200 and headers.get("Content-Type", "").startswith("text/csv") and
              'filename="live-top.csv"' in headers.get("Content-Disposition", ""),
              f"CSV with a download name ({status} {headers.get('Content-Disposition')})")
        check(rows[0][:4] == ["platform", "channel_id", "username", "display_name"] and
              len(rows) == 401, f"a header row and one row per stream ({len(rows)})")
        by_login = {s["user_login"]: s for s in world}
        title_at = rows[0].index("title")
        wrong = [r[2] for r in rows[1:]
                 if r[title_at] != by_login[r[2]]["title"] and
                 r[title_at] != "'" + by_login[r[2]]["title"]]
        neutralised = [r[title_at] for r in rows[1:] if r[title_at][:2] in ("'=", "'+", "'-", "'@")]
        check(not wrong, f"every title survives the round trip ({wrong[:3]})")
        check(all(by_login[r[2]]["title"][:1] in "=+-@\t\r" for r in rows[1:]
                  if r[title_at].startswith("'") and r[title_at][1:] == by_login[r[2]]["title"]),
              f"only formula-like titles are neutralised ({len(neutralised)} of them)")
        status, headers, _ = api.call("GET", f"/channels/twitch/{star['user_login']}/streams?format=csv")
        check(status == 200 and headers.get("Content-Type", "").startswith("text/csv"),
              "channel broadcasts as CSV")
        status, _, body = api.call("GET", "/live/top?format=xml")
        check(status == 400 and error_shape(body, 400, "invalid_parameter", "format"),
              "an unknown format is a 400")

        # The answer cache: an ETag, 304 for a matching If-None-Match, hits counted, and a new
        # sweep invalidates.
        _, h1, b1 = api.call("GET", "/live/top?limit=5")
        _, h2, b2 = api.call("GET", "/live/top?limit=5")
        etag = h1.get("ETag")
        check(etag and h2.get("ETag") == etag and b1 == b2, f"a stable ETag ({etag})")
        status, h3, b3 = api.call("GET", "/live/top?limit=5", {"If-None-Match": etag})
        check(status == 304 and b3 == "", f"If-None-Match: 304 without a body ({status})")
        mock = Mock(work, "--streams", "400", "--rate-limit-per-minute", "0", "--seed", "5")
        try:
            code, _ = collect(db, mock)
            check(code == 0, "a fourth sweep")
        finally:
            mock.stop()
        time.sleep(1.2)  # the cache looks for a new sweep at most once a second
        status, h4, b4 = api.call("GET", "/live/top?limit=5", {"If-None-Match": etag})
        check(status == 200 and h4.get("ETag") != etag and
              json.loads(b4)["meta"]["sweeps"][0]["sweep_id"] != json.loads(b1)["meta"]["sweeps"][0]["sweep_id"],
              f"a new sweep: a new answer and a new ETag ({status}, {h4.get('ETag')} vs {etag})")

        check_gzip(api)
        check_export(api, db, by_login)
        check_hostile_input(api)

        status, _, body = api.call("GET", "/live/top?limit=0")
        check(status == 400 and error_shape(body, 400, "invalid_parameter", "limit"),
              f"limit=0 is a 400 naming the parameter ({body})")
        status, _, body = api.call("GET", "/live/top?sort=viewers")
        check(status == 400 and error_shape(body, 400, "invalid_parameter", "sort"),
              f"an unknown parameter is a 400 ({body})")
        status, _, body = api.call("GET", "/live/top?language=English")
        check(status == 400 and error_shape(body, 400, "invalid_parameter", "language"),
              "a bad language is a 400")
        status, _, body = api.call("GET", "/no/such/route")
        check(status == 404 and error_shape(body, 404, "not_found"), f"404 shape ({body})")
        status, headers, body = api.call("POST", "/live/top")
        check(status == 405 and error_shape(body, 405, "method_not_allowed") and
              "GET" in headers.get("Allow", ""), f"405 with Allow ({status} {headers})")
        status, headers, _ = api.call("OPTIONS", "/live/top", {
            "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
        check(status == 204 and "Access-Control-Allow-Origin" not in headers,
              f"CORS is off unless CORS_ALLOWED_ORIGINS says otherwise ({status} {headers})")

        rc = subprocess.run([API, "healthcheck"], env=api.env, capture_output=True,
                            timeout=20).returncode
        check(rc == 0, "healthcheck exits 0 while the API is healthy")
        status, headers, metrics = api.call("GET", "/metrics")
        check(status == 200 and headers.get("Content-Type", "").startswith("text/plain"),
              "/metrics is Prometheus text")
        samples = {}
        for line in metrics.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                samples[name] = float(value)
        check(samples.get('streamscope_api_requests_total{route="/live/top",code="200"}', 0) >= 5,
              "/metrics counts requests by route and status")
        check(samples.get('streamscope_api_requests_total{route="/live/top",code="400"}', 0) >= 1,
              "... errors too")
        check(samples.get('streamscope_api_request_duration_seconds_count{route="/live/top"}', 0)
              == samples.get('streamscope_api_request_duration_seconds_bucket'
                             '{route="/live/top",le="+Inf"}', -1), "the histogram adds up")
        check(samples.get("streamscope_api_db_pool_connections") == 2, "pool size")
        check(samples.get("streamscope_api_cache_hits_total", 0) >= 2, "cache hits counted")

        # Single flight: 32 clients asking for a new answer at once cause one render.
        def misses():
            _, _, text = api.call("GET", "/metrics")
            line = next(l for l in text.splitlines()
                        if l.startswith("streamscope_api_cache_misses_total "))
            return float(line.split()[1])
        before = misses()
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            answers = list(pool.map(lambda _: api.call("GET", "/live/summary?platform=twitch"),
                                    range(32)))
        rendered = misses() - before
        check(all(a[0] == 200 for a in answers) and len({a[2] for a in answers}) == 1,
              "32 concurrent clients get the same answer")
        check(rendered <= 2, f"... rendered once, not 32 times ({rendered:.0f} renders)")
        check(api.stop() == 0, "SIGTERM: exit 0")
    finally:
        if api.proc.poll() is None:
            api.proc.kill()

    check_cors_list(work, api_url)
    check_cache_bounds(work, api_url)
    check_pool_queue(work, db, api_url)

    # The database unreachable: /health says so at once, it does not hang.
    down = Api(work, "postgresql://postgres@127.0.0.1:1/nowhere")
    try:
        started = time.time()
        status, _, health = down.get_json("/health")
        took = time.time() - started
        check(status == 503 and health["database"] == "down",
              f"/health is 503 with the database down ({status})")
        check(took < 5, f"quickly ({took:.1f} s)")
        rc = subprocess.run([API, "healthcheck"], env=down.env, capture_output=True,
                            timeout=20).returncode
        check(rc == 1, "healthcheck exits 1 when the database is down")
        for path in ["/live/top", "/live/streams?limit=5", "/search/channels?q=user",
                     "/channels/twitch/someone", "/export/snapshots?window=1h"]:
            started = time.time()
            status, _, body = down.call("GET", path)
            took = time.time() - started
            check(status == 503 and error_shape(body, 503, "database_unavailable") and took < 5,
                  f"{path} with the database down: 503 in the error shape, in {took:.1f} s")
    finally:
        down.stop()


def check_gzip(api):
    """Large answers gzipped for clients that accept it, each representation with its ETag."""
    _, plain_headers, plain = api.call("GET", "/live/top?limit=500", raw=True)
    status, headers, packed = api.call("GET", "/live/top?limit=500", {"Accept-Encoding": "gzip"},
                                       raw=True)
    check(status == 200 and headers.get("Content-Encoding") == "gzip" and
          gzip.decompress(packed) == plain and len(packed) < len(plain) / 2,
          f"gzip when accepted ({len(plain)} B -> {len(packed)} B)")
    check("Accept-Encoding" in headers.get("Vary", "") and
          headers.get("ETag") != plain_headers.get("ETag"),
          f"Vary: Accept-Encoding, an ETag per encoding ({headers.get('Vary')})")
    status, _, body = api.call("GET", "/live/top?limit=500",
                               {"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]})
    check(status == 304 and body == "", "the gzip ETag gives 304 too")
    _, headers, body = api.call("GET", "/live/top?limit=1", {"Accept-Encoding": "gzip"})
    check("Content-Encoding" not in headers and json.loads(body)["data"],
          "a small answer is not compressed")


def check_export(api, db, by_login):
    """/export/snapshots against the database's own rows: all of them, once each, in order."""
    expected = db.query("""
        SELECT regexp_replace(to_char(s.collected_at AT TIME ZONE 'UTC',
                                      'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '[.]000000Z$', 'Z')
               || '|' || c.login || '|' || COALESCE(s.viewer_count::text, '')
          FROM snapshots s JOIN streams st ON st.id = s.stream_id
          JOIN channels c ON c.id = st.channel_id""").splitlines()
    status, headers, text = api.call("GET", "/export/snapshots?window=1h")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    check(status == 200 and headers.get("Transfer-Encoding") == "chunked" and
          headers.get("Content-Type", "").startswith("text/csv") and
          'filename="snapshots.csv"' in headers.get("Content-Disposition", ""),
          f"export: streamed CSV with a download name ({status} {headers})")
    header = rows[0]
    check(header == ["collected_at", "platform", "channel_id", "username", "display_name",
                     "stream_id", "started_at", "viewer_count", "game_id", "game_name", "title",
                     "language"], f"export: the header row ({header})")
    got = [f"{r[0]}|{r[3]}|{r[7]}" for r in rows[1:]]
    check(len(got) == len(expected) and sorted(got) == sorted(expected),
          f"export: every snapshot once ({len(got)} rows, {len(expected)} in the database)")
    check([r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:]), "export: oldest first")
    newest = max(r[0] for r in rows[1:])
    wrong = [r[3] for r in rows[1:] if r[0] == newest and
             r[10] not in (by_login[r[3]]["title"], "'" + by_login[r[3]]["title"])]
    check(not wrong, f"export: titles of the last sweep intact ({wrong[:3]})")

    login = rows[1][3]
    status, _, text = api.call("GET", f"/export/snapshots?window=24h&channel={login}")
    mine = list(csv.reader(io.StringIO(text, newline="")))[1:]
    check(status == 200 and len(mine) == sum(1 for e in expected if e.split("|")[1] == login) and
          all(r[3] == login for r in mine), f"export: one channel's rows ({len(mine)})")
    status, headers, packed = api.call("GET", "/export/snapshots?window=1h",
                                       {"Accept-Encoding": "gzip"}, raw=True)
    check(status == 200 and headers.get("Content-Encoding") == "gzip" and
          gzip.decompress(packed).decode() == text_of(api, "/export/snapshots?window=1h"),
          "export: gzipped when accepted, the same CSV")
    status, _, body = api.call("GET", "/export/snapshots?channel=nobody-at-all")
    check(status == 404 and error_shape(body, 404, "not_found", "channel"),
          "export: an unknown channel is a 404")
    status, _, body = api.call("GET", "/export/snapshots?from=2026-11-02T00:00:00Z"
                                      "&to=2026-11-01T00:00:00Z")
    check(status == 400 and error_shape(body, 400, "invalid_parameter", "to"),
          "export: to before from is a 400")
    status, _, body = api.call("GET", "/export/snapshots?format=json")
    check(status == 400 and error_shape(body, 400, "invalid_parameter", "format"),
          "export: CSV only")


def check_hostile_input(api):
    """What a hostile client sends, tried on every kind of parameter: each a 400 in the one
    error shape naming what is wrong, none a 500 (all of these were 500s once)."""
    def cursor(text):
        return text.encode().hex()
    cases = [
        ("/live/top?limit=%zz", "invalid_parameter", "limit"),
        ("/live/streams?cursor=%%%%x", "invalid_parameter", "cursor"),
        ("/live/streams?q=%ff%fe", "invalid_parameter", "q"),
        ("/live/streams?q=%c3%28", "invalid_parameter", "q"),
        ("/live/streams?q=%00abc", "invalid_parameter", "q"),
        ("/live/top?game=%ff", "invalid_parameter", "game"),
        ("/search/channels?q=%c0%80", "invalid_parameter", "q"),
        ("/search/games?q=%ed%a0%80", "invalid_parameter", "q"),
        ("/stats/channels/top?game=%ff", "invalid_parameter", "game"),
        ("/stats/heatmap?tz=%ff", "invalid_parameter", "tz"),
        ("/export/snapshots?channel=%ff", "invalid_parameter", "channel"),
        ("/live/streams?%ff=1", "invalid_parameter", None),
        ("/channels/twitch/%ff", "invalid_path", None),
        ("/channels/twitch/a%00b/history", "invalid_path", None),
        ("/games/twitch/%ff/history", "invalid_path", None),
        # Cursors forged past the columns' ranges: stream id, viewers, sweep time.
        ("/live/streams?cursor=" + cursor("v1|1:1|5|9999999999999"), "invalid_parameter",
         "cursor"),
        ("/live/streams?cursor=" + cursor("v1|1:1|5|2147483648"), "invalid_parameter", "cursor"),
        ("/live/streams?cursor=" + cursor("v1|1:1|2147483648|5"), "invalid_parameter", "cursor"),
        ("/live/streams?cursor=" + cursor("v1|1:-1|5|5"), "invalid_parameter", "cursor"),
        ("/live/streams?cursor=" + cursor("v1|1:99999999999999999999|5|5"), "invalid_parameter",
         "cursor"),
    ]
    log_before = len(api_log(api))
    for path, code, parameter in cases:
        status, _, body = api.call("GET", path)
        check(status == 400 and error_shape(body, 400, code, parameter),
              f"{path}: 400 {code} naming {parameter} ({status} {body[:160]})")
    logged = api_log(api)[log_before:]
    check(") failed: " not in logged and "please report this" not in logged,
          f"... each refused by a check, none by the database or a failure ({logged[-300:]})")


def api_log(api):
    api.log.flush()
    return open(api.log.name).read()


def text_of(api, path):
    return api.call("GET", path)[2]


def metric_samples(api):
    _, _, text = api.call("GET", "/metrics")
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def check_cache_bounds(work, api_url):
    """The answer cache stays within API_CACHE_MB however many distinct requests come, and a
    request spelled differently (escapes, parameter order) finds the answer already kept."""
    api = Api(work, api_url, API_CACHE_MB="1")
    try:
        status, _, first = api.call("GET", "/live/streams?limit=500&platform=twitch")
        check(status == 200 and len(first) > 50_000, f"a large answer ({len(first)} B)")
        hits = metric_samples(api)["streamscope_api_cache_hits_total"]
        status, _, again = api.call("GET", "/live/streams?platform=%74witch&limit=500")
        check(status == 200 and again == first and
              metric_samples(api)["streamscope_api_cache_hits_total"] == hits + 1,
              "escapes and parameter order find the same cached answer")
        # 40 distinct answers of 100-300 KB: far more than 1 MiB.
        statuses = {api.call("GET", f"/live/streams?limit={500 - n}")[0] for n in range(1, 41)}
        check(statuses == {200}, f"40 distinct requests answered ({statuses})")
        m = metric_samples(api)
        check(0 < m["streamscope_api_cache_bytes"] <= 1 << 20 and
              m["streamscope_api_cache_evictions_total"] > 0,
              f"the cache keeps within 1 MiB ({m['streamscope_api_cache_bytes']:.0f} B, "
              f"{m['streamscope_api_cache_evictions_total']:.0f} evicted)")
        status, _, last = api.call("GET", "/live/streams?limit=460")
        check(status == 200 and
              metric_samples(api)["streamscope_api_cache_hits_total"] > m["streamscope_api_cache_hits_total"],
              "the most recent answers are still kept")
    finally:
        api.stop()


def check_pool_queue(work, db, api_url):
    """With every connection busy and the queue full, requests are answered 503 with
    Retry-After at once; a request that waited past API_DB_QUEUE_TIMEOUT_MS is too."""
    api = Api(work, api_url, API_DB_POOL_SIZE="1", API_DB_QUEUE_LIMIT="2",
              API_DB_QUEUE_TIMEOUT_MS="1000", API_STATEMENT_TIMEOUT_MS="60000")
    # The cache knows the newest sweep before the lock: requests then queue for the pool, not
    # behind the cache's first look.
    check(api.call("GET", "/live/top?limit=50")[0] == 200, "the pool serves")
    lock = subprocess.Popen(["psql", db.url, "-Xqc",
                             "BEGIN; LOCK TABLE sweeps; SELECT pg_sleep(60); COMMIT"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def pool_state():
        m = metric_samples(api)
        return m["streamscope_api_db_pool_busy"], m["streamscope_api_db_pool_queued"]

    def wait_until(condition, what):
        deadline = time.time() + 20
        while time.time() < deadline and not condition():
            time.sleep(0.05)
        check(condition(), what)

    def timed(path):
        started = time.time()
        conn = http.client.HTTPConnection("127.0.0.1", api.port, timeout=60)
        conn.request("GET", path)
        res = conn.getresponse()
        body = res.read().decode()
        conn.close()
        return res.status, dict(res.getheaders()), body, time.time() - started
    try:
        wait_until(lambda: db.query("SELECT count(*) FROM pg_locks WHERE granted AND "
                                    "mode = 'AccessExclusiveLock' AND "
                                    "relation = 'sweeps'::regclass").strip() == "1",
                   "another session holds a lock on sweeps")
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            # One at a time, each seen in its place: one on the connection (waiting for the
            # lock), then two in the queue.
            blocked = []
            for n, state in [(1, (1, 0)), (2, (1, 1)), (3, (1, 2))]:
                blocked.append(pool.submit(timed, f"/live/top?limit={n}"))
                wait_until(lambda: pool_state() == state, f"pool (busy, queued) is {state}")
            queued_at = time.time()
            refused = [timed(f"/live/top?limit={n}") for n in range(10, 13)]
            time.sleep(max(0.0, 1.3 - (time.time() - queued_at)))  # past the queue's 1 s
            db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")
            waited = [f.result() for f in blocked]
        check(all(r[0] == 503 and error_shape(r[2], 503, "database_busy") and
                  r[1].get("Retry-After") == "1" and r[3] < 1.0 for r in refused),
              f"a full queue: 503 database_busy with Retry-After, at once "
              f"({[(r[0], round(r[3], 2)) for r in refused]})")
        statuses = sorted(r[0] for r in waited)
        check(statuses == [200, 503, 503],
              f"the one on the connection answers; the two that waited past 1 s are refused "
              f"when their turn comes ({statuses})")
        m = metric_samples(api)
        check(m["streamscope_api_db_pool_refused_total"] == 5 and
              m["streamscope_api_db_pool_queued"] == 0,
              f"/metrics counts the refusals ({m['streamscope_api_db_pool_refused_total']:.0f})")
        status, _, _ = api.call("GET", "/live/top?limit=20")
        check(status == 200, "the pool serves again once the connection is free")
    finally:
        if lock.poll() is None:
            db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")
        lock.wait(10)
        api.stop()


def check_cors_list(work, api_url):
    """CORS_ALLOWED_ORIGINS as a list: those origins are answered, others are not."""
    api = Api(work, api_url, CORS_ALLOWED_ORIGINS="https://allowed.example,https://also.example")
    try:
        preflight = {"Access-Control-Request-Method": "GET"}
        status, headers, _ = api.call("OPTIONS", "/live/top",
                                      dict(preflight, Origin="https://also.example"))
        check(status == 204 and headers.get("Access-Control-Allow-Origin") ==
              "https://also.example" and "GET" in headers.get("Access-Control-Allow-Methods", ""),
              f"CORS list: a listed origin's preflight is allowed ({headers})")
        status, headers, _ = api.call("OPTIONS", "/live/top",
                                      dict(preflight, Origin="https://evil.example"))
        check("Access-Control-Allow-Origin" not in headers and
              "Access-Control-Allow-Methods" not in headers,
              f"CORS list: another origin's preflight is not ({headers})")
        _, headers, _ = api.call("GET", "/health", {"Origin": "https://allowed.example"})
        check(headers.get("Access-Control-Allow-Origin") == "https://allowed.example" and
              "Origin" in headers.get("Vary", ""), "CORS list: a listed origin's GET")
        _, headers, _ = api.call("GET", "/health", {"Origin": "https://evil.example"})
        check("Access-Control-Allow-Origin" not in headers, "CORS list: another origin's GET")
    finally:
        api.stop()
    api = Api(work, api_url, CORS_ALLOWED_ORIGINS="*")
    try:
        status, headers, _ = api.call("OPTIONS", "/live/top", {
            "Origin": "https://any.example", "Access-Control-Request-Method": "GET"})
        check(status == 204 and headers.get("Access-Control-Allow-Origin") in
              ("*", "https://any.example"), f"CORS *: any origin ({status} {headers})")
    finally:
        api.stop()


if __name__ == "__main__":
    run("api", main)
