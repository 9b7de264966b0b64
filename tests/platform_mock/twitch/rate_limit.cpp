#include "tests/platform_mock/twitch/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace streamscope::platform_mock::twitch {
namespace {

constexpr std::int64_t unlimited_size = 1'000'000;

double seconds_between(token_bucket::clock::time_point from, token_bucket::clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

} // namespace

token_bucket::token_bucket(std::uint32_t per_minute, clock::time_point now)
    : per_minute_(per_minute), points_(per_minute), updated_(now) {}

void token_bucket::refill(clock::time_point now) {
    // A clock that stepped backwards refills nothing rather than draining the bucket.
    const double elapsed = std::max(0.0, seconds_between(updated_, now));
    points_ = std::min<double>(per_minute_, points_ + elapsed * per_minute_ / 60.0);
    updated_ = now;
}

rate_limit_headers token_bucket::headers(clock::time_point now) const {
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
    if (unlimited()) {
        return {unlimited_size, unlimited_size - 1, now_s.count()};
    }
    const double missing = per_minute_ - points_;
    const double full_in = missing * 60.0 / per_minute_;
    const double full_at = std::chrono::duration<double>(now.time_since_epoch()).count() + full_in;
    return {per_minute_, static_cast<std::int64_t>(std::floor(points_)),
            static_cast<std::int64_t>(std::ceil(full_at))};
}

token_bucket::outcome token_bucket::take(clock::time_point now) {
    if (unlimited()) {
        return {true, headers(now)};
    }
    refill(now);
    if (points_ < 1.0) {
        auto h = headers(now);
        h.remaining = 0;
        return {false, h};
    }
    points_ -= 1.0;
    return {true, headers(now)};
}

rate_limit_headers token_bucket::peek(clock::time_point now) {
    if (!unlimited()) {
        refill(now);
    }
    return headers(now);
}

} // namespace streamscope::platform_mock::twitch
