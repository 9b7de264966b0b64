#pragma once
// A collector status with every field filled in, for the health and metrics tests.

#include <chrono>

#include "collector/daemon/status.hpp"

namespace streamscope::testing {

using namespace std::chrono_literals;
using collector::collector_status;
using collector::platform_status;
using collector::role;
using collector::sweep_summary;

inline const std::chrono::system_clock::time_point t0{std::chrono::seconds(1'800'000'000)};
inline constexpr auto twitch = streamscope::model::platform::twitch;
inline constexpr auto kick = streamscope::model::platform::kick;

// Twitch led by this collector, which finished a complete sweep 100 s before t0, with every
// field filled in.
inline platform_status busy_leader() {
    platform_status p;
    p.current_role = role::leader;
    p.interval = 300s;
    sweep_summary sweep;
    sweep.started_at = t0 - 160s;
    sweep.finished_at = t0 - 100s + 250ms;
    sweep.status = "complete";
    sweep.streams = 98'765;
    sweep.pages = 990;
    sweep.rows_written = 98'765;
    p.last_sweep = sweep;
    p.last_good_sweep = sweep;
    p.token_expires_at = t0 + 3600s + 500ms;
    p.sweeps_by_status = {{"complete", 11}, {"partial", 2}};
    p.pages_total = 10'890;
    p.requests_by_status = {{200, 12'000}, {429, 3}, {0, 1}};
    p.retries_total = 4;
    p.throttled_total = 3;
    p.malformed_total = 5;
    p.rate_limit_remaining = 777;
    p.last_sweep_duration_s = 59.75;
    p.last_store_duration_s = 0.625;
    p.rows_written_total = 1'086'415;
    p.sweeps_replayed_total = 1;
    return p;
}

inline collector_status busy_collector() {
    collector_status s;
    s.started_at = t0 - 1h;
    s.database_up = true;
    s.spool_bytes = 1234;
    s.spool_files = 2;
    s.platforms[twitch] = busy_leader();
    return s;
}

} // namespace streamscope::testing
