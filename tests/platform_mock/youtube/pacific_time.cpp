#include "tests/platform_mock/youtube/pacific_time.hpp"

namespace streamscope::platform_mock::youtube {

using namespace std::chrono;

bool pacific_daylight_time(time::timestamp t) {
    const year y = year_month_day{floor<days>(t)}.year();
    const time::timestamp begins = sys_days{y / March / Sunday[2]} + hours(10);
    const time::timestamp ends = sys_days{y / November / Sunday[1]} + hours(9);
    return begins <= t && t < ends;
}

hours pacific_utc_offset(time::timestamp t) {
    return pacific_daylight_time(t) ? hours(-7) : hours(-8);
}

sys_days pacific_date(time::timestamp t) {
    return floor<days>(t + pacific_utc_offset(t));
}

time::timestamp pacific_midnight(sys_days date) {
    // Midnight comes before the 02:00 switch, so its offset is the one of the evening before:
    // try standard time, and take daylight time when that instant is already in it.
    const time::timestamp standard = date + hours(8);
    return pacific_daylight_time(standard) ? time::timestamp(date + hours(7)) : standard;
}

time::timestamp next_pacific_midnight(time::timestamp t) {
    return pacific_midnight(pacific_date(t) + days(1));
}

} // namespace streamscope::platform_mock::youtube
