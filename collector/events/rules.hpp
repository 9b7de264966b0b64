#pragma once
// What makes a change between two sweeps an event (collector settings EVENTS_*).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace streamscope::collector::events {

struct event_rules {
    // top.entered / top.left: the platform's N most watched streams (EVENTS_TOP_SIZE) ...
    std::size_t top_size = 100;
    // ... and each big game's M most watched (EVENTS_TOP_PER_GAME): the EVENTS_TOP_GAMES games
    // with the most viewers, of those with at least M streams with a known count, in both
    // sweeps. In a small game every new stream would "enter its top 10", and the counts of a
    // few viewers that reorder its list every sweep are noise: measured on 100,000 streams in
    // 3,000 games, every game's list made 30,000 events a sweep, the 50 biggest' a few dozen.
    std::size_t top_per_game = 10;
    std::size_t top_games = 50;
    // viewers.crossed: a stream's count went from below a threshold to it or above
    // (EVENTS_VIEWER_THRESHOLDS), ascending.
    std::vector<std::int64_t> viewer_thresholds{1'000, 10'000, 100'000};
};

} // namespace streamscope::collector::events
