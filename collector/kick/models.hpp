#pragma once
// Kick's public API answers mapped onto the sweep model. The v2 livestreams item (also what
// the look-up by broadcaster id returns):
//   {"id":"..","broadcaster_user":{"id":<int>,"username":"..","profile_picture":".."},
//    "channel":{"slug":".."},"category":{"id":<int>,"name":"..","thumbnail":".."},
//    "title":"..","language_code":"en","started_at":"<RFC 3339>","tags":[".."],
//    "thumbnail":"..","viewer_count":<int>,"has_mature_content":<bool>}
// Ids are stored as text whatever their JSON type (pitfall 18). A stream without a category
// comes with category null or id 0: no category. A record that cannot be read (a null or
// out-of-range viewer count, a tag that is not a string, a missing broadcaster) is left out and
// counted, never the rest of its page; an answer without its `data` throws malformed_field.

#include <cstdint>
#include <string>
#include <unordered_map>

#include <boost/json/value.hpp>

#include "collector/platform/platform_client.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::kick {

// What the listing says about channels and categories besides the streams: Kick's profile
// pictures and category art, kept so that enrichment needs no request of its own.
struct listing_extras {
    std::unordered_map<std::string, model::game_info> categories;  // by category id
    std::unordered_map<std::string, std::string> profile_pictures; // by broadcaster id
};

// A v2 livestreams page, or a look-up's answer (no pagination: no cursor). An empty or
// missing next_cursor ends the list.
collector::listing_page read_livestreams(const boost::json::value& answer, listing_extras& extras);

// /public/v1/livestreams/stats: data.total_count.
std::int64_t read_total_count(const boost::json::value& answer);

} // namespace streamscope::kick
