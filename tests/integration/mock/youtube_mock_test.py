#!/usr/bin/env python3
"""The real streamscope-mock's YouTube over HTTPS, as a YouTube collector written against
Google's documentation will meet it: the Data API's shapes (videos, channels, playlistItems,
search), the key check, the quota ledger and quotaExceeded, its day turning at midnight Los
Angeles, the Atom feeds (parsed with xml.etree), their ordering, politeness limit and failures,
and the admin API that drives broadcasts.

Usage: youtube_mock_test.py MOCK   (no database). Exit code 0 when every check passed.
"""
import os
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, run  # noqa: E402
from platform_mock import PlatformMock  # noqa: E402

NS = {"atom": "http://www.w3.org/2005/Atom", "yt": "http://www.youtube.com/xml/schemas/2015",
      "media": "http://search.yahoo.com/mrss/"}
START = "2026-03-08T07:30:00Z"  # half an hour before the Pacific midnight (PST: 08:00 UTC)


def reason(body):
    return body["error"]["errors"][0]["reason"]


def playlist_to_end(mock, playlist):
    """Every video id of the playlist, page by page, and the items."""
    items, token = [], None
    for _ in range(100):
        params = [("part", "snippet,contentDetails"), ("playlistId", playlist),
                  ("maxResults", 7)] + ([("pageToken", token)] if token else [])
        status, _, body = mock.youtube_get("playlistItems", params)
        if status != 200:
            check(False, f"playlistItems page: HTTP {status} {str(body)[:200]}")
            break
        items += body["items"]
        token = body.get("nextPageToken")
        if not token:
            break
    return items


def api_shapes(mock, world):
    # More uploads than a feed holds, so that the feed's cut-off is tested too.
    channels = [c for c in world["channels"] if not c["terminated"] and c["uploads"] >= 20]
    chosen = channels[0]
    live = world["live"]
    check(len(live) > 0 and world["counts"]["channels"] == 300,
          f"a world of 300 channels, {len(live)} live")

    status, headers, body = mock.youtube_get("videos", [("part", "snippet"), ("id", "x")],
                                             key=None)
    check(status == 400 and body["error"]["message"] ==
          "API key not valid. Please pass a valid API key." and reason(body) == "badRequest"
          and body["error"]["details"][0]["reason"] == "API_KEY_INVALID",
          f"no key: Google's 400 API_KEY_INVALID ({status})")
    status, _, body = mock.youtube_get("videos", [("part", "snippet"), ("id", "x")], key="nope")
    check(status == 400 and body["error"]["status"] == "INVALID_ARGUMENT", "a wrong key: 400")

    removed = world["removed_video_ids"][:1]
    ids = [v["video_id"] for v in live[:48]] + removed + ["xxxxxxxxxxx"]
    status, headers, body = mock.youtube_get(
        "videos", [("part", "snippet,liveStreamingDetails"), ("id", ",".join(ids))])
    check(status == 200 and headers["content-type"].startswith("application/json"),
          f"videos.list of 48 live, a removed and an unknown id: 200 ({status})")
    items = body["items"]
    check(body["kind"] == "youtube#videoListResponse" and len(items) == min(48, len(live))
          and body["pageInfo"]["totalResults"] == len(items),
          f"only the live ones come back ({len(items)})")
    item = items[0]
    snippet, details = item["snippet"], item["liveStreamingDetails"]
    check(item["kind"] == "youtube#video" and len(item["id"]) == 11 and
          snippet["liveBroadcastContent"] == "live" and snippet["categoryId"] == "20" and
          set(snippet["thumbnails"]) >= {"default", "medium", "high"} and
          snippet["channelId"].startswith("UC") and len(snippet["channelId"]) == 24,
          f"a video's snippet ({sorted(snippet)})")
    check("actualStartTime" in details and "scheduledStartTime" in details and
          "actualEndTime" not in details and "activeLiveChatId" in details,
          f"a live video's liveStreamingDetails ({sorted(details)})")
    counts = [i["liveStreamingDetails"].get("concurrentViewers") for i in items]
    check(all(c is None or (isinstance(c, str) and c.isdigit()) for c in counts),
          "concurrentViewers is a string of digits, or absent")
    status, _, body = mock.youtube_get(
        "videos", [("part", "snippet"), ("id", ",".join(f"id{i:09d}" for i in range(51)))])
    check(status == 400 and reason(body) == "badRequest", f"51 ids: 400 badRequest ({status})")

    status, _, body = mock.youtube_get(
        "channels", [("part", "snippet,contentDetails"), ("forHandle", chosen["handle"])])
    channel = body["items"][0]
    uploads = channel["contentDetails"]["relatedPlaylists"]["uploads"]
    check(status == 200 and channel["id"] == chosen["id"] and
          channel["snippet"]["customUrl"] == chosen["handle"].lower() and
          uploads == "UU" + chosen["id"][2:], f"channels.list forHandle: {channel['id']}")
    status, _, body = mock.youtube_get("channels", [("part", "snippet"),
                                                    ("forHandle", "@no-such-handle-here")])
    check(status == 200 and "items" not in body and body["pageInfo"]["totalResults"] == 0,
          "an unknown handle: 200 without an items key")
    terminated = [c["id"] for c in world["channels"] if c["terminated"]]
    status, _, body = mock.youtube_get(
        "channels", [("part", "snippet"), ("id", ",".join([chosen["id"]] + terminated[:3]))])
    check(status == 200 and [c["id"] for c in body["items"]] == [chosen["id"]],
          f"channels.list leaves out {len(terminated[:3])} terminated channels")

    items = playlist_to_end(mock, uploads)
    published = [i["contentDetails"]["videoPublishedAt"] for i in items]
    check(len(items) > 0 and published == sorted(published, reverse=True) and
          len({i["contentDetails"]["videoId"] for i in items}) == len(items),
          f"the uploads playlist: {len(items)} videos, each once, newest first")
    check(all(i["snippet"]["resourceId"]["videoId"] == i["contentDetails"]["videoId"]
              for i in items), "playlistItems: snippet.resourceId.videoId")
    status, _, body = mock.youtube_get("playlistItems", [("part", "snippet"),
                                                         ("playlistId", "UU" + "x" * 22)])
    check(status == 404 and reason(body) == "playlistNotFound", "unknown playlist: 404")

    status, _, body = mock.youtube_get("search", [("part", "snippet"), ("eventType", "live")])
    check(status == 400 and reason(body) == "invalidSearchFilter",
          f"eventType without type=video: 400 ({status})")
    found, token = [], None
    while True:
        params = [("part", "snippet"), ("type", "video"), ("eventType", "live"),
                  ("maxResults", 50)] + ([("pageToken", token)] if token else [])
        status, _, body = mock.youtube_get("search", params)
        found += body.get("items", [])
        token = body.get("nextPageToken")
        if status != 200 or not token:
            break
    check({i["id"]["videoId"] for i in found} == {v["video_id"] for v in live} and
          all(i["kind"] == "youtube#searchResult" and i["id"]["kind"] == "youtube#video" and
              i["snippet"]["liveBroadcastContent"] == "live" for i in found),
          f"search eventType=live pages through all {len(found)} live videos")
    return chosen, items


def feeds(mock, world, chosen, playlist_items):
    status, headers, data = mock.youtube_feed(chosen["id"])
    check(status == 200 and headers["content-type"] == "application/atom+xml; charset=UTF-8",
          f"a feed without a key: 200 Atom ({status} {headers.get('content-type')})")
    root = ET.fromstring(data)
    # The feed's own channel id comes with or without its "UC", as YouTube's feeds differ.
    named = root.find("yt:channelId", NS).text
    check(root.tag == "{http://www.w3.org/2005/Atom}feed" and
          named in (chosen["id"], chosen["id"][2:]) and
          root.find("atom:id", NS).text == "yt:channel:" + named, f"the feed's channel ({named})")
    entries = root.findall("atom:entry", NS)
    ids = [e.find("yt:videoId", NS).text for e in entries]
    expected = [i["contentDetails"]["videoId"] for i in playlist_items[:15]]
    check(len(playlist_items) > 15 and ids == expected,
          f"the feed lists the 15 newest of {len(playlist_items)} uploads, newest first")
    for e in entries:
        vid = e.find("yt:videoId", NS).text
        ok = (e.find("atom:id", NS).text == "yt:video:" + vid and
              e.find("atom:link", NS).get("href") == "https://www.youtube.com/watch?v=" + vid and
              e.find("yt:channelId", NS).text == chosen["id"] and
              e.find("media:group/media:title", NS) is not None)
        if not ok:
            check(False, f"entry {vid} lacks a field")
    titles = {i["contentDetails"]["videoId"]: i["snippet"]["title"] for i in playlist_items}
    check(all(e.find("atom:title", NS).text == titles[e.find("yt:videoId", NS).text]
              for e in entries), "feed titles parse back to the API's titles, byte for byte")

    # Nasty text across many feeds: every one parses and says what the API says.
    parsed, escaped, without_uc = 0, 0, 0
    sampled = [c["id"] for c in world["channels"] if not c["terminated"]][:40]
    for c in sampled:
        status, _, data = mock.youtube_feed(c)
        if status != 200:
            continue
        named = ET.fromstring(data).find("yt:channelId", NS).text
        without_uc += named == c[2:]
        parsed += 1
        escaped += data.count(b"&amp;") + data.count(b"&lt;") + data.count(b"&quot;") + \
            data.count(b"&#x")
    check(parsed == 40 and escaped > 0, f"40 feeds parse, with {escaped} entities among them")
    check(0 < without_uc < 40, f"{without_uc} of 40 feeds name their channel without its UC")

    terminated = [c["id"] for c in world["channels"] if c["terminated"]]
    for unknown in ["UC" + "A" * 22] + terminated[:1]:
        status, headers, data = mock.youtube_feed(unknown)
        check(status == 404 and headers["content-type"].startswith("text/html"),
              f"feed of an unknown or terminated channel: 404 HTML ({status})")

    other = [c for c in world["channels"] if not c["terminated"]][1]["id"]
    mock.youtube_channel(chosen["id"], feed_status=404)
    mock.youtube_faults({"kind": "5xx", "status": 500, "count": 0,
                         "path": "/feeds/videos.xml?channel_id=" + other})
    check(mock.youtube_feed(chosen["id"])[0] == 404 and mock.youtube_feed(other)[0] == 500,
          "a channel's feed fails on demand (404 by admin, 500 by a fault rule)")
    mock.youtube_channel(chosen["id"], feed_status=0)
    mock.request("DELETE", "/_mock/youtube/faults")
    check(mock.youtube_feed(chosen["id"])[0] == 200, "and serves again")
    stats = mock.youtube_stats()
    fetched = 3 + sampled.count(chosen["id"])
    check(stats["feed_requests"][chosen["id"]] == fetched and
          stats["requests"]["/feeds/videos.xml"] >= 45,
          f"stats count feed requests per channel ({stats['feed_requests'][chosen['id']]})")


def quota(mock):
    q = mock.youtube_quota()
    spent = q["keys"]["mock-youtube-api-key"]
    check(q["day"] == "2026-03-07" and q["next_reset_at"] == "2026-03-08T08:00:00Z" and
          q["daily_quota"] == 10000 and q["search_daily_quota"] == 100,
          f"the ledger's day is Pacific: {q['day']}, resets {q['next_reset_at']}")
    check(spent["units"] > 0 and spent["search_calls"] > 0 and
          spent["by_method"]["videos.list"] >= 2 and "search.list" in spent["by_method"],
          f"units per method: {spent['by_method']}")
    mock.youtube_set_quota(units=10000)
    status, _, body = mock.youtube_get("videos", [("part", "snippet"), ("id", "x")])
    check(status == 403 and reason(body) == "quotaExceeded" and
          body["error"]["errors"][0]["domain"] == "youtube.quota" and
          "exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>" in
          body["error"]["message"], f"the day's units spent: 403 quotaExceeded ({status})")
    status, _, _ = mock.youtube_get("search", [("part", "snippet"), ("type", "video")])
    check(status == 200, "search.list has a bucket of its own")
    mock.youtube_set_quota(search_calls=100)
    status, _, body = mock.youtube_get("search", [("part", "snippet"), ("type", "video")])
    check(status == 403 and reason(body) == "quotaExceeded", "search's bucket runs out too")

    mock.youtube_advance(1800)  # 08:00 UTC: midnight in Los Angeles
    status, _, _ = mock.youtube_get("videos", [("part", "snippet"), ("id", "x")])
    q = mock.youtube_quota()
    check(status == 200 and q["day"] == "2026-03-08" and
          q["keys"]["mock-youtube-api-key"]["units"] == 1 and
          q["next_reset_at"] == "2026-03-09T07:00:00Z",
          f"a new day at 08:00 UTC; the next one after the DST switch at 07:00 UTC "
          f"({q['next_reset_at']})")


def broadcasts(mock, world):
    idle = next(c for c in world["channels"] if c["state"] == "idle" and not c["terminated"])
    cid = idle["id"]

    def current():
        vid = mock.youtube_channel(cid)["current_video_id"]
        status, _, body = mock.youtube_get("videos", [("part", "snippet,liveStreamingDetails"),
                                                      ("id", vid)])
        return body["items"][0]

    changed = mock.youtube_channel(cid, state="upcoming")
    check(changed["state"] == "upcoming" and changed["pinned"] == "upcoming", "pinned upcoming")
    video = current()
    check(video["snippet"]["liveBroadcastContent"] == "upcoming" and
          set(video["liveStreamingDetails"]) == {"scheduledStartTime", "activeLiveChatId"},
          f"upcoming: scheduledStartTime only ({sorted(video['liveStreamingDetails'])})")
    status, _, data = mock.youtube_feed(cid)
    check(ET.fromstring(data).find("atom:entry/yt:videoId", NS).text == video["id"],
          "the announced broadcast heads the channel's feed")

    mock.youtube_channel(cid, state="live")
    mock.youtube_advance(120)
    live = current()
    details = live["liveStreamingDetails"]
    check(live["id"] == video["id"] and live["snippet"]["liveBroadcastContent"] == "live" and
          "actualStartTime" in details and "actualEndTime" not in details,
          "live: the same video, with actualStartTime")
    mock.youtube_channel(cid, viewers_hidden=True)
    check("concurrentViewers" not in current()["liveStreamingDetails"],
          "a hidden count: no concurrentViewers")
    mock.youtube_channel(cid, state="ended")
    ended = current() if mock.youtube_channel(cid)["current_video_id"] else None
    status, _, body = mock.youtube_get("videos", [("part", "snippet,liveStreamingDetails"),
                                                  ("id", video["id"])])
    details = body["items"][0]["liveStreamingDetails"]
    check(ended is None and body["items"][0]["snippet"]["liveBroadcastContent"] == "none" and
          "actualEndTime" in details and "concurrentViewers" not in details and
          "activeLiveChatId" not in details,
          f"ended: actualEndTime, no viewers, no chat ({sorted(details)})")


def scaled_time(work):
    mock = PlatformMock(MOCK, work, "--youtube-channels", "200", "--youtube-time-scale",
                        "86400", "--youtube-live-fraction", "0.2", "--streams", "10",
                        "--kick-streams", "10")
    try:
        first = mock.youtube_world()
        time.sleep(1.5)  # a day and a half of simulated time
        later = mock.youtube_world()
        before = {v["video_id"] for v in first["live"]}
        after = {v["video_id"] for v in later["live"]}
        check(later["now"] > first["now"] and later["counts"]["videos"] >
              first["counts"]["videos"] and before != after and len(after) > 10,
              f"--youtube-time-scale 86400: a day passes in a second "
              f"({first['now']} -> {later['now']}, {len(before)} -> {len(after)} live)")
        limited = [mock.youtube_feed(first["channels"][0]["id"])[0] for _ in range(7)]
        check(limited.count(429) >= 1 and limited[0] != 429,
              f"more than 5 feeds a second from one address: 429 ({limited})")
    finally:
        mock.stop()


def main(work):
    mock = PlatformMock(MOCK, work, "--youtube-channels", "300", "--youtube-time-scale", "0",
                        "--start-time", START, "--youtube-feed-requests-per-second", "0",
                        "--streams", "10", "--kick-streams", "10")
    try:
        world = mock.youtube_world()
        chosen, items = api_shapes(mock, world)
        feeds(mock, world, chosen, items)
        quota(mock)
        broadcasts(mock, world)
    finally:
        mock.stop()
    scaled_time(work)


MOCK = sys.argv[1]
run("youtube_mock", main, database=False)
