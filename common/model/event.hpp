#pragma once
// What changed between two sweeps of a platform, as the live feed and webhooks send it. The
// collector derives events when it stores a sweep (collector/events/) and writes them with
// the sweep, in its transaction, to the `events` table (sql/migrations/0018_events.sql); the
// API reads them from there.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time/timestamp.hpp"

namespace streamscope::model {

// Every event type, by the name clients filter on.
inline constexpr std::array<std::string_view, 7> event_types{
    "stream.live", "stream.ended",    "stream.changed", "top.entered",
    "top.left",    "viewers.crossed", "game.trending",
};

bool is_event_type(std::string_view name);

// One event as stored. The columns besides `data` are what feeds filter on without parsing it.
struct event {
    std::string type;
    std::string channel;                 // the stream's username (login); "" for game events
    std::string game_id;                 // the platform's game id; "" for none
    std::string game_name;               // "" for none
    std::optional<std::int64_t> viewers; // the stream's (or game's) viewers; nullopt: hidden
    std::string data;                    // the event's "data" object, JSON text
};

// An event as clients get it, in the live feed and in webhooks: {"id", "type", "timestamp",
// "sweep_id", "platform", "data"}, compact, with `data` (JSON text, as the collector wrote it)
// inserted as it is.
std::string event_json(std::int64_t id, std::string_view type, time::timestamp at,
                       std::string_view sweep_id, std::string_view platform, std::string_view data);

} // namespace streamscope::model
