#include "api/auth/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace streamscope::api {
namespace {

// The bucket's tokens at `now`, refilled at per_minute/60 a second up to per_minute.
double refilled(double tokens, std::chrono::steady_clock::time_point at,
                std::chrono::steady_clock::time_point now, unsigned per_minute) {
    const double seconds = std::chrono::duration<double>(now - at).count();
    return std::min<double>(per_minute, tokens + std::max(0.0, seconds) * per_minute / 60.0);
}

// Rounded up, but not for the last bits of a floating-point quotient (10.0000001 s is 10 s).
std::chrono::seconds whole_seconds_up(double seconds) {
    return std::chrono::seconds(
        static_cast<std::int64_t>(std::ceil(std::max(0.0, seconds - 1e-6))));
}

} // namespace

rate_limiter::verdict rate_limiter::take(const std::string& client, unsigned per_minute,
                                         std::chrono::steady_clock::time_point now) {
    const std::lock_guard lock{mutex_};
    auto it = buckets_.find(client);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_clients_) {
            make_room(now);
        }
        it = buckets_.emplace(client, bucket{double(per_minute), now, per_minute}).first;
    }
    bucket& b = it->second;
    b.tokens = refilled(b.tokens, b.at, now, per_minute);
    b.at = now;
    b.per_minute = per_minute;
    verdict v;
    v.limit = per_minute;
    const double per_second = per_minute / 60.0;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
    } else {
        v.allowed = false;
        v.retry_after = whole_seconds_up((1.0 - b.tokens) / per_second);
    }
    v.remaining = static_cast<unsigned>(std::floor(b.tokens));
    v.reset = whole_seconds_up((per_minute - b.tokens) / per_second);
    return v;
}

std::size_t rate_limiter::clients() const {
    const std::lock_guard lock{mutex_};
    return buckets_.size();
}

void rate_limiter::make_room(std::chrono::steady_clock::time_point now) {
    std::erase_if(buckets_, [now](const auto& entry) {
        const bucket& b = entry.second;
        return refilled(b.tokens, b.at, now, b.per_minute) >= b.per_minute;
    });
    if (buckets_.size() >= max_clients_ / 10 * 9) {
        // Nearly every bucket is in use: more clients than the limit call at once (addresses
        // made up by the thousand). Forgetting them all hands each a fresh burst, but memory
        // stays bound, and this scan runs once per tenth of the limit at most.
        buckets_.clear();
    }
}

void add_rate_headers(http::response& res, const rate_limiter::verdict& v) {
    res.set("RateLimit-Limit", std::to_string(v.limit));
    res.set("RateLimit-Remaining", std::to_string(v.remaining));
    res.set("RateLimit-Reset", std::to_string(v.reset.count()));
    if (!v.allowed) {
        res.set(boost::beast::http::field::retry_after, std::to_string(v.retry_after.count()));
    }
}

} // namespace streamscope::api
