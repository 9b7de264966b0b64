#include "common/http/read_floor.hpp"

#include <algorithm>

namespace streamscope::http {

std::chrono::nanoseconds read_floor::allowance(std::uint64_t sent_after,
                                               std::chrono::nanoseconds waited,
                                               std::chrono::nanoseconds cap) const {
    if (bytes_per_second == 0) {
        return cap;
    }
    // In floating point: bytes times 1e9 overflows 64 bits past 18 GB.
    const double earned_ns =
        static_cast<double>(sent_after) / static_cast<double>(bytes_per_second) * 1e9;
    const double budget_ns =
        static_cast<double>(std::chrono::nanoseconds(grace).count()) + earned_ns;
    const double left_ns = budget_ns - static_cast<double>(waited.count());
    if (left_ns <= 0) {
        return std::chrono::nanoseconds::zero();
    }
    if (left_ns >= static_cast<double>(cap.count())) {
        return cap;
    }
    return std::chrono::nanoseconds(static_cast<std::int64_t>(left_ns));
}

} // namespace streamscope::http
