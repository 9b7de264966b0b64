#include "collector/youtube/quota_day.hpp"

namespace streamscope::youtube {
using namespace std::chrono;

namespace {

constexpr hours standard_offset{-8};
constexpr hours daylight_offset{-7};

// The n-th (1-based) Sunday of month `m` of year `y`.
sys_days nth_sunday(year y, month m, unsigned n) {
    return sys_days{year_month_weekday{y, m, weekday_indexed{Sunday, n}}};
}

} // namespace

hours pacific_offset(system_clock::time_point t) {
    // The year as Pacific standard time counts it; both switches are far from New Year.
    const year y = year_month_day{floor<days>(t + standard_offset)}.year();
    // 02:00 PST is 10:00 UTC; 02:00 PDT is 09:00 UTC.
    const auto daylight_from = nth_sunday(y, March, 2) + hours{2} - standard_offset;
    const auto daylight_until = nth_sunday(y, November, 1) + hours{2} - daylight_offset;
    return t >= daylight_from && t < daylight_until ? daylight_offset : standard_offset;
}

year_month_day quota_day(system_clock::time_point t) {
    return year_month_day{floor<days>(t + pacific_offset(t))};
}

system_clock::time_point next_quota_day_start(system_clock::time_point t) {
    const sys_days next_day = sys_days{quota_day(t)} + days{1};
    // Midnight comes before the 02:00 switch, so its offset is the one at 00:00 local standard
    // time, unless that instant is already daylight time.
    const system_clock::time_point as_standard = next_day - standard_offset;
    if (pacific_offset(as_standard) == standard_offset) {
        return as_standard;
    }
    return next_day - daylight_offset;
}

} // namespace streamscope::youtube
