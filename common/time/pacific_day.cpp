#include "common/time/pacific_day.hpp"

namespace streamscope::time {
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

year_month_day pacific_day(system_clock::time_point t) {
    return year_month_day{floor<days>(t + pacific_offset(t))};
}

system_clock::time_point pacific_midnight(sys_days day) {
    // Midnight comes before the 02:00 switch, so its offset is the one at 00:00 local standard
    // time, unless that instant is already daylight time.
    const system_clock::time_point as_standard = day - standard_offset;
    if (pacific_offset(as_standard) == standard_offset) {
        return as_standard;
    }
    return day - daylight_offset;
}

system_clock::time_point next_pacific_midnight(system_clock::time_point t) {
    return pacific_midnight(sys_days{pacific_day(t)} + days{1});
}

} // namespace streamscope::time
