#pragma once
// Days in America/Los_Angeles, where YouTube's quota day turns at midnight (not UTC): the
// collector's quota ledger and the fake YouTube both count by it. libstdc++ 12 has no time zone
// database, so the US rule in force since 2007 is written out: Pacific Standard Time (UTC-8),
// and Pacific Daylight Time (UTC-7) from the second Sunday of March at 02:00 standard time to
// the first Sunday of November at 02:00 daylight time. Times before 2007 get the same rule
// (wrongly, and harmlessly: nothing here looks back that far). Pure.

#include <chrono>

namespace streamscope::time {

// The offset of Pacific time from UTC at `t`: -8 h or -7 h.
std::chrono::hours pacific_offset(std::chrono::system_clock::time_point t);

// The Pacific date at `t`. Midnight belongs to the day it starts.
std::chrono::year_month_day pacific_day(std::chrono::system_clock::time_point t);

// When the Pacific date `day` begins, in UTC.
std::chrono::system_clock::time_point pacific_midnight(std::chrono::sys_days day);

// The next Pacific midnight strictly after `t`: when the day after `t`'s begins. Days last 24
// hours, but 23 on the second Sunday of March and 25 on the first Sunday of November.
std::chrono::system_clock::time_point
next_pacific_midnight(std::chrono::system_clock::time_point t);

} // namespace streamscope::time
