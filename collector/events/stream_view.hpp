#pragma once
// What the events of the next sweep are measured against: every broadcast of the platform
// still open as last seen, and the top lists of its last complete sweep. Held in memory by
// the platform's store (about 300 bytes a broadcast), advanced after each stored sweep, and
// loaded from the database when it does not follow the newest stored sweep (a start, a
// take-over from another collector).

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collector/events/rules.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector::events {

struct seen_stream {
    model::stream_observation stream; // without its tags: no event shows them
    time::timestamp collected_at;     // the sweep that last showed it
};

// Stream ids, most watched first (streams whose count is hidden are not ranked); ties go to
// the smaller stream id, so that equal counts never reorder a list.
using ranking = std::vector<std::string>;

struct rankings {
    ranking top;
    // By game id: the top_games games with the most viewers among those with at least
    // top_per_game ranked streams.
    std::unordered_map<std::string, ranking> per_game;
};

rankings rank(const std::deque<model::stream_observation>& streams, const event_rules& rules);

struct stream_view {
    // The newest stored sweep of the platform that the view follows; nullopt: the platform
    // has none, and its first sweep is a baseline without events.
    std::optional<time::timestamp> sweep_at;
    std::unordered_map<std::string, seen_stream> open; // by stream id
    // Those of the last complete sweep; nullopt until there was one (no top events before).
    std::optional<rankings> top_lists;
};

// Takes in a stored sweep: its streams as seen, its ended broadcasts gone, and (complete
// sweeps) its rankings, which derive() computed. A failed sweep changes nothing.
void advance(stream_view& view, const model::sweep& sweep, std::optional<rankings> ranked);

} // namespace streamscope::collector::events
