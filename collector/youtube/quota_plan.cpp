#include "collector/youtube/quota_plan.hpp"

#include <algorithm>

namespace streamscope::youtube {
using namespace std::chrono;

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return a / b + (a % b != 0 ? 1 : 0);
}

} // namespace

std::int64_t quota_reserve(std::int64_t daily_quota) {
    if (daily_quota <= 0) {
        return 0;
    }
    return std::min(daily_quota, std::max<std::int64_t>(20, daily_quota / 50));
}

quota_plan plan_quota(const quota_plan_input& input) {
    quota_plan plan;
    const milliseconds configured = std::max(input.configured_interval, milliseconds{1});
    plan.interval = configured;
    plan.projected_day_total = input.spent_today;
    plan.reserve = quota_reserve(input.daily_quota);

    const nanoseconds left = duration_cast<nanoseconds>(input.day_ends - input.now);
    if (left <= nanoseconds::zero()) {
        return plan;
    }
    const auto sweeps_at = [&left](milliseconds interval) {
        return ceil_div(left.count(), duration_cast<nanoseconds>(interval).count());
    };
    const std::int64_t units = std::max<std::int64_t>(input.units_per_sweep, 0);
    if (units == 0) {
        plan.sweeps_left = sweeps_at(configured);
        return plan;
    }

    const std::int64_t budget = input.daily_quota - plan.reserve - input.spent_today;
    const std::int64_t affordable = budget > 0 ? budget / units : 0;
    if (affordable == 0) {
        plan.exhausted = true;
        plan.interval = std::max(configured, ceil<milliseconds>(left));
        plan.lengthened = plan.interval > configured;
        return plan;
    }
    if (sweeps_at(configured) > affordable) {
        // The shortest whole-millisecond interval I with ceil(left / I) <= affordable, that is
        // I >= left / affordable. affordable is below the sweeps at >= 1 ms (at most 86.4
        // million in a day), so no overflow.
        plan.interval = milliseconds{ceil_div(left.count(), affordable * 1'000'000)};
        plan.lengthened = true;
    }
    plan.sweeps_left = sweeps_at(plan.interval);
    plan.projected_day_total = input.spent_today + plan.sweeps_left * units;
    return plan;
}

} // namespace streamscope::youtube
