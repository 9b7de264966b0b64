#pragma once
// Elapsed time as a number of seconds, for logs, /health and metrics.

#include <chrono>

namespace streamscope::time {

inline double seconds_between(std::chrono::system_clock::time_point from,
                              std::chrono::system_clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

} // namespace streamscope::time
