#pragma once
// What the YouTube client needs to know, read and validated from the collector's settings.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collector/youtube/channels.hpp"
#include "common/config/secret.hpp"
#include "common/config/settings.hpp"
#include "common/http/client.hpp"

namespace streamscope::youtube {

struct youtube_settings {
    config::secret api_key;
    http::origin api;  // https://www.googleapis.com/youtube/v3 (+ /videos, /channels, ..)
    http::origin feed; // https://www.youtube.com/feeds (+ /videos.xml?channel_id=..)
    std::optional<std::string> ca_file;
    http::timeouts timeouts;
    int max_retries = 0;
    // YOUTUBE_CHANNELS: a fixed watchlist (ids, @handles or channel URLs) added at start, for
    // containers where nobody runs `youtube add`.
    std::vector<channel_ref> channels;
    std::int64_t daily_quota = 0;  // units of the shared bucket
    std::int64_t search_quota = 0; // search.list calls, a bucket of their own
    double feed_requests_per_second = 0;
    // YOUTUBE_DISCOVERY_QUERIES: search.list queries for channels not watched yet; empty: none.
    std::vector<std::string> discovery_queries;
    std::int32_t discovery_min_viewers = 0;
    // WebSub: empty websub_callback (YOUTUBE_WEBSUB_CALLBACK_URL) when off. The health port
    // answers websub_callback_path, the callback's path.
    std::string websub_callback;
    std::string websub_callback_path;
    http::origin websub_hub; // YOUTUBE_WEBSUB_HUB_URL
    config::secret websub_secret;
};

// Whether the API key is set: YouTube is then collected unless PLATFORMS says otherwise.
bool has_credentials(const config::settings& s);

// Reads the YOUTUBE_* settings; appends one line per problem. The key is required only when
// `required`.
youtube_settings load_settings(const config::settings& s, bool required, http::timeouts timeouts,
                               int max_retries, std::vector<std::string>& problems);

} // namespace streamscope::youtube
