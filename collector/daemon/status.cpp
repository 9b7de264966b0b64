#include "collector/daemon/status.hpp"

#include <algorithm>

namespace streamscope::collector {

const char* to_string(role r) {
    switch (r) {
    case role::starting:
        return "starting";
    case role::leader:
        return "leader";
    case role::standby:
        return "standby";
    case role::detached:
        return "detached";
    case role::stopped:
        return "stopped";
    }
    return "unknown"; // a value cast from outside the enum: say so rather than crash
}

bool is_healthy(const platform_status& p, std::chrono::system_clock::time_point started_at,
                std::chrono::system_clock::time_point now) {
    using std::chrono::system_clock;
    const std::chrono::duration<double> limit = p.interval * 2.5;
    system_clock::time_point newest = started_at;
    switch (p.current_role) {
    case role::leader:
    case role::detached:
        if (p.last_good_sweep) {
            newest = p.last_good_sweep->finished_at;
        } else if (p.leader_last_sweep_at) {
            newest = std::max(newest, *p.leader_last_sweep_at);
        }
        break;
    case role::standby:
        if (p.leader_last_sweep_at) {
            newest = *p.leader_last_sweep_at;
        }
        break;
    case role::starting:
        break;
    case role::stopped:
        return false;
    }
    // A sweep time from the database can lie slightly in the future of this host's clock: that
    // counts as fresh, not as an error.
    return std::chrono::duration<double>(now - newest) < limit;
}

bool is_healthy(const collector_status& s, std::chrono::system_clock::time_point now) {
    bool running = false;
    for (const auto& [platform, p] : s.platforms) {
        if (p.current_role == role::stopped) {
            continue;
        }
        running = true;
        if (!is_healthy(p, s.started_at, now)) {
            return false;
        }
    }
    return running;
}

} // namespace streamscope::collector
