#pragma once
// The platforms Streamscope knows, in one table: their ids (those of the `platforms` table,
// which a database test compares with this one) and the names every interface uses (URLs,
// settings, spool files, log lines).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamscope::model {

enum class platform : std::int16_t { twitch = 1, kick = 2, youtube = 3 };

struct platform_info {
    platform id;
    std::string_view name; // lower case, as in URLs and settings: "twitch"
};

inline constexpr std::array<platform_info, 3> platforms{{
    {platform::twitch, "twitch"},
    {platform::kick, "kick"},
    {platform::youtube, "youtube"},
}};

std::string_view to_string(platform p);

// The platform called `name` (exactly as in the table), or nullopt.
std::optional<platform> parse_platform(std::string_view name);

// The platform whose id is `id`, or nullopt.
std::optional<platform> platform_from_id(std::int64_t id);

// "twitch, kick, youtube": for messages that list what is allowed.
std::string platform_names(std::string_view separator = ", ");

} // namespace streamscope::model
