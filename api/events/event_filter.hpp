#pragma once
// Which events a feed wants: the query parameters of /live/events and /live/ws.
//   platform=twitch,kick   type=stream.live,top.entered   channel=name1,name2 (usernames)
//   game=ID-or-name,...    min_viewers=N (events of streams with at least N viewers; an
//   unknown count does not qualify)
// Each list matches any of its items; the parameters together must all match.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/events/event_hub.hpp"
#include "api/params/query_params.hpp"

namespace streamscope::api {

struct event_filter {
    std::vector<std::string> platforms;
    std::vector<std::string> types;
    std::vector<std::string> channels; // lower case
    std::vector<std::string> games;    // ids as given, names in lower case
    std::int64_t min_viewers = 0;

    bool matches(const rendered_event& e) const;
};

// Reads the filter from `params` (which must allow platform, type, channel, game and
// min_viewers); a bad value is recorded in params.error().
event_filter read_event_filter(query_params& params);

} // namespace streamscope::api
