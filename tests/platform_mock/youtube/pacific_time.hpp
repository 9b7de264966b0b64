#pragma once
// YouTube's quota day: it turns at midnight Pacific Time (America/Los_Angeles), which is 08:00
// UTC in winter (PST, UTC-8) and 07:00 UTC in summer (PDT, UTC-7). GCC 12's standard library has
// no time-zone database, so the US rule in force since 2007 is written out here: daylight time
// from the second Sunday of March, 02:00 PST (10:00 UTC), to the first Sunday of November,
// 02:00 PDT (09:00 UTC). Pure functions.

#include <chrono>

#include "common/time/timestamp.hpp"

namespace streamscope::platform_mock::youtube {

// Whether Los Angeles keeps daylight time at `t`.
bool pacific_daylight_time(time::timestamp t);

// UTC minus Pacific local time at `t`: -8 h or -7 h.
std::chrono::hours pacific_utc_offset(time::timestamp t);

// The Pacific calendar date that `t` falls on.
std::chrono::sys_days pacific_date(time::timestamp t);

// The instant (UTC) at which the Pacific date `date` begins: its local midnight.
time::timestamp pacific_midnight(std::chrono::sys_days date);

// The next quota reset after `t`: the Pacific midnight that ends t's Pacific date.
time::timestamp next_pacific_midnight(time::timestamp t);

} // namespace streamscope::platform_mock::youtube
