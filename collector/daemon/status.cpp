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
    }
    return "unknown"; // a value cast from outside the enum: say so rather than crash
}

bool is_healthy(const collector_status& s, std::chrono::system_clock::time_point now) {
    using std::chrono::system_clock;
    const std::chrono::duration<double> limit = s.interval * 2.5;
    system_clock::time_point newest = s.started_at;
    switch (s.current_role) {
    case role::leader:
    case role::detached:
        if (s.last_good_sweep) {
            newest = s.last_good_sweep->finished_at;
        } else if (s.leader_last_sweep_at) {
            newest = std::max(newest, *s.leader_last_sweep_at);
        }
        break;
    case role::standby:
        if (s.leader_last_sweep_at) {
            newest = *s.leader_last_sweep_at;
        }
        break;
    case role::starting:
        break;
    }
    // A sweep time from the database can lie slightly in the future of this host's clock: that
    // counts as fresh, not as an error.
    return std::chrono::duration<double>(now - newest) < limit;
}

} // namespace streamscope::collector
