#pragma once
// When sweeps start: on multiples of the interval since the Unix epoch, so that they do not
// drift, and a restart keeps the rhythm (a 5-minute collector sweeps at :00, :05, ...).

#include <chrono>

namespace streamscope::collector {

// The first boundary strictly after `t`.
inline std::chrono::system_clock::time_point next_boundary(std::chrono::system_clock::time_point t,
                                                           std::chrono::milliseconds interval) {
    const auto since_epoch =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
    const auto boundaries = since_epoch / interval + 1;
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(interval * boundaries));
}

} // namespace streamscope::collector
