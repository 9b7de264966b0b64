#pragma once
// What one sweep of a platform saw, as the collector hands it to the write path. Plain data:
// the platforms' ids are opaque strings and all text is stored byte for byte.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/platform.hpp"
#include "common/time/timestamp.hpp"

namespace streamscope::model {

enum class sweep_status { complete, partial, failed };
std::string_view to_string(sweep_status s);

// One live stream as a Get Streams page showed it.
struct stream_observation {
    std::string platform_stream_id;
    std::string platform_user_id;
    std::string login;
    std::string display_name;
    std::string platform_game_id; // empty: no category
    std::string game_name;
    std::string title;
    std::vector<std::string> tags;
    std::optional<std::int32_t> viewer_count; // nullopt: the platform hides it
    time::timestamp started_at;
    std::string language;
    std::string thumbnail_url;
    bool is_mature = false;
};

// A channel's profile, fetched by enrichment (Get Users) for new or stale channels.
// nullopt: the platform does not say (Kick's listing has no description or broadcaster type);
// the stored value is then left as it is.
struct channel_profile {
    std::string platform_user_id;
    std::optional<std::string> description;
    std::string profile_image_url;
    std::optional<std::string> broadcaster_type;
    std::optional<time::timestamp> account_created_at;
};

struct follower_count {
    std::string platform_user_id;
    std::int64_t followers = 0;
};

// A category's details, fetched by enrichment (Get Games) for unknown games.
struct game_info {
    std::string platform_game_id;
    std::string name;
    std::string box_art_url;
    std::string igdb_id;
};

// A broadcast the collector decided is over, with its last sighting.
struct ended_stream {
    std::string platform_stream_id;
    time::timestamp last_seen_at;
};

struct sweep {
    platform source = platform::twitch;
    // The sweep's time: every snapshot of the sweep is stored with it as collected_at, and
    // (platform, started_at) identifies the sweep, so writing the same sweep twice is a no-op.
    time::timestamp started_at;
    time::timestamp finished_at;
    sweep_status status = sweep_status::complete;
    std::int32_t pages = 0;
    std::int32_t requests = 0;
    std::int32_t retries = 0;
    std::int32_t duplicates_dropped = 0;
    std::int32_t malformed_records = 0; // records the platform sent that could not be read
    std::string error;                  // what could not be fetched, for partial and failed sweeps

    // One per stream, duplicates already dropped. A deque: 100,000 streams grow in chunks,
    // without a vector's copy at each doubling and its unused half (measured: 15-25 MB).
    std::deque<stream_observation> streams;
    std::vector<channel_profile> profiles;
    std::vector<follower_count> followers;
    std::vector<game_info> games;
    std::vector<ended_stream> ended;
};

} // namespace streamscope::model
