#include "collector/youtube/feed_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace streamscope::youtube {
using namespace std::chrono;

namespace {

constexpr milliseconds least_spacing{1};

// 1 / rate, rounded up to whole milliseconds (never faster than the rate), at least 1 ms.
milliseconds rate_spacing(double requests_per_second) {
    if (!(requests_per_second > 0)) { // also NaN
        requests_per_second = 1;
    }
    const double ms = std::ceil(1000.0 / requests_per_second);
    // 1e15 ms is 31,700 years: a slower rate is capped there rather than overflow the cast.
    constexpr double most = 1e15;
    return std::max(least_spacing, milliseconds{static_cast<std::int64_t>(std::min(ms, most))});
}

} // namespace

feed_cadence plan_feed_cadence(std::size_t channels, seconds interval, double requests_per_second) {
    feed_cadence cadence;
    if (channels == 0) {
        cadence.spacing = interval;
        return cadence;
    }
    const auto count = static_cast<std::int64_t>(channels);
    const milliseconds even{duration_cast<milliseconds>(interval).count() / count};
    const milliseconds polite = rate_spacing(requests_per_second);
    cadence.spacing = std::max(even, polite);
    cadence.rate_bound = polite > even;
    cadence.cycle = ceil<seconds>(cadence.spacing * count);
    return cadence;
}

slowdown::slowdown(milliseconds planned, slowdown_options options)
    : options_(options), planned_(std::max(planned, least_spacing)),
      ceiling_(std::max(options.ceiling, planned_)), spacing_(planned_) {}

void slowdown::throttled() {
    ++throttled_in_a_row_;
    successes_ = 0;
    spacing_ = std::min(spacing_ * 2, ceiling_);
}

void slowdown::succeeded() {
    throttled_in_a_row_ = 0;
    if (!slowed()) {
        successes_ = 0;
        return;
    }
    if (++successes_ >= options_.successes_to_halve) {
        successes_ = 0;
        spacing_ = std::max(spacing_ / 2, planned_);
    }
}

void slowdown::replan(milliseconds planned) {
    const bool was_slowed = slowed();
    planned_ = std::max(planned, least_spacing);
    ceiling_ = std::max(options_.ceiling, planned_);
    spacing_ = was_slowed ? std::clamp(spacing_, planned_, ceiling_) : planned_;
}

} // namespace streamscope::youtube
