#!/usr/bin/env python3
"""The real streamscope-mock's Kick endpoints over HTTPS, as a Kick collector will meet them:
tokens, paging a still world to the end (every stream once, oldest first), the look-up by
broadcaster id, the stats, 401s, 429 with and without Retry-After, and bad_record.

Usage: kick_mock_test.py MOCK   (no database). Exit code 0 when every check passed.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, run  # noqa: E402
from platform_mock import PlatformMock  # noqa: E402

MOCK = sys.argv[1]
LISTING = "/public/v2/livestreams"
LOOKUP = "/public/v1/users/livestreams"
STATS = "/public/v1/livestreams/stats"


def token_of(mock):
    status, body = mock.kick_token()
    check(status == 200 and body.get("token_type") == "Bearer" and body.get("expires_in", 0) > 0,
          f"POST /oauth/token with the right credentials: 200 Bearer ({status})")
    return body["access_token"]


def page_to_end(mock, token, limit):
    """Every stream of every page, in order; the number of pages."""
    seen, cursor, pages = [], None, 0
    while pages < 1000:
        params = [("limit", limit)] + ([("cursor", cursor)] if cursor else [])
        status, headers, body = mock.kick_get(LISTING, token, params)
        if status != 200:
            check(False, f"page {pages + 1}: HTTP {status} {str(body)[:200]}")
            break
        pages += 1
        seen += body["data"]
        cursor = body.get("pagination", {}).get("next_cursor")
        if not cursor:
            break
    return seen, pages


def instant(rfc3339):
    """2026-11-26T10:00:00.5Z -> ("2026-11-26T10:00:00", 0.5), which sorts as time does."""
    whole, fraction = rfc3339[:19], rfc3339[19:].rstrip("Z")
    return whole, float("0" + fraction) if fraction else 0.0


def broken(item):
    """How a record is malformed, or None."""
    if "broadcaster_user" not in item:
        return "missing_broadcaster_user"
    viewers = item.get("viewer_count")
    if viewers is None:
        return "null_viewer_count"
    if viewers > 2**31 - 1:
        return "viewer_count_overflow"
    if any(not isinstance(t, str) for t in item["tags"]):
        return "numeric_tag"
    return None


def still_world(work):
    mock = PlatformMock(MOCK, work, "--kick-streams", "1500", "--kick-seed", "4",
                        "--kick-rate-limit-per-minute", "0", "--streams", "100")
    try:
        status, body = mock.kick_token(secret="wrong")
        check(status == 401 and body.get("error") == "invalid_client",
              f"a wrong client secret: 401 invalid_client ({status} {body})")
        status, body = mock.kick_token(grant="authorization_code")
        check(status == 400, f"another grant type: 400 ({status})")
        token = token_of(mock)

        world = mock.kick_world()["live"]
        status, _, stats = mock.kick_get(STATS, token)
        check(status == 200 and stats["data"]["total_count"] == len(world) == 1500,
              f"stats: total_count {stats} == {len(world)} live")

        for limit in (100, 1000):
            seen, pages = page_to_end(mock, token, limit)
            ids = [s["id"] for s in seen]
            check(ids == [s["id"] for s in world],
                  f"limit={limit}: {len(ids)} streams in {pages} pages, each once, in the "
                  f"world's order")
        starts = [instant(s["started_at"]) for s in world]
        check(starts == sorted(starts), "the world's order is oldest first")
        item = seen[0]
        check(isinstance(item["id"], str) and isinstance(item["broadcaster_user"]["id"], int)
              and isinstance(item["viewer_count"], int) and "slug" in item["channel"],
              f"item shape: string id, integer broadcaster id ({item['broadcaster_user']})")

        wanted = [s["broadcaster_user_id"] for s in world[:99]] + [1]
        status, _, found = mock.kick_get(LOOKUP, token, [("user_id", i) for i in wanted])
        check(status == 200 and sorted(s["broadcaster_user"]["id"] for s in found["data"])
              == sorted(wanted[:99]), f"look-up of 99 live ids and an unknown one: 99 ({status})")
        status, _, _ = mock.kick_get(LOOKUP, token, [("user_id", i) for i in range(1, 102)])
        check(status == 400, f"look-up of 101 ids: 400 ({status})")

        status, headers, body = mock.kick_get(LISTING, None)
        check(status == 401, f"no token: 401 ({status})")
        status, headers, body = mock.kick_get(LISTING, "not-a-token")
        check(status == 401 and body == {"data": None, "message": "Unauthorized"},
              f"an unknown token: 401 in Kick's envelope ({body})")
        status, _, body = mock.kick_get(LISTING, token, [("cursor", "bm9wZQ==")])
        check(status == 400, f"a cursor the mock did not make: 400 ({status})")

        mock.kick_faults({"kind": "bad_record", "count": 4})
        found = []
        for _ in range(4):
            status, _, body = mock.kick_get(LISTING, token, [("limit", 50)])
            found += [(s["id"], broken(s)) for s in body["data"] if broken(s)]
        stats = mock.kick_stats()
        noted = [(r["id"], r["how"]) for r in stats["corrupted_records"]]
        check(len(found) == 4 and found == noted,
              f"bad_record: the 4 broken records are the ones the stats name ({found} {noted})")

        check(mock.kick_revoke_tokens()["revoked"] >= 1, "the admin revokes Kick's tokens")
        status, _, _ = mock.kick_get(STATS, token)
        check(status == 401, f"a revoked token: 401 ({status})")
        twitch = mock.world()["live"]
        check(len(twitch) == 100, "Twitch's world is served beside Kick's, apart from it")
    finally:
        mock.stop()


def rate_limited(work):
    for mode in ("on", "off"):
        mock = PlatformMock(MOCK, work, "--kick-streams", "50", "--kick-rate-limit-per-minute",
                            "3", "--kick-retry-after", mode)
        try:
            token = token_of(mock)
            answers = [mock.kick_get(STATS, token) for _ in range(4)]
            statuses = [a[0] for a in answers]
            status, headers, body = answers[-1]
            check(statuses == [200, 200, 200, 429], f"Retry-After {mode}: {statuses}")
            check(body == {"data": None, "message": "Too Many Requests"}, f"429 body {body}")
            check(not any("ratelimit" in h for h in headers),
                  f"no rate-limit headers ({sorted(headers)})")
            if mode == "on":
                check(1 <= int(headers.get("retry-after", "0")) <= 60,
                      f"Retry-After: {headers.get('retry-after')}")
            else:
                check("retry-after" not in headers, "no Retry-After")
            check(mock.kick_stats()["rate_limited"] == 1, "the stats count the 429")
        finally:
            mock.stop()


def main(work):
    still_world(work)
    rate_limited(work)


run("kick_mock", main, database=False)
