#pragma once
// Keeping a quota day of Data API calls within the daily quota: how often the videos.list
// sweep of the candidate videos may run for the rest of the day. Pure: the caller passes the
// clock reading, what it spent, and when the day ends (time::next_pacific_midnight).

#include <chrono>
#include <cstdint>

namespace streamscope::youtube {

struct quota_plan_input {
    std::int64_t daily_quota = 10'000;
    std::int64_t spent_today = 0; // units spent since the quota day began, look-ups included
    std::chrono::system_clock::time_point now;
    std::chrono::system_clock::time_point day_ends;
    // What one sweep costs: ceil(candidates / 50) videos.list calls + the look-ups it is
    // expected to need (playlistItems fallbacks for channels whose feed failed).
    std::int64_t units_per_sweep = 0;
    std::chrono::milliseconds configured_interval{300'000};
};

struct quota_plan {
    std::chrono::milliseconds interval{0}; // configured, or longer so that the day fits
    std::int64_t projected_day_total = 0;  // spent + the units of the sweeps left at `interval`
    std::int64_t sweeps_left = 0;          // at now, now + interval, .. before day_ends
    bool lengthened = false;               // interval > configured
    // Not even one sweep fits in what is left of the quota: none until day_ends, and
    // `interval` is the wait until then (the configured interval if that is longer).
    bool exhausted = false;
    std::int64_t reserve = 0; // quota_reserve(daily_quota): never planned
};

// What sweeps never spend, for the calls that come unplanned: channels.list when the watchlist
// changes, playlistItems when feeds fail beyond the estimate, a retried call. 2% of the daily
// quota and at least 20 units (200 of the default 10,000: 200 channels.list calls of 50 ids);
// never more than the quota.
std::int64_t quota_reserve(std::int64_t daily_quota);

// The plan for the rest of the quota day, counting a sweep at `now` (the planner is asked just
// before one) and one every `interval` after it until day_ends. The interval is the configured
// one when the sweeps left fit in daily_quota - reserve - spent_today; else the shortest whole
// number of milliseconds at which they fit (a test's compressed day sweeps every 0.3 s: the
// plan must count its sweeps as they come); a sweep that would overspend is never planned
// (exhausted). units_per_sweep 0 (nothing to look at) costs nothing: configured interval. At or
// past day_ends: no sweeps left in this day (ask again with the new day's spending). A
// configured interval below 1 ms counts as 1 ms.
quota_plan plan_quota(const quota_plan_input& input);

} // namespace streamscope::youtube
