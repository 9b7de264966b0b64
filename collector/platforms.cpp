#include "collector/platforms.hpp"

#include <array>

#include "collector/kick/client.hpp"
#include "collector/twitch/client.hpp"
#include "collector/youtube/client.hpp"

namespace streamscope::collector {
namespace {

std::unique_ptr<platform_client> make_twitch(boost::asio::any_io_executor executor,
                                             const collector_settings& s) {
    return std::make_unique<twitch::client>(std::move(executor), s.twitch);
}

sweep_options twitch_options(const collector_settings& s) {
    return {.max_streams = static_cast<std::size_t>(s.twitch.max_streams),
            .channel_refresh = s.twitch.channel_refresh};
}

std::unique_ptr<platform_client> make_kick(boost::asio::any_io_executor executor,
                                           const collector_settings& s) {
    return std::make_unique<kick::client>(std::move(executor), s.kick);
}

// Kick's listing is oldest first: a cap would keep the oldest streams, not the most watched,
// so Kick is always swept whole. Its profiles cost no request: refreshed daily.
sweep_options kick_options(const collector_settings&) {
    return {.max_streams = 0, .channel_refresh = std::chrono::hours(24)};
}

std::unique_ptr<platform_client> make_youtube(boost::asio::any_io_executor executor,
                                              const collector_settings& s) {
    const auto interval = s.daemon.intervals.find(model::platform::youtube);
    return std::make_unique<youtube::client>(
        std::move(executor), s.youtube,
        interval != s.daemon.intervals.end() ? interval->second : std::chrono::minutes(5));
}

// YouTube's listing is the watchlist's live broadcasts, all of them. Profiles cost quota:
// refreshed weekly.
sweep_options youtube_options(const collector_settings&) {
    return {.max_streams = 0, .channel_refresh = std::chrono::hours(24 * 7)};
}

const std::array<platform_entry, 3> table{{
    {model::platform::twitch, "TWITCH_CA_FILE", twitch::has_credentials, make_twitch,
     twitch_options},
    {model::platform::kick, "KICK_CA_FILE", kick::has_credentials, make_kick, kick_options},
    {model::platform::youtube, "YOUTUBE_CA_FILE", youtube::has_credentials, make_youtube,
     youtube_options},
}};

} // namespace

std::span<const platform_entry> swept_platforms() {
    return table;
}

const platform_entry* find_platform(model::platform platform) {
    for (const platform_entry& entry : table) {
        if (entry.id == platform) {
            return &entry;
        }
    }
    return nullptr;
}

} // namespace streamscope::collector
