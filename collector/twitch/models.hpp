#pragma once
// Helix response bodies mapped onto the sweep model. Unknown fields are ignored and field order
// does not matter (Twitch adds fields without notice). A stream record that lacks a field we
// need, or holds one of the wrong type, is left out and counted, never the rest of its page; an
// answer without its `data` array throws malformed_field.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "collector/platform/platform_client.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::twitch {

// Get Streams: one page (also the answer to a look-up by user_id).
collector::listing_page read_streams_page(const boost::json::value& answer);

// Get Users: one user as the channel's profile.
std::vector<model::channel_profile> read_users(const boost::json::value& answer);

// Get Games.
std::vector<model::game_info> read_games(const boost::json::value& answer);

// Get Channel Followers, read for its `total` only.
std::int64_t read_followers_total(const boost::json::value& answer);

} // namespace streamscope::twitch
