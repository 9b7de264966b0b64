#pragma once
// The collector's settings, typed and validated: what the option table (options.hpp) holds,
// read once at start. Every default lives in the table; these structs are filled by the loader.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "collector/store/retention.hpp"
#include "collector/twitch/settings.hpp"
#include "common/config/settings.hpp"

namespace streamscope::collector {

struct daemon_settings {
    std::chrono::milliseconds interval{};
    std::string spool_dir;
    std::uint64_t spool_max_bytes = 0;
    std::string health_address;
    std::uint16_t health_port = 0;
};

struct collector_settings {
    bool once = false;
    twitch::twitch_settings twitch;
    daemon_settings daemon;
    retention_settings retention;
};

// Validates the collector's settings; appends one line per problem. The Twitch credentials
// are required only when `needs_twitch` (not for `migrate`).
collector_settings load_collector_settings(const config::settings& s, bool needs_twitch,
                                           std::vector<std::string>& problems);

} // namespace streamscope::collector
