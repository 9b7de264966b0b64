#pragma once
// How fast a platform client may send: the platform's rate limit as the client understands it.
// Twitch publishes its bucket in response headers (twitch/rate_budget); Kick publishes nothing
// and is paced adaptively (kick/adaptive_pacer). Times are passed in, so tests drive them.

#include <chrono>
#include <cstdint>
#include <optional>

#include "common/http/message.hpp"

namespace streamscope::collector {

class pacer {
public:
    using clock = std::chrono::steady_clock;
    virtual ~pacer() = default;

    // How long to wait at `now` before the next request may go; zero when it may go now.
    virtual clock::duration delay(clock::time_point now) const = 0;
    // A request goes out at `now`.
    virtual void spend(clock::time_point now) = 0;
    // An answer other than 429 arrived at `now`.
    virtual void answered(const http::response& res, clock::time_point now) = 0;
    // A 429 arrived at `now`; `wall_now` reads reset times given in epoch seconds.
    virtual void throttled(const http::response& res, clock::time_point now,
                           std::chrono::system_clock::time_point wall_now) = 0;
    // How many requests could go at `now` without waiting, beyond a small reserve: what
    // enrichment may spend without slowing the next sweep.
    virtual double spare(clock::time_point now) const = 0;
    // The points left as the platform last reported them; nullopt where it reports none.
    virtual std::optional<std::int64_t> reported_remaining() const { return std::nullopt; }
};

} // namespace streamscope::collector
