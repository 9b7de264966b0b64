#pragma once
// Twitch's rate limit as the client sees it: a token bucket of `limit` points refilled at
// `limit` points a minute, shared by every request of the client id. The client keeps its own
// estimate, corrects it from the Ratelimit-* headers of every response, and paces requests
// so that the bucket keeps a small reserve instead of running into 429s. Pure logic: the
// caller passes the clock readings, so tests can drive it.

#include <chrono>
#include <cstdint>
#include <optional>

#include "collector/platform/pacer.hpp"

namespace streamscope::twitch {

// The Ratelimit-* headers of one response; each may be missing.
struct rate_headers {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> remaining;
    std::optional<std::int64_t> reset_epoch_s; // Unix seconds when the bucket is full again
};

// The Ratelimit-* headers of a response; those missing or not numbers are nullopt.
rate_headers read_rate_headers(const http::response& res);

class rate_budget : public collector::pacer {
public:
    // `assumed_limit` holds until a response says otherwise (Twitch's documented 800).
    explicit rate_budget(std::int64_t assumed_limit = 800);

    // How long to wait at `now` before sending the next request. Zero when it may go now.
    clock::duration delay(clock::time_point now) const override;

    // A request is being sent at `now`: it costs one point.
    void spend(clock::time_point now) override;

    // The pacer's view of a response: its headers, observed or exhausted below.
    void answered(const http::response& res, clock::time_point now) override;
    void throttled(const http::response& res, clock::time_point now,
                   std::chrono::system_clock::time_point wall_now) override;
    // Points available beyond the reserve, up to one bucket.
    double spare(clock::time_point now) const override;
    std::optional<std::int64_t> reported_remaining() const override { return remaining_; }

    // Corrects the estimate from a response's headers, received at `now`.
    void observe(const rate_headers& headers, clock::time_point now);

    // A 429: nothing is sent before the reset time the headers give (bounded to 1..65 s to
    // survive clock skew and missing headers).
    void exhausted(const rate_headers& headers, clock::time_point now,
                   std::chrono::system_clock::time_point wall_now);

    // Points available at `now` by the estimate (may be fractional).
    double available(clock::time_point now) const;
    std::int64_t limit() const { return limit_; }
    // Points kept back in normal operation.
    double reserve() const;

private:
    double refill_per_second() const { return static_cast<double>(limit_) / 60.0; }

    std::int64_t limit_;
    std::optional<std::int64_t> remaining_; // from the last response's headers
    double points_;                         // at synced_at_
    clock::time_point synced_at_;           // the instant points_ refers to
    clock::time_point blocked_until_;       // after a 429
};

} // namespace streamscope::twitch
