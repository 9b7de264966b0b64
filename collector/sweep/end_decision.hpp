#pragma once
// Which of the broadcasts still open in the database are over, and which were only missed by
// paging. Get Streams re-sorts while it is paged, so a stream missing from one sweep's pages
// has not necessarily ended. The sweep looks the missing channels up by user id; a broadcast
// is over when the look-up says so (the channel is offline, or live with another broadcast),
// or, when the look-up could not be made, when the broadcast is missing from two consecutive
// complete sweeps. It ends at its last sighting.

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "collector/sweep/stream_set.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

// A broadcast that the database holds as not ended.
struct open_broadcast {
    std::string stream_id;
    std::string user_id;
    time::timestamp last_seen;    // its newest snapshot
    bool in_latest_sweep = false; // the newest stored sweep of the platform saw it
};

// The answers of the look-ups by user id.
struct lookup_answers {
    std::unordered_set<std::string> asked;                           // user ids answered
    std::unordered_map<std::string, model::stream_observation> live; // user id -> its stream
};

struct end_decision {
    std::vector<model::stream_observation> recovered; // live, but missed by paging
    std::vector<model::ended_stream> ended;
    std::size_t undecided = 0; // missing, not looked up, missed only once: decided next sweep
};

// The channels to look up: those with an open broadcast that this sweep's pages did not show.
std::vector<std::string> channels_to_look_up(const std::vector<open_broadcast>& open,
                                             const stream_set& seen);

// `latest_sweep_complete`: the newest stored sweep was complete, so a broadcast that it did not
// see was missing from it. `this_sweep_complete`: this sweep paged to the end.
end_decision decide_ends(const std::vector<open_broadcast>& open, const stream_set& seen,
                         const lookup_answers& answers, bool latest_sweep_complete,
                         bool this_sweep_complete);

} // namespace streamscope::collector
