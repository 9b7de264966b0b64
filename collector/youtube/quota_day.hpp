#pragma once
// YouTube's quota day, which turns at midnight in America/Los_Angeles, not UTC. libstdc++ 12
// has no time zone database, so the US rule in force since 2007 is written out: Pacific
// Standard Time (UTC-8), and Pacific Daylight Time (UTC-7) from the second Sunday of March at
// 02:00 standard time to the first Sunday of November at 02:00 daylight time. Times before
// 2007 get the same rule (wrongly, and harmlessly: the collector runs now). Pure.

#include <chrono>

namespace streamscope::youtube {

// The offset of Pacific time from UTC at `t`: -8 h or -7 h.
std::chrono::hours pacific_offset(std::chrono::system_clock::time_point t);

// The Pacific date at `t`: the quota day that `t` counts against. Midnight belongs to the day
// it starts.
std::chrono::year_month_day quota_day(std::chrono::system_clock::time_point t);

// The next Pacific midnight strictly after `t`, in UTC: when the quota day after `t`'s
// begins. Quota days last 24 hours, but 23 on the second Sunday of March and 25 on the first
// Sunday of November.
std::chrono::system_clock::time_point next_quota_day_start(std::chrono::system_clock::time_point t);

} // namespace streamscope::youtube
