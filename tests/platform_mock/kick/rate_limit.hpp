#pragma once
// Kick's rate limit, which Kick does not publish: at most `per_minute` requests in any 60 s (a
// sliding window, per client: every token of a client shares it), and nothing about it in
// headers. Denied requests are not counted. Pure logic; the caller passes the time. Not
// thread-safe.

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace streamscope::platform_mock::kick {

class sliding_window_limit {
public:
    using clock = std::chrono::system_clock;
    static constexpr std::chrono::seconds window{60};

    // 0: no limit.
    explicit sliding_window_limit(std::uint32_t per_minute) : per_minute_(per_minute) {}

    struct outcome {
        bool allowed;
        // When denied: whole seconds (at least 1) until the oldest counted request leaves the
        // window, which is what an honest Retry-After would say.
        std::chrono::seconds retry_after{0};
    };
    outcome take(std::string_view client, clock::time_point now);

private:
    std::uint32_t per_minute_;
    std::unordered_map<std::string, std::deque<clock::time_point>> taken_;
};

} // namespace streamscope::platform_mock::kick
