#!/usr/bin/env python3
"""The API over three platforms' data: the real collector sweeps the mock's Twitch and Kick
into a real PostgreSQL, and every endpoint that takes a platform answers for Kick as for
Twitch, and compares the two where it compares platforms. YouTube's rows are written here in
SQL, as its collector will store them (a watchlist channel with a handle whose owner hides the
viewer count, one without a handle with a count): handles and channel ids in the channel
routes, hidden counts null (never 0) and last, and each platform's coverage.

Usage: platforms_test.py API COLLECTOR MOCK   (needs TEST_DATABASE_URL)
"""
import datetime
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, run  # noqa: E402
from platform_mock import PlatformMock  # noqa: E402
from api_process import ApiProcess, api_role_url  # noqa: E402

API, COLLECTOR, MOCK = sys.argv[1], sys.argv[2], sys.argv[3]
TWITCH_ID, TWITCH_SECRET = "it-client", "it-secret"


def sweep_both(db, mock):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWITCH_", "KICK_", "DATABASE", "PLATFORMS"))}
    env.update({
        "DATABASE_URL": db.url, "PLATFORMS": "twitch,kick",
        "TWITCH_CLIENT_ID": TWITCH_ID, "TWITCH_CLIENT_SECRET": TWITCH_SECRET,
        "TWITCH_API_BASE_URL": f"{mock.url}/helix", "TWITCH_AUTH_BASE_URL": f"{mock.url}/oauth2",
        "TWITCH_CA_FILE": mock.ca, "KICK_REQUESTS_PER_MINUTE": "6000",
    })
    env.update(mock.kick_settings())
    out = subprocess.run([COLLECTOR, "--once"], env=env, capture_output=True, text=True,
                         timeout=300, cwd=tempfile.gettempdir())
    check(out.returncode == 0, f"the collector swept both platforms ({out.returncode}: "
                               f"{out.stderr[-300:]})")


# YouTube as its collector stores it: login = the handle in lower case without "@", or the
# channel id when the channel has none; stream ids are video ids. Language "sv", which no mock
# stream has, so that the languages that Twitch and Kick share compare as before.
YT_HANDLE, YT_HANDLE_ID = "streamscopelofi", "UCsTreamscopeHandle0001a"
YT_PLAIN_ID = "UCsTreamscopeNoHandle02b"
YT_HIDDEN_VIDEO, YT_COUNTED_VIDEO, YT_COUNT = "ytHidden001", "ytCounted01", 42


def seed_youtube(db):
    """Two complete YouTube sweeps a minute apart, the first rolled up, with two live streams:
    the handle's with its count hidden (NULL), the other's with YT_COUNT viewers."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    t1, t2, start = (str(now - datetime.timedelta(seconds=s)) for s in (70, 10, 600))
    db.query(f"""
        SELECT ensure_snapshot_partitions(current_date - 1, 3);
        INSERT INTO channels (platform_id, platform_user_id, login, display_name, first_seen_at,
                              last_seen_at)
        VALUES (3, '{YT_HANDLE_ID}', '{YT_HANDLE}', 'Streamscope Lofi', '{t1}', '{t1}'),
               (3, '{YT_PLAIN_ID}', '{YT_PLAIN_ID}', 'No Handle Yet', '{t1}', '{t1}');
        INSERT INTO streams (platform_id, platform_stream_id, channel_id, started_at, language,
                             title, state_since, first_seen_at)
        SELECT 3, CASE c.platform_user_id WHEN '{YT_HANDLE_ID}' THEN '{YT_HIDDEN_VIDEO}'
                                          ELSE '{YT_COUNTED_VIDEO}' END,
               c.id, '{start}', 'sv', 'lofi beats by ' || c.display_name, '{t1}', '{t1}'
          FROM channels c WHERE c.platform_id = 3;
        INSERT INTO sweeps (platform_id, started_at, finished_at, status, streams_seen)
        VALUES (3, '{t1}', '{t1}', 'complete', 2), (3, '{t2}', '{t2}', 'complete', 2);
        INSERT INTO snapshots (collected_at, stream_id, viewer_count)
        SELECT w.at::timestamptz, st.id,
               CASE st.platform_stream_id WHEN '{YT_HIDDEN_VIDEO}' THEN NULL ELSE {YT_COUNT} END
          FROM streams st CROSS JOIN (VALUES ('{t1}'), ('{t2}')) w(at)
         WHERE st.platform_id = 3 ORDER BY 1, 2;
        SELECT rollup_pending(3::smallint);""")


def viewers_then_hidden(items):
    """Most viewers first, hidden counts (null) after every count."""
    counts = [i["viewer_count"] for i in items]
    known = [c for c in counts if c is not None]
    return counts == known + [None] * (len(counts) - len(known)) and known == sorted(
        known, reverse=True)


def check_youtube(api, db):
    status, _, top = api.get_json("/live/top?platform=youtube")
    check(status == 200 and [i["viewer_count"] for i in top["data"]] == [YT_COUNT, None],
          f"/live/top?platform=youtube: the count first, the hidden one null and last "
          f"({[i['viewer_count'] for i in top['data']]})")
    check(all(i["platform"] == "youtube" for i in top["data"]), "... and only YouTube's")
    hidden = top["data"][-1]
    check(hidden["username"] == YT_HANDLE and hidden["channel_id"] == YT_HANDLE_ID and
          hidden["stream_url"] == "https://www.youtube.com/watch?v=" + YT_HIDDEN_VIDEO,
          f"a YouTube item: handle, channel id, watch URL ({hidden['stream_url']})")
    status, _, csv = api.call("GET", "/live/top?platform=youtube&format=csv")
    lines = csv.strip().split("\r\n")
    column = lines[0].split(",").index("viewer_count")
    check(status == 200 and [line.split(",")[column] for line in lines[1:]] == [str(YT_COUNT), ""],
          f"... as CSV, a hidden count is an empty field ({lines[1:]})")

    status, _, page = api.get_json("/live/streams?platform=youtube&min_viewers=0")
    check(status == 200 and [i["viewer_count"] for i in page["data"]] == [YT_COUNT],
          "/live/streams?platform=youtube&min_viewers=0 leaves the hidden count out")
    everything, cursor = [], ""
    while True:
        status, _, page = api.get_json(f"/live/streams?limit=500{cursor}")
        everything += page["data"]
        if status != 200 or not page["next_cursor"]:
            break
        cursor = "&cursor=" + page["next_cursor"]
    check(viewers_then_hidden(everything) and everything[-1]["platform"] == "youtube",
          f"/live/streams over every platform: hidden counts last ({len(everything)} streams)")

    names = ["@StreamScopeLofi", "@streamscopelofi", "StreamscopeLofi", YT_HANDLE_ID]
    answers = {name: api.get_json(f"/channels/youtube/{urllib.parse.quote(name)}")
               for name in names}
    check(all(a[0] == 200 and a[2]["data"]["channel_id"] == YT_HANDLE_ID
              for a in answers.values()),
          f"/channels/youtube/ by @handle, handle in any case, or channel id: one channel "
          f"({[a[0] for a in answers.values()]})")
    channel = answers["@StreamScopeLofi"][2]["data"]
    check(channel["username"] == YT_HANDLE and channel["live"] and
          channel["current_stream"]["viewer_count"] is None,
          "... live, its current count hidden: null")
    summary = channel["summary"]
    check(summary["avg_viewers"] is None and summary["peak_viewers"] is None and
          summary["hours_watched"] is None and summary["hours_streamed"] > 0,
          f"... its window: viewers and hours watched unknown (null), hours streamed counted "
          f"({summary})")
    status, _, streams = api.get_json("/channels/youtube/@StreamScopeLofi/streams")
    check(status == 200 and streams["data"][0]["hours_watched"] is None and
          streams["data"][0]["avg_viewers"] is None, "... and its broadcast's")
    status, _, history = api.get_json(f"/channels/youtube/{YT_HANDLE_ID}/history")
    check(status == 200 and [p["viewers"] for p in history["data"]] == [None, None],
          "... and its history's points")
    status, _, plain = api.get_json(f"/channels/youtube/{YT_PLAIN_ID}")
    check(status == 200 and plain["data"]["username"] == YT_PLAIN_ID and
          plain["data"]["summary"]["peak_viewers"] == YT_COUNT,
          f"a channel without a handle, by its id ({status})")
    status, _, missing = api.get_json("/channels/youtube/@nosuchhandle")
    check(status == 404 and missing["error"]["code"] == "not_found",
          f"an unknown handle: 404 ({status})")
    status, _, missing = api.get_json(f"/channels/twitch/{YT_HANDLE_ID}")
    check(status == 404, "a channel id is no Twitch login")

    status, _, found = api.get_json("/search/channels?platform=youtube&q=streamscope")
    check(status == 200 and {c["channel_id"] for c in found["data"]} >= {YT_HANDLE_ID} and
          all(c["platform"] == "youtube" for c in found["data"]),
          "/search/channels?platform=youtube")
    status, _, refused = api.get_json("/live/top?platform=vimeo")
    check(status == 400 and "youtube" in refused["error"]["message"],
          f"a platform refused lists youtube among the allowed ({refused['error']['message']})")

    status, _, live = api.get_json("/live/summary")
    youtube = {p["platform"]: p for p in live["data"]["platforms"]}.get("youtube", {})
    check(youtube.get("live_channels") == 2 and youtube.get("viewers") == YT_COUNT and
          youtube.get("hidden_viewer_counts") == 1 and
          live["data"]["hidden_viewer_counts"] == 1,
          f"/live/summary: YouTube's viewers skip the hidden count, which is counted ({youtube})")
    status, _, live = api.get_json("/live/summary?platform=youtube")
    check(live["data"]["viewers"] == YT_COUNT, "... and with platform=youtube")

    status, _, export = api.call("GET", "/export/snapshots?platform=youtube&window=1h")
    rows = [line.split(",") for line in export.strip().split("\r\n")]
    column = rows[0].index("viewer_count")
    check(status == 200 and sorted(r[column] for r in rows[1:]) == ["", "", "42", "42"],
          f"/export/snapshots?platform=youtube: hidden counts are empty fields ({len(rows) - 1})")

    # /stats/platforms, with the watchlist empty and then holding channels (each request
    # spelled differently: the answer cache keeps answers until the next sweep).
    status, _, stats = api.get_json("/stats/platforms?window=24h")
    rows = {p["platform"]: p for p in stats["data"]}
    check(status == 200 and set(rows) == {"twitch", "kick", "youtube"},
          f"/stats/platforms compares the three ({sorted(rows)})")
    check({p: r["coverage"] for p, r in rows.items()} ==
          {"twitch": "all_live_streams", "kick": "all_live_streams", "youtube": "watchlist"},
          "... each saying what its figures cover")
    check(rows["youtube"]["watched_channels"] == 0 and
          rows["twitch"]["watched_channels"] is None and rows["kick"]["watched_channels"] is None,
          f"... with an empty watchlist, YouTube's watched_channels 0, null elsewhere ({rows})")
    db.query("""
        INSERT INTO youtube_channels (channel_id, handle, title, source, added_at) VALUES
            ('UCsTreamscopeHandle0001a', 'streamscopelofi', 'Streamscope Lofi', 'command', now()),
            ('UCsTreamscopeNoHandle02b', NULL, 'No Handle Yet', 'setting', now()),
            ('UCsTreamscopeOffline003c', NULL, 'Offline', 'discovered', now());""")
    status, _, stats = api.get_json("/stats/platforms?window=24h&format=json")
    rows = {p["platform"]: p for p in stats["data"]}
    check(status == 200 and rows["youtube"]["watched_channels"] == 3 and
          rows["twitch"]["watched_channels"] is None,
          f"... and with the table, YouTube's watched_channels ({rows['youtube']})")
    status, _, csv = api.call("GET", "/stats/platforms?window=24h&format=csv")
    check(status == 200 and "coverage,watched_channels" in csv.split("\r\n")[0],
          "... also as CSV columns")
    status, _, games = api.get_json("/stats/summary?platform=youtube&window=24h")
    check(status == 200, "/stats/summary?platform=youtube")


def close(a, b):
    return abs(a - b) <= 0.15  # each figure is rounded to 0.1


def platforms_add_up(api):
    """Without `platform`, the figures are the platforms' together: averages add up, and a
    language's peak is at least each platform's (both swept in the same hour: their sum)."""
    by = {}
    for platform in ("", "twitch", "kick", "youtube"):
        narrowed = f"&platform={platform}" if platform else ""
        _, _, languages = api.get_json(f"/stats/languages?window=24h{narrowed}")
        _, _, heatmap = api.get_json(f"/stats/heatmap?window=24h{narrowed}")
        by[platform] = ({i["language"]: i for i in languages["data"]},
                        {(c["weekday"], c["hour"]): c["avg_viewers"] for c in heatmap["data"]})
    (all_languages, all_cells), (twitch, twitch_cells), (kick, kick_cells) = (
        by[""], by["twitch"], by["kick"])
    youtube_cells = by["youtube"][1]
    shared = sorted(set(twitch) & set(kick))
    check(shared, f"a language on both platforms ({shared[:5]})")
    for language in shared:
        both, t, k = all_languages[language], twitch[language], kick[language]
        check(close(both["avg_viewers"], t["avg_viewers"] + k["avg_viewers"]),
              f"/stats/languages {language}: average viewers of both platforms added "
              f"({both['avg_viewers']} = {t['avg_viewers']} + {k['avg_viewers']})")
        check(both["peak_viewers"] == t["peak_viewers"] + k["peak_viewers"],
              f"... and their peaks in the hour both were swept ({both['peak_viewers']} = "
              f"{t['peak_viewers']} + {k['peak_viewers']})")
    cells = [c for c in all_cells if twitch_cells.get(c) and kick_cells.get(c)]
    check(cells, "a heatmap cell with viewers on both platforms")
    for cell in cells:
        youtube = youtube_cells.get(cell) or 0
        check(close(all_cells[cell], twitch_cells[cell] + kick_cells[cell] + youtube),
              f"/stats/heatmap {cell}: the platforms' viewers added ({all_cells[cell]} = "
              f"{twitch_cells[cell]} + {kick_cells[cell]} + {youtube})")


def main(work, db):
    mock = PlatformMock(MOCK, work, "--client-id", TWITCH_ID, "--client-secret", TWITCH_SECRET,
                        "--streams", "600", "--rate-limit-per-minute", "0",
                        "--kick-streams", "400", "--kick-rate-limit-per-minute", "0")
    api = None
    try:
        # Two sweeps each, so that the first is rolled up (a sweep's span ends with the next).
        sweep_both(db, mock)
        time.sleep(1.1)
        sweep_both(db, mock)
        kick_world = mock.kick_world()["live"]
        seed_youtube(db)
        api = ApiProcess(API, work, api_role_url(COLLECTOR, db.url))

        status, _, top = api.get_json("/live/top?platform=kick&limit=500")
        check(status == 200 and len(top["data"]) == len(kick_world),
              f"/live/top?platform=kick lists every Kick stream ({len(top['data'])})")
        check(all(i["platform"] == "kick" for i in top["data"]), "... and only Kick's")
        views = [i["viewer_count"] for i in top["data"]]
        check(views == sorted(views, reverse=True), "... most watched first (Kick's list is not)")
        first = top["data"][0]
        check(first["stream_url"] == "https://kick.com/" + first["username"],
              f"a Kick stream's URL is kick.com/<slug> ({first['stream_url']})")

        status, _, page = api.get_json("/live/streams?platform=kick&limit=100")
        check(status == 200 and all(i["platform"] == "kick" for i in page["data"]),
              "/live/streams?platform=kick")

        slug = first["username"]
        status, _, channel = api.get_json(f"/channels/kick/{urllib.parse.quote(slug)}")
        check(status == 200 and channel["data"]["platform"] == "kick" and channel["data"]["live"],
              f"/channels/kick/{{slug}} answers ({status})")
        check(channel["data"]["follower_count"] is None,
              "Kick's follower count is unknown, not 0")
        check((channel["data"]["profile_image_url"] or "").startswith("https://"),
              "the profile picture from Kick's listing")
        check(channel["data"]["description"] is None and
              channel["data"]["broadcaster_type"] is None,
              "Kick says no description or broadcaster type: null, not \"\"")
        status, _, history = api.get_json(f"/channels/kick/{urllib.parse.quote(slug)}/history")
        check(status == 200 and len(history["data"]) >= 1, "... and its history")
        status, _, streams = api.get_json(f"/channels/kick/{urllib.parse.quote(slug)}/streams")
        check(status == 200 and len(streams["data"]) >= 1, "... and its broadcasts")

        status, _, found = api.get_json(f"/search/channels?platform=kick&q={slug[:6]}")
        check(status == 200 and any(c["username"] == slug for c in found["data"]),
              "/search/channels?platform=kick finds the channel")

        status, _, summary = api.get_json("/live/summary")
        platforms = {p["platform"]: p for p in summary["data"]["platforms"]}
        check(set(platforms) == {"twitch", "kick", "youtube"},
              f"/live/summary compares the platforms ({sorted(platforms)})")
        check(platforms["kick"]["live_channels"] == len(kick_world),
              f"... with Kick's live channels ({platforms['kick']['live_channels']})")

        status, _, games = api.get_json("/stats/games/top?platform=kick&window=24h")
        check(status == 200 and len(games["data"]) > 0, "/stats/games/top?platform=kick")
        platforms_add_up(api)
        check_youtube(api, db)
    finally:
        if api:
            api.stop()
        mock.stop()


if __name__ == "__main__":
    run("api_platforms", main)
