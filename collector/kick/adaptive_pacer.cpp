#include "collector/kick/adaptive_pacer.hpp"

#include <algorithm>
#include <string>

#include <spdlog/spdlog.h>

#include "common/http/retry_after.hpp"

namespace streamscope::kick {
namespace {

using seconds_d = std::chrono::duration<double>;
constexpr auto max_retry_after = std::chrono::seconds(120);

} // namespace

adaptive_pacer::adaptive_pacer(pacing_options options)
    : options_(options), per_minute_(std::clamp(options.start_per_minute, options.min_per_minute,
                                                options.max_per_minute)) {}

adaptive_pacer::clock::duration adaptive_pacer::gap() const {
    return std::chrono::duration_cast<clock::duration>(seconds_d(60.0 / per_minute_));
}

adaptive_pacer::clock::duration adaptive_pacer::delay(clock::time_point now) const {
    const clock::time_point at = std::max(next_at_, blocked_until_);
    return at > now ? at - now : clock::duration::zero();
}

void adaptive_pacer::spend(clock::time_point now) {
    next_at_ = std::max(now, next_at_) + gap();
}

void adaptive_pacer::answered(const http::response&, clock::time_point) {
    throttled_in_a_row_ = 0;
    if (++clean_ < options_.clean_answers_per_step) {
        return;
    }
    clean_ = 0;
    double next = per_minute_ * (1 + options_.increase);
    if (ceiling_) {
        const double cap = *ceiling_ * options_.below_ceiling;
        if (next > cap && per_minute_ < *ceiling_) {
            // Up to just below the rate that drew a 429; past it only after a long clean run.
            if (per_minute_ < cap) {
                next = cap;
            } else if (++steps_at_cap_ < options_.ceiling_patience) {
                next = per_minute_;
            } else {
                steps_at_cap_ = 0;
                ceiling_.reset();
            }
        }
    }
    per_minute_ = std::clamp(next, options_.min_per_minute, options_.max_per_minute);
}

void adaptive_pacer::throttled(const http::response& res, clock::time_point now,
                               std::chrono::system_clock::time_point wall_now) {
    const double drew = per_minute_;
    ceiling_ = ceiling_ ? std::min(*ceiling_, drew) : drew;
    per_minute_ =
        std::clamp(drew * options_.decrease, options_.min_per_minute, options_.max_per_minute);
    clean_ = 0;
    steps_at_cap_ = 0;
    const auto header = res.find("Retry-After");
    std::optional<std::chrono::seconds> asked;
    if (header != res.end()) {
        asked =
            retry_after(std::string_view(header->value().data(), header->value().size()), wall_now);
    }
    const int doublings = std::min(throttled_in_a_row_++, 20);
    const clock::duration pause =
        asked ? std::chrono::duration_cast<clock::duration>(*asked)
              : std::min(std::chrono::duration_cast<clock::duration>(
                             gap() * options_.pause_gaps * static_cast<double>(1 << doublings)),
                         std::chrono::duration_cast<clock::duration>(options_.max_pause));
    blocked_until_ = std::max(blocked_until_, now + pause);
    next_at_ = std::max(next_at_, blocked_until_);
    spdlog::warn("Kick answered 429 at {:.0f} requests a minute ({}); pacing at {:.0f} a "
                 "minute from now, after a pause of {:.1f} s",
                 drew,
                 asked ? "Retry-After " + std::to_string(asked->count()) + " s"
                       : std::string("no Retry-After"),
                 per_minute_, seconds_d(pause).count());
}

std::optional<std::chrono::seconds>
adaptive_pacer::retry_after(std::string_view value,
                            std::chrono::system_clock::time_point wall_now) {
    const auto wait = http::retry_after_wait(value, wall_now);
    if (!wait) {
        return std::nullopt;
    }
    return std::clamp(*wait, std::chrono::seconds(1), max_retry_after);
}

} // namespace streamscope::kick
