#pragma once
// The events of one sweep: what changed since the platform's previous stored sweep, as the
// view remembers it. Pure: the store calls it before writing the sweep (the events are written
// in the sweep's transaction) and advances the view once the sweep is stored.
//
// - stream.live: a broadcast the view does not know (not after a baseline: the platform's
//   first sweep has no events).
// - stream.ended: a broadcast the sweep ended (collector/sweep/end_decision), with its last
//   sighting.
// - stream.changed: its title or game differs from the last sighting.
// - viewers.crossed: its count went from below a threshold to it or above, between two
//   sightings with known counts.
// - top.entered / top.left: a complete sweep's top lists (the platform's, each big game's)
//   against the last complete sweep's.
// game.trending is not derived yet: its rule is /stats/games/trending's, whose statements
// live in the API.

#include <optional>
#include <string_view>
#include <vector>

#include "collector/events/rules.hpp"
#include "collector/events/stream_view.hpp"
#include "common/model/event.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector::events {

struct derivation {
    std::vector<model::event> events;
    // The sweep's rankings when it is complete, for advance().
    std::optional<rankings> ranked;
};

derivation derive(const stream_view& view, const model::sweep& sweep, const event_rules& rules);

} // namespace streamscope::collector::events
