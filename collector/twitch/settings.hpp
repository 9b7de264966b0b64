#pragma once
// What the Twitch client needs to know, read and validated from the collector's settings.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "collector/platform/connection.hpp"
#include "common/config/settings.hpp"
#include "common/http/client.hpp"

namespace streamscope::twitch {

struct twitch_settings : collector::api_access {
    std::vector<std::string> languages;
    std::vector<std::string> game_ids;
    int max_streams = 0; // 0: all
    std::chrono::hours channel_refresh{};
};

// Whether any Twitch credential is set: Twitch is then swept unless PLATFORMS says otherwise.
bool has_credentials(const config::settings& s);

// Reads the TWITCH_* settings (and CHANNEL_REFRESH_HOURS, MAX_STREAMS_PER_COLLECTION); appends
// one line per problem. The credentials are required only when `required`.
twitch_settings load_settings(const config::settings& s, bool required, http::timeouts timeouts,
                              int max_retries, std::vector<std::string>& problems);

} // namespace streamscope::twitch
