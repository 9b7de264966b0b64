#pragma once
// The platforms Streamscope knows, in one table: their ids (those of the `platforms` table,
// which a database test compares with this one), the names every interface uses (URLs,
// settings, spool files, log lines), and what the collector gathers of each (so that the
// collector and the API's figures say the same).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamscope::model {

enum class platform : std::int16_t { twitch = 1, kick = 2, youtube = 3 };

// What a platform's figures cover: every stream live on it at each sweep, or only the
// channels of a watchlist (YouTube: its API cannot list every live stream within its quota).
enum class platform_coverage { all_live_streams, watchlist };

struct platform_info {
    platform id;
    std::string_view name; // lower case, as in URLs and settings: "twitch"
    platform_coverage coverage;
};

inline constexpr std::array<platform_info, 3> platforms{{
    {platform::twitch, "twitch", platform_coverage::all_live_streams},
    {platform::kick, "kick", platform_coverage::all_live_streams},
    {platform::youtube, "youtube", platform_coverage::watchlist},
}};

std::string_view to_string(platform p);

// "all_live_streams" or "watchlist", as the API writes it.
std::string_view to_string(platform_coverage c);

// What the collector gathers of `p`.
platform_coverage coverage_of(platform p);

// The platform called `name` (exactly as in the table), or nullopt.
std::optional<platform> parse_platform(std::string_view name);

// The platform whose id is `id`, or nullopt.
std::optional<platform> platform_from_id(std::int64_t id);

// "twitch, kick, youtube": for messages that list what is allowed.
std::string platform_names(std::string_view separator = ", ");

} // namespace streamscope::model
