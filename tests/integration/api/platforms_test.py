#!/usr/bin/env python3
"""The API over two platforms' data: the real collector sweeps the mock's Twitch and Kick
into a real PostgreSQL, and every endpoint that takes a platform answers for Kick as for
Twitch, and compares the two where it compares platforms.

Usage: platforms_test.py API COLLECTOR MOCK   (needs TEST_DATABASE_URL)
"""
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


def close(a, b):
    return abs(a - b) <= 0.15  # each figure is rounded to 0.1


def platforms_add_up(api):
    """Without `platform`, the figures are the platforms' together: averages add up, and a
    language's peak is at least each platform's (both swept in the same hour: their sum)."""
    by = {}
    for platform in ("", "twitch", "kick"):
        narrowed = f"&platform={platform}" if platform else ""
        _, _, languages = api.get_json(f"/stats/languages?window=24h{narrowed}")
        _, _, heatmap = api.get_json(f"/stats/heatmap?window=24h{narrowed}")
        by[platform] = ({i["language"]: i for i in languages["data"]},
                        {(c["weekday"], c["hour"]): c["avg_viewers"] for c in heatmap["data"]})
    (all_languages, all_cells), (twitch, twitch_cells), (kick, kick_cells) = (
        by[""], by["twitch"], by["kick"])
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
        check(close(all_cells[cell], twitch_cells[cell] + kick_cells[cell]),
              f"/stats/heatmap {cell}: the platforms' viewers added ({all_cells[cell]} = "
              f"{twitch_cells[cell]} + {kick_cells[cell]})")


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
        check(set(platforms) == {"twitch", "kick"},
              f"/live/summary compares both platforms ({sorted(platforms)})")
        check(platforms["kick"]["live_channels"] == len(kick_world),
              f"... with Kick's live channels ({platforms['kick']['live_channels']})")

        status, _, stats = api.get_json("/stats/platforms?window=24h")
        compared = {p["platform"] for p in stats["data"]}
        check(status == 200 and compared == {"twitch", "kick"},
              f"/stats/platforms compares both ({sorted(compared)})")
        status, _, games = api.get_json("/stats/games/top?platform=kick&window=24h")
        check(status == 200 and len(games["data"]) > 0, "/stats/games/top?platform=kick")
        platforms_add_up(api)
    finally:
        if api:
            api.stop()
        mock.stop()


if __name__ == "__main__":
    run("api_platforms", main)
