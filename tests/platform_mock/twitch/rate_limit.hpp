#pragma once
// Twitch's rate limit model: one token bucket per client id, `per_minute` points of capacity,
// refilled continuously at `per_minute` points a minute; every Helix request costs one point.
// Pure logic; the caller passes the time. Not thread-safe.

#include <chrono>
#include <cstdint>

#include "tests/platform_mock/exchange.hpp"

namespace streamscope::platform_mock::twitch {

class token_bucket {
public:
    using clock = std::chrono::system_clock;

    // 0 means unlimited: every request passes and the headers show a huge bucket.
    token_bucket(std::uint32_t per_minute, clock::time_point now);

    // Takes one point. `allowed` is false (and nothing is taken) when less than one point is
    // left: the caller answers 429.
    struct outcome {
        bool allowed;
        rate_limit_headers headers;
    };
    outcome take(clock::time_point now);

    // The headers as they stand, without taking anything (for answers that cost nothing).
    rate_limit_headers peek(clock::time_point now);

    bool unlimited() const { return per_minute_ == 0; }

private:
    void refill(clock::time_point now);
    rate_limit_headers headers(clock::time_point now) const;

    std::uint32_t per_minute_;
    double points_;
    clock::time_point updated_;
};

} // namespace streamscope::platform_mock::twitch
