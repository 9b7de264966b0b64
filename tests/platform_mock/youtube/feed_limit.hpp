#pragma once
// The feeds' politeness limit: at most `per_second` requests from one client address in any
// second (a sliding window over real time, whatever the simulated clock does). YouTube
// publishes no figure; a few per second is what keeps a poller out of trouble. Denied requests
// are not counted. Pure logic; the caller passes the time. Not thread-safe.

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace streamscope::platform_mock::youtube {

class feed_limit {
public:
    using clock = std::chrono::steady_clock;

    // 0: no limit.
    explicit feed_limit(std::uint32_t per_second) : per_second_(per_second) {}

    // Whether `client` may have another feed now; counts it when so.
    bool take(std::string_view client, clock::time_point now);

private:
    std::uint32_t per_second_;
    std::unordered_map<std::string, std::deque<clock::time_point>> taken_;
};

} // namespace streamscope::platform_mock::youtube
