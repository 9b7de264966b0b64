#pragma once
// What a sweep needs to know from the database before it is stored: the newest sweep, the
// broadcasts still open that it did not see (for the end-of-broadcast decision), and which
// channels and games enrichment should fetch. SQL lives here, next to the code that owns it.

#include <chrono>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "collector/sweep/end_decision.hpp"
#include "common/model/sweep.hpp"

namespace streamscope::collector {

// The newest stored sweep of the platform.
struct latest_sweep {
    bool exists = false;
    time::timestamp started_at{};
    bool complete = false;
    std::size_t streams = 0;
};

latest_sweep load_latest_sweep(pqxx::connection& conn, model::platform platform);

// The broadcasts still open in the database that this sweep's pages did not show under their
// stream id: the only ones the end-of-broadcast decision has to consider. The matching is
// done by PostgreSQL, so that the collector never holds every open broadcast in memory.
std::vector<open_broadcast>
load_unmatched_broadcasts(pqxx::connection& conn, model::platform platform,
                          const latest_sweep& latest,
                          const std::deque<model::stream_observation>& seen);

// What enrichment should fetch for a sweep's streams, most watched first, at most what the
// budget of requests can cover: unknown games, channels whose profile is missing or older
// than the refresh period (100 per request), and where the platform gives them
// (`with_followers`), channels for a follower count (one per request: those without one
// first).
struct enrichment_plan {
    std::vector<std::string> games;
    std::vector<std::string> stale_channels;
    std::vector<std::string> follower_channels;
};

enrichment_plan plan_enrichment(pqxx::connection& conn, model::platform platform,
                                const std::deque<model::stream_observation>& streams,
                                std::chrono::hours profile_refresh, std::int64_t budget,
                                bool with_followers);

} // namespace streamscope::collector
