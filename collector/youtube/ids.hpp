#pragma once
// The shapes of YouTube's ids, shared by the feed, the Data API answers and the watchlist.
// YouTube documents neither; these are what every id it has handed out so far looks like.

#include <string_view>

namespace streamscope::youtube {

// 11 characters of [A-Za-z0-9_-].
bool is_video_id(std::string_view text);

// "UC" and 22 characters of [A-Za-z0-9_-].
bool is_channel_id(std::string_view text);

} // namespace streamscope::youtube
