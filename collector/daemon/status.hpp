#pragma once
// What the collector daemon knows about itself, for /health and /metrics: its own part and
// each platform's. Plain data, owned by the daemon and read by the health server on the same
// io_context thread (no locking).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "collector/platform/quota_report.hpp"
#include "common/model/platform.hpp"

namespace streamscope::collector {

enum class role {
    starting, // not yet connected to the database
    leader,   // holds the platform's advisory lock: sweeps and writes
    standby,  // another collector leads the platform: does not sweep it
    detached, // the database is unreachable: sweeps into the spool
    stopped,  // the platform refused this collector (credentials, certificate): left out
};
const char* to_string(role r);

struct sweep_summary {
    std::chrono::system_clock::time_point started_at;
    std::chrono::system_clock::time_point finished_at;
    std::string status; // complete, partial, failed
    std::int64_t streams = 0;
    std::int32_t pages = 0;
    std::int64_t rows_written = 0; // snapshots written; 0 when spooled
    bool spooled = false;
};

// One platform's part: each platform has its own schedule, leader lock and sweeps.
struct platform_status {
    role current_role = role::starting;
    std::chrono::duration<double> interval{300};
    std::optional<sweep_summary> last_sweep;      // the last one this process finished
    std::optional<sweep_summary> last_good_sweep; // ... that was stored or spooled complete
    // For a standby: when the leader's newest sweep started, read from the database.
    std::optional<std::chrono::system_clock::time_point> leader_last_sweep_at;
    std::optional<std::chrono::system_clock::time_point> token_expires_at;
    std::string stopped_because;       // role::stopped: what the platform said
    std::optional<quota_report> quota; // platforms with a daily quota (YouTube)

    // Counters since start, for /metrics.
    std::map<std::string, std::int64_t> sweeps_by_status; // complete/partial/failed
    std::int64_t pages_total = 0;
    std::map<unsigned, std::int64_t> requests_by_status; // HTTP status; 0: no response
    std::int64_t retries_total = 0;
    std::int64_t throttled_total = 0; // 429s
    std::int64_t malformed_total = 0; // records the platform sent that could not be read
    std::optional<std::int64_t> rate_limit_remaining;
    double last_sweep_duration_s = 0;
    // Writing the last sweep stored (with its rollups); none before the first.
    std::optional<double> last_store_duration_s;
    std::int64_t rows_written_total = 0;
    std::int64_t sweeps_replayed_total = 0;
};

// Webhook deliveries by state, as the delivering collector last counted them (every 10 s).
struct webhook_status {
    std::int64_t pending = 0;
    std::int64_t delivered = 0;
    std::int64_t failed = 0;
};

struct collector_status {
    // When the process started: a platform with no sweep to judge by yet is healthy for a
    // grace period after it (see is_healthy). The daemon sets it first thing.
    std::chrono::system_clock::time_point started_at;
    bool database_up = false;
    std::uint64_t spool_bytes = 0;
    std::uint64_t spool_files = 0;
    std::map<model::platform, platform_status> platforms;
    // Only in the collector that delivers webhooks (delivery_lock), once it counted.
    std::optional<webhook_status> webhooks;
};

// A platform is healthy while the newest sweep this collector answers for is younger than 2.5
// of its intervals, so that one slow or failed sweep is tolerated but a second is not. A leader
// or detached collector answers for its own last good sweep (when it finished), a standby for
// the leader's newest sweep (when it started). With no such sweep yet, the newest of
// `started_at` and, for a leader or detached collector, leader_last_sweep_at starts the same
// grace period: a standby promoted to leader inherits the age of the sweeps it takes over. A
// stopped platform is not healthy.
bool is_healthy(const platform_status& p, std::chrono::system_clock::time_point started_at,
                std::chrono::system_clock::time_point now);

// The collector is healthy while at least one platform runs and every platform that runs is
// healthy: a platform that refused this collector is reported, not counted.
bool is_healthy(const collector_status& s, std::chrono::system_clock::time_point now);

} // namespace streamscope::collector
