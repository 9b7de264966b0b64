#pragma once
// What makes a change between two sweeps an event (collector settings EVENTS_*).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace streamscope::collector::events {

struct event_rules {
    // top.entered / top.left: the platform's N most watched streams (EVENTS_TOP_SIZE) ...
    std::size_t top_size = 100;
    // ... and each game's M most watched (EVENTS_TOP_PER_GAME), for games with at least M
    // streams with a known count in both sweeps: in a game of three streams every new one
    // would "enter its top 10".
    std::size_t top_per_game = 10;
    // viewers.crossed: a stream's count went from below a threshold to it or above
    // (EVENTS_VIEWER_THRESHOLDS), ascending.
    std::vector<std::int64_t> viewer_thresholds{1'000, 10'000, 100'000};
};

} // namespace streamscope::collector::events
