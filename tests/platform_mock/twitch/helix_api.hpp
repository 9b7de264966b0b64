#pragma once
// The Helix endpoints over the simulated world, in Twitch's shapes: Get Streams, Get Users,
// Get Games, Get Channel Followers. They run after authentication and rate limiting (see
// service.hpp); invalid parameters come back as Helix 400 replies, nothing throws but
// std::bad_alloc.

#include <cstdint>
#include <string>
#include <vector>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/exchange.hpp"
#include "tests/platform_mock/faults.hpp"
#include "tests/platform_mock/world.hpp"

namespace streamscope::platform_mock::twitch {

// The list a filter (game_id, language) leaves of the ranking, kept while the world stands
// still: a sweep paged by language asks for the same filtered list page after page.
struct filtered_list {
    std::uint64_t scope = 0;
    std::uint64_t tick = 0;
    std::vector<ranked_stream> streams;
};

struct streams_context {
    bool churn = false;         // advance the world one tick before answering a page
    std::uint64_t instance = 0; // ties cursors to this world: others are "invalid cursor"
    time::timestamp now;        // dates streams that start during the tick
    const fault_effects* effects = nullptr;
    filtered_list* last_filtered = nullptr; // the last filter's list, reused when still current
};

// GET /helix/streams. Pages are offsets into the ranking at the moment each page is asked for
// (after the churn tick, if any), filtered by game_id/language first. `after` continues where
// the cursor's page ended; `before` returns the `first` streams before the cursor's page.
// With user_id/user_login: the live ones among those channels, in one page, no cursor.
reply get_streams(world& w, const query& q, const streams_context& context);

// GET /helix/users: by id and/or login, at most 100 together; unknown ones are left out.
reply get_users(const world& w, const query& q);

// GET /helix/games: by id, name or igdb_id, at most 100 together.
reply get_games(const world& w, const query& q);

// GET /helix/channels/followers: the total only (data is empty for app tokens). `forbidden`
// answers 401 as Twitch does when a user token is required.
reply get_channel_followers(const world& w, const query& q, bool forbidden, bool omit_pagination);

// GET /_mock/world: {"tick":T,"live":[...]} with every live stream in ranking order.
std::string world_snapshot(const world& w);

} // namespace streamscope::platform_mock::twitch
