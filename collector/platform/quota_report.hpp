#pragma once
// What a platform with a daily quota reports about it (platform_client::quota()).

#include <cstdint>
#include <string>

namespace streamscope::collector {

// A platform with a daily quota (YouTube): what is spent and what the plan says, for /health,
// /metrics and the log.
struct quota_report {
    std::string day;              // the quota day, YYYY-MM-DD in the platform's time zone
    std::int64_t daily_quota = 0; // units a day
    std::int64_t spent = 0;       // units spent today, by every collector on the database
    std::int64_t projected = 0;   // spent + what the planned sweeps will spend by the day's end
    bool exhausted = false;       // no sweep before the day turns
};

} // namespace streamscope::collector
