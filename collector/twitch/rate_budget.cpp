#include "collector/twitch/rate_budget.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace streamscope::twitch {

namespace {
using seconds_d = std::chrono::duration<double>;

std::optional<std::int64_t> header_number(const http::response& res, std::string_view name) {
    auto it = res.find(name);
    if (it == res.end()) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto text = it->value();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

rate_headers read_rate_headers(const http::response& res) {
    return {header_number(res, "Ratelimit-Limit"), header_number(res, "Ratelimit-Remaining"),
            header_number(res, "Ratelimit-Reset")};
}

rate_budget::rate_budget(std::int64_t assumed_limit)
    : limit_(std::max<std::int64_t>(1, assumed_limit)), points_(static_cast<double>(limit_)),
      synced_at_(), blocked_until_() {}

double rate_budget::reserve() const {
    // 1% of the bucket, at least one point: enough to absorb another client's request or a
    // clock drift, small enough not to cost a sweep measurable time.
    return std::max(1.0, static_cast<double>(limit_) / 100.0);
}

double rate_budget::available(clock::time_point now) const {
    const double elapsed = std::max(0.0, seconds_d(now - synced_at_).count());
    return std::min(static_cast<double>(limit_), points_ + elapsed * refill_per_second());
}

rate_budget::clock::duration rate_budget::delay(clock::time_point now) const {
    clock::duration wait{0};
    if (now < blocked_until_) {
        wait = blocked_until_ - now;
    }
    const auto at = now + wait;
    const double missing = reserve() + 1.0 - available(at);
    if (missing > 0) {
        wait +=
            std::chrono::duration_cast<clock::duration>(seconds_d(missing / refill_per_second()));
    }
    return wait;
}

void rate_budget::spend(clock::time_point now) {
    points_ = available(now) - 1.0;
    synced_at_ = now;
}

void rate_budget::answered(const http::response& res, clock::time_point now) {
    observe(read_rate_headers(res), now);
}

void rate_budget::throttled(const http::response& res, clock::time_point now,
                            std::chrono::system_clock::time_point wall_now) {
    exhausted(read_rate_headers(res), now, wall_now);
}

double rate_budget::spare(clock::time_point now) const {
    return available(now) - reserve();
}

void rate_budget::observe(const rate_headers& headers, clock::time_point now) {
    if (headers.remaining) {
        remaining_ = headers.remaining;
    }
    if (headers.limit && *headers.limit > 0) {
        limit_ = *headers.limit;
    }
    if (headers.remaining && *headers.remaining >= 0) {
        // The server's count is the truth; it already includes this request.
        points_ = std::min(static_cast<double>(*headers.remaining), static_cast<double>(limit_));
        synced_at_ = now;
    }
}

void rate_budget::exhausted(const rate_headers& headers, clock::time_point now,
                            std::chrono::system_clock::time_point wall_now) {
    observe(headers, now);
    auto wait = std::chrono::seconds(60);
    if (headers.reset_epoch_s) {
        const auto reset =
            std::chrono::system_clock::time_point(std::chrono::seconds(*headers.reset_epoch_s));
        wait = std::chrono::ceil<std::chrono::seconds>(reset - wall_now);
    }
    // Epoch seconds are coarse and clocks drift: wait at least a second, never past a minute
    // (by then the whole bucket has refilled).
    wait = std::clamp(wait, std::chrono::seconds(1), std::chrono::seconds(65));
    blocked_until_ = now + wait;
    points_ = 0;
    synced_at_ = now;
}

} // namespace streamscope::twitch
