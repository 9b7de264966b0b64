#pragma once
// The platforms this collector sweeps, one row each: how to tell from the settings that it is
// wanted, how to build its client, how its sweeps page. --once, the daemon and the settings
// loader all go through this table; a new platform is a folder beside twitch/ and kick/ with a
// platform_client, its settings, and a row here.

#include <memory>
#include <span>

#include <boost/asio/any_io_executor.hpp>

#include "collector/platform/platform_client.hpp"
#include "collector/settings/settings.hpp"
#include "collector/sweep/sweeper.hpp"
#include "common/config/settings.hpp"

namespace streamscope::collector {

struct platform_entry {
    model::platform id;
    std::string_view ca_file_setting; // where a person names a CA for it: "TWITCH_CA_FILE"
    // Whether any of its credentials is set: it is swept then, unless PLATFORMS says otherwise.
    bool (*has_credentials)(const config::settings& s);
    // Its client, built from the settings (which must outlive it); requests run on `executor`.
    // Throws std::runtime_error when a CA file cannot be read.
    std::unique_ptr<platform_client> (*make_client)(boost::asio::any_io_executor executor,
                                                    const collector_settings& s);
    sweep_options (*options)(const collector_settings& s);
};

// Every platform this collector can sweep.
std::span<const platform_entry> swept_platforms();

// The row of `platform`; nullptr when it is not swept by this collector.
const platform_entry* find_platform(model::platform platform);

} // namespace streamscope::collector
