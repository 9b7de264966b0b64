#pragma once
// What the Twitch client needs to know, as the collector's settings loader validated it.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "collector/platform/oauth_token_source.hpp"
#include "common/http/client.hpp"

namespace streamscope::twitch {

struct twitch_settings {
    collector::credentials credentials;
    http::origin api;
    http::origin auth;
    std::optional<std::string> ca_file;
    std::vector<std::string> languages;
    std::vector<std::string> game_ids;
    int max_streams = 0; // 0: all
    std::chrono::hours channel_refresh{};
    http::timeouts timeouts;
    int max_retries = 0;
};

} // namespace streamscope::twitch
