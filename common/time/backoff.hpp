#pragma once
// Exponential backoff with full jitter: the n-th retry waits a uniformly random time between
// zero and min(cap, base * 2^n), so that many clients retrying together spread out.

#include <algorithm>
#include <chrono>
#include <random>

namespace streamscope::time {

struct backoff_policy {
    std::chrono::milliseconds base{250};
    std::chrono::milliseconds cap{10000};
    int max_retries = 5; // after that many retries the operation has failed

    // The ceiling of the wait before retry number `retry` (0 for the first retry).
    std::chrono::milliseconds ceiling(int retry) const {
        const int doublings = std::clamp(retry, 0, 30);
        const auto grown = base.count() << doublings;
        return std::chrono::milliseconds(std::min<long long>(grown, cap.count()));
    }

    // A wait drawn uniformly from [0, ceiling(retry)].
    template <typename Random>
    std::chrono::milliseconds delay(int retry, Random& random) const {
        std::uniform_int_distribution<long long> pick(0, ceiling(retry).count());
        return std::chrono::milliseconds(pick(random));
    }
};

} // namespace streamscope::time
