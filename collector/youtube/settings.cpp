#include "collector/youtube/settings.hpp"

#include <charconv>
#include <cmath>

#include "collector/settings/readers.hpp"
#include "collector/youtube/websub.hpp"
#include "common/config/values.hpp"

namespace streamscope::youtube {

bool has_credentials(const config::settings& s) {
    return !s.get("YOUTUBE_API_KEY").value_or("").empty();
}

youtube_settings load_settings(const config::settings& s, bool required, http::timeouts timeouts,
                               int max_retries, std::vector<std::string>& problems) {
    youtube_settings y;
    y.api_key = config::secret(s.get("YOUTUBE_API_KEY").value_or(""));
    if (required && y.api_key.empty()) {
        problems.emplace_back("YOUTUBE_API_KEY is required to collect YouTube (an API key of a "
                              "Google Cloud project with the YouTube Data API v3 enabled)");
    }
    if (auto api = collector::origin_setting(s, "YOUTUBE_API_BASE_URL", problems)) {
        y.api = *api;
    }
    if (auto feed = collector::origin_setting(s, "YOUTUBE_FEED_BASE_URL", problems)) {
        y.feed = *feed;
    }
    if (auto ca = s.get("YOUTUBE_CA_FILE"); ca && !ca->empty()) {
        y.ca_file = *ca;
    }
    for (const std::string& item : config::list_setting(s, "YOUTUBE_CHANNELS")) {
        if (auto ref = parse_channel_ref(item)) {
            y.channels.push_back(std::move(*ref));
        } else {
            problems.push_back("YOUTUBE_CHANNELS: '" + item +
                               "' is not a channel id (UC followed by 22 characters), an "
                               "@handle or a channel's URL");
        }
    }
    config::read_integer(s, "YOUTUBE_DAILY_QUOTA", 1, 1'000'000'000, y.daily_quota, problems);
    config::read_integer(s, "YOUTUBE_SEARCH_DAILY_CALLS", 0, 1'000'000, y.search_quota, problems);
    const std::string rate = s.get("YOUTUBE_FEED_REQUESTS_PER_SECOND").value_or("");
    double per_second = 0;
    const auto [end, ec] = std::from_chars(rate.data(), rate.data() + rate.size(), per_second);
    if (ec != std::errc{} || end != rate.data() + rate.size() || !std::isfinite(per_second) ||
        per_second < 0.01 || per_second > 1000) {
        problems.push_back("YOUTUBE_FEED_REQUESTS_PER_SECOND must be a number from 0.01 to 1000, "
                           "got '" +
                           rate + "'");
    } else {
        y.feed_requests_per_second = per_second;
    }
    y.discovery_queries = config::list_setting(s, "YOUTUBE_DISCOVERY_QUERIES");
    config::read_integer(s, "YOUTUBE_DISCOVERY_MIN_VIEWERS", 0, 100'000'000,
                         y.discovery_min_viewers, problems);
    if (!y.discovery_queries.empty() && y.search_quota == 0) {
        problems.emplace_back("YOUTUBE_DISCOVERY_QUERIES needs search.list calls: "
                              "YOUTUBE_SEARCH_DAILY_CALLS is 0");
    }
    y.websub_callback = s.get("YOUTUBE_WEBSUB_CALLBACK_URL").value_or("");
    if (!y.websub_callback.empty()) {
        if (auto path = websub_callback_path(y.websub_callback);
            !path || *path == "/health" || *path == "/metrics") {
            problems.push_back("YOUTUBE_WEBSUB_CALLBACK_URL must be an http:// or https:// URL "
                               "with a path (other than /health and /metrics) and no query, got "
                               "'" +
                               y.websub_callback + "'");
        } else {
            y.websub_callback_path = std::move(*path);
        }
    }
    if (auto hub = collector::origin_setting(s, "YOUTUBE_WEBSUB_HUB_URL", problems)) {
        y.websub_hub = *hub;
    }
    y.websub_secret = config::secret(s.get("YOUTUBE_WEBSUB_SECRET").value_or(""));
    if (y.websub_secret.reveal().size() > 200) {
        problems.emplace_back("YOUTUBE_WEBSUB_SECRET must be at most 200 bytes (hubs refuse "
                              "longer secrets)");
    }
    if (!y.websub_secret.empty() && y.websub_callback.empty()) {
        problems.emplace_back("YOUTUBE_WEBSUB_SECRET is set but YOUTUBE_WEBSUB_CALLBACK_URL is "
                              "not: WebSub is off");
    }
    y.timeouts = timeouts;
    y.max_retries = max_retries;
    return y;
}

} // namespace streamscope::youtube
