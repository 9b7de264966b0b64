#pragma once
// Kick's public livestream endpoints over the simulated world, in Kick's shapes (see
// livestream_json.hpp for one item):
//   GET /public/v2/livestreams {"data":[...],"message":"OK","pagination":{"next_cursor":"..."}} GET
//   /public/v1/users/livestreams    {"data":[...],"message":"OK"} GET /public/v1/livestreams/stats
//   {"data":{"total_count":N},"message":"OK"}
// They run after authentication and the rate limit (see service.hpp). Invalid parameters come
// back as 400 replies; nothing throws but std::bad_alloc.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/time/timestamp.hpp"
#include "tests/platform_mock/exchange.hpp"
#include "tests/platform_mock/faults.hpp"
#include "tests/platform_mock/kick/livestream_json.hpp"
#include "tests/platform_mock/rng.hpp"
#include "tests/platform_mock/world.hpp"

namespace streamscope::platform_mock::kick {

inline constexpr std::string_view listing_path = "/public/v2/livestreams";
inline constexpr std::string_view lookup_path = "/public/v1/users/livestreams";

enum class cursor_mode { offset, keyset }; // see cursor.hpp

// What the last page says: "next_cursor":"" (empty), "pagination":{} (absent), or either at
// random page by page.
enum class last_page_cursor { empty, absent, random };

struct listing_settings {
    cursor_mode cursor = cursor_mode::offset;
    last_page_cursor last_page = last_page_cursor::empty;
    no_category_shape no_category = no_category_shape::zero;
};

// A record a bad_record fault broke, for the admin stats.
struct corrupted_record {
    std::string stream_id;
    record_corruption how;
    std::string path;
};

struct page_context {
    listing_settings settings;
    bool churn = false;         // v2 only: advance the world one tick before answering
    std::uint64_t instance = 0; // ties cursors to this world: others are "invalid cursor"
    time::timestamp now;        // dates streams that start during the tick
    const fault_effects* effects = nullptr;
    rng* random = nullptr;                              // which record breaks; random last pages
    std::vector<corrupted_record>* corrupted = nullptr; // where broken records are noted
};

// GET /public/v2/livestreams: `limit` 1..1000 (default 100), `cursor`, `category_id` and
// `language_code` (each repeatable, at most 25), oldest stream first. An empty `cursor` is the
// first page (so a client that sends the last page's "" back starts over).
reply list_livestreams(world& w, const query& q, const page_context& context);

// GET /public/v1/users/livestreams: the live ones among 1 to 100 `user_id`s (integers), in the
// order asked, each once; unknown and offline ones are left out.
reply users_livestreams(const world& w, const query& q, const page_context& context);

// GET /public/v1/livestreams/stats: every live stream, unfiltered.
reply livestreams_stats(const world& w);

// GET /_mock/kick/world: {"tick":T,"live":[{"id","broadcaster_user_id","slug","username",
// "category_id","language_code","title","viewer_count","started_at","since_tick"}...]} in listing
// order (category_id null without a category).
std::string world_snapshot(const world& w);

} // namespace streamscope::platform_mock::kick
