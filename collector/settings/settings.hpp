#pragma once
// The collector's settings, typed and validated: what the option table (options.hpp) holds,
// read once at start. Every default lives in the table; these structs are filled by the loader.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "collector/events/rules.hpp"
#include "collector/kick/settings.hpp"
#include "collector/store/retention.hpp"
#include "collector/twitch/settings.hpp"
#include "collector/webhooks/delivery.hpp"
#include "collector/youtube/settings.hpp"
#include "common/config/settings.hpp"
#include "common/model/platform.hpp"

namespace streamscope::collector {

struct daemon_settings {
    std::map<model::platform, std::chrono::milliseconds> intervals; // of every chosen platform
    std::string spool_dir;
    std::uint64_t spool_max_bytes = 0;
    std::string health_address;
    std::uint16_t health_port = 0;
};

struct collector_settings {
    bool once = false;
    // The platforms to sweep, each with its own schedule, rate budget, sweeps and leader lock.
    std::vector<model::platform> platforms;
    twitch::twitch_settings twitch;
    kick::kick_settings kick;
    youtube::youtube_settings youtube;
    daemon_settings daemon;
    retention_settings retention;
    events::event_rules events;
    webhooks::delivery_settings webhooks;
};

// Validates the collector's settings; appends one line per problem. The chosen platforms'
// credentials are required only when `needs_credentials` (not for `migrate`). PLATFORMS chooses
// the platforms; unset, every platform with credentials set (Twitch when none is).
collector_settings load_collector_settings(const config::settings& s, bool needs_credentials,
                                           std::vector<std::string>& problems);

} // namespace streamscope::collector
