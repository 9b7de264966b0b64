#pragma once
// The YouTube Data API v3 methods the mock serves, in Google's shapes, over the simulated world
// at the time `now` (see world.hpp):
//   GET /youtube/v3/videos         part=snippet,liveStreamingDetails  id=ID,ID,... (<= 50)
//   GET /youtube/v3/channels       part=snippet,contentDetails[,statistics]  id=... | forHandle=@h
//   GET /youtube/v3/playlistItems  part=snippet,contentDetails  playlistId=UU...  maxResults
//                                  pageToken
//   GET /youtube/v3/search         part=snippet type=video eventType=live q channelId maxResults
//                                  pageToken
// They run after the key and quota checks (service.hpp). Bad parameters come back as Google's
// 400s; deleted, private and terminated things are simply absent. Nothing throws but
// std::bad_alloc.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/exchange.hpp"
#include "tests/platform_mock/youtube/world.hpp"

namespace streamscope::platform_mock::youtube {

// At most this many ids per call and results per page.
inline constexpr std::size_t max_ids = 50;

reply list_videos(const world& w, const query& q, time::timestamp now);
reply list_channels(const world& w, const query& q);
reply list_playlist_items(const world& w, const query& q);
reply list_search(const world& w, const query& q, time::timestamp now);

// Page tokens as YouTube makes them: a tiny protobuf {1: offset, 2: 0} in base64 without
// padding ("CAUQAA" is offset 5, "CDIQAA" offset 50). nullopt for anything else.
std::string page_token(std::uint64_t offset);
std::optional<std::uint64_t> read_page_token(std::string_view token);

// 2026-03-08T10:00:00Z: the API's timestamps have whole seconds.
std::string api_time(time::timestamp t);

// The channel's uploads playlist: "UU" + the channel id without its "UC".
std::string uploads_playlist(std::string_view channel_id);

// Search results carry titles escaped for HTML (&amp; &lt; &gt; &quot; &#39;), unlike the
// other methods: one more reason for a collector to read titles from videos.list.
std::string html_escape(std::string_view text);

} // namespace streamscope::platform_mock::youtube
